// Congestion-aware analytical backend (spec 3.3): every directed link is a FIFO queue that
// serves one message at a time, store-and-forward. When a link starts a message at time t,
//   the message reaches the next device at t + floor(latency_ns + size / bandwidth)
//   the link is free again at            t + floor(size / bandwidth)
// and each hop of a route is charged separately.
//
//   Ring (bidirectional, shorter way, ties clockwise)   Switch (device p is the switch)
//     0 <-> 1 <-> 2 <-> 3                                0 --\        /--> 2
//     ^-----------------^                                1 ---> [p] ----> 3
//   route 0 -> 2: 0 -> 1 -> 2 (2 hops)                   route 0 -> 2: 0 -> p -> 2 (2 hops)
//
//   FullyConnected: a link i -> j for every ordered pair; route i -> j is direct (1 hop).
//
// ASTRA-sim accepts 1-D networks only and aborts on a 2-NPU Ring (both ring edges join the same
// pair); here a 2-NPU Ring has one link per direction.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "model/config.hpp"
#include "reference/network.hpp"

namespace astra::reference {

class CongestionAwareNetwork final : public Network {
 public:
  CongestionAwareNetwork(EventQueue& events, const NetworkConfig& config);

 private:
  struct Message {
    std::uint64_t size_bytes = 0;
    std::vector<std::int64_t> route;  // devices, src first
    std::size_t position = 0;         // index in route of the device holding the message
    Callback arrived;
  };
  struct Link {
    double latency_ns = 0;
    double bytes_per_ns = 0;
    bool busy = false;
    std::deque<std::shared_ptr<Message>> waiting;
  };

  void transmit(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes, Callback arrived) override;
  std::vector<std::int64_t> route(std::int64_t src, std::int64_t dst) const;
  void offer(std::shared_ptr<Message> message);                  // to the link out of its device
  void start(Link& link, std::shared_ptr<Message> message);
  void hop_done(std::shared_ptr<Message> message);
  void add_link(std::int64_t from, std::int64_t to);

  TopologyKind topology_;
  std::int64_t npus_;
  double latency_ns_;
  double bandwidth_GBps_;
  std::map<std::pair<std::int64_t, std::int64_t>, Link> links_;
};

}  // namespace astra::reference
