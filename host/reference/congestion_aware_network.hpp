// Congestion-aware analytical backend (spec 3.3): every directed link is a FIFO queue that
// serves one message at a time, store-and-forward. When a link starts a message at time t,
//   the message reaches the next device at t + floor(latency_ns + size / bandwidth)
//   the link is free again at            t + floor(size / bandwidth)
// and each hop of a route is charged separately.
//
//   Ring (bidirectional, shorter way, ties clockwise)   Switch (one switch device per group)
//     0 <-> 1 <-> 2 <-> 3                                0 --\        /--> 2
//     ^-----------------^                                1 ---> [S] ----> 3
//   route 0 -> 2: 0 -> 1 -> 2 (2 hops)                   route 0 -> 2: 0 -> S -> 2 (2 hops)
//
//   FullyConnected: a link i -> j for every ordered pair; route i -> j is direct (1 hop).
//
// ASTRA-sim accepts 1-D networks only and aborts on a 2-NPU Ring (both ring edges join the same
// pair); here a 2-NPU Ring has one link per direction, and multi-dimensional networks are
// defined as follows (astra-sweep's extension, see docs/congestion_aware.md):
//   * each dimension d builds its topology, with its own latency and bandwidth, inside every
//     group of NPUs that differ only in digit d (dimension 0 = fastest-varying digit);
//   * a message is routed dimension by dimension in increasing order, fixing one differing digit
//     at a time with that dimension's 1-D route (dimension-order routing);
//   * every link is its own FIFO queue.
// On a 1-D network this is exactly ASTRA-sim's backend.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "kernels/model/config.hpp"
#include "host/reference/network.hpp"

namespace astra::reference {

class CongestionAwareNetwork final : public Network {
 public:
  CongestionAwareNetwork(EventQueue& events, const NetworkConfig& config);

  // The devices a message visits from src to dst, both included (exposed for tests).
  [[nodiscard]] std::vector<std::int64_t> route(std::int64_t src, std::int64_t dst) const;

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
  void offer(std::shared_ptr<Message> message);  // to the link out of its current device
  void start(Link& link, std::shared_ptr<Message> message);
  void hop_done(std::shared_ptr<Message> message);
  void add_link(int dim, std::int64_t from, std::int64_t to);
  [[nodiscard]] std::int64_t digit(std::int64_t npu, int dim) const { return (npu / stride_[dim]) % config_.npus_count[dim]; }
  [[nodiscard]] std::int64_t switch_device(int dim, std::int64_t npu) const;

  NetworkConfig config_;
  std::int64_t total_npus_;
  std::int64_t stride_[kMaxDims] = {};
  std::map<std::pair<std::int64_t, std::int64_t>, Link> links_;
};

}  // namespace astra::reference
