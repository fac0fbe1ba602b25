// The halvingDoubling algorithm (also oneHalvingDoubling), spec 4.8.3: the packet engine with
// W = 1, G = log2(p) - 1, always clockwise, and a peer offset and message size that move after
// every inserted packet (the ring's step plan, ring_algorithm.hpp, replaced by its own):
//
//   step          1     2     3   |  4     5     6        (AR, p = 8)
//   peer offset   1     2     4   |  4     2     1        index/offset even: forward, odd: back
//   message       D/2   D/4   D/8 |  D/8   D/4   D/2
//
// RS and AR start at offset 1 with D/2 and double the offset / halve the message; AR turns round
// when the offset reaches p (the step is undone at once). AG starts at offset p/2 with D and
// halves the offset / doubles the message. Sends: 2 log2(p) (AR) or log2(p); no all-to-all.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "host/reference/logical_topology.hpp"
#include "host/reference/ring_algorithm.hpp"

namespace astra::reference {

class HalvingDoublingAlgorithm final : public RingAlgorithm {
 public:
  HalvingDoublingAlgorithm(CollectiveKind kind, std::int64_t id, LogicalRing ring, std::uint64_t data_bytes);

 private:
  [[nodiscard]] std::int64_t nonzero_group_size() const override;
  void after_insert() override;  // next peer offset and message size
  void set_peer();
  std::int64_t rank_offset_ = 1;
  double factor_ = 2.0;
};

}  // namespace astra::reference
