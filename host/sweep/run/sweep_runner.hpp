// Runs a whole sweep in bounded memory: batches of points go through a backend (the fast
// evaluator), points it hands back are finished on the host (reference simulator, rejection
// reasons), and rows are written in point-index order while the next batch is evaluated.
// With a top-k request or summary_only, the backend reduces each batch itself (on the GPU with
// Thrust/CUB, see host/sweep/backends/sweep_reduction.hpp) and only the reduction comes back; the K best
// rows are written at the end, sorted by the metric. A histogram takes a second, reduction-only
// pass over the design: the first finds the metric's min and max (the bin edges), the second
// counts (points the reference simulator answered are not simulated again: their values are kept).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "host/sweep/backends/batch_evaluator.hpp"
#include "host/sweep/output/result_columns.hpp"
#include "host/sweep/output/result_writer.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {

struct TopKRequest {
  std::size_t k = 0;
  ColumnKind metric = ColumnKind::CollectiveTimeNs;
  bool largest = false;  // keep the largest values (bandwidths); else the smallest (times)
};

struct HistogramRequest {
  ColumnKind metric = ColumnKind::CollectiveTimeNs;
  std::uint32_t bins = 20;
  std::string csv_path;  // also written there as CSV (histogram_csv) when set
};

struct SweepRunOptions {
  std::optional<TopKRequest> top_k;
  bool summary_only = false;  // no rows at all: statistics (and histogram) only
  std::optional<HistogramRequest> histogram;
  ColumnKind summary_metric = ColumnKind::CollectiveTimeNs;
  unsigned host_threads = 0;         // reference-simulator and row-formatting threads; 0 = every hardware thread
  std::uint64_t batch_points = 0;    // 0 = the backend's preference
  bool progress = false;             // a progress line on stderr
  // The point indices to run, [first_point, end_point) clipped to the design: a shard, an MPI
  // rank's block, or what is left of an interrupted run (--resume).
  std::uint64_t first_point = 0;
  std::uint64_t end_point = UINT64_MAX;
  // When set (by a signal handler), the run stops after the batch in flight; rows stay in point
  // order and the writer has been told (checkpoint) how far they go.
  const std::atomic<bool>* stop = nullptr;
  // Called for every row written to the main output, in output order (point order, or the
  // top-k order), on the thread that writes rows: e.g. `run --per-layer`'s side table.
  std::function<void(std::uint64_t index, const SweepPointResult& result)> on_row;
};

// min / mean / max of the summary metric over the ok points with one value of one axis.
struct AxisValueStats {
  double value = 0.0;
  std::uint64_t count = 0;
  double min = 0.0, max = 0.0, sum = 0.0;
};

// Counts of ok points per bin: bins of equal width over [low, high] (the metric's min and max),
// bin b = [low + b w, low + (b+1) w), the last one closed (kernels/sweep/metric_stats.hpp).
struct MetricHistogram {
  std::string metric_name;
  double low = 0.0, high = 0.0;
  std::vector<std::uint64_t> counts;
  double edge(std::size_t b) const;  // bin b's lower edge; edge(bins) = high
};

struct SweepRunSummary {
  std::uint64_t total_points = 0;  // in the design (or the run's range), before `where`
  std::uint64_t filtered = 0;      // dropped by `where`
  std::uint64_t written = 0;       // rows in the output
  std::uint64_t ok = 0, rejected = 0, incomplete = 0;
  std::uint64_t by_reference = 0;  // answered by the reference simulator
  std::uint64_t nonphysical = 0;   // ok points with busbw above the NPU's injection bandwidth
  double seconds = 0.0;
  std::string backend, device;
  std::string metric_name;
  std::uint64_t metric_count = 0;
  double metric_min = 0.0, metric_max = 0.0, metric_sum = 0.0;
  std::uint64_t best_index = 0;  // argmin (or argmax for bandwidths) of the metric
  std::vector<std::vector<AxisValueStats>> per_axis;  // per axis (empty when > 64 distinct values)
  std::optional<MetricHistogram> histogram;
  bool interrupted = false;        // stopped by options.stop; rows go up to next_point
  std::uint64_t next_point = 0;    // the first point index without a row yet
};

SweepRunSummary run_sweep(const SweepSpec& spec, BatchEvaluator& evaluator, RowBuilder& rows, ResultWriter& writer,
                          const SweepRunOptions& options);

// The summary; with nonphysical points a line says how many and why (kNonphysicalReason, kernels/sweep/injection_bound.hpp);
// its last line is exactly
// `run: <N> points in <T> s (<R> points/s), backend=<name>, device=<name>`.
void print_sweep_summary(const SweepSpec& spec, const SweepRunSummary& summary, std::FILE* out);

// Whether bigger is better for a metric (bandwidths).
bool metric_prefers_largest(ColumnKind metric);
std::string metric_name(ColumnKind metric);

// The histogram as CSV: bin_low_<unit>,bin_high_<unit>,count (unit from the metric's name).
std::string histogram_csv(const MetricHistogram& h);

}  // namespace astra
