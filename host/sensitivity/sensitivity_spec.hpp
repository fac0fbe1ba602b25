// The SPEC file of `astra-sweep sensitivity`: a small YAML naming the base configs, what to
// run, the metric and the parameters with their ranges. Paths are relative to the spec file.
//
//   network: ../configs/network/HGX-H100-validated.yml
//   system: ../configs/system/HGX-H100-validated.json
//   backend: congestion_unaware            # or congestion_aware
//   collective: all_reduce                 # a collective microbenchmark ...
//   size_bytes: 1048576
//   # workload: ../configs/workload/Resnet50_DataParallel.txt   # ... or a text workload
//   # passes: 1
//   metric: collective_time_ns             # iteration_time_ns | exposed_comm_ns
//   parameters:                            # the calibrate --param syntax, one per entry,
//     - latency_ns=100:3000:log            # optionally with a base value for OAT:
//     - bandwidth_GBps=50:900:log @ 400    #   "... @ BASE" (default: the value in the configs)
//     - preferred_dataset_splits=1:16
//   # method settings (command-line options override them)
//   samples: 1024      # Sobol base samples N (N (k + 2) runs)
//   trajectories: 20   # Morris r
//   levels: 4          # Morris p
//   bootstrap: 500     # Sobol bootstrap resamples
//   seed: 1
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/calibration/fit_parameter.hpp"
#include "kernels/model/config.hpp"

namespace astra::sensitivity {

enum class SensitivityMetric { CollectiveTimeNs, IterationTimeNs, ExposedCommNs };

const char* metric_name(SensitivityMetric m);
std::optional<SensitivityMetric> parse_metric(const std::string& name);

struct SensitivityParameter {
  calibration::FitParameter range;
  std::optional<double> base;  // OAT base value; default: the configs' value
};

struct SensitivitySpec {
  std::string file;
  std::string network_path, system_path, workload_path;  // resolved against the spec's folder
  NetworkBackend backend = NetworkBackend::CongestionUnaware;
  std::optional<CollectiveKind> collective;
  std::uint64_t size_bytes = 0;
  int passes = 1;
  SensitivityMetric metric = SensitivityMetric::CollectiveTimeNs;
  std::vector<SensitivityParameter> parameters;
  std::size_t samples = 1024;
  int trajectories = 20;
  int levels = 4;
  std::size_t bootstrap = 500;
  std::uint64_t seed = 1;
};

// Throws InputError(file, field, reason) on anything missing, unknown or out of range.
SensitivitySpec parse_sensitivity_spec(const std::string& text, const std::string& file);
SensitivitySpec read_sensitivity_spec(const std::string& path);

}  // namespace astra::sensitivity
