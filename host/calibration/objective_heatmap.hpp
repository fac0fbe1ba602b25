// The objective over the latency x bandwidth plane around a fit: a log-spaced grid over the
// fitted latency and bandwidth ranges (or x1/4..x4 around the base value when one of them is
// not fitted), every other parameter at its fitted value. For the heatmap plot.
#pragma once

#include <vector>

#include "host/calibration/fit_objective.hpp"

namespace astra::calibration {

struct HeatmapCell {
  double latency_ns = 0.0;
  double bandwidth_GBps = 0.0;
  double objective = 0.0;
};

struct ObjectiveHeatmap {
  int latency_steps = 0, bandwidth_steps = 0;
  std::vector<HeatmapCell> cells;  // latency varies fastest
};

ObjectiveHeatmap objective_heatmap(const FitObjective& objective, const FitData& data,
                                   const std::vector<double>& fitted_values, int steps, unsigned threads = 0);

}  // namespace astra::calibration
