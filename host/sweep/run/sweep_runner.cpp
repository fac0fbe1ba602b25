#include "host/common/parallel_for.hpp"
#include "host/sweep/run/sweep_runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cmath>
#include <future>
#include <map>
#include <queue>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "host/input/input_error.hpp"
#include "host/common/atomic_output_file.hpp"
#include "kernels/sweep/injection_bound.hpp"
#include "host/sweep/spec/point_resolution.hpp"
#include "host/sweep/backends/sweep_reduction.hpp"

namespace astra {
namespace {

using Clock = std::chrono::steady_clock;

struct Batch {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
  std::vector<SweepPointResult> results;
  std::vector<std::pair<std::uint64_t, std::string>> reasons;  // by batch offset, sorted
};

// The per-axis values whose statistics are kept: every axis with at most 64 distinct values.
std::vector<std::vector<double>> summary_axis_values(const SweepSpec& spec) {
  std::vector<std::vector<double>> out(spec.axes.size());
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    std::set<double> distinct;
    for (const SweepGroup& g : spec.groups) {
      if (static_cast<int>(a) < g.first_axis || static_cast<int>(a) >= g.first_axis + g.axis_count) continue;
      for (std::uint64_t r = 0; r < g.rows && distinct.size() <= 64; ++r)
        distinct.insert(spec.values[g.table_offset + r * g.axis_count + (a - g.first_axis)]);
    }
    if (distinct.size() <= 64) out[a].assign(distinct.begin(), distinct.end());
  }
  return out;
}

// The run's reduction: batch reductions merged in, sums kept exactly.
struct RunReduction {
  BatchReduction total;
  SumAccumulator metric_sum;
  std::vector<SumAccumulator> axis_sums;
  std::map<std::uint64_t, double> host_histogram_values;  // points the reference simulator answered

  void add(const ReductionPlan& plan, const BatchReduction& batch) {
    metric_sum.add(batch.metric);
    axis_sums.resize(batch.axis_stats.size());
    for (std::size_t i = 0; i < batch.axis_stats.size(); ++i) axis_sums[i].add(batch.axis_stats[i]);
    merge_reduction(plan, total, batch);
  }
  void remember_host_point(const ReductionPlan& plan, std::uint64_t index, const SweepPointResult& r) {
    if (!plan.track_histogram_metric) return;
    const double h = sweep_point_metric(plan.histogram_metric, plan.sweep, index, r);
    if (metric_has_value(h)) host_histogram_values[index] = h;
  }
};

// One batch's rows (the points `where` kept), built on demand by the writer's threads.
class BatchRows final : public RowSource {
 public:
  BatchRows(const SweepSpec& spec, const RowBuilder& rows, const Batch& batch, unsigned threads)
      : spec_(spec), rows_(rows), batch_(batch), threads_(threads) {
    std::uint64_t kept = 0;
    for (std::uint64_t i = 0; i < batch.count; ++i) kept += batch.results[i].status != SweepPointStatus::Filtered;
    if (kept != batch.count) {  // rows k -> batch offsets
      offsets_.reserve(kept);
      for (std::uint64_t i = 0; i < batch.count; ++i)
        if (batch.results[i].status != SweepPointStatus::Filtered) offsets_.push_back(i);
    }
    size_ = kept;
  }
  std::uint64_t size() const override { return size_; }
  unsigned threads() const override { return threads_; }
  std::uint64_t offset(std::uint64_t k) const { return offsets_.empty() ? k : offsets_[k]; }

  const std::vector<Cell>& row(std::uint64_t k, RowScratch& scratch) const override {
    const std::uint64_t i = offset(k);
    rows_.build(batch_.first + i, batch_.results[i], reason(i, scratch.text), scratch.cells);
    return scratch.cells;
  }

  const RowBuilder* builder() const override { return &rows_; }

  bool points(std::uint64_t begin, std::uint64_t end, RowPoints& out) const override {
    const std::size_t n = static_cast<std::size_t>(end - begin);
    out.index.resize(n);
    out.result.resize(n);
    out.reason.clear();
    bool any_reason = !batch_.reasons.empty();
    for (std::uint64_t k = begin; k < end; ++k) {
      const std::uint64_t i = offset(k);
      out.index[k - begin] = batch_.first + i;
      out.result[k - begin] = &batch_.results[i];
      any_reason = any_reason || batch_.results[i].status == SweepPointStatus::Rejected;
    }
    if (any_reason) {
      out.reason.resize(n);
      for (std::uint64_t k = begin; k < end; ++k) {
        std::string& text = out.reason[k - begin];
        const std::string_view r = reason(offset(k), text);
        if (r.data() != text.data()) text.assign(r);
      }
    }
    return true;
  }

