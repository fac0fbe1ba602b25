// Calibration speed on the CPU (all cores): 2 parameters (latency, bandwidth) x a 256 x 256 grid
// x 30 measured sizes, i.e. 1,966,080 collective predictions by the fast evaluator, then the
// Nelder-Mead refinement. The HGX-H100 all-reduce (Switch, 8 NPUs, 4 splits, 2 active chunks,
// congestion_unaware). Reported in seconds of wall time per whole calibration.
#include <benchmark/benchmark.h>

#include "calibration/calibrator.hpp"

namespace {

using namespace astra;
using namespace astra::calibration;

CollectiveSetup hgx_h100_setup() {
  CollectiveSetup s;
  s.network.dims = 1;
  s.network.topology[0] = TopologyKind::Switch;
  s.network.npus_count[0] = 8;
  s.network.bandwidth_GBps[0] = 400.0;
  s.network.latency_ns[0] = 936.25;
  s.system.endpoint_delay_ns = 10;
  s.system.active_chunks_per_dimension = 2;
  s.system.preferred_dataset_splits = 4;
  s.system.local_bw_aware = true;
  s.system.local_mem_bw_GBps = 3350.0;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    s.system.implementation_count[c] = 1;
    s.system.implementation[c][0] = {AlgorithmKind::Ring, -1};
  }
  return s;
}

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

}  // namespace
