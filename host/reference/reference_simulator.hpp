// The reference simulator: a readable, event-driven reimplementation of ASTRA-sim 2.x's
// analytical backends (congestion-unaware and congestion-aware), following
// ../shared/spec/astra-sim-analytical-semantics.md statement by statement and keeping its
// event order, so that it reproduces ASTRA-sim to the nanosecond.
//
// It simulates every NPU. It is the root of the chain of trust: the fast evaluator in
// kernels/model is checked against it, and the CUDA backend against the fast evaluator.
#pragma once

#include "kernels/model/config.hpp"
#include "host/reference/simulation_result.hpp"
#include "host/workload/workload.hpp"

namespace astra {

struct ReferenceOptions {
  double compute_scale = 1.0;           // multiplies every compute duration (see compute_duration_ns)
  std::uint64_t max_events = 2'000'000'000ULL;  // safety net against a runaway simulation
};

SimulationResult simulate_reference(const NetworkConfig& network, const SystemConfig& system,
                                    NetworkBackend backend, const Workload& workload,
                                    const ReferenceOptions& options = {});

}  // namespace astra
