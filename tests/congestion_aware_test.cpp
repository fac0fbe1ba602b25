// The congestion-aware backend: ASTRA-sim's 1-D semantics plus astra-sweep's multi-dimensional
// extension (dimension-order routing, every link its own queue).
#include <gtest/gtest.h>

#include "host/reference/congestion_aware_network.hpp"
#include "host/reference/reference_simulator.hpp"

namespace astra {
namespace {

NetworkConfig network(std::initializer_list<TopologyKind> topo, std::initializer_list<std::int64_t> npus, double bw,
                      double lat) {
  NetworkConfig n;
  n.dims = static_cast<int>(topo.size());
  int d = 0;
  for (auto t : topo) n.topology[d++] = t;
  d = 0;
  for (auto p : npus) n.npus_count[d++] = p;
  for (d = 0; d < n.dims; ++d) n.bandwidth_GBps[d] = bw, n.latency_ns[d] = lat;
  return n;
}

SystemConfig ring_per_dim(int dims, std::int64_t splits, std::int32_t active_chunks) {
  SystemConfig s;
  s.endpoint_delay_ns = 10;
  s.preferred_dataset_splits = splits;
  s.active_chunks_per_dimension = active_chunks;
  s.local_mem_bw_GBps = 1600;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    s.implementation_count[c] = dims;
    for (int d = 0; d < dims; ++d) s.implementation[c][d] = AlgorithmChoice{AlgorithmKind::Ring, -1};
  }
  return s;
}

TEST(CongestionAwareRoute, OneDimensionalRoutesAreAstraSims) {
  reference::EventQueue q;
  reference::CongestionAwareNetwork ring(q, network({TopologyKind::Ring}, {5}, 50, 100));
  EXPECT_EQ(ring.route(0, 2), (std::vector<std::int64_t>{0, 1, 2}));
  EXPECT_EQ(ring.route(0, 3), (std::vector<std::int64_t>{0, 4, 3}));  // shorter way round
  reference::CongestionAwareNetwork even(q, network({TopologyKind::Ring}, {4}, 50, 100));
  EXPECT_EQ(even.route(1, 3), (std::vector<std::int64_t>{1, 2, 3}));  // tie: clockwise
  reference::CongestionAwareNetwork sw(q, network({TopologyKind::Switch}, {8}, 50, 100));
  EXPECT_EQ(sw.route(3, 6), (std::vector<std::int64_t>{3, 8, 6}));  // the switch is device p
}

TEST(CongestionAwareRoute, MultiDimensionalRoutesFixOneDigitPerDimensionInOrder) {
  reference::EventQueue q;
  // dims [4 Ring, 2 Switch]: NPU id = d0 + 4*d1
  reference::CongestionAwareNetwork net(q, network({TopologyKind::Ring, TopologyKind::Switch}, {4, 2}, 50, 100));
  // 0 (0,0) -> 6 (2,1): dim 0 ring 0->1->2, then dim 1 through the switch of group {2,6}
  const auto r = net.route(0, 6);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0], 0);
  EXPECT_EQ(r[1], 1);
  EXPECT_EQ(r[2], 2);
  EXPECT_GE(r[3], 8);  // a switch device, not an NPU
  EXPECT_EQ(r[4], 6);
  // the switch of another dim-1 group is a different device
  EXPECT_NE(net.route(1, 5)[1], r[3]);
}

// Where no link is shared and every hop is one link, both backends agree: ring per dimension on
// FullyConnected dimensions, one active chunk per dimension.
TEST(CongestionAwareMultiDim, EqualsCongestionUnawareWhereNoLinkIsShared) {
  const auto net = network({TopologyKind::FullyConnected, TopologyKind::FullyConnected}, {4, 2}, 100, 250.5);
  for (auto c : {CollectiveKind::AllReduce, CollectiveKind::ReduceScatter, CollectiveKind::AllGather}) {
    const auto w = Workload::single_collective(c, 1 << 16);
    const auto sys = ring_per_dim(2, 4, 1);
    const auto aware = simulate_reference(net, sys, NetworkBackend::CongestionAware, w);
    const auto unaware = simulate_reference(net, sys, NetworkBackend::CongestionUnaware, w);
    ASSERT_EQ(aware.status, SimStatus::Ok) << aware.message;
    ASSERT_EQ(unaware.status, SimStatus::Ok) << unaware.message;
    EXPECT_EQ(aware.finish_ns, unaware.finish_ns) << static_cast<int>(c);
  }
}

// Two messages that share a link wait for each other: an all-to-all with direct on a 4-NPU
// Switch puts 3 messages on each NPU's uplink at once, so the last leaves 2 serializations late.
TEST(CongestionAwareMultiDim, SharedUplinkSerializesMessages) {
  const double bw = 50, lat = 100;
  SystemConfig sys = ring_per_dim(1, 1, 1);
  for (int c = 0; c < kCollectiveKinds; ++c) sys.implementation[c][0] = AlgorithmChoice{AlgorithmKind::Direct, -1};
  const std::uint64_t size = 4 * 4096;  // message = size / p = 4096 B
  const auto r = simulate_reference(network({TopologyKind::Switch}, {4}, bw, lat), sys, NetworkBackend::CongestionAware,
                                    Workload::single_collective(CollectiveKind::AllToAll, size));
  ASSERT_EQ(r.status, SimStatus::Ok) << r.message;
  const auto ser = static_cast<std::uint64_t>(4096 / bandwidth_bytes_per_ns(bw));
  const auto hop = static_cast<std::uint64_t>(lat + 4096 / bandwidth_bytes_per_ns(bw));
  // uplink: 3 messages back to back from t = d; the third starts at d + 2*ser, reaches the switch
  // after one hop; its downlink is shared by three senders in the same way, so it leaves the
  // switch up to 2 serializations later; then the receive bundle costs d.
  const std::uint64_t lower = 10 + 2 * ser + 2 * hop + 10;
  EXPECT_GE(r.max_finish_ns(), lower);
  EXPECT_LE(r.max_finish_ns(), lower + 2 * ser);
  const auto unaware = simulate_reference(network({TopologyKind::Switch}, {4}, bw, lat), sys,
                                          NetworkBackend::CongestionUnaware,
                                          Workload::single_collective(CollectiveKind::AllToAll, size));
  EXPECT_GT(r.max_finish_ns(), unaware.max_finish_ns());
}

}  // namespace
}  // namespace astra
