// One-at-a-time elasticities around a base point: for each input i, the central difference
//   E_i = (f(x_i+) - f(x_i-)) / (x_i+ - x_i-) * x_i / f(x)
// i.e. the % change of the output per % change of the input (d ln f / d ln x_i). Inputs are in
// their own units here (not unit coordinates). The step is relative (x_i * (1 +- h)), or +-1
// for integer inputs; it is one-sided where the range ends.
#pragma once

#include <functional>
#include <vector>

#include "host/sensitivity/unit_model.hpp"

namespace astra::sensitivity {

struct OatInput {
  double base = 0.0;
  double low = 0.0, high = 0.0;  // the step never leaves [low, high]
  bool integer = false;
};

struct OatResult {
  double base_output = 0.0;
  std::vector<double> minus_value, plus_value;    // the inputs used
  std::vector<double> minus_output, plus_output;  // f there
  std::vector<double> elasticity;
};

OatResult oat_elasticities(const std::function<double(const std::vector<double>&)>& f,
                           const std::vector<OatInput>& inputs, double relative_step = 1e-3, unsigned threads = 0);

// The same with the 2k + 1 points evaluated in one call (values in the inputs' own units).
using ValuesDesign = std::function<std::vector<double>(const Design& values)>;
OatResult oat_elasticities(const ValuesDesign& f, const std::vector<OatInput>& inputs, double relative_step = 1e-3);

}  // namespace astra::sensitivity
