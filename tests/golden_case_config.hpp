// Test support: a golden-format case (network and system inline as JSON, see
// ../shared/golden/README.md) as the model's config structs. Deliberately small and strict:
// only what the golden cases and the property tests use.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "model/config.hpp"

namespace astra::testing {

inline AlgorithmChoice algorithm_from_name(const std::string& name) {
  auto windowed = [&](const std::string& prefix, AlgorithmKind kind) {
    AlgorithmChoice c;
    c.kind = kind;
    const std::string rest = name.substr(prefix.size());
    c.window = rest.empty() ? -1 : std::stoi(rest.substr(0, 5));
    return c;
  };
  if (name == "ring") return {AlgorithmKind::Ring, -1};
  if (name == "oneRing") return {AlgorithmKind::OneRing, -1};
  if (name == "halvingDoubling") return {AlgorithmKind::HalvingDoubling, -1};
  if (name == "oneHalvingDoubling") return {AlgorithmKind::OneHalvingDoubling, -1};
  if (name == "doubleBinaryTree") return {AlgorithmKind::DoubleBinaryTree, -1};
  if (name.rfind("oneDirect", 0) == 0) return windowed("oneDirect", AlgorithmKind::OneDirect);
  if (name.rfind("direct", 0) == 0) return windowed("direct", AlgorithmKind::Direct);
  throw std::runtime_error("unknown algorithm " + name);
}

inline CollectiveKind collective_from_name(const std::string& name) {
  if (name == "all_reduce") return CollectiveKind::AllReduce;
  if (name == "all_gather") return CollectiveKind::AllGather;
  if (name == "reduce_scatter") return CollectiveKind::ReduceScatter;
  if (name == "all_to_all") return CollectiveKind::AllToAll;
  throw std::runtime_error("unknown collective " + name);
}

inline NetworkConfig network_from_case(const nlohmann::json& j) {
  NetworkConfig n;
  n.dims = static_cast<std::int32_t>(j.at("npus_count").size());
  for (int d = 0; d < n.dims; ++d) {
    const std::string t = j.at("topology").at(d).get<std::string>();
    n.topology[d] = t == "Ring" ? TopologyKind::Ring : t == "Switch" ? TopologyKind::Switch : TopologyKind::FullyConnected;
    n.npus_count[d] = j.at("npus_count").at(d).get<std::int64_t>();
    n.bandwidth_GBps[d] = j.at("bandwidth").at(d).get<double>();
    n.latency_ns[d] = j.at("latency").at(d).get<double>();
  }
  return n;
}

inline SystemConfig system_from_case(const nlohmann::json& j) {
  SystemConfig s;
  const std::string policy = j.value("scheduling-policy", std::string("LIFO"));
  s.scheduling_policy = policy == "FIFO" ? SchedulingPolicy::FIFO
                        : policy == "EXPLICIT" ? SchedulingPolicy::EXPLICIT : SchedulingPolicy::LIFO;
  s.endpoint_delay_ns = j.value("endpoint-delay", 10);
  s.active_chunks_per_dimension = j.value("active-chunks-per-dimension", 1);
  s.preferred_dataset_splits = j.value("preferred-dataset-splits", 1);
  s.local_bw_aware = j.value("collective-optimization", std::string("baseline")) == "localBWAware";
  s.local_mem_bw_GBps = j.value("local-mem-bw", 0.0);
  const char* keys[kCollectiveKinds] = {"all-reduce-implementation", "all-gather-implementation",
                                        "reduce-scatter-implementation", "all-to-all-implementation"};
  for (int c = 0; c < kCollectiveKinds; ++c) {
    if (!j.contains(keys[c])) continue;
    const auto& list = j.at(keys[c]);
    s.implementation_count[c] = static_cast<std::int32_t>(list.size());
    for (std::size_t k = 0; k < list.size() && k < static_cast<std::size_t>(kMaxDims); ++k)
      s.implementation[c][k] = algorithm_from_name(list.at(k).get<std::string>());
  }
  return s;
}

}  // namespace astra::testing
