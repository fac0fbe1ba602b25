// Memory, streams and devices of one flavour, behind the DeviceApi table (device_api.hpp).
//   CUDA:   cudaMalloc / pinned host memory / non-blocking streams; every error throws with the
//           call's name and CUDA's message.
//   OpenMP: host memory; streams are null and synchronous; one "device", the CPU.
#pragma once

#include "kernels/cuda/device_flavor.cuh"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "kernels/cuda/device_api.hpp"

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)
#include <cuda_runtime.h>
#else
#include <omp.h>
#include <unistd.h>
#endif

namespace astra {
inline namespace ASTRA_DEVICE_FLAVOR_NS {
namespace device_memory {

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)

inline void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string("CUDA ") + what + ": " + cudaGetErrorString(e));
}

inline int device_count(std::string& why_not) {
  int devices = 0;
  const cudaError_t e = cudaGetDeviceCount(&devices);
  if (e != cudaSuccess) {
    why_not = std::string("no usable CUDA device (") + cudaGetErrorName(e) + ": " + cudaGetErrorString(e) + ")";
    cudaGetLastError();  // clear the sticky error
    return 0;
  }
  if (devices == 0) why_not = "no CUDA device present";
  return devices;
}

inline DeviceInfo device_info(int device) {
  DeviceInfo info;
  cudaDeviceProp prop{};
  check(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
  info.name = prop.name;
  info.multiprocessors = prop.multiProcessorCount;
  int current = 0;
  check(cudaGetDevice(&current), "cudaGetDevice");
  check(cudaSetDevice(device), "cudaSetDevice");
  check(cudaMemGetInfo(&info.free_bytes, &info.total_bytes), "cudaMemGetInfo");
  check(cudaSetDevice(current), "cudaSetDevice");
  return info;
}

inline void set_device(int device) { check(cudaSetDevice(device), "cudaSetDevice"); }
inline void set_host_threads(unsigned) {}

inline void* allocate(std::size_t bytes) {
  void* p = nullptr;
  check(cudaMalloc(&p, bytes ? bytes : 1), "cudaMalloc");
  return p;
}
inline void release(void* p) {
  if (p) cudaFree(p);
}
inline void* allocate_host(std::size_t bytes) {
  void* p = nullptr;
  check(cudaMallocHost(&p, bytes ? bytes : 1), "cudaMallocHost");
  return p;
}
inline void release_host(void* p) {
  if (p) cudaFreeHost(p);
}
inline void copy_to_device(void* dst, const void* src, std::size_t bytes) {
  if (bytes) check(cudaMemcpy(dst, src, bytes, cudaMemcpyHostToDevice), "cudaMemcpy to device");
}
inline void copy_to_host_async(void* dst, const void* src, std::size_t bytes, DeviceStream stream) {
  if (bytes)
    check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, static_cast<cudaStream_t>(stream)),
          "cudaMemcpyAsync to host");
}
inline void fill_zero(void* p, std::size_t bytes) {
  if (bytes) check(cudaMemset(p, 0, bytes), "cudaMemset");
}
inline DeviceStream stream_create() {
  cudaStream_t s = nullptr;
  check(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreate");
  return s;
}
inline void stream_destroy(DeviceStream s) {
  if (s) cudaStreamDestroy(static_cast<cudaStream_t>(s));
}
inline void stream_sync(DeviceStream s) { check(cudaStreamSynchronize(static_cast<cudaStream_t>(s)), "cudaStreamSynchronize"); }
inline void stream_wait_for(DeviceStream waiter, DeviceStream other) {
  cudaEvent_t e = nullptr;
  check(cudaEventCreateWithFlags(&e, cudaEventDisableTiming), "cudaEventCreate");
  check(cudaEventRecord(e, static_cast<cudaStream_t>(other)), "cudaEventRecord");
  check(cudaStreamWaitEvent(static_cast<cudaStream_t>(waiter), e, 0), "cudaStreamWaitEvent");
  check(cudaEventDestroy(e), "cudaEventDestroy");  // released once the wait is done
}

#else  // OpenMP: the CPU is the device

inline int device_count(std::string&) { return 1; }

inline DeviceInfo device_info(int) {
  DeviceInfo info;
  info.name = "";  // the host names the CPU
  const long pages = sysconf(_SC_PHYS_PAGES), available = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  info.total_bytes = pages > 0 && page > 0 ? static_cast<std::size_t>(pages) * page : 0;
  info.free_bytes = available > 0 && page > 0 ? static_cast<std::size_t>(available) * page : info.total_bytes;
  info.multiprocessors = omp_get_max_threads();
  return info;
}

inline void set_device(int) {}
inline void set_host_threads(unsigned threads) {
  if (threads > 0) omp_set_num_threads(static_cast<int>(threads));
}

inline void* allocate(std::size_t bytes) {
  void* p = std::malloc(bytes ? bytes : 1);
  if (!p) throw std::bad_alloc();
  return p;
}
inline void release(void* p) { std::free(p); }
inline void* allocate_host(std::size_t bytes) { return allocate(bytes); }
inline void release_host(void* p) { release(p); }
inline void copy_to_device(void* dst, const void* src, std::size_t bytes) {
  if (bytes) std::memcpy(dst, src, bytes);
}
inline void copy_to_host_async(void* dst, const void* src, std::size_t bytes, DeviceStream) {
  if (bytes) std::memcpy(dst, src, bytes);
}
inline void fill_zero(void* p, std::size_t bytes) {
  if (bytes) std::memset(p, 0, bytes);
}
inline DeviceStream stream_create() { return nullptr; }
inline void stream_destroy(DeviceStream) {}
inline void stream_sync(DeviceStream) {}
inline void stream_wait_for(DeviceStream, DeviceStream) {}

#endif

}  // namespace device_memory
}  // namespace ASTRA_DEVICE_FLAVOR_NS
}  // namespace astra
