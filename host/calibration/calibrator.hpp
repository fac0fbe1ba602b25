// A calibration: fit ASTRA-sim parameters so that the predicted collective times match one
// measured table. Grid search over every fitted parameter (all cores), then Nelder-Mead in
// unit (lin or log) coordinates from the best grid points, optionally per size regime, with
// held-out sizes for an honest error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "calibration/collective_predictor.hpp"
#include "calibration/error_objective.hpp"
#include "calibration/fit_parameter.hpp"
#include "calibration/holdout_split.hpp"
#include "calibration/measured_table.hpp"
#include "sweep/backends/device_evaluators.hpp"

namespace astra::calibration {

struct CalibrationOptions {
  std::vector<FitParameter> params;
  int grid_points_per_param = 256;
  Objective objective = Objective::Mape;
  HoldoutSpec holdout;
  int regimes = 1;
  std::size_t refine_starts = 4;  // Nelder-Mead runs per regime, from the best distinct grid points
  unsigned threads = 0;           // 0: all cores
  std::string engine_backend = "cpu";  // the grid's sweep-engine backend: auto | cpu | thrust-omp | cuda
  DeviceSelection devices;             // --devices for cuda / thrust-omp
};

struct RegimeFit {
  std::uint64_t from_bytes = 0;  // sizes in [from_bytes, to_bytes) use this regime (to 0 = no limit)
  std::uint64_t to_bytes = 0;
  std::vector<double> values;    // one per parameter
  double objective = 0.0;        // on this regime's fit sizes
  ErrorSummary fit, holdout;
  CollectiveSetup setup;         // base configs with the fitted values
};

struct SizeResult {
  std::uint64_t size_bytes = 0;
  double measured_us = 0.0;
  double predicted_us = 0.0;     // NaN where the model rejected the point
  double ape = 0.0;
  bool held_out = false;
  std::size_t regime = 0;
  int line = 0;
};

struct CalibrationResult {
  std::vector<RegimeFit> regimes;
  std::vector<SizeResult> sizes;  // every measured row, in size order
  ErrorSummary fit, holdout;      // over all regimes
  std::uint64_t grid_points = 0;
  std::uint64_t evaluations = 0;  // collective predictions made (grid + refinement)
  double grid_seconds = 0.0;
  double refine_seconds = 0.0;
  std::uint64_t by_reference = 0;  // grid predictions the reference simulator answered
  std::string engine_backend, engine_device, engine_note;  // what evaluated the grid, and why
};

// Throws InputError when a parameter does not fit the network or the grid is too large.
CalibrationResult calibrate(const CollectiveSetup& base, const MeasuredTable& table, const CalibrationOptions& options);

}  // namespace astra::calibration
