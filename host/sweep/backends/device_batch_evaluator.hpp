// The device backends (`cuda`, `thrust-omp`) as one host class over the device layer's entry
// table (kernels/cuda/device_api.hpp). It owns every device buffer: the sweep's tables, one
// scratch per slot, results and pinned host buffers for two streams, and cuts each batch into
// sub-batches:
//
//   stream 0:  [eval k][copy k]            [eval k+2][copy k+2]
//   stream 1:          [eval k+1][copy k+1]          ...
//
// Results of one sub-batch travel to the host while the next is evaluated; sub-batches that use
// the scratch pool run their kernels one after another (stream_wait_for), their copies still
// overlap. Reduction-only batches evaluate sub-batch k+1 while sub-batch k is reduced.
// The same class runs on the OpenMP flavour (streams are synchronous there), so CI tests this
// logic (batch boundaries, slots, stream alternation) without a GPU.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "kernels/cuda/device_api.hpp"
#include "host/sweep/backends/batch_evaluator.hpp"

namespace astra {

struct DeviceEvaluatorOptions {
  int device = 0;                     // device ordinal (CUDA)
  unsigned host_threads = 0;          // OpenMP threads (thrust-omp); 0 = its default
  std::uint64_t sub_batch_points = 0; // 0: from the device's free memory
  std::uint64_t slots = 0;            // scratch slots; 0: resident threads, bounded by memory
  std::string device_label;           // device_name() override ("" = the device's own name)
};

std::unique_ptr<BatchEvaluator> make_device_evaluator(const DeviceApi& api, const SweepSpec& spec,
                                                      const DeviceEvaluatorOptions& options);

}  // namespace astra
