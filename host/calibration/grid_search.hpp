// Dense grid over the fitted parameters, every (grid point x fit size) evaluated, in parallel
// on all cores. Points are numbered in mixed radix with parameter 0 varying fastest.
#pragma once

#include <cstdint>
#include <vector>

#include "calibration/fit_objective.hpp"

namespace astra::calibration {

struct GridSearchOptions {
  int points_per_param = 256;
  unsigned threads = 0;              // 0: all cores
  bool keep_terms = false;           // keep the per-(point, size) objective terms (size regimes)
  std::size_t max_points = std::size_t{1} << 24;
};

struct GridSearchResult {
  std::vector<std::vector<double>> axes;  // grid values per parameter (integers deduplicated)
  std::size_t point_count = 0;
  std::vector<float> objective;           // finished objective per point
  std::vector<float> terms;               // point-major: terms[point * sizes + size], if kept
  std::size_t size_count = 0;
  std::uint64_t evaluations = 0;          // collective predictions made

  std::vector<double> values_at(std::size_t point) const;
  // The `k` best points (lowest objective), best first.
  std::vector<std::size_t> best_points(std::size_t k) const;
};

// Throws InputError when the grid has more than max_points points.
GridSearchResult grid_search(const FitObjective& objective, const FitData& data, const GridSearchOptions& options);

}  // namespace astra::calibration
