#include "host/calibration/fitted_config_writer.hpp"

#include <cstdio>
#include <fstream>

#include "host/input/input_error.hpp"
#include "kernels/model/beyond_model.hpp"
#include "kernels/model/names.hpp"

namespace astra::calibration {
namespace {

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

template <class F>
std::string list(int n, F item) {
  std::string out = "[ ";
  for (int i = 0; i < n; ++i) out += (i ? ", " : "") + item(i);
  return out + " ]";
}

}  // namespace

std::string network_yaml_text(const NetworkConfig& network, const std::vector<std::string>& comment_lines) {
  std::string out;
  for (const auto& c : comment_lines) out += "# " + c + "\n";
  out += "topology: " + list(network.dims, [&](int d) { return std::string(topology_name(network.topology[d])); }) + "\n";
  out += "npus_count: " + list(network.dims, [&](int d) { return std::to_string(network.npus_count[d]); }) + "\n";
  out += "bandwidth: " + list(network.dims, [&](int d) { return number(network.bandwidth_GBps[d]); }) + "  # GB/s\n";
  out += "latency: " + list(network.dims, [&](int d) { return number(network.latency_ns[d]); }) + "  # ns\n";
  return out;
}

nlohmann::json fitted_system_json(const nlohmann::json& base, const SystemConfig& system) {
  nlohmann::json out = base.is_object() ? base : nlohmann::json::object();
  out["endpoint-delay"] = system.endpoint_delay_ns;
  out["active-chunks-per-dimension"] = system.active_chunks_per_dimension;
  out["preferred-dataset-splits"] = system.preferred_dataset_splits;
  out["local-mem-bw"] = system.local_mem_bw_GBps;
  if (!out.contains("scheduling-policy")) out["scheduling-policy"] = policy_name(system.scheduling_policy);
  if (!out.contains("collective-optimization"))
    out["collective-optimization"] = system.local_bw_aware ? "localBWAware" : "baseline";
  if (system_uses_beyond_model(system)) {  // the model beyond ASTRA-sim's parameters (beyond_model.hpp)
    const char* proto[kNcclProtocols] = {"ll", "ll128", "simple"};
    for (int q = 0; q < kNcclProtocols; ++q) {
      out[std::string("nccl-") + proto[q] + "-latency-ns"] = system.nccl.protocol[q].latency_ns;
      out[std::string("nccl-") + proto[q] + "-efficiency"] = system.nccl.protocol[q].efficiency;
    }
    out["nccl-floor-ns"] = system.nccl.floor_ns;
    out["nccl-ll-max-bytes"] = system.nccl.ll_max_bytes;
    out["nccl-ll128-max-bytes"] = system.nccl.ll128_max_bytes;
    out["nccl-channel-bytes"] = system.nccl.channel_bytes;
    out["nccl-max-channels"] = system.nccl.max_channels;
    out["nccl-nvls-step-ns"] = system.nccl.nvls_step_ns;
    out["nccl-nvls-fill-steps"] = system.nccl.nvls_fill_steps;
    out["nccl-nvls-channels"] = system.nccl.nvls_channels;
    out["nccl-nvls-chunk-bytes"] = system.nccl.nvls_chunk_bytes;
    nlohmann::json protocols = nlohmann::json::array();
    for (int q = 0; q < kNcclProtocols; ++q)
      if ((system.nccl.protocol_mask >> q) & 1u) protocols.push_back(nccl_protocol_name(static_cast<NcclProtocol>(q)));
    out["nccl-protocols"] = protocols;
  }
  const char* keys[kCollectiveKinds] = {"all-reduce-implementation", "all-gather-implementation",
                                        "reduce-scatter-implementation", "all-to-all-implementation"};
  for (int c = 0; c < kCollectiveKinds; ++c) {
    if (out.contains(keys[c])) continue;
    nlohmann::json list = nlohmann::json::array();
    for (int d = 0; d < system.implementation_count[c]; ++d) {
      std::string name = algorithm_name(system.implementation[c][d].kind);
      if (system.implementation[c][d].window > 0) name += std::to_string(system.implementation[c][d].window);
      list.push_back(name);
    }
    out[keys[c]] = list;
  }
  return out;
}

void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError(path, "", "cannot write this file");
  out << text;
  if (!out) throw InputError(path, "", "writing failed");
}

}  // namespace astra::calibration
