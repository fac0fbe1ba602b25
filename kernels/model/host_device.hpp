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
