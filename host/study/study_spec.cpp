#include "host/study/study_spec.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"

namespace astra {

namespace fs = std::filesystem;

namespace {

const std::set<std::string> kTopKeys = {"study", "workload", "compute_scale", "target_iteration_ms", "target_npus",
                                        "per_layer_npus", "systems", "backends", "neighbourhood", "hardware"};

std::vector<double> scale_values(const YAML::Node& n, const std::string& file, const std::string& field) {
  // a list of factors, or {logspace: [lo, hi], num: N}
  std::vector<double> out;
  if (n.IsSequence()) {
    for (const auto& v : n) out.push_back(v.as<double>());
  } else if (n.IsMap() && n["logspace"] && n["num"]) {
    const auto ends = n["logspace"];
    if (!ends.IsSequence() || ends.size() != 2) throw InputError(file, field + ".logspace", "needs [low, high]");
    const double lo = ends[0].as<double>(), hi = ends[1].as<double>();
    const int num = n["num"].as<int>();
    if (!(lo > 0 && hi >= lo)) throw InputError(file, field + ".logspace", "needs 0 < low <= high");
    if (num < 1 || num > 10000) throw InputError(file, field + ".num", "must be 1..10000");
    for (int i = 0; i < num; ++i)
      out.push_back(num == 1 ? lo : std::exp(std::log(lo) + (std::log(hi) - std::log(lo)) * i / (num - 1)));
  } else {
    throw InputError(file, field, "expected a list of factors or {logspace: [low, high], num: N}");
  }
  if (out.empty()) throw InputError(file, field, "no values");
  for (double v : out)
    if (!(v > 0)) throw InputError(file, field, "factors must be > 0");
  return out;
}

}  // namespace

StudySpec load_study_spec(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw InputError(path, "", "cannot open the study spec");
  } catch (const YAML::Exception& e) {
    throw InputError(path, "", std::string("malformed YAML: ") + e.what());
  }
  if (!root.IsMap()) throw InputError(path, "", "a study spec is a YAML mapping");
  const fs::path base = fs::path(path).parent_path();
  auto resolve = [&](const std::string& p) { return (base / p).lexically_normal().string(); };
  StudySpec s;
  s.file = path;
  try {
    for (const auto& kv : root)
      if (!kTopKeys.count(kv.first.as<std::string>()))
        throw InputError(path, kv.first.as<std::string>(), "unknown field");
    s.name = root["study"] ? root["study"].as<std::string>() : fs::path(path).stem().string();
    if (!root["workload"]) throw InputError(path, "workload", "missing (an ASTRA-sim text workload)");
    s.workload_file = resolve(root["workload"].as<std::string>());
    s.workload = std::make_shared<Workload>(read_text_workload(s.workload_file));
    if (root["compute_scale"]) s.compute_scale = root["compute_scale"].as<double>();
    if (!(s.compute_scale > 0)) throw InputError(path, "compute_scale", "must be > 0");
    if (root["target_iteration_ms"]) {
      s.target_iteration_ms = root["target_iteration_ms"].as<double>();
      if (!(*s.target_iteration_ms > 0)) throw InputError(path, "target_iteration_ms", "must be > 0");
      s.target_npus = root["target_npus"] ? root["target_npus"].as<std::int64_t>() : 8;
    }
    if (root["hardware"]) s.hardware = parse_hardware_spec(root["hardware"], path, base.string());
    if (root["per_layer_npus"]) s.per_layer_npus = root["per_layer_npus"].as<std::int32_t>();
    if (!root["systems"] || !root["systems"].IsSequence() || root["systems"].size() == 0)
      throw InputError(path, "systems", "needs a list of {npus, network, system}");
    for (std::size_t i = 0; i < root["systems"].size(); ++i) {
      const auto n = root["systems"][i];
      const std::string field = "systems[" + std::to_string(i) + "]";
      StudySystem sys;
      if (!n["network"] || !n["system"]) throw InputError(path, field, "needs network and system files");
      sys.network_file = resolve(n["network"].as<std::string>());
      sys.system_file = resolve(n["system"].as<std::string>());
      sys.network = read_network_yaml(sys.network_file);
      sys.system = read_system_json(sys.system_file, [](const std::string&) {});
      sys.npus = n["npus"] ? n["npus"].as<std::int64_t>() : sys.network.total_npus();
      if (sys.npus != sys.network.total_npus())
        throw InputError(path, field + ".npus",
                         "says " + std::to_string(sys.npus) + " but " + sys.network_file + " has " +
                             std::to_string(sys.network.total_npus()) + " NPUs");
      if (n["golden_unaware"]) sys.golden_unaware_id = n["golden_unaware"].as<std::string>();
      if (n["golden_aware"]) sys.golden_aware_id = n["golden_aware"].as<std::string>();
      if (n["astra_sim_seconds_per_run"]) sys.astra_sim_seconds_per_run = n["astra_sim_seconds_per_run"].as<double>();
      s.systems.push_back(std::move(sys));
    }
    const auto backends = root["backends"];
    if (!backends) {
      s.backends = {NetworkBackend::CongestionUnaware};
    } else {
      for (const auto& b : backends) {
        const auto name = b.as<std::string>();
        if (name == "congestion_unaware") s.backends.push_back(NetworkBackend::CongestionUnaware);
        else if (name == "congestion_aware") s.backends.push_back(NetworkBackend::CongestionAware);
        else throw InputError(path, "backends", "unknown backend '" + name + "'");
      }
    }
    const auto nb = root["neighbourhood"];
    if (!nb) throw InputError(path, "neighbourhood", "missing (latency_scale and bandwidth_scale factors)");
    for (const auto& kv : nb) {
      const auto k = kv.first.as<std::string>();
      if (k != "latency_scale" && k != "bandwidth_scale" && k != "congestion_aware")
        throw InputError(path, "neighbourhood." + k, "unknown field");
    }
    if (!nb["latency_scale"] || !nb["bandwidth_scale"])
      throw InputError(path, "neighbourhood", "needs latency_scale and bandwidth_scale");
    s.latency_scales = scale_values(nb["latency_scale"], path, "neighbourhood.latency_scale");
    s.bandwidth_scales = scale_values(nb["bandwidth_scale"], path, "neighbourhood.bandwidth_scale");
    if (nb["congestion_aware"]) {
      const auto aw = nb["congestion_aware"];
      if (!aw["latency_scale"] || !aw["bandwidth_scale"])
        throw InputError(path, "neighbourhood.congestion_aware", "needs latency_scale and bandwidth_scale");
      s.aware_latency_scales = scale_values(aw["latency_scale"], path, "neighbourhood.congestion_aware.latency_scale");
      s.aware_bandwidth_scales = scale_values(aw["bandwidth_scale"], path, "neighbourhood.congestion_aware.bandwidth_scale");
    } else {
      s.aware_latency_scales = s.latency_scales;
      s.aware_bandwidth_scales = s.bandwidth_scales;
    }
  } catch (const YAML::Exception& e) {
    throw InputError(path, "", std::string("unexpected value: ") + e.what());
  }
  return s;
}

}  // namespace astra
