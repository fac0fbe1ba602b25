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

// What the bandwidth metrics read of a point: its size, collective and NPU count.
struct BandwidthInputs {
  std::uint64_t size_bytes = 0;
  CollectiveKind collective = CollectiveKind::AllReduce;
  std::int64_t total_npus = 1;
};

[[nodiscard]] ASTRA_HD_INLINE BandwidthInputs bandwidth_inputs(const SweepPoint& point) {
  BandwidthInputs in;
  in.size_bytes = point.size_bytes;
  in.collective = point.collective;
  in.total_npus = point.network.total_npus();
  return in;
}

// The same for the point with these axis values, from the base and the axes that write those
// fields (apply_axis_value's rules for them), without building the whole point: a device thread
// reducing a metric then writes a few registers per point instead of a SweepPoint (about 700 B)
// in its local memory.
[[nodiscard]] ASTRA_HD_INLINE BandwidthInputs decoded_bandwidth_inputs(const CompiledSweep& s, const double* axis_values) {
  BandwidthInputs in;
  in.size_bytes = s.base.size_bytes;
  in.collective = s.base.collective;
  const int dims = s.base.network.dims;
  std::int64_t npus[kMaxDims];
  for (int d = 0; d < kMaxDims; ++d) npus[d] = s.base.network.npus_count[d];
  for (int a = 0; a < s.axis_count; ++a) {
    const AxisTarget& t = s.axes[a];
    if (t.field == SweepField::SizeBytes) {
      in.size_bytes = axis_size_bytes(axis_values[a]);
    } else if (t.field == SweepField::Collective) {
      in.collective = axis_collective(axis_values[a]);
    } else if (t.field == SweepField::NpusCount) {
      int first = 0, last = 0;
      axis_dimensions(t, dims, first, last);
      for (int d = first; d <= last; ++d) npus[d] = axis_npus_count(axis_values[a]);
    }
  }
  for (int d = 0; d < dims; ++d) in.total_npus *= npus[d];
  return in;
}

// The bandwidth metrics of an ok point that took time (NaN otherwise, as sweep_metric_value).
[[nodiscard]] ASTRA_HD_INLINE double bandwidth_metric_value(SweepMetric metric, const BandwidthInputs& in,
                                                            std::uint64_t finish_ns) {
  if (finish_ns == 0) return std::numeric_limits<double>::quiet_NaN();
  if (metric == SweepMetric::AlgBwGBps) return collective_algbw_GBps(in.size_bytes, finish_ns);
  return collective_busbw_GBps(in.collective, in.total_npus, in.size_bytes, finish_ns);
}

[[nodiscard]] ASTRA_HD_INLINE bool is_bandwidth_metric(SweepMetric metric) {
  return metric == SweepMetric::AlgBwGBps || metric == SweepMetric::BusBwGBps;
}

// The metric of one evaluated point from what its bandwidths read of it (`in`, used only by the
// bandwidth metrics); NaN when it has none (not ok, or the metric does not apply: collective
// metrics of workload files, bandwidths of zero-time collectives).
[[nodiscard]] ASTRA_HD_INLINE double point_metric_value(SweepMetric metric, bool inline_collective, const BandwidthInputs& in,
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
    case SweepMetric::BusBwGBps: return inline_collective ? bandwidth_metric_value(metric, in, m.finish_ns) : none;
  }
  return none;
}

// The metric of one evaluated point (the point is read only by the bandwidth metrics).
[[nodiscard]] ASTRA_HD_INLINE double sweep_metric_value(SweepMetric metric, bool inline_collective, const SweepPoint& point,
                                          const SweepPointResult& result) {
  return point_metric_value(metric, inline_collective,
                            is_bandwidth_metric(metric) ? bandwidth_inputs(point) : BandwidthInputs{}, result);
}

// The metric of point `index` of a compiled sweep, decoding the axis values only where the
// metric needs them (the bandwidths: size, collective and NPU count alone, no whole point).
[[nodiscard]] ASTRA_HD_INLINE double sweep_point_metric(SweepMetric metric, const CompiledSweep& s, std::uint64_t index,
                                          const SweepPointResult& result) {
  if (result.status != SweepPointStatus::Ok) return std::numeric_limits<double>::quiet_NaN();
  BandwidthInputs in;
  if (is_bandwidth_metric(metric) && s.inline_collective) {
    double axis_values[kMaxSweepAxes];
    decode_axis_values(s, index, axis_values);
    in = decoded_bandwidth_inputs(s, axis_values);
  }
  return point_metric_value(metric, s.inline_collective, in, result);
}

}  // namespace astra
