// Which configurations have defined semantics. ASTRA-sim crashes, hangs or rejects on some
// inputs (spec section 6); astra-sweep rejects those with a reason instead, in one place shared
// by the reference simulator and the fast evaluator so both always agree on what they answer.
#pragma once

#include <cstdint>

#include "config.hpp"

namespace astra {

struct ConfigProblem {
  const char* field = nullptr;   // nullptr: no problem
  const char* reason = nullptr;
  ASTRA_HD bool ok() const { return field == nullptr; }
};

ASTRA_HD_INLINE bool is_power_of_two(std::int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

ASTRA_HD_INLINE bool collective_reduces(CollectiveKind c) {
  return c == CollectiveKind::AllReduce || c == CollectiveKind::ReduceScatter;
}

// Structural checks of a network + system pair, independent of the workload.
ASTRA_HD_INLINE ConfigProblem check_network_system(const NetworkConfig& net, const SystemConfig& sys,
                                                   NetworkBackend backend) {
  if (net.dims < 1 || net.dims > kMaxDims) return {"npus_count", "a network needs 1 to 8 dimensions"};
  for (int d = 0; d < net.dims; ++d) {
    if (net.npus_count[d] < 1) return {"npus_count", "every dimension needs at least 1 NPU"};
    if (!(net.bandwidth_GBps[d] > 0.0)) return {"bandwidth", "bandwidth must be > 0 GB/s"};
    if (!(net.latency_ns[d] >= 0.0)) return {"latency", "latency must be >= 0 ns"};
  }
  if (net.total_npus() < 2) return {"npus_count", "a network needs at least 2 NPUs in total"};
  if (net.total_npus() > (std::int64_t{1} << 20)) return {"npus_count", "more than 2^20 NPUs in total"};
  if (sys.preferred_dataset_splits < 1) return {"preferred-dataset-splits", "must be >= 1"};
  if (sys.active_chunks_per_dimension < 1) return {"active-chunks-per-dimension", "must be >= 1"};
  if (sys.endpoint_delay_ns < 0) return {"endpoint-delay", "must be >= 0 ns"};
  if (!(sys.local_mem_bw_GBps >= 0.0)) return {"local-mem-bw", "must be >= 0 GB/s"};
  (void)backend;  // both backends accept every topology (congestion-aware multi-dim: see docs/congestion_aware.md)
  return {};
}

// Checks that depend on which collective runs (and its size).
ASTRA_HD_INLINE ConfigProblem check_collective(const NetworkConfig& net, const SystemConfig& sys,
                                               CollectiveKind c, std::uint64_t size_bytes) {
  const int count = sys.implementations_count(c);
  const AlgorithmChoice* impl = sys.implementations(c);
  const char* field = c == CollectiveKind::AllReduce       ? "all-reduce-implementation"
                      : c == CollectiveKind::AllGather     ? "all-gather-implementation"
                      : c == CollectiveKind::ReduceScatter ? "reduce-scatter-implementation"
                                                           : "all-to-all-implementation";
  if (count < 1) return {field, "the implementation list is empty"};
  if (count > net.dims) return {field, "the implementation list is longer than the network's dimensions"};
  bool active = false;
  bool reduces = collective_reduces(c);
  const std::int64_t total = net.total_npus();
  for (int d = 0; d < count; ++d) {
    const AlgorithmKind a = impl[d].kind;
    const bool global = a == AlgorithmKind::OneRing || a == AlgorithmKind::OneDirect ||
                        a == AlgorithmKind::OneHalvingDoubling;
    const std::int64_t n = global ? total : net.npus_count[d];
    if (n > 1) active = true;
    if (a == AlgorithmKind::HalvingDoubling || a == AlgorithmKind::OneHalvingDoubling) {
      // a dimension of 1 NPU is skipped, so ASTRA-sim never builds (nor refuses) its algorithm
      if (c == CollectiveKind::AllToAll && n > 1)
        return {field, "halvingDoubling cannot run all_to_all (ASTRA-sim exits)"};
      if (n > 1 && !is_power_of_two(n))
        return {field, "halvingDoubling needs a power-of-two NPU count (ASTRA-sim never finishes otherwise)"};
    }
    if (a == AlgorithmKind::DoubleBinaryTree) {
      if (n > 1 && !is_power_of_two(n))
        return {field, "doubleBinaryTree needs a power-of-two NPU count (ASTRA-sim segfaults otherwise)"};
      if (n > 1) reduces = true;  // it performs a full all-reduce whatever the collective
    }
    if ((a == AlgorithmKind::Direct || a == AlgorithmKind::OneDirect) && impl[d].window == 0)
      return {field, "a direct window must be >= 1"};
    if (global) break;  // one* algorithms take all NPUs; the rest of the list is ignored
  }
  if (!active) return {field, "no dimension of the implementation list has more than 1 NPU"};
  if (c == CollectiveKind::AllGather && size_bytes < static_cast<std::uint64_t>(sys.preferred_dataset_splits))
    return {"size_bytes", "an all_gather smaller than preferred-dataset-splits gives 0-byte chunks (ASTRA-sim loops forever)"};
  if (size_bytes > (std::uint64_t{1} << 50)) return {"size_bytes", "larger than 2^50 bytes"};
  if (reduces && !(sys.local_mem_bw_GBps > 0.0))
    return {"local-mem-bw", "must be > 0 GB/s for collectives that reduce"};
  return {};
}

}  // namespace astra
