// Nelder-Mead downhill simplex in the unit cube [0, 1]^n (coordinates are clamped), used to
// refine a calibration around its best grid points. Standard coefficients (reflection 1,
// expansion 2, contraction 1/2, shrink 1/2).
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace astra::calibration {

struct NelderMeadOptions {
  double initial_step = 0.01;      // simplex edge in unit coordinates
  std::size_t max_evaluations = 400;
  double tolerance = 1e-9;         // stop when the simplex's values and extent are this close
};

struct NelderMeadResult {
  std::vector<double> point;
  double value = 0.0;
  std::size_t evaluations = 0;
};

NelderMeadResult nelder_mead(const std::function<double(const std::vector<double>&)>& f, std::vector<double> start,
                             const NelderMeadOptions& options = {});

}  // namespace astra::calibration
