// Property test of the fast evaluator's per-node record (kernels/model/point_node_timings.hpp):
// on seeded random congestion-unaware configurations running text workloads (one and two passes,
// so that collectives gate the next pass's compute) and random dependency graphs, the metrics
// and every node's ready / issue / finish time equal the event-driven reference simulator's NPU 0.
// Samples: ASTRA_PROPERTY_SAMPLES (default 150), seed: ASTRA_PROPERTY_SEED (default 1).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "host/input/parsers.hpp"
#include "kernels/model/point_node_timings.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/workload/workload.hpp"
#include "support/shared_data.hpp"

namespace astra {
namespace {

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

struct Sample {
  NetworkConfig network;
  SystemConfig system;
  std::shared_ptr<const Workload> workload;
  double compute_scale = 1.0;
};

class SampleGenerator {
 public:
  explicit SampleGenerator(std::uint64_t seed) : rng_(seed) {
    const std::string dir = astra::testing_support::shared_dir() + "/golden/text-workloads/inputs/";
    for (const char* f : {"Resnet50_DataParallel.txt", "MLP_ModelParallel.txt", "MLP_HybridParallel_Data_Model.txt",
                          "DLRM_HybridParallel.txt", "microAllReduce.txt", "microAllToAll.txt"})
      for (int passes = 1; passes <= 2; ++passes)
        text_.push_back(std::make_shared<Workload>(read_text_workload(dir + f, passes)));
  }

