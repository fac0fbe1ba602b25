// The device-path backends, implemented by kernels/cuda/sweep_launcher.cu. That one source is
// built twice: by nvcc for the GPU (`cuda`, when the toolkit is found) and by g++ on Thrust's
// OpenMP backend (`thrust-omp`), which runs the device path's logic on the CPU.
// ASTRA_HAVE_THRUST_OMP / ASTRA_HAVE_CUDA_BACKEND say which of them this build has.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sweep/batch_evaluator.hpp"

namespace astra {

// threads = 0: OpenMP's default.
std::unique_ptr<BatchEvaluator> make_thrust_omp_evaluator(const SweepSpec& spec, unsigned threads = 0);
// The axis values of points [first, first + count), decoded by device-path threads, row-major.
void thrust_omp_decode_axis_values(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out);

// nullptr and `why_not` set when no usable GPU is present (no driver, no device, ...).
std::unique_ptr<BatchEvaluator> make_cuda_evaluator(const SweepSpec& spec, std::string& why_not);
void cuda_decode_axis_values(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out);

}  // namespace astra
