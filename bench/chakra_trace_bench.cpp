// Reading a Chakra trace set: 64 NPUs x 10,000 nodes (a data-parallel chain of compute nodes, each
// third one followed by an all-reduce depending on it, the next compute waiting for both), written
// once with astra-sweep's own writer into a temporary folder. BM_ChakraTraceSetRead reads, decodes,
// checks every rank and builds the graph (read_chakra_workload, what `simulate --workload` does);
// BM_ChakraTraceSetBytes only reads the same files' bytes: the I/O floor, the baseline measured in
// the same run. Rates are nodes per second (items_per_second).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <unistd.h>

#include "host/input/chakra/chakra_trace_writer.hpp"
#include "host/input/chakra/chakra_workload.hpp"
#include "host/input/file_text.hpp"

namespace {

namespace fs = std::filesystem;
using namespace astra;

constexpr std::int64_t kNpus = 64;
constexpr std::int32_t kNodes = 10000;

Workload chain_workload() {
  Workload w;
  std::int32_t last_compute = -1, last_comm = -1;
  for (std::int32_t i = 0; i < kNodes; ++i) {
    WorkloadNode n;
    n.deps_begin = static_cast<std::int32_t>(w.deps.size());
    const bool comm = i % 3 == 2;
    if (comm) {
      n.kind = NodeKind::Collective;
      n.size_bytes = 1 << 20;
      w.deps.push_back(last_compute);
      last_comm = i;
      w.node_names.push_back("COMM_COLL_NODE_layer_" + std::to_string(i) + "_ALLREDUCE");
    } else {
      n.kind = NodeKind::Compute;
      n.duration_us = 100 + static_cast<std::uint64_t>(i % 7);
      if (last_compute >= 0) w.deps.push_back(last_compute);
      if (last_comm >= 0 && i % 3 == 0) w.deps.push_back(last_comm);
      last_compute = i;
      w.node_names.push_back("COMP_NODE_layer_" + std::to_string(i) + "_FWD");
    }
    n.deps_count = static_cast<std::int32_t>(w.deps.size()) - n.deps_begin;
    w.nodes.push_back(n);
  }
  return w;
}

// The trace set, written on first use and removed at exit.
const std::string& trace_prefix() {
  static const std::string prefix = [] {
    const fs::path dir = fs::temp_directory_path() / ("astra_chakra_bench_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::atexit([] { fs::remove_all(fs::temp_directory_path() / ("astra_chakra_bench_" + std::to_string(::getpid()))); });
    const std::string p = (dir / "chain").string();
    chakra::write_chakra_traces(chain_workload(), "MICRO\n0\n", p, kNpus);
    return p;
  }();
  return prefix;
}

void BM_ChakraTraceSetRead(benchmark::State& state) {
  const std::string& prefix = trace_prefix();
  for (auto _ : state) {
    const Workload w = chakra::read_chakra_workload(prefix, kNpus);
    benchmark::DoNotOptimize(w.nodes.data());
    if (w.nodes.size() != static_cast<std::size_t>(kNodes)) state.SkipWithError("wrong node count");
  }
  state.SetItemsProcessed(state.iterations() * kNpus * kNodes);
}
BENCHMARK(BM_ChakraTraceSetRead)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ChakraTraceSetBytes(benchmark::State& state) {
  const std::string& prefix = trace_prefix();
  for (auto _ : state) {
    std::size_t bytes = 0;
    for (std::int64_t r = 0; r < kNpus; ++r) bytes += read_input_file(chakra::chakra_rank_file(prefix, r)).size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * kNpus * kNodes);
}
BENCHMARK(BM_ChakraTraceSetBytes)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
