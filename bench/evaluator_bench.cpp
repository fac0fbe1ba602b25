// Points per second of the fast evaluator (kernels/model/point_evaluator.hpp) on the CPU, on one
// thread and on every core, with the event-driven reference simulator as the baseline, for
//   (i)  one 1 MiB all-reduce on an 8-NPU Switch (hgx_h100_8gpu-like: 400 GB/s, 936.25 ns, LIFO,
//        d = 10, 2 active chunks, 4 splits, ring, localBWAware, local-mem-bw 3350);
//   (ii) one ResNet-50 data-parallel iteration on 16 NPUs ([8, 2] Switch + Ring,
//        hgx_h100_16gpu.yml with hgx_h100_16gpu__notrack_noroofline.json).
// Both also run through the congestion-aware backend (every NPU and link queue simulated by
// kernels/model/congestion_aware, and the reference simulator as its baseline), so aware and
// unaware points/s sit side by side; with one active chunk the aware all-reduce is answered by
// the closed forms (congestion_aware/contention_free.hpp), measured against the simulation.
// Every point differs a little (the latency, or the compute scale) so nothing is reused across
// points; items/s = points/s. Multi-threaded runs report wall-clock rates (UseRealTime).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "host/input/parsers.hpp"
#include "kernels/model/point_evaluator.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/workload/workload.hpp"

