// What halvingDoubling changes in the ring's step plan (spec 4.8.3;
// host/reference/halving_doubling_algorithm.cpp, the fast evaluator's halving_doubling_phase.hpp).
// lg = floor(log2 p); always clockwise; window 1, non-zero group lg - 1:
//
//   step          1     2     3   |  4     5     6        (AR, p = 8)
//   peer offset   1     2     4   |  4     2     1        index/offset even: forward, odd: back
//   message       D/2   D/4   D/8 |  D/8   D/4   D/2
//
// RS and AR start at offset 1 with D/2 and double the offset / halve the message after every
// packet; AR turns round when the offset reaches p (the step is undone at once). AG starts at
// offset p/2 with D and halves the offset / doubles the message. Sends: 2 lg (AR) or lg.
// A packet's peer and size are stored when it is inserted (up to kAwareHdPackets queued), since
// the stream's offset and size move on before the packet is sent.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/stream_peers.hpp"

namespace astra::aware {

// After start_ring_phase: the direction, sends, first message size, offset and peer.
ASTRA_HD_INLINE void start_halving_doubling_phase(AwareStream& st, const PhaseSpec& ph) {
  const std::int64_t p = ph.ring.n;
  const std::uint64_t data = ph.input_bytes;
  std::int64_t lg = 0;
  while ((std::int64_t{1} << (lg + 1)) <= p) ++lg;
  st.clockwise = 1;
  st.sends_left = ph.op == CollectiveKind::AllReduce ? 2 * lg : lg;
  switch (ph.op) {
    case CollectiveKind::AllGather: st.message_bytes = data, st.rank_offset = p / 2, st.factor = 0.5; break;
    default: st.message_bytes = data / 2, st.rank_offset = 1, st.factor = 2.0; break;
  }
  hd_set_peer(st);
}

// Stores the peer and size of the packet being inserted; false when kAwareHdPackets are queued.
ASTRA_HD_INLINE bool store_halving_doubling_packet(AwareStream& st) {
  if (st.inserted - st.popped >= static_cast<std::uint32_t>(kAwareHdPackets)) return false;
  st.hd_to[st.inserted % kAwareHdPackets] = static_cast<std::int32_t>(st.send_to);
  st.hd_bytes[st.inserted % kAwareHdPackets] = st.message_bytes;
  return true;
}

// After a packet is inserted: the next peer offset and message size; an all-reduce turns round
// at offset p.
ASTRA_HD_INLINE void next_halving_doubling_step(AwareStream& st) {
  st.rank_offset = static_cast<std::int64_t>(static_cast<double>(st.rank_offset) * st.factor);
  st.message_bytes = static_cast<std::uint64_t>(static_cast<double>(st.message_bytes) / st.factor);
  if (st.rank_offset == st.ring_n && static_cast<CollectiveKind>(st.op) == CollectiveKind::AllReduce) {
    st.factor = 0.5;
    st.rank_offset = static_cast<std::int64_t>(static_cast<double>(st.rank_offset) * st.factor);
    st.message_bytes = static_cast<std::uint64_t>(static_cast<double>(st.message_bytes) / st.factor);
  }
  hd_set_peer(st);
}

}  // namespace astra::aware
