// One NPU instead of all of them, where the run is symmetric: the congestion-aware simulation
// "modulo" a group of NPU relabellings that leaves the network, the routes and every collective's
// communication pattern unchanged. 1-D networks only (ASTRA-sim's congestion-aware backend
// takes no other), every phase on the whole ring:
//
//   ring, direct on Switch, FullyConnected, Ring      rotations  i -> i + r mod n
//     (each NPU sends +1 / +k places round, receives from as far the other way; a ring's
//     routes take the shorter way, a tie clockwise: the same for every i)
//   halvingDoubling on Switch, FullyConnected, n = 2^m   "xor" relabellings  i -> i ^ r
//     (the peer at offset o is i ^ o)
//
// If every NPU's run is the image of NPU 0's, NPU 0 alone can be simulated:
//
//   full simulation                            quotient (NPU 0 only)
//   NPU n-1 sends to NPU 0 at t                NPU 0 sends to NPU 1 at t; when it arrives at
//                                              NPU 1 it is delivered to NPU 0 as the image of
//                                              "from n-1" (key src = image of 0, dst = 0)
//   link down_0 of a switch carries every      every link is replaced by its orbit's
//   message to NPU 0, up_3 every message       representative (up_0, down_0; FullyConnected:
//   from NPU 3                                 0 -> offset; Ring: 0 -> 1, 0 -> n-1): the messages
//                                              NPU 0 sends through any link of an orbit are the
//                                              images of what the representative carries
//
// The two agree as long as every NPU's state follows NPU 0's, and it does unless events of
// different NPUs meet at one tick on one object (a link's queue, an NPU's receive side and
// event registry) in an order that matters: the global order decides there, and it may differ
// from NPU to NPU. The quotient labels every touch of an object with its origin and gives up
// when one object is touched at one tick in ways whose order may matter. A touch names the
// NPU it comes from (the image of the sender, seen from the object; NPU 0's own events: 0) and
// the stream it is for; two touches of one tick are safe when they come from one NPU (that NPU's
// own order, or one link's FIFO, orders them the same on every NPU) or are for one stream where
// the sender does not matter:
//   a message arriving at NPU 0: the handler only counts the stream's arrivals and inserts its
//     next packet, so two arrivals of one stream leave the same state in either order
//   a message offered to a switch's down link: every message there goes to the same NPU, so two
//     of one stream and one size are interchangeable in the queue
//   a message offered to any other link, NPU 0's own events: only the sender counts
// Touches of one tick are pairwise safe only if they all share the NPU or all share the stream
// (two that differ in the NPU share the stream, and a third must share both's), which is what
// the first touch of the tick and two flags record. Otherwise run() simulates every NPU (counted;
// the answer is the same either way).
// Not used: several network dimensions, doubleBinaryTree, a mix of ring/direct and
// halvingDoubling (no common group), halvingDoubling on a Ring network or on n != 2^m.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/aware_simulation_state.hpp"
#include "kernels/model/congestion_aware/link_table.hpp"

namespace astra::aware {

// The group a phase plan is symmetric under on this 1-D network: kQuotientAny before any phase,
// kQuotientNone when there is none.
ASTRA_HD_INLINE std::uint8_t quotient_group_of_plan(const LinkTable& links, const PhasePlan& plan, std::uint8_t group) {
  const std::int64_t n = links.n[0];
  if (links.dims != 1 || n < 2 || plan.uses_double_binary_tree) return kQuotientNone;
  for (std::int32_t k = 0; k < plan.count && group != kQuotientNone; ++k) {
    const PhaseSpec& ph = plan.phases[k];
    if (ph.ring.n != n) return kQuotientNone;
    std::uint8_t g = kQuotientNone;
    if (ph.algorithm == AlgorithmKind::Ring || ph.algorithm == AlgorithmKind::Direct) {
      g = kQuotientRotation;
    } else if (ph.algorithm == AlgorithmKind::HalvingDoubling && links.topology[0] != TopologyKind::Ring &&
               (n & (n - 1)) == 0) {
      g = kQuotientXor;
    }
    if (n == 2 && g != kQuotientNone) g = kQuotientRotation;  // on two NPUs both groups are one swap
    group = group == kQuotientAny || group == g ? g : kQuotientNone;
  }
  return group;
}

// Where NPU x is seen from the frame that moves `anchor` to NPU 0.
ASTRA_HD inline std::int32_t AwareSimulation::quotient_image(std::int64_t x, std::int64_t anchor) const {
  const std::int64_t n = links_.n[0];
  return static_cast<std::int32_t>(quotient_ == kQuotientXor ? (x ^ anchor) : ((x - anchor) % n + n) % n);
}

// The representative of `link`'s orbit (a link index) and its touch-tracking object.
ASTRA_HD inline std::int64_t AwareSimulation::quotient_link(std::int64_t link, std::int32_t& object) const {
  const std::int64_t n = links_.n[0];
  if (links_.topology[0] == TopologyKind::FullyConnected) {
    const std::int64_t rep = quotient_image(link % n, link / n);  // i -> j: 0 -> j's image
    object = static_cast<std::int32_t>(rep);
    return rep;
  }
  // Switch (up i: i, down j: n + j) and Ring (clockwise i: i, counter-clockwise: n + i; two
  // NPUs: one link per direction at i)
  const bool second = link >= n;
  object = second ? 1 : 0;
  return second ? n : 0;
}

// `object` (a representative link, or kQuotientNpuObject: NPU 0's receive side and registry) is
// touched now from NPU `sender` (an image) for `stream` (with `bytes` where the size matters);
// see above for when two touches of one tick end the quotient.
ASTRA_HD inline void AwareSimulation::quotient_touch(std::int32_t object, std::int32_t sender, std::int64_t stream,
                                                     std::uint64_t bytes) {
  QuotientTouch& t = s_.quotient_touches[object];
  if (t.tick != now_) {
    t = QuotientTouch{now_, bytes, stream, sender, 1, 1};
    return;
  }
  t.same_sender = t.same_sender && t.sender == sender;
  t.same_stream = t.same_stream && t.stream == stream && t.bytes == bytes;
  if (!t.same_sender && !t.same_stream) asymmetric_ = failed_ = true;
}

// Own events and arrivals at NPU 0; a message taking (or starting on) its link's representative.
ASTRA_HD inline void AwareSimulation::quotient_touch_npu(std::int32_t sender, std::int64_t stream) {
  quotient_touch(kQuotientNpuObject, sender, stream, 0);
}
ASTRA_HD inline void AwareSimulation::quotient_touch_link(std::int32_t object, const AwareMessage& msg) {
  const std::int32_t sender = quotient_image(0, msg.cur);
  if (msg.in_switch) {
    quotient_touch(object, sender, msg.tag, msg.size_bytes);
  } else {
    quotient_touch(object, sender, -1 - static_cast<std::int64_t>(sender), 0);  // the sender alone
  }
}

}  // namespace astra::aware
