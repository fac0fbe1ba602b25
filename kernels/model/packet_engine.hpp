// What Ring, Direct and HalvingDoubling share: ASTRA-sim's "packet" state machine (spec 4.6, 4.7)
// and what one phase of it costs.
//
// Every step is a packet bundle: it fires `d` ns (endpoint delay) after it is created; a
// *processed* bundle (a reduction) then waits 3 * floor(msg / M) ns more (one write and two read
// passes over local memory at M = local-mem-bw * 1e9 bytes/s), and then the algorithm gets a
// General event. Packets come in pairs of groups: W zero-latency packets (never processed),
// then G non-zero packets (processed for reduce-scatter, and for all-reduce while the toggle is
// on, i.e. in the first pair); the toggle flips each time a new pair starts:
//
//     packet index  1 .. W | W+1 .. W+G | W+G+1 .. 2W+G | 2W+G+1 .. 2W+2G | ...
//     group         zero   | non-zero   | zero          | non-zero        |
//     toggle        on                  | off                             | on ...
//
// init inserts W packets; every receive inserts one more. So a phase with S sends inserts S + W
// packets, and the bundle of packet i pays d (+ the reduction when packet i is processed).
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"

namespace astra {

// One phase of one chunk, timed from the tick its stream starts (init).
struct PhaseTiming {
  std::uint64_t duration_ns = 0;
  // duration minus the tick at which the completing General was registered with the NPU's event
  // registry: decides its order against a compute completion at the same tick (spec 2.2)
  std::uint64_t tail_ns = 0;
  bool needs_reference = false;  // the result depends on a same-tick event order we do not model
};

// Per-point constants every phase needs.
struct StepCosts {
  std::uint64_t endpoint_delay_ns = 0;
  double local_mem_bytes_per_s = 0.0;
};

// 3 * floor(msg / (M * 1e9) * 1e9), evaluated in ASTRA-sim's order (spec 1, truncation 3).
[[nodiscard]] ASTRA_HD_INLINE std::uint64_t reduction_ns(const StepCosts& c, std::uint64_t msg_bytes) {
  const std::uint64_t one =
      static_cast<std::uint64_t>(static_cast<double>(msg_bytes) / c.local_mem_bytes_per_s * kNsPerSecond);
  return one + one + one;
}

// Packet indices, groups and counts below are 32-bit: a phase inserts S + W packets, and where
// packets can be processed (reduce-scatter, all-reduce) S <= 2(p-1) and W <= p-1 with
// p <= 2^20 NPUs (check_network_system), so every index is below 2^22. Callers with other
// operations (all-to-all on a ring sends p(p-1)/2) do not ask.

// Is packet `index` (1-based) a processed (reducing) bundle?
[[nodiscard]] ASTRA_HD_INLINE bool packet_is_processed(std::uint32_t index, std::uint32_t zero_group, std::uint32_t nonzero_group,
                                         CollectiveKind op) {
  if (op != CollectiveKind::ReduceScatter && op != CollectiveKind::AllReduce) return false;
  const std::uint32_t period = zero_group + nonzero_group;
  const std::uint32_t pos = (index - 1) % period;
  if (pos < zero_group) return false;
  if (op == CollectiveKind::ReduceScatter) return true;
  return ((index - 1) / period) % 2 == 0;
}

// How many of the packets first..last (1-based, inclusive) are processed.
[[nodiscard]] ASTRA_HD_INLINE std::uint32_t processed_packets_between(std::uint32_t first, std::uint32_t last, std::uint32_t zero_group,
                                                        std::uint32_t nonzero_group, CollectiveKind op) {
  if (last < first) return 0;
  if (op != CollectiveKind::ReduceScatter && op != CollectiveKind::AllReduce) return 0;
  const std::uint32_t period = zero_group + nonzero_group;
  std::uint32_t count = 0;
  const std::uint32_t first_pair = (first - 1) / period;
  const std::uint32_t last_pair = (last - 1) / period;
  for (std::uint32_t pair = first_pair; pair <= last_pair; ++pair) {
    if (op == CollectiveKind::AllReduce && pair % 2 != 0) continue;
    std::uint32_t lo = pair * period + zero_group + 1;  // first non-zero packet of the pair
    std::uint32_t hi = (pair + 1) * period;
    if (lo < first) lo = first;
    if (hi > last) hi = last;
    if (hi >= lo) count += hi - lo + 1;
  }
  return count;
}

}  // namespace astra
