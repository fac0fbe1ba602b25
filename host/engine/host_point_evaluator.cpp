#include "host/engine/host_point_evaluator.hpp"

#include <algorithm>
#include <memory>

#include "host/engine/thread_scratch.hpp"
#include "host/reference/reference_simulator.hpp"

namespace astra {

PointMetrics metrics_from_simulation(const SimulationResult& r) {
  PointMetrics m;
  if (r.status == SimStatus::Rejected) {
    m.status = PointStatus::Rejected;
    return m;
  }
  m.finish_ns = r.max_finish_ns();
  // statistics of the NPU that finished last (all NPUs agree in symmetric runs)
  std::size_t last = 0;
  for (std::size_t i = 0; i < r.finish_ns.size(); ++i)
    if (r.finish_ns[i] && *r.finish_ns[i] == m.finish_ns) last = i;
  if (last < r.stats.size() && r.stats[last]) {
    const auto& s = *r.stats[last];
    m.comm_ns = s.comm_ns.value_or(0);
    m.gpu_ns = s.gpu_ns.value_or(0);
    m.overlap_ns = s.overlap_ns.value_or(0);
    m.exposed_comm_ns = s.exposed_comm_ns;
    m.compute_ns = s.compute_ns;
  }
  for (std::size_t i = 0; i < r.finish_ns.size(); ++i) {
    const bool same_stats = r.stats[i] && r.stats.front() && r.stats[i]->comm_ns == r.stats.front()->comm_ns &&
                            r.stats[i]->gpu_ns == r.stats.front()->gpu_ns &&
                            r.stats[i]->compute_ns == r.stats.front()->compute_ns;
    if (r.finish_ns[i] != r.finish_ns.front() || !same_stats) m.npus_differ = true;
  }
  return m;
}

HostPointResult evaluate_on_host(const NetworkConfig& network, const SystemConfig& system, NetworkBackend backend,
                                 const Workload& workload, double compute_scale) {
  HostPointResult out;
  out.metrics = evaluate_point(network, system, backend, workload.view(), compute_scale, thread_evaluator_scratch(),
                               &thread_aware_scratch());
  if (out.metrics.status != PointStatus::NeedsReference) return out;
  ReferenceOptions options;
  options.compute_scale = compute_scale;
  const SimulationResult r = simulate_reference(network, system, backend, workload, options);
  out.engine = EngineUsed::Reference;
  out.metrics = metrics_from_simulation(r);
  out.message = r.message;
  if (r.status == SimStatus::Incomplete) throw std::runtime_error("reference simulation incomplete: " + r.message);
  return out;
}

}  // namespace astra
