#include "host/reference/event_queue.hpp"

#include <stdexcept>

namespace astra::reference {

void EventQueue::schedule(std::uint64_t time_ns, Callback callback) {
  if (time_ns < now_ns_) throw std::logic_error("event scheduled in the past");
  buckets_[time_ns].push_back(std::move(callback));
}

bool EventQueue::run(std::uint64_t max_events) {
  std::uint64_t events = 0;
  while (!buckets_.empty()) {
    auto bucket = buckets_.begin();
    now_ns_ = bucket->first;
    auto& callbacks = bucket->second;  // map nodes are stable: appends during the pass land here
    while (!callbacks.empty()) {
      Callback cb = std::move(callbacks.front());
      callbacks.pop_front();
      cb();
      if (++events > max_events) return false;
    }
    buckets_.erase(bucket);
  }
  return true;
}

}  // namespace astra::reference
