// Calibration speed: 2 parameters (latency, bandwidth) x a 256 x 256 grid x 30 measured sizes,
// i.e. 1,966,080 collective predictions by the fast evaluator, then the Nelder-Mead refinement.
// The HGX-H100 all-reduce (Switch, 8 NPUs, 4 splits, 2 active chunks, congestion_unaware).
// Reported in seconds of wall time per whole calibration.
//
// The grid alone per backend of the sweep engine (BM_FitGrid/<backend>), against the baseline of
// the same run: the host loop the grid used before it moved onto the engine (BM_FitGridHostLoop:
// std::threads, one grid point per iteration, every size predicted in turn). And the issue's
// 4-parameter grid (latency and bandwidth of 2 dimensions) x 31 sizes: 16^4 on the CPU backends,
// 64^4 (5.2e8 predictions) on cuda.
#include <benchmark/benchmark.h>

#include <atomic>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "host/calibration/calibrator.hpp"
#include "host/calibration/fit_objective.hpp"
#include "host/calibration/fit_sweep.hpp"
#include "host/calibration/grid_search.hpp"
#include "host/common/parallel_for.hpp"
#include "host/sensitivity/config_metric_model.hpp"
#include "host/sensitivity/sobol_indices.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "../tests/support/hgx_setups.hpp"

