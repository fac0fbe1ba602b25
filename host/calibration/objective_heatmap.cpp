#include "host/calibration/objective_heatmap.hpp"

#include <cmath>

#include "host/common/parallel_for.hpp"

namespace astra::calibration {
namespace {

struct Axis {
  double low, high;
  bool log_scale;
  double at(int i, int n) const {
    const double u = n > 1 ? static_cast<double>(i) / (n - 1) : 0.5;
    return log_scale ? low * std::pow(high / low, u) : low + u * (high - low);
  }
};

}  // namespace

ObjectiveHeatmap objective_heatmap(const FitObjective& objective, const FitData& data,
                                   const std::vector<double>& fitted_values, int steps, unsigned threads) {
  const auto& params = objective.params();
  const CollectiveSetup fitted = objective.setup_at(fitted_values);
  // Network parameters that cover dimension 0 (all dims or [0]) define the plane's axes.
  Axis lat{fitted.network.latency_ns[0] / 4, fitted.network.latency_ns[0] * 4, true};
  Axis bw{fitted.network.bandwidth_GBps[0] / 4, fitted.network.bandwidth_GBps[0] * 4, true};
  if (!(lat.low > 0)) lat = {0.0, 1000.0, false};
  for (const auto& p : params) {
    if (p.dim > 0) continue;
    if (p.kind == ParameterKind::LatencyNs) lat = {p.low, p.high, p.log_scale && p.low > 0};
    if (p.kind == ParameterKind::BandwidthGBps) bw = {p.low, p.high, p.log_scale};
  }
  ObjectiveHeatmap map;
  map.latency_steps = map.bandwidth_steps = steps;
  map.cells.resize(static_cast<std::size_t>(steps) * steps);
  FitParameter lat_all{ParameterKind::LatencyNs, -1, 0, 0, false};
  FitParameter bw_all{ParameterKind::BandwidthGBps, -1, 0, 0, false};
  FitObjective plane(fitted, {lat_all, bw_all}, objective.objective());
  parallel_for(map.cells.size(), 16, threads, [&](std::size_t b, std::size_t e) {
    for (std::size_t c = b; c < e; ++c) {
      HeatmapCell& cell = map.cells[c];
      cell.latency_ns = lat.at(static_cast<int>(c % steps), steps);
      cell.bandwidth_GBps = bw.at(static_cast<int>(c / steps), steps);
      const double v[2] = {cell.latency_ns, cell.bandwidth_GBps};
      cell.objective = plane.value(v, data);
    }
  });
  return map;
}

}  // namespace astra::calibration
