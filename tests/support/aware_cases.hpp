// Random congestion-aware test configurations (1-D to 4-D, one chosen algorithm and topology in
// dimension 0, random members of the contention-free set above it) and random workload graphs,
// for the property tests that compare the aware fast paths with the event simulation
// (contention_free_test.cpp, quotient_symmetry_test.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "host/workload/workload.hpp"
#include "kernels/model/config.hpp"
#include "kernels/model/names.hpp"
#include "config_builders.hpp"

namespace astra::testing_support {

struct AwareCase {
  NetworkConfig net;
  SystemConfig sys;
  CollectiveKind collective = CollectiveKind::AllReduce;
  std::uint64_t size_bytes = 0;

  std::string describe() const {
    std::ostringstream o;
    for (int d = 0; d < net.dims; ++d)
      o << "[" << topology_name(net.topology[d]) << " " << net.npus_count[d] << " NPUs " << net.bandwidth_GBps[d]
        << " GB/s " << net.latency_ns[d] << " ns " << algorithm_name(sys.implementations(collective)[d].kind) << "] ";
    o << collective_name(collective) << " " << size_bytes << " B, a="
      << sys.active_chunks_per_dimension << " splits=" << sys.preferred_dataset_splits
      << " d=" << sys.endpoint_delay_ns << (sys.local_bw_aware ? " localBWAware" : " baseline")
      << " mem=" << sys.local_mem_bw_GBps << " " << policy_name(sys.scheduling_policy);
    return o.str();
  }
};

class AwareCaseGenerator {
 public:
  explicit AwareCaseGenerator(std::uint64_t seed) : rng_(seed) {}

  // `algorithm` on `topology` for every collective in dimension 0; `dims` - 1 more dimensions
  // (2 to 4 NPUs each) with random members of the set.
  AwareCase next(TopologyKind topology, AlgorithmKind algorithm, int active_chunks, int dims = 1) {
    AwareCase c;
    // halvingDoubling: powers of two, and 6 and 12 (where only all-gather finishes)
    const std::int64_t npus = algorithm == AlgorithmKind::HalvingDoubling
                                  ? (chance(0.8) ? std::int64_t{1} << pick(1, 4) : 6 * pick(1, 2))
                                  : pick(2, dims > 1 ? 8 : 12);
    c.net = one_dim(topology, npus, bandwidth(), latency());
    AlgorithmChoice per_dim[kMaxDims] = {{algorithm, -1}};
    for (int d = 1; d < dims; ++d) {
      const TopologyKind t = static_cast<TopologyKind>(pick(0, 2));
      const AlgorithmKind a = t == TopologyKind::FullyConnected ? std::vector<AlgorithmKind>{AlgorithmKind::Ring, AlgorithmKind::Direct, AlgorithmKind::HalvingDoubling}[pick(0, 2)]
                                                                : (chance(0.5) ? AlgorithmKind::Ring : AlgorithmKind::HalvingDoubling);
      c.net.topology[d] = t;
      c.net.npus_count[d] = a == AlgorithmKind::HalvingDoubling ? 2 * pick(1, 2) : pick(2, 4);
      c.net.bandwidth_GBps[d] = bandwidth();
      c.net.latency_ns[d] = latency();
      per_dim[d] = {a, -1};
    }
    c.net.dims = dims;
    c.sys.scheduling_policy = chance(0.5) ? SchedulingPolicy::LIFO : SchedulingPolicy::FIFO;
    c.sys.endpoint_delay_ns = pick(0, 20);
    c.sys.active_chunks_per_dimension = active_chunks;
    c.sys.preferred_dataset_splits = pick(1, 8);
    c.sys.local_bw_aware = chance(0.5);
    c.sys.local_mem_bw_GBps = chance(0.5) ? 1600 : uniform(1, 4000);
    for (int k = 0; k < kCollectiveKinds; ++k) {
      c.sys.implementation_count[k] = dims;
      for (int d = 0; d < dims; ++d) {
        c.sys.implementation[k][d] = per_dim[d];
        if (per_dim[d].kind == AlgorithmKind::Direct && chance(0.3)) c.sys.implementation[k][d].window = pick(1, 4);
      }
    }
    c.collective = static_cast<CollectiveKind>(pick(0, 3));
    const double r = uniform(0, 1);
    c.size_bytes = r < 0.2 ? pick(1, 64) : r < 0.6 ? pick(1, 1 << 16) : r < 0.95 ? pick(1, 1 << 24) : std::uint64_t{1} << pick(24, 28);
    return c;
  }

  std::shared_ptr<Workload> graph() {
    auto w = std::make_shared<Workload>();
    w->source = "random graph";
    const int n = pick(2, 16);
    for (int i = 0; i < n; ++i) {
      WorkloadNode node;
      node.kind = chance(0.5) ? NodeKind::Compute : NodeKind::Collective;
      if (node.kind == NodeKind::Compute) node.duration_us = static_cast<std::uint64_t>(pick(0, 40));
      else node.collective = static_cast<CollectiveKind>(pick(0, 3)), node.size_bytes = std::uint64_t{1} << pick(6, 22);
      node.deps_begin = static_cast<std::int32_t>(w->deps.size());
      if (i > 0 && chance(0.7)) w->deps.push_back(pick(0, i - 1));
      node.deps_count = static_cast<std::int32_t>(w->deps.size()) - node.deps_begin;
      w->nodes.push_back(node);
    }
    w->index_children();
    return w;
  }

 private:
  double bandwidth() { return chance(0.5) ? std::vector<double>{25, 50, 400}[pick(0, 2)] : uniform(0.5, 900); }
  double latency() { return chance(0.5) ? std::vector<double>{0, 1, 500, 936.25}[pick(0, 3)] : uniform(0, 3000); }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  bool chance(double p) { return uniform(0, 1) < p; }
  std::mt19937_64 rng_;
};

}  // namespace astra::testing_support