  using RowSource::fill_columns;
  bool fill_columns(std::uint64_t begin, std::uint64_t end, ColumnBlock& block, std::uint64_t at) const override {
    std::vector<std::uint64_t> indices(end - begin);
    std::vector<const SweepPointResult*> results(end - begin);
    for (std::uint64_t k = begin; k < end; ++k) {
      indices[k - begin] = batch_.first + offset(k);
      results[k - begin] = &batch_.results[offset(k)];
    }
    rows_.fill_columns(indices.size(), indices.data(), results.data(), block, at);
    std::string text;
    for (std::size_t c = 0; c < rows_.columns().size(); ++c) {
      if (rows_.columns()[c].kind != ColumnKind::Reason) continue;
      for (std::uint64_t k = begin; k < end; ++k) {
        const std::uint64_t i = offset(k);
        const bool has = !batch_.reasons.empty() || batch_.results[i].status == SweepPointStatus::Rejected;
        if (!has) continue;
        const std::string_view r = reason(i, text);
        if (r.empty()) continue;
        block.texts[c].emplace_back(r);
        const auto code = static_cast<std::int32_t>(block.texts[c].size() - 1);
        std::memcpy(block.data[c].data() + 4 * (at + k - begin), &code, 4);
      }
    }
    return true;
  }

 private:
  // Point i's reason (from the host's resolution, or why it was rejected); may live in `text`.
  std::string_view reason(std::uint64_t i, std::string& text) const {
    const auto& reasons = batch_.reasons;  // sorted by batch offset
    auto it = reasons.empty() ? reasons.end()
                              : std::lower_bound(reasons.begin(), reasons.end(), i,
                                                 [](const auto& e, std::uint64_t o) { return e.first < o; });
    if (it != reasons.end() && it->first == i) return it->second;
    if (batch_.results[i].status == SweepPointStatus::Rejected) {
      text = rejection_reason(spec_, batch_.first + i);
      return text;
    }
    return {};
  }

  const SweepSpec& spec_;
  const RowBuilder& rows_;
  const Batch& batch_;
  unsigned threads_;
  std::vector<std::uint64_t> offsets_;
  std::uint64_t size_ = 0;
};

// Writes rows in point-index order (formatted on every core by the writer, row_source.hpp), with
// the batch's reduction on the host.
class RowSink {
 public:
  RowSink(const SweepSpec& spec, RowBuilder& rows, ResultWriter& writer, const ReductionPlan& plan,
          RunReduction& reduction, SweepRunSummary& summary, const SweepRunOptions& options, unsigned threads)
      : spec_(spec), rows_(rows), writer_(writer), plan_(plan), reduction_(reduction), summary_(summary),
        on_row_(options.on_row), threads_(threads) {}

  void consume(const Batch& batch) {
    reduce_on_host(plan_, batch.first, batch.results.data(), batch.count, batch_reduction_);
    reduction_.add(plan_, batch_reduction_);
    const BatchRows rows(spec_, rows_, batch, threads_);
    writer_.write_rows(rows);
    for (std::uint64_t k = 0; k < rows.size(); ++k) {
      const std::uint64_t i = rows.offset(k);
      const SweepPointResult& r = batch.results[i];
      if (r.by_reference) {
        ++summary_.by_reference;
        reduction_.remember_host_point(plan_, batch.first + i, r);
      }
      if (on_row_) on_row_(batch.first + i, r);
    }
    summary_.written += rows.size();
  }

 private:
  const SweepSpec& spec_;
  RowBuilder& rows_;
  ResultWriter& writer_;
  const ReductionPlan& plan_;
  RunReduction& reduction_;
  SweepRunSummary& summary_;
  const std::function<void(std::uint64_t, const SweepPointResult&)>& on_row_;
  unsigned threads_;
  BatchReduction batch_reduction_;
};

void resolve_on_host(const SweepSpec& spec, Batch& batch, unsigned threads) {
  std::vector<std::uint64_t> pending;
  for (std::uint64_t i = 0; i < batch.count; ++i)
    if (batch.results[i].status == SweepPointStatus::NeedsReference) pending.push_back(i);
  batch.reasons.clear();
  if (pending.empty()) return;
  std::vector<std::string> reasons(pending.size());
  parallel_for_each_index(pending.size(), 1, threads, [&](unsigned, std::uint64_t k) {
    resolve_with_reference(spec, batch.first + pending[k], batch.results[pending[k]], reasons[k]);
  });
  for (std::size_t k = 0; k < pending.size(); ++k)
    if (!reasons[k].empty()) batch.reasons.emplace_back(pending[k], std::move(reasons[k]));
}

void print_progress(std::uint64_t done, std::uint64_t total, double seconds) {
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
  std::fprintf(stderr, "\r%llu / %llu points (%.1f%%), %.3g points/s, ETA %.0f s   ",
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
               total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0, rate, eta);
  std::fflush(stderr);
}

}  // namespace

