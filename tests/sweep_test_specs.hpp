// Sweep specs shared by the sweep tests: a ring system JSON block and a grid of collectives over
// NPU counts, algorithms, sizes, latencies and both network backends, with some points rejected
// (halvingDoubling on 6 NPUs) and some filtered by `where` (large congestion-aware points), and a
// ResNet-50 grid.
#pragma once

#include <string>

#include "host/sweep/spec/sweep_spec.hpp"

namespace astra::testing_specs {

inline const char* kRingSystem =
    "system: {scheduling-policy: LIFO, endpoint-delay: 10, active-chunks-per-dimension: 1,\n"
    "         preferred-dataset-splits: 4, all-reduce-implementation: [ring], all-gather-implementation: [ring],\n"
    "         reduce-scatter-implementation: [ring], all-to-all-implementation: [ring],\n"
    "         collective-optimization: localBWAware, local-mem-bw: 1600}\n";

// Sizes 1 .. `largest_size` (a powers_of_two bound such as "2^20"); congestion-aware points only
// up to `aware_max_bytes`.
inline SweepSpec collective_grid_spec(const std::string& largest_size, const std::string& aware_max_bytes) {
  return parse_sweep_spec(
      std::string("network: {topology: [Ring], npus_count: [8], bandwidth: [50], latency: [500]}\n") + kRingSystem +
          "workload: {collective: all_reduce, size_bytes: 65536}\n"
          "axes:\n"
          "  npus: [4, 6, 8]\n"
          "  collective: [all_reduce, all_gather, reduce_scatter, all_to_all]\n"
          "  all-reduce-implementation: [ring, direct, halvingDoubling]\n"
          "  size_bytes: {powers_of_two: [1, " + largest_size + "]}\n"
          "  latency_ns: {linspace: [10, 2000, 3]}\n"
          "  backend: [congestion_unaware, congestion_aware]\n"
          "where: not (backend == 'congestion_aware' and size_bytes > " + aware_max_bytes + ")\n",
      "collectives.yaml", "");
}

// ResNet-50 (the golden text workload) on a Switch over NPU counts, compute scales and splits.
inline SweepSpec resnet_grid_spec() {
  return parse_sweep_spec(
      std::string("network: {topology: [Switch], npus_count: [8], bandwidth: [400], latency: [936.25]}\n") + kRingSystem +
          "workload: {file: " ASTRA_SHARED_DIR "/golden/inputs/Resnet50_DataParallel.txt}\n"
          "axes:\n"
          "  npus: [4, 8, 16]\n"
          "  compute_scale: [0.25, 1]\n"
          "  preferred-dataset-splits: [1, 4]\n",
      "resnet.yaml", "");
}

}  // namespace astra::testing_specs
