// The dispatch layer of evaluation: the launch policy of each kernel (block size and resident
// threads from the occupancy query, the per-thread stack from the kernel's attributes) and the
// launches themselves. The per-thread work is the agent's (evaluate_agent.cuh).
//
//   CUDA:   evaluate_points_kernel (grid-stride, one point per thread and step, one SweepPoint per
//           thread carried from point to point) and
//           evaluate_slots_kernel (one scratch slot per thread); parameters as __grid_constant__
//           (read from the constant bank, never copied to the thread's stack).
//   OpenMP: the same agent functions in OpenMP loops; one "thread" per OpenMP thread.
#pragma once

#include "kernels/cuda/device_flavor.cuh"

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>

#include "kernels/cuda/device_api.hpp"
#include "kernels/cuda/device_memory.cuh"
#include "kernels/cuda/evaluate_agent.cuh"

namespace astra {
inline namespace ASTRA_DEVICE_FLAVOR_NS {
namespace evaluate_dispatch {

// Stack above the kernel's own local memory: the driver sizes static frames itself; this covers
// what it cannot see (library calls), and is never below the CUDA default of 1 KiB.
inline constexpr std::size_t kStackMarginBytes = 1024;
// Grid-stride kernels launch at most this many waves of resident blocks.
inline constexpr std::uint64_t kMaxWaves = 8;

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)

__global__ void evaluate_points_kernel(const __grid_constant__ EvaluateRequest r) {
  const std::uint64_t stride = static_cast<std::uint64_t>(gridDim.x) * blockDim.x;
  evaluate_points(r, static_cast<std::uint64_t>(blockIdx.x) * blockDim.x + threadIdx.x, r.count, stride);
}

__global__ void evaluate_slots_kernel(const __grid_constant__ EvaluateRequest r, std::uint64_t slots) {
  const std::uint64_t slot = static_cast<std::uint64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (slot < slots) evaluate_slot_points(r, slot, slots);
}

// Raises the device's per-thread stack limit to what `local_bytes` needs plus the margin.
inline void ensure_stack(std::size_t local_bytes) {
  std::size_t current = 0;
  device_memory::check(cudaDeviceGetLimit(&current, cudaLimitStackSize), "cudaDeviceGetLimit");
  const std::size_t needed = local_bytes + kStackMarginBytes;
  if (current < needed) device_memory::check(cudaDeviceSetLimit(cudaLimitStackSize, needed), "cudaDeviceSetLimit");
}

template <typename Kernel>
KernelPolicy query_policy(Kernel kernel) {
  KernelPolicy p;
  cudaFuncAttributes attr{};
  device_memory::check(cudaFuncGetAttributes(&attr, kernel), "cudaFuncGetAttributes");
  int min_grid = 0, block = 0, blocks_per_sm = 0, device = 0, sms = 0;
  device_memory::check(cudaOccupancyMaxPotentialBlockSize(&min_grid, &block, kernel, 0, 0),
                       "cudaOccupancyMaxPotentialBlockSize");
  device_memory::check(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks_per_sm, kernel, block, 0),
                       "cudaOccupancyMaxActiveBlocksPerMultiprocessor");
  device_memory::check(cudaGetDevice(&device), "cudaGetDevice");
  device_memory::check(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device), "cudaDeviceGetAttribute");
  p.block_threads = static_cast<unsigned>(std::max(block, 32));
  p.resident_threads = static_cast<std::uint64_t>(std::max(blocks_per_sm, 1)) * std::max(sms, 1) * p.block_threads;
  p.local_bytes = attr.localSizeBytes;
  p.registers = attr.numRegs;
  ensure_stack(p.local_bytes);
  return p;
}

// Policies per (device, kernel), queried once.
template <typename Kernel>
KernelPolicy cached_policy(Kernel kernel, int which) {
  static std::mutex mutex;
  static std::map<std::pair<int, int>, KernelPolicy> cache;
  int device = 0;
  device_memory::check(cudaGetDevice(&device), "cudaGetDevice");
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find({device, which});
  if (it == cache.end()) it = cache.emplace(std::make_pair(device, which), query_policy(kernel)).first;
  return it->second;
}

inline KernelPolicy point_kernel_policy() { return cached_policy(evaluate_points_kernel, 0); }
inline KernelPolicy slot_kernel_policy() { return cached_policy(evaluate_slots_kernel, 1); }

inline void evaluate(const EvaluateRequest& r, DeviceStream stream) {
  if (r.count == 0) return;
  const cudaStream_t s = static_cast<cudaStream_t>(stream);
  if (!r.pool.any()) {
    const KernelPolicy p = point_kernel_policy();
    const std::uint64_t needed = (r.count + p.block_threads - 1) / p.block_threads;
    const std::uint64_t most = std::max<std::uint64_t>(1, p.resident_threads / p.block_threads * kMaxWaves);
    const unsigned blocks = static_cast<unsigned>(std::min(needed, most));
    evaluate_points_kernel<<<blocks, p.block_threads, 0, s>>>(r);
  } else {
    const KernelPolicy p = slot_kernel_policy();
    const std::uint64_t slots = slots_used(r);
    const unsigned blocks = static_cast<unsigned>((slots + p.block_threads - 1) / p.block_threads);
    evaluate_slots_kernel<<<blocks, p.block_threads, 0, s>>>(r, slots);
  }
  device_memory::check(cudaGetLastError(), "evaluate kernel launch");
}

#else  // OpenMP

inline KernelPolicy host_policy(std::uint64_t per_thread) {
  KernelPolicy p;
  p.block_threads = 1;
  p.resident_threads = static_cast<std::uint64_t>(omp_get_max_threads()) * per_thread;
  return p;
}
inline KernelPolicy point_kernel_policy() { return host_policy(1); }
// Four slots per thread: the slot loop is scheduled dynamically, so costly points even out.
inline KernelPolicy slot_kernel_policy() { return host_policy(4); }

inline void evaluate(const EvaluateRequest& r, DeviceStream) {
  if (r.count == 0) return;
  const std::int64_t count = static_cast<std::int64_t>(r.count);
  if (!r.pool.any()) {  // one contiguous range per thread (no two threads writing one cache line)
#pragma omp parallel
    {
      const std::int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
      const std::int64_t begin = count * t / threads, end = count * (t + 1) / threads;
      evaluate_points(r, static_cast<std::uint64_t>(begin), static_cast<std::uint64_t>(end), 1);
    }
  } else {
    const std::uint64_t slots = slots_used(r);
    const std::int64_t n = static_cast<std::int64_t>(slots);
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t s = 0; s < n; ++s) evaluate_slot_points(r, static_cast<std::uint64_t>(s), slots);
  }
}

#endif

}  // namespace evaluate_dispatch
}  // namespace ASTRA_DEVICE_FLAVOR_NS
}  // namespace astra