bool metric_prefers_largest(ColumnKind metric) {
  return metric == ColumnKind::AlgBwGBps || metric == ColumnKind::BusBwGBps;
}

std::string metric_name(ColumnKind metric) {
  for (const char* n : {"collective_time_ns", "iteration_time_ns", "exposed_comm_ns", "compute_ns", "comm_ns",
                        "gpu_ns", "overlap_ns", "algbw_GBps", "busbw_GBps"})
    if (metric_column(n) == metric) return n;
  return "?";
}

namespace {

// A reduction-only batch: the backend reduces, the host finishes the NeedsReference points and
// folds them in.
void reduce_batch(const SweepSpec& spec, BatchEvaluator& evaluator, const ReductionPlan& plan, std::uint64_t first,
                  std::uint64_t count, unsigned threads, RunReduction& run, BatchReduction& batch,
                  std::uint64_t& by_reference) {
  evaluator.evaluate_reduced(first, count, plan, batch);
  std::vector<PendingPoint> pending = std::move(batch.pending);
  batch.pending.clear();
  if (pending.empty()) {
    run.add(plan, batch);
    return;
  }
  if (plan.summary) {
    std::vector<std::string> reasons(pending.size());
    parallel_for_each_index(pending.size(), 1, threads, [&](unsigned, std::uint64_t k) {
      resolve_with_reference(spec, pending[k].index, pending[k].result, reasons[k]);
    });
    for (const PendingPoint& p : pending) {
      --batch.status_counts[static_cast<int>(SweepPointStatus::NeedsReference)];
      add_point_to_reduction(plan, p.index, p.result, batch);
      run.remember_host_point(plan, p.index, p.result);
    }
    by_reference += pending.size();
  } else if (plan.histogram_bins > 0) {  // second pass: values kept from the first
    for (const PendingPoint& p : pending) {
      auto it = run.host_histogram_values.find(p.index);
      if (it != run.host_histogram_values.end())
        ++batch.histogram[histogram_bin(it->second, plan.histogram_low, plan.histogram_high, plan.histogram_bins)];
    }
  }
  run.add(plan, batch);
}

}  // namespace

