// The sweep backends agree point for point: cpu == thrust-omp (the device path's logic on the
// CPU), cuda == cpu where a GPU is present; whole runs give the same rows whatever the batch
// size, and top-k keeps exactly the best rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "host/input/input_error.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "host/sweep/backends/device_evaluators.hpp"
#include "host/sweep/run/sweep_runner.hpp"
#include "support/sweep_expectations.hpp"
#include "sweep_test_specs.hpp"

namespace astra {
namespace {

using testing_support::expect_same_results;

// Rejected (halvingDoubling on 6 NPUs) and filtered (where) points, both network backends.
SweepSpec collective_spec() { return testing_specs::collective_grid_spec("2^20", "4096"); }

SweepSpec workload_spec() { return testing_specs::resnet_grid_spec(); }

std::vector<SweepPointResult> evaluate_all(BatchEvaluator& e, std::uint64_t total) {
  std::vector<SweepPointResult> out(total);
  e.evaluate(0, total, out.data());
  return out;
}

TEST(SweepBackends, ThrustOmpMatchesCpuPointForPoint) {
  if (!have_thrust_omp_backend()) GTEST_SKIP() << "this build has no thrust-omp backend";
#if defined(ASTRA_HAVE_THRUST_OMP)
  for (const SweepSpec& spec : {collective_spec(), workload_spec()}) {
    auto cpu = make_cpu_evaluator(spec, 2);
    auto omp = make_thrust_omp_evaluator(spec, 2);
    const auto a = evaluate_all(*cpu, spec.total_points);
    const auto b = evaluate_all(*omp, spec.total_points);
    expect_same_results(a, b, spec.file.c_str());
    // The design covers what it should: some ok, some filtered, some handed to the host.
    const auto count = [&](SweepPointStatus s) { return std::count_if(a.begin(), a.end(), [&](auto& r) { return r.status == s; }); };
    EXPECT_GT(count(SweepPointStatus::Ok), 0) << spec.file;
    if (spec.inline_collective) {
      EXPECT_GT(count(SweepPointStatus::Filtered), 0);
      EXPECT_GT(count(SweepPointStatus::Rejected), 0);
      EXPECT_GT(count(SweepPointStatus::NeedsReference), 0);
    }
    // A range in the middle decodes its own points.
    const std::uint64_t first = spec.total_points / 3, n = spec.total_points / 2;
    std::vector<SweepPointResult> mid(n);
    omp->evaluate(first, n, mid.data());
    expect_same_results(std::vector<SweepPointResult>(a.begin() + first, a.begin() + first + n), mid, "offset range");
  }
#endif
}

TEST(SweepBackends, CudaMatchesCpuWhenAGpuIsPresent) {
  if (!have_cuda_backend()) GTEST_SKIP() << "this build has no CUDA backend (nvcc not found)";
#if defined(ASTRA_HAVE_CUDA_BACKEND)
  const SweepSpec spec = collective_spec();
  std::string why_not;
  auto gpu = make_cuda_evaluator(spec, why_not);
  if (!gpu) GTEST_SKIP() << "no GPU here, CUDA == CPU not checked: " << why_not;
  auto cpu = make_cpu_evaluator(spec, 2);
  expect_same_results(evaluate_all(*cpu, spec.total_points), evaluate_all(*gpu, spec.total_points), "cuda");
  const SweepSpec w = workload_spec();
  auto gpu_w = make_cuda_evaluator(w, why_not);
  auto cpu_w = make_cpu_evaluator(w, 2);
  expect_same_results(evaluate_all(*cpu_w, w.total_points), evaluate_all(*gpu_w, w.total_points), "cuda workload");
#endif
}

TEST(SweepBackends, AutoFallsBackToCpuWithAReasonWithoutAGpu) {
  const SweepSpec spec = collective_spec();
  std::string note;
  auto e = select_backend("auto", spec, 1, note);
  ASSERT_TRUE(e);
  if (e->backend_name() == "cpu") EXPECT_NE(note.find("using the cpu backend"), std::string::npos) << note;
  EXPECT_THROW(select_backend("tpu", spec, 1, note), InputError);
}

// A whole run into a CSV file; returns its text.
std::string run_to_csv(const SweepSpec& spec, BatchEvaluator& e, std::uint64_t batch, const std::string& name,
                       std::optional<TopKRequest> top_k = std::nullopt, SweepRunSummary* summary_out = nullptr) {
  const std::string path = ::testing::TempDir() + name + ".csv";
  RowBuilder rows(spec, select_columns(spec, "all"));
  auto writer = open_result_writer(path, rows.columns());
  SweepRunOptions options;
  options.batch_points = batch;
  options.host_threads = 2;
  options.top_k = top_k;
  options.summary_metric = spec.inline_collective ? ColumnKind::CollectiveTimeNs : ColumnKind::IterationTimeNs;
  const SweepRunSummary s = run_sweep(spec, e, rows, *writer, options);
  if (summary_out) *summary_out = s;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SweepBackends, RowsDoNotDependOnBatchSizeOrBackend) {
  const SweepSpec spec = collective_spec();
  auto cpu = make_cpu_evaluator(spec, 2);
  SweepRunSummary summary;
  const std::string one_batch = run_to_csv(spec, *cpu, 0, "rows_one", std::nullopt, &summary);
  EXPECT_EQ(run_to_csv(spec, *cpu, 7, "rows_small"), one_batch);
  if (have_thrust_omp_backend()) {
#if defined(ASTRA_HAVE_THRUST_OMP)
    auto omp = make_thrust_omp_evaluator(spec, 2);
    EXPECT_EQ(run_to_csv(spec, *omp, 13, "rows_omp"), one_batch);
#endif
  }
  // Row count = points kept by `where`; rows in index order; reference rows visible.
  const std::size_t lines = static_cast<std::size_t>(std::count(one_batch.begin(), one_batch.end(), '\n'));
  EXPECT_EQ(lines, 1 + summary.written);
  EXPECT_EQ(summary.written + summary.filtered, spec.total_points);
  EXPECT_GT(summary.by_reference, 0u);
  EXPECT_GT(summary.rejected, 0u);
  EXPECT_NE(one_batch.find(",reference,"), std::string::npos);
  EXPECT_NE(one_batch.find("halvingDoubling needs a power-of-two NPU count"), std::string::npos);
  std::istringstream in(one_batch);
  std::string line;
  std::getline(in, line);
  long long previous = -1;
  while (std::getline(in, line)) {
    const long long index = std::stoll(line.substr(0, line.find(',')));
    EXPECT_GT(index, previous);
    previous = index;
  }
}

TEST(SweepBackends, TopKKeepsTheBestRowsSorted) {
  const SweepSpec spec = collective_spec();
  auto cpu = make_cpu_evaluator(spec, 2);
  const std::string all = run_to_csv(spec, *cpu, 100, "topk_all");
  const std::string top = run_to_csv(spec, *cpu, 100, "topk_5", TopKRequest{5, ColumnKind::BusBwGBps, true});
  // Brute force over the full output: the 5 largest busbw (ties by index).
  std::istringstream in(all);
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> names;
  {
    std::istringstream h(header);
    std::string n;
    while (std::getline(h, n, ',')) names.push_back(n);
  }
  const auto col = std::find(names.begin(), names.end(), "busbw_GBps") - names.begin();
  std::vector<std::pair<double, std::string>> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string c;
    std::istringstream l(line);
    while (std::getline(l, c, ',')) cells.push_back(c);
    if (static_cast<std::size_t>(col) < cells.size() && !cells[col].empty()) rows.emplace_back(std::stod(cells[col]), line);
  }
  std::stable_sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::string expected = header + "\n";
  for (int k = 0; k < 5; ++k) expected += rows[k].second + "\n";
  EXPECT_EQ(top, expected);
}

}  // namespace
}  // namespace astra
