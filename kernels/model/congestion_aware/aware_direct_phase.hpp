// What the direct algorithm changes in the ring's step plan (spec 4.8.2;
// host/reference/direct_algorithm.cpp, the fast evaluator's direct_phase.hpp):
//
//            +1 --->  NPU i+1           window W = p - 1 (or min(N, p - 1) for directN)
//   NPU i -- +2 --->  NPU i+2           packets in flight, non-zero group G = W; packet k goes
//            +3 --->  NPU i+3           to offset (k mod (p-1)) + 1 and comes from the same
//                                       offset backwards (stream_peers.hpp packet_to/from)
//
// All-to-all sends p - 1 messages (one to every other NPU). An all-reduce sends 2(p-1): once its
// sends left are <= p - 1 (its second half), a General does nothing until all p - 1 first-half
// messages have arrived, then sends as many as the free window allows.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/aware_simulation_state.hpp"

namespace astra::aware {

// After start_ring_phase: the window, all-to-all's sends and the all-reduce's half-way mark.
ASTRA_HD_INLINE void start_direct_phase(AwareStream& st, const PhaseSpec& ph) {
  const std::int64_t p = ph.ring.n;
  st.parallel = ph.window < 0 ? p - 1 : (ph.window < p - 1 ? ph.window : p - 1);
  if (ph.op == CollectiveKind::AllToAll) st.sends_left = p - 1;
  st.middle = p - 1;
}

// A General of this stream falls in the second half of a direct all-reduce.
ASTRA_HD_INLINE bool in_direct_all_reduce_second_half(const AwareStream& st) {
  return static_cast<AlgorithmKind>(st.algorithm) == AlgorithmKind::Direct &&
         static_cast<CollectiveKind>(st.op) == CollectiveKind::AllReduce && st.sends_left <= st.middle;
}

// A General in the second half of a direct all-reduce (its `free` already counted): wait until
// every first-half message has arrived, then send as many as the window allows.
ASTRA_HD_INLINE void AwareSimulation::direct_all_reduce_second_half_general(std::int32_t id) {
  const AwareStream& st = s_.streams[id];
  if (st.received < st.middle) return;
  for (std::int64_t i = 0; i < st.parallel; ++i) send_head_packet(id);
  finish_if_done(id);
}

}  // namespace astra::aware
