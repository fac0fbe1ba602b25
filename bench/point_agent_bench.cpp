// The point kernel's per-thread work (kernels/cuda/evaluate_agent.cuh), on one host thread, same
// points, same run: the 1,280,000 points of sweeps/hgx_h100_latency_bandwidth_size.yaml, every
// 16th (a thread's grid-stride walk: its points are far apart, so no odometer helps)
//   base_per_point:  SweepPoint built from the base for every point (evaluate_sweep_point: what
//                    the point kernel did until 2026-11-30), baseline;
//   carried_point:   the agent's own evaluate_points (its OpenMP flavour, plain host code): one
//                    SweepPoint per thread, every axis applied onto the previous point.
// The counter carried_vs_base is base_per_point's time over carried_point's. On the GPU the base
// copy is about 700 B of local-memory stores per point; here it is a memcpy in cache, so the
// ratio only bounds from below what the GPU saves.
// BM_PointMetricDecode: the busbw metric of every point as the reductions compute it (the
// device's top-k / histogram / statistics functors), same results, same run:
//   whole_point: decode, build the whole point, sweep_metric_value (until 2026-11-30), baseline;
//   light:       sweep_point_metric (size, collective and NPU count from the axes alone).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "host/sweep/spec/sweep_spec.hpp"
// the agent as the thrust-omp backend compiles it (kernels/cuda/device_flavor.cuh)
#define ASTRA_DEVICE_FLAVOR_OMP 1
#include "kernels/cuda/evaluate_agent.cuh"
#include "kernels/sweep/sweep_metric.hpp"
#include "kernels/sweep/sweep_point_evaluation.hpp"

namespace astra {
namespace {

constexpr std::uint64_t kStep = 16;

void BM_PointAgentBaseCopy(benchmark::State& state) {
  const SweepSpec spec = load_sweep_spec(std::string(ASTRA_SOURCE_DIR) + "/sweeps/hgx_h100_latency_bandwidth_size.yaml");
  const CompiledSweep s = spec.compiled();
  using Clock = std::chrono::steady_clock;
  std::vector<SweepPointResult> base_out(s.total_points), carried_out(s.total_points);
  EvaluateRequest r;
  r.sweep = s;
  r.first = 0;
  r.count = s.total_points;
  r.out = carried_out.data();
  double base_s = 0, carried_s = 0;
  std::uint64_t points = 0, mismatches = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    for (std::uint64_t start = 0; start < kStep; ++start)
      for (std::uint64_t i = start; i < s.total_points; i += kStep)
        base_out[i] = evaluate_sweep_point(s, WorkloadGraphView{}, i, EvaluatorScratchView{});
    const auto t1 = Clock::now();
    for (std::uint64_t start = 0; start < kStep; ++start) evaluate_points(r, start, s.total_points, kStep);
    const auto t2 = Clock::now();
    base_s += std::chrono::duration<double>(t1 - t0).count();
    carried_s += std::chrono::duration<double>(t2 - t1).count();
    points += s.total_points;
    for (std::uint64_t i = 0; i < s.total_points; ++i)
      mismatches += base_out[i].metrics.finish_ns != carried_out[i].metrics.finish_ns || base_out[i].status != carried_out[i].status;
  }
  if (mismatches) state.SkipWithError("the two walks disagree");
  state.counters["base_per_point_points_per_s"] = static_cast<double>(points) / base_s;
  state.counters["carried_point_points_per_s"] = static_cast<double>(points) / carried_s;
  state.counters["carried_vs_base"] = base_s / carried_s;
  state.SetItemsProcessed(static_cast<std::int64_t>(points));
}
BENCHMARK(BM_PointAgentBaseCopy)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_PointMetricDecode(benchmark::State& state) {
  const SweepSpec spec = load_sweep_spec(std::string(ASTRA_SOURCE_DIR) + "/sweeps/hgx_h100_latency_bandwidth_size.yaml");
  const CompiledSweep s = spec.compiled();
  SweepPointResult r{};
  r.status = SweepPointStatus::Ok;
  using Clock = std::chrono::steady_clock;
  double whole_s = 0, light_s = 0, sum_whole = 0, sum_light = 0;
  std::uint64_t points = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    for (std::uint64_t i = 0; i < s.total_points; ++i) {
      r.metrics.finish_ns = 1000 + (i & 1023);
      double axis_values[kMaxSweepAxes];
      SweepPoint point;
      decode_axis_values(s, i, axis_values);
      apply_axis_values(s, axis_values, point);
      sum_whole += sweep_metric_value(SweepMetric::BusBwGBps, s.inline_collective, point, r);
    }
    const auto t1 = Clock::now();
    for (std::uint64_t i = 0; i < s.total_points; ++i) {
      r.metrics.finish_ns = 1000 + (i & 1023);
      sum_light += sweep_point_metric(SweepMetric::BusBwGBps, s, i, r);
    }
    const auto t2 = Clock::now();
    whole_s += std::chrono::duration<double>(t1 - t0).count();
    light_s += std::chrono::duration<double>(t2 - t1).count();
    points += s.total_points;
  }
  if (sum_whole != sum_light) state.SkipWithError("the two decodes disagree");
  state.counters["whole_point_points_per_s"] = static_cast<double>(points) / whole_s;
  state.counters["light_points_per_s"] = static_cast<double>(points) / light_s;
  state.counters["light_vs_whole"] = whole_s / light_s;
  state.SetItemsProcessed(static_cast<std::int64_t>(points));
}
BENCHMARK(BM_PointMetricDecode)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace astra
