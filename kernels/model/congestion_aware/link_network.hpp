// The congestion-aware network (spec 2.3, 3.3; host/reference/network.cpp and
// congestion_aware_network.cpp): send/receive matching by (size, tag, src, dst) and sequence
// number (message_keys.hpp), and every directed link a FIFO that serves one message at a time,
// store-and-forward, along the routes of link_table.hpp:
//
//   send --> offer(first hop) --link busy--> wait in the link's FIFO
//                             --link free--> start: HopDone at now + latency + size/bandwidth,
//                                                   LinkFree at now + size/bandwidth
//   HopDone --> not there yet: offer(next hop)
//           --> at its destination: the receive posted? run the stream's Received handler
//   receive posted after the arrival --> ReceiveHandler event at now
// In the quotient (quotient_symmetry.hpp) a message takes its links' orbit representatives and
// is delivered to NPU 0, keyed by its sender's image.
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/aware_simulation_state.hpp"
#include "kernels/model/congestion_aware/event_heap.hpp"
#include "kernels/model/congestion_aware/link_table.hpp"
#include "kernels/model/congestion_aware/message_keys.hpp"
#include "kernels/model/congestion_aware/quotient_symmetry.hpp"

namespace astra::aware {

ASTRA_HD inline void AwareSimulation::send(std::int32_t src, std::int32_t dst, std::uint64_t size_bytes,
                                           std::int32_t tag) {
  // the quotient (NPU 0 alone) delivers the message to NPU 0 as its image from NPU key_src
  const std::int32_t key_src = quotient_ ? quotient_image(src, dst) : src;
  KeyCounters* k = keys_.find(MessageKey{size_bytes, static_cast<std::uint32_t>(tag),
                                         static_cast<std::uint16_t>(key_src),
                                         static_cast<std::uint16_t>(quotient_ ? 0 : dst)});
  if (!k) full_ = true;
  const std::int32_t m = src == dst ? -1 : new_message();  // to itself: the reference throws
  if (!k || m < 0) {
    failed_ = true;
    return;
  }
  AwareMessage& msg = s_.messages[m];
  msg.size_bytes = size_bytes;
  msg.tag = static_cast<std::uint32_t>(tag);
  msg.src = key_src;
  msg.seq = k->sent++;
  msg.cur = src;
  msg.dst = dst;
  msg.in_switch = 0;
  offer(m);
}

ASTRA_HD inline void AwareSimulation::receive(std::int32_t src, std::int32_t dst, std::uint64_t size_bytes,
                                              std::int32_t stream) {
  KeyCounters* k = keys_.find(MessageKey{size_bytes, static_cast<std::uint32_t>(s_.streams[stream].tag),
                                         static_cast<std::uint16_t>(src), static_cast<std::uint16_t>(dst)});
  if (!k) {
    full_ = failed_ = true;
    return;
  }
  const std::uint32_t seq = k->posted++;
  if (k->arrived > seq) {
    schedule(now_, EventKind::ReceiveHandler, stream);  // already there
    keys_.erase_if_settled(k);
  }
}

ASTRA_HD inline void AwareSimulation::offer(std::int32_t m) {
  AwareMessage& msg = s_.messages[m];
  std::int64_t link;
  if (msg.in_switch) {
    link = switch_down_link(links_, msg.cur, msg.dim);
    msg.hop_next = msg.cur;
    msg.hop_into_switch = 0;
    msg.hop_dim = msg.dim;
  } else {
    const Hop h = next_hop(links_, msg.cur, msg.dst);
    link = h.link;
    msg.hop_next = static_cast<std::int32_t>(h.next_npu);
    msg.hop_into_switch = h.into_switch ? 1 : 0;
    msg.hop_dim = static_cast<std::int8_t>(h.dim);
  }
  if (quotient_) {  // the orbit's representative, touched from the sender's image
    std::int32_t object = 0;
    link = quotient_link(link, object);
    quotient_touch_link(object, msg);
  }
  AwareLink& l = s_.links[link];
  if (l.busy) {
    msg.next = -1;
    if (l.tail < 0) l.head = m; else s_.messages[l.tail].next = m;
    l.tail = m;
  } else {
    start(static_cast<std::int32_t>(link), m);
  }
}

ASTRA_HD inline void AwareSimulation::start(std::int32_t link, std::int32_t m) {
  s_.links[link].busy = 1;
  s_.links[link].start_ns = now_;
  AwareMessage& msg = s_.messages[m];
  msg.hop_start_ns = now_;
  const double serialization_ns = static_cast<double>(msg.size_bytes) / links_.bytes_per_ns[msg.hop_dim];
  schedule(now_ + static_cast<std::uint64_t>(links_.latency_ns[msg.hop_dim] + serialization_ns), EventKind::HopDone, m);
  schedule(now_ + static_cast<std::uint64_t>(serialization_ns), EventKind::LinkFree, link);
}

ASTRA_HD inline void AwareSimulation::link_free(std::int32_t link) {
  AwareLink& l = s_.links[link];
  l.busy = 0;
  if (l.head >= 0) {
    const std::int32_t m = l.head;
    if (quotient_) {
      std::int32_t object = 0;
      quotient_link(link, object);
      quotient_touch_link(object, s_.messages[m]);
    }
    l.head = s_.messages[m].next;
    if (l.head < 0) l.tail = -1;
    start(link, m);
  }
}

ASTRA_HD inline void AwareSimulation::hop_done(std::int32_t m) {
  AwareMessage& msg = s_.messages[m];
  msg.cur = msg.hop_next;
  msg.in_switch = msg.hop_into_switch;
  msg.dim = msg.hop_dim;
  if (msg.in_switch || msg.cur != msg.dst) {
    offer(m);
    return;
  }
  const std::int32_t dst = quotient_ ? 0 : msg.dst;  // the quotient: NPU 0 receives the image
  if (quotient_) quotient_touch_npu(msg.src, msg.tag);
  KeyCounters* k = keys_.find(MessageKey{msg.size_bytes, msg.tag, static_cast<std::uint16_t>(msg.src),
                                         static_cast<std::uint16_t>(dst)});
  const std::uint32_t seq = msg.seq;
  const std::int32_t stream = slot_of(dst, static_cast<std::int32_t>(msg.tag));
  msg.next = free_message_;
  free_message_ = m;
  if (!k || k->arrived != seq) {  // overtaken: matching by order would be wrong
    failed_ = true;
    return;
  }
  ++k->arrived;
  const bool posted = k->posted > seq;
  keys_.erase_if_settled(k);  // before the handler: it may send and receive (and move entries)
  if (posted) {
    if (s_.streams[stream].tag != static_cast<std::int32_t>(msg.tag)) {  // slot reused: beyond this model
      failed_ = true;
      return;
    }
    algorithm_received(stream);
  }
}

}  // namespace astra::aware
