#include "host/sweep/spec/point_resolution.hpp"

#include <set>

#include "kernels/model/config_check.hpp"
#include "host/reference/reference_simulator.hpp"
#include "kernels/sweep/injection_bound.hpp"

namespace astra {

SweepPoint decode_host_point(const SweepSpec& spec, std::uint64_t index, double* axis_values) {
  const CompiledSweep s = spec.compiled();
  decode_axis_values(s, index, axis_values);
  SweepPoint p;
  apply_axis_values(s, axis_values, p);
  return p;
}

SweepPointResult result_from_reference(const SimulationResult& sim) {
  SweepPointResult r{};
  r.by_reference = true;
  if (sim.status == SimStatus::Rejected) {
    r.status = SweepPointStatus::Rejected;
    r.metrics.status = PointStatus::Rejected;
    return r;
  }
  if (sim.status == SimStatus::Incomplete) {
    r.status = SweepPointStatus::Incomplete;
    return r;
  }
  std::size_t last = 0;
  for (std::size_t i = 0; i < sim.finish_ns.size(); ++i)
    if (sim.finish_ns[i].value_or(0) > sim.finish_ns[last].value_or(0)) last = i;
  r.status = SweepPointStatus::Ok;
  r.metrics.status = PointStatus::Ok;
  r.metrics.finish_ns = sim.max_finish_ns();
  if (last < sim.stats.size() && sim.stats[last]) {
    const NpuStatistics& st = *sim.stats[last];
    r.metrics.comm_ns = st.comm_ns.value_or(0);
    r.metrics.gpu_ns = st.gpu_ns.value_or(0);
    r.metrics.overlap_ns = st.overlap_ns.value_or(0);
    r.metrics.exposed_comm_ns = st.exposed_comm_ns;
    r.metrics.compute_ns = st.compute_ns;
  }
  return r;
}

void resolve_with_reference(const SweepSpec& spec, std::uint64_t index, SweepPointResult& result, std::string& reason) {
  double axis_values[kMaxSweepAxes];
  const SweepPoint p = decode_host_point(spec, index, axis_values);
  ReferenceOptions options;
  options.compute_scale = p.compute_scale;
  const SimulationResult sim = simulate_reference(p.network, p.system, p.backend, spec.workload_for(p), options);
  result = result_from_reference(sim);
  result.nonphysical = spec.inline_collective && result.status == SweepPointStatus::Ok &&
                       busbw_exceeds_injection(p, result.metrics.finish_ns);
  if (result.status != SweepPointStatus::Ok) reason = sim.message;
}

std::string rejection_reason(const SweepSpec& spec, std::uint64_t index) {
  double axis_values[kMaxSweepAxes];
  const SweepPoint p = decode_host_point(spec, index, axis_values);
  ConfigProblem problem = check_network_system(p.network, p.system, p.backend);
  if (problem.ok()) {
    if (spec.inline_collective) {
      problem = check_collective(p.network, p.system, p.collective, p.size_bytes);
    } else {
      std::set<std::pair<int, std::uint64_t>> seen;
      for (const WorkloadNode& n : spec.workload->nodes) {
        if (n.kind != NodeKind::Collective) continue;
        if (!seen.insert({static_cast<int>(n.collective), n.size_bytes}).second) continue;
        problem = check_collective(p.network, p.system, n.collective, n.size_bytes);
        if (!problem.ok()) break;
      }
    }
  }
  if (problem.ok()) return "rejected by the evaluator";
  return std::string(problem.field) + ": " + problem.reason;
}

}  // namespace astra
