// The fast evaluator (kernels/model/point_evaluator.hpp) against three independent answers:
//  * hand-derived times from the spec's worked examples and closed forms;
//  * every golden congestion_unaware `ok` case without doubleBinaryTree (real ASTRA-sim runs):
//    exact finish time and statistics;
//  * a seeded property test over random configurations and workloads, compared with the
//    event-driven reference simulator (every NPU simulated) exactly. The sample count comes
//    from ASTRA_PROPERTY_SAMPLES (default 300), the seed from ASTRA_PROPERTY_SEED (default 1).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "host/engine/host_point_evaluator.hpp"
#include "host/golden/golden_cases.hpp"
#include "host/input/parsers.hpp"
#include "kernels/model/config_check.hpp"
#include "kernels/model/names.hpp"
#include "kernels/model/point_evaluator.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/workload/workload.hpp"
#include "support/shared_data.hpp"
#include "support/config_builders.hpp"

namespace astra {
namespace {

using testing_support::one_dim;

SystemConfig system_with(AlgorithmChoice a, std::int64_t splits, std::int64_t delay_ns, double mem_GBps,
                         int dims = 1) {
  SystemConfig s;
  s.endpoint_delay_ns = delay_ns;
  s.preferred_dataset_splits = splits;
  s.local_mem_bw_GBps = mem_GBps;
  s.local_bw_aware = true;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    s.implementation_count[c] = dims;
    for (int d = 0; d < dims; ++d) s.implementation[c][d] = a;
  }
  return s;
}

std::uint64_t delay_ns(double hops, double lat_ns, std::uint64_t bytes, double bw_GBps) {
  return static_cast<std::uint64_t>(hops * lat_ns + static_cast<double>(bytes) / bandwidth_bytes_per_ns(bw_GBps));
}

std::uint64_t reduction_cost_ns(std::uint64_t bytes, double mem_GBps) {
  return 3 * static_cast<std::uint64_t>(static_cast<double>(bytes) / (mem_GBps * 1e9) * 1e9);
}

PointMetrics collective(const NetworkConfig& n, const SystemConfig& s, CollectiveKind c, std::uint64_t bytes) {
  return evaluate_collective(n, s, NetworkBackend::CongestionUnaware, c, bytes);
}

// ------------------------------------------------------------------ hand-derived cases

TEST(FastEvaluator, SpecWorkedExampleRingAllReduceTwoNpus) {  // golden A-core-0001
  const auto m = collective(one_dim(TopologyKind::Ring, 2, 50, 500),
                            system_with({AlgorithmKind::Ring, -1}, 4, 10, 1600), CollectiveKind::AllReduce, 1024);
  ASSERT_EQ(m.status, PointStatus::Ok);
  EXPECT_EQ(m.finish_ns, 4136u);  // 4 chunks x (10 + 2 x (502 + 10))
  EXPECT_EQ(m.comm_ns, 4136u);
  EXPECT_EQ(m.exposed_comm_ns, 4136);
  EXPECT_EQ(m.gpu_ns, 0u);
  EXPECT_EQ(m.overlap_ns, 0u);
}

TEST(FastEvaluator, SpecWorkedExampleRingAllReduceFourNpus) {  // golden A-core-0021
  const auto m = collective(one_dim(TopologyKind::Ring, 4, 50, 500),
                            system_with({AlgorithmKind::Ring, -1}, 4, 10, 1600), CollectiveKind::AllReduce, 1024);
  ASSERT_EQ(m.status, PointStatus::Ok);
  EXPECT_EQ(m.finish_ns, 12304u);  // 4 x (10 + 6 x 511)
}

TEST(FastEvaluator, SpecWorkedExampleAllGatherHasNoMinimumChunk) {  // golden A-core-0006
  const auto m = collective(one_dim(TopologyKind::Ring, 2, 50, 500),
                            system_with({AlgorithmKind::Ring, -1}, 4, 10, 1600), CollectiveKind::AllGather, 1024);
  ASSERT_EQ(m.status, PointStatus::Ok);
  EXPECT_EQ(m.finish_ns, 2096u);  // 4 x (10 + 504 + 10)
}

TEST(FastEvaluator, RingAllReduceOnSwitchReducesOnFirstHalfOnly) {
  const double bw = 400, lat = 936.25, mem = 3350;
  const std::uint64_t p = 8, d = 10, splits = 4, size = 1 << 20;
  const auto m = collective(one_dim(TopologyKind::Switch, p, bw, lat),
                            system_with({AlgorithmKind::Ring, -1}, splits, d, mem), CollectiveKind::AllReduce, size);
  ASSERT_EQ(m.status, PointStatus::Ok);
  const std::uint64_t msg = size / splits / p, L = delay_ns(2, lat, msg, bw), r = reduction_cost_ns(msg, mem);
  EXPECT_EQ(m.finish_ns, splits * (d + (p - 1) * (L + d + r) + (p - 1) * (L + d)));
}

TEST(FastEvaluator, ActiveChunksOverlapIndependentStreams) {
  // one dimension, a = 2: chunks run two at a time, so 4 chunks take 2 phase times
  auto sys = system_with({AlgorithmKind::Ring, -1}, 4, 10, 1600);
  sys.active_chunks_per_dimension = 2;
  const auto m = collective(one_dim(TopologyKind::Ring, 2, 50, 500), sys, CollectiveKind::AllReduce, 1024);
  ASSERT_EQ(m.status, PointStatus::Ok);
  EXPECT_EQ(m.finish_ns, 2u * 1034u);
}

TEST(FastEvaluator, DirectAllReduceOnSwitchFollowsGatedClosedForm) {
  // spec 4.8.2: d + L + d + r + L + d per chunk when every peer is equally far
  const double bw = 100, lat = 500, mem = 1600;
  const std::uint64_t p = 4, d = 7, size = 4096;
  const auto m = collective(one_dim(TopologyKind::Switch, p, bw, lat),
                            system_with({AlgorithmKind::Direct, -1}, 1, d, mem), CollectiveKind::AllReduce, size);
  ASSERT_EQ(m.status, PointStatus::Ok);
  const std::uint64_t msg = size / p, L = delay_ns(2, lat, msg, bw), r = reduction_cost_ns(msg, mem);
  EXPECT_EQ(m.finish_ns, d + L + d + r + L + d);
}

TEST(FastEvaluator, HalvingDoublingReduceScatterChargesTheInsertedPacketsSize) {
  // p = 4: packets (offset 1, D/2), (offset 2, D/4), then a new zero group: only packet 2 reduces
  const double bw = 50, lat = 100, mem = 50;
  const std::uint64_t p = 4, d = 3, size = 1 << 16;
  const auto m = collective(one_dim(TopologyKind::Ring, p, bw, lat),
                            system_with({AlgorithmKind::HalvingDoubling, -1}, 1, d, mem), CollectiveKind::ReduceScatter,
                            size);
  ASSERT_EQ(m.status, PointStatus::Ok);
  const std::uint64_t step1 = delay_ns(1, lat, size / 2, bw) + d + reduction_cost_ns(size / 4, mem);
  const std::uint64_t step2 = delay_ns(2, lat, size / 4, bw) + d;
  EXPECT_EQ(m.finish_ns, d + step1 + step2);
}

TEST(FastEvaluator, OneRingChargesOnlyTheFirstDifferingDimension) {
  // [4, 2] Ring x Switch, oneRing: every hop i -> i+1 differs in dim 0 (a 1-hop ring message),
  // so the 8-NPU ring all-gather costs 7 dim-0 steps.
  NetworkConfig n;
  n.dims = 2;
  n.topology[0] = TopologyKind::Ring;
  n.topology[1] = TopologyKind::Switch;
  n.npus_count[0] = 4;
  n.npus_count[1] = 2;
  n.bandwidth_GBps[0] = 100;
  n.bandwidth_GBps[1] = 25;
  n.latency_ns[0] = 200;
  n.latency_ns[1] = 5000;
  const auto sys = system_with({AlgorithmKind::OneRing, -1}, 1, 10, 1600, 2);
  const auto m = collective(n, sys, CollectiveKind::AllGather, 1000);
  ASSERT_EQ(m.status, PointStatus::Ok);
  EXPECT_EQ(m.finish_ns, 10 + 7 * (delay_ns(1, 200, 1000, 100) + 10));
}

TEST(FastEvaluator, CongestionAwareAndDoubleBinaryTreeNeedTheReference) {
  const auto net = one_dim(TopologyKind::Ring, 4, 50, 500);
  // direct on a Ring shares links: only the simulation (or the reference) answers it
  EXPECT_EQ(evaluate_collective(net, system_with({AlgorithmKind::Direct, -1}, 4, 10, 1600),
                                NetworkBackend::CongestionAware, CollectiveKind::AllReduce, 1024)
                .status,
            PointStatus::NeedsReference);
  // the ring algorithm keeps every message on a private link: the closed form answers, no scratch
  EXPECT_EQ(evaluate_collective(net, system_with({AlgorithmKind::Ring, -1}, 4, 10, 1600),
                                NetworkBackend::CongestionAware, CollectiveKind::AllReduce, 1024)
                .status,
            PointStatus::Ok);
  EXPECT_EQ(collective(net, system_with({AlgorithmKind::DoubleBinaryTree, -1}, 4, 10, 1600), CollectiveKind::AllReduce,
                       1024)
                .status,
            PointStatus::NeedsReference);
}

TEST(FastEvaluator, RejectsWhatConfigCheckRejects) {
  EXPECT_EQ(collective(one_dim(TopologyKind::Ring, 6, 50, 500),
                       system_with({AlgorithmKind::HalvingDoubling, -1}, 4, 10, 1600), CollectiveKind::AllReduce, 1024)
                .status,
            PointStatus::Rejected);
  EXPECT_EQ(collective(one_dim(TopologyKind::Ring, 4, 50, 500), system_with({AlgorithmKind::Ring, -1}, 8, 10, 1600),
                       CollectiveKind::AllGather, 7)
                .status,
            PointStatus::Rejected);
}

TEST(FastEvaluator, WorkloadStatisticsFollowTheIssueRules) {
  // compute A (5 us) -> all-reduce X; compute B (2 us) after A. X overlaps B.
  Workload w;
  WorkloadNode a, x, b;
  a.kind = NodeKind::Compute;
  a.duration_us = 5;
  x.kind = NodeKind::Collective;
  x.collective = CollectiveKind::AllReduce;
  x.size_bytes = 1024;
  x.deps_begin = 0;
  x.deps_count = 1;
  b.kind = NodeKind::Compute;
  b.duration_us = 2;
  b.deps_begin = 1;
  b.deps_count = 1;
  w.nodes = {a, x, b};
  w.deps = {0, 0};
  w.index_children();
  const auto net = one_dim(TopologyKind::Ring, 2, 50, 500);
  const auto sys = system_with({AlgorithmKind::Ring, -1}, 4, 10, 1600);
  auto scratch = std::make_unique<EvaluatorScratch>();
  const auto m = evaluate_point(net, sys, NetworkBackend::CongestionUnaware, w.view(), 1.0, *scratch);
  ASSERT_EQ(m.status, PointStatus::Ok);
  EXPECT_EQ(m.finish_ns, 5000u + 4136u);  // the all-reduce (4136 ns, as above) outlasts B
  EXPECT_EQ(m.gpu_ns, 7000u);
  EXPECT_EQ(m.comm_ns, 4136u);
  EXPECT_EQ(m.overlap_ns, 7000u + 4136u - 9136u);
  EXPECT_EQ(m.exposed_comm_ns, 9136 - 7000);
  EXPECT_EQ(m.compute_ns, 7000u);
}

// ------------------------------------------------------------------ comparison helpers

// Compares a fast answer with a full simulation; returns "" when they agree exactly.
std::string compare_with_reference(const PointMetrics& fast, const SimulationResult& ref) {
  std::ostringstream why;
  if (fast.status == PointStatus::Rejected) {
    if (ref.status != SimStatus::Rejected) why << "fast rejected, reference " << sim_status_name(ref.status);
    return why.str();
  }
  if (ref.status != SimStatus::Ok) {
    why << "fast ok, reference " << sim_status_name(ref.status) << ": " << ref.message;
    return why.str();
  }
  if (fast.npus_differ) {  // the last NPU's finish and statistics, as metrics_from_simulation
    const PointMetrics r = metrics_from_simulation(ref);
    if (!r.npus_differ) why << "fast says the NPUs differ, the reference does not;";
    if (r.finish_ns != fast.finish_ns) why << " finish " << r.finish_ns << " vs " << fast.finish_ns;
    if (r.comm_ns != fast.comm_ns) why << " comm " << r.comm_ns << " vs " << fast.comm_ns;
    if (r.exposed_comm_ns != fast.exposed_comm_ns) why << " exposed " << r.exposed_comm_ns << " vs " << fast.exposed_comm_ns;
    if (r.gpu_ns != fast.gpu_ns) why << " gpu " << r.gpu_ns << " vs " << fast.gpu_ns;
    if (r.overlap_ns != fast.overlap_ns) why << " overlap " << r.overlap_ns << " vs " << fast.overlap_ns;
    if (r.compute_ns != fast.compute_ns) why << " compute " << r.compute_ns << " vs " << fast.compute_ns;
    return why.str();
  }
  for (std::size_t i = 0; i < ref.finish_ns.size(); ++i) {
    if (!ref.finish_ns[i] || *ref.finish_ns[i] != fast.finish_ns) {
      why << "NPU " << i << " finishes at " << (ref.finish_ns[i] ? std::to_string(*ref.finish_ns[i]) : "never")
          << ", fast " << fast.finish_ns;
      return why.str();
    }
    const auto& st = ref.stats[i];
    if (!st) return "no statistics";
    if (st->wall_ns != fast.finish_ns) why << " wall " << st->wall_ns;
    if (st->comm_ns.value_or(0) != fast.comm_ns) why << " comm " << st->comm_ns.value_or(0) << " vs " << fast.comm_ns;
    if (st->gpu_ns.value_or(0) != fast.gpu_ns) why << " gpu " << st->gpu_ns.value_or(0) << " vs " << fast.gpu_ns;
    if (st->overlap_ns.value_or(0) != fast.overlap_ns)
      why << " overlap " << st->overlap_ns.value_or(0) << " vs " << fast.overlap_ns;
    if (st->exposed_comm_ns != fast.exposed_comm_ns)
      why << " exposed " << st->exposed_comm_ns << " vs " << fast.exposed_comm_ns;
    if (st->compute_ns != fast.compute_ns) why << " compute " << st->compute_ns << " vs " << fast.compute_ns;
    if (!why.str().empty()) return "NPU " + std::to_string(i) + ":" + why.str();
  }
  return "";
}

bool uses_double_binary_tree(const SystemConfig& s) {
  for (int c = 0; c < kCollectiveKinds; ++c)
    for (int d = 0; d < s.implementation_count[c]; ++d)
      if (s.implementation[c][d].kind == AlgorithmKind::DoubleBinaryTree) return true;
  return false;
}

// ------------------------------------------------------------------ golden replay

std::int64_t golden_stat(const golden::GoldenCase& c, const char* name) {
  const auto it = c.expected_stats.find(name);
  if (it == c.expected_stats.end() || it->second.empty() || !it->second[0]) return 0;
  return *it->second[0];
}

// Every ok case of `backend` in `path` through the fast evaluator, exactly. Congestion-aware runs
// whose NPUs finish at different ticks report only the last NPU (counted in `apart`).
void replay_golden_file(const std::string& path, NetworkBackend backend, int& compared, int& apart) {
  const auto cases = golden::load_golden_cases(path);
  auto scratch = std::make_unique<EvaluatorScratch>();
  auto aware = std::make_unique<aware::CongestionAwareScratch>();
  for (const auto& c : cases) {
    if (c.backend != backend || c.expected_status != "ok") continue;
    if (uses_double_binary_tree(c.system)) continue;
    ASSERT_TRUE(c.load_error.empty()) << c.id << ": " << c.load_error;
    const auto m = evaluate_point(c.network, c.system, c.backend, c.workload->view(), 1.0, *scratch, aware.get());
    bool symmetric = true;
    for (const auto& f : c.expected_finish_ns) symmetric = symmetric && f == c.expected_finish_ns.front();
    for (const auto& [name, values] : c.expected_stats)
      for (const auto& v : values) symmetric = symmetric && v == values.front();
    ASSERT_EQ(m.status, PointStatus::Ok) << c.id;
    EXPECT_EQ(m.npus_differ, !symmetric) << c.id;
    if (!symmetric) {  // the fast path reports the last NPU only
      std::uint64_t last = 0;
      for (const auto& f : c.expected_finish_ns) last = std::max(last, f.value_or(0));
      EXPECT_EQ(m.finish_ns, last) << c.id;
      ++apart;
      continue;
    }
    for (const auto& f : c.expected_finish_ns) EXPECT_EQ(f.value_or(0), m.finish_ns) << c.id;
    EXPECT_EQ(golden_stat(c, "Wall time"), static_cast<std::int64_t>(m.finish_ns)) << c.id;
    EXPECT_EQ(golden_stat(c, "Comm time"), static_cast<std::int64_t>(m.comm_ns)) << c.id;
    EXPECT_EQ(golden_stat(c, "GPU time"), static_cast<std::int64_t>(m.gpu_ns)) << c.id;
    EXPECT_EQ(golden_stat(c, "Total compute-communication overlap"), static_cast<std::int64_t>(m.overlap_ns)) << c.id;
    EXPECT_EQ(golden_stat(c, "exposed_communication_cycles"), m.exposed_comm_ns) << c.id;
    ++compared;
  }
}

TEST(FastEvaluatorGolden, EveryUnawareOkCaseWithoutDoubleBinaryTreeIsExact) {
  ASTRA_NEEDS_SHARED("golden/cases.jsonl");
  int compared = 0, handed_back = 0;
  replay_golden_file(astra::testing_support::shared_dir() + "/golden/cases.jsonl", NetworkBackend::CongestionUnaware,
                     compared, handed_back);
  EXPECT_GT(compared, 500);
  EXPECT_EQ(handed_back, 0);
}

TEST(FastEvaluatorGolden, EveryCongestionAwareCollectiveCaseIsExact) {
  ASTRA_NEEDS_SHARED("golden/cases.jsonl");
  int compared = 0, handed_back = 0;
  replay_golden_file(astra::testing_support::shared_dir() + "/golden/cases.jsonl", NetworkBackend::CongestionAware,
                     compared, handed_back);
  std::printf("congestion-aware golden: %d exact (%d where NPUs differ)\n", compared + handed_back,
              handed_back);
  EXPECT_GT(compared, 400);
}

TEST(FastEvaluatorGolden, TextWorkloadCasesAreExact) {
  ASTRA_NEEDS_SHARED("golden/text-workloads/cases.jsonl");
  int compared = 0, handed_back = 0;
  replay_golden_file(astra::testing_support::shared_dir() + "/golden/text-workloads/cases.jsonl",
                     NetworkBackend::CongestionUnaware, compared, handed_back);
  EXPECT_GT(compared, 10);
  int aware = 0;
  replay_golden_file(astra::testing_support::shared_dir() + "/golden/text-workloads/cases.jsonl",
                     NetworkBackend::CongestionAware, aware, handed_back);
  EXPECT_GT(aware, 10);
}

// ------------------------------------------------------------------ property test

struct RandomPoint {
  NetworkConfig network;
  SystemConfig system;
  std::shared_ptr<const Workload> workload;
  double compute_scale = 1.0;
  std::string describe() const;
};

std::string RandomPoint::describe() const {
  std::ostringstream o;
  o << "network [";
  for (int d = 0; d < network.dims; ++d)
    o << (d ? ", " : "") << topology_name(network.topology[d]) << " " << network.npus_count[d] << " "
      << network.bandwidth_GBps[d] << "GBps " << network.latency_ns[d] << "ns";
  o << "] d=" << system.endpoint_delay_ns << " a=" << system.active_chunks_per_dimension
    << " s=" << system.preferred_dataset_splits << " " << policy_name(system.scheduling_policy)
    << (system.local_bw_aware ? " localBWAware" : " baseline") << " mem=" << system.local_mem_bw_GBps << " impl:";
  for (int c = 0; c < kCollectiveKinds; ++c) {
    o << " " << collective_name(static_cast<CollectiveKind>(c)) << "=[";
    for (int d = 0; d < system.implementation_count[c]; ++d)
      o << (d ? "," : "") << algorithm_name(system.implementation[c][d].kind)
        << (system.implementation[c][d].window > 0 ? std::to_string(system.implementation[c][d].window) : "");
    o << "]";
  }
  o << " workload " << workload->source << " (" << workload->nodes.size() << " nodes) scale " << compute_scale;
  return o.str();
}

class PointGenerator {
 public:
  explicit PointGenerator(std::uint64_t seed) : rng_(seed) {
    // ASTRA-sim's text workloads from ../shared; without it, the bundled ResNet-50 only (the
    // collectives and that workload are still checked, and the test says so)
    if (!astra::testing_support::have_shared("golden/text-workloads/inputs")) {
      std::cout << "[   NOTE   ] ../shared/golden/text-workloads/inputs absent: random workloads from "
                   "configs/workload/Resnet50_DataParallel.txt only\n";
      text_workloads_.push_back(std::make_shared<Workload>(
          read_text_workload(std::string(ASTRA_SOURCE_DIR) + "/configs/workload/Resnet50_DataParallel.txt")));
      return;
    }
    const std::string dir = astra::testing_support::shared_dir() + "/golden/text-workloads/inputs/";
    for (const char* f : {"Resnet50_DataParallel.txt", "MLP_ModelParallel.txt", "MLP_HybridParallel_Data_Model.txt",
                          "MLP_HybridParallel_Model_Data.txt", "DLRM_HybridParallel.txt", "microAllReduce.txt",
                          "microAllToAll.txt"})
      text_workloads_.push_back(std::make_shared<Workload>(read_text_workload(dir + f)));
  }

