#include "host/reference/network.hpp"

namespace astra::reference {

void Network::send(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes, std::int64_t tag) {
  const MessageKey key{tag, src, dst, size_bytes};
  const Slot slot{key, send_seq_[key]++};
  pending_.try_emplace(slot);
  transmit(src, dst, size_bytes, [this, slot] { on_arrival(slot); });
}

void Network::on_arrival(const Slot& slot) {
  auto it = pending_.find(slot);
  if (it->second.handler) {
    Callback handler = std::move(it->second.handler);
    pending_.erase(it);
    handler();
  } else {
    it->second.arrived = true;
  }
}

void Network::recv(std::int64_t src, std::int64_t dst, std::uint64_t size_bytes, std::int64_t tag,
                   Callback handler) {
  const MessageKey key{tag, src, dst, size_bytes};
  const Slot slot{key, recv_seq_[key]++};
  auto it = pending_.find(slot);
  if (it != pending_.end() && it->second.arrived) {
    pending_.erase(it);
    events_.schedule(events_.now_ns(), std::move(handler));
  } else {
    pending_[slot].handler = std::move(handler);
  }
}

}  // namespace astra::reference
