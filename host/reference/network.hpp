// The network seen by the system layer: send and receive with ASTRA-sim's matching rules
// (spec 2.3), over one of the two analytical backends.
//
// A message is identified by (tag, src, dst, size) plus a sequence number: the k-th send of a
// key matches the k-th receive of the same key. If the receive is posted when the message
// arrives, its handler runs inside the arrival event; otherwise posting it later schedules the
// handler at the current tick. Sends never block and their completion does nothing.
#pragma once

#include <cstdint>
#include <map>
#include <tuple>

#include "host/reference/event_queue.hpp"

namespace astra::reference {

struct MessageKey {
  std::int64_t tag = 0;
  std::int64_t src = 0;
  std::int64_t dst = 0;
  std::uint64_t size_bytes = 0;
  auto operator<=>(const MessageKey&) const = default;
};

class Network {
 public:
  explicit Network(EventQueue& events) : events_(events) {}
  virtual ~Network() = default;
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  void send(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes, std::int64_t tag);
  void recv(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes, std::int64_t tag, Callback handler);

 protected:
  // Moves the bytes; calls `arrived` when they reach dst.
  virtual void transmit(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes, Callback arrived) = 0;
  EventQueue& events_;

 private:
  struct Pending {
    Callback handler;  // the posted receive, if any
    bool arrived = false;
  };
  using Slot = std::pair<MessageKey, std::uint64_t>;  // key + sequence number
  void on_arrival(const Slot& slot);

  std::map<MessageKey, std::uint64_t> send_seq_, recv_seq_;
  std::map<Slot, Pending> pending_;
};

}  // namespace astra::reference
