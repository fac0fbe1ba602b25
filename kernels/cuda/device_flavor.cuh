// Which flavour of the device layer this translation unit builds, as a namespace: the same
// headers compile once by nvcc (CUDA) and once by g++ (Thrust on OpenMP) into one program, so
// everything they define lives in astra::flavor_cuda or astra::flavor_omp (an inline namespace:
// code inside still writes astra::evaluate_dispatch::...), never one definition for both.
#pragma once

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)
#define ASTRA_DEVICE_FLAVOR_NS flavor_cuda
#elif defined(ASTRA_DEVICE_FLAVOR_OMP)
#define ASTRA_DEVICE_FLAVOR_NS flavor_omp
#else
#error "kernels/cuda headers need ASTRA_DEVICE_FLAVOR_CUDA or ASTRA_DEVICE_FLAVOR_OMP (see CMakeLists.txt)"
#endif
