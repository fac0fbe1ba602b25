// DEVELOPMENT STUB (calibrate branch only): minimal readers until host/input/parsers lands.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "input/parsers.hpp"

namespace astra {

NetworkConfig read_network_yaml(const std::string& path) {
  YAML::Node y = YAML::LoadFile(path);
  NetworkConfig n;
  n.dims = static_cast<int>(y["npus_count"].size());
  for (int d = 0; d < n.dims; ++d) {
    const std::string t = y["topology"][d].as<std::string>();
    n.topology[d] = t == "Ring" ? TopologyKind::Ring : t == "Switch" ? TopologyKind::Switch : TopologyKind::FullyConnected;
    n.npus_count[d] = y["npus_count"][d].as<long long>();
    n.bandwidth_GBps[d] = y["bandwidth"][d].as<double>();
    n.latency_ns[d] = y["latency"][d].as<double>();
  }
  return n;
}

SystemConfig read_system_json(const std::string& path, const WarningSink&) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str());
  SystemConfig s;
  s.endpoint_delay_ns = j.value("endpoint-delay", 10);
  s.active_chunks_per_dimension = j.value("active-chunks-per-dimension", 1);
  s.preferred_dataset_splits = j.value("preferred-dataset-splits", 1);
  s.local_mem_bw_GBps = j.value("local-mem-bw", 0.0);
  s.local_bw_aware = j.value("collective-optimization", std::string("baseline")) == "localBWAware";
  for (int c = 0; c < kCollectiveKinds; ++c) {
    s.implementation_count[c] = 1;
    s.implementation[c][0].kind = AlgorithmKind::Ring;
  }
  return s;
}

}  // namespace astra
