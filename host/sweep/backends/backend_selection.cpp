#include "host/sweep/backends/backend_selection.hpp"

#include "host/input/input_error.hpp"
#include "host/sweep/backends/device_evaluators.hpp"

namespace astra {

bool have_thrust_omp_backend() {
#if defined(ASTRA_HAVE_THRUST_OMP)
  return true;
#else
  return false;
#endif
}

bool have_cuda_backend() {
#if defined(ASTRA_HAVE_CUDA_BACKEND)
  return true;
#else
  return false;
#endif
}

namespace {

std::unique_ptr<BatchEvaluator> cpu_backend(const SweepSpec& spec, unsigned threads, const DeviceSelection& devices,
                                            const std::string& why) {
  if (devices.multiple())
    throw InputError("--devices", describe_device_selection(devices),
                     "several devices need the cuda or thrust-omp backend (" + why + ")");
  return make_cpu_evaluator(spec, threads);
}

}  // namespace

std::unique_ptr<BatchEvaluator> select_backend(const std::string& name, const SweepSpec& spec, unsigned threads,
                                               std::string& note, const DeviceSelection& devices) {
  note.clear();
  if (name == "cpu") return cpu_backend(spec, threads, devices, "--backend cpu runs on the host's threads");
  if (name == "thrust-omp") {
#if defined(ASTRA_HAVE_THRUST_OMP)
    return make_thrust_omp_evaluator(spec, threads, devices);
#else
    throw InputError("--backend", name, "this build has no thrust-omp backend (Thrust headers were not found)");
#endif
  }
  if (name == "cuda" || name == "auto") {
#if defined(ASTRA_HAVE_CUDA_BACKEND)
    std::string why_not;
    if (auto gpu = make_cuda_evaluator(spec, why_not, devices)) return gpu;
    if (name == "cuda") throw InputError("--backend", name, why_not);
    note = "auto: " + why_not + "; using the cpu backend";
#else
    if (name == "cuda") throw InputError("--backend", name, "this build has no CUDA backend (nvcc was not found)");
    const std::string why_not = "this build has no CUDA backend";
    note = "auto: " + why_not + "; using the cpu backend";
#endif
    return cpu_backend(spec, threads, devices, "auto found no GPU: " + why_not);
  }
  throw InputError("--backend", name, "unknown backend (auto, cpu, cuda, thrust-omp)");
}

}  // namespace astra
