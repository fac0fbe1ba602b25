#include "host/reference/packet_engine.hpp"

#include <stdexcept>

#include "host/reference/npu_system.hpp"

namespace astra::reference {

PacketEngine::PacketEngine(CollectiveKind kind, std::int64_t id, LogicalRing ring, bool clockwise)
    : kind_(kind), id_(id), ring_(ring), clockwise_(clockwise), p_(ring.n) {}

void PacketEngine::run(AlgorithmEvent event) {
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

void PacketEngine::make_bundle(bool reduction) { stream_->owner->make_bundle(stream_, reduction, message_bytes_); }

void PacketEngine::insert_packet() {
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

bool PacketEngine::send_head_packet() {
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

bool PacketEngine::finish_if_done() {
  if (sends_left_ == 0 && free_ == parallel_) {
    stream_->owner->proceed(stream_);
    return true;
  }
  return false;
}

}  // namespace astra::reference
