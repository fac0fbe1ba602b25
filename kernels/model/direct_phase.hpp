// One phase of the direct algorithm (also oneDirect, and `directN` / `oneDirectN` windows),
// spec 4.8.2, replayed as a tiny event simulation of ONE representative NPU.
//
//            +1 --->  NPU i+1           W = p - 1 (or min(N, p - 1)) messages in flight,
//   NPU i -- +2 --->  NPU i+2           G = W, packet k goes to offset ((k-1) mod (p-1)) + 1
//            +3 --->  NPU i+3           and comes from the same offset backwards
//
// Symmetry: every NPU does the same thing at the same tick, so when this NPU sends packet k
// at tick t, the NPU k places back sends it the mirror message at t too, which arrives here at
// t + delay(offset k, msg). Events are kept as (tick, kind, count) entries:
//   * receive:  count it, insert one packet (its bundle's General comes d [+ R] later);
//   * General:  free += 1; send the head packet if sends remain; the phase ends when all sends
//               are done and free == W. All-reduce gates its second half: once the remaining
//               sends are <= p - 1, a General does nothing until all p - 1 first-half messages
//               have arrived, then sends as many as free allows.
// Apart from that gate, receives and Generals of one tick commute (every General finds a packet:
// its own receive inserted one). When the gate's last receive and a General share a tick, the
// answer depends on the global event order: the phase reports needs_reference.
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"
#include "kernels/model/network_delay.hpp"
#include "kernels/model/packet_engine.hpp"
#include "kernels/model/phase_plan.hpp"

namespace astra {

inline constexpr int kMaxDirectPendingEntries = 64;  // distinct (tick, kind) events in flight

// Pending events as (tick, kind) entries with a count, structure of arrays (12 bytes an entry).
// A General's registration tick is not stored: a General is either an unprocessed bundle
// (registered d before it runs) or a processed one (registered r before), both constants of the
// phase, so an entry keeps which of the two it holds and the latest registration of its tick is
// tick - min(the tails present). Counts stay below 2^29: every pending event holds one of the
// W <= p - 1 < 2^20 tokens.
struct DirectEventList {
  static constexpr std::uint32_t kGeneral = 1u << 29;      // else an arrival
  static constexpr std::uint32_t kTailD = 1u << 30;        // holds a General registered d before it runs
  static constexpr std::uint32_t kTailR = 1u << 31;        // holds a General registered r before it runs
  static constexpr std::uint32_t kCountMask = kGeneral - 1;

  std::uint64_t tick_ns[kMaxDirectPendingEntries];
  std::uint32_t meta[kMaxDirectPendingEntries];  // count | kind | tails
  int size = 0;
  bool overflow = false;

