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

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/network_delay.hpp"

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

[[nodiscard]] ASTRA_HD_INLINE AlgorithmKind base_algorithm(AlgorithmKind a) {
  switch (a) {
    case AlgorithmKind::OneRing: return AlgorithmKind::Ring;
    case AlgorithmKind::OneDirect: return AlgorithmKind::Direct;
    case AlgorithmKind::OneHalvingDoubling: return AlgorithmKind::HalvingDoubling;
    default: return a;
  }
}

[[nodiscard]] ASTRA_HD_INLINE bool is_global_algorithm(AlgorithmKind a) {
  return a == AlgorithmKind::OneRing || a == AlgorithmKind::OneDirect || a == AlgorithmKind::OneHalvingDoubling;
}

// Output size of one phase (Ring, Direct and HalvingDoubling agree).
[[nodiscard]] ASTRA_HD_INLINE std::uint64_t phase_output_bytes(CollectiveKind op, std::uint64_t input_bytes, std::int64_t p) {
  const std::uint64_t n = static_cast<std::uint64_t>(p);
  switch (op) {
    case CollectiveKind::AllGather: return input_bytes * n;
    case CollectiveKind::ReduceScatter: return input_bytes / n;
    default: return input_bytes;
  }
}

// The logical ring of entry d of the collective's implementation list.
[[nodiscard]] ASTRA_HD_INLINE LogicalRing logical_ring(const NetworkView& net, const SystemConfig& sys, CollectiveKind c, int d) {
  LogicalRing r;
  if (is_global_algorithm(sys.implementations(c)[d].kind)) {
    r.n = net.total_npus;
    r.dim = 0;
    r.global = true;
  } else {
    r.n = net.npus_count[d];
    r.dim = d;
    r.global = false;
  }
  return r;
}

// Which logical dimension and which operation every phase has, in a few registers: the
// logical dimensions with n != 1 ascending (A above), 4 bits each, and how many there are (m).
// Phase j runs on A[index(j)]:
//   all-gather         m phases        index m-1-j
//   localBW all-reduce 2m-1 phases     index j (RS, j < m-1), m-1 (AR), 2m-2-j (AG, j > m-1)
//   the rest           m phases        index j
struct PhaseSequence {
  std::uint32_t active = 0;  // A[i] in bits 4i .. 4i+3 (logical dimensions are < kMaxDims = 8)
  std::int32_t m = 0;
  std::int32_t count = 0;    // phases
  CollectiveKind collective = CollectiveKind::AllReduce;
  bool local_bw_all_reduce = false;

  ASTRA_HD int index_of(int j) const {
    if (collective == CollectiveKind::AllGather) return m - 1 - j;
    if (local_bw_all_reduce && j > m - 1) return 2 * m - 2 - j;
    return j;
  }
  // The logical dimension of phase j: also its scheduling queue.
  ASTRA_HD int dim_of(int j) const { return static_cast<int>((active >> (4 * index_of(j))) & 15u); }
  ASTRA_HD CollectiveKind op_of(int j) const {
    if (!local_bw_all_reduce) return collective;
    if (j < m - 1) return CollectiveKind::ReduceScatter;
    return j == m - 1 ? CollectiveKind::AllReduce : CollectiveKind::AllGather;
  }
  // Only localBWAware all-reduce on >= 2 dimensions runs two phases in one queue (RS_k, AG_k).
  ASTRA_HD bool revisits_queues() const { return local_bw_all_reduce && m >= 2; }
};

[[nodiscard]] ASTRA_HD_INLINE PhaseSequence phase_sequence(const NetworkView& net, const SystemConfig& sys, CollectiveKind c) {
  PhaseSequence seq;
  seq.collective = c;
  seq.local_bw_all_reduce = c == CollectiveKind::AllReduce && sys.local_bw_aware;
  const int count = sys.implementations_count(c);
  const AlgorithmChoice* impl = sys.implementations(c);
  for (int d = 0; d < count && d < net.dims; ++d) {
    const bool global = is_global_algorithm(impl[d].kind);
    const std::int64_t n = global ? net.total_npus : net.npus_count[d];
    if (n != 1) seq.active |= static_cast<std::uint32_t>(d) << (4 * seq.m++);
    if (global) break;  // one* takes all NPUs and ends the list
  }
  seq.count = seq.local_bw_all_reduce ? (seq.m > 0 ? 2 * seq.m - 1 : 0) : seq.m;
  return seq;
}

// Phase j of the sequence for a chunk whose phases before j left `bytes` (its input); advances
// `bytes` to this phase's output. Walking j = 0, 1, ... gives plan_phases' phases one at a time.
[[nodiscard]] ASTRA_HD_INLINE PhaseSpec sequence_phase(const NetworkView& net, const SystemConfig& sys, const PhaseSequence& seq,
                                         int j, std::uint64_t& bytes) {
  PhaseSpec ph;
  const int d = seq.dim_of(j);
  const AlgorithmChoice choice = sys.implementations(seq.collective)[d];
  ph.algorithm = base_algorithm(choice.kind);
  ph.window = choice.window;
  ph.op = seq.op_of(j);
  ph.ring = logical_ring(net, sys, seq.collective, d);
  ph.queue = d;
  ph.input_bytes = bytes;
  ph.output_bytes = phase_output_bytes(ph.op, bytes, ph.ring.n);
  bytes = ph.output_bytes;
  return ph;
}

// Phases of one chunk of `chunk_bytes`, written into `plan` where it lies (a device thread's
// plan can live in its scratch instead of its stack frame).
ASTRA_HD_INLINE void plan_phases_into(PhasePlan& plan, const NetworkView& net, const SystemConfig& sys,
                                      CollectiveKind c, std::uint64_t chunk_bytes) {
  plan.uses_double_binary_tree = false;
  const PhaseSequence seq = phase_sequence(net, sys, c);
  std::uint64_t bytes = chunk_bytes;
  for (int j = 0; j < seq.count; ++j) {
    plan.phases[j] = sequence_phase(net, sys, seq, j, bytes);
    if (plan.phases[j].algorithm == AlgorithmKind::DoubleBinaryTree) plan.uses_double_binary_tree = true;
  }
  plan.count = seq.count;
}

[[nodiscard]] ASTRA_HD_INLINE PhasePlan plan_phases(const NetworkView& net, const SystemConfig& sys, CollectiveKind c,
                                      std::uint64_t chunk_bytes) {
  PhasePlan plan;
  plan_phases_into(plan, net, sys, c, chunk_bytes);
  return plan;
}

}  // namespace astra
