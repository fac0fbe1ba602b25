#include "host/cli/engines.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "host/engine/host_point_evaluator.hpp"
#include "host/engine/thread_scratch.hpp"
#include "host/reference/reference_simulator.hpp"

namespace astra::cli {

std::vector<std::string> engine_names() { return {"reference", "fast"}; }

CaseEngine make_engine(const std::string& name) {
  if (name == "reference")
    return [](const NetworkConfig& n, const SystemConfig& s, NetworkBackend b, const Workload& w, double scale) {
      ReferenceOptions options;
      options.compute_scale = scale;
      return simulate_reference(n, s, b, w, options);
    };
  if (name == "fast")
    // The fast evaluator answers the maximum finish time and its statistics (all NPUs finish
    // together in the runs it covers); where it cannot answer, the reference simulator does.
    return [](const NetworkConfig& n, const SystemConfig& s, NetworkBackend b, const Workload& w, double scale) {
      const PointMetrics m = evaluate_point(n, s, b, w.view(), scale, thread_evaluator_scratch(), &thread_aware_scratch());
      if (m.status != PointStatus::Ok || m.npus_differ) {
        // outside the fast path, rejected, or NPUs finishing apart (the golden files list every
        // NPU's finish): the reference answers (and names the reason)
        ReferenceOptions options;
        options.compute_scale = scale;
        return simulate_reference(n, s, b, w, options);
      }
      SimulationResult out;
      const auto npus = static_cast<std::size_t>(n.total_npus());
      NpuStatistics st;
      st.wall_ns = m.finish_ns;
      const bool has_comm = std::any_of(w.nodes.begin(), w.nodes.end(), [](const WorkloadNode& x) { return x.kind == NodeKind::Collective; });
      const bool has_compute = std::any_of(w.nodes.begin(), w.nodes.end(), [](const WorkloadNode& x) { return x.kind == NodeKind::Compute; });
      if (has_comm) st.comm_ns = m.comm_ns;
      if (has_compute) st.gpu_ns = m.gpu_ns;
      if (m.overlap_ns > 0) st.overlap_ns = m.overlap_ns;
      st.exposed_comm_ns = m.exposed_comm_ns;
      st.compute_ns = m.compute_ns;
      out.finish_ns.assign(npus, m.finish_ns);
      out.stats.assign(npus, st);
      return out;
    };
  throw std::invalid_argument("unknown engine " + name);
}

}  // namespace astra::cli
