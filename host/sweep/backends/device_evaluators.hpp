// The device-path backends and how a run picks its devices. `cuda` runs the device layer
// (kernels/cuda) on NVIDIA GPUs; `thrust-omp` runs the same device code on the CPU through
// Thrust's OpenMP backend. ASTRA_HAVE_THRUST_OMP / ASTRA_HAVE_CUDA_BACKEND say which of them
// this build has.
//
// `--devices` (run, calibrate, sensitivity): which devices evaluate the batches.
//   (absent)   the current device
//   all        every device the backend sees (every GPU of an HGX node)
//   N          the first N devices
//   0,2,5      these device ordinals
// With several devices each batch is cut into one contiguous part per device, evaluated side by
// side (host/sweep/backends/multi_device_evaluator.hpp). thrust-omp has one device, the CPU;
// asked for N it runs N stand-ins side by side, so tests exercise the multi-device logic.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/sweep/backends/batch_evaluator.hpp"

namespace astra {

struct DeviceSelection {
  bool all = false;
  std::vector<int> ordinals;  // explicit list
  int count = 0;              // first N; 0 with !all and no list: the current device
  bool multiple() const { return all || ordinals.size() > 1 || count > 1; }
};

// Parses `--devices` (throws InputError naming --devices and the reason).
DeviceSelection parse_device_selection(const std::string& text);
// "all", "4" or "0,2,5" back (empty for the default).
std::string describe_device_selection(const DeviceSelection& selection);

// threads = 0: OpenMP's default.
std::unique_ptr<BatchEvaluator> make_thrust_omp_evaluator(const SweepSpec& spec, unsigned threads = 0,
                                                          const DeviceSelection& devices = {});
// The axis values of points [first, first + count), decoded by device-path threads, row-major.
void thrust_omp_decode_axis_values(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out);

// nullptr and `why_not` set when no usable GPU is present (no driver, no device, ...); an
// InputError when the selection names devices that do not exist.
std::unique_ptr<BatchEvaluator> make_cuda_evaluator(const SweepSpec& spec, std::string& why_not,
                                                    const DeviceSelection& devices = {});
void cuda_decode_axis_values(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out);

}  // namespace astra
