// The ring algorithm (also oneRing), spec 4.8.1: its step plan on the packet engine
// (packet_engine.hpp). Direct and halvingDoubling start from this plan and change what differs
// (direct_algorithm.hpp, halving_doubling_algorithm.hpp).
//
//      NPU i-1 ---> NPU i ---> NPU i+1        W = 1, G = p - 1; every packet to the next NPU,
//                                             from the previous one (the other way round when
//                                             not clockwise)
//     op   sends         message bytes   output bytes     (D = the phase's input bytes)
//     AR   2(p-1)        D/p             D
//     RS   p-1           D/p             D/p
//     AG   p-1           D               D*p
//     A2A  p(p-1)/2      D/p             D
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "host/reference/logical_topology.hpp"
#include "host/reference/packet_engine.hpp"

namespace astra::reference {

class RingAlgorithm : public PacketEngine {
 public:
  RingAlgorithm(CollectiveKind kind, std::int64_t id, LogicalRing ring, std::uint64_t data_bytes, bool clockwise);

 protected:
  [[nodiscard]] std::int64_t nonzero_group_size() const override { return (p_ - 1) * parallel_; }
  void after_insert() override {}  // the ring's peers and message size never change
};

}  // namespace astra::reference
