// The phases every chunk of a collective goes through (spec 4.2, 4.4).
//
// The collective type's implementation list defines the logical dimensions: entry k is network
// dimension k (n_k NPUs); a one* entry (oneRing/oneDirect/oneHalvingDoubling) is one ring over
// ALL NPUs and ends the list; a list shorter than the network ignores the higher dimensions.
// Dimensions of size 1 are skipped. With A = the remaining dimensions, ascending:
//
//   reduce-scatter        RS on A ascending           size / n_k after each phase
//   all-to-all            A2A on A ascending          size unchanged
//   all-gather            AG on A DESCENDING          size * n_k after each phase
//   all-reduce baseline   AR on A ascending           size unchanged
//   all-reduce localBW    RS on A[0..m-2] up, AR on A[m-1], AG on A[m-2..0] down
//
// A phase runs in the queue of its logical dimension (so localBWAware's RS and AG phases of one
// dimension share a queue). The plan is the same for every chunk.
#pragma once

#include <cstdint>

#include "config.hpp"
#include "host_device.hpp"
#include "network_delay.hpp"

namespace astra {

inline constexpr int kMaxPhases = 2 * kMaxDims - 1;

struct PhaseSpec {
  AlgorithmKind algorithm = AlgorithmKind::Ring;  // one* variants map to their base algorithm
  std::int32_t window = -1;                       // direct window, -1 = p - 1
  CollectiveKind op = CollectiveKind::AllReduce;  // what this phase does (RS/AG/AR/A2A)
  LogicalRing ring;
  std::int32_t queue = 0;  // the logical dimension's index: its scheduling queue
  std::uint64_t input_bytes = 0;
  std::uint64_t output_bytes = 0;
};

struct PhasePlan {
  std::int32_t count = 0;
  bool uses_double_binary_tree = false;  // outside the fast path
  PhaseSpec phases[kMaxPhases];
};

ASTRA_HD_INLINE AlgorithmKind base_algorithm(AlgorithmKind a) {
  switch (a) {
    case AlgorithmKind::OneRing: return AlgorithmKind::Ring;
    case AlgorithmKind::OneDirect: return AlgorithmKind::Direct;
    case AlgorithmKind::OneHalvingDoubling: return AlgorithmKind::HalvingDoubling;
    default: return a;
  }
}

ASTRA_HD_INLINE bool is_global_algorithm(AlgorithmKind a) {
  return a == AlgorithmKind::OneRing || a == AlgorithmKind::OneDirect || a == AlgorithmKind::OneHalvingDoubling;
}

// Output size of one phase (Ring, Direct and HalvingDoubling agree).
ASTRA_HD_INLINE std::uint64_t phase_output_bytes(CollectiveKind op, std::uint64_t input_bytes, std::int64_t p) {
  const std::uint64_t n = static_cast<std::uint64_t>(p);
  switch (op) {
    case CollectiveKind::AllGather: return input_bytes * n;
    case CollectiveKind::ReduceScatter: return input_bytes / n;
    default: return input_bytes;
  }
}

// Logical dimensions of a collective type: rings[] in list order, count returned.
struct LogicalDims {
  std::int32_t count = 0;
  LogicalRing rings[kMaxDims];
  AlgorithmChoice algorithms[kMaxDims];
};

ASTRA_HD_INLINE LogicalDims logical_dims(const NetworkView& net, const SystemConfig& sys, CollectiveKind c) {
  LogicalDims out;
  const int count = sys.implementations_count(c);
  const AlgorithmChoice* impl = sys.implementations(c);
  for (int d = 0; d < count && d < net.dims; ++d) {
    out.algorithms[out.count] = impl[d];
    LogicalRing& r = out.rings[out.count];
    ++out.count;
    if (is_global_algorithm(impl[d].kind)) {
      r.n = net.total_npus;
      r.dim = 0;
      r.global = true;
      break;
    }
    r.n = net.npus_count[d];
    r.dim = d;
    r.global = false;
  }
  return out;
}

ASTRA_HD_INLINE void append_phase(PhasePlan& plan, const LogicalDims& dims, int d, CollectiveKind op,
                                  std::uint64_t& bytes) {
  PhaseSpec& ph = plan.phases[plan.count++];
  ph.algorithm = base_algorithm(dims.algorithms[d].kind);
  if (ph.algorithm == AlgorithmKind::DoubleBinaryTree) plan.uses_double_binary_tree = true;
  ph.window = dims.algorithms[d].window;
  ph.op = op;
  ph.ring = dims.rings[d];
  ph.queue = d;
  ph.input_bytes = bytes;
  ph.output_bytes = phase_output_bytes(op, bytes, ph.ring.n);
  bytes = ph.output_bytes;
}

// Phases of one chunk of `chunk_bytes`, written into `plan` where it lies (a device thread's
// plan can live in its scratch instead of its stack frame).
ASTRA_HD_INLINE void plan_phases_into(PhasePlan& plan, const NetworkView& net, const SystemConfig& sys,
                                      CollectiveKind c, std::uint64_t chunk_bytes) {
  plan.count = 0;  // append_phase sets every field of the phases it appends
  plan.uses_double_binary_tree = false;
  const LogicalDims dims = logical_dims(net, sys, c);
  int active[kMaxDims];
  int m = 0;
  for (int d = 0; d < dims.count; ++d)
    if (dims.rings[d].n != 1) active[m++] = d;
  std::uint64_t bytes = chunk_bytes;
  if (c == CollectiveKind::AllGather) {
    for (int i = m - 1; i >= 0; --i) append_phase(plan, dims, active[i], c, bytes);
  } else if (c != CollectiveKind::AllReduce || !sys.local_bw_aware) {
    for (int i = 0; i < m; ++i) append_phase(plan, dims, active[i], c, bytes);
  } else if (m > 0) {
    for (int i = 0; i < m - 1; ++i) append_phase(plan, dims, active[i], CollectiveKind::ReduceScatter, bytes);
    append_phase(plan, dims, active[m - 1], CollectiveKind::AllReduce, bytes);
    for (int i = m - 2; i >= 0; --i) append_phase(plan, dims, active[i], CollectiveKind::AllGather, bytes);
  }
}

ASTRA_HD_INLINE PhasePlan plan_phases(const NetworkView& net, const SystemConfig& sys, CollectiveKind c,
                                      std::uint64_t chunk_bytes) {
  PhasePlan plan;
  plan_phases_into(plan, net, sys, c, chunk_bytes);
  return plan;
}

}  // namespace astra
