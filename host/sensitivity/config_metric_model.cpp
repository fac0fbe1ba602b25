#include "sensitivity/config_metric_model.hpp"

#include <cmath>
#include <limits>
#include <memory>

#include "engine/thread_scratch.hpp"
#include "input/input_error.hpp"
#include "input/parsers.hpp"
#include "model/point_evaluator.hpp"
#include "reference/reference_simulator.hpp"

namespace astra::sensitivity {

ConfigMetricModel::ConfigMetricModel(const SensitivitySpec& spec) : spec_(spec) {
  base_.network = read_network_yaml(spec.network_path);
  base_.system = read_system_json(spec.system_path);
  base_.backend = spec.backend;
  if (spec.collective) {
    base_.collective = *spec.collective;
  } else {
    workload_ = read_text_workload(spec.workload_path, spec.passes);
  }
  for (const auto& p : spec.parameters) {
    try {
      calibration::check_parameter_fits_network(p.range, base_.network);
    } catch (const InputError& e) {
      throw InputError(spec.file, "parameters", p.range.name() + ": " + e.reason());
    }
  }
}

double ConfigMetricModel::at_values(const std::vector<double>& values) const {
  calibration::CollectiveSetup s = base_;
  for (std::size_t i = 0; i < values.size(); ++i)
    calibration::apply_parameter(spec_.parameters[i].range, values[i], s.network, s.system);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (spec_.collective) {
    const auto ns = calibration::predict_collective_ns(s, spec_.size_bytes);
    return ns ? *ns : nan;
  }
  // The fast evaluator first (one scratch per thread), the reference simulator where it cannot answer.
  const PointMetrics m =
      evaluate_point(s.network, s.system, s.backend, workload_.view(), 1.0, thread_evaluator_scratch(), &thread_aware_scratch());
  if (m.status == PointStatus::Ok) {
    return spec_.metric == SensitivityMetric::ExposedCommNs ? static_cast<double>(m.exposed_comm_ns)
                                                            : static_cast<double>(m.finish_ns);
  }
  if (m.status == PointStatus::Rejected) return nan;
  const SimulationResult r = simulate_reference(s.network, s.system, s.backend, workload_);
  if (r.status != SimStatus::Ok) return nan;
  if (spec_.metric == SensitivityMetric::ExposedCommNs) {
    double worst = 0.0;  // the slowest NPU's exposed communication
    for (const auto& st : r.stats)
      if (st) worst = std::max(worst, static_cast<double>(st->exposed_comm_ns));
    return worst;
  }
  return static_cast<double>(r.max_finish_ns());
}

UnitModel ConfigMetricModel::unit_model() const {
  return [this](const std::vector<double>& u) {
    std::vector<double> v(u.size());
    for (std::size_t i = 0; i < u.size(); ++i) v[i] = spec_.parameters[i].range.from_unit(u[i]);
    return at_values(v);
  };
}

std::vector<double> ConfigMetricModel::base_values() const {
  std::vector<double> v;
  for (const auto& p : spec_.parameters)
    v.push_back(p.base ? *p.base : calibration::read_parameter(p.range, base_.network, base_.system));
  return v;
}

}  // namespace astra::sensitivity
