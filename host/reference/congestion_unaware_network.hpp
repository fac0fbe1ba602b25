// Congestion-unaware analytical backend (spec 3.1, 3.2): a message costs
//   floor(hops * latency_ns + size_bytes / bandwidth_bytes_per_ns)
// on the FIRST (lowest) dimension in which the mixed-radix ids of src and dst differ
// (dimension 0 is the fastest-varying digit). No contention: any number of messages may share
// a link.
//
//   hops:  Ring (bidirectional)  min(c, p - c), c = (dst - src) mod p
//          Switch                2   (src -> switch -> dst)
//          FullyConnected        1
#pragma once

#include "kernels/model/config.hpp"
#include "host/reference/network.hpp"

namespace astra::reference {

class CongestionUnawareNetwork final : public Network {
 public:
  CongestionUnawareNetwork(EventQueue& events, const NetworkConfig& config);
  [[nodiscard]] std::uint64_t delay_ns(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes) const;

 private:
  void transmit(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes, Callback arrived) override;
  NetworkConfig config_;
};

}  // namespace astra::reference