SweepRunSummary run_sweep(const SweepSpec& spec, BatchEvaluator& evaluator, RowBuilder& rows, ResultWriter& writer,
                          const SweepRunOptions& options) {
  SweepRunSummary summary;
  const std::uint64_t begin = std::min(options.first_point, spec.total_points);
  const std::uint64_t end = std::max(begin, std::min(options.end_point, spec.total_points));
  const bool whole_design = begin == 0 && end == spec.total_points;
  summary.total_points = end - begin;
  summary.next_point = begin;
  summary.backend = evaluator.backend_name();
  summary.device = evaluator.device_name();
  summary.metric_name = metric_name(options.summary_metric);
  const unsigned host_threads = options.host_threads ? options.host_threads
                                                     : std::max(1u, std::thread::hardware_concurrency());
  const bool reduced = options.top_k.has_value() || options.summary_only;
  // Rows: batches small enough that a batch's results (72 B a point) stay in cache between the
  // evaluation and the writer, and that the two result buffers are not 2 x 19 MB of fresh pages
  // to fault in (about a fifth of a CPU row run's time at 2^18 points on the 2-core box).
  constexpr std::uint64_t kRowBatchPoints = std::uint64_t{1} << 16;
  const std::uint64_t preferred = reduced ? evaluator.preferred_batch_points()
                                          : std::min(evaluator.preferred_batch_points(), kRowBatchPoints);
  const std::uint64_t batch_points = std::max<std::uint64_t>(
      1, std::min(options.batch_points ? options.batch_points : preferred, std::max<std::uint64_t>(1, end - begin)));
  ReductionPlan plan;
  plan.sweep = spec.compiled();
  plan.metric = sweep_metric_of(options.summary_metric);
  plan.largest = metric_prefers_largest(options.summary_metric);
  if (options.top_k) {
    plan.top_k = options.top_k->k;
    plan.top_metric = sweep_metric_of(options.top_k->metric);
    plan.top_largest = options.top_k->largest;
  }
  plan.axis_values = summary_axis_values(spec);
  if (options.histogram) {
    plan.track_histogram_metric = true;
    plan.histogram_metric = sweep_metric_of(options.histogram->metric);
  }
  RunReduction run;
  run.total.reset(plan);
  RowSink sink(spec, rows, writer, plan, run, summary, options, host_threads);
  BatchReduction batch_reduction;
  const auto start = Clock::now();
  auto last_progress = start;
  auto progress = [&](std::uint64_t done, std::uint64_t total) {
    const auto now = Clock::now();
    if (options.progress && now - last_progress > std::chrono::milliseconds(250)) {
      print_progress(done, total, std::chrono::duration<double>(now - start).count());
      last_progress = now;
    }
  };

  // Two batches: one being written while the other is evaluated.
  Batch buffers[2];
  std::future<void> writing;
  int current = 0;
  for (std::uint64_t first = begin; first < end; first += batch_points) {
    if (options.stop && options.stop->load()) {
      summary.interrupted = true;
      break;
    }
    const std::uint64_t count = std::min(batch_points, end - first);
    if (reduced) {
      reduce_batch(spec, evaluator, plan, first, count, host_threads, run, batch_reduction, summary.by_reference);
    } else {
      Batch& b = buffers[current];
      b.first = first;
      b.count = count;
      b.results.resize(b.count);
      evaluator.evaluate(b.first, b.count, b.results.data());
      resolve_on_host(spec, b, host_threads);
      if (writing.valid()) writing.get();
      // Rows are in point order, so a checkpoint is a prefix.
      writing = std::async(std::launch::async, [&sink, &b, &writer] {
        sink.consume(b);
        writer.checkpoint(b.first + b.count);
      });
      current ^= 1;
    }
    summary.next_point = first + count;
    progress(first + count - begin, end - begin);
  }
  if (writing.valid()) writing.get();

  const BatchReduction& total = run.total;
  summary.filtered = total.status_counts[static_cast<int>(SweepPointStatus::Filtered)];
  summary.ok = total.status_counts[static_cast<int>(SweepPointStatus::Ok)];
  summary.rejected = total.status_counts[static_cast<int>(SweepPointStatus::Rejected)];
  summary.incomplete = total.status_counts[static_cast<int>(SweepPointStatus::Incomplete)];
  summary.nonphysical = total.nonphysical;
  summary.metric_count = total.metric.count;
  if (total.metric.count > 0) {
    summary.metric_min = total.metric.min;
    summary.metric_max = total.metric.max;
    summary.metric_sum = run.metric_sum.value();
    summary.best_index = plan.largest ? total.metric.argmax : total.metric.argmin;
  }
  summary.per_axis.assign(spec.axes.size(), {});
  std::size_t slot = 0;
  for (std::size_t a = 0; a < plan.axis_values.size(); ++a)
    for (double v : plan.axis_values[a]) {
      const MetricStats& st = total.axis_stats[slot];
      AxisValueStats out{v, st.count, 0.0, 0.0, 0.0};
      if (st.count > 0) out = {v, st.count, st.min, st.max, run.axis_sums[slot].value()};
      summary.per_axis[a].push_back(out);
      ++slot;
    }

  if (!summary.interrupted && options.histogram && total.histogram_metric.count > 0) {
    // Second pass: the counts, with the bin edges the first pass found.
    ReductionPlan counting;
    counting.sweep = plan.sweep;
    counting.summary = false;
    counting.histogram_metric = plan.histogram_metric;
    counting.histogram_bins = std::max<std::uint32_t>(1, options.histogram->bins);
    counting.histogram_low = total.histogram_metric.min;
    counting.histogram_high = total.histogram_metric.max;
    RunReduction second;
    second.total.reset(counting);
    second.host_histogram_values = std::move(run.host_histogram_values);
    for (std::uint64_t first = begin; first < end; first += batch_points) {
      if (options.stop && options.stop->load()) {
        summary.interrupted = true;
        break;
      }
      const std::uint64_t count = std::min(batch_points, end - first);
      std::uint64_t unused = 0;
      reduce_batch(spec, evaluator, counting, first, count, host_threads, second, batch_reduction, unused);
      progress(first + count - begin, end - begin);
    }
    summary.histogram = MetricHistogram{metric_name(options.histogram->metric), counting.histogram_low,
                                        counting.histogram_high, second.total.histogram};
    if (!summary.interrupted && !options.histogram->csv_path.empty()) {
      AtomicOutputFile file(options.histogram->csv_path);
      const std::string text = histogram_csv(*summary.histogram);
      std::FILE* f = std::fopen(file.temp_path().c_str(), "w");
      const bool written = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
      if (!f || std::fclose(f) != 0 || !written)
        throw InputError("--histogram-out", options.histogram->csv_path, "cannot be written");
      file.commit();
    }
  }
  if (options.progress) std::fprintf(stderr, "\r%*s\r", 79, "");
  if (summary.interrupted) {
    summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return summary;  // uncommitted: the caller keeps the checkpointed rows for --resume
  }
  if (whole_design && summary.ok + summary.rejected + summary.incomplete == 0 && summary.filtered > 0)
    throw InputError(spec.file, "where",
                     "the constraints remove every one of the " + std::to_string(spec.total_points) + " points");
  if (options.top_k && !options.summary_only) {
    std::vector<Cell> cells;
    for (const TopCandidate& c : total.top) {
      rows.build(c.index, c.result, "", cells);
      writer.write_row(cells);
      if (options.on_row) options.on_row(c.index, c.result);
      ++summary.written;
    }
  }
  writer.commit();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summary;
}

