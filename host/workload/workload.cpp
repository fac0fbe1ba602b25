#include "host/workload/workload.hpp"

#include <string>

#include "kernels/model/names.hpp"

namespace astra {

Workload Workload::single_collective(CollectiveKind collective, std::uint64_t size_bytes) {
  Workload w;
  w.source = std::string(collective_name(collective)) + " of " + std::to_string(size_bytes) + " bytes";
  WorkloadNode n;
  n.kind = NodeKind::Collective;
  n.collective = collective;
  n.role = NodeRole::Standalone;
  n.size_bytes = size_bytes;
  w.nodes.push_back(n);
  w.node_names.push_back("COMM_COLL_NODE");
  return w;
}

}  // namespace astra
