// The device path of a sweep: Thrust over a counting iterator, each device thread decoding its
// own point from the compiled sweep (kernels/sweep/compiled_sweep.hpp) and calling the fast
// evaluator. Host-to-device traffic is the compiled sweep's tables and the workload graph,
// copied once; only results come back.
//
// Built twice from this one file (see CMakeLists.txt):
//   nvcc                        -> ASTRA_DEVICE_FLAVOR_CUDA: make_cuda_evaluator (two streams,
//                                  pinned host buffers, batch size from cudaMemGetInfo)
//   g++ THRUST_DEVICE_SYSTEM_OMP -> ASTRA_DEVICE_FLAVOR_OMP: make_thrust_omp_evaluator
#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <thrust/copy.h>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/transform.h>

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)
#include <cuda_runtime.h>
#elif defined(ASTRA_DEVICE_FLAVOR_OMP)
#include <omp.h>
#endif

#include "sweep/device_evaluators.hpp"
#include "sweep/sweep_point_evaluation.hpp"

namespace astra {
namespace {

// Inline collectives need no scratch: one point per device thread.
struct EvaluateCollectivePoint {
  CompiledSweep sweep;
  std::uint64_t first;
  SweepPointResult* out;
  ASTRA_HD void operator()(std::uint64_t i) const {
    out[i] = evaluate_sweep_point(sweep, WorkloadGraphView{}, first + i, nullptr);
  }
};

// Workload graphs need an EvaluatorScratch (tens of KB): `slots` device threads each own one
// scratch in device memory and stride over the batch (points slot, slot + slots, ...).
struct EvaluateWorkloadSlot {
  CompiledSweep sweep;
  WorkloadGraphView graph;
  std::uint64_t first, count, slots;
  EvaluatorScratch* scratch;
  SweepPointResult* out;
  ASTRA_HD void operator()(std::uint64_t slot) const {
    for (std::uint64_t i = slot; i < count; i += slots)
      out[i] = evaluate_sweep_point(sweep, graph, first + i, scratch + slot);
  }
};

// Evaluates points [first, first + count) into device memory `out` on `policy`.
template <typename Policy>
void launch_evaluation(const Policy& policy, const CompiledSweep& sweep, const WorkloadGraphView& graph,
                       EvaluatorScratch* scratch, std::uint64_t slots, std::uint64_t first, std::uint64_t count,
                       SweepPointResult* out) {
  if (sweep.inline_collective) {
    thrust::for_each(policy, thrust::counting_iterator<std::uint64_t>(0), thrust::counting_iterator<std::uint64_t>(count),
                     EvaluateCollectivePoint{sweep, first, out});
  } else {
    const std::uint64_t used = std::min(slots, count);
    thrust::for_each(policy, thrust::counting_iterator<std::uint64_t>(0), thrust::counting_iterator<std::uint64_t>(used),
                     EvaluateWorkloadSlot{sweep, graph, first, count, used, scratch, out});
  }
}

struct DecodeAxisValues {
  CompiledSweep sweep;
  std::uint64_t first;
  double* out;
  ASTRA_HD void operator()(std::uint64_t i) const {
    double values[kMaxSweepAxes];
    decode_axis_values(sweep, first + i, values);
    for (int a = 0; a < sweep.axis_count; ++a) out[i * sweep.axis_count + a] = values[a];
  }
};

// The compiled sweep's tables and the workload graph, in device memory.
class DeviceSweepTables {
 public:
  explicit DeviceSweepTables(const SweepSpec& spec)
      : values_(spec.values.begin(), spec.values.end()),
        constraint_(spec.constraint.begin(), spec.constraint.end()) {
    sweep_ = spec.compiled();
    sweep_.values = thrust::raw_pointer_cast(values_.data());
    sweep_.constraint = thrust::raw_pointer_cast(constraint_.data());
    if (!spec.inline_collective && spec.workload) {
      nodes_.assign(spec.workload->nodes.begin(), spec.workload->nodes.end());
      deps_.assign(spec.workload->deps.begin(), spec.workload->deps.end());
      graph_.nodes = thrust::raw_pointer_cast(nodes_.data());
      graph_.node_count = static_cast<std::int32_t>(spec.workload->nodes.size());
      graph_.deps = thrust::raw_pointer_cast(deps_.data());
    }
  }
  const CompiledSweep& sweep() const { return sweep_; }
  const WorkloadGraphView& graph() const { return graph_; }

