#include "sweep/sweep_runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <queue>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "input/input_error.hpp"
#include "sweep/point_resolution.hpp"

namespace astra {
namespace {

using Clock = std::chrono::steady_clock;

struct Batch {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
  std::vector<SweepPointResult> results;
  std::vector<std::pair<std::uint64_t, std::string>> reasons;  // by batch offset, sorted
};

struct Kept {
  double key;
  std::uint64_t index;
  SweepPointResult result;
  std::string reason;
};

// Collects rows, counts and statistics in point-index order (one thread).
class RowSink {
 public:
  RowSink(const SweepSpec& spec, RowBuilder& rows, ResultWriter& writer, const SweepRunOptions& options,
          SweepRunSummary& summary)
      : spec_(spec), rows_(rows), writer_(writer), options_(options), summary_(summary), compiled_(spec.compiled()) {
    summary_.per_axis.resize(spec.axes.size());
    for (std::size_t a = 0; a < spec.axes.size(); ++a) {
      std::set<double> distinct;
      for (const SweepGroup& g : spec.groups) {
        if (static_cast<int>(a) < g.first_axis || static_cast<int>(a) >= g.first_axis + g.axis_count) continue;
        for (std::uint64_t r = 0; r < g.rows && distinct.size() <= 64; ++r)
          distinct.insert(spec.values[g.table_offset + r * g.axis_count + (a - g.first_axis)]);
      }
      if (distinct.size() > 64) continue;
      for (double v : distinct) summary_.per_axis[a].push_back({v, 0, 0.0, 0.0, 0.0});
    }
  }

  void consume(const Batch& batch) {
    std::size_t next_reason = 0;
    std::string reason;
    double axis_values[kMaxSweepAxes];
    for (std::uint64_t i = 0; i < batch.count; ++i) {
      const SweepPointResult& r = batch.results[i];
      const std::uint64_t index = batch.first + i;
      if (r.status == SweepPointStatus::Filtered) {
        ++summary_.filtered;
        continue;
      }
      reason.clear();
      if (next_reason < batch.reasons.size() && batch.reasons[next_reason].first == i)
        reason = batch.reasons[next_reason++].second;
      else if (r.status == SweepPointStatus::Rejected)
        reason = rejection_reason(spec_, index);
      if (r.by_reference) ++summary_.by_reference;
      if (r.status == SweepPointStatus::Ok) ++summary_.ok;
      else if (r.status == SweepPointStatus::Rejected) ++summary_.rejected;
      else ++summary_.incomplete;

      decode_axis_values(compiled_, index, axis_values);
      SweepPoint point;
      apply_axis_values(compiled_, axis_values, point);
      const std::optional<double> m = metric_value(options_.summary_metric, spec_, point, r);
      if (m) account(index, *m, axis_values);
      if (options_.top_k) {
        const std::optional<double> key = metric_value(options_.top_k->metric, spec_, point, r);
        if (key) keep(*key, index, r, reason);
        continue;
      }
      rows_.build(index, r, reason, cells_);
      writer_.write_row(cells_);
      if (options_.on_row) options_.on_row(index, r);
      ++summary_.written;
    }
  }

  void finish() {
    if (!options_.top_k) return;
    std::vector<Kept> best;
    while (!heap_.empty()) {
      best.push_back(heap_.top());
      heap_.pop();
    }
    std::reverse(best.begin(), best.end());
    for (const Kept& k : best) {
      rows_.build(k.index, k.result, k.reason, cells_);
      writer_.write_row(cells_);
      if (options_.on_row) options_.on_row(k.index, k.result);
      ++summary_.written;
    }
  }

 private:
  bool better(double a_key, std::uint64_t a_index, double b_key, std::uint64_t b_index) const {
    const bool largest = options_.top_k && options_.top_k->largest;
    if (a_key != b_key) return largest ? a_key > b_key : a_key < b_key;
    return a_index < b_index;
  }
  struct WorseFirst {  // heap top = the worst kept row
    const RowSink* sink;
    bool operator()(const Kept& a, const Kept& b) const { return sink->better(a.key, a.index, b.key, b.index); }
  };

  void keep(double key, std::uint64_t index, const SweepPointResult& r, const std::string& reason) {
    if (heap_.size() < options_.top_k->k) {
      heap_.push({key, index, r, reason});
    } else if (options_.top_k->k > 0 && better(key, index, heap_.top().key, heap_.top().index)) {
      heap_.pop();
      heap_.push({key, index, r, reason});
    }
  }

