// The packet engine shared by ring, direct and halvingDoubling (spec 4.7, 4.8.1-4.8.3).
//
//   S  total sends of the phase (stream_count)        W  parallel window (parallel_reduce)
//   packets come in groups: W "zero-latency" packets (never a reduction), then G "non-zero"
//   packets (a reduction on receive for reduce-scatter, and for all-reduce while the toggle
//   is on, i.e. its first half); the toggle flips each time a new pair of groups starts.
//
//   Init      insert W packets
//   Received  insert one packet
//   General   free += 1; send the head packet if any send is left and free > 0;
//             when all S sends are done and free == W, the phase ends
//
// Each inserted packet creates a bundle: endpoint delay (plus 3 local-memory passes when it is
// a reduction), then a General event.
//
//   ring:            W = 1, G = p - 1, peers are the next/previous node
//   direct[N]:       W = p - 1 (or min(N, p - 1)), G = W, peers rotate +1, +2, ... skipping self
//   halvingDoubling: W = 1, G = log2(p) - 1, peer offsets 1, 2, 4 ... with halving messages
#pragma once

#include <cstdint>
#include <deque>

#include "kernels/model/config.hpp"
#include "host/reference/logical_topology.hpp"
#include "host/reference/phase_algorithm.hpp"

namespace astra::reference {

class RingAlgorithm : public PhaseAlgorithm {
 public:
  RingAlgorithm(CollectiveKind kind, std::int64_t id, LogicalRing ring, std::uint64_t data_bytes, bool clockwise);
  void run(AlgorithmEvent event) override;

 protected:
  struct Packet {
    std::int64_t from = 0;  // we receive its counterpart from here
    std::int64_t to = 0;    // we send to here
    std::uint64_t size_bytes = 0;
  };
  virtual std::int64_t nonzero_group_size() const { return (p_ - 1) * parallel_; }
  void insert_packet();
  virtual void after_insert() {}
  bool send_head_packet();
  bool finish_if_done();
  void make_bundle(bool reduction);

  CollectiveKind kind_;
  std::int64_t id_;
  LogicalRing ring_;
  bool clockwise_;
  std::int64_t p_;
  std::int64_t send_to_ = 0, receive_from_ = 0;
  std::int64_t parallel_ = 1;
  std::int64_t sends_left_ = 0;
  std::int64_t remaining_messages_ = 1;
  std::uint64_t message_bytes_ = 0;
  std::deque<Packet> packets_;
  std::int64_t free_ = 0, zero_group_ = 0, nonzero_group_ = 0;
  bool toggle_ = false;
  std::int64_t received_ = 0;
};

class DirectAlgorithm final : public RingAlgorithm {
 public:
  DirectAlgorithm(CollectiveKind kind, std::int64_t id, LogicalRing ring, std::uint64_t data_bytes, bool clockwise,
                  std::int32_t window);
  void run(AlgorithmEvent event) override;

 private:
  std::int64_t nonzero_group_size() const override { return parallel_; }
  void after_insert() override;
  std::int64_t middle_;
};

class HalvingDoublingAlgorithm final : public RingAlgorithm {
 public:
  HalvingDoublingAlgorithm(CollectiveKind kind, std::int64_t id, LogicalRing ring, std::uint64_t data_bytes);

 private:
  std::int64_t nonzero_group_size() const override;
  void after_insert() override;  // next peer offset and message size
  void set_peer();
  std::int64_t rank_offset_ = 1;
  double factor_ = 2.0;
};

}  // namespace astra::reference
