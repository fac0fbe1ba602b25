// How wrong a prediction is, over a set of measured sizes. Definitions (pred_i, meas_i > 0):
//
//   APE_i        = |pred_i - meas_i| / meas_i                       (absolute percentage error, a fraction)
//   geomean_ape  = exp( mean_i ln(max(APE_i, 1e-6)) )               (geometric mean of APE; the floor
//                                                                    keeps one exact hit from giving 0)
//   mape         = mean_i APE_i                                     (mean absolute percentage error)
//   rms_log      = sqrt( mean_i ln(pred_i / meas_i)^2 )             (RMS of the log ratio)
//
// geomean_ape is what the measured-data README and ASTRA-sim's HGX-H100 validation call
// "geometric-mean error". It is lenient: a few near-exact sizes pull it down, so every report
// also gives mape and the worst APE. All three objectives are means of per-size terms, so a
// sum of terms over any subset of sizes can be accumulated and finished later (used by the
// grid search and the size-regime split).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "kernels/sweep/fit_objective_term.hpp"

namespace astra::calibration {

// The per-size terms are computed by kernels/sweep/fit_objective_term.hpp, on every backend.
using Objective = astra::ObjectiveKind;

inline constexpr double kApeFloor = astra::kObjectiveApeFloor;

std::optional<Objective> parse_objective(std::string_view name);
const char* objective_name(Objective objective);

double absolute_percentage_error(double predicted, double measured);

// The per-size term whose mean (then `finish_objective`) is the objective.
double objective_term(Objective objective, double predicted, double measured);
double finish_objective(Objective objective, double sum_of_terms, std::size_t count);

// Evaluates the objective directly; both spans have the same length (> 0).
double evaluate_objective(Objective objective, std::span<const double> predicted, std::span<const double> measured);

// Every error summary a report prints.
struct ErrorSummary {
  std::size_t count = 0;
  double geomean_ape = 0.0;
  double mape = 0.0;
  double rms_log = 0.0;
  double max_ape = 0.0;
  std::size_t max_ape_index = 0;  // into the spans given
};
ErrorSummary summarise_errors(std::span<const double> predicted, std::span<const double> measured);

}  // namespace astra::calibration
