// Replays a workload graph on one NPU the way ASTRA-sim's workload layer does (spec 5.2, 5.3):
// a node is ready when its parents finished; at most one compute and one collective are in
// flight; whenever anything finishes (and once at t = 0) ready nodes are issued in increasing
// node order while their resource is free. Records issue/finish per node and derives the
// statistics ASTRA-sim prints.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "host/reference/npu_system.hpp"
#include "host/reference/simulation_result.hpp"
#include "host/workload/workload.hpp"

namespace astra::reference {

class WorkloadRunner final {
 public:
  WorkloadRunner(NpuSystem& sys, const Workload& workload, double compute_scale);

  void start() { on_finished(std::nullopt); }
  [[nodiscard]] std::optional<std::uint64_t> finish_ns() const { return finished_at_; }
  [[nodiscard]] NpuStatistics statistics() const;
  [[nodiscard]] const std::vector<NodeTiming>& node_timings() const { return timings_; }

 private:
  void on_finished(std::optional<std::int32_t> node);
  void issue_ready();

  NpuSystem& sys_;
  const Workload& workload_;
  double compute_scale_;
  std::vector<std::int32_t> missing_parents_;
  std::vector<std::vector<std::int32_t>> children_;
  std::set<std::int32_t> ready_;
  std::int64_t in_flight_ = 0;
  bool compute_busy_ = false, comm_busy_ = false;
  std::vector<NodeTiming> timings_;
  std::vector<bool> issued_, done_;
  std::uint64_t compute_total_ns_ = 0;
  std::optional<std::uint64_t> finished_at_;
};

}  // namespace astra::reference
