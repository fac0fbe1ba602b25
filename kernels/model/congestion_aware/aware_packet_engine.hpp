// The packet engine that ring, direct and halvingDoubling share (spec 4.7;
// host/reference/packet_engine.cpp, the fast evaluator's packet_engine.hpp): one phase of one
// chunk (stream) as a state machine over three events.
//
//   S  total sends of the phase (sends_left)        W  parallel window (parallel)
//   packets come in groups: W "zero-latency" packets (never a reduction), then G "non-zero"
//   packets (a reduction for reduce-scatter, and for all-reduce while the toggle is on, i.e.
//   its first half); the toggle flips each time a new pair of groups starts.
//
//   Init      insert W packets                                (algorithm_init)
//   Received  insert one packet                               (algorithm_received)
//   General   free += 1; send the head packet if any send is  (algorithm_general)
//             left and free > 0; when all S sends are done and free == W, the phase ends
//
// Each inserted packet creates a bundle (npu_event_registry.hpp make_bundle): endpoint delay,
// plus 3 local-memory passes when it is a reduction, then a General event. A phase starts
// (start_phase) from the ring's step plan, changed by its algorithm's file:
// aware_ring_phase.hpp, aware_direct_phase.hpp, aware_halving_doubling_phase.hpp; where packet
// k goes and how big it is: stream_peers.hpp.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/congestion_aware/aware_direct_phase.hpp"
#include "kernels/model/congestion_aware/aware_halving_doubling_phase.hpp"
#include "kernels/model/congestion_aware/aware_ring_phase.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/aware_simulation_state.hpp"
#include "kernels/model/congestion_aware/stream_peers.hpp"

namespace astra::aware {

// Stream::proceed's new phase: the stream's place on the phase's ring, its direction, the
// engine's counters, then the algorithm's step plan.
ASTRA_HD inline void AwareSimulation::start_phase(std::int32_t id, const PhaseSpec& ph) {
  AwareStream& st = s_.streams[id];
  const std::int64_t p = ph.ring.n;
  const std::int64_t me = st.npu;
  st.ring_n = p;
  st.ring_offset = ph.ring.global ? 1 : links_.stride[ph.ring.dim];
  st.ring_index = (me % (st.ring_offset * p)) / st.ring_offset;
  st.ring_base = me - st.ring_index * st.ring_offset;
  st.algorithm = static_cast<std::uint8_t>(ph.algorithm);
  st.op = static_cast<std::uint8_t>(ph.op);
  // localBWAware all-gather phases run counter-clockwise (spec 4.4)
  const bool clockwise = !(sys_.local_bw_aware && s_.npus[st.npu].collective == CollectiveKind::AllReduce &&
                           ph.op == CollectiveKind::AllGather);
  st.clockwise = clockwise ? 1 : 0;
  st.parallel = 1;
  st.remaining_messages = 1;
  st.free = st.zero_group = st.nonzero_group = st.received = 0;
  st.toggle = 0;
  st.inserted = st.popped = 0;
  start_ring_phase(st, ph);
  if (ph.algorithm == AlgorithmKind::Direct) {
    start_direct_phase(st, ph);
  } else if (ph.algorithm == AlgorithmKind::HalvingDoubling) {
    start_halving_doubling_phase(st, ph);
  }
}

ASTRA_HD inline void AwareSimulation::insert_packet(std::int32_t id) {
  AwareStream& st = s_.streams[id];
  if (st.zero_group == 0 && st.nonzero_group == 0) {
    st.zero_group = st.parallel;
    st.nonzero_group = nonzero_group_size(st);
    st.toggle = st.toggle ? 0 : 1;
  }
  bool reduction = false;
  if (st.zero_group > 0) {
    --st.zero_group;
  } else if (st.nonzero_group > 0) {
    const CollectiveKind op = static_cast<CollectiveKind>(st.op);
    reduction = op == CollectiveKind::ReduceScatter || (op == CollectiveKind::AllReduce && st.toggle);
    --st.nonzero_group;
  } else {
    failed_ = true;  // the reference throws here
    return;
  }
  if (static_cast<AlgorithmKind>(st.algorithm) == AlgorithmKind::HalvingDoubling) {
    if (!store_halving_doubling_packet(st)) {
      failed_ = true;
      return;
    }
  }
  ++st.inserted;
  make_bundle(id, reduction, st.message_bytes);
  if (static_cast<AlgorithmKind>(st.algorithm) == AlgorithmKind::HalvingDoubling) next_halving_doubling_step(st);
}

ASTRA_HD inline bool AwareSimulation::send_head_packet(std::int32_t id) {
  AwareStream& st = s_.streams[id];
  if (st.inserted == st.popped || st.sends_left == 0 || st.free == 0) return false;
  const std::uint32_t k = st.popped;
  const std::int32_t to = packet_to(st, k), from = packet_from(st, k);
  const std::uint64_t bytes = packet_bytes(st, k);
  send(st.npu, to, bytes, st.tag);
  receive(from, st.npu, bytes, id);
  if (st.remaining_messages > 0) --st.remaining_messages;
  if (st.remaining_messages == 0 && st.sends_left > 0) {
    --st.sends_left;
    if (st.sends_left > 0) st.remaining_messages = 1;
  }
  ++st.popped;
  --st.free;
  return true;
}

ASTRA_HD inline void AwareSimulation::finish_if_done(std::int32_t id) {
  const AwareStream& st = s_.streams[id];
  if (st.sends_left == 0 && st.free == st.parallel) proceed(id);
}

ASTRA_HD inline void AwareSimulation::algorithm_init(std::int32_t id) {
  const std::int64_t w = s_.streams[id].parallel;
  for (std::int64_t i = 0; i < w && !failed_; ++i) insert_packet(id);
}

ASTRA_HD inline void AwareSimulation::algorithm_received(std::int32_t id) {
  ++s_.streams[id].received;
  insert_packet(id);
}

ASTRA_HD inline void AwareSimulation::algorithm_general(std::int32_t id) {
  AwareStream& st = s_.streams[id];
  ++st.free;
  if (in_direct_all_reduce_second_half(st)) {
    direct_all_reduce_second_half_general(id);
    return;
  }
  send_head_packet(id);
  finish_if_done(id);
}

}  // namespace astra::aware
