// The workload graph's children index (Workload::index_children, carried by WorkloadGraphView):
// built once per graph on the host and shared by every point's replay. Checks the index itself on
// a fan-out / fan-in graph with a duplicated parent, the replay's per-node times on it against
// times worked out by hand and against the reference simulator (both backends), that a scratch
// reused across graphs and points keeps no state, and that a wrong or stale index is noticed.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "host/reference/reference_simulator.hpp"
#include "host/workload/workload.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/evaluator_scratch.hpp"
#include "kernels/model/point_evaluator.hpp"
#include "kernels/model/workload_replay.hpp"
#include "support/config_builders.hpp"

namespace astra {
namespace {

using testing_support::one_dim;

WorkloadNode compute(std::uint64_t us) {
  WorkloadNode n;
  n.kind = NodeKind::Compute;
  n.duration_us = us;
  return n;
}

WorkloadNode all_reduce(std::uint64_t bytes) {
  WorkloadNode n;
  n.kind = NodeKind::Collective;
  n.collective = CollectiveKind::AllReduce;
  n.size_bytes = bytes;
  return n;
}

// nodes with their parent lists, as listed (duplicates kept)
Workload graph_of(std::vector<std::pair<WorkloadNode, std::vector<std::int32_t>>> spec) {
  Workload w;
  w.source = "test graph";
  for (auto& [node, parents] : spec) {
    node.deps_begin = static_cast<std::int32_t>(w.deps.size());
    node.deps_count = static_cast<std::int32_t>(parents.size());
    w.deps.insert(w.deps.end(), parents.begin(), parents.end());
    w.nodes.push_back(node);
    w.node_names.push_back("n" + std::to_string(w.nodes.size() - 1));
  }
  w.index_children();
  return w;
}

//   0 (compute 5 us) --> 1 (all-reduce) ----------.
//                    --> 2 (compute 2 us) --> 5 (all-reduce)
//                    --> 3 (compute 3 us, 0 listed twice)
//   1, 2, 3 ----------> 4 (compute 1 us): fan-in
Workload fan_out_fan_in() {
  return graph_of({{compute(5), {}},
                   {all_reduce(1024), {0}},
                   {compute(2), {0}},
                   {compute(3), {0, 0}},
                   {compute(1), {3, 1, 2}},
                   {all_reduce(1024), {2}}});
}

NetworkConfig two_npu_ring() { return one_dim(TopologyKind::Ring, 2, 50, 500); }

SystemConfig ring_system() {
  SystemConfig s;
  s.endpoint_delay_ns = 10;
  s.preferred_dataset_splits = 4;
  s.local_mem_bw_GBps = 1600;
  s.local_bw_aware = true;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    s.implementation_count[c] = 1;
    s.implementation[c][0] = {AlgorithmKind::Ring, -1};
  }
  return s;
}

TEST(WorkloadChildrenIndex, FanOutFanInWithADuplicatedParent) {
  const Workload w = fan_out_fan_in();
  EXPECT_EQ(w.child_begin, (std::vector<std::int32_t>{0, 3, 4, 6, 7, 7, 7}));
  EXPECT_EQ(w.children, (std::vector<std::int32_t>{1, 2, 3, 4, 4, 5, 4}));  // per parent, increasing
  EXPECT_EQ(w.parent_count, (std::vector<std::int32_t>{0, 1, 1, 1, 3, 1}));  // node 3 lists 0 twice
  EXPECT_TRUE(w.deps_in_range);
  const WorkloadGraphView v = w.view();
  EXPECT_EQ(v.dep_count, 8);
  EXPECT_EQ(v.child_begin, w.child_begin.data());
  EXPECT_EQ(v.children, w.children.data());
  EXPECT_EQ(v.parent_count, w.parent_count.data());
}

TEST(WorkloadChildrenIndex, ReplayRunsTheGraphAsWorkedOutByHand) {
  // the 2-NPU ring all-reduce of 1024 bytes takes 4136 ns (FastEvaluator.WorkloadStatisticsFollowTheIssueRules)
  //   t=0     0 issued                        t=5000  0 done: 1, 2, 3 ready; 2 and 1 issued
  //   t=7000  2 done: 5 ready; 3 issued       t=9136  1 done; 5 issued (ends 13272)
  //   t=10000 3 done: 4 ready (1, 2, 3 done); 4 issued (ends 11000)
  const Workload w = fan_out_fan_in();
  const NetworkConfig net = two_npu_ring();
  auto scratch = std::make_unique<EvaluatorScratch>();
  std::vector<ReplayNodeTiming> t(w.nodes.size());
  const ReplayResult r = replay_workload(net, make_network_view(net), ring_system(), w.view(), 1.0, *scratch, t.data());
  ASSERT_EQ(r.status, ReplayStatus::Ok);
  EXPECT_EQ(r.finish_ns, 13272u);
  EXPECT_EQ(r.compute_ns, 11000u);
  EXPECT_EQ(r.comm_ns, 2 * 4136u);
  const std::uint64_t ready[] = {0, 5000, 5000, 5000, 10000, 7000};
  const std::uint64_t issue[] = {0, 5000, 5000, 7000, 10000, 9136};
  const std::uint64_t finish[] = {5000, 9136, 7000, 10000, 11000, 13272};
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_EQ(t[i].ready_ns, ready[i]) << "node " << i;
    EXPECT_EQ(t[i].issue_ns, issue[i]) << "node " << i;
    EXPECT_EQ(t[i].finish_ns, finish[i]) << "node " << i;
  }
}

