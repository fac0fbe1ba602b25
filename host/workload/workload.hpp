// A workload on the host: the node graph every NPU runs (owning storage) plus names for reports.
// A collective microbenchmark is a graph of one collective node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/model/workload_graph.hpp"

namespace astra {

struct Workload {
  std::string source;                    // file path, or a description of the microbenchmark
  std::vector<WorkloadNode> nodes;       // in node-id order (the order ASTRA-sim issues ready nodes)
  std::vector<std::int32_t> deps;        // flattened parent lists, see WorkloadNode::deps_begin
  std::vector<std::string> layer_names;  // text workloads: one per layer line
  std::vector<std::string> node_names;   // as Chakra names them, e.g. COMP_NODE_conv1_FWD
  // Chakra traces: some COMP node carries num_ops / tensor_size, which ASTRA-sim times with its
  // roofline model when the system enables it (refused then: see check_roofline_off)
  bool roofline_inputs = false;
  // the children index of the graph (see WorkloadGraphView), built by index_children() once nodes
  // and deps are final; every evaluator shares it, no point rebuilds it
  std::vector<std::int32_t> child_begin, children, parent_count;
  std::size_t indexed_deps = 0;  // deps.size() when the index was built
  bool deps_in_range = true;

  // (Re)builds child_begin / children / parent_count from nodes and deps.
  void index_children();
  // The view the evaluators read; throws std::logic_error if nodes/deps changed since index_children().
  WorkloadGraphView view() const;
  bool is_single_collective() const { return nodes.size() == 1 && nodes[0].kind == NodeKind::Collective; }

  static Workload single_collective(CollectiveKind collective, std::uint64_t size_bytes);
};

}  // namespace astra
