#include "host/reference/congestion_aware_network.hpp"

#include <stdexcept>

namespace astra::reference {

CongestionAwareNetwork::CongestionAwareNetwork(EventQueue& events, const NetworkConfig& config)
    : Network(events), config_(config), total_npus_(config.total_npus()) {
  std::int64_t stride = 1;
  for (int d = 0; d < config_.dims; ++d) {
    stride_[d] = stride;
    stride *= config_.npus_count[d];
  }
  for (int d = 0; d < config_.dims; ++d) {
    const std::int64_t n = config_.npus_count[d];
    if (n < 2) continue;
    for (std::int64_t base = 0; base < total_npus_; ++base) {
      if (digit(base, d) != 0) continue;  // one group per combination of the other digits
      auto npu = [&](std::int64_t local) { return base + local * stride_[d]; };
      switch (config_.topology[d]) {
        case TopologyKind::Ring:
          for (std::int64_t i = 0; i < n; ++i) {
            add_link(d, npu(i), npu((i + 1) % n));
            add_link(d, npu((i + 1) % n), npu(i));
          }
          break;
        case TopologyKind::Switch:
          for (std::int64_t i = 0; i < n; ++i) {
            add_link(d, npu(i), switch_device(d, base));
            add_link(d, switch_device(d, base), npu(i));
          }
          break;
        case TopologyKind::FullyConnected:
          for (std::int64_t i = 0; i < n; ++i)
            for (std::int64_t j = 0; j < n; ++j)
              if (i != j) add_link(d, npu(i), npu(j));
          break;
      }
    }
  }
}

std::int64_t CongestionAwareNetwork::switch_device(int dim, std::int64_t npu) const {
  // devices after the NPUs: one block of total_npus ids per dimension, indexed by the group's
  // first NPU (on a 1-D network the switch is device p, as in ASTRA-sim)
  return total_npus_ * (1 + dim) + (npu - digit(npu, dim) * stride_[dim]);
}

void CongestionAwareNetwork::add_link(int dim, std::int64_t from, std::int64_t to) {
  Link link;
  link.latency_ns = config_.latency_ns[dim];
  link.bytes_per_ns = bandwidth_bytes_per_ns(config_.bandwidth_GBps[dim]);
  links_.try_emplace({from, to}, link);  // a 2-NPU ring asks twice for each direction: keep one
}

std::vector<std::int64_t> CongestionAwareNetwork::route(std::int64_t src, std::int64_t dst) const {
  std::vector<std::int64_t> r{src};
  std::int64_t cur = src;
  for (int d = 0; d < config_.dims; ++d) {
    const std::int64_t n = config_.npus_count[d];
    const std::int64_t a = digit(cur, d), b = digit(dst, d);
    if (a == b) continue;
    const std::int64_t group_base = cur - a * stride_[d];
    auto npu = [&](std::int64_t local) { return group_base + local * stride_[d]; };
    switch (config_.topology[d]) {
      case TopologyKind::Switch:
        r.push_back(switch_device(d, cur));
        r.push_back(npu(b));
        break;
      case TopologyKind::FullyConnected:
        r.push_back(npu(b));
        break;
      case TopologyKind::Ring: {
        const std::int64_t clockwise = ((b - a) % n + n) % n;
        const std::int64_t step = (n - clockwise) < clockwise ? -1 : 1;
        for (std::int64_t c = a; c != b;) {
          c = ((c + step) % n + n) % n;
          r.push_back(npu(c));
        }
        break;
      }
    }
    cur = npu(b);
  }
  return r;
}

void CongestionAwareNetwork::transmit(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes, Callback arrived) {
  auto m = std::make_shared<Message>();
  m->size_bytes = size_bytes;
  m->route = route(src, dst);
  m->arrived = std::move(arrived);
  if (m->route.size() < 2) throw std::logic_error("message from an NPU to itself");
  offer(std::move(m));
}

void CongestionAwareNetwork::offer(std::shared_ptr<Message> message) {
  const auto from = message->route[message->position];
  const auto to = message->route[message->position + 1];
  Link& link = links_.at({from, to});
  if (link.busy)
    link.waiting.push_back(std::move(message));
  else
    start(link, std::move(message));
}

void CongestionAwareNetwork::start(Link& link, std::shared_ptr<Message> message) {
  link.busy = true;
  const double serialization_ns = static_cast<double>(message->size_bytes) / link.bytes_per_ns;
  const std::uint64_t now = events_.now_ns();
  events_.schedule(now + static_cast<std::uint64_t>(link.latency_ns + serialization_ns),
                   [this, message] { hop_done(message); });
  Link* l = &link;
  events_.schedule(now + static_cast<std::uint64_t>(serialization_ns), [this, l] {
    l->busy = false;
    if (!l->waiting.empty()) {
      auto next = std::move(l->waiting.front());
      l->waiting.pop_front();
      start(*l, std::move(next));
    }
  });
}

void CongestionAwareNetwork::hop_done(std::shared_ptr<Message> message) {
  ++message->position;
  if (message->position + 1 == message->route.size()) {
    message->arrived();
  } else {
    offer(std::move(message));
  }
}

}  // namespace astra::reference
