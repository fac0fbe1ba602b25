#include "host/reference/halving_doubling_algorithm.hpp"

#include <cmath>
#include <stdexcept>

namespace astra::reference {

HalvingDoublingAlgorithm::HalvingDoublingAlgorithm(CollectiveKind kind, std::int64_t id, LogicalRing ring,
                                                   std::uint64_t data_bytes)
    : RingAlgorithm(kind, id, ring, data_bytes, true) {
  const double log2p = std::log2(static_cast<double>(p_));
  parallel_ = 1;
  sends_left_ = kind == CollectiveKind::AllReduce ? static_cast<std::int64_t>(2 * log2p)
                                                  : static_cast<std::int64_t>(log2p);
  const auto p = static_cast<std::uint64_t>(p_);
  switch (kind) {
    case CollectiveKind::AllReduce:
      output_size_bytes_ = data_bytes, message_bytes_ = data_bytes / 2, rank_offset_ = 1, factor_ = 2.0;
      break;
    case CollectiveKind::AllGather:
      output_size_bytes_ = data_bytes * p, message_bytes_ = data_bytes, rank_offset_ = p_ / 2, factor_ = 0.5;
      break;
    case CollectiveKind::ReduceScatter:
      output_size_bytes_ = data_bytes / p, message_bytes_ = data_bytes / 2, rank_offset_ = 1, factor_ = 2.0;
      break;
    case CollectiveKind::AllToAll:
      throw std::logic_error("halvingDoubling cannot run all_to_all");
  }
  set_peer();
}

std::int64_t HalvingDoublingAlgorithm::nonzero_group_size() const {
  return static_cast<std::int64_t>(std::log2(static_cast<double>(p_)) - 1);
}

void HalvingDoublingAlgorithm::set_peer() {
  const bool clockwise = rank_offset_ == 0 ? true : ((ring_.index / rank_offset_) % 2 == 0);
  std::int64_t peer = id_;
  for (std::int64_t i = 0; i < rank_offset_; ++i) peer = ring_.receiver(peer, clockwise);
  send_to_ = receive_from_ = peer;
}

void HalvingDoublingAlgorithm::after_insert() {
  rank_offset_ = static_cast<std::int64_t>(static_cast<double>(rank_offset_) * factor_);
  message_bytes_ = static_cast<std::uint64_t>(static_cast<double>(message_bytes_) / factor_);
  if (rank_offset_ == p_ && kind_ == CollectiveKind::AllReduce) {
    // the all-reduce turns around: undo the last doubling and start halving
    factor_ = 0.5;
    rank_offset_ = static_cast<std::int64_t>(static_cast<double>(rank_offset_) * factor_);
    message_bytes_ = static_cast<std::uint64_t>(static_cast<double>(message_bytes_) / factor_);
  }
  set_peer();
}

}  // namespace astra::reference
