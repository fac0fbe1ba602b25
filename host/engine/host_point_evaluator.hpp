// One design point evaluated on the host: the fast evaluator where it can answer, the reference
// simulator where it cannot (congestion-aware, doubleBinaryTree, workloads beyond its bounds).
// Both give ASTRA-sim's answers; which one ran is reported so callers can count it visibly.
#pragma once

#include "kernels/model/point_evaluator.hpp"
#include "host/reference/simulation_result.hpp"
#include "host/workload/workload.hpp"

namespace astra {

enum class EngineUsed { Fast, Reference };

struct HostPointResult {
  PointMetrics metrics;
  EngineUsed engine = EngineUsed::Fast;
  std::string message;  // why a point was rejected
};

// The metrics of a reference simulation, in the fast evaluator's shape (max over NPUs).
PointMetrics metrics_from_simulation(const SimulationResult& r);

HostPointResult evaluate_on_host(const NetworkConfig& network, const SystemConfig& system, NetworkBackend backend,
                                 const Workload& workload, double compute_scale);

}  // namespace astra
