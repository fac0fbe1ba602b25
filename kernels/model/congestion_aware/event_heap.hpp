// The congestion-aware fast evaluator's event queue: a bounded binary min-heap ordered by
// (time, sequence number). Sequence numbers grow with every schedule() call, so events of one
// tick run in the order they were scheduled, an event scheduled for the current tick runs in
// the same pass: exactly the reference simulator's time buckets (host/reference/event_queue.hpp).
//
//   schedule(t, payload) -> push {t, seq++, payload}        pop() -> smallest (t, seq)
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"

namespace astra::aware {

struct Event {
  std::uint64_t time_ns;
  std::uint32_t seq;
  std::uint32_t payload;  // EventKind in the top 4 bits, an index below
};

enum class EventKind : std::uint32_t { RunRegistry = 0, HopDone = 1, LinkFree = 2, ReceiveHandler = 3 };

ASTRA_HD_INLINE std::uint32_t event_payload(EventKind kind, std::uint32_t index) {
  return (static_cast<std::uint32_t>(kind) << 28) | index;
}
ASTRA_HD_INLINE EventKind event_kind(std::uint32_t payload) { return static_cast<EventKind>(payload >> 28); }
ASTRA_HD_INLINE std::uint32_t event_index(std::uint32_t payload) { return payload & 0x0FFFFFFFu; }

ASTRA_HD_INLINE bool event_before(const Event& a, const Event& b) {
  return a.time_ns < b.time_ns || (a.time_ns == b.time_ns && a.seq < b.seq);
}

// The heap's storage is the caller's (a scratch array of `capacity` events).
struct EventHeap {
  Event* items;
  std::int32_t capacity;
  std::int32_t size;
  std::uint32_t next_seq;

  ASTRA_HD void reset(Event* storage, std::int32_t cap) {
    items = storage;
    capacity = cap;
    size = 0;
    next_seq = 0;
  }

  // false when full (the caller gives the point to the reference simulator)
  ASTRA_HD bool push(std::uint64_t time_ns, std::uint32_t payload) {
    if (size >= capacity) return false;
    Event e{time_ns, next_seq++, payload};
    std::int32_t i = size++;
    while (i > 0) {
      const std::int32_t parent = (i - 1) / 2;
      if (!event_before(e, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = e;
    return true;
  }

  ASTRA_HD Event pop() {
    const Event top = items[0];
    const Event last = items[--size];
    std::int32_t i = 0;
    for (;;) {
      std::int32_t child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && event_before(items[child + 1], items[child])) ++child;
      if (!event_before(items[child], last)) break;
      items[i] = items[child];
      i = child;
    }
    if (size > 0) items[i] = last;
    return top;
  }
};

}  // namespace astra::aware
