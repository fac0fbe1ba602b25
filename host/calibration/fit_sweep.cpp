#include "host/calibration/fit_sweep.hpp"

#include "host/sweep/spec/design_sweep.hpp"

namespace astra::calibration {

std::string sweep_axis_key(const FitParameter& p) {
  if (p.kind == ParameterKind::ActiveChunks) return "active-chunks-per-dimension";
  return p.name();  // latency_ns[d], bandwidth_GBps, endpoint_delay_ns, preferred_dataset_splits, local_mem_bw_GBps
}

SweepSpec fit_grid_sweep(const FitObjective& objective, const std::vector<std::vector<double>>& axes,
                         std::span<const std::uint64_t> sizes_bytes, std::span<const CollectiveKind> collectives) {
  const CollectiveSetup& b = objective.base();
  SweepPoint base;
  base.network = b.network;
  base.system = b.system;
  base.backend = b.backend;
  base.collective = b.collective;
  base.size_bytes = sizes_bytes.empty() ? 0 : sizes_bytes.front();
  std::vector<DesignGroup> groups;
  for (std::size_t i = axes.size(); i-- > 0;) groups.push_back({{sweep_axis_key(objective.params()[i])}, axes[i]});
  DesignGroup sizes{{"size_bytes"}, {}};
  if (!collectives.empty()) sizes.keys = {"collective", "size_bytes"};
  for (std::size_t i = 0; i < sizes_bytes.size(); ++i) {
    if (!collectives.empty()) sizes.rows.push_back(static_cast<double>(static_cast<int>(collectives[i])));
    sizes.rows.push_back(static_cast<double>(sizes_bytes[i]));
  }
  groups.push_back(std::move(sizes));
  return make_design_sweep("calibration grid", base, nullptr, groups);
}

}  // namespace astra::calibration
