// Per-layer breakdown of one NPU's run of a text workload: what ASTRA-sim only prints as totals.
//
// For each (layer, pass): forward / input-gradient / weight-gradient compute ns, and the layer's
// collectives: bytes, when they became ready (their parents finished), started (got the NPU's one
// communication slot) and finished, their duration, and how much of them was exposed: the part
// of [start, finish] during which no compute ran. Compute runs one node at a time and the NPU
// never idles with nothing in flight, so the exposed parts add up exactly to the iteration's
// exposed communication (finish - sum of compute), and the compute columns to its compute time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/reference/simulation_result.hpp"
#include "host/workload/workload.hpp"

namespace astra {

struct LayerBreakdown {
  std::string layer;
  std::int32_t layer_index = -1;
  std::int32_t pass = 0;
  std::uint64_t forward_compute_ns = 0;
  std::uint64_t input_gradient_compute_ns = 0;
  std::uint64_t weight_gradient_compute_ns = 0;
  std::int32_t comm_nodes = 0;
  std::uint64_t comm_bytes = 0;
  std::uint64_t comm_ready_ns = 0;    // earliest of the layer's collectives
  std::uint64_t comm_start_ns = 0;
  std::uint64_t comm_finish_ns = 0;   // latest
  std::uint64_t comm_duration_ns = 0; // sum of the collectives' durations
  std::uint64_t comm_exposed_ns = 0;  // sum of their exposed parts
};

struct BreakdownTotals {
  std::uint64_t compute_ns = 0;
  std::uint64_t comm_exposed_ns = 0;
  std::uint64_t comm_duration_ns = 0;
};

// `timings` are one NPU's per-node issue/finish times (SimulationResult::npu0_node_timings);
// `compute_scale` as the run used it.
std::vector<LayerBreakdown> per_layer_breakdown(const Workload& workload, const std::vector<NodeTiming>& timings,
                                                double compute_scale);
BreakdownTotals breakdown_totals(const std::vector<LayerBreakdown>& rows);

}  // namespace astra