  void account(std::uint64_t index, double m, const double* axis_values) {
    const bool largest = metric_prefers_largest(options_.summary_metric);
    if (summary_.metric_count == 0 || (largest ? m > summary_.metric_max : m < summary_.metric_min))
      summary_.best_index = index;
    if (summary_.metric_count == 0) summary_.metric_min = summary_.metric_max = m;
    summary_.metric_min = std::min(summary_.metric_min, m);
    summary_.metric_max = std::max(summary_.metric_max, m);
    summary_.metric_sum += m;
    ++summary_.metric_count;
    for (std::size_t a = 0; a < summary_.per_axis.size(); ++a) {
      auto& values = summary_.per_axis[a];
      if (values.empty()) continue;
      auto it = std::lower_bound(values.begin(), values.end(), axis_values[a],
                                 [](const AxisValueStats& s, double v) { return s.value < v; });
      if (it == values.end() || it->value != axis_values[a]) continue;
      if (it->count == 0) it->min = it->max = m;
      it->min = std::min(it->min, m);
      it->max = std::max(it->max, m);
      it->sum += m;
      ++it->count;
    }
  }

  const SweepSpec& spec_;
  RowBuilder& rows_;
  ResultWriter& writer_;
  const SweepRunOptions& options_;
  SweepRunSummary& summary_;
  CompiledSweep compiled_;
  std::vector<Cell> cells_;
  std::priority_queue<Kept, std::vector<Kept>, WorseFirst> heap_{WorseFirst{this}};
};

void resolve_on_host(const SweepSpec& spec, Batch& batch, unsigned threads) {
  std::vector<std::uint64_t> pending;
  for (std::uint64_t i = 0; i < batch.count; ++i)
    if (batch.results[i].status == SweepPointStatus::NeedsReference) pending.push_back(i);
  batch.reasons.clear();
  if (pending.empty()) return;
  std::vector<std::string> reasons(pending.size());
  parallel_for_chunks(pending.size(), threads, 1, [&](unsigned, std::uint64_t k) {
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
  const std::uint64_t batch_points =
      std::max<std::uint64_t>(1, std::min(options.batch_points ? options.batch_points : evaluator.preferred_batch_points(),
                                          std::max<std::uint64_t>(1, end - begin)));
  RowSink sink(spec, rows, writer, options, summary);
  const auto start = Clock::now();
  auto last_progress = start;

  // Two batches: one being written while the other is evaluated.
  Batch buffers[2];
  std::future<void> writing;
  int current = 0;
  for (std::uint64_t first = begin; first < end; first += batch_points) {
    if (options.stop && options.stop->load()) {
      summary.interrupted = true;
      break;
    }
    Batch& b = buffers[current];
    b.first = first;
    b.count = std::min(batch_points, end - first);
    b.results.resize(b.count);
    evaluator.evaluate(b.first, b.count, b.results.data());
    resolve_on_host(spec, b, host_threads);
    if (writing.valid()) writing.get();
    // Rows are in point order, so a checkpoint is a prefix (not with top-k: rows come at the end).
    const bool checkpoint = !options.top_k;
    writing = std::async(std::launch::async, [&sink, &b, &writer, checkpoint] {
      sink.consume(b);
      if (checkpoint) writer.checkpoint(b.first + b.count);
    });
    summary.next_point = b.first + b.count;
    current ^= 1;
    const auto now = Clock::now();
    if (options.progress && now - last_progress > std::chrono::milliseconds(250)) {
      print_progress(first + b.count - begin, end - begin, std::chrono::duration<double>(now - start).count());
      last_progress = now;
    }
  }
  if (writing.valid()) writing.get();
  if (options.progress) std::fprintf(stderr, "\r%*s\r", 79, "");
  if (summary.interrupted) {
    summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return summary;  // uncommitted: the caller keeps the checkpointed rows for --resume
  }
  if (whole_design && summary.ok + summary.rejected + summary.incomplete == 0 && summary.filtered > 0)
    throw InputError(spec.file, "where",
                     "the constraints remove every one of the " + std::to_string(spec.total_points) + " points");
  sink.finish();
  writer.commit();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summary;
}

void print_sweep_summary(const SweepSpec& spec, const SweepRunSummary& s, std::FILE* out) {
  std::string text;
  auto line = [&](const std::string& l) { text += l + "\n"; };
  line(fmt::format("points: {} in the design, {} dropped by where, {} rows written", s.total_points, s.filtered,
                   s.written));
  line(fmt::format("status: {} ok, {} rejected, {} incomplete; {} evaluated by the reference simulator", s.ok,
                   s.rejected, s.incomplete, s.by_reference));
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
  const double rate = s.seconds > 0 ? static_cast<double>(s.total_points) / s.seconds : 0.0;
  line(fmt::format("run: {} points in {:.3f} s ({:.0f} points/s), backend={}, device={}", s.total_points, s.seconds,
                   rate, s.backend, s.device));
  std::fputs(text.c_str(), out);
  std::fflush(out);
}

}  // namespace astra
