// The on-device reductions (host/sweep/backends/sweep_reduction.hpp, kernels/cuda/batch_reduce.cuh):
// thrust-omp's reduction of a batch equals reduce_on_host's field for field, cuda's equals the
// host's where a GPU is present, and whole runs that bring back only reductions (top-k,
// --summary-only, histograms) agree with brute force over every row.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "host/sweep/backends/backend_selection.hpp"
#include "host/sweep/backends/device_evaluators.hpp"
#include "host/sweep/spec/point_resolution.hpp"
#include "host/sweep/output/result_writer.hpp"
#include "host/sweep/backends/sweep_reduction.hpp"
#include "host/sweep/run/sweep_runner.hpp"
#include "support/sweep_expectations.hpp"
#include "sweep_test_specs.hpp"

namespace astra {
namespace {

using testing_support::expect_same_reduction;
using testing_support::summary_plan;

using testing_specs::kRingSystem;

// Rejected (halvingDoubling on 6 NPUs) and filtered (where) points, both network backends.
SweepSpec collective_spec() { return testing_specs::collective_grid_spec("2^16", "1024"); }

// Many exact ties: the scheduling policy does not change a single collective's time.
SweepSpec tied_spec() {
  return parse_sweep_spec(
      std::string("network: {topology: [Switch], npus_count: [8], bandwidth: [100], latency: [500]}\n") + kRingSystem +
          "workload: {collective: all_gather, size_bytes: 4096}\n"
          "axes:\n"
          "  scheduling-policy: [LIFO, FIFO]\n"
          "  npus: [2, 4, 8]\n"
          "  size_bytes: [1024, 4096]\n"
          "  endpoint-delay: [10, 10, 20]\n",
      "ties.yaml", "");
}

SweepSpec workload_spec() { return testing_specs::resnet_grid_spec(); }

// Reduces [first, first + count) on `device` and, from the same backend's rows, on the host,
// with a summary plan and then a histogram plan over the metric's range; both must agree field
// for field. (Rows themselves agree across backends: sweep_backends_test.cpp.)
void compare_with_host(BatchEvaluator& device, const SweepSpec& spec, ReductionPlan plan, std::uint64_t first,
                       std::uint64_t count, const std::string& what, std::uint32_t bins = 17) {
  std::vector<SweepPointResult> results(count);
  device.evaluate(first, count, results.data());
  BatchReduction host, dev;
  reduce_on_host(plan, first, results.data(), count, host);
  device.evaluate_reduced(first, count, plan, dev);
  expect_same_reduction(host, dev, what);
  EXPECT_GT(host.metric.count, 0u) << what;
  if (plan.track_histogram_metric && host.histogram_metric.count > 0) {
    ReductionPlan binned_plan = plan;
    binned_plan.summary = false;
    binned_plan.track_histogram_metric = false;
    binned_plan.histogram_bins = bins;
    binned_plan.histogram_low = host.histogram_metric.min;
    binned_plan.histogram_high = host.histogram_metric.max;
    reduce_on_host(binned_plan, first, results.data(), count, host);
    device.evaluate_reduced(first, count, binned_plan, dev);
    expect_same_reduction(host, dev, what + " histogram");
    std::uint64_t binned = 0;
    for (std::uint64_t c : host.histogram) binned += c;
    EXPECT_GT(binned, 0u) << what;
  }
}

TEST(SweepReductions, ThrustOmpEqualsHostOnEverySpec) {
  if (!have_thrust_omp_backend()) GTEST_SKIP() << "this build has no thrust-omp backend";
#if defined(ASTRA_HAVE_THRUST_OMP)
  {
    const SweepSpec spec = collective_spec();
    auto omp = make_thrust_omp_evaluator(spec, 2);
    ReductionPlan plan = summary_plan(spec, SweepMetric::CollectiveTimeNs, false, 9);
    plan.track_histogram_metric = true;
    plan.histogram_metric = SweepMetric::BusBwGBps;
    compare_with_host(*omp, spec, plan, 0, spec.total_points, "collectives");
    compare_with_host(*omp, spec, plan, 1001, 1777, "collectives, a middle range");
    // Top-k by another metric than the summary's, largest first.
    plan.top_metric = SweepMetric::AlgBwGBps;
    plan.top_largest = true;
    compare_with_host(*omp, spec, plan, 0, spec.total_points, "collectives, top algbw");
    // Past the chunked paths' limits (K > 64: one sort; > 256 bins: one sort).
    plan.top_k = 150;
    compare_with_host(*omp, spec, plan, 5, spec.total_points - 5, "collectives, top 150", 300);
  }
  {
    const SweepSpec spec = tied_spec();
    auto omp = make_thrust_omp_evaluator(spec, 2);
    compare_with_host(*omp, spec, summary_plan(spec, SweepMetric::CollectiveTimeNs, false, 5), 0, spec.total_points,
                      "ties, smallest");
    compare_with_host(*omp, spec, summary_plan(spec, SweepMetric::BusBwGBps, true, 5), 3, spec.total_points - 3,
                      "ties, largest");
  }
  {
    const SweepSpec spec = workload_spec();
    auto omp = make_thrust_omp_evaluator(spec, 2);
    ReductionPlan plan = summary_plan(spec, SweepMetric::IterationTimeNs, false, 4);
    plan.track_histogram_metric = true;
    plan.histogram_metric = SweepMetric::ExposedCommNs;
    compare_with_host(*omp, spec, plan, 0, spec.total_points, "resnet");
  }
#endif
}

TEST(SweepReductions, CudaEqualsHostWhenAGpuIsPresent) {
  if (!have_cuda_backend()) GTEST_SKIP() << "this build has no CUDA backend (nvcc not found): CUDA == CPU not checked";
#if defined(ASTRA_HAVE_CUDA_BACKEND)
  const SweepSpec spec = collective_spec();
  std::string why_not;
  auto gpu = make_cuda_evaluator(spec, why_not);
  if (!gpu) GTEST_SKIP() << "no GPU here, CUDA reductions == CPU not checked: " << why_not;
  ReductionPlan plan = summary_plan(spec, SweepMetric::CollectiveTimeNs, false, 9);
  plan.track_histogram_metric = true;
  plan.histogram_metric = SweepMetric::BusBwGBps;
  compare_with_host(*gpu, spec, plan, 0, spec.total_points, "cuda collectives");
  const SweepSpec w = workload_spec();
  auto gpu_w = make_cuda_evaluator(w, why_not);
  compare_with_host(*gpu_w, w, summary_plan(w, SweepMetric::IterationTimeNs, false, 4), 0, w.total_points,
                    "cuda resnet");
#endif
}

// Every row of a run, by brute force: (index, result) of the points kept by `where`, finished on
// the host as run_sweep finishes them (reference simulator for NeedsReference).
struct Row {
  std::uint64_t index;
  SweepPointResult result;
};

std::vector<Row> all_rows(const SweepSpec& spec) {
  auto cpu = make_cpu_evaluator(spec, 2);
  std::vector<SweepPointResult> results(spec.total_points);
  cpu->evaluate(0, spec.total_points, results.data());
  std::vector<Row> rows;
  for (std::uint64_t i = 0; i < spec.total_points; ++i) {
    if (results[i].status == SweepPointStatus::Filtered) continue;
    if (results[i].status == SweepPointStatus::NeedsReference) {
      std::string reason;
      resolve_with_reference(spec, i, results[i], reason);
    }
    rows.push_back({i, results[i]});
  }
  return rows;
}

SweepRunSummary run_summary(const SweepSpec& spec, BatchEvaluator& e, SweepRunOptions options, std::string* csv = nullptr) {
  const std::string path = ::testing::TempDir() + "reductions_run.csv";
  RowBuilder rows(spec, select_columns(spec, "all"));
  auto writer = options.summary_only ? open_null_writer() : open_result_writer(path, rows.columns());
  options.host_threads = 2;
  const SweepRunSummary s = run_sweep(spec, e, rows, *writer, options);
  if (csv) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    *csv = text.str();
  }
  return s;
}

std::string summary_text(const SweepSpec& spec, const SweepRunSummary& s) {
  std::FILE* f = std::tmpfile();
  print_sweep_summary(spec, s, f);
  std::rewind(f);
  std::string text;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, f)) text.append(buffer, n);
  std::fclose(f);
  text = text.substr(0, text.rfind("run: "));  // all but the timing line
  // Which points the fast evaluator hands to the reference simulator may differ by backend.
  const auto at = text.find(" evaluated by the reference simulator");
  if (at != std::string::npos) text.erase(text.rfind(';', at), at - text.rfind(';', at));
  return text;
}

