// The congestion-aware simulation of NPU 0 alone on symmetric runs
// (kernels/model/congestion_aware/quotient_symmetry.hpp) against the simulation of every NPU, on
// random 1-D configurations (every topology and algorithm, 1-4 active chunks, tiny and integer
// latencies that make same-tick races likely) and random workload graphs: the answers must be
// equal, and the quotient must actually answer most symmetric runs (else it would be untested).
// Beyond the whole simulation's 64 NPUs the quotient is checked against the reference simulator.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "host/reference/reference_simulator.hpp"
#include "host/workload/workload.hpp"
#include "kernels/model/congestion_aware/aware_simulation.hpp"
#include "support/aware_cases.hpp"
#include "support/config_builders.hpp"
#include "support/hgx_setups.hpp"

namespace astra {
namespace {

using testing_support::AwareCase;
using testing_support::AwareCaseGenerator;

int samples_per_class() {
  const char* v = std::getenv("ASTRA_PROPERTY_SAMPLES");
  return v && *v ? std::atoi(v) : 150;
}

std::string outcome(const aware::AwareResult& r) {
  return "status " + std::to_string(static_cast<int>(r.status)) + " finish " + std::to_string(r.finish_ns) +
         " compute " + std::to_string(r.compute_ns) + " comm " + std::to_string(r.comm_ns) + " differ " +
         std::to_string(r.npus_differ) + " has " + std::to_string(r.has_compute) + std::to_string(r.has_comm);
}

bool same_answer(const aware::AwareResult& a, const aware::AwareResult& b) {
  return a.status == b.status && a.finish_ns == b.finish_ns && a.compute_ns == b.compute_ns &&
         a.comm_ns == b.comm_ns && a.npus_differ == b.npus_differ && a.has_compute == b.has_compute &&
         a.has_comm == b.has_comm;
}

struct Class {
  TopologyKind topology;
  AlgorithmKind algorithm;
  bool symmetric;  // the quotient applies (power-of-two NPU counts for halvingDoubling)
};
constexpr Class kClasses[] = {
    {TopologyKind::Switch, AlgorithmKind::Ring, true},
    {TopologyKind::Switch, AlgorithmKind::Direct, true},
    {TopologyKind::Switch, AlgorithmKind::HalvingDoubling, true},
    {TopologyKind::FullyConnected, AlgorithmKind::Ring, true},
    {TopologyKind::FullyConnected, AlgorithmKind::Direct, true},
    {TopologyKind::FullyConnected, AlgorithmKind::HalvingDoubling, true},
    {TopologyKind::Ring, AlgorithmKind::Ring, true},
    {TopologyKind::Ring, AlgorithmKind::Direct, true},
    {TopologyKind::Ring, AlgorithmKind::HalvingDoubling, false},  // a ring's routes are not xor-symmetric
};

struct Tally {
  int compared = 0, quotient = 0, abandoned = 0;
};

void compare(const AwareCase& c, const aware::AwareResult& fast, const aware::AwareResult& whole, Tally& t) {
  ++t.compared;
  if (fast.quotient) ++t.quotient;
  if (fast.quotient_abandoned) ++t.abandoned;
  EXPECT_TRUE(same_answer(fast, whole)) << c.describe() << "\n quotient: " << outcome(fast)
                                        << "\n every NPU: " << outcome(whole);
}

TEST(QuotientSymmetry, EqualsEveryNpuSimulatedOnRandomCollectives) {
  AwareCaseGenerator gen(23);
  auto scratch = std::make_unique<aware::CongestionAwareScratch>();
  for (const Class& k : kClasses) {
    Tally t;
    for (int i = 0; i < samples_per_class(); ++i) {
      const AwareCase c = gen.next(k.topology, k.algorithm, 1 + i % 4);
      const aware::AwareResult fast = aware::simulate_aware_collective(*scratch, c.net, c.sys, c.collective, c.size_bytes);
      const aware::AwareResult whole =
          aware::simulate_aware_collective(*scratch, c.net, c.sys, c.collective, c.size_bytes, false);
      EXPECT_FALSE(whole.quotient);
      compare(c, fast, whole, t);
      if (::testing::Test::HasFailure()) return;
    }
    std::printf("%s %s: %d compared, %d by the quotient, %d abandoned (same-tick race)\n",
                topology_name(k.topology), algorithm_name(k.algorithm), t.compared, t.quotient, t.abandoned);
    if (k.symmetric) {
      EXPECT_GT(t.quotient, t.compared / 2) << "the quotient should answer most symmetric runs";
    } else {
      EXPECT_EQ(t.quotient, 0);
    }
  }
}

// astra-sweep's multi-dimensional extension: each dimension's digit relabelled on its own.
TEST(QuotientSymmetry, EqualsEveryNpuSimulatedOnRandomMultiDimensionalRuns) {
  AwareCaseGenerator gen(31);
  auto scratch = std::make_unique<aware::CongestionAwareScratch>();
  Tally t;
  int beyond = 0;
  for (int dims = 2; dims <= 3; ++dims) {
    for (const Class& k : kClasses) {
      for (int i = 0; i < samples_per_class() / 2; ++i) {
        const AwareCase c = gen.next(k.topology, k.algorithm, 1 + i % 4, dims);
        const aware::AwareResult fast =
            aware::simulate_aware_collective(*scratch, c.net, c.sys, c.collective, c.size_bytes);
        const aware::AwareResult whole =
            aware::simulate_aware_collective(*scratch, c.net, c.sys, c.collective, c.size_bytes, false);
        if (whole.status == aware::AwareStatus::BeyondScratch && fast.status == aware::AwareStatus::Ok) {
          // more NPUs than the whole simulation holds: the reference simulator decides (a few)
          if (beyond++ >= 12) continue;
          const SimulationResult ref = simulate_reference(c.net, c.sys, NetworkBackend::CongestionAware,
                                                          Workload::single_collective(c.collective, c.size_bytes));
          if (ref.status == SimStatus::Rejected) continue;  // the point evaluator rejects it before
          ASSERT_EQ(ref.status, SimStatus::Ok) << c.describe() << ref.message;
          EXPECT_EQ(fast.finish_ns, ref.max_finish_ns()) << c.describe();
          continue;
        }
        compare(c, fast, whole, t);
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
  std::printf("2-D and 3-D: %d compared, %d by the quotient, %d abandoned; %d beyond the whole simulation's NPUs\n",
              t.compared, t.quotient, t.abandoned, beyond);
  EXPECT_GT(t.quotient, t.compared / 3);
}

TEST(QuotientSymmetry, EqualsEveryNpuSimulatedOnRandomWorkloadGraphs) {
  AwareCaseGenerator gen(29);
  auto scratch = std::make_unique<aware::CongestionAwareScratch>();
  Tally t;
  for (const Class& k : kClasses) {
    for (int i = 0; i < samples_per_class() / 3; ++i) {
      const AwareCase c = gen.next(k.topology, k.algorithm, 1 + i % 3, 1 + i % 2);
      const std::shared_ptr<Workload> w = gen.graph();
      const aware::AwareResult fast = aware::simulate_aware_workload(*scratch, c.net, c.sys, w->view(), 1.0);
      const aware::AwareResult whole = aware::simulate_aware_workload(*scratch, c.net, c.sys, w->view(), 1.0, false);
      compare(c, fast, whole, t);
      if (::testing::Test::HasFailure()) return;
    }
  }
  std::printf("graphs: %d compared, %d by the quotient, %d abandoned\n", t.compared, t.quotient, t.abandoned);
  EXPECT_GT(t.quotient, t.compared / 3);
}

// Where the NPUs' runs really differ (direct on a 5-NPU Ring, 2 active chunks: same-tick
// arrivals from several peers for several streams, ordered differently on different NPUs), the
// quotient must notice the race and hand the run to the whole simulation; without that check it
// would answer NPU 0's finish as everyone's and hide that the NPUs differ.
TEST(QuotientSymmetry, HandsRacingRunsToTheWholeSimulation) {
  auto scratch = std::make_unique<aware::CongestionAwareScratch>();
  const NetworkConfig net = testing_support::one_dim(TopologyKind::Ring, 5, 100.0, 0.0);
  SystemConfig sys;
  sys.scheduling_policy = SchedulingPolicy::FIFO;
  sys.endpoint_delay_ns = 14;
  sys.active_chunks_per_dimension = 2;
  sys.preferred_dataset_splits = 6;
  sys.local_mem_bw_GBps = 1600;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    sys.implementation_count[c] = 1;
    sys.implementation[c][0] = AlgorithmChoice{AlgorithmKind::Direct, -1};
  }
  const aware::AwareResult whole =
      aware::simulate_aware_collective(*scratch, net, sys, CollectiveKind::AllReduce, 48856, false);
  ASSERT_EQ(whole.status, aware::AwareStatus::Ok);
  EXPECT_TRUE(whole.npus_differ);  // the premise: a run that is not symmetric
  const aware::AwareResult fast = aware::simulate_aware_collective(*scratch, net, sys, CollectiveKind::AllReduce, 48856);
  EXPECT_TRUE(fast.quotient_abandoned);
  EXPECT_FALSE(fast.quotient);
  EXPECT_TRUE(same_answer(fast, whole)) << outcome(fast) << " vs " << outcome(whole);
}

// The bundled HGX configurations (8-NPU Switch, ring, 2 active chunks): every size from 1 KiB
// to 1 GiB by the quotient, equal to every NPU simulated.
TEST(QuotientSymmetry, AnswersTheHgxConfigurations) {
  auto scratch = std::make_unique<aware::CongestionAwareScratch>();
  const calibration::CollectiveSetup hgx = testing_support::hgx_h100_switch8();
  const NetworkConfig& net = hgx.network;
  const SystemConfig& sys = hgx.system;
  int quotient = 0, compared = 0;
  for (std::uint64_t size = 1024; size <= (std::uint64_t{1} << 30); size *= 2) {
    for (const CollectiveKind c : {CollectiveKind::AllReduce, CollectiveKind::AllGather, CollectiveKind::ReduceScatter}) {
      const aware::AwareResult fast = aware::simulate_aware_collective(*scratch, net, sys, c, size);
      const aware::AwareResult whole = aware::simulate_aware_collective(*scratch, net, sys, c, size, false);
      ASSERT_EQ(fast.status, aware::AwareStatus::Ok);
      EXPECT_TRUE(same_answer(fast, whole)) << size << " B: " << outcome(fast) << " vs " << outcome(whole);
      EXPECT_LT(fast.events, whole.events);
      ++compared;
      if (fast.quotient) ++quotient;
    }
  }
  EXPECT_GE(quotient, compared * 9 / 10);
}

// More NPUs than the whole simulation's scratch holds (64): the quotient answers, and the
// reference simulator (every NPU, host/reference) agrees.
TEST(QuotientSymmetry, AnswersBeyondSixtyFourNpusLikeTheReference) {
  auto scratch = std::make_unique<aware::CongestionAwareScratch>();
  for (const TopologyKind topology : {TopologyKind::Switch, TopologyKind::Ring}) {
    const calibration::CollectiveSetup hgx = testing_support::hgx_h100_switch8();
    NetworkConfig net = hgx.network;
    net.topology[0] = topology;
    net.npus_count[0] = 96;
    const SystemConfig& sys = hgx.system;
    for (const std::uint64_t size : {std::uint64_t{1} << 20, std::uint64_t{3} << 24}) {
      const aware::AwareResult whole =
          aware::simulate_aware_collective(*scratch, net, sys, CollectiveKind::AllReduce, size, false);
      EXPECT_EQ(whole.status, aware::AwareStatus::BeyondScratch);
      const aware::AwareResult fast = aware::simulate_aware_collective(*scratch, net, sys, CollectiveKind::AllReduce, size);
      ASSERT_EQ(fast.status, aware::AwareStatus::Ok) << topology_name(topology) << " " << size;
      ASSERT_TRUE(fast.quotient);
      const SimulationResult ref = simulate_reference(net, sys, NetworkBackend::CongestionAware,
                                                      Workload::single_collective(CollectiveKind::AllReduce, size));
      ASSERT_EQ(ref.status, SimStatus::Ok) << ref.message;
      EXPECT_EQ(fast.finish_ns, ref.max_finish_ns()) << topology_name(topology) << " " << size;
    }
  }
}

}  // namespace
}  // namespace astra
