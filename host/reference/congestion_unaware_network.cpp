#include "host/reference/congestion_unaware_network.hpp"

#include <algorithm>
#include <stdexcept>

namespace astra::reference {

namespace {
std::int64_t hops(TopologyKind topology, std::int64_t p, std::int64_t src, std::int64_t dst) {
  switch (topology) {
    case TopologyKind::Ring: {
      std::int64_t c = dst - src;
      if (c < 0) c += p;
      return std::min(c, p - c);
    }
    case TopologyKind::Switch: return 2;
    case TopologyKind::FullyConnected: return 1;
  }
  return 1;
}
}  // namespace

CongestionUnawareNetwork::CongestionUnawareNetwork(EventQueue& events, const NetworkConfig& config)
    : Network(events), config_(config) {}

std::uint64_t CongestionUnawareNetwork::delay_ns(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes) const {
  std::int64_t a = src, b = dst;
  for (int d = 0; d < config_.dims; ++d) {
    const std::int64_t n = config_.npus_count[d];
    if (a % n != b % n) {
      const double h = static_cast<double>(hops(config_.topology[d], n, a % n, b % n));
      return static_cast<std::uint64_t>(h * config_.latency_ns[d] +
                                        static_cast<double>(size_bytes) / bandwidth_bytes_per_ns(config_.bandwidth_GBps[d]));
    }
    a /= n;
    b /= n;
  }
  throw std::logic_error("message from an NPU to itself");
}

void CongestionUnawareNetwork::transmit(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes, Callback arrived) {
  events_.schedule(events_.now_ns() + delay_ns(src, dst, size_bytes), std::move(arrived));
}

}  // namespace astra::reference
