// The study against hardware: calibrate the intra-node links (nccl-tests on one node) and the
// inter-node links (two nodes, the intra-node fit fixed) with `calibrate`, put measured compute
// (a per-layer profile, workload/measured_profile.hpp) into the ResNet-50 text workload at each
// system's per-GPU batch, and predict each measured MLPerf system's iteration time and throughput.
// docs/hardware_validation.md has the method and the numbers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernels/model/config.hpp"
#include "host/study/hardware_spec.hpp"

namespace astra {

struct LinkFit {
  std::string table;
  double latency_ns = 0, bandwidth_GBps = 0;
  std::size_t sizes = 0, holdout_sizes = 0;
  double fit_geomean_ape = 0, holdout_geomean_ape = 0, holdout_mape = 0;  // fractions
};

struct HardwareComparison {
  HardwareSystem system;
  int gpus = 0;
  NetworkConfig network;
  double measured_iteration_ms = 0;    // gpus x batch / images_per_s
  double predicted_iteration_ms = 0;   // from the profile's compute as measured
  double compute_ms = 0, exposed_comm_ms = 0;
  double predicted_images_per_s = 0;
  double error = 0;                    // predicted / measured throughput - 1
  double anchored_iteration_ms = 0, anchored_images_per_s = 0, anchored_error = 0;  // compute x anchor factor
  bool is_anchor = false;
};

// The profile's own check: the whole step at each measured batch, predicted with that step
// measurement left out (its compute then comes from the layers and the other steps).
struct ProfileCheck {
  int batch = 0;
  double measured_step_ms = 0;
  double simulated_compute_ms = 0;     // with every measurement: the workload's compute adds up to the step
  double held_out_step_ms = 0;         // without this batch's step
  double held_out_error = 0;           // held_out / measured - 1
};

// One point of the weak-scaling table (calibrated links, measured compute).
struct HardwareScalingPoint {
  int gpus = 0, batch_per_gpu = 0;
  double iteration_ms = 0, compute_ms = 0, exposed_comm_ms = 0;
  double efficiency = 0;  // iteration at the fewest GPUs / this iteration, same batch
  double images_per_s = 0;
};

struct ErrorStats {
  std::size_t count = 0;
  double median_abs = 0, max_abs = 0;  // fractions
};

struct HardwareResults {
  std::string skipped;  // why nothing was compared (missing measured data); empty when it ran
  std::string profile_file, profile_device;
  std::string workload_file;
  LinkFit intra, inter;
  std::vector<ProfileCheck> profile_checks;
  std::vector<HardwareComparison> systems;
  std::vector<HardwareScalingPoint> scaling;
  std::string anchor;
  double anchor_factor = 1.0;  // compute scale that matches the anchor's measured iteration
  ErrorStats errors;           // every system, compute as measured
  ErrorStats anchored_errors;  // every system but the anchor, compute x anchor_factor
  double seconds = 0;
};

ErrorStats error_stats(const std::vector<double>& errors);

// `workload_file`: the study's ASTRA-sim text workload. Throws InputError on bad inputs; missing
// measured data gives `skipped` instead (the study still runs).
HardwareResults run_hardware_validation(const HardwareSpec& spec, const std::string& workload_file, unsigned threads);

}  // namespace astra
