#include "host/calibration/error_objective.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace astra::calibration {

std::optional<Objective> parse_objective(std::string_view name) {
  if (name == "geomean_ape") return Objective::GeomeanApe;
  if (name == "mape") return Objective::Mape;
  if (name == "rms_log") return Objective::RmsLog;
  return std::nullopt;
}

const char* objective_name(Objective objective) {
  switch (objective) {
    case Objective::GeomeanApe: return "geomean_ape";
    case Objective::Mape: return "mape";
    case Objective::RmsLog: return "rms_log";
  }
  return "?";
}

double absolute_percentage_error(double predicted, double measured) {
  return std::fabs(predicted - measured) / measured;
}

double objective_term(Objective objective, double predicted, double measured) {
  return objective_term_of(objective, predicted, measured);
}

double finish_objective(Objective objective, double sum_of_terms, std::size_t count) {
  if (count == 0) return std::numeric_limits<double>::quiet_NaN();
  const double mean = sum_of_terms / static_cast<double>(count);
  switch (objective) {
    case Objective::GeomeanApe: return std::exp(mean);
    case Objective::Mape: return mean;
    case Objective::RmsLog: return std::sqrt(mean);
  }
  return mean;
}

double evaluate_objective(Objective objective, std::span<const double> predicted, std::span<const double> measured) {
  double sum = 0.0;
  for (std::size_t i = 0; i < predicted.size(); ++i) sum += objective_term(objective, predicted[i], measured[i]);
  return finish_objective(objective, sum, predicted.size());
}

ErrorSummary summarise_errors(std::span<const double> predicted, std::span<const double> measured) {
  ErrorSummary s;
  s.count = predicted.size();
  if (s.count == 0) {
    s.geomean_ape = s.mape = s.rms_log = s.max_ape = std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  s.geomean_ape = evaluate_objective(Objective::GeomeanApe, predicted, measured);
  s.mape = evaluate_objective(Objective::Mape, predicted, measured);
  s.rms_log = evaluate_objective(Objective::RmsLog, predicted, measured);
  for (std::size_t i = 0; i < s.count; ++i) {
    const double ape = absolute_percentage_error(predicted[i], measured[i]);
    if (ape > s.max_ape || i == 0) s.max_ape = ape, s.max_ape_index = i;
  }
  return s;
}

}  // namespace astra::calibration
