#include "host/calibration/fit_objective.hpp"

#include <limits>

namespace astra::calibration {

CollectiveSetup FitObjective::setup_at(std::span<const double> values) const {
  CollectiveSetup s = base_;
  for (std::size_t i = 0; i < params_.size(); ++i) apply_parameter(params_[i], values[i], s.network, s.system);
  return s;
}

std::vector<double> FitObjective::predict(std::span<const double> values, const FitData& data) const {
  CollectiveSetup s = setup_at(values);
  const CollectiveKind base = s.collective;
  std::vector<double> out(data.sizes_bytes.size());
  for (std::size_t i = 0; i < data.sizes_bytes.size(); ++i) {
    s.collective = data.collective_at(i, base);
    const auto ns = predict_collective_ns(s, data.sizes_bytes[i]);
    out[i] = ns ? *ns : std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

double FitObjective::term_sum(std::span<const double> values, const FitData& data) const {
  CollectiveSetup s = setup_at(values);
  const CollectiveKind base = s.collective;
  double sum = 0.0;
  for (std::size_t i = 0; i < data.sizes_bytes.size(); ++i) {
    s.collective = data.collective_at(i, base);
    const auto ns = predict_collective_ns(s, data.sizes_bytes[i]);
    sum += objective_term(objective_, ns ? *ns : std::numeric_limits<double>::quiet_NaN(), data.measured_ns[i]);
  }
  return sum;
}

}  // namespace astra::calibration
