#include <gtest/gtest.h>

#include "kernels/model/config.hpp"
#include "kernels/model/names.hpp"

namespace astra {
namespace {

TEST(Names, CollectiveNamesMatchAstraSim) {
  EXPECT_STREQ(collective_name(CollectiveKind::AllReduce), "all_reduce");
  EXPECT_STREQ(collective_name(CollectiveKind::AllToAll), "all_to_all");
  EXPECT_STREQ(topology_name(TopologyKind::FullyConnected), "FullyConnected");
  EXPECT_STREQ(algorithm_name(AlgorithmKind::DoubleBinaryTree), "doubleBinaryTree");
}

TEST(Units, BandwidthIsReallyGiBPerSecond) {
  // spec section 1: 50 "GB/s" -> 53.6870912 bytes per ns
  EXPECT_DOUBLE_EQ(bandwidth_bytes_per_ns(50.0), 53.6870912);
}

}  // namespace
}  // namespace astra
