#include "host/study/hardware_validation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "host/calibration/calibrator.hpp"
#include "host/calibration/measured_file_reader.hpp"
#include "host/engine/host_point_evaluator.hpp"
#include "host/input/file_text.hpp"
#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"
#include "host/input/measured_profile.hpp"

namespace astra {

namespace fs = std::filesystem;

namespace {

NetworkConfig switch_network(const std::vector<std::int64_t>& npus, const std::vector<double>& latency_ns,
                             const std::vector<double>& bandwidth_GBps) {
  NetworkConfig n;
  n.dims = static_cast<std::int32_t>(npus.size());
  for (int d = 0; d < n.dims; ++d) {
    n.topology[d] = TopologyKind::Switch;
    n.npus_count[d] = npus[d];
    n.latency_ns[d] = latency_ns[d];
    n.bandwidth_GBps[d] = bandwidth_GBps[d];
  }
  return n;
}

// The system JSON's first-dimension implementations on every dimension of the network.
SystemConfig system_for(const SystemConfig& base, int dims) {
  SystemConfig s = base;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    if (s.implementation_count[c] < 1) continue;
    for (int d = s.implementation_count[c]; d < dims; ++d) s.implementation[c][d] = s.implementation[c][0];
    s.implementation_count[c] = dims;
  }
  return s;
}

// Fits latency and bandwidth of dimension `dim` of `base` to one measured all-reduce table.
LinkFit fit_link(const LinkCalibration& c, const NetworkConfig& base, const SystemConfig& system, int dim, int grid,
                 unsigned threads, NetworkConfig& fitted) {
  using namespace calibration;
  const MeasuredTable table = read_measured_file(c.table, TimeColumn::OutOfPlace, CollectiveKind::AllReduce);
  CollectiveSetup setup;
  setup.network = base;
  setup.system = system;
  setup.backend = NetworkBackend::CongestionUnaware;
  setup.collective = table.collective;
  CalibrationOptions options;
  std::string suffix = "[";  // piece by piece: GCC 12 warns (-Wrestrict, falsely) on "[" + to_string
  suffix += std::to_string(dim);
  suffix += ']';
  options.params.push_back(parse_fit_parameter("latency_ns" + suffix + "=" + c.latency_range));
  options.params.push_back(parse_fit_parameter("bandwidth_GBps" + suffix + "=" + c.bandwidth_range));
  options.grid_points_per_param = grid;
  options.objective = Objective::Mape;
  options.holdout = parse_holdout("every-2nd");
  options.threads = threads;
  const CalibrationResult r = calibrate(setup, table, options);
  fitted = r.regimes.front().setup.network;
  LinkFit f;
  f.table = c.table;
  f.latency_ns = fitted.latency_ns[dim];
  f.bandwidth_GBps = fitted.bandwidth_GBps[dim];
  f.sizes = r.fit.count;
  f.holdout_sizes = r.holdout.count;
  f.fit_geomean_ape = r.fit.geomean_ape;
  f.holdout_geomean_ape = r.holdout.geomean_ape;
  f.holdout_mape = r.holdout.mape;
  return f;
}

struct Prediction {
  double iteration_ms = 0, compute_ms = 0, exposed_ms = 0;
};

Prediction predict(const NetworkConfig& network, const SystemConfig& system, const Workload& workload, double scale,
                   const std::string& what) {
  const HostPointResult r = evaluate_on_host(network, system, NetworkBackend::CongestionUnaware, workload, scale);
  if (r.metrics.status != PointStatus::Ok)
    throw std::runtime_error("hardware comparison: " + what + " is rejected: " + r.message);
  return {static_cast<double>(r.metrics.finish_ns) / 1e6, static_cast<double>(r.metrics.compute_ns) / 1e6,
          static_cast<double>(r.metrics.exposed_comm_ns) / 1e6};
}

// The compute scale at which the prediction takes `target_ms` (bisection on the monotone time).
double solve_scale(const NetworkConfig& network, const SystemConfig& system, const Workload& workload,
                   double target_ms, const std::string& what) {
  double lo = 1e-3, hi = 1e3;
  for (int i = 0; i < 80 && hi / lo > 1 + 1e-9; ++i) {
    const double mid = std::sqrt(lo * hi);
    (predict(network, system, workload, mid, what).iteration_ms < target_ms ? lo : hi) = mid;
  }
  return std::sqrt(lo * hi);
}

}  // namespace

ErrorStats error_stats(const std::vector<double>& errors) {
  ErrorStats s;
  s.count = errors.size();
  if (errors.empty()) return s;
  std::vector<double> a;
  for (double e : errors) a.push_back(std::fabs(e));
  std::sort(a.begin(), a.end());
  s.max_abs = a.back();
  s.median_abs = a.size() % 2 ? a[a.size() / 2] : 0.5 * (a[a.size() / 2 - 1] + a[a.size() / 2]);
  return s;
}

