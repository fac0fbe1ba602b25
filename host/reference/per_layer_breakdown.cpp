#include "host/reference/per_layer_breakdown.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "kernels/model/compute_time.hpp"

namespace astra {

namespace {
// Length of [start, finish) not covered by the sorted, disjoint compute intervals.
std::uint64_t uncovered(std::uint64_t start, std::uint64_t finish,
                        const std::vector<std::pair<std::uint64_t, std::uint64_t>>& compute) {
  std::uint64_t covered = 0;
  auto it = std::lower_bound(compute.begin(), compute.end(), std::make_pair(start, std::uint64_t{0}),
                             [](const auto& a, const auto& b) { return a.second < b.first; });
  for (; it != compute.end() && it->first < finish; ++it) {
    const std::uint64_t s = std::max(start, it->first), f = std::min(finish, it->second);
    if (f > s) covered += f - s;
  }
  return (finish - start) - covered;
}
}  // namespace

std::vector<LayerBreakdown> per_layer_breakdown(const Workload& workload, const std::vector<NodeTiming>& timings,
                                                double compute_scale) {
  if (timings.size() != workload.nodes.size()) throw std::invalid_argument("per-layer breakdown: timings do not match the workload");
  // Compute intervals never overlap (one compute node at a time).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> compute;
  for (std::size_t i = 0; i < workload.nodes.size(); ++i)
    if (workload.nodes[i].kind == NodeKind::Compute) compute.emplace_back(timings[i].issue_ns, timings[i].finish_ns);
  std::sort(compute.begin(), compute.end());

  std::map<std::pair<std::int32_t, std::int32_t>, LayerBreakdown> rows;  // (pass, layer) -> row
  for (std::size_t i = 0; i < workload.nodes.size(); ++i) {
    const WorkloadNode& node = workload.nodes[i];
    LayerBreakdown& row = rows[{node.pass, node.layer}];
    row.layer_index = node.layer;
    row.pass = node.pass;
    if (row.layer.empty())
      row.layer = node.layer >= 0 && static_cast<std::size_t>(node.layer) < workload.layer_names.size()
                      ? workload.layer_names[static_cast<std::size_t>(node.layer)]
                      : (workload.is_single_collective() ? "collective" : "-");
    if (node.kind == NodeKind::Compute) {
      const std::uint64_t ns = compute_duration_ns(node.duration_us, compute_scale);
      if (node.role == NodeRole::Forward) row.forward_compute_ns += ns;
      else if (node.role == NodeRole::InputGradient) row.input_gradient_compute_ns += ns;
      else row.weight_gradient_compute_ns += ns;
      continue;
    }
    std::uint64_t ready = 0;
    for (std::int32_t k = 0; k < node.deps_count; ++k)
      ready = std::max(ready, timings[static_cast<std::size_t>(workload.deps[static_cast<std::size_t>(node.deps_begin + k)])].finish_ns);
    const NodeTiming& t = timings[i];
    if (row.comm_nodes == 0 || ready < row.comm_ready_ns) row.comm_ready_ns = ready;
    if (row.comm_nodes == 0 || t.issue_ns < row.comm_start_ns) row.comm_start_ns = t.issue_ns;
    row.comm_finish_ns = std::max(row.comm_finish_ns, t.finish_ns);
    row.comm_bytes += node.size_bytes;
    row.comm_duration_ns += t.finish_ns - t.issue_ns;
    row.comm_exposed_ns += uncovered(t.issue_ns, t.finish_ns, compute);
    ++row.comm_nodes;
  }
  std::vector<LayerBreakdown> out;
  for (auto& [key, row] : rows) out.push_back(std::move(row));
  return out;
}

BreakdownTotals breakdown_totals(const std::vector<LayerBreakdown>& rows) {
  BreakdownTotals t;
  for (const auto& r : rows) {
    t.compute_ns += r.forward_compute_ns + r.input_gradient_compute_ns + r.weight_gradient_compute_ns;
    t.comm_exposed_ns += r.comm_exposed_ns;
    t.comm_duration_ns += r.comm_duration_ns;
  }
  return t;
}

}  // namespace astra
