// A workload on the host: the node graph every NPU runs (owning storage) plus names for reports.
// A collective microbenchmark is a graph of one collective node.
#pragma once

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

  WorkloadGraphView view() const {
    return WorkloadGraphView{nodes.data(), static_cast<std::int32_t>(nodes.size()), deps.data()};
  }
  bool is_single_collective() const { return nodes.size() == 1 && nodes[0].kind == NodeKind::Collective; }

  static Workload single_collective(CollectiveKind collective, std::uint64_t size_bytes);
};

}  // namespace astra