  Sample next() {
    Sample s;
    NetworkConfig& n = s.network;
    n.dims = pick(1, 3);
    const std::int64_t sizes[] = {2, 2, 4, 4, 8, 3};
    std::int64_t total = 1;
    for (int d = 0; d < n.dims; ++d) {
      n.topology[d] = static_cast<TopologyKind>(pick(0, 2));
      n.npus_count[d] = total * 8 > 32 ? 1 + pick(0, 1) : sizes[pick(0, 5)];
      if (n.npus_count[d] < 2) n.npus_count[d] = 2;
      if (total * n.npus_count[d] > 32) n.npus_count[d] = 2;
      n.bandwidth_GBps[d] = uniform(5, 900);
      n.latency_ns[d] = chance(0.3) ? 0.0 : uniform(0, 3000);
      total *= n.npus_count[d];
    }
    SystemConfig& y = s.system;
    y.scheduling_policy = chance(0.5) ? SchedulingPolicy::LIFO : SchedulingPolicy::FIFO;
    y.endpoint_delay_ns = pick(0, 20);
    y.active_chunks_per_dimension = pick(1, 3);
    y.preferred_dataset_splits = pick(1, 8);
    y.local_bw_aware = chance(0.5);
    y.local_mem_bw_GBps = uniform(10, 4000);
    for (int c = 0; c < kCollectiveKinds; ++c) {
      y.implementation_count[c] = n.dims;
      for (int d = 0; d < n.dims; ++d) y.implementation[c][d] = algorithm();
    }
    s.workload = chance(0.6) ? text_[static_cast<std::size_t>(pick(0, static_cast<int>(text_.size()) - 1))]
                             : random_graph();
    s.compute_scale = chance(0.4) ? 1.0 : uniform(0.0001, 2.0);
    return s;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  bool chance(double p) { return uniform(0, 1) < p; }

  AlgorithmChoice algorithm() {
    switch (pick(0, 5)) {
      case 0: return {AlgorithmKind::Ring, -1};
      case 1: return {AlgorithmKind::Direct, chance(0.5) ? -1 : pick(1, 4)};
      case 2: return {AlgorithmKind::HalvingDoubling, -1};
      case 3: return {AlgorithmKind::OneRing, -1};
      case 4: return {AlgorithmKind::OneDirect, -1};
      default: return {AlgorithmKind::OneHalvingDoubling, -1};
    }
  }

  std::shared_ptr<Workload> random_graph() {
    auto w = std::make_shared<Workload>();
    w->source = "random graph";
    const int n = pick(2, 30);
    for (int i = 0; i < n; ++i) {
      WorkloadNode node;
      node.kind = chance(0.5) ? NodeKind::Compute : NodeKind::Collective;
      if (node.kind == NodeKind::Compute) {
        node.duration_us = chance(0.1) ? 0 : static_cast<std::uint64_t>(pick(1, 80));
      } else {
        node.collective = static_cast<CollectiveKind>(pick(0, 2));
        node.size_bytes = std::uint64_t{1} << pick(8, 22);
      }
      node.deps_begin = static_cast<std::int32_t>(w->deps.size());
      const int parents = i == 0 ? 0 : pick(0, std::min(3, i));
      for (int k = 0; k < parents; ++k) {
        const int par = pick(0, i - 1);
        if (std::find(w->deps.begin() + node.deps_begin, w->deps.end(), par) == w->deps.end()) w->deps.push_back(par);
      }
      node.deps_count = static_cast<std::int32_t>(w->deps.size()) - node.deps_begin;
      w->nodes.push_back(node);
    }
    w->index_children();
    return w;
  }

  std::mt19937_64 rng_;
  std::vector<std::shared_ptr<Workload>> text_;
};

// "" when the fast answer and its record equal the reference's.
std::string compare(const Workload& w, const PointMetrics& fast, const std::vector<ReplayNodeTiming>& record,
                    const SimulationResult& ref) {
  if (fast.status == PointStatus::Rejected) return ref.status == SimStatus::Rejected ? "" : "fast rejects, reference does not";
  if (ref.status != SimStatus::Ok) return std::string("reference status ") + sim_status_name(ref.status) + ": " + ref.message;
  for (const auto& f : ref.finish_ns)
    if (f.value_or(0) != fast.finish_ns)
      return "finish " + std::to_string(fast.finish_ns) + " vs " + std::to_string(f.value_or(0));
  const NpuStatistics& st = *ref.stats[0];
  if (st.exposed_comm_ns != fast.exposed_comm_ns || st.compute_ns != fast.compute_ns) return "statistics differ";
  if (ref.npu0_node_timings.size() != record.size()) return "node count differs";
  for (std::size_t i = 0; i < record.size(); ++i) {
    const NodeTiming& t = ref.npu0_node_timings[i];
    std::uint64_t ready = 0;
    for (int k = 0; k < w.nodes[i].deps_count; ++k)
      ready = std::max(ready, ref.npu0_node_timings[static_cast<std::size_t>(
                                                        w.deps[static_cast<std::size_t>(w.nodes[i].deps_begin + k)])]
                                  .finish_ns);
    if (record[i].issue_ns != t.issue_ns || record[i].finish_ns != t.finish_ns || record[i].ready_ns != ready)
      return "node " + std::to_string(i) + ": fast ready/issue/finish " + std::to_string(record[i].ready_ns) + "/" +
             std::to_string(record[i].issue_ns) + "/" + std::to_string(record[i].finish_ns) + ", reference " +
             std::to_string(ready) + "/" + std::to_string(t.issue_ns) + "/" + std::to_string(t.finish_ns);
  }
  return "";
}

TEST(FastEvaluatorNodeTimingsProperty, EqualTheReferenceOnRandomWorkloads) {
  ASTRA_NEEDS_SHARED("golden/text-workloads/inputs");
  const std::uint64_t samples = env_number("ASTRA_PROPERTY_SAMPLES", 150);
  const std::uint64_t seed = env_number("ASTRA_PROPERTY_SEED", 1);
  SampleGenerator gen(seed + 7);
  auto scratch = std::make_unique<EvaluatorScratch>();
  std::vector<ReplayNodeTiming> record;
  std::uint64_t exact = 0, rejected = 0, handed_back = 0, two_pass = 0, failures = 0;
  for (std::uint64_t i = 0; i < samples; ++i) {
    const Sample s = gen.next();
    record.assign(s.workload->nodes.size(), ReplayNodeTiming{});
    const PointMetrics fast = evaluate_point_with_node_timings(s.network, s.system, NetworkBackend::CongestionUnaware,
                                                               s.workload->view(), s.compute_scale, *scratch,
                                                               record.data());
    if (fast.status == PointStatus::NeedsReference) {
      ++handed_back;
      continue;
    }
    ReferenceOptions options;
    options.compute_scale = s.compute_scale;
    const SimulationResult ref =
        simulate_reference(s.network, s.system, NetworkBackend::CongestionUnaware, *s.workload, options);
    const std::string why = compare(*s.workload, fast, record, ref);
    if (!why.empty()) {
      ADD_FAILURE() << "sample " << i << " (seed " << seed << ", " << s.workload->source << ", "
                    << s.workload->nodes.size() << " nodes, scale " << s.compute_scale << "): " << why;
      if (++failures > 10) break;
      continue;
    }
    if (fast.status == PointStatus::Rejected) {
      ++rejected;
    } else {
      ++exact;
      bool second_pass = false;
      for (const WorkloadNode& n : s.workload->nodes) second_pass = second_pass || n.pass > 0;
      two_pass += second_pass;
    }
  }
  std::printf("node timings: %llu samples, %llu exact (%llu two-pass), %llu rejected by both, %llu handed back\n",
              static_cast<unsigned long long>(samples), static_cast<unsigned long long>(exact),
              static_cast<unsigned long long>(two_pass), static_cast<unsigned long long>(rejected),
              static_cast<unsigned long long>(handed_back));
  EXPECT_GT(exact * 2, samples);
  EXPECT_GT(two_pass, 0u);
  EXPECT_LE(handed_back * 20, samples);
}

}  // namespace
}  // namespace astra
