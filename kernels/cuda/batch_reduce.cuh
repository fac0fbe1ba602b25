// The reductions of a batch's results on the device (ReductionPlan -> BatchReduction, see
// kernels/sweep/batch_reduction.hpp): status counts and the summary metric in one
// transform_reduce, the points the host must finish (copy_if + gather), per-axis-value
// statistics, the K best points and histograms, computed in chunks without atomics and without
// sorting the batch: device thread c reduces batch offsets [c * chunk, (c + 1) * chunk) into its
// own small table, then one thread per table entry combines the chunks' tables (every
// combination is order independent, so every backend gives the same bits). Sorts only past the
// chunk tables' limits (K > 64, more than 256 bins).
//
// Templated on the Thrust execution policy: thrust::cuda::par.on(stream) on the GPU,
// thrust::device (OpenMP) in the other flavour.
#pragma once

#include "kernels/cuda/device_flavor.cuh"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include <thrust/binary_search.h>
#include <thrust/copy.h>
#include <thrust/count.h>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/for_each.h>
#include <thrust/functional.h>
#include <thrust/gather.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/iterator/zip_iterator.h>
#include <thrust/reduce.h>
#include <thrust/sort.h>
#include <thrust/transform.h>
#include <thrust/transform_reduce.h>
#include <thrust/tuple.h>

#include "kernels/sweep/batch_reduction.hpp"
#include "kernels/sweep/metric_stats.hpp"
#include "kernels/sweep/sweep_metric.hpp"
#include "kernels/sweep/sweep_point_evaluation.hpp"