double MetricHistogram::edge(std::size_t b) const {
  if (b >= counts.size()) return high;
  return low + (high - low) * static_cast<double>(b) / static_cast<double>(counts.size());
}

std::string histogram_csv(const MetricHistogram& h) {
  const std::string unit = h.metric_name.substr(h.metric_name.rfind('_') + 1);
  std::string out = fmt::format("bin_low_{0},bin_high_{0},count\n", unit);
  for (std::size_t b = 0; b < h.counts.size(); ++b)
    out += fmt::format("{},{},{}\n", h.edge(b), h.edge(b + 1), h.counts[b]);
  return out;
}

void print_sweep_summary(const SweepSpec& spec, const SweepRunSummary& s, std::FILE* out) {
  std::string text;
  auto line = [&](const std::string& l) { text += l + "\n"; };
  line(fmt::format("points: {} in the design, {} dropped by where, {} rows written", s.total_points, s.filtered,
                   s.written));
  line(fmt::format("status: {} ok, {} rejected, {} incomplete; {} evaluated by the reference simulator", s.ok,
                   s.rejected, s.incomplete, s.by_reference));
  if (s.nonphysical > 0)
    line(fmt::format("nonphysical: {} of {} ok points (column nonphysical=1): {}", s.nonphysical, s.ok,
                     kNonphysicalReason));
  if (s.metric_count > 0) {
    line(fmt::format("{}: min {} / mean {:.6g} / max {} over {} ok points; best point {}", s.metric_name,
                     s.metric_min, s.metric_sum / static_cast<double>(s.metric_count), s.metric_max, s.metric_count,
                     s.best_index));
    for (std::size_t a = 0; a < s.per_axis.size(); ++a) {
      if (s.per_axis[a].size() < 2 || s.per_axis[a].size() > 16) continue;
      std::string row = "  by " + spec.axes[a].field.column + ":";
      for (const AxisValueStats& v : s.per_axis[a]) {
        if (v.count == 0) continue;
        const std::string value = spec.axes[a].field.kind == AxisValueKind::Name
                                      ? axis_value_name(spec.axes[a].field, v.value)
                                      : fmt::format("{}", v.value);
        row += fmt::format(" {}=[{:.6g} {:.6g} {:.6g}]", value, v.min, v.sum / static_cast<double>(v.count), v.max);
      }
      line(row + "  (min mean max)");
    }
  }
  if (s.histogram) {
    const MetricHistogram& h = *s.histogram;
    std::uint64_t points = 0;
    for (std::uint64_t c : h.counts) points += c;
    line(fmt::format("histogram of {}: {} bins over [{:.6g}, {:.6g}], {} ok points", h.metric_name, h.counts.size(),
                     h.low, h.high, points));
    for (std::size_t b = 0; b < h.counts.size(); ++b)
      line(fmt::format("  [{:.6g}, {:.6g}{} {}", h.edge(b), h.edge(b + 1), b + 1 == h.counts.size() ? "]" : ")",
                       h.counts[b]));
  }
  const double rate = s.seconds > 0 ? static_cast<double>(s.total_points) / s.seconds : 0.0;
  line(fmt::format("run: {} points in {:.3f} s ({:.0f} points/s), backend={}, device={}", s.total_points, s.seconds,
                   rate, s.backend, s.device));
  std::fputs(text.c_str(), out);
  std::fflush(out);
}

}  // namespace astra
