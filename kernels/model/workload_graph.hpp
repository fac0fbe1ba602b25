// A workload as a dependency graph of compute and collective nodes, as Chakra's text converter
// writes it for one NPU (every NPU of a text workload gets the same graph).
//
// The graph is a flat, read-only view (the caller owns the arrays) so that device code can walk
// it: node i depends on deps[nodes[i].deps_begin .. deps_begin + deps_count).
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"

namespace astra {

enum class NodeKind : std::uint8_t { Compute = 0, Collective = 1 };

// Where a node came from in a text workload, for per-layer reports.
enum class NodeRole : std::uint8_t {
  Forward = 0,
  InputGradient = 1,
  WeightGradient = 2,
  ForwardComm = 3,
  InputGradientComm = 4,
  WeightGradientComm = 5,
  Standalone = 6,  // a collective microbenchmark node
};

struct WorkloadNode {
  NodeKind kind = NodeKind::Compute;
  CollectiveKind collective = CollectiveKind::AllReduce;
  NodeRole role = NodeRole::Standalone;
  std::uint64_t size_bytes = 0;   // collectives
  std::uint64_t duration_us = 0;  // compute: ASTRA-sim runs it for duration_us * 1000 ns (1 ns if 0)
  std::int32_t deps_begin = 0;
  std::int32_t deps_count = 0;
  std::int32_t layer = -1;  // index of the text workload layer, -1 if none
  std::int32_t pass = 0;
};

struct WorkloadGraphView {
  const WorkloadNode* nodes = nullptr;
  std::int32_t node_count = 0;
  const std::int32_t* deps = nullptr;  // node indices (0-based, into nodes)
};

}  // namespace astra