namespace astra {
inline namespace ASTRA_DEVICE_FLAVOR_NS {
namespace batch_reduce {

struct StatusCounts {
  std::uint64_t n[kSweepPointStatusCount];
};

struct AddStatusCounts {
  ASTRA_HD StatusCounts operator()(const StatusCounts& a, const StatusCounts& b) const {
    StatusCounts c;
    for (int s = 0; s < kSweepPointStatusCount; ++s) c.n[s] = a.n[s] + b.n[s];
    return c;
  }
};

// Status counts and the metric's statistics of one point, reduced in one pass.
struct CountsAndStats {
  StatusCounts counts;
  std::uint64_t nonphysical;  // results flagged nonphysical (sweep/injection_bound.hpp)
  MetricStats stats;
};

struct CountsAndStatsOf {
  const SweepPointResult* results;
  const double* values;  // null: counts only
  std::uint64_t first;
  ASTRA_HD CountsAndStats operator()(std::uint64_t i) const {
    CountsAndStats c{};
    c.counts.n[static_cast<int>(results[i].status)] = 1;
    c.nonphysical = results[i].nonphysical ? 1 : 0;
    if (values && metric_has_value(values[i])) c.stats = metric_stats_of(values[i], first + i);
    return c;
  }
};

struct CombineCountsAndStats {
  ASTRA_HD CountsAndStats operator()(const CountsAndStats& a, const CountsAndStats& b) const {
    CountsAndStats c;
    c.counts = AddStatusCounts()(a.counts, b.counts);
    c.nonphysical = a.nonphysical + b.nonphysical;
    c.stats = combine_metric_stats(a.stats, b.stats);
    return c;
  }
};

// values[i] = the metric of point first + i (NaN when none).
struct MetricOfPoint {
  const CompiledSweep* sweep;  // device memory: a functor holding the 2 KB sweep by value is copied to each thread's stack
  std::uint64_t first;
  const SweepPointResult* results;
  SweepMetric metric;
  ASTRA_HD double operator()(std::uint64_t i) const { return sweep_point_metric(metric, *sweep, first + i, results[i]); }
};

struct StatsAtOffset {
  const double* values;
  std::uint64_t first;
  ASTRA_HD MetricStats operator()(std::uint64_t i) const {
    const double v = values[i];
    return metric_has_value(v) ? metric_stats_of(v, first + i) : MetricStats{};
  }
};

struct HasValue {
  ASTRA_HD bool operator()(double v) const { return metric_has_value(v); }
};

struct IsPending {
  ASTRA_HD bool operator()(const SweepPointResult& r) const { return r.status == SweepPointStatus::NeedsReference; }
};

// Ascending sort key: the value, negated when larger is better (0.0 - v keeps +0.0 for 0).
struct OrderKey {
  const double* values;
  bool largest;
  ASTRA_HD double operator()(std::uint64_t offset) const {
    const double v = values[offset];
    return largest ? 0.0 - v : v;
  }
};

// The slot of point `index`'s value of one axis among that axis's kept values (`count` when absent).
ASTRA_HD_INLINE std::uint32_t axis_slot(const CompiledSweep& sweep, std::uint64_t index, int axis, const double* kept,
                                        std::uint32_t count) {
  double value = 0.0;
  for (int k = 0; k < sweep.digit_count; ++k) {
    const SweepDigit& d = sweep.digits[k];
    if (axis < d.first_axis || axis >= d.first_axis + d.axis_count) continue;
    const std::uint64_t row = digit_row(sweep, d, index);
    value = sweep.values[d.table_offset + row * static_cast<std::uint64_t>(d.axis_count) + (axis - d.first_axis)];
  }
  for (std::uint32_t j = 0; j < count; ++j)
    if (kept[j] == value) return j;
  return count;
}

// Chunked reductions without atomics and without sorting the batch: device thread c reduces
// batch offsets [c * chunk, (c + 1) * chunk) into its own small table, then one thread per
// table entry combines the chunks' tables (every combination is order independent).
inline constexpr std::uint32_t kMaxChunkSlots = 64;   // per-axis values (ReductionPlan's limit)
inline constexpr std::uint32_t kMaxChunkTopK = 64;    // larger K: one stable sort of the batch
inline constexpr std::uint32_t kMaxChunkBins = 256;   // more bins: one sort of the batch's bins

struct ChunkAxisStats {
  const CompiledSweep* sweep;  // device memory
  std::uint64_t first;
  int axis;
  const double* kept;
  std::uint32_t slots;
  const double* values;  // per batch offset; NaN = no value
  std::uint64_t count, chunk;
  MetricStats* out;  // chunks x slots
  ASTRA_HD void operator()(std::uint64_t c) const {
    MetricStats local[kMaxChunkSlots];
    const std::uint64_t end = (c + 1) * chunk < count ? (c + 1) * chunk : count;
    for (std::uint64_t p = c * chunk; p < end; ++p) {
      if (!metric_has_value(values[p])) continue;
      const std::uint32_t slot = axis_slot(*sweep, first + p, axis, kept, slots);
      if (slot < slots) local[slot] = combine_metric_stats(local[slot], metric_stats_of(values[p], first + p));
    }
    for (std::uint32_t s = 0; s < slots; ++s) out[c * slots + s] = local[s];
  }
};

struct CombineChunkStats {
  const MetricStats* in;  // chunks x slots
  std::uint64_t chunks;
  std::uint32_t slots;
  MetricStats* out;
  ASTRA_HD void operator()(std::uint32_t s) const {
    MetricStats acc{};
    for (std::uint64_t c = 0; c < chunks; ++c) acc = combine_metric_stats(acc, in[c * slots + s]);
    out[s] = acc;
  }
};

// The chunk's K best (key, offset) pairs, best first; offsets ascend within a chunk, so an
// equal key never displaces an earlier one. Unused entries: (+inf, UINT64_MAX).
struct ChunkTopK {
  const double* values;  // per batch offset; NaN = no value
  std::uint64_t count, chunk;
  std::uint32_t k;
  bool largest;
  double* out_keys;  // chunks x k
  std::uint64_t* out_positions;
  ASTRA_HD void operator()(std::uint64_t c) const {
    double keys[kMaxChunkTopK];
    std::uint64_t kept[kMaxChunkTopK];
    std::uint32_t n = 0;
    const std::uint64_t end = (c + 1) * chunk < count ? (c + 1) * chunk : count;
    for (std::uint64_t p = c * chunk; p < end; ++p) {
      if (!metric_has_value(values[p])) continue;
      const double key = largest ? 0.0 - values[p] : values[p];
      if (n == k && !(key < keys[k - 1])) continue;
      std::uint32_t i = n < k ? n++ : k - 1;
      while (i > 0 && key < keys[i - 1]) {
        keys[i] = keys[i - 1];
        kept[i] = kept[i - 1];
        --i;
      }
      keys[i] = key;
      kept[i] = p;
    }
    for (std::uint32_t i = 0; i < k; ++i) {
      out_keys[c * k + i] = i < n ? keys[i] : std::numeric_limits<double>::infinity();
      out_positions[c * k + i] = i < n ? kept[i] : ~std::uint64_t{0};
    }
  }
};

struct KeyThenPosition {
  ASTRA_HD bool operator()(const thrust::tuple<double, std::uint64_t>& a,
                           const thrust::tuple<double, std::uint64_t>& b) const {
    if (thrust::get<0>(a) != thrust::get<0>(b)) return thrust::get<0>(a) < thrust::get<0>(b);
    return thrust::get<1>(a) < thrust::get<1>(b);
  }
};

struct ChunkHistogram {
  const double* values;  // per batch offset; NaN = no value
  std::uint64_t count, chunk;
  double low, high;
  std::uint32_t bins;
  std::uint64_t* out;  // chunks x bins
  ASTRA_HD void operator()(std::uint64_t c) const {
    std::uint64_t local[kMaxChunkBins];
    for (std::uint32_t b = 0; b < bins; ++b) local[b] = 0;
    const std::uint64_t end = (c + 1) * chunk < count ? (c + 1) * chunk : count;
    for (std::uint64_t i = c * chunk; i < end; ++i)
      if (metric_has_value(values[i])) ++local[histogram_bin(values[i], low, high, bins)];
    for (std::uint32_t b = 0; b < bins; ++b) out[c * bins + b] = local[b];
  }
};

struct SumChunkCounts {
  const std::uint64_t* in;  // chunks x bins
  std::uint64_t chunks;
  std::uint32_t bins;
  std::uint64_t* out;
  ASTRA_HD void operator()(std::uint32_t b) const {
    std::uint64_t sum = 0;
    for (std::uint64_t c = 0; c < chunks; ++c) sum += in[c * bins + b];
    out[b] = sum;
  }
};

// Chunks of at least 256 points, at most 4096 chunks.
inline std::uint64_t chunk_count(std::uint64_t n) {
  return std::max<std::uint64_t>(1, std::min<std::uint64_t>((n + 255) / 256, 4096));
}

struct BinOf {
  const double* values;
  double low, high;
  std::uint32_t bins;
  ASTRA_HD std::uint32_t operator()(std::uint64_t i) const {
    const double v = values[i];
    return metric_has_value(v) ? histogram_bin(v, low, high, bins) : bins;
  }
};

// The fit objective: one device thread per group touched by the batch sums its points' terms
// in index order (exact fixed point, so partial groups cut by batch edges add up anywhere).
struct FitGroupSums {
  const SweepPointResult* results;
  std::uint64_t first, count, group_points, first_group;
  const double* measured_ns;  // group_points entries
  ObjectiveKind objective;
  FitGroupSum* sums;          // per group, from first_group
  float* terms;               // per batch offset, or null
  ASTRA_HD void operator()(std::uint64_t k) const {
    const std::uint64_t group = first_group + k;
    const std::uint64_t begin = group * group_points > first ? group * group_points - first : 0;
    const std::uint64_t end_index = (group + 1) * group_points;
    const std::uint64_t end = end_index - first < count ? end_index - first : count;
    FitGroupSum sum{};
    for (std::uint64_t p = begin; p < end; ++p) {
      double term = 0.0;
      if (!fit_term_of_result(objective, results[p], measured_ns[(first + p) % group_points], term)) {
        ++sum.pending;
        if (terms) terms[p] = 0.0f;
        continue;
      }
      add_fit_term(sum, term);
      if (terms) terms[p] = static_cast<float>(term);
    }
    sums[k] = sum;
  }
};

// Device buffers reused from batch to batch.
struct DeviceReductionWorkspace {
  thrust::device_vector<double> values, top_values, histogram_values, keys, kept_axis_values, best_values;
  thrust::device_vector<std::uint64_t> positions, order, cumulative, chunk_counts;
  thrust::device_vector<std::uint32_t> slots;
  thrust::device_vector<MetricStats> chunk_stats, out_stats;
  thrust::device_vector<SweepPointResult> gathered;
  thrust::device_vector<unsigned char> sweep;  // one copy of the batch's sweep, read through a pointer
  thrust::device_vector<double> fit_measured;
  thrust::device_vector<FitGroupSum> fit_sums;
  thrust::device_vector<float> fit_terms;
};

// Copies `sweep` into device memory `bytes` (a plain byte copy: a device_vector<CompiledSweep>
// would fill it in a kernel holding the 2 KB struct in registers and spilling) and returns it.
inline const CompiledSweep* put_sweep(thrust::device_vector<unsigned char>& bytes, const CompiledSweep& sweep) {
  if (bytes.size() < sizeof(CompiledSweep)) bytes.resize(sizeof(CompiledSweep));
  const unsigned char* p = reinterpret_cast<const unsigned char*>(&sweep);
  thrust::copy(p, p + sizeof(CompiledSweep), bytes.begin());
  return reinterpret_cast<const CompiledSweep*>(thrust::raw_pointer_cast(bytes.data()));
}

template <typename T>
void grow(thrust::device_vector<T>& v, std::uint64_t n) {
  if (v.size() < n) v.resize(n);
}

// The reduction of results[0, count) (device memory) of points [first, first + count) into `out`.
template <typename Policy>
void reduce(const Policy& policy, const CompiledSweep& sweep, const SweepPointResult* results,
                      std::uint64_t first, std::uint64_t count, const ReductionPlan& plan,
                      DeviceReductionWorkspace& ws, BatchReduction& out) {
  out.reset(plan);
  using thrust::raw_pointer_cast;
  const CompiledSweep* device_sweep = put_sweep(ws.sweep, sweep);
  const thrust::counting_iterator<std::uint64_t> zero(0);
  const auto metric_values = [&](SweepMetric metric, thrust::device_vector<double>& into) {
    grow(into, count);
    thrust::transform(policy, zero, zero + count, into.begin(), MetricOfPoint{device_sweep, first, results, metric});
    return raw_pointer_cast(into.data());
  };
  // One pass: status counts and the summary metric's statistics.
  const double* values = plan.summary ? metric_values(plan.metric, ws.values) : nullptr;
  const CountsAndStats summary = thrust::transform_reduce(
      policy, zero, zero + count, CountsAndStatsOf{results, values, first}, CountsAndStats{}, CombineCountsAndStats());
  if (plan.summary) {
    for (int s = 0; s < kSweepPointStatusCount; ++s) out.status_counts[s] = summary.counts.n[s];
    out.nonphysical = summary.nonphysical;
    out.metric = summary.stats;
  }

  // Points the host finishes: their results come back.
  const std::uint64_t pending = summary.counts.n[static_cast<int>(SweepPointStatus::NeedsReference)];
  if (pending > 0) {
    grow(ws.positions, count);
    thrust::copy_if(policy, zero, zero + count, results, ws.positions.begin(), IsPending());
    grow(ws.gathered, pending);
    thrust::gather(policy, ws.positions.begin(), ws.positions.begin() + pending, thrust::device_pointer_cast(results),
                   ws.gathered.begin());
    std::vector<std::uint64_t> offsets(pending);
    std::vector<SweepPointResult> gathered(pending);
    thrust::copy(ws.positions.begin(), ws.positions.begin() + pending, offsets.begin());
    thrust::copy(ws.gathered.begin(), ws.gathered.begin() + pending, gathered.begin());
    for (std::uint64_t k = 0; k < pending; ++k) out.pending.push_back({first + offsets[k], gathered[k]});
  }

  if (plan.summary) {
    // Per axis: chunked statistics per kept value (at most 64 per axis).
    std::size_t offset = 0;
    const std::uint64_t chunks = chunk_count(count);
    const std::uint64_t chunk = (count + chunks - 1) / chunks;
    for (std::size_t a = 0; a < plan.axis_values.size(); ++a) {
      const std::vector<double>& kept = plan.axis_values[a];
      const std::uint32_t n = static_cast<std::uint32_t>(kept.size());
      if (n > kMaxChunkSlots) throw std::invalid_argument("reduce_on_device: more than 64 values kept for one axis");
      if (n == 0 || out.metric.count == 0) {
        offset += n;
        continue;
      }
      ws.kept_axis_values.assign(kept.begin(), kept.end());
      grow(ws.chunk_stats, chunks * n);
      grow(ws.out_stats, n);
      thrust::for_each(policy, zero, zero + chunks,
                       ChunkAxisStats{device_sweep, first, static_cast<int>(a), raw_pointer_cast(ws.kept_axis_values.data()),
                                      n, values, count, chunk, raw_pointer_cast(ws.chunk_stats.data())});
      thrust::for_each(policy, thrust::counting_iterator<std::uint32_t>(0), thrust::counting_iterator<std::uint32_t>(n),
                       CombineChunkStats{raw_pointer_cast(ws.chunk_stats.data()), chunks, n,
                                         raw_pointer_cast(ws.out_stats.data())});
      thrust::copy(ws.out_stats.begin(), ws.out_stats.begin() + n, out.axis_stats.begin() + offset);
      offset += n;
    }

    // Top-k: each chunk's K best, then those (chunks x K) sorted by (key, position); for K
    // above 64 a stable sort of all candidates by key (positions ascend, so ties stay in index
    // order). Only the first K come back.
    if (plan.top_k > 0) {
      const double* top_values = values;
      std::uint64_t candidates = out.metric.count;
      if (plan.top_metric != plan.metric) {
        top_values = metric_values(plan.top_metric, ws.top_values);
        candidates = static_cast<std::uint64_t>(thrust::count_if(policy, ws.top_values.begin(),
                                                                 ws.top_values.begin() + count, HasValue()));
      }
      if (candidates > 0) {
        const std::uint64_t k = std::min<std::uint64_t>(plan.top_k, candidates);
        if (plan.top_k <= kMaxChunkTopK) {
          const std::uint32_t kc = static_cast<std::uint32_t>(plan.top_k);
          const std::uint64_t chunks = chunk_count(count);
          const std::uint64_t chunk = (count + chunks - 1) / chunks;
          grow(ws.keys, chunks * kc);
          grow(ws.order, chunks * kc);
          thrust::for_each(policy, zero, zero + chunks,
                           ChunkTopK{top_values, count, chunk, kc, plan.top_largest, raw_pointer_cast(ws.keys.data()),
                                     raw_pointer_cast(ws.order.data())});
          const auto pairs = thrust::make_zip_iterator(thrust::make_tuple(ws.keys.begin(), ws.order.begin()));
          thrust::sort(policy, pairs, pairs + static_cast<std::ptrdiff_t>(chunks * kc), KeyThenPosition());
        } else {
          grow(ws.positions, count);
          grow(ws.order, count);
          grow(ws.keys, count);
          thrust::copy_if(policy, zero, zero + count, thrust::device_pointer_cast(top_values), ws.positions.begin(),
                          HasValue());
          thrust::transform(policy, ws.positions.begin(), ws.positions.begin() + candidates, ws.keys.begin(),
                            OrderKey{top_values, plan.top_largest});
          thrust::copy(policy, ws.positions.begin(), ws.positions.begin() + candidates, ws.order.begin());
          thrust::stable_sort_by_key(policy, ws.keys.begin(), ws.keys.begin() + candidates, ws.order.begin());
        }
        // ws.order[0, k): the best positions, best first.
        grow(ws.gathered, k);
        grow(ws.best_values, k);
        thrust::gather(policy, ws.order.begin(), ws.order.begin() + k, thrust::device_pointer_cast(results),
                       ws.gathered.begin());
        thrust::gather(policy, ws.order.begin(), ws.order.begin() + k, thrust::device_pointer_cast(top_values),
                       ws.best_values.begin());
        std::vector<std::uint64_t> offsets(k);
        std::vector<SweepPointResult> best(k);
        std::vector<double> best_values(k);
        thrust::copy(ws.order.begin(), ws.order.begin() + k, offsets.begin());
        thrust::copy(ws.gathered.begin(), ws.gathered.begin() + k, best.begin());
        thrust::copy(ws.best_values.begin(), ws.best_values.begin() + k, best_values.begin());
        for (std::uint64_t j = 0; j < k; ++j) out.top.push_back({best_values[j], first + offsets[j], best[j]});
      }
    }
  }

  if (plan.fit_group_points > 0 && count > 0) {
    const std::uint64_t g = plan.fit_group_points;
    const std::uint64_t first_group = first / g, groups = (first + count - 1) / g - first_group + 1;
    if (ws.fit_measured.size() != plan.fit_measured_ns.size())
      ws.fit_measured.assign(plan.fit_measured_ns.begin(), plan.fit_measured_ns.end());
    else
      thrust::copy(plan.fit_measured_ns.begin(), plan.fit_measured_ns.end(), ws.fit_measured.begin());
    grow(ws.fit_sums, groups);
    if (plan.fit_keep_terms) grow(ws.fit_terms, count);
    thrust::for_each(policy, zero, zero + groups,
                     FitGroupSums{results, first, count, g, first_group, raw_pointer_cast(ws.fit_measured.data()),
                                  plan.fit_objective, raw_pointer_cast(ws.fit_sums.data()),
                                  plan.fit_keep_terms ? raw_pointer_cast(ws.fit_terms.data()) : nullptr});
    out.fit_first_group = first_group;
    out.fit_sums.resize(groups);
    thrust::copy(ws.fit_sums.begin(), ws.fit_sums.begin() + groups, out.fit_sums.begin());
    if (plan.fit_keep_terms) {
      out.fit_terms_first = first;
      out.fit_terms.resize(count);
      thrust::copy(ws.fit_terms.begin(), ws.fit_terms.begin() + count, out.fit_terms.begin());
    }
  }

  if (plan.track_histogram_metric || plan.histogram_bins > 0) {
    const double* h = plan.summary && plan.histogram_metric == plan.metric
                          ? raw_pointer_cast(ws.values.data())
                          : metric_values(plan.histogram_metric, ws.histogram_values);
    if (plan.track_histogram_metric)
      out.histogram_metric = thrust::transform_reduce(policy, zero, zero + count, StatsAtOffset{h, first},
                                                      MetricStats{}, CombineMetricStats());
    if (plan.histogram_bins > 0 && plan.histogram_bins <= kMaxChunkBins) {
      // Each chunk counts into its own bins; one thread per bin adds the chunks up.
      const std::uint32_t bins = plan.histogram_bins;
      const std::uint64_t chunks = chunk_count(count);
      const std::uint64_t chunk = (count + chunks - 1) / chunks;
      grow(ws.chunk_counts, chunks * bins);
      grow(ws.cumulative, bins);
      thrust::for_each(policy, zero, zero + chunks,
                       ChunkHistogram{h, count, chunk, plan.histogram_low, plan.histogram_high, bins,
                                      raw_pointer_cast(ws.chunk_counts.data())});
      thrust::for_each(policy, thrust::counting_iterator<std::uint32_t>(0),
                       thrust::counting_iterator<std::uint32_t>(bins),
                       SumChunkCounts{raw_pointer_cast(ws.chunk_counts.data()), chunks, bins,
                                      raw_pointer_cast(ws.cumulative.data())});
      thrust::copy(ws.cumulative.begin(), ws.cumulative.begin() + bins, out.histogram.begin());
    } else if (plan.histogram_bins > 0) {
      // Many bins: the bin of every point (bins = no value), sorted; upper_bound gives
      // cumulative counts.
      const std::uint32_t bins = plan.histogram_bins;
      grow(ws.slots, count);
      grow(ws.cumulative, bins);
      thrust::transform(policy, zero, zero + count, ws.slots.begin(),
                        BinOf{h, plan.histogram_low, plan.histogram_high, bins});
      thrust::sort(policy, ws.slots.begin(), ws.slots.begin() + count);
      const thrust::counting_iterator<std::uint32_t> bin0(0);
      thrust::upper_bound(policy, ws.slots.begin(), ws.slots.begin() + count, bin0, bin0 + bins,
                          ws.cumulative.begin());
      std::vector<std::uint64_t> cumulative(bins);
      thrust::copy(ws.cumulative.begin(), ws.cumulative.begin() + bins, cumulative.begin());
      for (std::uint32_t b = 0; b < bins; ++b) out.histogram[b] = cumulative[b] - (b > 0 ? cumulative[b - 1] : 0);
    }
  }
}
}  // namespace batch_reduce
}  // namespace ASTRA_DEVICE_FLAVOR_NS
}  // namespace astra
