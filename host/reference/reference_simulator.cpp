#include "host/reference/reference_simulator.hpp"

#include <memory>
#include <string>
#include <vector>

#include "kernels/model/config_check.hpp"
#include "host/reference/congestion_aware_network.hpp"
#include "host/reference/congestion_unaware_network.hpp"
#include "host/reference/npu_system.hpp"
#include "host/reference/workload_runner.hpp"

namespace astra {

namespace {
SimulationResult rejected(const ConfigProblem& problem) {
  SimulationResult r;
  r.status = SimStatus::Rejected;
  r.message = std::string(problem.field) + ": " + problem.reason;
  return r;
}
}  // namespace

SimulationResult simulate_reference(const NetworkConfig& network, const SystemConfig& system, NetworkBackend backend,
                                    const Workload& workload, const ReferenceOptions& options) {
  if (auto p = check_network_system(network, system, backend); !p.ok()) return rejected(p);
  for (const WorkloadNode& node : workload.nodes)
    if (node.kind == NodeKind::Collective)
      if (auto p = check_collective(network, system, node.collective, node.size_bytes); !p.ok()) return rejected(p);

  using namespace reference;
  EventQueue events;
  std::unique_ptr<Network> net;
  if (backend == NetworkBackend::CongestionAware)
    net = std::make_unique<CongestionAwareNetwork>(events, network);
  else
    net = std::make_unique<CongestionUnawareNetwork>(events, network);

  const std::int64_t npus = network.total_npus();
  std::vector<std::unique_ptr<NpuSystem>> systems;
  std::vector<std::unique_ptr<WorkloadRunner>> runners;
  systems.reserve(static_cast<std::size_t>(npus));
  for (std::int64_t id = 0; id < npus; ++id) {
    systems.push_back(std::make_unique<NpuSystem>(id, network, system, events, *net));
    runners.push_back(std::make_unique<WorkloadRunner>(*systems.back(), workload, options.compute_scale));
  }
  for (auto& r : runners) r->start();
  const bool drained = events.run(options.max_events);

  SimulationResult result;
  std::int64_t unfinished = 0;
  for (auto& r : runners) {
    result.finish_ns.push_back(r->finish_ns());
    if (r->finish_ns())
      result.stats.emplace_back(r->statistics());
    else
      result.stats.emplace_back(std::nullopt), ++unfinished;
  }
  result.npu0_node_timings = runners.front()->node_timings();
  if (!drained) {
    result.status = SimStatus::Incomplete;
    result.message = "stopped after " + std::to_string(options.max_events) + " events";
  } else if (unfinished > 0) {
    result.status = SimStatus::Incomplete;
    result.message = std::to_string(unfinished) + " of " + std::to_string(npus) + " NPUs never finished";
  }
  return result;
}

}  // namespace astra
