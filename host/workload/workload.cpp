#include "host/workload/workload.hpp"

#include <algorithm>
#include <stdexcept>
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
  w.index_children();
  return w;
}

void Workload::index_children() {
  const std::size_t n = nodes.size();
  child_begin.assign(n + 1, 0);
  parent_count.assign(n, 0);
  deps_in_range = true;
  // distinct, in-range parents of node i, in listed order (a parent listed twice counts once)
  auto for_each_parent = [&](std::size_t i, auto&& f) {
    const WorkloadNode& node = nodes[i];
    for (std::int32_t k = 0; k < node.deps_count; ++k) {
      const std::int32_t p = deps[static_cast<std::size_t>(node.deps_begin + k)];
      if (p < 0 || static_cast<std::size_t>(p) >= n) {
        deps_in_range = false;
        continue;
      }
      const auto first = deps.begin() + node.deps_begin;
      if (std::find(first, first + k, p) != first + k) continue;
      f(static_cast<std::size_t>(p));
    }
  };
  for (std::size_t i = 0; i < n; ++i)
    for_each_parent(i, [&](std::size_t p) {
      ++child_begin[p + 1];
      ++parent_count[i];
    });
  for (std::size_t i = 0; i < n; ++i) child_begin[i + 1] += child_begin[i];
  children.assign(static_cast<std::size_t>(child_begin[n]), 0);
  std::vector<std::int32_t> fill(child_begin.begin(), child_begin.end() - 1);
  for (std::size_t i = 0; i < n; ++i)  // children of each parent in increasing node order
    for_each_parent(i, [&](std::size_t p) { children[static_cast<std::size_t>(fill[p]++)] = static_cast<std::int32_t>(i); });
  indexed_deps = deps.size();
}

WorkloadGraphView Workload::view() const {
  if (child_begin.size() != nodes.size() + 1 || parent_count.size() != nodes.size() || indexed_deps != deps.size())
    throw std::logic_error("Workload::view: the graph changed after index_children() (or it was never called)");
  WorkloadGraphView v;
  v.nodes = nodes.data();
  v.node_count = static_cast<std::int32_t>(nodes.size());
  v.deps = deps.data();
  v.child_begin = child_begin.data();
  v.children = children.data();
  v.parent_count = parent_count.data();
  v.dep_count = static_cast<std::int32_t>(deps.size());
  v.deps_in_range = deps_in_range ? 1 : 0;
  return v;
}

}  // namespace astra
