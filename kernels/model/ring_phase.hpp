// One phase of the ring algorithm (also oneRing), spec 4.8.1.
//
//      NPU i-1 ---> NPU i ---> NPU i+1        window W = 1, non-zero group G = p - 1
//
// Every NPU sends to its next neighbour and receives from its previous one, one message at a
// time, in lockstep with all other NPUs (the run is symmetric). One step: the message takes
// L = delay(offset 1, msg); on arrival the next packet's bundle costs d (+ reduction R when that
// packet is processed). The first send waits one bundle (d). So
//
//     T = d + sum_{i=1..S} (L + d + [packet i+1 processed] * R)
//
//     op   sends S      msg    reductions
//     AR   2(p-1)       D/p    first p-1 receives
//     RS   p-1          D/p    every receive
//     AG   p-1          D      none
//     A2A  p(p-1)/2     D/p    none
//
// Worked example (golden A-core-0001): p = 2, 50 GB/s, 500 ns, d = 10, AR of a 256 B chunk:
// msg 128, L = floor(500 + 128/53.687) = 502, R = 0, T = 10 + 2 * 512 = 1034 per chunk.
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"
#include "kernels/model/network_delay.hpp"
#include "kernels/model/packet_engine.hpp"
#include "kernels/model/phase_plan.hpp"

namespace astra {

[[nodiscard]] ASTRA_HD_INLINE std::uint64_t ring_send_count(CollectiveKind op, std::uint64_t p) {
  switch (op) {
    case CollectiveKind::AllReduce: return 2 * (p - 1);
    case CollectiveKind::AllToAll: return p * (p - 1) / 2;
    default: return p - 1;
  }
}

[[nodiscard]] ASTRA_HD_INLINE PhaseTiming ring_phase_timing(const NetworkView& net, const StepCosts& costs, const PhaseSpec& ph) {
  const std::uint64_t p = static_cast<std::uint64_t>(ph.ring.n);
  const std::uint64_t d = costs.endpoint_delay_ns;
  const std::uint64_t msg = ph.op == CollectiveKind::AllGather ? ph.input_bytes : ph.input_bytes / p;
  const std::uint64_t sends = ring_send_count(ph.op, p);
  const std::uint64_t latency = ring_peer_delay_ns(net, ph.ring, 1, msg);
  PhaseTiming t;
  if (ph.op != CollectiveKind::AllReduce && ph.op != CollectiveKind::ReduceScatter) {  // nothing is processed
    t.duration_ns = d + sends * (latency + d);
    t.tail_ns = d;
    return t;
  }
  // sends <= 2(p-1): 32-bit packet indices (packet_engine.hpp)
  const std::uint32_t last = static_cast<std::uint32_t>(sends) + 1;
  const std::uint32_t zero_group = 1, nonzero_group = static_cast<std::uint32_t>(p) - 1;
  const std::uint32_t processed = processed_packets_between(2, last, zero_group, nonzero_group, ph.op);
  const std::uint64_t r = processed ? reduction_ns(costs, msg) : 0;
  t.duration_ns = d + sends * (latency + d) + std::uint64_t{processed} * r;
  t.tail_ns = packet_is_processed(last, zero_group, nonzero_group, ph.op) ? reduction_ns(costs, msg) : d;
  return t;
}

}  // namespace astra
