// The metrics of a sweep point (the summary, top-k and histogram metrics and the metric columns
// of result rows), one definition for host threads and device threads so that every backend
// computes the same bits. GB = 1e9 bytes, nccl-tests' definitions:
//   algbw_GBps = size_bytes / collective_time_ns
//   busbw_GBps = algbw * 2(n-1)/n (all_reduce), * (n-1)/n (all_gather, reduce_scatter, all_to_all)
#pragma once

#include <cstdint>
#include <limits>

#include "kernels/sweep/bus_bandwidth.hpp"
#include "kernels/sweep/sweep_point_evaluation.hpp"

namespace astra {

enum class SweepMetric : std::uint8_t {
  CollectiveTimeNs, IterationTimeNs, ExposedCommNs, ComputeNs, CommNs, GpuNs, OverlapNs, AlgBwGBps, BusBwGBps,
};

[[nodiscard]] ASTRA_HD_INLINE bool metric_has_value(double v) { return v == v; }  // NaN = no value

// The metric of one evaluated point; NaN when it has none (not ok, or the metric does not apply:
// collective metrics of workload files, bandwidths of zero-time collectives).
[[nodiscard]] ASTRA_HD_INLINE double sweep_metric_value(SweepMetric metric, bool inline_collective, const SweepPoint& point,
                                          const SweepPointResult& result) {
  const double none = std::numeric_limits<double>::quiet_NaN();
  if (result.status != SweepPointStatus::Ok) return none;
  const PointMetrics& m = result.metrics;
  switch (metric) {
    case SweepMetric::CollectiveTimeNs: return inline_collective ? static_cast<double>(m.finish_ns) : none;
    case SweepMetric::IterationTimeNs: return static_cast<double>(m.finish_ns);
    case SweepMetric::ExposedCommNs: return static_cast<double>(m.exposed_comm_ns);
    case SweepMetric::ComputeNs: return static_cast<double>(m.compute_ns);
    case SweepMetric::CommNs: return static_cast<double>(m.comm_ns);
    case SweepMetric::GpuNs: return static_cast<double>(m.gpu_ns);
    case SweepMetric::OverlapNs: return static_cast<double>(m.overlap_ns);
    case SweepMetric::AlgBwGBps:
    case SweepMetric::BusBwGBps: {
      if (!inline_collective || m.finish_ns == 0) return none;
      if (metric == SweepMetric::AlgBwGBps) return collective_algbw_GBps(point.size_bytes, m.finish_ns);
      return collective_busbw_GBps(point.collective, point.network.total_npus(), point.size_bytes, m.finish_ns);
    }
  }
  return none;
}

// The metric of point `index` of a compiled sweep, decoding the point only where the metric
// needs it (the bandwidths).
[[nodiscard]] ASTRA_HD_INLINE double sweep_point_metric(SweepMetric metric, const CompiledSweep& s, std::uint64_t index,
                                          const SweepPointResult& result) {
  if (result.status != SweepPointStatus::Ok) return std::numeric_limits<double>::quiet_NaN();
  SweepPoint point;
  if (metric == SweepMetric::AlgBwGBps || metric == SweepMetric::BusBwGBps) {
    double axis_values[kMaxSweepAxes];
    decode_axis_values(s, index, axis_values);
    apply_axis_values(s, axis_values, point);
  }
  return sweep_metric_value(metric, s.inline_collective, point, result);
}

}  // namespace astra