 private:
  thrust::device_vector<double> values_;
  thrust::device_vector<ConstraintInstruction> constraint_;
  thrust::device_vector<WorkloadNode> nodes_;
  thrust::device_vector<std::int32_t> deps_;
  CompiledSweep sweep_;
  WorkloadGraphView graph_{};
};

void decode_on_device(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out) {
  DeviceSweepTables tables(spec);
  const std::size_t n = count * spec.axes.size();
  thrust::device_vector<double> d_out(std::max<std::size_t>(n, 1));
  thrust::for_each(thrust::device, thrust::counting_iterator<std::uint64_t>(0),
                   thrust::counting_iterator<std::uint64_t>(count),
                   DecodeAxisValues{tables.sweep(), first, thrust::raw_pointer_cast(d_out.data())});
  thrust::copy(d_out.begin(), d_out.begin() + static_cast<std::ptrdiff_t>(n), out);
}

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)

void check_cuda(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string("CUDA ") + what + ": " + cudaGetErrorString(e));
}

// Sub-batches alternate between two streams: while one stream's kernel runs, the other's
// results travel to pinned host memory.
class CudaEvaluator final : public BatchEvaluator {
 public:
  CudaEvaluator(const SweepSpec& spec, int device) : tables_(spec) {
    cudaDeviceProp prop{};
    check_cuda(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
    name_ = prop.name;
    std::size_t free_bytes = 0, total_bytes = 0;
    check_cuda(cudaMemGetInfo(&free_bytes, &total_bytes), "cudaMemGetInfo");
    // Leave most memory to the evaluator's local scratch; results take 2 x sub_batch_ slots.
    const std::uint64_t fit = free_bytes / 8 / (2 * sizeof(SweepPointResult));
    sub_batch_ = std::clamp<std::uint64_t>(fit, 1u << 16, 1u << 22);
    if (!spec.inline_collective) {  // one scratch per slot, a quarter of free memory at most
      slots_ = std::clamp<std::uint64_t>(free_bytes / 4 / sizeof(EvaluatorScratch), 256, 16384);
      check_cuda(cudaMalloc(&scratch_, slots_ * sizeof(EvaluatorScratch)), "cudaMalloc scratch");
    }
    for (int s = 0; s < 2; ++s) {
      check_cuda(cudaStreamCreateWithFlags(&streams_[s], cudaStreamNonBlocking), "cudaStreamCreate");
      check_cuda(cudaMalloc(&device_out_[s], sub_batch_ * sizeof(SweepPointResult)), "cudaMalloc");
      check_cuda(cudaMallocHost(&pinned_[s], sub_batch_ * sizeof(SweepPointResult)), "cudaMallocHost");
    }
  }
  ~CudaEvaluator() override {
    for (int s = 0; s < 2; ++s) {
      if (streams_[s]) cudaStreamDestroy(streams_[s]);
      if (device_out_[s]) cudaFree(device_out_[s]);
      if (pinned_[s]) cudaFreeHost(pinned_[s]);
    }
    if (scratch_) cudaFree(scratch_);
  }

  void evaluate(std::uint64_t first, std::uint64_t count, SweepPointResult* out) override {
    std::uint64_t pending_offset[2] = {0, 0}, pending_count[2] = {0, 0};
    auto drain = [&](int s) {
      if (pending_count[s] == 0) return;
      check_cuda(cudaStreamSynchronize(streams_[s]), "cudaStreamSynchronize");
      std::memcpy(out + pending_offset[s], pinned_[s], pending_count[s] * sizeof(SweepPointResult));
      pending_count[s] = 0;
    };
    int s = 0;
    for (std::uint64_t offset = 0; offset < count; offset += sub_batch_, s ^= 1) {
      drain(s);
      const std::uint64_t n = std::min(sub_batch_, count - offset);
      // Both streams share the scratch pool, so workload batches run one at a time.
      if (scratch_) drain(s ^ 1);
      launch_evaluation(thrust::cuda::par_nosync.on(streams_[s]), tables_.sweep(), tables_.graph(), scratch_, slots_,
                        first + offset, n, device_out_[s]);
      check_cuda(cudaGetLastError(), "evaluate kernel");
      check_cuda(cudaMemcpyAsync(pinned_[s], device_out_[s], n * sizeof(SweepPointResult), cudaMemcpyDeviceToHost,
                                 streams_[s]),
                 "cudaMemcpyAsync");
      pending_offset[s] = offset;
      pending_count[s] = n;
    }
    drain(0);
    drain(1);
  }
  std::string backend_name() const override { return "cuda"; }
  std::string device_name() const override { return name_; }
  std::uint64_t preferred_batch_points() const override { return sub_batch_ * 8; }

 private:
  DeviceSweepTables tables_;
  std::string name_;
  std::uint64_t sub_batch_ = 1u << 20;
  cudaStream_t streams_[2] = {nullptr, nullptr};
  SweepPointResult* device_out_[2] = {nullptr, nullptr};
  SweepPointResult* pinned_[2] = {nullptr, nullptr};
  EvaluatorScratch* scratch_ = nullptr;
  std::uint64_t slots_ = 0;
};

#else  // ASTRA_DEVICE_FLAVOR_OMP

class ThrustOmpEvaluator final : public BatchEvaluator {
 public:
  ThrustOmpEvaluator(const SweepSpec& spec, unsigned threads) : tables_(spec), device_(cpu_model_name()) {
    if (threads > 0) omp_set_num_threads(static_cast<int>(threads));
    if (!spec.inline_collective) {
      slots_ = static_cast<std::uint64_t>(omp_get_max_threads()) * 4;
      scratch_.resize(slots_);
    }
  }
  void evaluate(std::uint64_t first, std::uint64_t count, SweepPointResult* out) override {
    if (results_.size() < count) results_.resize(count);
    launch_evaluation(thrust::device, tables_.sweep(), tables_.graph(), thrust::raw_pointer_cast(scratch_.data()),
                      slots_, first, count, thrust::raw_pointer_cast(results_.data()));
    thrust::copy(results_.begin(), results_.begin() + static_cast<std::ptrdiff_t>(count), out);
  }
  std::string backend_name() const override { return "thrust-omp"; }
  std::string device_name() const override { return device_; }
  std::uint64_t preferred_batch_points() const override { return std::uint64_t{1} << 18; }

