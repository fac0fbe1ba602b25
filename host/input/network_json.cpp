// The network lists given as a JSON object (the golden cases carry the YAML's content inline):
// {"topology": [...], "npus_count": [...], "bandwidth": [...], "latency": [...]}.
#include <string>

#include <nlohmann/json.hpp>

#include "host/input/network_lists.hpp"
#include "host/input/parsers.hpp"

namespace astra {
namespace {

std::vector<std::string> json_list(const nlohmann::json& j, const char* key, bool numeric, const std::string& file) {
  const auto it = j.find(key);
  if (it == j.end()) throw InputError(file, key, "missing (expected a list with one entry per dimension)");
  if (!it->is_array()) {
    throw InputError(file, key, std::string("expected a list with one entry per dimension, got a ") + it->type_name());
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const nlohmann::json& v = (*it)[i];
    const std::string field = std::string(key) + "[" + std::to_string(i) + "]";
    if (v.is_string()) {
      out.push_back(v.get<std::string>());
    } else if (numeric && v.is_number_integer()) {
      out.push_back(std::to_string(v.get<std::int64_t>()));
    } else if (numeric && v.is_number_unsigned()) {
      out.push_back(std::to_string(v.get<std::uint64_t>()));
    } else if (numeric && v.is_number_float()) {
      out.push_back(v.dump());  // shortest text that reads back as the same double
    } else {
      throw InputError(file, field, std::string("expected ") + (numeric ? "a number" : "a string") + ", got a " +
                                        v.type_name());
    }
  }
  return out;
}

}  // namespace

NetworkConfig network_from_json(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) {
    throw InputError(file, "", std::string("expected an object with topology, npus_count, bandwidth and latency, got a ") +
                                   j.type_name());
  }
  NetworkLists lists;
  lists.topology = json_list(j, "topology", false, file);
  lists.npus_count = json_list(j, "npus_count", true, file);
  lists.bandwidth = json_list(j, "bandwidth", true, file);
  lists.latency = json_list(j, "latency", true, file);
  return network_from_lists(lists, file);
}

}  // namespace astra
