// Dense grid over the fitted parameters, every (grid point x fit size) evaluated on the sweep
// engine's backends (cpu threads, thrust-omp, cuda, several devices): the grid is compiled as a
// design sweep (one digit per parameter, parameter 0 fastest of them, the fit sizes fastest; see
// calibration/fit_sweep.hpp) and each batch is reduced on the backend to the objective of its
// grid points (kernels/sweep/fit_objective_term.hpp): per grid point one exact sum comes back,
// not every prediction (with keep_terms also the per-size terms, for the size regimes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/calibration/fit_objective.hpp"
#include "host/sweep/backends/device_evaluators.hpp"

namespace astra {
class MpiSession;
}

namespace astra::calibration {

struct GridSearchOptions {
  int points_per_param = 256;
  unsigned threads = 0;              // cpu backend threads (0: all cores)
  bool keep_terms = false;           // keep the per-(point, size) objective terms (size regimes)
  std::size_t max_points = std::size_t{1} << 24;
  std::string backend = "cpu";       // auto | cpu | thrust-omp | cuda (as `run --backend`)
  DeviceSelection devices;           // --devices
  // --mpi: rank r of R evaluates grid points [P r / R, P (r + 1) / R); every rank then holds the
  // whole grid's objective (and terms), so every rank refines alike.
  const MpiSession* mpi = nullptr;
};

struct GridSearchResult {
  std::vector<std::vector<double>> axes;  // grid values per parameter (integers deduplicated)
  std::size_t point_count = 0;
  std::vector<float> objective;           // finished objective per point
  std::vector<float> terms;               // point-major: terms[point * sizes + size], if kept
  std::size_t size_count = 0;
  std::uint64_t evaluations = 0;          // collective predictions made
  std::uint64_t by_reference = 0;         // of them answered by the reference simulator
  std::string backend, device, note;      // what evaluated the grid (note: why auto chose it)

  // Grid points in mixed radix, parameter 0 varying fastest.
  std::vector<double> values_at(std::size_t point) const;
  // The `k` best points (lowest objective), best first.
  std::vector<std::size_t> best_points(std::size_t k) const;
};

// Throws InputError when the grid has more than max_points points or the backend is absent.
GridSearchResult grid_search(const FitObjective& objective, const FitData& data, const GridSearchOptions& options);

}  // namespace astra::calibration
