// The fast evaluator's entry points: one design point (network, system, backend, workload) ->
// the finish time and statistics ASTRA-sim prints, exactly, without simulating every NPU.
//
// Fast path: the congestion-unaware backend with ring, direct (incl. windows) and
// halvingDoubling, their one* variants, every collective, text workloads up to the scratch
// bounds. Every such run is symmetric (all NPUs finish at the same tick), so one representative
// NPU stands for all (see collective_timing.hpp and workload_replay.hpp).
// Congestion-aware collectives and workloads: every NPU and link simulated in bounded state
// (congestion_aware/aware_simulation.hpp), given a CongestionAwareScratch; where no link is ever
// shared (congestion_aware/contention_free.hpp) the closed forms answer them, with the
// congestion-aware hop rule, and need no scratch.
// NeedsReference: points beyond either scratch, doubleBinaryTree, and
// the rare same-tick event-order races that the representative NPU cannot decide; the caller
// then runs the reference simulator for that point. Rejected: what config_check refuses.
#pragma once

#include <cstdint>

#include "kernels/model/collective_timing.hpp"
#include "kernels/model/config.hpp"
#include "kernels/model/config_check.hpp"
#include "kernels/model/congestion_aware/aware_simulation.hpp"
#include "kernels/model/congestion_aware/contention_free.hpp"
#include "kernels/model/evaluator_scratch.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/network_delay.hpp"
#include "kernels/model/workload_graph.hpp"
#include "kernels/model/workload_replay.hpp"

