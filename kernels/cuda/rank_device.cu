// One GPU per MPI rank (astra-sweep run --mpi): the rank takes device local_rank % devices
// before the CUDA backend starts. Only the nvcc build defines it (the Thrust-OpenMP copy of this
// file is empty); host/nightly/nightly_run.cpp calls it when ASTRA_HAVE_CUDA_BACKEND is set.
#if defined(ASTRA_DEVICE_FLAVOR_CUDA)
#include <cuda_runtime.h>

namespace astra {

// The device chosen, or -1 when no device answers.
int select_cuda_device_for_rank(int local_rank) {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices <= 0) return -1;
  const int device = local_rank % devices;
  return cudaSetDevice(device) == cudaSuccess ? device : -1;
}

}  // namespace astra
#endif
