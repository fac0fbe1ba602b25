// The ResNet-50 HGX-H100 study's spec (sweeps/resnet50_hgx_h100.yaml): which systems (one per
// NPU count, each an ASTRA-sim network YAML + system JSON), which backends, the latency x
// bandwidth neighbourhood around each system's validated point, and the compute scale.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernels/model/config.hpp"
#include "host/study/hardware_spec.hpp"
#include "host/workload/workload.hpp"

namespace astra {

struct StudySystem {
  std::int64_t npus = 0;
  std::string network_file, system_file;
  NetworkConfig network;
  SystemConfig system;
  std::string golden_unaware_id, golden_aware_id;  // ASTRA-sim's own run of the default point, if any
  double astra_sim_seconds_per_run = 0;             // ASTRA-sim's whole-process time per run (golden)
};

struct StudySpec {
  std::string file;
  std::string name;
  std::string workload_file;
  std::shared_ptr<const Workload> workload;
  std::vector<StudySystem> systems;
  std::vector<NetworkBackend> backends;
  std::vector<double> latency_scales, bandwidth_scales;  // congestion-unaware grid
  std::vector<double> aware_latency_scales, aware_bandwidth_scales;  // congestion-aware grid (reference simulator)
  double compute_scale = 1.0;
  std::optional<double> target_iteration_ms;  // solve compute_scale so that...
  std::int64_t target_npus = 0;               // ...this system's default point takes that long
  std::int32_t per_layer_npus = 8;            // the system whose per-layer table is plotted
  std::optional<HardwareSpec> hardware;       // measured systems to predict (hardware_validation.hpp)
};

StudySpec load_study_spec(const std::string& path);

}  // namespace astra
