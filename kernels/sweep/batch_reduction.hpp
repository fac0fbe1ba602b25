// What a batch's reduction asks for (ReductionPlan) and what comes back (BatchReduction), when a
// run does not need every row: status counts, the count of nonphysical points, the summary metric's statistics, the K best
// points, per-axis-value statistics, a histogram, and the points the host must finish itself.
// Plain data shared by the device layer (kernels/cuda/batch_reduce.cuh computes it with
// Thrust/CUB) and the host (host/sweep/backends/sweep_reduction.hpp: the same reduction on host threads,
// and the merging of batches). Host-side types: the device code never sees the vectors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/sweep/compiled_sweep.hpp"
#include "kernels/sweep/fit_objective_term.hpp"
#include "kernels/sweep/metric_stats.hpp"
#include "kernels/sweep/sweep_metric.hpp"
#include "kernels/sweep/sweep_point_evaluation.hpp"

namespace astra {

struct ReductionPlan {
  CompiledSweep sweep;  // the host's copy (host tables): reduce_on_host decodes points with it
  bool summary = true;  // status counts, metric stats, top-k, per-axis stats; false: histogram only
  SweepMetric metric = SweepMetric::CollectiveTimeNs;
  bool largest = false;  // the summary's best point: the largest value (bandwidths), else the smallest
  std::uint64_t top_k = 0;  // candidates to keep per batch; 0 = none
  SweepMetric top_metric = SweepMetric::CollectiveTimeNs;  // the top-k order
  bool top_largest = false;
  // Per axis, the sorted distinct values whose statistics are kept (empty: none for that axis;
  // at most 64 per axis for the device backends).
  std::vector<std::vector<double>> axis_values;
  // Histogram: with histogram_bins > 0 the counts over [histogram_low, histogram_high];
  // with track_histogram_metric the histogram metric's stats (first pass: the bin edges).
  SweepMetric histogram_metric = SweepMetric::CollectiveTimeNs;
  bool track_histogram_metric = false;
  std::uint32_t histogram_bins = 0;
  double histogram_low = 0.0, histogram_high = 0.0;

  // Fit objective (calibrate): with fit_group_points = G > 0, the exact sum of objective terms
  // per group of G consecutive points against fit_measured_ns[index % G] (and, with
  // fit_keep_terms, every point's term as a float, for the size-regime split).
  std::uint64_t fit_group_points = 0;
  std::vector<double> fit_measured_ns;
  ObjectiveKind fit_objective = ObjectiveKind::Mape;
  bool fit_keep_terms = false;

  std::size_t axis_slot_count() const {
    std::size_t n = 0;
    for (const auto& v : axis_values) n += v.size();
    return n;
  }
};

struct TopCandidate {
  double value = 0.0;
  std::uint64_t index = 0;
  SweepPointResult result{};
};

struct PendingPoint {
  std::uint64_t index = 0;
  SweepPointResult result{};
};

struct BatchReduction {
  std::uint64_t status_counts[kSweepPointStatusCount] = {};  // by SweepPointStatus; NeedsReference = in `pending`
  std::uint64_t nonphysical = 0;  // points whose result says nonphysical (injection_bound.hpp)
  MetricStats metric{};
  MetricStats histogram_metric{};
  std::vector<TopCandidate> top;         // best first, at most plan.top_k
  std::vector<MetricStats> axis_stats;   // plan.axis_values flattened in order
  std::vector<std::uint64_t> histogram;  // plan.histogram_bins counts
  std::vector<PendingPoint> pending;     // NeedsReference points, by index
  // Fit objective: groups [fit_first_group, fit_first_group + fit_sums.size()) touched by the
  // batch (partial sums where a batch cuts a group); terms of points [fit_terms_first, ...).
  std::uint64_t fit_first_group = 0;
  std::vector<FitGroupSum> fit_sums;
  std::uint64_t fit_terms_first = 0;
  std::vector<float> fit_terms;

  void reset(const ReductionPlan& plan) {
    for (auto& n : status_counts) n = 0;
    nonphysical = 0;
    metric = MetricStats{};
    histogram_metric = MetricStats{};
    top.clear();
    axis_stats.assign(plan.axis_slot_count(), MetricStats{});
    histogram.assign(plan.histogram_bins, 0);
    pending.clear();
    fit_first_group = fit_terms_first = 0;
    fit_sums.clear();
    fit_terms.clear();
  }
};

}  // namespace astra
