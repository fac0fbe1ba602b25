// The device path of a sweep: Thrust over a counting iterator, each device thread decoding its
// own point from the compiled sweep (kernels/sweep/compiled_sweep.hpp) and calling the fast
// evaluator. Host-to-device traffic is the compiled sweep's tables and the workload graph,
// copied once; only results come back, or (evaluate_reduced) only the batch's reduction: status
// counts, metric statistics, the K best points, per-axis-value statistics and a histogram,
// computed here with Thrust (transform_reduce, copy_if, stable_sort_by_key, reduce_by_key,
// upper_bound), plus the few points the host must finish (host/sweep/sweep_reduction.hpp).
//
// Built twice from this one file (see CMakeLists.txt):
//   nvcc                        -> ASTRA_DEVICE_FLAVOR_CUDA: make_cuda_evaluator (two streams,
//                                  pinned host buffers, batch size from cudaMemGetInfo)
//   g++ THRUST_DEVICE_SYSTEM_OMP -> ASTRA_DEVICE_FLAVOR_OMP: make_thrust_omp_evaluator
#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
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
#include <thrust/iterator/transform_iterator.h>
#include <thrust/iterator/zip_iterator.h>
#include <thrust/reduce.h>
#include <thrust/sort.h>
#include <thrust/transform.h>
#include <thrust/transform_reduce.h>
#include <thrust/tuple.h>

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)
#include <cuda_runtime.h>
#elif defined(ASTRA_DEVICE_FLAVOR_OMP)
#include <omp.h>
#endif

#include "sweep/device_evaluators.hpp"
#include "sweep/metric_stats.hpp"
#include "sweep/sweep_metric.hpp"
#include "sweep/sweep_point_evaluation.hpp"
#include "sweep/sweep_reduction.hpp"

