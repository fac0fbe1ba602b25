// The direct algorithm (also oneDirect, and directN / oneDirectN windows), spec 4.8.2: the ring's
// step plan (ring_algorithm.hpp) with a window of packets in flight and rotating peers.
//
//            +1 --->  NPU i+1           W = p - 1 (or min(N, p - 1)), G = W; after every
//   NPU i -- +2 --->  NPU i+2           inserted packet the peers move one place round,
//            +3 --->  NPU i+3           skipping the NPU itself
//
// All-to-all sends p - 1 messages. An all-reduce sends 2(p-1): once its sends left are <= p - 1
// (its second half), a General does nothing until all p - 1 first-half messages have arrived,
// then sends as many as the free window allows.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "host/reference/logical_topology.hpp"
#include "host/reference/phase_algorithm.hpp"
#include "host/reference/ring_algorithm.hpp"

namespace astra::reference {

class DirectAlgorithm final : public RingAlgorithm {
 public:
  DirectAlgorithm(CollectiveKind kind, std::int64_t id, LogicalRing ring, std::uint64_t data_bytes, bool clockwise,
                  std::int32_t window);
  void run(AlgorithmEvent event) override;

 private:
  [[nodiscard]] std::int64_t nonzero_group_size() const override { return parallel_; }
  void after_insert() override;  // the next peers round
  std::int64_t middle_;
};

}  // namespace astra::reference
