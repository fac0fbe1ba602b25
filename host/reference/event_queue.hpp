// The global event queue of the reference simulator (spec section 2.1).
//
// Time is integer ns. Events live in time buckets; each bucket is a FIFO list of callbacks run
// in the order they were scheduled. An event scheduled for the tick being processed is appended
// to the running bucket and runs in the same pass. Unlike ASTRA-sim, t = 0 is an ordinary time
// (ASTRA-sim asserts on it, which is why endpoint-delay 0 crashes there).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>

namespace astra::reference {

using Callback = std::function<void()>;

class EventQueue final {
 public:
  [[nodiscard]] std::uint64_t now_ns() const noexcept { return now_ns_; }

  void schedule(std::uint64_t time_ns, Callback callback);

  // Runs until no event is left or `max_events` have run; returns false if it stopped early.
  bool run(std::uint64_t max_events);

 private:
  std::uint64_t now_ns_ = 0;
  std::map<std::uint64_t, std::deque<Callback>> buckets_;
};

}  // namespace astra::reference
