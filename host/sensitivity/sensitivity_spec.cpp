#include "host/sensitivity/sensitivity_spec.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "host/calibration/collective_names.hpp"
#include "host/input/input_error.hpp"

namespace astra::sensitivity {
namespace {

std::string resolve(const std::string& spec_file, const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  const std::filesystem::path dir = std::filesystem::path(spec_file).parent_path();
  return (dir / path).lexically_normal().string();
}

template <class T>
T scalar(const YAML::Node& node, const std::string& key, const std::string& file) {
  try {
    return node[key].as<T>();
  } catch (const YAML::Exception&) {
    throw InputError(file, key, "not a valid value");
  }
}

}  // namespace

const char* metric_name(SensitivityMetric m) {
  switch (m) {
    case SensitivityMetric::CollectiveTimeNs: return "collective_time_ns";
    case SensitivityMetric::IterationTimeNs: return "iteration_time_ns";
    case SensitivityMetric::ExposedCommNs: return "exposed_comm_ns";
  }
  return "?";
}

std::optional<SensitivityMetric> parse_metric(const std::string& name) {
  if (name == "collective_time_ns") return SensitivityMetric::CollectiveTimeNs;
  if (name == "iteration_time_ns") return SensitivityMetric::IterationTimeNs;
  if (name == "exposed_comm_ns") return SensitivityMetric::ExposedCommNs;
  return std::nullopt;
}

SensitivitySpec parse_sensitivity_spec(const std::string& text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(file, "line " + std::to_string(e.mark.line + 1), "not valid YAML: " + e.msg);
  }
  if (!root.IsMap()) throw InputError(file, "", "the spec must be a YAML mapping");
  static const std::set<std::string> known = {"network", "system", "backend", "collective", "size_bytes",
                                              "workload", "passes", "metric", "parameters", "samples",
                                              "trajectories", "levels", "bootstrap", "seed"};
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    if (!known.count(key)) throw InputError(file, key, "unknown key");
  }
  SensitivitySpec s;
  s.file = file;
  if (!root["network"] || !root["system"]) throw InputError(file, "network", "network and system are required");
  s.network_path = resolve(file, scalar<std::string>(root, "network", file));
  s.system_path = resolve(file, scalar<std::string>(root, "system", file));
  if (root["backend"]) {
    const auto b = scalar<std::string>(root, "backend", file);
    if (b == "congestion_aware") s.backend = NetworkBackend::CongestionAware;
    else if (b != "congestion_unaware") throw InputError(file, "backend", "congestion_unaware or congestion_aware");
  }
  if (root["workload"]) {
    s.workload_path = resolve(file, scalar<std::string>(root, "workload", file));
    if (root["passes"]) s.passes = scalar<int>(root, "passes", file);
    if (s.passes < 1) throw InputError(file, "passes", "must be >= 1");
  }
  if (root["collective"]) {
    const auto c = calibration::collective_from_measured_name(scalar<std::string>(root, "collective", file));
    if (!c) throw InputError(file, "collective", "all_reduce, all_gather, reduce_scatter or all_to_all");
    s.collective = c;
    if (!root["size_bytes"]) throw InputError(file, "size_bytes", "a collective needs size_bytes");
    s.size_bytes = scalar<std::uint64_t>(root, "size_bytes", file);
    if (s.size_bytes == 0) throw InputError(file, "size_bytes", "must be > 0");
  }
  if (s.collective.has_value() == !s.workload_path.empty())
    throw InputError(file, "collective", "give either collective + size_bytes or workload");
  if (root["metric"]) {
    const auto m = parse_metric(scalar<std::string>(root, "metric", file));
    if (!m) throw InputError(file, "metric", "collective_time_ns, iteration_time_ns or exposed_comm_ns");
    s.metric = *m;
  } else if (!s.workload_path.empty()) {
    s.metric = SensitivityMetric::IterationTimeNs;
  }
  if (s.metric == SensitivityMetric::CollectiveTimeNs && !s.workload_path.empty())
    throw InputError(file, "metric", "collective_time_ns needs a collective; a workload gives iteration_time_ns or exposed_comm_ns");
  const YAML::Node params = root["parameters"];
  if (!params || !params.IsSequence() || params.size() == 0)
    throw InputError(file, "parameters", "a non-empty list of NAME=LOW:HIGH[:lin|log][ @ BASE]");
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::string entry = params[i].as<std::string>();
    SensitivityParameter p;
    const std::size_t at = entry.find('@');
    std::string range = entry.substr(0, at);
    while (!range.empty() && range.back() == ' ') range.pop_back();
    try {
      p.range = calibration::parse_fit_parameter(range);
    } catch (const InputError& e) {
      throw InputError(file, "parameters[" + std::to_string(i) + "]", e.reason());
    }
    if (at != std::string::npos) {
      try {
        p.base = std::stod(entry.substr(at + 1));
      } catch (const std::exception&) {
        throw InputError(file, "parameters[" + std::to_string(i) + "]", "the base after @ must be a number");
      }
    }
    s.parameters.push_back(p);
  }
  if (root["samples"]) s.samples = scalar<std::size_t>(root, "samples", file);
  if (root["trajectories"]) s.trajectories = scalar<int>(root, "trajectories", file);
  if (root["levels"]) s.levels = scalar<int>(root, "levels", file);
  if (root["bootstrap"]) s.bootstrap = scalar<std::size_t>(root, "bootstrap", file);
  if (root["seed"]) s.seed = scalar<std::uint64_t>(root, "seed", file);
  if (s.samples < 2) throw InputError(file, "samples", "must be >= 2");
  if (s.trajectories < 1) throw InputError(file, "trajectories", "must be >= 1");
  if (s.levels < 2) throw InputError(file, "levels", "must be >= 2");
  return s;
}

SensitivitySpec read_sensitivity_spec(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "cannot open the sensitivity spec");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_sensitivity_spec(ss.str(), path);
}

}  // namespace astra::sensitivity
