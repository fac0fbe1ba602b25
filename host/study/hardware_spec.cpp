#include "host/study/hardware_spec.hpp"

#include <filesystem>
#include <functional>
#include <set>

#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"

namespace astra {

namespace fs = std::filesystem;

namespace {

void only_keys(const YAML::Node& n, const std::set<std::string>& keys, const std::string& file, const std::string& field) {
  if (!n.IsMap()) throw InputError(file, field, "expected a mapping");
  for (const auto& kv : n)
    if (!keys.count(kv.first.as<std::string>()))
      throw InputError(file, field + "." + kv.first.as<std::string>(), "unknown field");
}

LinkCalibration link(const YAML::Node& n, const std::string& file, const std::string& field,
                     const std::function<std::string(const std::string&)>& in_measured) {
  only_keys(n, {"table", "latency_ns", "bandwidth_GBps"}, file, field);
  if (!n["table"]) throw InputError(file, field + ".table", "missing (an nccl-tests table in measured_dir)");
  LinkCalibration c;
  c.table = in_measured(n["table"].as<std::string>());
  if (n["latency_ns"]) c.latency_range = n["latency_ns"].as<std::string>();
  if (n["bandwidth_GBps"]) c.bandwidth_range = n["bandwidth_GBps"].as<std::string>();
  return c;
}

}  // namespace

HardwareSpec parse_hardware_spec(const YAML::Node& n, const std::string& file, const std::string& base_dir) {
  const std::string field = "hardware";
  only_keys(n, {"measured_dir", "profile", "system", "intra_node", "inter_node", "grid", "anchor", "systems", "scaling"}, file,
            field);
  auto resolve = [&](const std::string& p) { return (fs::path(base_dir) / p).lexically_normal().string(); };
  HardwareSpec h;
  if (!n["measured_dir"]) throw InputError(file, field + ".measured_dir", "missing");
  h.measured_dir = resolve(n["measured_dir"].as<std::string>());
  auto in_measured = [&](const std::string& p) { return (fs::path(h.measured_dir) / p).lexically_normal().string(); };
  if (!n["profile"]) throw InputError(file, field + ".profile", "missing (a measured compute profile in measured_dir)");
  h.profile = in_measured(n["profile"].as<std::string>());
  if (!n["system"]) throw InputError(file, field + ".system", "missing (a system JSON)");
  h.system_file = resolve(n["system"].as<std::string>());
  h.system = read_system_json(h.system_file, [](const std::string&) {});
  if (!n["intra_node"] || !n["inter_node"])
    throw InputError(file, field, "needs intra_node and inter_node calibrations ({table: FILE})");
  h.intra_node = link(n["intra_node"], file, field + ".intra_node", in_measured);
  h.inter_node = link(n["inter_node"], file, field + ".inter_node", in_measured);
  if (n["grid"]) h.grid = n["grid"].as<int>();
  if (h.grid < 4 || h.grid > 1024) throw InputError(file, field + ".grid", "must be 4..1024");
  if (n["anchor"]) h.anchor = n["anchor"].as<std::string>();
  if (!n["systems"] || !n["systems"].IsSequence() || n["systems"].size() == 0)
    throw InputError(file, field + ".systems", "needs a list of measured systems");
  for (std::size_t i = 0; i < n["systems"].size(); ++i) {
    const YAML::Node s = n["systems"][i];
    const std::string f = field + ".systems[" + std::to_string(i) + "]";
    only_keys(s, {"name", "nodes", "gpus_per_node", "batch_per_gpu", "images_per_s", "source"}, file, f);
    HardwareSystem sys;
    for (const char* key : {"name", "nodes", "batch_per_gpu", "images_per_s", "source"})
      if (!s[key]) throw InputError(file, f + "." + key, "missing");
    sys.name = s["name"].as<std::string>();
    sys.nodes = s["nodes"].as<int>();
    if (s["gpus_per_node"]) sys.gpus_per_node = s["gpus_per_node"].as<int>();
    sys.batch_per_gpu = s["batch_per_gpu"].as<int>();
    sys.images_per_s = s["images_per_s"].as<double>();
    sys.source = s["source"].as<std::string>();
    if (sys.nodes < 1 || sys.nodes > 4096) throw InputError(file, f + ".nodes", "must be 1..4096");
    if (sys.gpus_per_node < 2 || sys.gpus_per_node > 64) throw InputError(file, f + ".gpus_per_node", "must be 2..64");
    if (sys.batch_per_gpu < 1) throw InputError(file, f + ".batch_per_gpu", "must be >= 1");
    if (!(sys.images_per_s > 0)) throw InputError(file, f + ".images_per_s", "must be > 0");
    for (const auto& other : h.systems)
      if (other.name == sys.name) throw InputError(file, f + ".name", "'" + sys.name + "' appears twice");
    h.systems.push_back(std::move(sys));
  }
  if (n["scaling"]) {
    only_keys(n["scaling"], {"gpus", "batch_per_gpu"}, file, field + ".scaling");
    const auto ints = [&](const char* key, std::vector<int>& out) {
      const YAML::Node v = n["scaling"][key];
      if (!v) return;
      if (!v.IsSequence() || v.size() == 0) throw InputError(file, field + ".scaling." + key, "needs a list");
      out.clear();
      for (const auto& x : v) {
        out.push_back(x.as<int>());
        if (out.back() < 1) throw InputError(file, field + ".scaling." + key, "values must be >= 1");
      }
    };
    ints("gpus", h.scaling_gpus);
    ints("batch_per_gpu", h.scaling_batches);
  }
  for (int g : h.scaling_gpus) {
    const int gpn = h.systems.front().gpus_per_node;
    if (g > gpn && g % gpn != 0)
      throw InputError(file, field + ".scaling.gpus",
                       std::to_string(g) + " is neither at most one node nor a multiple of " + std::to_string(gpn));
    if (g < 2) throw InputError(file, field + ".scaling.gpus", "needs at least 2 GPUs");
  }
  if (!h.anchor.empty()) {
    bool found = false;
    for (const auto& s : h.systems) found = found || s.name == h.anchor;
    if (!found) throw InputError(file, field + ".anchor", "'" + h.anchor + "' is not one of the systems");
  }
  return h;
}

}  // namespace astra
