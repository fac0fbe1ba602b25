// Send/receive matching of the congestion-aware fast evaluator (spec 2.3): a message is known
// by (tag, src, dst, size) and the k-th send of a key meets the k-th receive of that key.
//
// Messages of one key travel the same route through FIFO links with the same size, so they
// arrive in the order they were sent, and every receive of a key is posted by the same stream
// (tag = stream id at NPU dst). So a key needs only two counters:
//   arrived  how many of its messages have arrived
//   posted   how many receives have been posted
// arrival #k runs the receive handler at once if posted > k; a receive posted as #k finds its
// message already there if arrived > k (and then runs its handler as a new event this tick).
//
// A key whose sends, arrivals and receives are all matched carries no information (the next
// send and receive are both #0 again), so it is erased: the table holds only keys with messages
// or receives outstanding. Linear probing with backward-shift deletion (no tombstones) over a
// caller-owned table; an entry counts for the current point only if its stamp is the table's
// generation, so nothing is cleared between points. Entries move on erase: hold keys, not
// pointers, across events.
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"

namespace astra::aware {

struct MessageKey {
  std::uint64_t size_bytes;
  std::uint32_t tag;
  std::uint16_t src, dst;
};

struct KeyCounters {
  std::uint64_t size_bytes;
  std::uint32_t tag;
  std::uint16_t src, dst;
  std::uint32_t sent, arrived, posted;
  std::uint32_t stamp;
};

struct MessageKeyTable {
  KeyCounters* slots;
  std::uint32_t mask;  // capacity - 1 (capacity a power of two)
  std::uint32_t used, limit;
  std::uint32_t generation;

  // Starts a new point; stamps of an earlier point stop counting.
  ASTRA_HD void reset(KeyCounters* storage, std::uint32_t capacity, std::uint32_t& generation_counter) {
    slots = storage;
    mask = capacity - 1;
    used = 0;
    limit = capacity / 4 * 3;
    if (++generation_counter == 0) {  // wrapped: forget every stamp
      for (std::uint32_t i = 0; i < capacity; ++i) storage[i].stamp = 0;
      generation_counter = 1;
    }
    generation = generation_counter;
  }

  ASTRA_HD std::uint32_t home(std::uint64_t size_bytes, std::uint32_t tag, std::uint16_t src, std::uint16_t dst) const {
    std::uint64_t h = size_bytes * 0x9E3779B97F4A7C15ull;
    h ^= (static_cast<std::uint64_t>(tag) << 32) ^ (static_cast<std::uint64_t>(src) << 16) ^ dst;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
    return static_cast<std::uint32_t>(h) & mask;
  }

  // The counters of `key` (created at zero), or nullptr when the table is full.
  ASTRA_HD KeyCounters* find(const MessageKey& key) {
    for (std::uint32_t i = home(key.size_bytes, key.tag, key.src, key.dst);; i = (i + 1) & mask) {
      KeyCounters& s = slots[i];
      if (s.stamp != generation) {
        if (used >= limit) return nullptr;
        ++used;
        s.size_bytes = key.size_bytes;
        s.tag = key.tag;
        s.src = key.src;
        s.dst = key.dst;
        s.sent = s.arrived = s.posted = 0;
        s.stamp = generation;
        return &s;
      }
      if (s.size_bytes == key.size_bytes && s.tag == key.tag && s.src == key.src && s.dst == key.dst) return &s;
    }
  }

  // Erases `entry` if everything sent has arrived and been received.
  ASTRA_HD void erase_if_settled(KeyCounters* entry) {
    if (entry->sent != entry->arrived || entry->arrived != entry->posted) return;
    --used;
    std::uint32_t i = static_cast<std::uint32_t>(entry - slots);
    std::uint32_t j = i;
    for (;;) {
      slots[i].stamp = 0;  // empty
      for (;;) {
        j = (j + 1) & mask;
        if (slots[j].stamp != generation) return;
        const KeyCounters& e = slots[j];
        const std::uint32_t k = home(e.size_bytes, e.tag, e.src, e.dst);
        // e stays if its home lies cyclically in (i, j]
        const bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (!stays) break;
      }
      slots[i] = slots[j];
      i = j;
    }
  }
};

}  // namespace astra::aware
