// The ring's step plan of one phase of a chunk (spec 4.8.1; host/reference/ring_algorithm.cpp,
// the fast evaluator's ring_phase.hpp): how many sends, how big a message, which neighbours.
//
//      NPU i-1 ---> NPU i ---> NPU i+1        clockwise (localBWAware all-gather phases of an
//                                             all-reduce run the other way round)
//     op   sends         message bytes         (D = the phase's input bytes, p = ring size)
//     AR   2(p-1)        D/p
//     RS   p-1           D/p
//     AG   p-1           D
//     A2A  p(p-1)/2      D/p
//
// Every phase starts from this plan (as the reference's algorithms derive from its ring):
// aware_direct_phase.hpp and aware_halving_doubling_phase.hpp then change what differs. The
// ring's packets all go to send_to and come from receive_from (stream_peers.hpp); its window is
// one packet and its non-zero group p - 1 packets (aware_packet_engine.hpp).
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/stream_peers.hpp"

namespace astra::aware {

// The stream's place on its ring (ring_n, ring_offset, ring_index, ring_base) and direction
// (clockwise) are set; this sets sends_left, message_bytes and the two neighbours.
ASTRA_HD_INLINE void start_ring_phase(AwareStream& st, const PhaseSpec& ph) {
  const std::int64_t p = ph.ring.n;
  const std::int64_t me = st.npu;
  const bool clockwise = st.clockwise != 0;
  const std::uint64_t data = ph.input_bytes;
  const std::uint64_t up = static_cast<std::uint64_t>(p);
  switch (ph.op) {
    case CollectiveKind::AllReduce: st.sends_left = 2 * (p - 1); st.message_bytes = data / up; break;
    case CollectiveKind::AllGather: st.sends_left = p - 1; st.message_bytes = data; break;
    case CollectiveKind::ReduceScatter: st.sends_left = p - 1; st.message_bytes = data / up; break;
    case CollectiveKind::AllToAll: st.sends_left = (p - 1) * p / 2; st.message_bytes = data / up; break;
  }
  st.send_to = ring_step(st, me, clockwise ? 1 : -1);
  st.receive_from = ring_step(st, me, clockwise ? -1 : 1);
}

}  // namespace astra::aware