  // tail_flag: kTailD or kTailR for a General, 0 for an arrival
  ASTRA_HD void add(std::uint64_t tick, bool general, std::uint32_t tail_flag) {
    const std::uint32_t kind = general ? kGeneral : 0u;
    for (int i = 0; i < size; ++i) {
      if (tick_ns[i] == tick && (meta[i] & kGeneral) == kind) {
        meta[i] = (meta[i] + 1) | tail_flag;
        return;
      }
    }
    if (size == kMaxDirectPendingEntries) {
      overflow = true;
      return;
    }
    tick_ns[size] = tick;
    meta[size] = 1u | kind | tail_flag;
    ++size;
  }
  // Removes every entry of `kind` at `tick`; returns the count and ORs the tails it held into `tails`.
  ASTRA_HD std::uint32_t take(std::uint64_t tick, bool general, std::uint32_t& tails) {
    const std::uint32_t kind = general ? kGeneral : 0u;
    std::uint32_t n = 0;
    for (int i = 0; i < size;) {
      if (tick_ns[i] == tick && (meta[i] & kGeneral) == kind) {
        n += meta[i] & kCountMask;
        tails |= meta[i] & (kTailD | kTailR);
        --size;
        tick_ns[i] = tick_ns[size];
        meta[i] = meta[size];
      } else {
        ++i;
      }
    }
    return n;
  }
  ASTRA_HD bool has(std::uint64_t tick, bool general) const {
    const std::uint32_t kind = general ? kGeneral : 0u;
    for (int i = 0; i < size; ++i)
      if (tick_ns[i] == tick && (meta[i] & kGeneral) == kind) return true;
    return false;
  }
  ASTRA_HD std::uint64_t earliest_tick() const {  // size > 0
    std::uint64_t t = tick_ns[0];
    for (int i = 1; i < size; ++i)
      if (tick_ns[i] < t) t = tick_ns[i];
    return t;
  }
};

[[nodiscard]] ASTRA_HD_INLINE PhaseTiming direct_phase_timing(const NetworkView& net, const StepCosts& costs, const PhaseSpec& ph) {
  // Counts are 32-bit: p <= 2^20 NPUs (check_network_system), so sends <= 2(p-1), W <= p-1,
  // and every count of packets, events or steps stays below 2^24.
  const std::uint32_t p = static_cast<std::uint32_t>(ph.ring.n);
  const std::uint64_t d = costs.endpoint_delay_ns;
  const bool ar = ph.op == CollectiveKind::AllReduce;
  const std::uint32_t window =
      ph.window < 0 ? p - 1 : (static_cast<std::uint32_t>(ph.window) < p - 1 ? static_cast<std::uint32_t>(ph.window) : p - 1);
  const std::uint32_t middle = p - 1;
  const std::uint64_t msg = ph.op == CollectiveKind::AllGather ? ph.input_bytes : ph.input_bytes / p;
  const bool reduces = ph.op == CollectiveKind::AllReduce || ph.op == CollectiveKind::ReduceScatter;
  const std::uint64_t r = reduces ? reduction_ns(costs, msg) : 0;

  std::uint32_t sends_left = ar ? 2 * (p - 1) : p - 1;
  std::uint32_t inserted = 0, queued = 0, sent = 0, free = 0, received = 0;
  DirectEventList events;
  PeerDelays delays;  // every message of the phase has msg bytes
  delays.init(net, ph.ring, msg);
  PhaseTiming result;

  auto insert_packet = [&](std::uint64_t now) {
    ++inserted;
    ++queued;
    if (packet_is_processed(inserted, window, window, ph.op)) {
      events.add(now + d + r, true, DirectEventList::kTailR);  // the reduction is registered when the bundle fires
    } else {
      events.add(now + d, true, DirectEventList::kTailD);
    }
  };
  auto try_send = [&](std::uint64_t now) {
    if (queued == 0 || sends_left == 0 || free == 0) return;
    ++sent;
    const std::int64_t offset = static_cast<std::int64_t>((sent - 1) % (p - 1)) + 1;
    events.add(now + delays.delay_ns(net, ph.ring, offset), false, 0u);
    --sends_left;
    --free;
    --queued;
  };

  for (std::uint32_t k = 0; k < window; ++k) insert_packet(0);
  // Every token (W of them) is a pending event or a free slot, so a phase takes at most a few
  // steps per send; the bound only protects against a modelling bug.
  const std::uint32_t max_steps = 4 * (2 * p + window) + 64;
  for (std::uint32_t step = 0; step < max_steps; ++step) {
    if (events.overflow || events.size == 0) break;
    const std::uint64_t now = events.earliest_tick();
    std::uint32_t ignored = 0, tails = 0;
    const std::uint32_t arrivals = events.take(now, false, ignored);
    if (ar && arrivals > 0 && received < middle && received + arrivals >= middle && events.has(now, true))
      result.needs_reference = true;
    received += arrivals;
    for (std::uint32_t k = 0; k < arrivals; ++k) insert_packet(now);
    const std::uint32_t generals = events.take(now, true, tails);
    for (std::uint32_t g = 0; g < generals; ++g) {
      ++free;
      if (ar && sends_left <= middle) {
        if (received < middle) continue;
        for (std::uint32_t k = 0; k < window; ++k) try_send(now);
      } else {
        try_send(now);
      }
      if (sends_left == 0 && free == window) {
        result.duration_ns = now;
        // the latest registration among this tick's Generals: the smallest tail present
        result.tail_ns = (tails & DirectEventList::kTailR) && (!(tails & DirectEventList::kTailD) || r < d) ? r : d;
        return result;
      }
    }
    // Zero-delay messages sent in this tick arrive after every registry list already scheduled
    // for it (their events are appended to the tick's bucket), so after these Generals. With
    // d = 0 new lists can be made inside the tick too, and the order is no longer ours to know.
    if (ar && d == 0 && generals > 0 && received < middle && events.has(now, false)) result.needs_reference = true;
  }
  result.needs_reference = true;  // did not finish within the bound: not ours to answer
  return result;
}

}  // namespace astra
