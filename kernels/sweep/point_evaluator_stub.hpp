// TEMPORARY stub of kernels/model/point_evaluator.hpp (deleted before delivery).
#pragma once
#include <cstdint>
#include "model/config.hpp"
#include "model/config_check.hpp"
#include "model/compute_time.hpp"
#include "model/workload_graph.hpp"
namespace astra {
enum class PointStatus : std::uint8_t { Ok = 0, Rejected = 1, NeedsReference = 2 };
struct PointMetrics { PointStatus status; std::uint64_t finish_ns, comm_ns, gpu_ns, overlap_ns; std::int64_t exposed_comm_ns; std::uint64_t compute_ns; };
struct EvaluatorScratch { int unused; };
ASTRA_HD_INLINE PointMetrics evaluate_collective(const NetworkConfig& n, const SystemConfig& s, NetworkBackend b, CollectiveKind c, std::uint64_t size) {
  PointMetrics m{};
  if (!check_network_system(n, s, b).ok() || !check_collective(n, s, c, size).ok()) { m.status = PointStatus::Rejected; return m; }
  if (b == NetworkBackend::CongestionAware) { m.status = PointStatus::NeedsReference; return m; }
  double t = 0; for (int d = 0; d < n.dims; ++d) t += n.latency_ns[d] * (n.npus_count[d] - 1) + size / bandwidth_bytes_per_ns(n.bandwidth_GBps[d]);
  m.status = PointStatus::Ok; m.finish_ns = static_cast<std::uint64_t>(t) + s.endpoint_delay_ns; m.comm_ns = m.finish_ns; m.exposed_comm_ns = m.finish_ns; return m;
}
ASTRA_HD_INLINE PointMetrics evaluate_point(const NetworkConfig& n, const SystemConfig& s, NetworkBackend b, const WorkloadGraphView& g, double scale, EvaluatorScratch&) {
  PointMetrics m{}; m.status = PointStatus::Ok;
  for (int i = 0; i < g.node_count; ++i) {
    if (g.nodes[i].kind == NodeKind::Compute) m.compute_ns += compute_duration_ns(g.nodes[i].duration_us, scale);
    else { PointMetrics c = evaluate_collective(n, s, b, g.nodes[i].collective, g.nodes[i].size_bytes); if (c.status != PointStatus::Ok) return c; m.comm_ns += c.finish_ns; }
  }
  m.gpu_ns = m.compute_ns; m.finish_ns = m.compute_ns + m.comm_ns / 4; m.overlap_ns = m.gpu_ns + m.comm_ns - m.finish_ns; m.exposed_comm_ns = (std::int64_t)m.finish_ns - (std::int64_t)m.compute_ns; return m;
}
}
