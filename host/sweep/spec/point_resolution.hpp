// Finishing points on the host that the fast evaluator hands back:
//  - NeedsReference (congestion_aware, doubleBinaryTree, big workloads): run the reference
//    simulator (host/reference) and take its answer;
//  - Rejected: re-run the configuration checks of kernels/model/config_check.hpp to name the
//    field and the reason.
#pragma once

#include <cstdint>
#include <string>

#include "kernels/sweep/sweep_point_evaluation.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {

// The point of index `index` (ignoring `where`), and its axis values.
SweepPoint decode_host_point(const SweepSpec& spec, std::uint64_t index, double* axis_values);

// Replaces `result` by the reference simulator's answer; `reason` gets its message when it
// rejects the point or does not complete it.
void resolve_with_reference(const SweepSpec& spec, std::uint64_t index, SweepPointResult& result, std::string& reason);

// "field: reason" for a rejected point.
std::string rejection_reason(const SweepSpec& spec, std::uint64_t index);

// A reference SimulationResult as metrics: the NPU that finishes last (lowest id on a tie).
struct SimulationResult;
SweepPointResult result_from_reference(const SimulationResult& sim);

}  // namespace astra
