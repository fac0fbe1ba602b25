// Evaluates one point of a compiled sweep with the fast evaluator: decode the index, apply the
// `where` constraints, then evaluate the collective or the workload graph. The same function runs
// in host threads and in device threads; points the fast evaluator hands back (NeedsReference,
// Rejected) are finished on the host (see host/sweep/spec/point_resolution.hpp).
#pragma once

#include <cstdint>

#include "kernels/sweep/compiled_sweep.hpp"
#include "kernels/sweep/injection_bound.hpp"
#include "kernels/model/point_evaluator.hpp"

namespace astra {

enum class SweepPointStatus : std::uint8_t {
  Ok = 0,
  Rejected = 1,        // outside the model's defined semantics; the host finds the reason
  NeedsReference = 2,  // the fast evaluator does not cover it; the host runs the reference simulator
  Filtered = 3,        // dropped by a `where` constraint: not written, only counted
  Incomplete = 4,      // the reference simulator did not finish it (reported, never hidden)
};
inline constexpr int kSweepPointStatusCount = 5;

struct SweepPointResult {
  PointMetrics metrics;
  SweepPointStatus status;
  bool by_reference;  // set on the host when the reference simulator answered
  bool nonphysical;   // an ok inline collective whose busbw exceeds the injection bound (injection_bound.hpp)
};

// The status and the nonphysical flag of a result whose metrics are set, from its point: every
// path that evaluates sweep points ends with this (the run summary counts the flag).
ASTRA_HD_INLINE void finish_sweep_point_result(const CompiledSweep& s, const SweepPoint& point, SweepPointResult& r) {
  r.status = static_cast<SweepPointStatus>(static_cast<std::uint8_t>(r.metrics.status));
  r.nonphysical = s.inline_collective && r.status == SweepPointStatus::Ok &&
                  busbw_exceeds_injection(point, r.metrics.finish_ns);
}

// The fast evaluator's answer for a decoded point (which passed the `where` constraints).
[[nodiscard]] ASTRA_HD_INLINE SweepPointResult evaluate_applied_point(const CompiledSweep& s, const WorkloadGraphView& graph,
                                                        const SweepPoint& point, const EvaluatorScratchView& scratch,
                                                        aware::CongestionAwareScratch* aware) {
  SweepPointResult r{};
  r.metrics = s.inline_collective
                  ? evaluate_collective(point.network, point.system, point.backend, point.collective, point.size_bytes,
                                        aware)
                  : evaluate_point(point.network, point.system, point.backend, graph, point.compute_scale, scratch,
                                   aware);
  finish_sweep_point_result(s, point, r);
  return r;
}

// `scratch` may be absent (a default view) for inline collectives (only workload graphs need
// it); `aware` may be null, and then congestion-aware collectives are handed back as NeedsReference.
[[nodiscard]] ASTRA_HD_INLINE SweepPointResult evaluate_sweep_point(const CompiledSweep& s, const WorkloadGraphView& graph,
                                                      std::uint64_t index, const EvaluatorScratchView& scratch,
                                                      aware::CongestionAwareScratch* aware = nullptr) {
  double axis_values[kMaxSweepAxes];
  SweepPoint point;
  if (!decode_point(s, index, axis_values, point)) {
    SweepPointResult r{};
    r.status = SweepPointStatus::Filtered;
    return r;
  }
  return evaluate_applied_point(s, graph, point, scratch, aware);
}

// The same for a caller that evaluates many points in a row with one SweepPoint of its own and
// decodes the axis values itself (e.g. with a SweepOdometer): `point` holds the base or any
// point of this sweep evaluated before. Every axis overwrites all it touches, so applying every
// axis in order onto an earlier point gives exactly the point the base would give, without
// copying the base (about 1 KB) for each point.
[[nodiscard]] ASTRA_HD_INLINE SweepPointResult evaluate_decoded_point(const CompiledSweep& s, const WorkloadGraphView& graph,
                                                        const double* axis_values, SweepPoint& point,
                                                        const EvaluatorScratchView& scratch,
                                                        aware::CongestionAwareScratch* aware = nullptr) {
  if (!constraint_accepts(s.constraint, s.constraint_length, axis_values)) {
    SweepPointResult r{};
    r.status = SweepPointStatus::Filtered;
    return r;
  }
  for (int a = 0; a < s.axis_count; ++a) apply_axis_value(s.axes[a], axis_values[a], point);
  return evaluate_applied_point(s, graph, point, scratch, aware);
}

}  // namespace astra