namespace {

using namespace astra;
using namespace astra::calibration;

CollectiveSetup hgx_h100_setup() { return testing_support::hgx_h100_switch8(); }

MeasuredTable thirty_sizes() {
  CollectiveSetup truth = hgx_h100_setup();
  truth.network.latency_ns[0] = 700.0;
  truth.network.bandwidth_GBps[0] = 350.0;
  MeasuredTable t;
  t.file = "synthetic";
  for (int i = 0; i < 30; ++i) {
    const std::uint64_t size = std::uint64_t{8} << i;  // 8 B .. 4 GiB
    t.rows.push_back({size, *predict_collective_ns(truth, size) / 1000.0, i + 1});
  }
  return t;
}

void BM_Calibrate2Params256x256x30Sizes(benchmark::State& state) {
  const MeasuredTable table = thirty_sizes();
  CalibrationOptions o;
  o.params = {parse_fit_parameter("latency_ns=100:3000:log"), parse_fit_parameter("bandwidth_GBps=50:900:log")};
  o.grid_points_per_param = 256;
  o.holdout = parse_holdout("none");
  o.threads = static_cast<unsigned>(state.range(0));
  double grid_seconds = 0;
  for (auto _ : state) {
    const CalibrationResult r = calibrate(hgx_h100_setup(), table, o);
    grid_seconds = r.grid_seconds;
    benchmark::DoNotOptimize(r.regimes.data());
  }
  state.counters["grid_s"] = grid_seconds;
  state.counters["predictions"] = 256.0 * 256.0 * 30.0;
  state.SetItemsProcessed(state.iterations() * 256 * 256 * 30);
}
// 0 = all cores; 1 = one core, for the per-core rate.
BENCHMARK(BM_Calibrate2Params256x256x30Sizes)->Arg(0)->Arg(1)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

FitData fit_data(const MeasuredTable& t) {
  FitData d;
  for (const auto& r : t.rows) d.sizes_bytes.push_back(r.size_bytes), d.measured_ns.push_back(r.time_us * 1000.0);
  return d;
}

const char* kBackends[] = {"cpu", "thrust-omp", "cuda"};

bool backend_present(const std::string& name, const FitObjective& f, const FitData& data, benchmark::State& state) {
  if (name == "thrust-omp" && !have_thrust_omp_backend()) return state.SkipWithError("no thrust-omp backend"), false;
  if (name == "cuda") {
#if defined(ASTRA_HAVE_CUDA_BACKEND)
    std::string why;
    std::vector<std::vector<double>> one;
    for (const auto& p : f.params()) one.push_back({p.low});
    const SweepSpec probe = fit_grid_sweep(f, one, data.sizes_bytes);
    if (!make_cuda_evaluator(probe, why)) return state.SkipWithError(("no usable GPU: " + why).c_str()), false;
#else
    return state.SkipWithError("no CUDA backend in this build"), false;
#endif
  }
  return true;
}

void BM_FitGridHostLoop(benchmark::State& state) {
  const FitData data = fit_data(thirty_sizes());
  const FitObjective f(hgx_h100_setup(),
                       {parse_fit_parameter("latency_ns=100:3000:log"), parse_fit_parameter("bandwidth_GBps=50:900:log")},
                       Objective::Mape);
  const auto lat = f.params()[0].grid_values(256), bw = f.params()[1].grid_values(256);
  std::vector<float> objective(lat.size() * bw.size());
  for (auto _ : state) {
    parallel_for(objective.size(), 64, 0, [&](std::size_t b, std::size_t e) {
      for (std::size_t p = b; p < e; ++p) {
        const double v[2] = {lat[p % lat.size()], bw[p / lat.size()]};
        objective[p] = static_cast<float>(f.value(v, data));
      }
    });
    benchmark::DoNotOptimize(objective.data());
  }
  state.SetItemsProcessed(state.iterations() * 256 * 256 * 30);
}
BENCHMARK(BM_FitGridHostLoop)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_FitGrid(benchmark::State& state) {
  const std::string backend = kBackends[state.range(0)];
  state.SetLabel(backend);
  const FitData data = fit_data(thirty_sizes());
  const FitObjective f(hgx_h100_setup(),
                       {parse_fit_parameter("latency_ns=100:3000:log"), parse_fit_parameter("bandwidth_GBps=50:900:log")},
                       Objective::Mape);
  if (!backend_present(backend, f, data, state)) return;
  GridSearchOptions o;
  o.backend = backend;
  for (auto _ : state) {
    const GridSearchResult r = grid_search(f, data, o);
    benchmark::DoNotOptimize(r.objective.data());
  }
  state.SetItemsProcessed(state.iterations() * 256 * 256 * 30);
}
BENCHMARK(BM_FitGrid)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Two dimensions (8 GPUs per node x 4 nodes), latency and bandwidth per dimension, 31 sizes.
void BM_FitGrid4Params(benchmark::State& state) {
  const std::string backend = kBackends[state.range(0)];
  const int grid = static_cast<int>(state.range(1));
  state.SetLabel(backend + ", " + std::to_string(grid) + "^4 x 31 sizes");
  CollectiveSetup base = hgx_h100_setup();
  base.network.dims = 2;
  base.network.topology[1] = TopologyKind::Ring;
  base.network.npus_count[1] = 4;
  base.network.bandwidth_GBps[1] = 50.0;
  base.network.latency_ns[1] = 5000.0;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    base.system.implementation_count[c] = 2;
    base.system.implementation[c][1] = {AlgorithmKind::Ring, -1};
  }
  FitData data;
  for (int i = 0; i < 31; ++i) {
    const std::uint64_t size = std::uint64_t{8} << i;
    data.sizes_bytes.push_back(size);
    data.measured_ns.push_back(*predict_collective_ns(base, size) * 1.1);
  }
  const FitObjective f(base,
                       {parse_fit_parameter("latency_ns[0]=100:3000:log"), parse_fit_parameter("bandwidth_GBps[0]=50:900:log"),
                        parse_fit_parameter("latency_ns[1]=1000:20000:log"), parse_fit_parameter("bandwidth_GBps[1]=5:100:log")},
                       Objective::Mape);
  if (!backend_present(backend, f, data, state)) return;
  GridSearchOptions o;
  o.backend = backend;
  o.points_per_param = grid;
  for (auto _ : state) {
    const GridSearchResult r = grid_search(f, data, o);
    benchmark::DoNotOptimize(r.objective.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(grid) * grid * grid * grid * 31);
}
BENCHMARK(BM_FitGrid4Params)->Args({0, 16})->Args({1, 16})->Args({2, 16})->Args({2, 64})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// Sobol indices of the bundled all-reduce sensitivity spec (5 parameters), 1e5 base samples
// (7e5 model runs, 100 bootstrap resamples) per backend; the baseline of the same run is the
// per-point model on host threads that the sensitivity command used before the engine.
sensitivity::SensitivitySpec sobol_spec() {
  return sensitivity::read_sensitivity_spec(std::string(ASTRA_SOURCE_DIR) + "/sweeps/sensitivity_hgx_h100_allreduce.yml");
}

void BM_SobolHostThreads(benchmark::State& state) {
  const sensitivity::ConfigMetricModel model(sobol_spec());
  sensitivity::SobolOptions o;
  o.base_samples = 100000;
  o.bootstrap = 100;
  for (auto _ : state) benchmark::DoNotOptimize(sensitivity::sobol_indices(model.unit_model(), 5, o).total.data());
  state.SetItemsProcessed(state.iterations() * 700000);
}
BENCHMARK(BM_SobolHostThreads)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

void BM_SobolEngine(benchmark::State& state) {
  const std::string backend = kBackends[state.range(0)];
  state.SetLabel(backend);
  sensitivity::ConfigMetricModel model(sobol_spec());
  if (backend == "thrust-omp" && !have_thrust_omp_backend()) return state.SkipWithError("no thrust-omp backend");
  if (backend == "cuda" && !have_cuda_backend()) return state.SkipWithError("no CUDA backend in this build");
  model.use_engine(backend, 0);
  sensitivity::SobolOptions o;
  o.base_samples = 100000;
  o.bootstrap = 100;
  try {
    for (auto _ : state) benchmark::DoNotOptimize(sensitivity::sobol_indices(model.design_model(), 5, o).total.data());
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  state.SetItemsProcessed(state.iterations() * 700000);
}
BENCHMARK(BM_SobolEngine)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
