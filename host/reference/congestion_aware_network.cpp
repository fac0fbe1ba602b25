#include "reference/congestion_aware_network.hpp"

#include <stdexcept>

namespace astra::reference {

CongestionAwareNetwork::CongestionAwareNetwork(EventQueue& events, const NetworkConfig& config)
    : Network(events),
      topology_(config.topology[0]),
      npus_(config.npus_count[0]),
      latency_ns_(config.latency_ns[0]),
      bandwidth_GBps_(config.bandwidth_GBps[0]) {
  if (config.dims != 1) throw std::logic_error("congestion-aware network: 1-D only");
  const std::int64_t n = npus_;
  switch (topology_) {
    case TopologyKind::Ring:
      for (std::int64_t i = 0; i < n; ++i) {
        add_link(i, (i + 1) % n);
        add_link((i + 1) % n, i);
      }
      break;
    case TopologyKind::Switch:
      for (std::int64_t i = 0; i < n; ++i) {
        add_link(i, n);
        add_link(n, i);
      }
      break;
    case TopologyKind::FullyConnected:
      for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j)
          if (i != j) add_link(i, j);
      break;
  }
}

void CongestionAwareNetwork::add_link(std::int64_t from, std::int64_t to) {
  Link link;
  link.latency_ns = latency_ns_;
  link.bytes_per_ns = bandwidth_bytes_per_ns(bandwidth_GBps_);
  links_.try_emplace({from, to}, link);  // a 2-NPU ring asks twice for each direction: keep one
}

std::vector<std::int64_t> CongestionAwareNetwork::route(std::int64_t src, std::int64_t dst) const {
  const std::int64_t n = npus_;
  switch (topology_) {
    case TopologyKind::Switch: return {src, n, dst};
    case TopologyKind::FullyConnected: return {src, dst};
    case TopologyKind::Ring: break;
  }
  const std::int64_t clockwise = ((dst - src) % n + n) % n;
  const std::int64_t step = (n - clockwise) < clockwise ? -1 : 1;
  std::vector<std::int64_t> r{src};
  for (std::int64_t c = src; c != dst;) {
    c = ((c + step) % n + n) % n;
    r.push_back(c);
  }
  return r;
}

void CongestionAwareNetwork::transmit(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes, Callback arrived) {
  auto m = std::make_shared<Message>();
  m->size_bytes = size_bytes;
  m->route = route(src, dst);
  m->arrived = std::move(arrived);
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