namespace astra {

enum class PointStatus : std::uint8_t { Ok = 0, Rejected = 1, NeedsReference = 2 };

struct PointMetrics {
  PointStatus status = PointStatus::Ok;
  std::uint64_t finish_ns = 0;        // max over NPUs (all NPUs equal unless npus_differ)
  std::uint64_t comm_ns = 0;          // "Comm time" (0 where ASTRA-sim prints nothing)
  std::uint64_t gpu_ns = 0;           // "GPU time" (0 where ASTRA-sim prints nothing)
  std::uint64_t overlap_ns = 0;       // "Total compute-communication overlap" (0 where not printed)
  std::int64_t exposed_comm_ns = 0;   // finish - sum of compute durations
  std::uint64_t compute_ns = 0;       // sum of compute durations
  // NPUs finished at different ticks or with other statistics (congestion-aware only); the
  // statistics are then those of the NPU that finished last (highest id among ties)
  bool npus_differ = false;
};

[[nodiscard]] ASTRA_HD_INLINE PointMetrics point_with_status(PointStatus s) {
  PointMetrics m;
  m.status = s;
  return m;
}

// The statistics ASTRA-sim prints for one NPU's workload, from its finish tick and the summed
// durations of its compute and collective nodes (each kind runs one at a time, so the sums are
// the unions it prints as GPU time and Comm time; a kind that never ran prints nothing: 0).
[[nodiscard]] ASTRA_HD_INLINE PointMetrics workload_metrics(std::uint64_t finish_ns, std::uint64_t compute_ns, std::uint64_t comm_ns,
                                              bool ran_compute, bool ran_comm) {
  PointMetrics m;
  m.finish_ns = finish_ns;
  m.compute_ns = compute_ns;
  m.gpu_ns = ran_compute ? compute_ns : 0;
  m.comm_ns = ran_comm ? comm_ns : 0;
  if (ran_compute && ran_comm && compute_ns + comm_ns > finish_ns) m.overlap_ns = compute_ns + comm_ns - finish_ns;
  m.exposed_comm_ns = static_cast<std::int64_t>(finish_ns) - static_cast<std::int64_t>(compute_ns);
  return m;
}

// A lone collective on every NPU. The congestion-unaware backend needs no scratch; the
// congestion-aware one simulates every NPU and link in `aware` (without it: NeedsReference).
[[nodiscard]] ASTRA_HD_INLINE PointMetrics evaluate_collective(const NetworkConfig& net, const SystemConfig& sys,
                                                 NetworkBackend backend, CollectiveKind collective,
                                                 std::uint64_t size_bytes,
                                                 aware::CongestionAwareScratch* aware = nullptr) {
  if (!check_network_system(net, sys, backend).ok()) return point_with_status(PointStatus::Rejected);
  if (!check_collective(net, sys, collective, size_bytes).ok()) return point_with_status(PointStatus::Rejected);
  NetworkView view = make_network_view(net);
  const bool aware_closed_form =
      backend == NetworkBackend::CongestionAware && aware::collective_runs_contention_free(net, sys, collective);
  view.store_and_forward = aware_closed_form;
  const CollectiveTiming t = backend == NetworkBackend::CongestionUnaware || aware_closed_form
                                 ? collective_timing(view, sys, collective, size_bytes)
                                 : CollectiveTiming{};
  if (backend == NetworkBackend::CongestionAware && !(aware_closed_form && t.status == CollectiveTimingStatus::Ok)) {
    if (!aware) return point_with_status(PointStatus::NeedsReference);
    const aware::AwareResult r = aware::simulate_aware_collective(*aware, net, sys, collective, size_bytes);
    if (r.status == aware::AwareStatus::Unchunkable) return point_with_status(PointStatus::Rejected);
    if (r.status != aware::AwareStatus::Ok) return point_with_status(PointStatus::NeedsReference);
    PointMetrics m;
    m.finish_ns = r.finish_ns;
    m.comm_ns = r.finish_ns;
    m.exposed_comm_ns = static_cast<std::int64_t>(r.finish_ns);
    m.npus_differ = r.npus_differ;
    return m;
  }
  if (t.status == CollectiveTimingStatus::Unchunkable) return point_with_status(PointStatus::Rejected);
  if (t.status != CollectiveTimingStatus::Ok) return point_with_status(PointStatus::NeedsReference);
  PointMetrics m;
  m.finish_ns = t.duration_ns;
  m.comm_ns = t.duration_ns;
  m.exposed_comm_ns = static_cast<std::int64_t>(t.duration_ns);
  return m;
}

[[nodiscard]] ASTRA_HD_INLINE PointMetrics evaluate_point(const NetworkConfig& net, const SystemConfig& sys, NetworkBackend backend,
                                            const WorkloadGraphView& workload, double compute_scale,
                                            const EvaluatorScratchView& scratch,
                                            aware::CongestionAwareScratch* aware = nullptr) {
  if (!check_network_system(net, sys, backend).ok()) return point_with_status(PointStatus::Rejected);
  if (workload.node_count == 1 && workload.nodes[0].kind == NodeKind::Collective && workload.nodes[0].deps_count == 0)
    return evaluate_collective(net, sys, backend, workload.nodes[0].collective, workload.nodes[0].size_bytes, aware);
  // still reject what the reference would reject, so both sides agree on Rejected; aware runs whose
  // collectives all keep to private links (one collective in flight at a time, the issue rules)
  // are replayed on one NPU like unaware ones, with the congestion-aware hop rule
  NetworkView view = make_network_view(net);
  bool replay = backend == NetworkBackend::CongestionUnaware;
  if (!replay) {
    bool contention_free = true;
    for (int i = 0; i < workload.node_count; ++i) {
      const WorkloadNode& node = workload.nodes[i];
      if (node.kind != NodeKind::Collective) continue;
      if (!check_collective(net, sys, node.collective, node.size_bytes).ok()) return point_with_status(PointStatus::Rejected);
      contention_free = contention_free && aware::collective_runs_contention_free(net, sys, node.collective);
    }
    replay = contention_free;
    view.store_and_forward = true;
  }
  if (replay) {
    const ReplayResult r = replay_workload(net, view, sys, workload, compute_scale, scratch);
    // an aware run the replay cannot decide (same-tick race) goes to the simulation below
    const bool decided = backend == NetworkBackend::CongestionUnaware || r.status == ReplayStatus::Ok;
    if (decided) {
      if (r.status == ReplayStatus::Rejected) return point_with_status(PointStatus::Rejected);
      if (r.status == ReplayStatus::NeedsReference) return point_with_status(PointStatus::NeedsReference);
      return workload_metrics(r.finish_ns, r.compute_ns, r.comm_ns, r.compute_nodes > 0, r.collective_nodes > 0);
    }
  }
  if (!aware) return point_with_status(PointStatus::NeedsReference);
  const aware::AwareResult r = aware::simulate_aware_workload(*aware, net, sys, workload, compute_scale);
  if (r.status == aware::AwareStatus::Unchunkable) return point_with_status(PointStatus::Rejected);
  if (r.status != aware::AwareStatus::Ok) return point_with_status(PointStatus::NeedsReference);
  PointMetrics m = workload_metrics(r.finish_ns, r.compute_ns, r.comm_ns, r.has_compute, r.has_comm);
  m.npus_differ = r.npus_differ;
  return m;
}

}  // namespace astra
