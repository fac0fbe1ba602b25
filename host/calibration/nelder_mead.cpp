#include "host/calibration/nelder_mead.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace astra::calibration {
namespace {

void clamp_unit(std::vector<double>& x) {
  for (double& v : x) v = std::clamp(v, 0.0, 1.0);
}

}  // namespace

NelderMeadResult nelder_mead(const std::function<double(const std::vector<double>&)>& f, std::vector<double> start,
                             const NelderMeadOptions& options) {
  const std::size_t n = start.size();
  NelderMeadResult result;
  clamp_unit(start);
  std::size_t evaluations = 0;
  auto eval = [&](std::vector<double>& x) {
    clamp_unit(x);
    ++evaluations;
    const double v = f(x);
    return std::isnan(v) ? std::numeric_limits<double>::infinity() : v;
  };
  if (n == 0) {
    result.point = start;
    result.value = eval(start);
    result.evaluations = evaluations;
    return result;
  }

  std::vector<std::vector<double>> simplex(n + 1, start);
  std::vector<double> values(n + 1);
  for (std::size_t i = 0; i < n; ++i) {
    // step inwards when at the upper face of the cube
    simplex[i + 1][i] += simplex[i + 1][i] + options.initial_step <= 1.0 ? options.initial_step : -options.initial_step;
  }
  for (std::size_t i = 0; i <= n; ++i) values[i] = eval(simplex[i]);

  std::vector<std::size_t> order(n + 1);
  while (evaluations < options.max_evaluations) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    const std::size_t best = order.front(), worst = order.back(), second = order[n - 1];

    double extent = 0.0;
    for (std::size_t i = 0; i <= n; ++i)
      for (std::size_t j = 0; j < n; ++j) extent = std::max(extent, std::fabs(simplex[i][j] - simplex[best][j]));
    if (std::fabs(values[worst] - values[best]) <= options.tolerance && extent <= 1e-7) break;
    if (extent <= 1e-9) break;

    std::vector<double> centroid(n, 0.0);
    for (std::size_t i = 0; i <= n; ++i)
      if (i != worst)
        for (std::size_t j = 0; j < n; ++j) centroid[j] += simplex[i][j] / static_cast<double>(n);
    auto along = [&](double t) {
      std::vector<double> x(n);
      for (std::size_t j = 0; j < n; ++j) x[j] = centroid[j] + t * (simplex[worst][j] - centroid[j]);
      return x;
    };

    std::vector<double> reflected = along(-1.0);
    const double fr = eval(reflected);
    if (fr < values[best]) {
      std::vector<double> expanded = along(-2.0);
      const double fe = eval(expanded);
      if (fe < fr) simplex[worst] = expanded, values[worst] = fe;
      else simplex[worst] = reflected, values[worst] = fr;
      continue;
    }
    if (fr < values[second]) {
      simplex[worst] = reflected, values[worst] = fr;
      continue;
    }
    std::vector<double> contracted = fr < values[worst] ? along(-0.5) : along(0.5);
    const double fc = eval(contracted);
    if (fc < std::min(fr, values[worst])) {
      simplex[worst] = contracted, values[worst] = fc;
      continue;
    }
    for (std::size_t i = 0; i <= n; ++i) {
      if (i == best) continue;
      for (std::size_t j = 0; j < n; ++j) simplex[i][j] = simplex[best][j] + 0.5 * (simplex[i][j] - simplex[best][j]);
      values[i] = eval(simplex[i]);
    }
  }
  const std::size_t best =
      static_cast<std::size_t>(std::min_element(values.begin(), values.end()) - values.begin());
  result.point = simplex[best];
  result.value = values[best];
  result.evaluations = evaluations;
  return result;
}

}  // namespace astra::calibration
