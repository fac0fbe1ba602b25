#include "host/reference/ring_algorithm.hpp"

namespace astra::reference {

RingAlgorithm::RingAlgorithm(CollectiveKind kind, std::int64_t id, LogicalRing ring, std::uint64_t data_bytes,
                             bool clockwise)
    : PacketEngine(kind, id, ring, clockwise) {
  send_to_ = ring_.receiver(id, clockwise);
  receive_from_ = ring_.sender(id, clockwise);
  const auto p = static_cast<std::uint64_t>(p_);
  switch (kind) {
    case CollectiveKind::AllReduce:
      sends_left_ = 2 * (p_ - 1);
      output_size_bytes_ = data_bytes;
      message_bytes_ = data_bytes / p;
      break;
    case CollectiveKind::AllGather:
      sends_left_ = p_ - 1;
      output_size_bytes_ = data_bytes * p;
      message_bytes_ = data_bytes;
      break;
    case CollectiveKind::ReduceScatter:
      sends_left_ = p_ - 1;
      output_size_bytes_ = data_bytes / p;
      message_bytes_ = data_bytes / p;
      break;
    case CollectiveKind::AllToAll:
      sends_left_ = (p_ - 1) * p_ / 2;
      output_size_bytes_ = data_bytes;
      message_bytes_ = data_bytes / p;
      break;
  }
}

}  // namespace astra::reference
