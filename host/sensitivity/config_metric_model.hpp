// The model a sensitivity study of astra-sweep analyses: parameter values -> one metric of an
// ASTRA-sim run (a collective microbenchmark or a text workload), answered by the fast
// evaluator and, where it says NeedsReference, by the reference simulator. For a collective
// microbenchmark every metric is the collective's time (all of it is exposed communication).
// Rejected configurations give NaN.
#pragma once

#include <vector>

#include "calibration/collective_predictor.hpp"
#include "sensitivity/sensitivity_spec.hpp"
#include "sensitivity/unit_model.hpp"
#include "workload/workload.hpp"

namespace astra::sensitivity {

class ConfigMetricModel {
 public:
  // Reads the configs and the workload named by the spec (InputError on bad files).
  explicit ConfigMetricModel(const SensitivitySpec& spec);

  // The metric at these parameter values (in the parameters' own units).
  double at_values(const std::vector<double>& values) const;
  // The same in unit coordinates (lin or log per parameter).
  UnitModel unit_model() const;
  // The configs' own value of each parameter (or the spec's `@ BASE`).
  std::vector<double> base_values() const;

 private:
  SensitivitySpec spec_;
  calibration::CollectiveSetup base_;
  Workload workload_;
};

}  // namespace astra::sensitivity