  RandomPoint next() {
    RandomPoint p;
    NetworkConfig& n = p.network;
    n.dims = pick(1, 3);
    const std::int64_t sizes[] = {1, 2, 2, 3, 4, 4, 5, 8};
    std::int64_t total = 1;
    for (int d = 0; d < n.dims; ++d) {
      n.topology[d] = static_cast<TopologyKind>(pick(0, 2));
      n.npus_count[d] = sizes[pick(0, 7)];
      n.bandwidth_GBps[d] = chance(0.5) ? std::vector<double>{25, 50, 100, 400}[pick(0, 3)] : uniform(0.5, 900);
      n.latency_ns[d] = chance(0.5) ? std::vector<double>{0, 1, 10, 500, 936.25}[pick(0, 4)] : uniform(0, 3000);
      total *= n.npus_count[d];
    }
    if (total < 2) n.npus_count[0] = 2 + pick(0, 6);
    SystemConfig& s = p.system;
    s.scheduling_policy = chance(0.5) ? SchedulingPolicy::LIFO : SchedulingPolicy::FIFO;
    s.endpoint_delay_ns = pick(0, 20);
    s.active_chunks_per_dimension = pick(1, 4);
    s.preferred_dataset_splits = pick(1, 8);
    s.local_bw_aware = chance(0.5);
    s.local_mem_bw_GBps = chance(0.5) ? std::vector<double>{50, 1600, 3350}[pick(0, 2)] : uniform(1, 4000);
    AlgorithmChoice shared[kMaxDims];
    for (int d = 0; d < n.dims; ++d) shared[d] = algorithm();
    const int shared_len = pick(1, n.dims);
    for (int c = 0; c < kCollectiveKinds; ++c) {
      const bool own = chance(0.3);
      s.implementation_count[c] = own ? pick(1, n.dims) : shared_len;
      for (int d = 0; d < s.implementation_count[c]; ++d) s.implementation[c][d] = own ? algorithm() : shared[d];
    }
    const double r = uniform(0, 1);
    if (r >= 0.55) {  // whole workloads: keep the reference simulation small (<= 32 NPUs)
      for (;;) {
        std::int64_t t = 1;
        int largest = 0;
        for (int d = 0; d < n.dims; ++d) {
          t *= n.npus_count[d];
          if (n.npus_count[d] > n.npus_count[largest]) largest = d;
        }
        if (t <= 32) break;
        n.npus_count[largest] /= 2;
      }
    }
    if (r < 0.55) {
      p.workload = std::make_shared<Workload>(Workload::single_collective(static_cast<CollectiveKind>(pick(0, 3)), size()));
    } else if (r < 0.8) {
      p.workload = random_graph();
      p.compute_scale = chance(0.5) ? 1.0 : uniform(0.0001, 2.0);
    } else {
      p.workload = text_workloads_[static_cast<std::size_t>(pick(0, static_cast<int>(text_workloads_.size()) - 1))];
      p.compute_scale = chance(0.5) ? 1.0 : uniform(0.0001, 2.0);
    }
    return p;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  bool chance(double p) { return uniform(0, 1) < p; }

  AlgorithmChoice algorithm() {
    const double r = uniform(0, 1);
    if (r < 0.3) return {AlgorithmKind::Ring, -1};
    if (r < 0.45) return {AlgorithmKind::Direct, -1};
    if (r < 0.55) return {AlgorithmKind::Direct, pick(1, 5)};
    if (r < 0.7) return {AlgorithmKind::HalvingDoubling, -1};
    if (r < 0.8) return {AlgorithmKind::OneRing, -1};
    if (r < 0.9) return {AlgorithmKind::OneDirect, chance(0.7) ? -1 : pick(1, 4)};
    return {AlgorithmKind::OneHalvingDoubling, -1};
  }

  std::uint64_t size() {
    const double r = uniform(0, 1);
    if (r < 0.2) return static_cast<std::uint64_t>(pick(1, 64));
    if (r < 0.5) return static_cast<std::uint64_t>(pick(1, 1 << 16));
    if (r < 0.9) return static_cast<std::uint64_t>(pick(1, 1 << 24));
    return std::uint64_t{1} << pick(24, 30);
  }

  // A random DAG of compute and collective nodes (parents always have lower ids).
  std::shared_ptr<Workload> random_graph() {
    auto w = std::make_shared<Workload>();
    w->source = "random graph";
    const int n = pick(1, 24);
    const int kinds = pick(1, 4);  // how many distinct collective kinds appear
    for (int i = 0; i < n; ++i) {
      WorkloadNode node;
      node.kind = chance(0.5) ? NodeKind::Compute : NodeKind::Collective;
      if (node.kind == NodeKind::Compute) {
        node.duration_us = chance(0.15) ? 0 : static_cast<std::uint64_t>(pick(1, 60));
      } else {
        node.collective = static_cast<CollectiveKind>(pick(0, kinds - 1));
        node.size_bytes = chance(0.5) ? std::uint64_t{1} << pick(4, 22) : size() / 16 + 1;
      }
      node.deps_begin = static_cast<std::int32_t>(w->deps.size());
      const int parents = i == 0 ? 0 : pick(0, std::min(3, i));
      for (int k = 0; k < parents; ++k) {
        const int par = pick(0, i - 1);
        bool dup = false;
        for (int q = node.deps_begin; q < static_cast<int>(w->deps.size()); ++q) dup = dup || w->deps[q] == par;
        if (!dup) w->deps.push_back(par);
      }
      node.deps_count = static_cast<std::int32_t>(w->deps.size()) - node.deps_begin;
      w->nodes.push_back(node);
    }
    w->index_children();
    return w;
  }

  std::mt19937_64 rng_;
  std::vector<std::shared_ptr<Workload>> text_workloads_;
};

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

TEST(FastEvaluatorProperty, MatchesTheReferenceSimulatorExactly) {
  const std::uint64_t samples = env_number("ASTRA_PROPERTY_SAMPLES", 300);
  const std::uint64_t seed = env_number("ASTRA_PROPERTY_SEED", 1);
  PointGenerator gen(seed);
  auto scratch = std::make_unique<EvaluatorScratch>();
  std::uint64_t ok = 0, rejected = 0, needs_reference = 0, failures = 0;
  for (std::uint64_t i = 0; i < samples; ++i) {
    const RandomPoint p = gen.next();
    const PointMetrics fast = evaluate_point(p.network, p.system, NetworkBackend::CongestionUnaware,
                                             p.workload->view(), p.compute_scale, *scratch);
    if (fast.status == PointStatus::NeedsReference) {
      ++needs_reference;
      continue;
    }
    ReferenceOptions options;
    options.compute_scale = p.compute_scale;
    const SimulationResult ref =
        simulate_reference(p.network, p.system, NetworkBackend::CongestionUnaware, *p.workload, options);
    const std::string why = compare_with_reference(fast, ref);
    if (!why.empty()) {
      ++failures;
      ADD_FAILURE() << "sample " << i << " (seed " << seed << "): " << why << "\n  " << p.describe();
      if (failures > 10) break;
    }
    (fast.status == PointStatus::Ok ? ok : rejected) += 1;
  }
  std::printf("property: %llu samples, %llu exact, %llu rejected by both, %llu need the reference\n",
              static_cast<unsigned long long>(samples), static_cast<unsigned long long>(ok),
              static_cast<unsigned long long>(rejected), static_cast<unsigned long long>(needs_reference));
  // the fast path must stay the fast path: same-tick races are rare
  EXPECT_LE(needs_reference * 50, samples) << "more than 2% of the points left the fast path";
  EXPECT_GT(ok * 2, samples);
}

// The congestion-aware fast path (kernels/model/congestion_aware) on random lone collectives,
// graphs and text workloads, 1-D and multi-dimensional (astra-sweep's extension), every
// algorithm but doubleBinaryTree.
TEST(FastEvaluatorProperty, CongestionAwareMatchesTheReference) {
  const std::uint64_t samples = env_number("ASTRA_PROPERTY_SAMPLES", 300);
  const std::uint64_t seed = env_number("ASTRA_PROPERTY_SEED", 1);
  PointGenerator gen(seed + 1000);
  auto scratch = std::make_unique<EvaluatorScratch>();
  auto aware = std::make_unique<aware::CongestionAwareScratch>();
  std::uint64_t drawn = 0, ok = 0, rejected = 0, needs_reference = 0, beyond_scratch = 0, failures = 0;
  while (drawn < samples) {
    const RandomPoint p = gen.next();
    const bool lone = p.workload->nodes.size() == 1 && p.workload->nodes[0].kind == NodeKind::Collective &&
                      p.workload->nodes[0].deps_count == 0;
    if (p.network.total_npus() > 32 || uses_double_binary_tree(p.system)) continue;
    if (!lone && p.workload->nodes.size() > 60 && p.network.total_npus() > 8) continue;  // keep the reference quick
    ++drawn;
    const PointMetrics fast = evaluate_point(p.network, p.system, NetworkBackend::CongestionAware,
                                             p.workload->view(), p.compute_scale, *scratch, aware.get());
    ReferenceOptions options;
    options.compute_scale = p.compute_scale;
    const SimulationResult ref =
        simulate_reference(p.network, p.system, NetworkBackend::CongestionAware, *p.workload, options);
    if (fast.status == PointStatus::NeedsReference) {
      ++needs_reference;
      // only runs beyond the scratch, or that the reference cannot finish, may be handed back
      const auto why =
          aware::simulate_aware_workload(*aware, p.network, p.system, p.workload->view(), p.compute_scale);
      if (ref.status == SimStatus::Ok && why.status != aware::AwareStatus::BeyondScratch)
        ADD_FAILURE() << "handed back a run the reference finishes: " << p.describe();
      beyond_scratch += why.status == aware::AwareStatus::BeyondScratch;
      continue;
    }
    const std::string why = compare_with_reference(fast, ref);
    if (!why.empty()) {
      ++failures;
      ADD_FAILURE() << "aware sample " << drawn << " (seed " << seed << "): " << why << "\n  " << p.describe();
      if (failures > 10) break;
    }
    (fast.status == PointStatus::Ok ? ok : rejected) += 1;
  }
  std::printf("aware property: %llu samples, %llu exact, %llu rejected by both, %llu handed back (%llu beyond the scratch)\n",
              static_cast<unsigned long long>(drawn), static_cast<unsigned long long>(ok),
              static_cast<unsigned long long>(rejected), static_cast<unsigned long long>(needs_reference),
              static_cast<unsigned long long>(beyond_scratch));
  EXPECT_GT(ok * 2, drawn);
}

}  // namespace
}  // namespace astra
