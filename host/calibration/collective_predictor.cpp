#include "host/calibration/collective_predictor.hpp"

#include "host/engine/thread_scratch.hpp"
#include "kernels/model/point_evaluator.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/workload/workload.hpp"

namespace astra::calibration {

std::optional<double> predict_collective_ns(const CollectiveSetup& s, std::uint64_t size_bytes) {
  const PointMetrics m = evaluate_collective(s.network, s.system, s.backend, s.collective, size_bytes, &thread_aware_scratch());
  if (m.status == PointStatus::Ok) return static_cast<double>(m.finish_ns);
  if (m.status == PointStatus::NeedsReference) {
    const SimulationResult r =
        simulate_reference(s.network, s.system, s.backend, Workload::single_collective(s.collective, size_bytes));
    if (r.status == SimStatus::Ok) return static_cast<double>(r.max_finish_ns());
  }
  return std::nullopt;
}

}  // namespace astra::calibration
