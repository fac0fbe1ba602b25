// Readers for ASTRA-sim's own input files, unchanged. Every reader throws InputError naming the
// file, the field and the reason on bad input; none of them crashes, hangs or guesses.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "host/input/input_error.hpp"
#include "kernels/model/config.hpp"
#include "host/workload/workload.hpp"

namespace astra {

// Called once per system-JSON key that the analytical backends do not model.
using WarningSink = std::function<void(const std::string& message)>;

// ---- network: the analytical backend's YAML (topology, npus_count, bandwidth, latency lists)
NetworkConfig parse_network_yaml(std::string_view text, const std::string& file);
NetworkConfig read_network_yaml(const std::string& path);
// The same content given as JSON (the golden cases carry it inline).
NetworkConfig network_from_json(const nlohmann::json& j, const std::string& file);

// ---- system: the system JSON
SystemConfig parse_system_json(std::string_view text, const std::string& file, const WarningSink& warn = {});
SystemConfig read_system_json(const std::string& path, const WarningSink& warn = {});
SystemConfig system_from_json(const nlohmann::json& j, const std::string& file, const WarningSink& warn = {});

// ---- workloads
// An ASTRA-sim 1.0 text workload, converted to the node graph Chakra's text converter writes
// (`converter Text --num-npus N --num-passes K`): DATA, MODEL, HYBRID_DATA_MODEL,
// HYBRID_MODEL_DATA, HYBRID_DLRM(_ENHANCED), MICRO.
Workload parse_text_workload(std::string_view text, const std::string& file, int passes = 1);
Workload read_text_workload(const std::string& path, int passes = 1);

// Names as used on the command line and in files.
CollectiveKind parse_collective_name(std::string_view name, const std::string& file, const std::string& field);
AlgorithmChoice parse_algorithm_name(std::string_view name, const std::string& file, const std::string& field);
TopologyKind parse_topology_name(std::string_view name, const std::string& file, const std::string& field);

}  // namespace astra
