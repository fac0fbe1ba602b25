#include "host/reference/packet_engine.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "host/reference/npu_system.hpp"

namespace astra::reference {

// ------------------------------------------------------------------ ring
RingAlgorithm::RingAlgorithm(CollectiveKind kind, std::int64_t id, LogicalRing ring, std::uint64_t data_bytes,
                             bool clockwise)
    : kind_(kind), id_(id), ring_(ring), clockwise_(clockwise), p_(ring.n) {
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

void RingAlgorithm::run(AlgorithmEvent event) {
  switch (event) {
    case AlgorithmEvent::General:
      ++free_;
      send_head_packet();
      finish_if_done();
      break;
    case AlgorithmEvent::Received:
      ++received_;
      insert_packet();
      break;
    case AlgorithmEvent::Init:
      for (std::int64_t i = 0; i < parallel_; ++i) insert_packet();
      break;
  }
}

void RingAlgorithm::make_bundle(bool reduction) { stream_->owner->make_bundle(stream_, reduction, message_bytes_); }

void RingAlgorithm::insert_packet() {
  if (zero_group_ == 0 && nonzero_group_ == 0) {
    zero_group_ = parallel_;
    nonzero_group_ = nonzero_group_size();
    toggle_ = !toggle_;
  }
  bool reduction = false;
  if (zero_group_ > 0) {
    --zero_group_;
  } else if (nonzero_group_ > 0) {
    reduction = kind_ == CollectiveKind::ReduceScatter || (kind_ == CollectiveKind::AllReduce && toggle_);
    --nonzero_group_;
  } else {
    throw std::logic_error("packet engine: no packet group left to insert into");
  }
  packets_.push_back(Packet{receive_from_, send_to_, message_bytes_});
  make_bundle(reduction);
  after_insert();
}

bool RingAlgorithm::send_head_packet() {
  if (packets_.empty() || sends_left_ == 0 || free_ == 0) return false;
  const Packet packet = packets_.front();
  NpuSystem& sys = *stream_->owner;
  Stream* stream = stream_;
  sys.network().send(sys.id(), packet.to, packet.size_bytes, stream->stream_id);
  sys.network().recv(packet.from, sys.id(), packet.size_bytes, stream->stream_id, [stream] { stream->on_received(); });
  if (remaining_messages_ > 0) --remaining_messages_;
  if (remaining_messages_ == 0 && sends_left_ > 0) {
    --sends_left_;
    if (sends_left_ > 0) remaining_messages_ = 1;
  }
  packets_.pop_front();
  --free_;
  return true;
}

bool RingAlgorithm::finish_if_done() {
  if (sends_left_ == 0 && free_ == parallel_) {
    stream_->owner->proceed(stream_);
    return true;
  }
  return false;
}

// ------------------------------------------------------------------ direct
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
    RingAlgorithm::run(event);
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

// ------------------------------------------------------------------ halving-doubling
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
