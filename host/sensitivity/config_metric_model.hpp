// The model a sensitivity study of astra-sweep analyses: parameter values -> one metric of an
// ASTRA-sim run (a collective microbenchmark or a text workload), answered by the fast
// evaluator and, where it says NeedsReference, by the reference simulator. For a collective
// microbenchmark every metric is the collective's time (all of it is exposed communication).
// Rejected configurations give NaN.
//
// Designs (every method's set of points) run on the sweep engine: the points become one zip
// group of a design sweep (host/sweep/spec/design_sweep.hpp) evaluated in batches by the chosen
// backend (cpu threads, thrust-omp, cuda, several devices), the same answers on each.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/calibration/collective_predictor.hpp"
#include "host/sweep/backends/device_evaluators.hpp"
#include "host/sensitivity/sensitivity_spec.hpp"
#include "host/sensitivity/unit_model.hpp"
#include "host/workload/workload.hpp"

namespace astra {
class MpiSession;
}

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

  // Which engine backend evaluates designs (as `run --backend`; default cpu) and with how many
  // host threads / which devices. Creates the backend lazily on the first design.
  void use_engine(std::string backend, unsigned threads, DeviceSelection devices = {});
  // --mpi: rank r of R evaluates design points [n r / R, n (r + 1) / R); every rank gets all values.
  void use_mpi(const MpiSession* mpi) { mpi_ = mpi; }
  // The metric at every point (values in the parameters' own units), on the engine.
  std::vector<double> evaluate_values(Design values) const;
  // The same in unit coordinates.
  DesignModel design_model() const;
  // What evaluated the designs: backend, device and why auto chose it (after the first design).
  std::string engine_backend() const { return engine_backend_; }
  std::string engine_device() const { return engine_device_; }
  std::string engine_note() const { return engine_note_; }

 private:
  SensitivitySpec spec_;
  calibration::CollectiveSetup base_;
  Workload workload_;
  std::shared_ptr<const Workload> shared_workload_;
  std::string backend_ = "cpu";
  unsigned threads_ = 0;
  DeviceSelection devices_;
  const MpiSession* mpi_ = nullptr;
  mutable std::string engine_backend_, engine_device_, engine_note_;
};

}  // namespace astra::sensitivity
