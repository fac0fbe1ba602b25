#include "sweep/backend_selection.hpp"

#include "input/input_error.hpp"
#include "sweep/device_evaluators.hpp"

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

std::unique_ptr<BatchEvaluator> select_backend(const std::string& name, const SweepSpec& spec, unsigned threads,
                                               std::string& note) {
  note.clear();
  if (name == "cpu") return make_cpu_evaluator(spec, threads);
  if (name == "thrust-omp") {
#if defined(ASTRA_HAVE_THRUST_OMP)
    return make_thrust_omp_evaluator(spec, threads);
#else
    throw InputError("--backend", name, "this build has no thrust-omp backend (Thrust headers were not found)");
#endif
  }
  if (name == "cuda" || name == "auto") {
#if defined(ASTRA_HAVE_CUDA_BACKEND)
    std::string why_not;
    if (auto gpu = make_cuda_evaluator(spec, why_not)) return gpu;
    if (name == "cuda") throw InputError("--backend", name, why_not);
    note = "auto: " + why_not + "; using the cpu backend";
#else
    if (name == "cuda") throw InputError("--backend", name, "this build has no CUDA backend (nvcc was not found)");
    note = "auto: this build has no CUDA backend; using the cpu backend";
#endif
    return make_cpu_evaluator(spec, threads);
  }
  throw InputError("--backend", name, "unknown backend (auto, cpu, cuda, thrust-omp)");
}

}  // namespace astra
