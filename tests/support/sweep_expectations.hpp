// Comparisons shared by the backend tests: two backends' per-point results, two reductions
// (field for field, the sums bit for bit), and the reduction plans the tests use.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "host/sweep/backends/batch_evaluator.hpp"
#include "host/sweep/backends/sweep_reduction.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra::testing_support {

inline void expect_same_results(const std::vector<SweepPointResult>& a, const std::vector<SweepPointResult>& b,
                                const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].status, b[i].status) << what << " point " << i;
    if (a[i].status == SweepPointStatus::Ok) {
      EXPECT_EQ(a[i].metrics.finish_ns, b[i].metrics.finish_ns) << what << " point " << i;
      EXPECT_EQ(a[i].metrics.comm_ns, b[i].metrics.comm_ns) << what << " point " << i;
      EXPECT_EQ(a[i].metrics.gpu_ns, b[i].metrics.gpu_ns) << what << " point " << i;
      EXPECT_EQ(a[i].metrics.overlap_ns, b[i].metrics.overlap_ns) << what << " point " << i;
      EXPECT_EQ(a[i].metrics.exposed_comm_ns, b[i].metrics.exposed_comm_ns) << what << " point " << i;
      EXPECT_EQ(a[i].metrics.compute_ns, b[i].metrics.compute_ns) << what << " point " << i;
      EXPECT_EQ(a[i].metrics.npus_differ, b[i].metrics.npus_differ) << what << " point " << i;
    }
  }
}

inline std::vector<SweepPointResult> evaluate_range(BatchEvaluator& e, std::uint64_t first, std::uint64_t count) {
  std::vector<SweepPointResult> out(count);
  e.evaluate(first, count, out.data());
  return out;
}

inline bool same_stats(const MetricStats& a, const MetricStats& b) {
  return a.count == b.count && (a.count == 0 || (a.min == b.min && a.max == b.max && a.argmin == b.argmin &&
                                                 a.argmax == b.argmax && a.sum_whole == b.sum_whole &&
                                                 a.sum_frac == b.sum_frac));
}

inline void expect_same_reduction(const BatchReduction& a, const BatchReduction& b, const std::string& what) {
  for (int s = 0; s < kSweepPointStatusCount; ++s)
    EXPECT_EQ(a.status_counts[s], b.status_counts[s]) << what << " status " << s;
  EXPECT_EQ(a.nonphysical, b.nonphysical) << what << " nonphysical";
  EXPECT_TRUE(same_stats(a.metric, b.metric)) << what << " metric stats";
  EXPECT_TRUE(same_stats(a.histogram_metric, b.histogram_metric)) << what << " histogram metric stats";
  ASSERT_EQ(a.top.size(), b.top.size()) << what;
  for (std::size_t i = 0; i < a.top.size(); ++i) {
    EXPECT_EQ(a.top[i].index, b.top[i].index) << what << " top " << i;
    EXPECT_EQ(a.top[i].value, b.top[i].value) << what << " top " << i;
    EXPECT_EQ(a.top[i].result.metrics.finish_ns, b.top[i].result.metrics.finish_ns) << what << " top " << i;
  }
  ASSERT_EQ(a.axis_stats.size(), b.axis_stats.size()) << what;
  for (std::size_t i = 0; i < a.axis_stats.size(); ++i)
    EXPECT_TRUE(same_stats(a.axis_stats[i], b.axis_stats[i])) << what << " axis slot " << i;
  EXPECT_EQ(a.histogram, b.histogram) << what;
  ASSERT_EQ(a.pending.size(), b.pending.size()) << what;
  for (std::size_t i = 0; i < a.pending.size(); ++i) EXPECT_EQ(a.pending[i].index, b.pending[i].index) << what;
}

// Every axis's distinct values, sorted: per-axis statistics for all of them.
inline std::vector<std::vector<double>> all_axis_values(const SweepSpec& spec) {
  std::vector<std::vector<double>> out(spec.axes.size());
  for (const SweepGroup& g : spec.groups)
    for (int j = 0; j < g.axis_count; ++j)
      for (std::uint64_t r = 0; r < g.rows; ++r)
        out[g.first_axis + j].push_back(spec.values[g.table_offset + r * g.axis_count + j]);
  for (auto& v : out) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  return out;
}

// Status counts, the metric's statistics, the K best and every axis value's statistics.
inline ReductionPlan summary_plan(const SweepSpec& spec, SweepMetric metric, bool largest, std::uint64_t k) {
  ReductionPlan plan;
  plan.sweep = spec.compiled();
  plan.metric = metric;
  plan.largest = largest;
  plan.top_k = k;
  plan.top_metric = metric;
  plan.top_largest = largest;
  plan.axis_values = all_axis_values(spec);
  return plan;
}

}  // namespace astra::testing_support
