// A calibration: fit ASTRA-sim parameters so that the predicted collective times match one
// measured table. Grid search over every fitted parameter (all cores), then Nelder-Mead in
// unit (lin or log) coordinates from the best grid points, optionally per size regime, with
// held-out sizes for an honest error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/calibration/collective_predictor.hpp"
#include "host/calibration/error_objective.hpp"
#include "host/calibration/fit_parameter.hpp"
#include "host/calibration/holdout_split.hpp"
#include "host/calibration/measured_table.hpp"
#include "host/sweep/backends/device_evaluators.hpp"

namespace astra {
class MpiSession;
}

namespace astra::calibration {

struct CalibrationOptions {
  std::vector<FitParameter> params;
  int grid_points_per_param = 256;  // 0: auto_grid_points(params.size())
  Objective objective = Objective::Mape;
  HoldoutSpec holdout;
  int regimes = 1;
  std::size_t refine_starts = 4;  // Nelder-Mead runs per regime, from the best distinct grid points
  // Nelder-Mead restarts from each run's result with a fresh simplex while that still lowers the
  // objective (0: none, the default); a many-parameter fit's first simplex often collapses early
  int refine_restarts = 0;
  unsigned threads = 0;           // 0: all cores
  std::string engine_backend = "cpu";  // the grid's sweep-engine backend: auto | cpu | thrust-omp | cuda
  DeviceSelection devices;             // --devices for cuda / thrust-omp
  const MpiSession* mpi = nullptr;     // --mpi: the grid shared out over the ranks
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
  std::size_t table = 0;         // which measured table (joint fits)
  CollectiveKind collective = CollectiveKind::AllReduce;
  std::uint64_t size_bytes = 0;
  double measured_us = 0.0;
  double predicted_us = 0.0;     // NaN where the model rejected the point
  double ape = 0.0;
  bool held_out = false;
  std::size_t regime = 0;
  int line = 0;
};

// Per measured table of a joint fit: its errors under the one parameter set.
struct TableFit {
  std::string file;
  CollectiveKind collective = CollectiveKind::AllReduce;
  ErrorSummary fit, holdout;
};

struct CalibrationResult {
  std::vector<RegimeFit> regimes;
  std::vector<SizeResult> sizes;  // every measured row, table by table, in size order
  std::vector<TableFit> tables;   // one per measured table
  ErrorSummary fit, holdout;      // over all regimes
  std::uint64_t grid_points = 0;
  int grid_points_per_param = 0;  // as searched (auto resolved)
  std::uint64_t evaluations = 0;  // collective predictions made (grid + refinement)
  double grid_seconds = 0.0;
  double refine_seconds = 0.0;
  std::uint64_t by_reference = 0;  // grid predictions the reference simulator answered
  std::string engine_backend, engine_device, engine_note;  // what evaluated the grid, and why
};

// The default grid per parameter for k parameters: 256, or fewer so that the grid stays within
// 2^24 points (k = 4: 64, 6: 16, 8: 8), the coarse grid that the refinement then polishes.
int auto_grid_points(std::size_t k);

// Throws InputError when a parameter does not fit the network or the grid is too large.
CalibrationResult calibrate(const CollectiveSetup& base, const MeasuredTable& table, const CalibrationOptions& options);

// A joint fit: one parameter set for several measured tables of the same system (e.g. its
// all-reduce, all-gather, reduce-scatter and all-to-all), every table's sizes pooled into one
// objective (each size counts once), held-out sizes chosen per table. One regime only.
CalibrationResult calibrate(const CollectiveSetup& base, const std::vector<MeasuredTable>& tables,
                            const CalibrationOptions& options);

}  // namespace astra::calibration