namespace astra {
namespace {

// Per-slot working memory in device memory, owned by the evaluator: workload graphs need an
// EvaluatorScratch (tens of KB), congestion-aware collectives a CongestionAwareScratch (about
// 1 MB). Either pointer is null when the sweep has no such points.
struct ScratchPool {
  EvaluatorScratch* scratch = nullptr;
  aware::CongestionAwareScratch* aware = nullptr;
  std::uint64_t slots = 0;
  bool any() const { return scratch || aware; }
};

// Congestion-unaware inline collectives need no scratch: one point per device thread.
struct EvaluateCollectivePoint {
  CompiledSweep sweep;
  std::uint64_t first;
  SweepPointResult* out;
  ASTRA_HD void operator()(std::uint64_t i) const {
    out[i] = evaluate_sweep_point(sweep, WorkloadGraphView{}, first + i, nullptr);
  }
};

// With scratch: `slots` device threads each own one slot of the pool and stride over the batch
// (points slot, slot + slots, ...).
struct EvaluateSlot {
  CompiledSweep sweep;
  WorkloadGraphView graph;
  std::uint64_t first, count, slots;
  EvaluatorScratch* scratch;
  aware::CongestionAwareScratch* aware;
  SweepPointResult* out;
  ASTRA_HD void operator()(std::uint64_t slot) const {
    for (std::uint64_t i = slot; i < count; i += slots)
      out[i] = evaluate_sweep_point(sweep, graph, first + i, scratch ? scratch + slot : nullptr,
                                    aware ? aware + slot : nullptr);
  }
};

// Evaluates points [first, first + count) into device memory `out` on `policy`.
template <typename Policy>
void launch_evaluation(const Policy& policy, const CompiledSweep& sweep, const WorkloadGraphView& graph,
                       const ScratchPool& pool, std::uint64_t first, std::uint64_t count, SweepPointResult* out) {
  if (!pool.any()) {
    thrust::for_each(policy, thrust::counting_iterator<std::uint64_t>(0), thrust::counting_iterator<std::uint64_t>(count),
                     EvaluateCollectivePoint{sweep, first, out});
  } else {
    const std::uint64_t used = std::min(pool.slots, count);
    thrust::for_each(policy, thrust::counting_iterator<std::uint64_t>(0), thrust::counting_iterator<std::uint64_t>(used),
                     EvaluateSlot{sweep, graph, first, count, used, pool.scratch, pool.aware, out});
  }
}

struct DecodeAxisValues {
  CompiledSweep sweep;
  std::uint64_t first;
  double* out;
  ASTRA_HD void operator()(std::uint64_t i) const {
    double values[kMaxSweepAxes];
    decode_axis_values(sweep, first + i, values);
    for (int a = 0; a < sweep.axis_count; ++a) out[i * sweep.axis_count + a] = values[a];
  }
};

// ---------------------------------------------------------------- on-device reductions

struct StatusCounts {
  std::uint64_t n[5];
};

struct AddStatusCounts {
  ASTRA_HD StatusCounts operator()(const StatusCounts& a, const StatusCounts& b) const {
    StatusCounts c;
    for (int s = 0; s < 5; ++s) c.n[s] = a.n[s] + b.n[s];
    return c;
  }
};

// Status counts and the metric's statistics of one point, reduced in one pass.
struct CountsAndStats {
  StatusCounts counts;
  MetricStats stats;
};

struct CountsAndStatsOf {
  const SweepPointResult* results;
  const double* values;  // null: counts only
  std::uint64_t first;
  ASTRA_HD CountsAndStats operator()(std::uint64_t i) const {
    CountsAndStats c{};
    c.counts.n[static_cast<int>(results[i].status)] = 1;
    if (values && metric_has_value(values[i])) c.stats = metric_stats_of(values[i], first + i);
    return c;
  }
};

struct CombineCountsAndStats {
  ASTRA_HD CountsAndStats operator()(const CountsAndStats& a, const CountsAndStats& b) const {
    CountsAndStats c;
    c.counts = AddStatusCounts()(a.counts, b.counts);
    c.stats = combine_metric_stats(a.stats, b.stats);
    return c;
  }
};

// values[i] = the metric of point first + i (NaN when none).
struct MetricOfPoint {
  CompiledSweep sweep;
  std::uint64_t first;
  const SweepPointResult* results;
  SweepMetric metric;
  ASTRA_HD double operator()(std::uint64_t i) const { return sweep_point_metric(metric, sweep, first + i, results[i]); }
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
    const std::uint64_t row = (index / d.stride) % d.rows;
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
  CompiledSweep sweep;
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
      const std::uint32_t slot = axis_slot(sweep, first + p, axis, kept, slots);
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

// Device buffers reused from batch to batch.
struct DeviceReductionWorkspace {
  thrust::device_vector<double> values, top_values, histogram_values, keys, kept_axis_values, best_values;
  thrust::device_vector<std::uint64_t> positions, order, cumulative, chunk_counts;
  thrust::device_vector<std::uint32_t> slots;
  thrust::device_vector<MetricStats> chunk_stats, out_stats;
  thrust::device_vector<SweepPointResult> gathered;
};

template <typename T>
void grow(thrust::device_vector<T>& v, std::uint64_t n) {
  if (v.size() < n) v.resize(n);
}

// The reduction of results[0, count) (device memory) of points [first, first + count) into `out`.
template <typename Policy>
void reduce_on_device(const Policy& policy, const CompiledSweep& sweep, const SweepPointResult* results,
                      std::uint64_t first, std::uint64_t count, const ReductionPlan& plan,
                      DeviceReductionWorkspace& ws, BatchReduction& out) {
  out.reset(plan);
  using thrust::raw_pointer_cast;
  const thrust::counting_iterator<std::uint64_t> zero(0);
  const auto metric_values = [&](SweepMetric metric, thrust::device_vector<double>& into) {
    grow(into, count);
    thrust::transform(policy, zero, zero + count, into.begin(), MetricOfPoint{sweep, first, results, metric});
    return raw_pointer_cast(into.data());
  };
  // One pass: status counts and the summary metric's statistics.
  const double* values = plan.summary ? metric_values(plan.metric, ws.values) : nullptr;
  const CountsAndStats summary = thrust::transform_reduce(
      policy, zero, zero + count, CountsAndStatsOf{results, values, first}, CountsAndStats{}, CombineCountsAndStats());
  if (plan.summary) {
    for (int s = 0; s < 5; ++s) out.status_counts[s] = summary.counts.n[s];
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
                       ChunkAxisStats{sweep, first, static_cast<int>(a), raw_pointer_cast(ws.kept_axis_values.data()),
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

// The compiled sweep's tables and the workload graph, in device memory.
class DeviceSweepTables {
 public:
  explicit DeviceSweepTables(const SweepSpec& spec)
      : values_(spec.values.begin(), spec.values.end()),
        constraint_(spec.constraint.begin(), spec.constraint.end()) {
    sweep_ = spec.compiled();
    sweep_.values = thrust::raw_pointer_cast(values_.data());
    sweep_.constraint = thrust::raw_pointer_cast(constraint_.data());
    if (!spec.inline_collective && spec.workload) {
      nodes_.assign(spec.workload->nodes.begin(), spec.workload->nodes.end());
      deps_.assign(spec.workload->deps.begin(), spec.workload->deps.end());
      graph_.nodes = thrust::raw_pointer_cast(nodes_.data());
      graph_.node_count = static_cast<std::int32_t>(spec.workload->nodes.size());
      graph_.deps = thrust::raw_pointer_cast(deps_.data());
    }
  }
  const CompiledSweep& sweep() const { return sweep_; }
  const WorkloadGraphView& graph() const { return graph_; }

 private:
  thrust::device_vector<double> values_;
  thrust::device_vector<ConstraintInstruction> constraint_;
  thrust::device_vector<WorkloadNode> nodes_;
  thrust::device_vector<std::int32_t> deps_;
  CompiledSweep sweep_;
  WorkloadGraphView graph_{};
};

void decode_on_device(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out) {
  DeviceSweepTables tables(spec);
  const std::size_t n = count * spec.axes.size();
  thrust::device_vector<double> d_out(std::max<std::size_t>(n, 1));
  thrust::for_each(thrust::device, thrust::counting_iterator<std::uint64_t>(0),
                   thrust::counting_iterator<std::uint64_t>(count),
                   DecodeAxisValues{tables.sweep(), first, thrust::raw_pointer_cast(d_out.data())});
  thrust::copy(d_out.begin(), d_out.begin() + static_cast<std::ptrdiff_t>(n), out);
}

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)

void check_cuda(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string("CUDA ") + what + ": " + cudaGetErrorString(e));
}

// Sub-batches alternate between two streams: while one stream's kernel runs, the other's
// results travel to pinned host memory.
class CudaEvaluator final : public BatchEvaluator {
 public:
  CudaEvaluator(const SweepSpec& spec, int device) : tables_(spec) {
    cudaDeviceProp prop{};
    check_cuda(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
    name_ = prop.name;
    std::size_t free_bytes = 0, total_bytes = 0;
    check_cuda(cudaMemGetInfo(&free_bytes, &total_bytes), "cudaMemGetInfo");
    // Leave most memory to the evaluator's local scratch; results take 2 x sub_batch_ slots.
    const std::uint64_t fit = free_bytes / 8 / (2 * sizeof(SweepPointResult));
    sub_batch_ = std::clamp<std::uint64_t>(fit, 1u << 16, 1u << 22);
    // one scratch per slot, a quarter of free memory at most
    const bool graphs = !spec.inline_collective, aware = may_be_congestion_aware(tables_.sweep());
    if (graphs || aware) {
      const std::uint64_t per_slot =
          (graphs ? sizeof(EvaluatorScratch) : 0) + (aware ? sizeof(aware::CongestionAwareScratch) : 0);
      pool_.slots = std::clamp<std::uint64_t>(free_bytes / 4 / per_slot, 64, 16384);
    }
    if (graphs) check_cuda(cudaMalloc(&pool_.scratch, pool_.slots * sizeof(EvaluatorScratch)), "cudaMalloc scratch");
    if (aware) {
      const std::size_t bytes = pool_.slots * sizeof(aware::CongestionAwareScratch);
      check_cuda(cudaMalloc(&pool_.aware, bytes), "cudaMalloc aware scratch");
      check_cuda(cudaMemset(pool_.aware, 0, bytes), "cudaMemset aware scratch");  // key stamps start at 0
    }
    for (int s = 0; s < 2; ++s) {
      check_cuda(cudaStreamCreateWithFlags(&streams_[s], cudaStreamNonBlocking), "cudaStreamCreate");
      check_cuda(cudaMalloc(&device_out_[s], sub_batch_ * sizeof(SweepPointResult)), "cudaMalloc");
      check_cuda(cudaMallocHost(&pinned_[s], sub_batch_ * sizeof(SweepPointResult)), "cudaMallocHost");
    }
  }
  ~CudaEvaluator() override {
    for (int s = 0; s < 2; ++s) {
      if (streams_[s]) cudaStreamDestroy(streams_[s]);
      if (device_out_[s]) cudaFree(device_out_[s]);
      if (pinned_[s]) cudaFreeHost(pinned_[s]);
    }
    if (pool_.scratch) cudaFree(pool_.scratch);
    if (pool_.aware) cudaFree(pool_.aware);
  }

  void evaluate(std::uint64_t first, std::uint64_t count, SweepPointResult* out) override {
    std::uint64_t pending_offset[2] = {0, 0}, pending_count[2] = {0, 0};
    auto drain = [&](int s) {
      if (pending_count[s] == 0) return;
      check_cuda(cudaStreamSynchronize(streams_[s]), "cudaStreamSynchronize");
      std::memcpy(out + pending_offset[s], pinned_[s], pending_count[s] * sizeof(SweepPointResult));
      pending_count[s] = 0;
    };
    int s = 0;
    for (std::uint64_t offset = 0; offset < count; offset += sub_batch_, s ^= 1) {
      drain(s);
      const std::uint64_t n = std::min(sub_batch_, count - offset);
      // Both streams share the scratch pool, so batches that use it run one at a time.
      if (pool_.any()) drain(s ^ 1);
      launch_evaluation(thrust::cuda::par_nosync.on(streams_[s]), tables_.sweep(), tables_.graph(), pool_,
                        first + offset, n, device_out_[s]);
      check_cuda(cudaGetLastError(), "evaluate kernel");
      check_cuda(cudaMemcpyAsync(pinned_[s], device_out_[s], n * sizeof(SweepPointResult), cudaMemcpyDeviceToHost,
                                 streams_[s]),
                 "cudaMemcpyAsync");
      pending_offset[s] = offset;
      pending_count[s] = n;
    }
    drain(0);
    drain(1);
  }
  // Sub-batches on one stream: evaluate, reduce on the device, bring back only the reduction.
  void evaluate_reduced(std::uint64_t first, std::uint64_t count, const ReductionPlan& plan,
                        BatchReduction& out) override {
    out.reset(plan);
    const auto policy = thrust::cuda::par.on(streams_[0]);
    for (std::uint64_t offset = 0; offset < count; offset += sub_batch_) {
      const std::uint64_t n = std::min(sub_batch_, count - offset);
      launch_evaluation(policy, tables_.sweep(), tables_.graph(), pool_, first + offset, n, device_out_[0]);
      check_cuda(cudaGetLastError(), "evaluate kernel");
      reduce_on_device(policy, tables_.sweep(), device_out_[0], first + offset, n, plan, workspace_, part_);
      check_cuda(cudaStreamSynchronize(streams_[0]), "reduce");
      merge_reduction(plan, out, part_);
    }
  }
  std::string backend_name() const override { return "cuda"; }
  std::string device_name() const override { return name_; }
  std::uint64_t preferred_batch_points() const override { return sub_batch_ * 8; }

 private:
  DeviceSweepTables tables_;
  std::string name_;
  std::uint64_t sub_batch_ = 1u << 20;
  cudaStream_t streams_[2] = {nullptr, nullptr};
  SweepPointResult* device_out_[2] = {nullptr, nullptr};
  SweepPointResult* pinned_[2] = {nullptr, nullptr};
  ScratchPool pool_;
  DeviceReductionWorkspace workspace_;
  BatchReduction part_;
};

#else  // ASTRA_DEVICE_FLAVOR_OMP

class ThrustOmpEvaluator final : public BatchEvaluator {
 public:
  ThrustOmpEvaluator(const SweepSpec& spec, unsigned threads) : tables_(spec), device_(cpu_model_name()) {
    if (threads > 0) omp_set_num_threads(static_cast<int>(threads));
    pool_.slots = static_cast<std::uint64_t>(omp_get_max_threads()) * 4;
    if (!spec.inline_collective) {
      scratch_.resize(pool_.slots);
      pool_.scratch = thrust::raw_pointer_cast(scratch_.data());
    }
    if (may_be_congestion_aware(tables_.sweep())) {
      aware_.resize(pool_.slots);  // value-initialised: key stamps start at 0
      pool_.aware = thrust::raw_pointer_cast(aware_.data());
    }
  }
  void evaluate(std::uint64_t first, std::uint64_t count, SweepPointResult* out) override {
    if (results_.size() < count) results_.resize(count);
    launch_evaluation(thrust::device, tables_.sweep(), tables_.graph(), pool_, first, count,
                      thrust::raw_pointer_cast(results_.data()));
    thrust::copy(results_.begin(), results_.begin() + static_cast<std::ptrdiff_t>(count), out);
  }
  void evaluate_reduced(std::uint64_t first, std::uint64_t count, const ReductionPlan& plan,
                        BatchReduction& out) override {
    if (results_.size() < count) results_.resize(count);
    launch_evaluation(thrust::device, tables_.sweep(), tables_.graph(), pool_, first, count,
                      thrust::raw_pointer_cast(results_.data()));
    reduce_on_device(thrust::device, tables_.sweep(), thrust::raw_pointer_cast(results_.data()), first, count, plan,
                     workspace_, out);
  }
  std::string backend_name() const override { return "thrust-omp"; }
  std::string device_name() const override { return device_; }
  std::uint64_t preferred_batch_points() const override { return std::uint64_t{1} << 18; }

 private:
  DeviceSweepTables tables_;
  thrust::device_vector<SweepPointResult> results_;
  thrust::device_vector<EvaluatorScratch> scratch_;
  thrust::device_vector<aware::CongestionAwareScratch> aware_;
  ScratchPool pool_;
  std::string device_;
  DeviceReductionWorkspace workspace_;
};

#endif

}  // namespace

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)

std::unique_ptr<BatchEvaluator> make_cuda_evaluator(const SweepSpec& spec, std::string& why_not) {
  int devices = 0;
  const cudaError_t e = cudaGetDeviceCount(&devices);
  if (e != cudaSuccess) {
    why_not = std::string("no usable CUDA device (") + cudaGetErrorName(e) + ": " + cudaGetErrorString(e) + ")";
    cudaGetLastError();  // clear the sticky error
    return nullptr;
  }
  if (devices == 0) {
    why_not = "no CUDA device present";
    return nullptr;
  }
  int device = 0;
  check_cuda(cudaGetDevice(&device), "cudaGetDevice");
  return std::make_unique<CudaEvaluator>(spec, device);
}

void cuda_decode_axis_values(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out) {
  decode_on_device(spec, first, count, out);
}

#else

std::unique_ptr<BatchEvaluator> make_thrust_omp_evaluator(const SweepSpec& spec, unsigned threads) {
  return std::make_unique<ThrustOmpEvaluator>(spec, threads);
}

void thrust_omp_decode_axis_values(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out) {
  decode_on_device(spec, first, count, out);
}

#endif

}  // namespace astra
