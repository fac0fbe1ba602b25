// The agent: the work of one device thread in the two evaluation kernels, as plain
// __host__ __device__ code (the OpenMP flavour runs the same functions in its loops).
//
//   point kernel  thread t of T   -> points first + t, + t + T, ...   (congestion-unaware inline
//                                                                    collectives: no scratch)
//   slot kernel   thread s (slot) -> points first + s, + s + slots, ...   (workload graphs and
//                                    congestion-aware points: each slot owns one scratch), or
//                                    the listed points first + indices[s], ...
// A workload slot's scratch is lane s of the pool (EvaluatorScratchLanes): node i of slots s and
// s + 1 are neighbouring words, so a warp replaying one graph reads its counters in one go.
#pragma once

#include "kernels/cuda/device_flavor.cuh"

#include <cstdint>

#include "kernels/cuda/device_api.hpp"
#include "kernels/sweep/sweep_point_evaluation.hpp"

namespace astra {
inline namespace ASTRA_DEVICE_FLAVOR_NS {

// Points i = begin, begin + step, ... (i < end) of the request, no scratch (the point kernel:
// congestion-unaware inline collectives). The thread's SweepPoint lives from one point to the
// next: every axis overwrites all it touches (sweep_point_evaluation.hpp's
// evaluate_decoded_point), so the base (about 700 B) is copied into the thread's local memory
// once, not once per point, and each point writes only its axes' fields.
ASTRA_HD_INLINE void evaluate_points(const EvaluateRequest& r, std::uint64_t begin, std::uint64_t end, std::uint64_t step) {
  if (begin >= end) return;
  SweepPoint point = r.sweep.base;
  double axis_values[kMaxSweepAxes];
  for (std::uint64_t i = begin; i < end; i += step) {
    decode_axis_values(r.sweep, r.first + i, axis_values);
    r.out[i] = evaluate_decoded_point(r.sweep, WorkloadGraphView{}, axis_values, point, EvaluatorScratchView{});
  }
}

// Slot `slot` of `slots` evaluates every slots-th point of the request with its own scratch (and,
// as evaluate_points, one SweepPoint carried from point to point).
ASTRA_HD_INLINE void evaluate_slot_points(const EvaluateRequest& r, std::uint64_t slot, std::uint64_t slots) {
  if (slot >= r.count) return;
  const EvaluatorScratchView scratch =
      r.pool.scratch.present() ? r.pool.scratch.lane(static_cast<std::uint32_t>(slot)) : EvaluatorScratchView{};
  aware::CongestionAwareScratch* aware = r.pool.aware ? r.pool.aware + slot : nullptr;
  SweepPoint point = r.sweep.base;
  double axis_values[kMaxSweepAxes];
  for (std::uint64_t k = slot; k < r.count; k += slots) {
    const std::uint64_t i = r.indices ? r.indices[k] : k;
    decode_axis_values(r.sweep, r.first + i, axis_values);
    r.out[i] = evaluate_decoded_point(r.sweep, r.graph, axis_values, point, scratch, aware);
  }
}

// The slots a request uses: never more than its points.
ASTRA_HD_INLINE std::uint64_t slots_used(const EvaluateRequest& r) {
  return r.pool.slots < r.count ? r.pool.slots : r.count;
}

ASTRA_HD_INLINE void decode_point_axis_values(const CompiledSweep& sweep, std::uint64_t first, std::uint64_t i,
                                              double* out) {
  double values[kMaxSweepAxes];
  decode_axis_values(sweep, first + i, values);
  for (int a = 0; a < sweep.axis_count; ++a) out[i * sweep.axis_count + a] = values[a];
}

}  // namespace ASTRA_DEVICE_FLAVOR_NS
}  // namespace astra
