// The analytical backend's network YAML (yaml-cpp): `topology`, `npus_count`, `bandwidth` and
// `latency`, each a list with one entry per dimension, flow (`[ 8, 2 ]`) or block style.
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "host/input/file_text.hpp"
#include "host/input/network_lists.hpp"
#include "host/input/parsers.hpp"
#include "host/input/quoted_text.hpp"

namespace astra {
namespace {

std::string where(const YAML::Mark& mark) {
  if (mark.is_null()) return "";
  return " at line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

bool only_blank_or_comments(std::string_view text) {
  bool in_comment = false;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      in_comment = false;
    } else if (in_comment) {
      continue;
    } else if (c == '#') {
      in_comment = true;
    } else if (c != ' ' && c != '\t') {
      return false;
    }
  }
  return true;
}

std::vector<std::string> scalar_list(const YAML::Node& root, const char* key, const std::string& file) {
  const YAML::Node node = root[key];
  if (!node.IsDefined()) throw InputError(file, key, "missing (expected a list such as " + std::string(key) + ": [ ... ])");
  if (node.IsNull()) throw InputError(file, key, "has no value; expected a list with one entry per dimension" + where(node.Mark()));
  if (!node.IsSequence()) {
    throw InputError(file, key, "expected a list with one entry per dimension (e.g. [ 8, 2 ])" + where(node.Mark()));
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    if (!item.IsScalar()) {
      throw InputError(file, std::string(key) + "[" + std::to_string(i) + "]",
                       std::string(item.IsNull() ? "the entry is empty" : "expected a single value, not a list or mapping") +
                           where(item.Mark()));
    }
    out.push_back(item.Scalar());
  }
  return out;
}

}  // namespace

NetworkConfig parse_network_yaml(std::string_view text, const std::string& file) {
  if (only_blank_or_comments(text)) {
    throw InputError(file, "", "empty file (expected topology, npus_count, bandwidth and latency lists)");
  }
  NetworkLists lists;
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsMap()) {
      throw InputError(file, "", "expected a mapping with the keys topology, npus_count, bandwidth and latency" +
                                     where(root.Mark()));
    }
    lists.topology = scalar_list(root, "topology", file);
    lists.npus_count = scalar_list(root, "npus_count", file);
    lists.bandwidth = scalar_list(root, "bandwidth", file);
    lists.latency = scalar_list(root, "latency", file);
  } catch (const YAML::Exception& e) {
    throw InputError(file, "", "malformed YAML" + where(e.mark) + ": " + printable(e.msg));
  }
  return network_from_lists(lists, file);
}

NetworkConfig read_network_yaml(const std::string& path) { return parse_network_yaml(read_input_file(path), path); }

}  // namespace astra
