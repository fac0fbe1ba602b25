// The calibration's PNG plots, drawn by gnuplot from files in the output folder:
//   time_vs_size.png     measured and predicted time over size (log-log), fit and held-out sizes
//   error_vs_size.png    APE over size (log x), fit and held-out sizes
//   objective_heatmap.png  the objective over the latency x bandwidth plane, the fit marked
// Needs calibration.csv and heatmap.dat already written in `dir`. Returns false with a
// warning when gnuplot is missing or fails.
#pragma once

#include <string>

#include "host/calibration/objective_heatmap.hpp"

namespace astra::calibration {

std::string heatmap_data_text(const ObjectiveHeatmap& map);

bool draw_calibration_plots(const std::string& dir, const std::string& title, const std::string& objective_label,
                            double fitted_latency_ns, double fitted_bandwidth_GBps, std::string& warning);

}  // namespace astra::calibration