// The cpu backend, handing every 7th ok point back as NeedsReference (as a device backend does
// with congestion-aware points), so that merging host-finished points is always exercised.
class HandsBackEvery7th final : public BatchEvaluator {
 public:
  explicit HandsBackEvery7th(const SweepSpec& spec) : cpu_(make_cpu_evaluator(spec, 2)) {}
  void evaluate(std::uint64_t first, std::uint64_t count, SweepPointResult* out) override {
    cpu_->evaluate(first, count, out);
    for (std::uint64_t i = 0; i < count; ++i)
      if ((first + i) % 7 == 0 && out[i].status == SweepPointStatus::Ok) {
        out[i] = SweepPointResult{};
        out[i].status = SweepPointStatus::NeedsReference;
        handed_back_points.insert(first + i);  // a two-pass (histogram) run evaluates twice
        handed_back = handed_back_points.size();
      }
  }
  std::string backend_name() const override { return "cpu"; }
  std::string device_name() const override { return "test"; }
  std::uint64_t preferred_batch_points() const override { return 1000; }
  std::uint64_t handed_back = 0;  // distinct points
  std::set<std::uint64_t> handed_back_points;

 private:
  std::unique_ptr<BatchEvaluator> cpu_;
};

TEST(SweepReductions, SummaryOnlyRunsAgreeWithBruteForceOnEveryBackend) {
  const SweepSpec spec = collective_spec();
  const std::vector<Row> rows = all_rows(spec);
  SweepRunOptions options;
  options.summary_metric = ColumnKind::BusBwGBps;
  options.summary_only = true;
  options.histogram = HistogramRequest{ColumnKind::CollectiveTimeNs, 11, ""};
  options.batch_points = 500;  // several batches, each with reference points
  auto cpu = make_cpu_evaluator(spec, 2);
  const SweepRunSummary s = run_summary(spec, *cpu, options);

  // Brute force: counts, busbw statistics, per-axis statistics, histogram of collective time.
  std::uint64_t ok = 0, count = 0, best = 0;
  double mn = INFINITY, mx = -INFINITY;
  double tmin = INFINITY, tmax = -INFINITY;
  for (const Row& r : rows) {
    if (r.result.status != SweepPointStatus::Ok) continue;
    ++ok;
    const double t = static_cast<double>(r.result.metrics.finish_ns);
    tmin = std::min(tmin, t);
    tmax = std::max(tmax, t);
    const double v = sweep_point_metric(SweepMetric::BusBwGBps, spec.compiled(), r.index, r.result);
    if (!metric_has_value(v)) continue;
    ++count;
    if (v > mx) best = r.index;
    mn = std::min(mn, v);
    mx = std::max(mx, v);
  }
  EXPECT_EQ(s.ok, ok);
  EXPECT_EQ(s.ok + s.rejected + s.incomplete, rows.size());
  EXPECT_EQ(s.filtered, spec.total_points - rows.size());
  EXPECT_GT(s.rejected, 0u);
  EXPECT_EQ(s.written, 0u);
  EXPECT_EQ(s.metric_count, count);
  EXPECT_EQ(s.metric_min, mn);
  EXPECT_EQ(s.metric_max, mx);
  EXPECT_EQ(s.best_index, best);
  ASSERT_TRUE(s.histogram);
  EXPECT_EQ(s.histogram->low, tmin);
  EXPECT_EQ(s.histogram->high, tmax);
  ASSERT_EQ(s.histogram->counts.size(), 11u);
  std::vector<std::uint64_t> bins(11, 0);
  for (const Row& r : rows)
    if (r.result.status == SweepPointStatus::Ok)
      ++bins[histogram_bin(static_cast<double>(r.result.metrics.finish_ns), tmin, tmax, 11)];
  EXPECT_EQ(s.histogram->counts, bins);
  std::uint64_t binned = 0;
  for (std::uint64_t c : s.histogram->counts) binned += c;
  EXPECT_EQ(binned, ok);  // collective time: every ok point has one
  // Per axis (npus): min / max / count / mean by brute force.
  for (std::size_t v = 0; v < s.per_axis[0].size(); ++v) {
    const AxisValueStats& a = s.per_axis[0][v];
    std::uint64_t n = 0;
    double lo = INFINITY, hi = -INFINITY, sum = 0.0;
    for (const Row& r : rows) {
      double axis[kMaxSweepAxes];
      decode_axis_values(spec.compiled(), r.index, axis);
      const double m = sweep_point_metric(SweepMetric::BusBwGBps, spec.compiled(), r.index, r.result);
      if (axis[0] != a.value || !metric_has_value(m)) continue;
      ++n;
      lo = std::min(lo, m);
      hi = std::max(hi, m);
      sum += m;
    }
    EXPECT_EQ(a.count, n) << "npus " << a.value;
    EXPECT_EQ(a.min, lo) << "npus " << a.value;
    EXPECT_EQ(a.max, hi) << "npus " << a.value;
    EXPECT_NEAR(a.sum, sum, 1e-6 * std::abs(sum)) << "npus " << a.value;
  }

  // Points finished on the host merge into the reductions exactly: the same summary when every
  // 7th point goes to the reference simulator, with and without rows.
  {
    HandsBackEvery7th sevenths(spec);
    const SweepRunSummary merged = run_summary(spec, sevenths, options);
    EXPECT_GE(merged.by_reference, sevenths.handed_back);
    EXPECT_GT(sevenths.handed_back, 100u);
    EXPECT_EQ(summary_text(spec, merged), summary_text(spec, s));
    EXPECT_EQ(merged.metric_sum, s.metric_sum);
  }

  // The same summary, line for line, from a row-writing run and from the device path.
  SweepRunOptions rows_options = options;
  rows_options.summary_only = false;
  const SweepRunSummary with_rows = run_summary(spec, *cpu, rows_options);
  EXPECT_EQ(with_rows.written, rows.size());
  std::string expected = summary_text(spec, s);
  EXPECT_NE(expected.find("histogram of collective_time_ns: 11 bins"), std::string::npos) << expected;
  const std::string rows_text = summary_text(spec, with_rows);  // its first line counts the rows
  EXPECT_EQ(rows_text.substr(rows_text.find('\n')), expected.substr(expected.find('\n')));
  {  // the cpu backend reducing a whole-design batch in two shares
    SweepRunOptions one_batch = options;
    one_batch.batch_points = spec.total_points;
    EXPECT_EQ(summary_text(spec, run_summary(spec, *cpu, one_batch)), expected);
  }
  if (have_thrust_omp_backend()) {
#if defined(ASTRA_HAVE_THRUST_OMP)
    auto omp = make_thrust_omp_evaluator(spec, 2);
    EXPECT_EQ(summary_text(spec, run_summary(spec, *omp, options)), expected);
    options.batch_points = 0;
    EXPECT_EQ(summary_text(spec, run_summary(spec, *omp, options)), expected);
#endif
  }
}

