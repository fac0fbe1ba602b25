// What one simulation answers: per-NPU finish times and the statistics ASTRA-sim prints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace astra {

enum class SimStatus {
  Ok,          // every NPU finished
  Rejected,    // the configuration is outside the model's defined semantics (message says why)
  Incomplete,  // some NPU never finished (a bug in a defined configuration: reported, never hidden)
};

// The per-NPU statistics ASTRA-sim prints when an NPU finishes. Optional fields are absent
// exactly where ASTRA-sim prints nothing.
struct NpuStatistics {
  std::uint64_t wall_ns = 0;
  std::optional<std::uint64_t> comm_ns;     // "Comm time": union of collective intervals
  std::optional<std::uint64_t> gpu_ns;      // "GPU time": union of compute intervals
  std::optional<std::uint64_t> overlap_ns;  // GPU + Comm - Wall, printed only when > 0
  std::int64_t exposed_comm_ns = 0;         // finish - sum of compute durations
  std::uint64_t compute_ns = 0;             // sum of compute durations (tics_gpu_ops)
};

// When one workload node ran on one NPU.
struct NodeTiming {
  std::uint64_t issue_ns = 0;
  std::uint64_t finish_ns = 0;
};

struct SimulationResult {
  SimStatus status = SimStatus::Ok;
  std::string message;
  std::vector<std::optional<std::uint64_t>> finish_ns;  // one per NPU
  std::vector<std::optional<NpuStatistics>> stats;      // one per NPU
  std::vector<NodeTiming> npu0_node_timings;            // per workload node, NPU 0

  std::uint64_t max_finish_ns() const {
    std::uint64_t m = 0;
    for (const auto& f : finish_ns)
      if (f && *f > m) m = *f;
    return m;
  }
};

inline const char* sim_status_name(SimStatus s) {
  switch (s) {
    case SimStatus::Ok: return "ok";
    case SimStatus::Rejected: return "rejected";
    case SimStatus::Incomplete: return "incomplete";
  }
  return "?";
}

}  // namespace astra
