// When each node of a workload graph ran on the fast evaluator's representative NPU: the optional
// per-node record of replay_workload / evaluate_point (caller-owned, one entry per graph node;
// a null pointer turns recording off). The same times as the reference simulator's NodeTiming of
// NPU 0 (host/reference/simulation_result.hpp), plus when the node became ready.
#pragma once

#include <cstdint>

namespace astra {

struct ReplayNodeTiming {
  std::uint64_t ready_ns = 0;   // its last parent finished (0 without parents)
  std::uint64_t issue_ns = 0;   // it took the NPU's compute or communication slot (= started)
  std::uint64_t finish_ns = 0;
};

}  // namespace astra
