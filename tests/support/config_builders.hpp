// Network configurations for unit tests, built in one place instead of field by field in each
// test file.
//
//   one_dim(TopologyKind::Ring, 8, 50.0, 500.0)                 one dimension: 8 NPUs, 50 GB/s, 500 ns
//   uniform_network({Ring, Switch}, {4, 2}, 100.0, 200.0)     every dimension the same link
//   network_of({{Ring, 4, 100.0, 200.0}, {Switch, 2, 25.0, 800.0}})   one entry per dimension
#pragma once

#include <cstdint>
#include <initializer_list>

#include "kernels/model/config.hpp"

namespace astra::testing_support {

struct DimensionSpec {
  TopologyKind topology = TopologyKind::Ring;
  std::int64_t npus = 2;
  double bandwidth_GBps = 0.0;
  double latency_ns = 0.0;
};

[[nodiscard]] inline NetworkConfig network_of(std::initializer_list<DimensionSpec> dims) {
  NetworkConfig n;
  n.dims = 0;
  for (const DimensionSpec& d : dims) {
    n.topology[n.dims] = d.topology;
    n.npus_count[n.dims] = d.npus;
    n.bandwidth_GBps[n.dims] = d.bandwidth_GBps;
    n.latency_ns[n.dims] = d.latency_ns;
    ++n.dims;
  }
  return n;
}

[[nodiscard]] inline NetworkConfig one_dim(TopologyKind topology, std::int64_t npus, double bandwidth_GBps,
                                           double latency_ns = 0.0) {
  return network_of({{topology, npus, bandwidth_GBps, latency_ns}});
}

[[nodiscard]] inline NetworkConfig uniform_network(std::initializer_list<TopologyKind> topologies,
                                                   std::initializer_list<std::int64_t> npus, double bandwidth_GBps,
                                                   double latency_ns) {
  NetworkConfig n;
  n.dims = 0;
  for (TopologyKind t : topologies) n.topology[n.dims++] = t;
  int d = 0;
  for (std::int64_t p : npus) n.npus_count[d++] = p;
  for (d = 0; d < n.dims; ++d) n.bandwidth_GBps[d] = bandwidth_GBps, n.latency_ns[d] = latency_ns;
  return n;
}

}  // namespace astra::testing_support
