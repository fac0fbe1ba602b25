// One rank's Chakra trace interpreted as ASTRA-sim 2.x's workload layer runs it, as the node graph
// astra-sweep's simulators consume (model/workload_graph.hpp): nodes in increasing trace node id
// (the order ASTRA-sim issues ready nodes), data and control dependencies merged (both gate a node
// in ASTRA-sim's feeder; a parent listed twice counts once).
//
// Refused with InputError(file, "node ID", reason): duplicate ids, a dependency on a node not in the
// file, a dependency cycle (ASTRA-sim never finishes), and every node or attribute whose behaviour in
// ASTRA-sim is not modelled here (see host/input/chakra/README.md).
#pragma once

#include <cstdint>
#include <vector>

#include "host/input/chakra/chakra_trace.hpp"
#include "kernels/model/workload_graph.hpp"

namespace astra::chakra {

// A COMM_SEND / COMM_RECV node, kept for matching across ranks.
struct PointToPoint {
  std::uint64_t node_id = 0;
  bool send = false;
  std::uint32_t src = 0, dst = 0, tag = 0;
  std::uint64_t size_bytes = 0;
};

struct RankGraph {
  std::vector<WorkloadNode> nodes;      // dropped: METADATA nodes nothing depends on
  std::vector<std::int32_t> deps;       // flattened parents (WorkloadNode::deps_begin)
  std::vector<std::uint32_t> trace_index;  // node i is trace.nodes[trace_index[i]]
  std::vector<PointToPoint> p2p;        // in node order; their WorkloadNodes are placeholders
  bool roofline_inputs = false;         // some COMP node carries num_ops / tensor_size
};

RankGraph build_rank_graph(const ChakraTrace& trace, std::uint32_t rank);

}  // namespace astra::chakra
