// evaluate_point plus the per-node record (replay_node_timing.hpp): when each node of the workload
// graph ran on the representative NPU, for per-layer reports (`run --per-layer`).
//
// evaluate_point itself never records (no cost on the sweep's hot path); this wrapper replays an
// Ok workload a second time with the record on. Points evaluate_point hands back stay handed back
// (the caller takes the reference simulator's node timings), and so does the impossible case of
// a recording replay that disagrees with the first.
#pragma once

#include "kernels/model/host_device.hpp"
#include "kernels/model/point_evaluator.hpp"
#include "kernels/model/replay_node_timing.hpp"
#include "kernels/model/workload_replay.hpp"

namespace astra {

// `node_timings`: workload.node_count entries, caller-owned; valid when the status is Ok.
[[nodiscard]] ASTRA_HD_INLINE PointMetrics evaluate_point_with_node_timings(const NetworkConfig& net, const SystemConfig& sys,
                                                              NetworkBackend backend, const WorkloadGraphView& workload,
                                                              double compute_scale, const EvaluatorScratchView& scratch,
                                                              ReplayNodeTiming* node_timings) {
  const PointMetrics m = evaluate_point(net, sys, backend, workload, compute_scale, scratch);
  if (m.status != PointStatus::Ok || node_timings == nullptr) return m;
  if (workload.node_count == 1 && workload.nodes[0].kind == NodeKind::Collective && workload.nodes[0].deps_count == 0) {
    node_timings[0] = ReplayNodeTiming{0, 0, m.finish_ns};  // a lone collective: issued at 0
    return m;
  }
  if (backend != NetworkBackend::CongestionUnaware) return point_with_status(PointStatus::NeedsReference);
  const ReplayResult r =
      replay_workload(net, make_network_view(net), sys, workload, compute_scale, scratch, node_timings);
  if (r.status != ReplayStatus::Ok || r.finish_ns != m.finish_ns || r.compute_ns != m.compute_ns)
    return point_with_status(PointStatus::NeedsReference);
  return m;
}

}  // namespace astra
