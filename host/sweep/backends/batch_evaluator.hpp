// A backend that evaluates a contiguous range of a sweep's points with the fast evaluator:
// `cpu` (std::thread workers), `thrust-omp` and `cuda` (host/sweep/backends/, over kernels/cuda).
// Each decodes its points itself from the compiled sweep; only the results come back, or with
// evaluate_reduced only the batch's reduction (host/sweep/backends/sweep_reduction.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "kernels/sweep/sweep_point_evaluation.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {

struct ReductionPlan;
struct BatchReduction;

class BatchEvaluator {
 public:
  virtual ~BatchEvaluator() = default;
  // out[i] = the fast evaluator's result for point first + i, i < count.
  virtual void evaluate(std::uint64_t first, std::uint64_t count, SweepPointResult* out) = 0;
  // Evaluates points [first, first + count) and reduces them by `plan` into `out` (reset first):
  // only the reduction and the NeedsReference points come back. The default evaluates every
  // point into host memory and runs reduce_on_host; the device backends reduce on the device.
  virtual void evaluate_reduced(std::uint64_t first, std::uint64_t count, const ReductionPlan& plan,
                                BatchReduction& out);
  virtual std::string backend_name() const = 0;  // "cpu", "thrust-omp", "cuda"
  virtual std::string device_name() const = 0;   // CPU model or GPU name
  virtual std::uint64_t preferred_batch_points() const = 0;
};

// threads = 0: every hardware thread.
std::unique_ptr<BatchEvaluator> make_cpu_evaluator(const SweepSpec& spec, unsigned threads = 0);

// The CPU model from /proc/cpuinfo ("unknown CPU" when absent).
std::string cpu_model_name();

// Runs fn(i) for i in [0, count) on `threads` std::threads, handing out chunks of `chunk`
// indices from an atomic counter.
template <typename Fn>
void parallel_for_chunks(std::uint64_t count, unsigned threads, std::uint64_t chunk, Fn&& fn);

}  // namespace astra

#include "host/sweep/parallel_for_chunks.hpp"
