#include "host/sensitivity/config_metric_model.hpp"

#include <cmath>
#include <limits>
#include <memory>

#include "host/engine/thread_scratch.hpp"
#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"
#include "kernels/model/point_evaluator.hpp"
#include "host/calibration/fit_sweep.hpp"
#include "host/nightly/mpi_session.hpp"
#include "host/common/parallel_for.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "host/sweep/spec/design_sweep.hpp"
#include "kernels/sweep/sweep_metric.hpp"

namespace astra::sensitivity {

ConfigMetricModel::ConfigMetricModel(const SensitivitySpec& spec) : spec_(spec) {
  base_.network = read_network_yaml(spec.network_path);
  base_.system = read_system_json(spec.system_path);
  base_.backend = spec.backend;
  if (spec.collective) {
    base_.collective = *spec.collective;
  } else {
    workload_ = read_text_workload(spec.workload_path, spec.passes);
    shared_workload_ = std::make_shared<const Workload>(workload_);
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

void ConfigMetricModel::use_engine(std::string backend, unsigned threads, DeviceSelection devices) {
  backend_ = std::move(backend);
  threads_ = threads;
  devices_ = std::move(devices);
}

std::vector<double> ConfigMetricModel::evaluate_values(Design values) const {
  std::vector<double> out(values.size(), std::numeric_limits<double>::quiet_NaN());
  if (values.size() == 0) return out;
  SweepPoint base;
  base.network = base_.network;
  base.system = base_.system;
  base.backend = base_.backend;
  base.collective = base_.collective;
  base.size_bytes = spec_.size_bytes;
  DesignGroup samples;
  for (const auto& p : spec_.parameters) samples.keys.push_back(calibration::sweep_axis_key(p.range));
  const std::size_t k = values.k, count = values.size();
  samples.rows = std::move(values.rows);  // the sweep's table: values.point(j) is sweep.values[j * k ..]
  const SweepSpec sweep =
      make_design_sweep(spec_.file, base, spec_.collective ? nullptr : shared_workload_, {std::move(samples)});
  auto evaluator = select_backend(backend_, sweep, threads_, engine_note_, devices_);
  engine_backend_ = evaluator->backend_name();
  engine_device_ = evaluator->device_name();

  const SweepMetric metric = spec_.collective ? SweepMetric::CollectiveTimeNs
                             : spec_.metric == SensitivityMetric::ExposedCommNs ? SweepMetric::ExposedCommNs
                                                                                : SweepMetric::IterationTimeNs;
  const CompiledSweep compiled = sweep.compiled();
  const std::uint64_t batch = std::max<std::uint64_t>(1, evaluator->preferred_batch_points());
  std::vector<SweepPointResult> results;
  std::vector<std::size_t> by_host;  // NeedsReference: the host path (reference simulator) answers
  std::uint64_t mine_begin = 0, mine_end = count;
  if (mpi_) {
    const auto ranks = static_cast<unsigned __int128>(mpi_->size()), rank = static_cast<unsigned __int128>(mpi_->rank());
    mine_begin = static_cast<std::uint64_t>(count * rank / ranks);
    mine_end = static_cast<std::uint64_t>(count * (rank + 1) / ranks);
  }
  for (std::uint64_t first = mine_begin; first < mine_end; first += batch) {
    const std::uint64_t n = std::min<std::uint64_t>(batch, mine_end - first);
    results.resize(n);
    evaluator->evaluate(first, n, results.data());
    for (std::uint64_t i = 0; i < n; ++i) {
      if (results[i].status == SweepPointStatus::NeedsReference) by_host.push_back(first + i);
      else out[first + i] = sweep_point_metric(metric, compiled, first + i, results[i]);
    }
  }
  parallel_for(by_host.size(), 1, threads_, [&](std::size_t b, std::size_t e) {
    for (std::size_t j = b; j < e; ++j) {
      const double* v = sweep.values.data() + by_host[j] * k;
      out[by_host[j]] = at_values(std::vector<double>(v, v + k));
    }
  });
  if (mpi_) mpi_->share_items(out, mine_begin, mine_end, 1);
  return out;
}

DesignModel ConfigMetricModel::design_model() const {
  return [this](const Design& unit) {
    Design values = unit;
    for (std::size_t j = 0; j < values.size(); ++j)
      for (std::size_t i = 0; i < values.k; ++i)
        values.rows[j * values.k + i] = spec_.parameters[i].range.from_unit(values.rows[j * values.k + i]);
    return evaluate_values(std::move(values));
  };
}

}  // namespace astra::sensitivity
