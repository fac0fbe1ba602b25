// The ResNet-50 HGX-H100 study as one computation: every system of the study spec at every
// latency x bandwidth factor of its neighbourhood, on each backend (fast evaluator, reference
// simulator where needed), plus each system's default point simulated in full with a per-layer
// breakdown and, where the spec names one, compared with ASTRA-sim's own run of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/engine/host_point_evaluator.hpp"
#include "host/reference/per_layer_breakdown.hpp"
#include "host/study/study_spec.hpp"

namespace astra {

struct StudyPoint {
  std::int32_t system = 0;  // index into StudySpec::systems
  NetworkBackend backend = NetworkBackend::CongestionUnaware;
  double latency_scale = 1, bandwidth_scale = 1;
  PointMetrics metrics;
  EngineUsed engine = EngineUsed::Fast;
};

struct GoldenComparison {
  std::string case_id;
  bool found = false;
  bool exact = false;            // every NPU's finish time and the exposed communication identical
  std::uint64_t astra_sim_finish_ns = 0;
  std::int64_t astra_sim_exposed_ns = 0;
  double astra_sim_wall_seconds = 0;
};

struct StudyDefault {
  std::int32_t system = 0;
  NetworkBackend backend = NetworkBackend::CongestionUnaware;
  SimulationResult result;
  std::vector<LayerBreakdown> layers;
  std::optional<GoldenComparison> golden;
};

struct StudyResults {
  double compute_scale = 1.0;
  std::vector<StudyPoint> points;
  std::vector<StudyDefault> defaults;
  std::uint64_t reference_points = 0;  // neighbourhood points that needed the reference simulator
  double seconds = 0;
};

// Multiplies every dimension's latency and bandwidth.
NetworkConfig scaled_network(const NetworkConfig& base, double latency_scale, double bandwidth_scale);

// The compute scale at which `system`'s default point takes `target_ns` per iteration
// (bisection on the monotone iteration time; the answer is within 1 ns of integer rounding).
double solve_compute_scale(const StudySystem& system, const Workload& workload, double target_ns);

// `golden_cases`: ASTRA-sim's recorded runs (may be empty: no comparison).
StudyResults run_study(const StudySpec& spec, unsigned threads, const std::string& golden_cases);

}  // namespace astra
