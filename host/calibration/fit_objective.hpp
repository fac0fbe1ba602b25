// The function a calibration minimises: parameter values -> objective of the predicted times
// against the measured ones, over one set of sizes. Also gives the predictions themselves.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "host/calibration/collective_predictor.hpp"
#include "host/calibration/error_objective.hpp"
#include "host/calibration/fit_parameter.hpp"

namespace astra::calibration {

struct FitData {
  std::vector<std::uint64_t> sizes_bytes;
  std::vector<double> measured_ns;
  // Per size, the collective measured (joint fits of several tables); empty: the base's.
  std::vector<CollectiveKind> collectives;

  CollectiveKind collective_at(std::size_t i, CollectiveKind base) const {
    return collectives.empty() ? base : collectives[i];
  }
};

class FitObjective {
 public:
  FitObjective(CollectiveSetup base, std::vector<FitParameter> params, Objective objective)
      : base_(std::move(base)), params_(std::move(params)), objective_(objective) {}

  const std::vector<FitParameter>& params() const { return params_; }
  const CollectiveSetup& base() const { return base_; }
  Objective objective() const { return objective_; }

  // The base setup with these values applied.
  CollectiveSetup setup_at(std::span<const double> values) const;

  // Predicted ns per size of `data` (each with its collective); NaN where the model rejects the point.
  std::vector<double> predict(std::span<const double> values, const FitData& data) const;

  // Sum of objective terms over `data` (see error_objective.hpp); failed predictions count as
  // very bad terms.
  double term_sum(std::span<const double> values, const FitData& data) const;
  double value(std::span<const double> values, const FitData& data) const {
    return finish_objective(objective_, term_sum(values, data), data.sizes_bytes.size());
  }

 private:
  CollectiveSetup base_;
  std::vector<FitParameter> params_;
  Objective objective_;
};

}  // namespace astra::calibration