TEST(SweepReductions, TopKOnTheDevicePathKeepsTiesInIndexOrder) {
  for (const SweepSpec& spec : {tied_spec(), collective_spec()}) {
    const std::vector<Row> rows = all_rows(spec);
    // Brute force: all valued rows by (time, index), and by (busbw desc, index).
    for (const bool largest : {false, true}) {
      const SweepMetric metric = largest ? SweepMetric::BusBwGBps : SweepMetric::CollectiveTimeNs;
      std::vector<std::pair<double, std::uint64_t>> keyed;
      for (const Row& r : rows) {
        const double v = sweep_point_metric(metric, spec.compiled(), r.index, r.result);
        if (metric_has_value(v)) keyed.emplace_back(v, r.index);
      }
      std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
        return better_candidate(largest, a.first, a.second, b.first, b.second);
      });
      const std::size_t k = 7;
      ASSERT_GT(keyed.size(), k);
      if (spec.file == "ties.yaml") EXPECT_EQ(keyed[0].first, keyed[1].first) << "the spec should have ties";
      SweepRunOptions options;
      options.summary_metric = largest ? ColumnKind::BusBwGBps : ColumnKind::CollectiveTimeNs;
      options.top_k = TopKRequest{k, options.summary_metric, largest};
      options.batch_points = spec.total_points < 100 ? 5 : 700;  // ties across batch boundaries
      std::vector<std::unique_ptr<BatchEvaluator>> backends;
      backends.push_back(make_cpu_evaluator(spec, 2));
#if defined(ASTRA_HAVE_THRUST_OMP)
      backends.push_back(make_thrust_omp_evaluator(spec, 2));
#endif
      std::string first_csv;
      for (auto& e : backends) {
        std::string csv;
        const SweepRunSummary s = run_summary(spec, *e, options, &csv);
        EXPECT_EQ(s.written, k);
        std::istringstream in(csv);
        std::string line;
        std::getline(in, line);
        for (std::size_t j = 0; j < k; ++j) {
          ASSERT_TRUE(std::getline(in, line)) << e->backend_name();
          EXPECT_EQ(std::stoull(line.substr(0, line.find(','))), keyed[j].second)
              << spec.file << " " << e->backend_name() << " rank " << j;
        }
        if (first_csv.empty()) first_csv = csv;
        EXPECT_EQ(csv, first_csv) << e->backend_name();
      }
    }
  }
}

}  // namespace
}  // namespace astra
