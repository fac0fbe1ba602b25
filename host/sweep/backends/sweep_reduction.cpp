#include "host/sweep/backends/sweep_reduction.hpp"

#include <algorithm>
#include <limits>

#include "host/sweep/backends/batch_evaluator.hpp"

namespace astra {
namespace {

// Statistics of one valued point into the per-axis slots.
void add_axis_stats(const ReductionPlan& plan, std::uint64_t index, const MetricStats& one, BatchReduction& out) {
  double axis_values[kMaxSweepAxes];
  decode_axis_values(plan.sweep, index, axis_values);
  std::size_t offset = 0;
  for (std::size_t a = 0; a < plan.axis_values.size(); ++a) {
    const std::vector<double>& values = plan.axis_values[a];
    auto it = std::lower_bound(values.begin(), values.end(), axis_values[a]);
    if (it != values.end() && *it == axis_values[a]) {
      MetricStats& slot = out.axis_stats[offset + static_cast<std::size_t>(it - values.begin())];
      slot = combine_metric_stats(slot, one);
    }
    offset += values.size();
  }
}

// Everything but top-k; returns the top-k metric's value (NaN when none or no top-k).
double add_statistics(const ReductionPlan& plan, std::uint64_t index, const SweepPointResult& r,
                      BatchReduction& out) {
  double value = std::numeric_limits<double>::quiet_NaN();
  if (plan.summary) {
    ++out.status_counts[static_cast<int>(r.status)];
    if (r.nonphysical) ++out.nonphysical;
    value = sweep_point_metric(plan.metric, plan.sweep, index, r);
    if (metric_has_value(value)) {
      const MetricStats one = metric_stats_of(value, index);
      out.metric = combine_metric_stats(out.metric, one);
      if (!plan.axis_values.empty()) add_axis_stats(plan, index, one, out);
    }
    if (plan.top_k == 0) value = std::numeric_limits<double>::quiet_NaN();
    else if (plan.top_metric != plan.metric) value = sweep_point_metric(plan.top_metric, plan.sweep, index, r);
  }
  if (plan.track_histogram_metric || plan.histogram_bins > 0) {
    const double h = sweep_point_metric(plan.histogram_metric, plan.sweep, index, r);
    if (metric_has_value(h)) {
      if (plan.track_histogram_metric)
        out.histogram_metric = combine_metric_stats(out.histogram_metric, metric_stats_of(h, index));
      if (plan.histogram_bins > 0)
        ++out.histogram[histogram_bin(h, plan.histogram_low, plan.histogram_high, plan.histogram_bins)];
    }
  }
  return value;
}

// The partial sum of `group` in `out`, extending out's range of groups to hold it.
FitGroupSum& fit_sum_at(BatchReduction& out, std::uint64_t group) {
  if (out.fit_sums.empty()) {
    out.fit_first_group = group;
    out.fit_sums.resize(1);
  } else if (group < out.fit_first_group) {
    out.fit_sums.insert(out.fit_sums.begin(), out.fit_first_group - group, FitGroupSum{});
    out.fit_first_group = group;
  } else if (group >= out.fit_first_group + out.fit_sums.size()) {
    out.fit_sums.resize(group - out.fit_first_group + 1);
  }
  return out.fit_sums[group - out.fit_first_group];
}

// The fit objective's term of one point into its group (and its slot among the kept terms).
void add_fit_point(const ReductionPlan& plan, std::uint64_t index, const SweepPointResult& r, BatchReduction& out,
                   bool resolving) {
  const std::uint64_t g = plan.fit_group_points;
  FitGroupSum& sum = fit_sum_at(out, index / g);
  double term = 0.0;
  if (!fit_term_of_result(plan.fit_objective, r, plan.fit_measured_ns[index % g], term)) {
    ++sum.pending;
    return;
  }
  add_fit_term(sum, term);
  if (resolving && sum.pending > 0) --sum.pending;
  if (plan.fit_keep_terms) {  // the slots exist: reduce_on_host sized them, merges keep them
    if (index >= out.fit_terms_first && index < out.fit_terms_first + out.fit_terms.size())
      out.fit_terms[index - out.fit_terms_first] = static_cast<float>(term);
  }
}

void merge_fit(BatchReduction& total, const BatchReduction& batch) {
  if (!batch.fit_sums.empty()) {
    fit_sum_at(total, batch.fit_first_group);
    fit_sum_at(total, batch.fit_first_group + batch.fit_sums.size() - 1);
    for (std::size_t i = 0; i < batch.fit_sums.size(); ++i)
      add_fit_sum(total.fit_sums[batch.fit_first_group + i - total.fit_first_group], batch.fit_sums[i]);
  }
  if (!batch.fit_terms.empty()) {
    if (total.fit_terms.empty()) {
      total.fit_terms_first = batch.fit_terms_first;
      total.fit_terms = batch.fit_terms;
      return;
    }
    if (batch.fit_terms_first == total.fit_terms_first + total.fit_terms.size()) {  // batches in order
      total.fit_terms.insert(total.fit_terms.end(), batch.fit_terms.begin(), batch.fit_terms.end());
      return;
    }
    const std::uint64_t lo = std::min(total.fit_terms_first, batch.fit_terms_first);
    const std::uint64_t hi = std::max(total.fit_terms_first + total.fit_terms.size(),
                                      batch.fit_terms_first + batch.fit_terms.size());
    std::vector<float> merged(hi - lo, 0.0f);
    std::copy(total.fit_terms.begin(), total.fit_terms.end(), merged.begin() + (total.fit_terms_first - lo));
    std::copy(batch.fit_terms.begin(), batch.fit_terms.end(), merged.begin() + (batch.fit_terms_first - lo));
    total.fit_terms = std::move(merged);
    total.fit_terms_first = lo;
  }
}

void sort_and_cut(const ReductionPlan& plan, std::vector<TopCandidate>& top) {
  const auto before = [&](const TopCandidate& a, const TopCandidate& b) {
    return better_candidate(plan.top_largest, a.value, a.index, b.value, b.index);
  };
  if (top.size() > plan.top_k) {
    std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(plan.top_k), top.end(), before);
    top.resize(plan.top_k);
  } else {
    std::sort(top.begin(), top.end(), before);
  }
}

}  // namespace

