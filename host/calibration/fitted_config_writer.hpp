// Writes fitted configurations as ready-to-use ASTRA-sim inputs: the analytical network YAML
// (topology, npus_count, bandwidth, latency lists) and the system JSON, which keeps every key
// of the base file and replaces only the fitted ones.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernels/model/config.hpp"

namespace astra::calibration {

std::string network_yaml_text(const NetworkConfig& network, const std::vector<std::string>& comment_lines);

// `base` is the system JSON the calibration started from (may be empty: then every modelled
// key is written).
nlohmann::json fitted_system_json(const nlohmann::json& base, const SystemConfig& system);

// Throws InputError when the file cannot be written.
void write_text_file(const std::string& path, const std::string& text);

}  // namespace astra::calibration
