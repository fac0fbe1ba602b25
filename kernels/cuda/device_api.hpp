// The public entry of the device layer: what host code may call, as a table of plain functions.
//
//   host/sweep/backends/device_batch_evaluator.cpp   (host: batches, streams, buffers it owns)
//        |  DeviceApi (this file: plain C++, no CUDA or Thrust types)
//        v
//   kernels/cuda/sweep_device.cu        entry: fills the table, one per flavour
//        |-- evaluate_dispatch.cuh      dispatch: launch policy (occupancy, stack), launches
//        |-- evaluate_agent.cuh         agent: the work of one point / one scratch slot
//        |-- batch_reduce.cuh           reductions (Thrust/CUB) of a batch's results
//        '-- device_memory.cuh          memory and streams of the flavour
//
// One source, two flavours (CMakeLists.txt): nvcc builds `cuda_device_api()` for the GPU, g++
// builds `thrust_omp_device_api()` on Thrust's OpenMP backend, where "device memory" is host
// memory, a stream is a no-op and every kernel is an OpenMP loop. The host code above it is the
// same for both, so CI runs the GPU path's batching logic without a GPU.
//
// The caller owns every buffer (allocate/release below); the entry keeps no state between calls
// except the reduction workspaces the caller creates and destroys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/evaluator_scratch.hpp"
#include "kernels/model/workload_graph.hpp"
#include "kernels/sweep/batch_reduction.hpp"
#include "kernels/sweep/compiled_sweep.hpp"
#include "kernels/sweep/sweep_point_evaluation.hpp"

namespace astra {

using DeviceStream = void*;  // cudaStream_t on CUDA; unused (null) on OpenMP

// Per-slot working memory for points that need it: workload graphs an EvaluatorScratch (slots
// interleaved element by element, EvaluatorScratchLanes), the congestion-aware backend a
// CongestionAwareScratch. A null base or pointer: no such points.
struct ScratchPool {
  EvaluatorScratchLanes scratch;
  aware::CongestionAwareScratch* aware = nullptr;
  std::uint64_t slots = 0;
  bool any() const { return scratch.present() || aware; }
};

// Points [first, first + count) of `sweep` (tables in device memory) into out[0, count); with
// `indices` (device memory), only the points first + indices[k], k < count, into out[indices[k]]
// (the slot kernel's second pass over the congestion-aware points of a mixed batch).
struct EvaluateRequest {
  CompiledSweep sweep;
  WorkloadGraphView graph{};
  ScratchPool pool;
  std::uint64_t first = 0, count = 0;
  SweepPointResult* out = nullptr;
  const std::uint32_t* indices = nullptr;
};

// What the device can hold of one kernel: threads per block, resident threads, per-thread
// local memory (stack) the kernel needs, registers (0 on OpenMP).
struct KernelPolicy {
  unsigned block_threads = 1;
  std::uint64_t resident_threads = 1;  // blocks per SM x SMs x block_threads, from the occupancy query
  std::size_t local_bytes = 0;         // per-thread local memory from the kernel's attributes
  int registers = 0;
};

struct DeviceInfo {
  std::string name;
  std::size_t free_bytes = 0, total_bytes = 0;
  int multiprocessors = 1;
};

struct DeviceApi {
  const char* backend;  // "cuda" or "thrust-omp"
  // Devices: how many (0 and why_not set when none is usable), their properties, selection.
  int (*device_count)(std::string& why_not);
  DeviceInfo (*device_info)(int device);
  void (*set_device)(int device);
  void (*set_host_threads)(unsigned threads);  // OpenMP threads (0: its default); no-op on CUDA
  // Memory and streams; every function throws std::runtime_error naming the call on failure.
  void* (*allocate)(std::size_t bytes);
  void (*release)(void* p);
  void* (*allocate_host)(std::size_t bytes);  // pinned on CUDA
  void (*release_host)(void* p);
  void (*copy_to_device)(void* dst, const void* src, std::size_t bytes);
  void (*copy_to_host_async)(void* dst, const void* src, std::size_t bytes, DeviceStream stream);
  void (*fill_zero)(void* p, std::size_t bytes);
  DeviceStream (*stream_create)();
  void (*stream_destroy)(DeviceStream stream);
  void (*stream_sync)(DeviceStream stream);
  // Work enqueued on `waiter` from now on starts after what `other` has enqueued so far.
  void (*stream_wait_for)(DeviceStream waiter, DeviceStream other);
  // The policies of the two evaluation kernels (unaware inline collectives: one point per
  // thread; points with scratch: one slot per thread); also raises the device's per-thread stack
  // limit to what the kernel needs, from its attributes.
  KernelPolicy (*point_kernel_policy)();
  KernelPolicy (*slot_kernel_policy)();
  // Evaluates request.count points (asynchronous on `stream`; with request.pool.any(), the slot
  // kernel on min(pool.slots, count) threads).
  void (*evaluate)(const EvaluateRequest& request, DeviceStream stream);
  // The offsets k < count whose results[k] is NeedsReference, ascending, into device memory
  // `indices`; returns how many (synchronous).
  std::uint64_t (*select_pending)(const SweepPointResult* results, std::uint64_t count, std::uint32_t* indices,
                                  DeviceStream stream);
  // Axis values of points [first, first + count), row-major, into device memory `out`.
  void (*decode_axis_values)(const CompiledSweep& sweep, std::uint64_t first, std::uint64_t count, double* out,
                             DeviceStream stream);
  // Reductions: the workspace holds the device buffers reused from batch to batch.
  void* (*reduction_workspace_create)();
  void (*reduction_workspace_destroy)(void* workspace);
  // The reduction of results[0, count) (device memory) of points [first, first + count) of
  // `sweep` (device tables) by `plan` into `out` (reset first); synchronous.
  void (*reduce)(const CompiledSweep& sweep, const SweepPointResult* results, std::uint64_t first, std::uint64_t count,
                 const ReductionPlan& plan, void* workspace, BatchReduction& out, DeviceStream stream);
};

// Defined only in builds that have the flavour (ASTRA_HAVE_CUDA_BACKEND / ASTRA_HAVE_THRUST_OMP).
const DeviceApi& cuda_device_api();
const DeviceApi& thrust_omp_device_api();

}  // namespace astra
