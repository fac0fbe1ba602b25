// What comes back from a batch when a run does not need every row (top-k runs, --summary-only,
// and the histogram's second pass): status counts, the summary metric's min / max / exact sum /
// argmin / argmax, the batch's K best points, per-axis-value statistics, a histogram, and the
// points the host must finish itself (NeedsReference). Device backends compute it with
// Thrust/CUB (kernels/cuda/batch_reduce.cuh); reduce_on_host is the same reduction for the cpu
// backend and for points finished on the host. Every combination is order independent (see
// kernels/sweep/metric_stats.hpp), so cpu, thrust-omp and cuda give identical summaries.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/sweep/batch_reduction.hpp"
#include "kernels/sweep/sweep_point_evaluation.hpp"

namespace astra {

// Whether candidate a ranks before b: the better value, then the lower point index.
inline bool better_candidate(bool largest, double a_value, std::uint64_t a_index, double b_value,
                             std::uint64_t b_index) {
  if (a_value != b_value) return largest ? a_value > b_value : a_value < b_value;
  return a_index < b_index;
}

// The reduction of points [first, first + count) with the given results, on the host
// (NeedsReference results go to `pending`). `out` is reset first.
void reduce_on_host(const ReductionPlan& plan, std::uint64_t first, const SweepPointResult* results, std::uint64_t count, BatchReduction& out);

// Adds one finished point (e.g. one the reference simulator answered) to a reduction.
void add_point_to_reduction(const ReductionPlan& plan, std::uint64_t index, const SweepPointResult& result, BatchReduction& out);

// Folds `batch` into `total` (top-k lists merged and cut to plan.top_k). Sums in `total` keep
// wrapping 64-bit parts; use SumAccumulator for run totals that may exceed them.
void merge_reduction(const ReductionPlan& plan, BatchReduction& total, const BatchReduction& batch);

// An exact running sum of MetricStats sums (128-bit fixed point).
class SumAccumulator {
 public:
  void add(const MetricStats& s);
  double value() const;

 private:
  __int128 fixed_ = 0;
};

}  // namespace astra
