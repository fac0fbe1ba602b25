// Marks functions that compile for both the CPU and CUDA devices.
// Everything under kernels/model/ is plain C++ (no heap, no virtual calls, no exceptions)
// so that g++ and nvcc build the same source.
#pragma once

#if defined(__CUDACC__)
#define ASTRA_HD __host__ __device__
#define ASTRA_HD_INLINE __host__ __device__ __forceinline__
#else
#define ASTRA_HD
#define ASTRA_HD_INLINE inline
#endif

// Keeps the next loop rolled in device code. Unrolled, a loop over all kMaxDims dimensions with a
// double division in its body (make_network_view) holds every iteration's operands at once and
// sets the register count of every kernel that inlines it; rolled it costs a few cycles.
#if defined(__CUDA_ARCH__)
#define ASTRA_DEVICE_NO_UNROLL _Pragma("unroll 1")
#else
#define ASTRA_DEVICE_NO_UNROLL
#endif
