// One NPU instead of all of them, where the run is symmetric: the congestion-aware simulation
// "modulo" a group of NPU relabellings that leaves the network, the routes and every collective's
// communication pattern unchanged. Per network dimension (every phase of a dimension on its
// whole ring; astra-sweep's multi-dimensional routes fix one digit per dimension in order, and
// each dimension's relabelling moves only its own digit):
//
//   ring, direct on Switch, FullyConnected, Ring      rotations of the digit  i -> i + r mod n
//     (each NPU sends +1 / +k places round, receives from as far the other way; a ring's
//     routes take the shorter way, a tie clockwise: the same for every i)
//   halvingDoubling on Switch, FullyConnected, n = 2^m   "xor" of the digit  i -> i ^ r
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
//   from NPU 3                                 0 -> offset; Ring: 0 -> 1, 0 -> n-1; in NPU 0's
//                                              group of the link's dimension): the messages NPU 0
//                                              sends through any link of an orbit are the images
//                                              of what the representative carries
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
// Two touches of one tick are also safe when their events were scheduled at different ticks:
// the earlier-scheduled one runs first, on every NPU alike. Each object keeps the touches of its
// current tick (up to kQuotientTouches) and checks a new one against each; an unsafe pair ends
// the quotient, and run() simulates every NPU (counted; the answer is the same either way).
// Not used: doubleBinaryTree, a mix of ring/direct and halvingDoubling in one dimension (no
// common group), halvingDoubling on a Ring dimension or on n != 2^m, the one* algorithms on
// several dimensions (their ring spans all digits).
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/aware_simulation_state.hpp"
#include "kernels/model/congestion_aware/link_table.hpp"

namespace astra::aware {

// Narrows each dimension's group (kQuotientAny: no phase seen yet) to what `plan`'s phases are
// symmetric under; false when some dimension has none.
ASTRA_HD_INLINE bool quotient_groups_of_plan(const LinkTable& links, const PhasePlan& plan, std::uint8_t* groups) {
  if (plan.uses_double_binary_tree) return false;
  for (std::int32_t k = 0; k < plan.count; ++k) {
    const PhaseSpec& ph = plan.phases[k];
    if (ph.ring.global && links.dims != 1) return false;
    const int d = ph.ring.global ? 0 : ph.ring.dim;
    const std::int64_t n = links.n[d];
    if (ph.ring.n != n) return false;
    std::uint8_t g = kQuotientNone;
    if (ph.algorithm == AlgorithmKind::Ring || ph.algorithm == AlgorithmKind::Direct) {
      g = kQuotientRotation;
    } else if (ph.algorithm == AlgorithmKind::HalvingDoubling && links.topology[d] != TopologyKind::Ring &&
               (n & (n - 1)) == 0) {
      g = kQuotientXor;
    }
    if (n == 2 && g != kQuotientNone) g = kQuotientRotation;  // on two NPUs both groups are one swap
    groups[d] = groups[d] == kQuotientAny || groups[d] == g ? g : kQuotientNone;
    if (groups[d] == kQuotientNone) return false;
  }
  return true;
}

// Where NPU x is seen from the frame that moves `anchor` to NPU 0 (digit by digit).
ASTRA_HD inline std::int32_t AwareSimulation::quotient_image(std::int64_t x, std::int64_t anchor) const {
  std::int64_t image = 0;
  for (int d = 0; d < links_.dims; ++d) {
    const std::int64_t n = links_.n[d];
    const std::int64_t a = npu_digit(links_, x, d), b = npu_digit(links_, anchor, d);
    image += (quotient_groups_[d] == kQuotientXor ? (a ^ b) : ((a - b) % n + n) % n) * links_.stride[d];
  }
  return static_cast<std::int32_t>(image);
}

// The representative of `link`'s orbit (a link index, in NPU 0's group of its dimension) and
// its touch-tracking object (quotient_object_base_ of the dimension, then per dimension: Switch
// up / down and Ring clockwise / counter-clockwise 0 and 1, FullyConnected the offset).
ASTRA_HD inline std::int64_t AwareSimulation::quotient_link(std::int64_t link, std::int32_t& object) const {
  int d = 0;
  while (d + 1 < links_.dims && link >= links_.first[d + 1]) ++d;
  const std::int64_t n = links_.n[d];
  const std::int64_t local = (link - links_.first[d]) % links_.per_group[d];
  if (links_.topology[d] == TopologyKind::FullyConnected) {  // i -> j: 0 -> j's image
    const std::int64_t i = local / n, j = local % n;
    const std::int64_t rep = quotient_groups_[d] == kQuotientXor ? (i ^ j) : ((j - i) % n + n) % n;
    object = quotient_object_base_[d] + static_cast<std::int32_t>(rep);
    return links_.first[d] + rep;
  }
  // Switch (up i: i, down j: n + j) and Ring (clockwise i: i, counter-clockwise: n + i; two
  // NPUs: one link per direction at i)
  const bool second = local >= n;
  object = quotient_object_base_[d] + (second ? 1 : 0);
  return links_.first[d] + (second ? n : 0);
}

// Each dimension's first touch-tracking object; false when they need more than the scratch holds.
ASTRA_HD inline bool AwareSimulation::quotient_number_objects() {
  std::int32_t next = 0;
  for (int d = 0; d < links_.dims; ++d) {
    quotient_object_base_[d] = next;
    next += links_.topology[d] == TopologyKind::FullyConnected ? static_cast<std::int32_t>(links_.n[d]) : 2;
  }
  return next <= kQuotientNpuObject;
}

// `object` (a representative link, or kQuotientNpuObject: NPU 0's receive side and registry) is
// touched now, by an event scheduled at scheduled_ns_, from NPU `sender` (an image) for `stream`
// (with `bytes` where the size matters); see above for when two touches of one tick end the
// quotient.
ASTRA_HD inline void AwareSimulation::quotient_touch(std::int32_t object, std::int32_t sender, std::int64_t stream,
                                                     std::uint64_t bytes) {
  QuotientTouches& t = s_.quotient_touches[object];
  if (t.tick != now_) {
    t.tick = now_;
    t.count = 0;
  }
  bool seen = false;  // an equal touch is already kept: nothing new to check against later
  for (std::int32_t i = 0; i < t.count; ++i) {
    const QuotientTouch& o = t.touches[i];
    const bool same_stream = o.stream == stream && o.bytes == bytes;
    if (o.sender != sender && !same_stream && o.scheduled_ns == scheduled_ns_) {
      asymmetric_ = failed_ = true;
      return;
    }
    seen = seen || (o.sender == sender && same_stream && o.scheduled_ns == scheduled_ns_);
  }
  if (seen) return;
  if (t.count == kQuotientTouches) {
    asymmetric_ = failed_ = true;
    return;
  }
  t.touches[t.count++] = QuotientTouch{bytes, stream, scheduled_ns_, sender};
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
