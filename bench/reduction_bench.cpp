// The reduction path against full-row return on the thrust-omp backend, same run, same points:
// 262,144 points of the HGX-H100 latency x bandwidth x size grid (sweeps/), per batch either
//   full_rows: every point's result comes back to the host, which then reduces them
//              (status counts, busbw statistics, top-20, per-axis statistics: reduce_on_host);
//   reduced:   evaluate_reduced: the same reduction on the device path, only it comes back.
// Both run in each iteration; counters give each one's points/s and full_rows_s / reduced_s.
// On a loaded 2-core machine libgomp's spinning between the reduction's parallel regions costs
// more than it saves: run with OMP_WAIT_POLICY=passive there (measured 1.09 passive, 0.74
// active). On a GPU the reduced path also saves the device-to-host copy of every row.
#include <benchmark/benchmark.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "host/sweep/backends/device_evaluators.hpp"
#include "host/sweep/backends/sweep_reduction.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {
namespace {

ReductionPlan busbw_plan(const SweepSpec& spec) {
  ReductionPlan plan;
  plan.sweep = spec.compiled();
  plan.metric = plan.top_metric = SweepMetric::BusBwGBps;
  plan.largest = plan.top_largest = true;
  plan.top_k = 20;
  plan.axis_values.resize(spec.axes.size());
  for (const SweepGroup& g : spec.groups)
    for (int j = 0; j < g.axis_count; ++j) {
      std::set<double> distinct;
      for (std::uint64_t r = 0; r < g.rows; ++r) distinct.insert(spec.values[g.table_offset + r * g.axis_count + j]);
      if (distinct.size() <= 64) plan.axis_values[g.first_axis + j].assign(distinct.begin(), distinct.end());
    }
  return plan;
}

void BM_ThrustOmpReducedVsFullRows(benchmark::State& state) {
#if defined(ASTRA_HAVE_THRUST_OMP)
  const SweepSpec spec = load_sweep_spec(std::string(ASTRA_SOURCE_DIR) + "/sweeps/hgx_h100_latency_bandwidth_size.yaml");
  auto omp = make_thrust_omp_evaluator(spec, 0);
  const ReductionPlan plan = busbw_plan(spec);
  constexpr std::uint64_t kPoints = 1 << 18;
  std::vector<SweepPointResult> rows(kPoints);
  BatchReduction full, reduced;
  double full_s = 0.0, reduced_s = 0.0;
  using Clock = std::chrono::steady_clock;
  for (auto _ : state) {
    auto t0 = Clock::now();
    omp->evaluate(0, kPoints, rows.data());
    reduce_on_host(plan, 0, rows.data(), kPoints, full);
    auto t1 = Clock::now();
    omp->evaluate_reduced(0, kPoints, plan, reduced);
    auto t2 = Clock::now();
    full_s += std::chrono::duration<double>(t1 - t0).count();
    reduced_s += std::chrono::duration<double>(t2 - t1).count();
    if (full.metric.count != reduced.metric.count || full.top.size() != reduced.top.size() ||
        full.top.front().index != reduced.top.front().index)
      state.SkipWithError("reductions differ");
  }
  const double n = static_cast<double>(state.iterations()) * kPoints;
  state.counters["full_rows_points_per_s"] = n / full_s;
  state.counters["reduced_points_per_s"] = n / reduced_s;
  state.counters["full_rows_s_over_reduced_s"] = full_s / reduced_s;
#else
  state.SkipWithError("this build has no thrust-omp backend");
  for (auto _ : state) {
  }
#endif
}
BENCHMARK(BM_ThrustOmpReducedVsFullRows)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

}  // namespace
}  // namespace astra
