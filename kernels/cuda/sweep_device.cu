// The device layer's entry: one DeviceApi table per flavour (device_api.hpp), filled from the
// dispatch (evaluate_dispatch.cuh), reduction (batch_reduce.cuh) and memory (device_memory.cuh)
// layers. The only .cu file: nvcc takes tens of seconds per translation unit with Thrust/CUB.
//
// Built twice from this one file (see CMakeLists.txt):
//   nvcc                         -> ASTRA_DEVICE_FLAVOR_CUDA: cuda_device_api()
//   g++ THRUST_DEVICE_SYSTEM_OMP -> ASTRA_DEVICE_FLAVOR_OMP:  thrust_omp_device_api()
// Nothing here includes host code: the backend classes that use the table live in
// host/sweep/backends/.
#include <cstdint>

#include <thrust/copy.h>
#include <thrust/device_ptr.h>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>

#include "kernels/cuda/batch_reduce.cuh"
#include "kernels/cuda/device_api.hpp"
#include "kernels/cuda/device_memory.cuh"
#include "kernels/cuda/evaluate_dispatch.cuh"

namespace astra {
namespace {

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)
inline auto policy_on(DeviceStream stream) { return thrust::cuda::par.on(static_cast<cudaStream_t>(stream)); }
#else
inline auto policy_on(DeviceStream) { return thrust::device; }
#endif

struct DecodeAxisValues {
  const CompiledSweep* sweep;  // device memory (by value, the 2 KB sweep would sit on every thread's stack)
  std::uint64_t first;
  double* out;
  ASTRA_HD void operator()(std::uint64_t i) const { decode_point_axis_values(*sweep, first, i, out); }
};

void decode(const CompiledSweep& sweep, std::uint64_t first, std::uint64_t count, double* out, DeviceStream stream) {
  if (count == 0) return;
  thrust::device_vector<unsigned char> bytes;
  thrust::for_each(policy_on(stream), thrust::counting_iterator<std::uint64_t>(0),
                   thrust::counting_iterator<std::uint64_t>(count),
                   DecodeAxisValues{batch_reduce::put_sweep(bytes, sweep), first, out});
  device_memory::stream_sync(stream);
}

std::uint64_t select_pending(const SweepPointResult* results, std::uint64_t count, std::uint32_t* indices,
                             DeviceStream stream) {
  if (count == 0) return 0;
  const thrust::counting_iterator<std::uint32_t> zero(0);
  const auto end = thrust::copy_if(policy_on(stream), zero, zero + count, thrust::device_pointer_cast(results),
                                   thrust::device_pointer_cast(indices), batch_reduce::IsPending());
  device_memory::stream_sync(stream);
  return static_cast<std::uint64_t>(end - thrust::device_pointer_cast(indices));
}

// The reductions' device buffers, reused from batch to batch.
void* workspace_create() { return new batch_reduce::DeviceReductionWorkspace(); }
void workspace_destroy(void* w) { delete static_cast<batch_reduce::DeviceReductionWorkspace*>(w); }

void reduce(const CompiledSweep& sweep, const SweepPointResult* results, std::uint64_t first, std::uint64_t count,
            const ReductionPlan& plan, void* workspace, BatchReduction& out, DeviceStream stream) {
  batch_reduce::reduce(policy_on(stream), sweep, results, first, count, plan,
                       *static_cast<batch_reduce::DeviceReductionWorkspace*>(workspace), out);
  device_memory::stream_sync(stream);
}

const DeviceApi kApi = {
#if defined(ASTRA_DEVICE_FLAVOR_CUDA)
    "cuda",
#else
    "thrust-omp",
#endif
    device_memory::device_count,
    device_memory::device_info,
    device_memory::set_device,
    device_memory::set_host_threads,
    device_memory::allocate,
    device_memory::release,
    device_memory::allocate_host,
    device_memory::release_host,
    device_memory::copy_to_device,
    device_memory::copy_to_host_async,
    device_memory::fill_zero,
    device_memory::stream_create,
    device_memory::stream_destroy,
    device_memory::stream_sync,
    device_memory::stream_wait_for,
    evaluate_dispatch::point_kernel_policy,
    evaluate_dispatch::slot_kernel_policy,
    evaluate_dispatch::evaluate,
    select_pending,
    decode,
    workspace_create,
    workspace_destroy,
    reduce,
};

}  // namespace

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)
const DeviceApi& cuda_device_api() { return kApi; }
#else
const DeviceApi& thrust_omp_device_api() { return kApi; }
#endif

}  // namespace astra