void reduce_on_host(const ReductionPlan& plan, std::uint64_t first, const SweepPointResult* results,
                    std::uint64_t count, BatchReduction& out) {
  out.reset(plan);
  // Top-k: (value, offset) of every valued point, then the K best.
  struct Key {
    double value;
    std::uint64_t offset;
  };
  std::vector<Key> keys;
  if (plan.fit_group_points > 0 && count > 0) {
    fit_sum_at(out, first / plan.fit_group_points);
    fit_sum_at(out, (first + count - 1) / plan.fit_group_points);
    if (plan.fit_keep_terms) {
      out.fit_terms_first = first;
      out.fit_terms.assign(count, 0.0f);
    }
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    const SweepPointResult& r = results[i];
    if (plan.fit_group_points > 0) add_fit_point(plan, first + i, r, out, false);
    if (r.status == SweepPointStatus::NeedsReference) {
      out.pending.push_back({first + i, r});
      continue;
    }
    const double value = add_statistics(plan, first + i, r, out);
    if (plan.top_k > 0 && metric_has_value(value)) keys.push_back({value, i});
  }
  if (plan.summary) out.status_counts[static_cast<int>(SweepPointStatus::NeedsReference)] = out.pending.size();
  if (keys.empty()) return;
  const auto before = [&](const Key& a, const Key& b) {
    return better_candidate(plan.top_largest, a.value, a.offset, b.value, b.offset);
  };
  const std::size_t k = std::min<std::size_t>(plan.top_k, keys.size());
  std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(k), keys.end(), before);
  for (std::size_t j = 0; j < k; ++j) out.top.push_back({keys[j].value, first + keys[j].offset, results[keys[j].offset]});
}

void add_point_to_reduction(const ReductionPlan& plan, std::uint64_t index, const SweepPointResult& result,
                            BatchReduction& out) {
  const double value = add_statistics(plan, index, result, out);
  if (plan.fit_group_points > 0) add_fit_point(plan, index, result, out, true);
  if (plan.top_k > 0 && metric_has_value(value)) {
    out.top.push_back({value, index, result});
    sort_and_cut(plan, out.top);
  }
}

void merge_reduction(const ReductionPlan& plan, BatchReduction& total, const BatchReduction& batch) {
  for (int s = 0; s < kSweepPointStatusCount; ++s) total.status_counts[s] += batch.status_counts[s];
  total.nonphysical += batch.nonphysical;
  total.metric = combine_metric_stats(total.metric, batch.metric);
  total.histogram_metric = combine_metric_stats(total.histogram_metric, batch.histogram_metric);
  if (total.axis_stats.size() < batch.axis_stats.size()) total.axis_stats.resize(batch.axis_stats.size());
  for (std::size_t i = 0; i < batch.axis_stats.size(); ++i)
    total.axis_stats[i] = combine_metric_stats(total.axis_stats[i], batch.axis_stats[i]);
  if (total.histogram.size() < batch.histogram.size()) total.histogram.resize(batch.histogram.size());
  for (std::size_t i = 0; i < batch.histogram.size(); ++i) total.histogram[i] += batch.histogram[i];
  if (!batch.top.empty()) {
    total.top.insert(total.top.end(), batch.top.begin(), batch.top.end());
    sort_and_cut(plan, total.top);
  }
  total.pending.insert(total.pending.end(), batch.pending.begin(), batch.pending.end());
  merge_fit(total, batch);
}

void BatchEvaluator::evaluate_reduced(std::uint64_t first, std::uint64_t count, const ReductionPlan& plan,
                                      BatchReduction& out) {
  std::vector<SweepPointResult> results(count);
  evaluate(first, count, results.data());
  reduce_on_host(plan, first, results.data(), count, out);
}

void SumAccumulator::add(const MetricStats& s) {
  fixed_ += static_cast<__int128>(static_cast<std::int64_t>(s.sum_whole)) * (static_cast<__int128>(1) << 32) +
            static_cast<__int128>(s.sum_frac);
}

double SumAccumulator::value() const { return static_cast<double>(fixed_) / kMetricSumFracScale; }

}  // namespace astra
