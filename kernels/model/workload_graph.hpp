// A workload as a dependency graph of compute and collective nodes, as Chakra's text converter
// writes it for one NPU (every NPU of a text workload gets the same graph).
//
// The graph is a flat, read-only view (the caller owns the arrays) so that device code can walk
// it: node i depends on deps[nodes[i].deps_begin .. deps_begin + deps_count). It also carries the
// children index, which depends only on the graph: built ONCE on the host (Workload::index_children)
// so that a point's replay only initialises its own mutable state (parents left, ready bits).
//
//   parents (deps):  2 <- {0, 1}, 3 <- {0}         children:  child_begin = [0, 2, 3, 3, 3]
//                                                              children    = [2, 3, 2]
//                                                              parent_count = [0, 0, 2, 1]
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
  // children index (null when not built: the evaluators then answer NeedsReference)
  const std::int32_t* child_begin = nullptr;   // node_count + 1 entries
  const std::int32_t* children = nullptr;      // distinct children of node i, increasing: [child_begin[i], child_begin[i + 1])
  const std::int32_t* parent_count = nullptr;  // distinct parents of node i (a parent listed twice counts once)
  std::int32_t dep_count = 0;                  // entries of deps, duplicates included
  std::uint8_t deps_in_range = 1;              // every listed parent is in [0, node_count)
};

}  // namespace astra
