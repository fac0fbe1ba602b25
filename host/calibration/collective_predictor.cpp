#include "calibration/collective_predictor.hpp"

#include <cmath>

#include "model/config_check.hpp"

#if __has_include("model/point_evaluator.hpp")
#include "model/point_evaluator.hpp"
#include "reference/reference_simulator.hpp"
#include "workload/workload.hpp"
#define ASTRA_CALIBRATION_HAVE_EVALUATOR 1
#endif

namespace astra::calibration {

#if defined(ASTRA_CALIBRATION_HAVE_EVALUATOR)
std::optional<double> predict_collective_ns(const CollectiveSetup& s, std::uint64_t size_bytes) {
  const PointMetrics m = evaluate_collective(s.network, s.system, s.backend, s.collective, size_bytes);
  if (m.status == PointStatus::Ok) return static_cast<double>(m.finish_ns);
  if (m.status == PointStatus::NeedsReference) {
    const SimulationResult r =
        simulate_reference(s.network, s.system, s.backend, Workload::single_collective(s.collective, size_bytes));
    if (r.status == SimStatus::Ok) return static_cast<double>(r.max_finish_ns());
  }
  return std::nullopt;
}
#else
// DEVELOPMENT STUB until the fast evaluator lands: the closed form of spec 4.8.1 for a 1-D
// ring, chunks in lockstep, ceil(K / a) rounds. Deleted before delivery.
std::optional<double> predict_collective_ns(const CollectiveSetup& s, std::uint64_t size_bytes) {
  if (!check_network_system(s.network, s.system, s.backend).ok()) return std::nullopt;
  if (!check_collective(s.network, s.system, s.collective, size_bytes).ok()) return std::nullopt;
  const std::uint64_t p = static_cast<std::uint64_t>(s.network.npus_count[0]);
  const std::uint64_t splits = static_cast<std::uint64_t>(s.system.preferred_dataset_splits);
  std::uint64_t size = size_bytes;
  std::uint64_t chunk = size / splits;
  if (s.collective != CollectiveKind::AllGather && p > chunk) chunk = p, size = splits * p;
  const std::uint64_t k = (size + chunk - 1) / chunk;
  const std::uint64_t msg = s.collective == CollectiveKind::AllGather ? chunk : chunk / p;
  const double hops = s.network.topology[0] == TopologyKind::Switch ? 2.0 : 1.0;
  const double bw = bandwidth_bytes_per_ns(s.network.bandwidth_GBps[0]);
  const double l = std::floor(hops * s.network.latency_ns[0] + static_cast<double>(msg) / bw);
  const double m = local_mem_bytes_per_s(s.system.local_mem_bw_GBps);
  const double r = m > 0 ? 3.0 * std::floor(static_cast<double>(msg) / m * 1e9) : 0.0;
  const double d = static_cast<double>(s.system.endpoint_delay_ns);
  double sends = 0, reductions = 0;
  switch (s.collective) {
    case CollectiveKind::AllReduce: sends = 2.0 * (p - 1); reductions = p - 1; break;
    case CollectiveKind::ReduceScatter: sends = p - 1; reductions = p - 1; break;
    case CollectiveKind::AllGather: sends = p - 1; break;
    case CollectiveKind::AllToAll: sends = p * (p - 1) / 2.0; break;
  }
  const double phase = d + sends * (l + d) + reductions * r;
  const std::uint64_t a = static_cast<std::uint64_t>(s.system.active_chunks_per_dimension);
  return static_cast<double>((k + a - 1) / a) * phase;
}
#endif

}  // namespace astra::calibration