namespace astra {
namespace {

NetworkConfig hgx_8gpu_network() {
  NetworkConfig n;
  n.dims = 1;
  n.topology[0] = TopologyKind::Switch;
  n.npus_count[0] = 8;
  n.bandwidth_GBps[0] = 400;
  n.latency_ns[0] = 936.25;
  return n;
}

SystemConfig hgx_8gpu_system() {
  SystemConfig s;
  s.scheduling_policy = SchedulingPolicy::LIFO;
  s.endpoint_delay_ns = 10;
  s.active_chunks_per_dimension = 2;
  s.preferred_dataset_splits = 4;
  s.local_bw_aware = true;
  s.local_mem_bw_GBps = 3350;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    s.implementation_count[c] = 1;
    s.implementation[c][0] = AlgorithmChoice{AlgorithmKind::Ring, -1};
  }
  return s;
}

constexpr std::uint64_t kAllReduceBytes = 1 << 20;

struct ResnetFixture {
  NetworkConfig network;
  SystemConfig system;
  Workload workload;
  ResnetFixture() {
    const std::string in = std::string(ASTRA_SHARED_DIR) + "/golden/inputs/";
    network = read_network_yaml(in + "network/hgx_h100_16gpu.yml");
    system = read_system_json(in + "system/hgx_h100_16gpu__notrack_noroofline.json");
    workload = read_text_workload(in + "Resnet50_DataParallel.txt");
  }
};

const ResnetFixture& resnet() {
  static const ResnetFixture f;
  return f;
}

// ---- (i) single collective

// The fast evaluator on a congestion-unaware all-reduce of `net` and `sys`, point after point with
// the first dimension's latency varied (so nothing is hoisted out of the loop).
void fast_unaware_all_reduce_loop(benchmark::State& state, NetworkConfig net, const SystemConfig& sys) {
  std::uint64_t i = static_cast<std::uint64_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    net.latency_ns[0] = 936.25 + static_cast<double>(i++ % 1024) * 0.25;
    const PointMetrics m =
        evaluate_collective(net, sys, NetworkBackend::CongestionUnaware, CollectiveKind::AllReduce, kAllReduceBytes);
    if (m.status != PointStatus::Ok) state.SkipWithError("not on the fast path");
    benchmark::DoNotOptimize(m.finish_ns);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_FastAllReduce8NpuSwitch(benchmark::State& state) {
  NetworkConfig net = hgx_8gpu_network();
  const SystemConfig sys = hgx_8gpu_system();
  fast_unaware_all_reduce_loop(state, net, sys);
}

// The same all-reduce with the direct algorithm (the event replay of direct_phase.hpp), and on
// [8 Switch, 2 Ring] with localBWAware: RS, AR, AG revisit dimension 0's queue, so the chunks go
// through the queue event replay (reentrant_queues_finish) rather than the closed-form flow shop.
void BM_FastDirectAllReduce8NpuSwitch(benchmark::State& state) {
  NetworkConfig net = hgx_8gpu_network();
  SystemConfig sys = hgx_8gpu_system();
  for (int c = 0; c < kCollectiveKinds; ++c) sys.implementation[c][0] = AlgorithmChoice{AlgorithmKind::Direct, -1};
  fast_unaware_all_reduce_loop(state, net, sys);
}

void BM_FastLocalBwAllReduce16Npu2D(benchmark::State& state) {
  NetworkConfig net = hgx_8gpu_network();
  net.dims = 2;
  net.topology[1] = TopologyKind::Ring;
  net.npus_count[1] = 2;
  net.bandwidth_GBps[1] = 50;
  net.latency_ns[1] = 500;
  SystemConfig sys = hgx_8gpu_system();
  for (int c = 0; c < kCollectiveKinds; ++c) {
    sys.implementation_count[c] = 2;
    sys.implementation[c][1] = AlgorithmChoice{AlgorithmKind::Ring, -1};
  }
  fast_unaware_all_reduce_loop(state, net, sys);
}

void BM_ReferenceAllReduce8NpuSwitch(benchmark::State& state) {
  NetworkConfig net = hgx_8gpu_network();
  const SystemConfig sys = hgx_8gpu_system();
  const Workload w = Workload::single_collective(CollectiveKind::AllReduce, kAllReduceBytes);
  const auto backend = static_cast<NetworkBackend>(state.range(0));
  std::uint64_t i = 0;
  for (auto _ : state) {
    net.latency_ns[0] = 936.25 + static_cast<double>(i++ % 1024) * 0.25;
    const SimulationResult r = simulate_reference(net, sys, backend, w);
    benchmark::DoNotOptimize(r.finish_ns.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_FastAwareAllReduce8NpuSwitch(benchmark::State& state) {
  NetworkConfig net = hgx_8gpu_network();
  const SystemConfig sys = hgx_8gpu_system();
  auto scratch = std::make_unique<aware::CongestionAwareScratch>();
  std::uint64_t i = static_cast<std::uint64_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    net.latency_ns[0] = 936.25 + static_cast<double>(i++ % 1024) * 0.25;
    const PointMetrics m = evaluate_collective(net, sys, NetworkBackend::CongestionAware, CollectiveKind::AllReduce,
                                               kAllReduceBytes, scratch.get());
    if (m.status != PointStatus::Ok) state.SkipWithError("not on the fast path");
    benchmark::DoNotOptimize(m.finish_ns);
  }
  state.SetItemsProcessed(state.iterations());
}

// The same aware all-reduce with one active chunk: its messages keep to private links
// (congestion_aware/contention_free.hpp). Arg 0: the event simulation (the baseline, as before);
// arg 1: evaluate_collective, which answers it by the closed form with the aware hop rule.
void BM_AwareAllReduce8NpuSwitchOneChunk(benchmark::State& state) {
  NetworkConfig net = hgx_8gpu_network();
  SystemConfig sys = hgx_8gpu_system();
  sys.active_chunks_per_dimension = 1;
  auto scratch = std::make_unique<aware::CongestionAwareScratch>();
  const bool closed_form = state.range(0) == 1;
  std::uint64_t i = static_cast<std::uint64_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    net.latency_ns[0] = 936.25 + static_cast<double>(i++ % 1024) * 0.25;
    std::uint64_t finish_ns = 0;
    if (closed_form) {
      const PointMetrics m = evaluate_collective(net, sys, NetworkBackend::CongestionAware, CollectiveKind::AllReduce,
                                                 kAllReduceBytes, nullptr);
      if (m.status != PointStatus::Ok) state.SkipWithError("not answered by the closed form");
      finish_ns = m.finish_ns;
    } else {
      const aware::AwareResult r =
          aware::simulate_aware_collective(*scratch, net, sys, CollectiveKind::AllReduce, kAllReduceBytes);
      if (r.status != aware::AwareStatus::Ok) state.SkipWithError("simulation failed");
      finish_ns = r.finish_ns;
    }
    benchmark::DoNotOptimize(finish_ns);
  }
  state.SetItemsProcessed(state.iterations());
}

// The HGX all-reduce (2 active chunks: links shared, so simulated) with every NPU simulated (arg 0,
// the baseline, as before) and by NPU 0 alone (arg 1, congestion_aware/quotient_symmetry.hpp).
void BM_AwareAllReduce8NpuSwitchQuotient(benchmark::State& state) {
  NetworkConfig net = hgx_8gpu_network();
  const SystemConfig sys = hgx_8gpu_system();
  auto scratch = std::make_unique<aware::CongestionAwareScratch>();
  const bool quotient = state.range(0) == 1;
  std::uint64_t i = static_cast<std::uint64_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    net.latency_ns[0] = 936.25 + static_cast<double>(i++ % 1024) * 0.25;
    const aware::AwareResult r =
        aware::simulate_aware_collective(*scratch, net, sys, CollectiveKind::AllReduce, kAllReduceBytes, quotient);
    if (r.status != aware::AwareStatus::Ok || r.quotient != quotient) state.SkipWithError("not the run asked for");
    benchmark::DoNotOptimize(r.finish_ns);
  }
  state.SetItemsProcessed(state.iterations());
}

// ---- (ii) ResNet-50 on 16 NPUs

void BM_FastResnet50_16Npu(benchmark::State& state) {
  const ResnetFixture& f = resnet();
  auto scratch = std::make_unique<EvaluatorScratch>();
  const WorkloadGraphView view = f.workload.view();
  std::uint64_t i = static_cast<std::uint64_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    const double scale = 1.0 + static_cast<double>(i++ % 1024) * 1e-4;
    const PointMetrics m =
        evaluate_point(f.network, f.system, NetworkBackend::CongestionUnaware, view, scale, *scratch);
    if (m.status != PointStatus::Ok) state.SkipWithError("not on the fast path");
    benchmark::DoNotOptimize(m.finish_ns);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_FastAwareResnet50_16Npu(benchmark::State& state) {
  const ResnetFixture& f = resnet();
  auto scratch = std::make_unique<EvaluatorScratch>();
  auto aware = std::make_unique<aware::CongestionAwareScratch>();
  const WorkloadGraphView view = f.workload.view();
  std::uint64_t i = static_cast<std::uint64_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    const double scale = 1.0 + static_cast<double>(i++ % 1024) * 1e-4;
    const PointMetrics m =
        evaluate_point(f.network, f.system, NetworkBackend::CongestionAware, view, scale, *scratch, aware.get());
    if (m.status != PointStatus::Ok) state.SkipWithError("not on the fast path");
    benchmark::DoNotOptimize(m.finish_ns);
  }
  state.SetItemsProcessed(state.iterations());
}

// Congestion-aware ResNet-50 on the 16-NPU HGX Switch: every NPU (arg 0) or NPU 0 alone (arg 1).
void BM_AwareResnet50_16NpuQuotient(benchmark::State& state) {
  const ResnetFixture& f = resnet();
  auto aware = std::make_unique<aware::CongestionAwareScratch>();
  const WorkloadGraphView view = f.workload.view();
  const bool quotient = state.range(0) == 1;
  std::uint64_t i = static_cast<std::uint64_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    const double scale = 1.0 + static_cast<double>(i++ % 1024) * 1e-4;
    const aware::AwareResult r = aware::simulate_aware_workload(*aware, f.network, f.system, view, scale, quotient);
    if (r.status != aware::AwareStatus::Ok || r.quotient != quotient) state.SkipWithError("not the run asked for");
    benchmark::DoNotOptimize(r.finish_ns);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ReferenceResnet50_16Npu(benchmark::State& state) {
  const ResnetFixture& f = resnet();
  const auto backend = static_cast<NetworkBackend>(state.range(0));
  std::uint64_t i = 0;
  for (auto _ : state) {
    ReferenceOptions options;
    options.compute_scale = 1.0 + static_cast<double>(i++ % 1024) * 1e-4;
    const SimulationResult r = simulate_reference(f.network, f.system, backend, f.workload, options);
    benchmark::DoNotOptimize(r.finish_ns.data());
  }
  state.SetItemsProcessed(state.iterations());
}

int all_cores() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

BENCHMARK(BM_FastAllReduce8NpuSwitch)->Threads(1)->UseRealTime();
BENCHMARK(BM_FastAllReduce8NpuSwitch)->Threads(all_cores())->UseRealTime();
BENCHMARK(BM_FastDirectAllReduce8NpuSwitch)->Threads(1)->UseRealTime();
BENCHMARK(BM_FastLocalBwAllReduce16Npu2D)->Threads(1)->UseRealTime();
BENCHMARK(BM_ReferenceAllReduce8NpuSwitch)->ArgName("aware")->Arg(0)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FastAwareAllReduce8NpuSwitch)->Threads(1)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FastAwareAllReduce8NpuSwitch)->Threads(all_cores())->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReferenceAllReduce8NpuSwitch)->ArgName("aware")->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AwareAllReduce8NpuSwitchOneChunk)->ArgName("closed_form")->Arg(0)->Arg(1)->Threads(1)->UseRealTime();
BENCHMARK(BM_AwareAllReduce8NpuSwitchQuotient)->ArgName("quotient")->Arg(0)->Arg(1)->Threads(1)->UseRealTime();
BENCHMARK(BM_FastResnet50_16Npu)->Threads(1)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FastResnet50_16Npu)->Threads(all_cores())->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReferenceResnet50_16Npu)->ArgName("aware")->Arg(0)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FastAwareResnet50_16Npu)->Threads(1)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FastAwareResnet50_16Npu)->Threads(all_cores())->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReferenceResnet50_16Npu)->ArgName("aware")->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AwareResnet50_16NpuQuotient)->ArgName("quotient")->Arg(0)->Arg(1)->Threads(1)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace astra