HardwareResults run_hardware_validation(const HardwareSpec& spec, const std::string& workload_file, unsigned threads) {
  const auto start = std::chrono::steady_clock::now();
  HardwareResults out;
  out.profile_file = spec.profile;
  out.workload_file = workload_file;
  for (const std::string& needed : {spec.profile, spec.intra_node.table, spec.inter_node.table})
    if (!fs::exists(needed)) {
      out.skipped = needed + " not found (the measured data beside the repository, ../shared/measured)";
      return out;
    }
  const MeasuredProfile profile = read_measured_profile(spec.profile);
  out.profile_device = profile.device;
  const std::string workload_text = read_input_file(workload_file);

  // Links: one node, then two nodes with the node's fit fixed.
  const int gpn = spec.systems.front().gpus_per_node;
  for (const auto& s : spec.systems)
    if (s.gpus_per_node != gpn)
      throw InputError(spec.system_file, "hardware.systems", "every system needs the same gpus_per_node");
  NetworkConfig node;
  out.intra = fit_link(spec.intra_node, switch_network({gpn}, {1000}, {100}), system_for(spec.system, 1), 0, spec.grid,
                       threads, node);
  NetworkConfig two_nodes;
  out.inter = fit_link(spec.inter_node,
                       switch_network({gpn, 2}, {node.latency_ns[0], 1000}, {node.bandwidth_GBps[0], 25}),
                       system_for(spec.system, 2), 1, spec.grid, threads, two_nodes);

  // The profile against its own whole steps.
  for (const auto& [batch, step_us] : profile.step_us) {
    ProfileCheck c;
    c.batch = batch;
    c.measured_step_ms = step_us / 1e3;
    const MeasuredWorkload w = measured_text_workload(workload_text, workload_file, profile, batch);
    const Workload workload = parse_text_workload(w.text, workload_file);
    c.simulated_compute_ms = predict(node, system_for(spec.system, 1), workload, 1.0, "the profile check").compute_ms;
    MeasuredProfile without = profile;
    without.step_us.erase(batch);
    if (!without.step_us.empty()) {
      c.held_out_step_ms = profile_at_batch(without, batch).step_us / 1e3;
      c.held_out_error = c.held_out_step_ms / c.measured_step_ms - 1.0;
    }
    out.profile_checks.push_back(c);
  }

  // Every measured system, compute as measured.
  std::vector<Workload> workloads;
  for (const HardwareSystem& s : spec.systems) {
    HardwareComparison c;
    c.system = s;
    c.gpus = s.nodes * s.gpus_per_node;
    c.network = s.nodes == 1 ? node
                             : switch_network({gpn, s.nodes}, {node.latency_ns[0], two_nodes.latency_ns[1]},
                                              {node.bandwidth_GBps[0], two_nodes.bandwidth_GBps[1]});
    const MeasuredWorkload w = measured_text_workload(workload_text, workload_file, profile, s.batch_per_gpu);
    workloads.push_back(parse_text_workload(w.text, workload_file));
    const Prediction p = predict(c.network, system_for(spec.system, c.network.dims), workloads.back(), 1.0, s.name);
    c.measured_iteration_ms = 1e3 * c.gpus * s.batch_per_gpu / s.images_per_s;
    c.predicted_iteration_ms = p.iteration_ms;
    c.compute_ms = p.compute_ms;
    c.exposed_comm_ms = p.exposed_ms;
    c.predicted_images_per_s = 1e3 * c.gpus * s.batch_per_gpu / p.iteration_ms;
    c.error = c.predicted_images_per_s / s.images_per_s - 1.0;
    c.is_anchor = s.name == spec.anchor;
    out.systems.push_back(c);
  }
  std::vector<double> errors, anchored;
  for (const auto& c : out.systems) errors.push_back(c.error);
  out.errors = error_stats(errors);

  // One compute factor from the anchor's measured iteration, then every other system predicted.
  if (!spec.anchor.empty()) {
    out.anchor = spec.anchor;
    for (std::size_t i = 0; i < out.systems.size(); ++i)
      if (out.systems[i].is_anchor)
        out.anchor_factor = solve_scale(out.systems[i].network, system_for(spec.system, out.systems[i].network.dims),
                                        workloads[i], out.systems[i].measured_iteration_ms, spec.anchor);
    for (std::size_t i = 0; i < out.systems.size(); ++i) {
      HardwareComparison& c = out.systems[i];
      const Prediction p = predict(c.network, system_for(spec.system, c.network.dims), workloads[i], out.anchor_factor,
                                   c.system.name);
      c.anchored_iteration_ms = p.iteration_ms;
      c.anchored_images_per_s = 1e3 * c.gpus * c.system.batch_per_gpu / p.iteration_ms;
      c.anchored_error = c.anchored_images_per_s / c.system.images_per_s - 1.0;
      if (!c.is_anchor) anchored.push_back(c.anchored_error);
    }
    out.anchored_errors = error_stats(anchored);
  }
  // Weak scaling: one node's Switch up to gpus_per_node GPUs, then nodes on the inter-node Switch.
  for (int batch : spec.scaling_batches) {
    const Workload workload =
        parse_text_workload(measured_text_workload(workload_text, workload_file, profile, batch).text, workload_file);
    double first_ms = 0;
    for (int gpus : spec.scaling_gpus) {
      const NetworkConfig network =
          gpus <= gpn ? switch_network({gpus}, {node.latency_ns[0]}, {node.bandwidth_GBps[0]})
                      : switch_network({gpn, gpus / gpn}, {node.latency_ns[0], two_nodes.latency_ns[1]},
                                       {node.bandwidth_GBps[0], two_nodes.bandwidth_GBps[1]});
      const Prediction p = predict(network, system_for(spec.system, network.dims), workload, 1.0,
                                   std::to_string(gpus) + " GPUs at batch " + std::to_string(batch));
      if (first_ms == 0) first_ms = p.iteration_ms;
      out.scaling.push_back({gpus, batch, p.iteration_ms, p.compute_ms, p.exposed_ms, first_ms / p.iteration_ms,
                             1e3 * gpus * batch / p.iteration_ms});
    }
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace astra
