// One phase of halvingDoubling (also oneHalvingDoubling), spec 4.8.3. lg = floor(log2 p). p is a
// power of two, or for all-gather 2^a (2^b + 1), a >= b >= 1 (config_check.hpp
// halving_doubling_completes rejects the rest: ASTRA-sim never finishes them). Offsets then go
// p/2, p/4, ... truncated (p = 6: 3, 1), every step's peers pair up, and every NPU still moves in
// lockstep with the same delays (a delay depends only on the offset, network_delay.hpp), so the
// closed form below holds unchanged.
//
//   step          1     2     3   |  4     5     6        (AR, p = 8)
//   peer offset   1     2     4   |  4     2     1        index/offset even: forward, odd: back
//   message       D/2   D/4   D/8 |  D/8   D/4   D/2
//
// RS and AR start at offset 1 with D/2 and double the offset / halve the message after every
// packet; AR turns round when the offset reaches p (the step is undone at once). AG starts at
// offset p/2 with D and halves the offset / doubles the message. Sends S = 2 lg (AR) or lg.
// Window W = 1 and G = lg - 1, so one step at a time, as in the ring:
//
//     T = d + sum_{i=1..S} (L_i + d + [packet i+1 processed] * R(msg_{i+1}))
//
// where packet i carries (offset_i, msg_i), L_i = delay(offset_i, msg_i), and a processed
// bundle is charged with the size of the packet it inserts (ASTRA-sim's order).
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"
#include "kernels/model/network_delay.hpp"
#include "kernels/model/packet_engine.hpp"
#include "kernels/model/phase_plan.hpp"

namespace astra {

[[nodiscard]] ASTRA_HD_INLINE PhaseTiming halving_doubling_phase_timing(const NetworkView& net, const StepCosts& costs,
                                                          const PhaseSpec& ph) {
  // p <= 2^20 (check_network_system): offsets, steps and packet indices are 32-bit
  const std::uint32_t p = static_cast<std::uint32_t>(ph.ring.n);
  std::uint32_t lg = 0;
  while ((std::uint32_t{1} << (lg + 1)) <= p) ++lg;
  const std::uint64_t d = costs.endpoint_delay_ns;
  const bool ar = ph.op == CollectiveKind::AllReduce;
  const std::uint32_t sends = ar ? 2 * lg : lg;
  const std::uint32_t zero_group = 1, nonzero_group = lg - 1;
  std::uint32_t offset;
  std::uint64_t msg;
  bool doubling;  // offset x2 / message /2 (else offset /2, message x2)
  if (ph.op == CollectiveKind::AllGather) {
    offset = p / 2; msg = ph.input_bytes; doubling = false;
  } else {
    offset = 1; msg = ph.input_bytes / 2; doubling = true;
  }
  PhaseTiming t;
  t.duration_ns = d;
  for (std::uint32_t i = 1; i <= sends + 1; ++i) {
    // packet i carries (offset, msg); its bundle is created on receive i-1 (init for i = 1)
    if (i >= 2) {
      const bool processed = packet_is_processed(i, zero_group, nonzero_group, ph.op);
      const std::uint64_t r = processed ? reduction_ns(costs, msg) : 0;
      t.duration_ns += d + r;
      if (i == sends + 1) t.tail_ns = processed ? r : d;
    }
    if (i <= sends) t.duration_ns += ring_peer_delay_ns(net, ph.ring, static_cast<std::int64_t>(offset), msg);
    if (doubling) {
      offset *= 2; msg /= 2;
      if (offset == p && ar) {
        doubling = false;
        offset /= 2; msg *= 2;
      }
    } else {
      offset /= 2; msg *= 2;
    }
  }
  return t;
}

}  // namespace astra
