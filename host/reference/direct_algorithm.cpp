#include "host/reference/direct_algorithm.hpp"

#include <algorithm>

namespace astra::reference {

DirectAlgorithm::DirectAlgorithm(CollectiveKind kind, std::int64_t id, LogicalRing ring, std::uint64_t data_bytes,
                                 bool clockwise, std::int32_t window)
    : RingAlgorithm(kind, id, ring, data_bytes, clockwise), middle_(p_ - 1) {
  parallel_ = window < 0 ? p_ - 1 : std::min<std::int64_t>(window, p_ - 1);
  if (kind == CollectiveKind::AllToAll) sends_left_ = p_ - 1;
}

void DirectAlgorithm::after_insert() {
  send_to_ = ring_.receiver(send_to_, clockwise_);
  if (send_to_ == id_) send_to_ = ring_.receiver(send_to_, clockwise_);
  receive_from_ = ring_.sender(receive_from_, clockwise_);
  if (receive_from_ == id_) receive_from_ = ring_.sender(receive_from_, clockwise_);
}

void DirectAlgorithm::run(AlgorithmEvent event) {
  if (event != AlgorithmEvent::General) {
    PacketEngine::run(event);
    return;
  }
  ++free_;
  if (kind_ == CollectiveKind::AllReduce && sends_left_ <= middle_) {
    // second half of an all-reduce: wait until every first-half message has arrived
    if (received_ < middle_) return;
    for (std::int64_t i = 0; i < parallel_; ++i) send_head_packet();
    finish_if_done();
  } else {
    send_head_packet();
    finish_if_done();
  }
}

}  // namespace astra::reference
