// A collective's chunks (streams) through their phases and the per-dimension queues (spec
// 4.3-4.5; NpuSystem::generate_collective, proceed, fill in host/reference/npu_system.cpp):
//
//   generate_collective --chunk--> stream 0 [phase 0, queue q0] -> [phase 1, queue q1] -> ... -> done
//                                  stream 1 [phase 0, queue q0] -> ...
//   queue q runs at most active-chunks-per-dimension streams; waiting ones start (the phase
//   algorithm's Init) in arrival order. The collective finishes with its last chunk.
//
// A stream's slot is its NPU's block of chunk slots at tag mod slots_per_npu: slots are reused
// from collective to collective, and a handler that finds its slot reused hands the point back.
#pragma once

#include <cstdint>

#include "kernels/model/chunking.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/aware_simulation_state.hpp"

namespace astra::aware {

ASTRA_HD inline std::int32_t AwareSimulation::slot_of(std::int32_t npu, std::int32_t tag) const {
  return npu * slots_per_npu_ + tag % slots_per_npu_;
}

// Sys::generate_collective: chunks with consecutive stream ids (tags), each queued at once.
ASTRA_HD inline void AwareSimulation::generate_collective(std::int32_t npu_id, CollectiveKind collective,
                                                          std::uint64_t size_bytes) {
  AwareNpu& n = s_.npus[npu_id];
  const ChunkPlan chunks = plan_chunks(collective, size_bytes, sys_.preferred_dataset_splits, links_.total_npus);
  n.dataset_streams = static_cast<std::int32_t>(chunks.chunk_count);
  n.finished_streams = 0;
  n.collective = collective;
  plan_phases_into(s_.plans[npu_id], view_, sys_, collective, chunks.chunk_bytes);  // one plan for all its chunks
  for (std::int32_t k = 0; k < n.dataset_streams && !failed_; ++k) {
    const std::int32_t tag = n.next_stream_id++;
    const std::int32_t id = slot_of(npu_id, tag);
    AwareStream& st = s_.streams[id];
    if (st.used && !st.finished) {  // more chunks alive than slots
      full_ = failed_ = true;
      return;
    }
    st.used = 1;
    st.npu = npu_id;
    st.tag = tag;
    st.phase = -1;
    st.queue = -1;
    st.finished = 0;
    st.next_waiting = -1;
    enter_next_phase(id);  // Stream::proceed of a new chunk: its first phase (run() saw the plan has one)
  }
}

// Stream::proceed: the chunk's next phase, or, after its last, the chunk is finished.
ASTRA_HD inline void AwareSimulation::proceed(std::int32_t id) {
  AwareStream& st = s_.streams[id];
  const std::int32_t npu_id = st.npu;
  AwareNpu& npu = s_.npus[npu_id];
  if (st.finished) {  // the reference would erase a stream that is in no queue
    failed_ = true;
    return;
  }
  // a chunk's collective is its NPU's collective in flight (one at a time; the next is issued
  // only once every chunk has finished)
  if (st.phase + 1 < s_.plans[npu_id].count) {
    enter_next_phase(id);
    return;
  }
  // the chunk finished its last phase; this may complete the collective (and issue the next
  // node, whose new chunks enter their first phase) before the chunk leaves its queue
  const int previous = st.queue;
  st.finished = 1;
  if (++npu.finished_streams == npu.dataset_streams) node_finished(npu_id, npu.comm_node);
  if (previous >= 0) stream_removed(npu_id, previous);
}

// The part of Stream::proceed that moves a chunk into its next phase and queue. It never
// finishes a chunk, so it never completes a node: proceed -> node_finished ->
// generate_collective -> enter_next_phase ends here, and the aware simulation has no recursion
// (a device thread's stack size stays statically known). A chunk without a next phase is a
// plan run() did not check: handed back rather than finished here.
ASTRA_HD inline void AwareSimulation::enter_next_phase(std::int32_t id) {
  AwareStream& st = s_.streams[id];
  const std::int32_t npu_id = st.npu;
  AwareNpu& npu = s_.npus[npu_id];
  if (st.phase + 1 >= s_.plans[npu_id].count) {
    failed_ = true;
    return;
  }
  const int previous = st.queue;
  ++st.phase;
  const PhaseSpec& ph = s_.plans[npu_id].phases[st.phase];
  st.queue = static_cast<std::int8_t>(ph.queue);
  start_phase(id, ph);
  // queue it (one priority for all chunks of a collective: FIFO at the end)
  st.next_waiting = -1;
  const int q = ph.queue;
  if (npu.waiting_tail[q] < 0) npu.waiting_head[q] = id; else s_.streams[npu.waiting_tail[q]].next_waiting = id;
  npu.waiting_tail[q] = id;
  if (previous >= 0) stream_removed(npu_id, previous);
  fill(npu_id, q);
}

ASTRA_HD inline void AwareSimulation::stream_removed(std::int32_t npu, int queue) {
  --s_.npus[npu].running[queue];
  fill(npu, queue);
}

ASTRA_HD inline void AwareSimulation::fill(std::int32_t npu_id, int q) {
  AwareNpu& npu = s_.npus[npu_id];
  while (!failed_ && npu.waiting_head[q] >= 0 && npu.running[q] < sys_.active_chunks_per_dimension) {
    const std::int32_t id = npu.waiting_head[q];
    npu.waiting_head[q] = s_.streams[id].next_waiting;
    if (npu.waiting_head[q] < 0) npu.waiting_tail[q] = -1;
    ++npu.running[q];
    algorithm_init(id);
  }
}

}  // namespace astra::aware
