#include "host/study/resnet_study.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "host/golden/golden_cases.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/sweep/parallel_for_chunks.hpp"

namespace astra {

NetworkConfig scaled_network(const NetworkConfig& base, double latency_scale, double bandwidth_scale) {
  NetworkConfig n = base;
  for (int d = 0; d < n.dims; ++d) {
    n.latency_ns[d] *= latency_scale;
    n.bandwidth_GBps[d] *= bandwidth_scale;
  }
  return n;
}

double solve_compute_scale(const StudySystem& system, const Workload& workload, double target_ns) {
  auto iteration_ns = [&](double scale) {
    const auto r = evaluate_on_host(system.network, system.system, NetworkBackend::CongestionUnaware, workload, scale);
    if (r.metrics.status != PointStatus::Ok) throw std::runtime_error("the target system's default point is rejected");
    return static_cast<double>(r.metrics.finish_ns);
  };
  double lo = 1e-9, hi = 1e6;
  if (iteration_ns(lo) > target_ns)
    throw std::runtime_error("target iteration time is shorter than the communication alone");
  for (int i = 0; i < 200 && hi / lo > 1 + 1e-12; ++i) {
    const double mid = std::sqrt(lo * hi);
    (iteration_ns(mid) < target_ns ? lo : hi) = mid;
  }
  return std::fabs(iteration_ns(lo) - target_ns) <= std::fabs(iteration_ns(hi) - target_ns) ? lo : hi;
}

namespace {

std::optional<GoldenComparison> compare_with_golden(const std::vector<golden::GoldenCase>& cases, const std::string& id,
                                                    const SimulationResult& r) {
  if (id.empty()) return std::nullopt;
  GoldenComparison g;
  g.case_id = id;
  for (const auto& c : cases) {
    if (c.id != id || c.expected_status != "ok") continue;
    g.found = true;
    for (const auto& f : c.expected_finish_ns) g.astra_sim_finish_ns = std::max(g.astra_sim_finish_ns, f.value_or(0));
    const auto it = c.expected_stats.find("exposed_communication_cycles");
    bool exposed_equal = it != c.expected_stats.end() && it->second.size() == r.stats.size();
    for (std::size_t i = 0; exposed_equal && i < r.stats.size(); ++i)
      exposed_equal = r.stats[i] && it->second[i] && *it->second[i] == r.stats[i]->exposed_comm_ns;
    if (it != c.expected_stats.end() && !it->second.empty() && it->second[0]) g.astra_sim_exposed_ns = *it->second[0];
    g.exact = exposed_equal && r.finish_ns == c.expected_finish_ns;
  }
  return g;
}

}  // namespace

StudyResults run_study(const StudySpec& spec, unsigned threads, const std::string& golden_cases) {
  const auto start = std::chrono::steady_clock::now();
  StudyResults out;
  out.compute_scale = spec.compute_scale;
  if (spec.target_iteration_ms) {
    const StudySystem* target = nullptr;
    for (const auto& s : spec.systems)
      if (s.npus == spec.target_npus) target = &s;
    if (!target) throw std::runtime_error("target_npus matches no system of the study");
    out.compute_scale = solve_compute_scale(*target, *spec.workload, *spec.target_iteration_ms * 1e6);
  }

  // the neighbourhood grid, both backends
  for (std::int32_t s = 0; s < static_cast<std::int32_t>(spec.systems.size()); ++s)
    for (NetworkBackend b : spec.backends) {
      const bool aware = b == NetworkBackend::CongestionAware;
      for (double ls : aware ? spec.aware_latency_scales : spec.latency_scales)
        for (double bs : aware ? spec.aware_bandwidth_scales : spec.bandwidth_scales)
          out.points.push_back(StudyPoint{s, b, ls, bs, {}, EngineUsed::Fast});
    }
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  parallel_for_chunks(out.points.size(), threads, 16, [&](unsigned, std::uint64_t i) {
    StudyPoint& p = out.points[i];
    const StudySystem& sys = spec.systems[static_cast<std::size_t>(p.system)];
    const auto r = evaluate_on_host(scaled_network(sys.network, p.latency_scale, p.bandwidth_scale), sys.system,
                                    p.backend, *spec.workload, out.compute_scale);
    p.metrics = r.metrics;
    p.engine = r.engine;
  });
  for (const auto& p : out.points) out.reference_points += p.engine == EngineUsed::Reference;

  // every system's default point in full (reference simulator: every NPU, per-layer detail)
  std::vector<golden::GoldenCase> cases;
  if (!golden_cases.empty() && std::filesystem::exists(golden_cases)) cases = golden::load_golden_cases(golden_cases);
  for (std::int32_t s = 0; s < static_cast<std::int32_t>(spec.systems.size()); ++s)
    for (NetworkBackend b : spec.backends) out.defaults.push_back(StudyDefault{s, b, {}, {}, std::nullopt});
  parallel_for_chunks(out.defaults.size(), threads, 1, [&](unsigned, std::uint64_t i) {
    StudyDefault& d = out.defaults[i];
    const StudySystem& sys = spec.systems[static_cast<std::size_t>(d.system)];
    ReferenceOptions options;
    options.compute_scale = out.compute_scale;
    d.result = simulate_reference(sys.network, sys.system, d.backend, *spec.workload, options);
    if (d.result.status == SimStatus::Ok)
      d.layers = per_layer_breakdown(*spec.workload, d.result.npu0_node_timings, out.compute_scale);
    // ASTRA-sim's numbers hold for the unscaled workload only
    if (out.compute_scale == 1.0)
      d.golden = compare_with_golden(
          cases, d.backend == NetworkBackend::CongestionAware ? sys.golden_aware_id : sys.golden_unaware_id, d.result);
  });
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace astra