TEST(WorkloadChildrenIndex, BothBackendsMatchTheReferenceOnTheSharedIndex) {
  const Workload w = fan_out_fan_in();
  const NetworkConfig net = two_npu_ring();
  const SystemConfig sys = ring_system();
  auto scratch = std::make_unique<EvaluatorScratch>();
  auto aware = std::make_unique<aware::CongestionAwareScratch>();
  for (const auto backend : {NetworkBackend::CongestionUnaware, NetworkBackend::CongestionAware}) {
    const PointMetrics fast = evaluate_point(net, sys, backend, w.view(), 1.0, *scratch, aware.get());
    const SimulationResult ref = simulate_reference(net, sys, backend, w);
    ASSERT_EQ(fast.status, PointStatus::Ok) << static_cast<int>(backend);
    ASSERT_EQ(ref.status, SimStatus::Ok);
    EXPECT_EQ(fast.finish_ns, ref.max_finish_ns()) << static_cast<int>(backend);
  }
}

TEST(WorkloadChildrenIndex, OneIndexServesManyPointsAndTheScratchKeepsNoState) {
  // one view, one scratch, points of two graphs interleaved: each equals a fresh scratch's answer
  const Workload a = fan_out_fan_in();
  const Workload b = graph_of({{all_reduce(4096), {}}, {compute(7), {}}, {compute(1), {0, 1}}, {all_reduce(512), {2}}});
  const NetworkConfig net = two_npu_ring();
  const NetworkView nv = make_network_view(net);
  const SystemConfig sys = ring_system();
  const WorkloadGraphView va = a.view(), vb = b.view();
  auto shared = std::make_unique<EvaluatorScratch>();
  for (int k = 0; k < 40; ++k) {
    const WorkloadGraphView& v = k % 3 == 0 ? vb : va;
    const double scale = 1.0 + 0.25 * (k % 7);
    auto fresh = std::make_unique<EvaluatorScratch>();
    const ReplayResult want = replay_workload(net, nv, sys, v, scale, *fresh);
    const ReplayResult got = replay_workload(net, nv, sys, v, scale, *shared);
    ASSERT_EQ(want.status, ReplayStatus::Ok);
    ASSERT_EQ(got.status, want.status) << "point " << k;
    EXPECT_EQ(got.finish_ns, want.finish_ns) << "point " << k;
    EXPECT_EQ(got.compute_ns, want.compute_ns) << "point " << k;
    EXPECT_EQ(got.comm_ns, want.comm_ns) << "point " << k;
  }
}

TEST(WorkloadChildrenIndex, AMissingChildEdgeIsNoticedNotAnsweredWrong) {
  // an index that lost the edge 0 -> 2 leaves node 2 (and 4, 5) waiting forever: the replay sees
  // that not every node finished and hands the point back rather than answering
  const Workload w = fan_out_fan_in();
  std::vector<std::int32_t> children = w.children;
  children[1] = 3;  // node 0's children {1, 2, 3} become {1, 3, 3}
  WorkloadGraphView v = w.view();
  v.children = children.data();
  const NetworkConfig net = two_npu_ring();
  auto scratch = std::make_unique<EvaluatorScratch>();
  EXPECT_EQ(replay_workload(net, make_network_view(net), ring_system(), v, 1.0, *scratch).status,
            ReplayStatus::NeedsReference);
  v.child_begin = nullptr;  // no index at all
  EXPECT_EQ(replay_workload(net, make_network_view(net), ring_system(), v, 1.0, *scratch).status,
            ReplayStatus::NeedsReference);
}

TEST(WorkloadChildrenIndex, StaleOrBadGraphsAreRefused) {
  Workload w = fan_out_fan_in();
  w.deps.push_back(0);  // changed after index_children()
  EXPECT_THROW((void)w.view(), std::logic_error);
  w.index_children();
  EXPECT_NO_THROW((void)w.view());

  Workload bad = graph_of({{compute(1), {}}, {compute(1), {0, 7}}});  // parent 7 does not exist
  EXPECT_FALSE(bad.deps_in_range);
  EXPECT_EQ(bad.parent_count[1], 1);
  const NetworkConfig net = two_npu_ring();
  auto scratch = std::make_unique<EvaluatorScratch>();
  EXPECT_EQ(replay_workload(net, make_network_view(net), ring_system(), bad.view(), 1.0, *scratch).status,
            ReplayStatus::Rejected);
}

}  // namespace
}  // namespace astra
