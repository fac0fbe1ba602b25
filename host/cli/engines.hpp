// The engines that answer one simulation, by name: `reference` (the event-driven simulator) and
// `fast` (the fast evaluator, falling back to the reference where it cannot answer).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kernels/model/config.hpp"
#include "host/reference/simulation_result.hpp"
#include "host/workload/workload.hpp"

namespace astra::cli {

using CaseEngine = std::function<SimulationResult(const NetworkConfig&, const SystemConfig&, NetworkBackend,
                                                  const Workload&, double compute_scale)>;

std::vector<std::string> engine_names();
CaseEngine make_engine(const std::string& name);

}  // namespace astra::cli
