// Hand-derived expectations for the reference simulator: each expected time is worked out from
// the spec's formulas (alpha-beta delays with ASTRA-sim's step structure), not read from a run.
#include <gtest/gtest.h>

#include <cmath>

#include "host/reference/reference_simulator.hpp"

namespace astra {
namespace {

NetworkConfig one_dim(TopologyKind t, std::int64_t npus, double bw_GBps, double lat_ns) {
  NetworkConfig n;
  n.dims = 1;
  n.topology[0] = t;
  n.npus_count[0] = npus;
  n.bandwidth_GBps[0] = bw_GBps;
  n.latency_ns[0] = lat_ns;
  return n;
}

SystemConfig system_with(AlgorithmKind a, std::int64_t splits, std::int64_t delay_ns, double mem_GBps) {
  SystemConfig s;
  s.endpoint_delay_ns = delay_ns;
  s.preferred_dataset_splits = splits;
  s.local_mem_bw_GBps = mem_GBps;
  s.local_bw_aware = true;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    s.implementation_count[c] = 1;
    s.implementation[c][0] = AlgorithmChoice{a, -1};
  }
  return s;
}

std::uint64_t delay(double hops, double lat_ns, std::uint64_t bytes, double bw_GBps) {
  return static_cast<std::uint64_t>(hops * lat_ns + static_cast<double>(bytes) / bandwidth_bytes_per_ns(bw_GBps));
}

std::uint64_t reduction_ns(std::uint64_t bytes, double mem_GBps) {
  return 3 * static_cast<std::uint64_t>(static_cast<double>(bytes) / (mem_GBps * 1e9) * 1e9);
}

SimulationResult run(const NetworkConfig& n, const SystemConfig& s, CollectiveKind c, std::uint64_t bytes,
                     NetworkBackend b = NetworkBackend::CongestionUnaware) {
  return simulate_reference(n, s, b, Workload::single_collective(c, bytes));
}

// spec 4.8.1 worked example (golden A-core-0001): Ring p=2, 50 GB/s, 500 ns, d=10, 4 splits,
// all-reduce of 1024 B: 4 chunks of 256 B, messages of 128 B.
TEST(ReferenceSimulator, RingAllReduceOnTwoNpuRingMatchesClosedForm) {
  const auto net = one_dim(TopologyKind::Ring, 2, 50, 500);
  const auto sys = system_with(AlgorithmKind::Ring, 4, 10, 1600);
  const auto r = run(net, sys, CollectiveKind::AllReduce, 1024);
  ASSERT_EQ(r.status, SimStatus::Ok) << r.message;
  const std::uint64_t L = delay(1, 500, 128, 50);  // 502
  const std::uint64_t phase = 10 + 2 * (L + 10 + 0) + reduction_ns(128, 1600);
  EXPECT_EQ(L, 502u);
  EXPECT_EQ(r.max_finish_ns(), 4 * phase);
  EXPECT_EQ(r.max_finish_ns(), 4136u);
  for (const auto& f : r.finish_ns) EXPECT_EQ(f, r.finish_ns[0]);
}

// Ring all-reduce on an 8-NPU Switch: T_phase = d + sum over 2(p-1) steps of (L + d + r_k), where
// the first p-1 receives reduce. A switch message crosses 2 hops.
TEST(ReferenceSimulator, RingAllReduceOnSwitchFollowsAlphaBetaWithStepStructure) {
  const double bw = 400, lat = 936.25, mem = 3350;
  const std::int64_t p = 8, d = 10, splits = 4;
  const std::uint64_t size = 1 << 20;
  const auto r = run(one_dim(TopologyKind::Switch, p, bw, lat), system_with(AlgorithmKind::Ring, splits, d, mem),
                     CollectiveKind::AllReduce, size);
  ASSERT_EQ(r.status, SimStatus::Ok) << r.message;
  const std::uint64_t chunk = size / splits, msg = chunk / p;
  const std::uint64_t L = delay(2, lat, msg, bw), red = reduction_ns(msg, mem);
  const std::uint64_t phase = d + (p - 1) * (L + d + red) + (p - 1) * (L + d);
  EXPECT_EQ(r.max_finish_ns(), splits * phase);
}

TEST(ReferenceSimulator, AllGatherHasNoMinimumChunkAndNoReduction) {
  // spec: A-core-0006, AG p=2 of 1024 B: chunk 256, message 256, L = 504, T = 4 * (10 + 514) = 2096
  const auto r = run(one_dim(TopologyKind::Ring, 2, 50, 500), system_with(AlgorithmKind::Ring, 4, 10, 1600),
                     CollectiveKind::AllGather, 1024);
  ASSERT_EQ(r.status, SimStatus::Ok) << r.message;
  EXPECT_EQ(r.max_finish_ns(), 2096u);
}

TEST(ReferenceSimulator, MinimumChunkRuleInflatesSmallCollectives) {
  // 8 NPUs, 4 splits, 16 B all-to-all: chunk = 4 < 8 NPUs, so chunk = 8 and size = 32 B.
  // direct: W = p-1 = 7 sends at d, each message chunk/p = 1 B, then d on each receive.
  const double bw = 100, lat = 200;
  const auto r = run(one_dim(TopologyKind::FullyConnected, 8, bw, lat), system_with(AlgorithmKind::Direct, 4, 10, 100),
                     CollectiveKind::AllToAll, 16);
  ASSERT_EQ(r.status, SimStatus::Ok) << r.message;
  const std::uint64_t L = delay(1, lat, 1, bw);
  EXPECT_EQ(r.max_finish_ns(), 4 * (10 + L + 10));
}

TEST(ReferenceSimulator, CongestionAwareSwitchChargesEachHopSeparately) {
  // spec 3.3: with no contention a switch message costs 2 * floor(lat + size/B).
  const double bw = 50, lat = 500.5;
  const auto sys = system_with(AlgorithmKind::Ring, 1, 10, 1600);
  const auto r = run(one_dim(TopologyKind::Switch, 2, bw, lat), sys, CollectiveKind::AllGather, 1000,
                     NetworkBackend::CongestionAware);
  ASSERT_EQ(r.status, SimStatus::Ok) << r.message;
  const auto hop = static_cast<std::uint64_t>(lat + 1000 / bandwidth_bytes_per_ns(bw));
  EXPECT_EQ(r.max_finish_ns(), 10 + 2 * hop + 10);
}

TEST(ReferenceSimulator, TwoNpuCongestionAwareRingSimulatesInsteadOfAborting) {
  const auto r = run(one_dim(TopologyKind::Ring, 2, 50, 500), system_with(AlgorithmKind::Ring, 4, 10, 1600),
                     CollectiveKind::AllReduce, 1024, NetworkBackend::CongestionAware);
  ASSERT_EQ(r.status, SimStatus::Ok) << r.message;
  // no link is shared in a 2-NPU ring all-reduce: same as congestion-unaware (1 hop each)
  EXPECT_EQ(r.max_finish_ns(), 4136u);
}

TEST(ReferenceSimulator, EndpointDelayZeroIsAnOrdinaryTime) {
  const auto r = run(one_dim(TopologyKind::Ring, 2, 50, 500), system_with(AlgorithmKind::Ring, 4, 0, 1600),
                     CollectiveKind::AllReduce, 1024);
  ASSERT_EQ(r.status, SimStatus::Ok) << r.message;
  EXPECT_EQ(r.max_finish_ns(), 4u * 2 * 502);
}

TEST(ReferenceSimulator, RejectsWhatAstraSimCannotRun) {
  auto sys = system_with(AlgorithmKind::HalvingDoubling, 4, 10, 1600);
  auto r = run(one_dim(TopologyKind::Switch, 6, 50, 500), sys, CollectiveKind::AllReduce, 4096);
  EXPECT_EQ(r.status, SimStatus::Rejected);
  EXPECT_NE(r.message.find("power-of-two"), std::string::npos) << r.message;
  r = run(one_dim(TopologyKind::Switch, 8, 50, 500), sys, CollectiveKind::AllToAll, 4096);
  EXPECT_EQ(r.status, SimStatus::Rejected);
  sys = system_with(AlgorithmKind::DoubleBinaryTree, 4, 10, 1600);
  r = run(one_dim(TopologyKind::Switch, 6, 50, 500), sys, CollectiveKind::AllReduce, 4096);
  EXPECT_EQ(r.status, SimStatus::Rejected);
  sys = system_with(AlgorithmKind::Ring, 8, 10, 1600);
  r = run(one_dim(TopologyKind::Switch, 4, 50, 500), sys, CollectiveKind::AllGather, 7);
  EXPECT_EQ(r.status, SimStatus::Rejected);
  EXPECT_NE(r.message.find("size_bytes"), std::string::npos) << r.message;
}

// A halvingDoubling entry on a dimension of 1 NPU is skipped (ASTRA-sim never builds it), so an
// all-to-all with [halvingDoubling, ring] on a [1, 4] network runs as the ring on dimension 1,
// while the same list on [4, 1] is refused (the halvingDoubling dimension is active).
TEST(ReferenceSimulator, HalvingDoublingAllToAllIsRefusedOnlyOnAnActiveDimension) {
  NetworkConfig skipped;
  skipped.dims = 2;
  for (int d = 0; d < 2; ++d) {
    skipped.topology[d] = TopologyKind::Switch;
    skipped.bandwidth_GBps[d] = 50;
    skipped.latency_ns[d] = 500;
  }
  skipped.npus_count[0] = 1;
  skipped.npus_count[1] = 4;
  SystemConfig sys = system_with(AlgorithmKind::Ring, 4, 10, 1600);
  const int a2a = static_cast<int>(CollectiveKind::AllToAll);
  sys.implementation_count[a2a] = 2;
  sys.implementation[a2a][0] = AlgorithmChoice{AlgorithmKind::HalvingDoubling, -1};
  sys.implementation[a2a][1] = AlgorithmChoice{AlgorithmKind::Ring, -1};
  SystemConfig rings = sys;
  rings.implementation[a2a][0] = AlgorithmChoice{AlgorithmKind::Ring, -1};
  const auto r = run(skipped, sys, CollectiveKind::AllToAll, 65536);
  ASSERT_EQ(r.status, SimStatus::Ok) << r.message;
  EXPECT_EQ(r.max_finish_ns(), run(skipped, rings, CollectiveKind::AllToAll, 65536).max_finish_ns());
  EXPECT_GT(r.max_finish_ns(), 0u);

  NetworkConfig active = skipped;
  active.npus_count[0] = 4;
  active.npus_count[1] = 1;
  const auto refused = run(active, sys, CollectiveKind::AllToAll, 65536);
  EXPECT_EQ(refused.status, SimStatus::Rejected);
  EXPECT_NE(refused.message.find("all_to_all"), std::string::npos) << refused.message;
}

}  // namespace
}  // namespace astra
