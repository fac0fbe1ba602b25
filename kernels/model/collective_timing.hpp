// The duration of one collective on one NPU (every NPU, by symmetry) in the congestion-unaware
// backend: chunking (chunking.hpp), the phase plan (phase_plan.hpp), each phase's duration from
// its algorithm (ring_phase / direct_phase / halving_doubling_phase) and the flow shop over the
// per-phase queues (chunk_pipeline.hpp). A collective's duration does not depend on when it
// starts, so workloads may reuse it.
#pragma once

#include <cstdint>

#include "kernels/model/beyond_model.hpp"
#include "kernels/model/chunk_pipeline.hpp"
#include "kernels/model/chunking.hpp"
#include "kernels/model/config.hpp"
#include "kernels/model/direct_phase.hpp"
#include "kernels/model/halving_doubling_phase.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/network_delay.hpp"
#include "kernels/model/packet_engine.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/ring_phase.hpp"

namespace astra {

enum class CollectiveTimingStatus : std::uint8_t { Ok = 0, NeedsReference = 1, Unchunkable = 2 };

struct CollectiveTiming {
  CollectiveTimingStatus status = CollectiveTimingStatus::Ok;
  std::uint64_t duration_ns = 0;
  std::uint64_t tail_ns = 0;  // see PhaseTiming::tail_ns, for the collective's completing event
};

[[nodiscard]] ASTRA_HD_INLINE PhaseTiming phase_timing(const NetworkView& net, const StepCosts& costs, const PhaseSpec& ph) {
  switch (ph.algorithm) {
    case AlgorithmKind::Ring: return ring_phase_timing(net, costs, ph);
    case AlgorithmKind::Direct: return direct_phase_timing(net, costs, ph);
    case AlgorithmKind::HalvingDoubling: return halving_doubling_phase_timing(net, costs, ph);
    default: break;
  }
  PhaseTiming t;
  t.needs_reference = true;
  return t;
}

// `sys` and the collective must already have passed check_network_system / check_collective.
// The phases are walked one at a time (no PhasePlan is stored); distinct queues need only the
// sum and the maximum of the phase durations (flow_shop_finish_ns), and only a localBWAware
// all-reduce that revisits its queues keeps the per-phase durations for the event replay.
[[nodiscard]] ASTRA_HD_INLINE CollectiveTiming collective_timing(const NetworkView& net, const SystemConfig& sys,
                                                   CollectiveKind collective, std::uint64_t size_bytes) {
  CollectiveTiming out;
  if (uses_beyond_model(sys, collective)) {  // opt-in model beyond ASTRA-sim: one closed form, no chunks
    out.duration_ns = beyond_collective_ns(net, sys, collective, size_bytes);
    return out;
  }
  const ChunkPlan chunks = plan_chunks(collective, size_bytes, sys.preferred_dataset_splits, net.total_npus);
  if (chunks.chunk_count == 0) {
    out.status = CollectiveTimingStatus::Unchunkable;
    return out;
  }
  const PhaseSequence seq = phase_sequence(net, sys, collective);
  if (seq.count == 0) {
    out.status = CollectiveTimingStatus::NeedsReference;
    return out;
  }
  StepCosts costs;
  costs.endpoint_delay_ns = static_cast<std::uint64_t>(sys.endpoint_delay_ns);
  costs.local_mem_bytes_per_s = local_mem_bytes_per_s(sys.local_mem_bw_GBps);
  std::uint64_t phase_ns[kMaxPhases], tail_ns[kMaxPhases];  // read only by the event replay
  std::int32_t queue[kMaxPhases];
  std::uint64_t bytes = chunks.chunk_bytes, sum_ns = 0, max_ns = 0, last_tail_ns = 0;
  for (int j = 0; j < seq.count; ++j) {
    const PhaseSpec ph = sequence_phase(net, sys, seq, j, bytes);
    if (ph.algorithm == AlgorithmKind::DoubleBinaryTree) {  // outside the fast path
      out.status = CollectiveTimingStatus::NeedsReference;
      return out;
    }
    const PhaseTiming t = phase_timing(net, costs, ph);
    if (t.needs_reference) {
      out.status = CollectiveTimingStatus::NeedsReference;
      return out;
    }
    sum_ns += t.duration_ns;
    if (t.duration_ns > max_ns) max_ns = t.duration_ns;
    last_tail_ns = t.tail_ns;
    phase_ns[j] = t.duration_ns;
    tail_ns[j] = t.tail_ns;
    queue[j] = ph.queue;
  }
  out.tail_ns = last_tail_ns;
  const std::uint64_t a =
      sys.active_chunks_per_dimension < 1 ? 1 : static_cast<std::uint64_t>(sys.active_chunks_per_dimension);
  if (!seq.revisits_queues() || a >= chunks.chunk_count) {
    out.duration_ns = flow_shop_finish_ns(sum_ns, max_ns, chunks.chunk_count, a);
    return out;
  }
  const PipelineResult p = reentrant_queues_finish(phase_ns, tail_ns, queue, seq.count, chunks.chunk_count, a);
  if (p.needs_reference) out.status = CollectiveTimingStatus::NeedsReference;
  out.duration_ns = p.finish_ns;
  return out;
}

}  // namespace astra
