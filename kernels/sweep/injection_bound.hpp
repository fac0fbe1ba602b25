// The physical bound on a collective's bus bandwidth: what one NPU's links can inject at once.
// ASTRA-sim's congestion-unaware model lets an NPU send on a link to every peer at full bandwidth
// at the same time, so its busbw can exceed what the NPU's links can carry; such points are kept
// (they are ASTRA-sim's answers) but marked `nonphysical` (docs/physical_bounds.md).
//
//   injection_bw_GBps = sum over dimensions d of links_d * bandwidth_d * 2^30 / 1e9
//   links_d: Ring 2 (1 when the dimension has 2 NPUs), Switch 1, FullyConnected npus_d - 1,
//            0 for a dimension of one NPU
// (decimal GB/s, like busbw_GBps; the YAML's GB/s is GiB/s in ASTRA-sim, see config.hpp).
// The evaluation sets SweepPointResult::nonphysical from it (sweep_point_evaluation.hpp, and
// point_resolution.cpp for the reference simulator's points), so reductions only count a flag.
// A point is nonphysical when busbw_GBps > injection_bw_GBps: no algorithm without in-network
// reduction reaches it (all-reduce: some NPU sends >= 2(n-1)/n of the buffer; all-gather,
// reduce-scatter, all-to-all: every NPU moves >= (n-1)/n of it). The test is one-sided: an
// unmarked point is not thereby a hardware prediction.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/sweep/bus_bandwidth.hpp"
#include "kernels/sweep/sweep_point.hpp"

namespace astra {

// Why a point is marked nonphysical, for run summaries and reports.
inline constexpr const char* kNonphysicalReason =
    "busbw above what the NPU's links can inject (ASTRA-sim's congestion-unaware model sends to all peers "
    "at full link bandwidth at once); use congestion_aware or a model beyond ASTRA-sim for these";

// Outgoing links of one NPU in dimension d of the network.
ASTRA_HD_INLINE std::int64_t injection_links(const NetworkConfig& n, int d) {
  const std::int64_t p = n.npus_count[d];
  if (p <= 1) return 0;
  switch (n.topology[d]) {
    case TopologyKind::Ring: return p == 2 ? 1 : 2;
    case TopologyKind::Switch: return 1;
    case TopologyKind::FullyConnected: return p - 1;
  }
  return 0;
}

// The most one NPU can inject, in decimal GB/s (bytes per ns).
ASTRA_HD_INLINE double injection_bandwidth_GBps(const NetworkConfig& n) {
  double total = 0.0;
  for (int d = 0; d < n.dims; ++d)
    total += static_cast<double>(injection_links(n, d)) * bandwidth_bytes_per_ns(n.bandwidth_GBps[d]);
  return total;
}

// Whether an inline collective that finished at finish_ns > 0 reports a busbw above the bound.
ASTRA_HD_INLINE bool busbw_exceeds_injection(const SweepPoint& point, std::uint64_t finish_ns) {
  if (finish_ns == 0) return false;
  return collective_busbw_GBps(point.collective, point.network.total_npus(), point.size_bytes, finish_ns) >
         injection_bandwidth_GBps(point.network);
}

}  // namespace astra