 private:
  DeviceSweepTables tables_;
  thrust::device_vector<SweepPointResult> results_;
  thrust::device_vector<EvaluatorScratch> scratch_;
  std::uint64_t slots_ = 0;
  std::string device_;
};

#endif

}  // namespace

#if defined(ASTRA_DEVICE_FLAVOR_CUDA)

std::unique_ptr<BatchEvaluator> make_cuda_evaluator(const SweepSpec& spec, std::string& why_not) {
  int devices = 0;
  const cudaError_t e = cudaGetDeviceCount(&devices);
  if (e != cudaSuccess) {
    why_not = std::string("no usable CUDA device (") + cudaGetErrorName(e) + ": " + cudaGetErrorString(e) + ")";
    cudaGetLastError();  // clear the sticky error
    return nullptr;
  }
  if (devices == 0) {
    why_not = "no CUDA device present";
    return nullptr;
  }
  int device = 0;
  check_cuda(cudaGetDevice(&device), "cudaGetDevice");
  return std::make_unique<CudaEvaluator>(spec, device);
}

void cuda_decode_axis_values(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out) {
  decode_on_device(spec, first, count, out);
}

#else

std::unique_ptr<BatchEvaluator> make_thrust_omp_evaluator(const SweepSpec& spec, unsigned threads) {
  return std::make_unique<ThrustOmpEvaluator>(spec, threads);
}

void thrust_omp_decode_axis_values(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out) {
  decode_on_device(spec, first, count, out);
}

#endif

}  // namespace astra
