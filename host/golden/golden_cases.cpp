#include "host/golden/golden_cases.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "host/input/chakra/chakra_workload.hpp"
#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"

namespace astra::golden {

namespace fs = std::filesystem;

namespace {

std::string resolve_workload_file(const std::string& name, const fs::path& base) {
  for (const fs::path& candidate : {base / name, base / "inputs" / name})
    if (fs::is_regular_file(candidate)) return candidate.string();
  throw InputError(name, "workload.file", "not found in " + base.string() + " or its inputs/ folder");
}

// The trace set Chakra's converter wrote for `name` (a text file) at `npus` NPUs: a folder
// <anything>_<npus>npus under inputs/workload/ holding <stem>.0.et; empty if there is none.
std::string find_trace_prefix(const std::string& name, std::int64_t npus, const fs::path& base) {
  const std::string stem = fs::path(name).stem().string();
  const std::string suffix = "_" + std::to_string(npus) + "npus";
  for (const fs::path& root : {base / "inputs" / "workload", base / "workload"}) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    for (const auto& dir : fs::directory_iterator(root, ec)) {
      const std::string d = dir.path().filename().string();
      if (d.size() <= suffix.size() || d.compare(d.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
      const std::string prefix = (dir.path() / stem).string();
      if (fs::is_regular_file(chakra::chakra_rank_file(prefix, 0), ec)) return prefix;
    }
  }
  return {};
}

std::optional<std::int64_t> optional_int(const nlohmann::json& v) {
  if (v.is_null()) return std::nullopt;
  return v.get<std::int64_t>();
}

}  // namespace

std::vector<GoldenCase> load_golden_cases(const std::string& path, GoldenWorkloads from) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "cannot open the cases file");
  const fs::path base = fs::path(path).parent_path();
  std::map<std::pair<std::string, int>, std::shared_ptr<const Workload>> text_cache;
  std::map<std::pair<std::string, std::int64_t>, std::shared_ptr<const Workload>> trace_cache;
  std::vector<GoldenCase> cases;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      throw InputError(path, "line " + std::to_string(line_no), std::string("not JSON: ") + e.what());
    }
    GoldenCase c;
    c.id = j.value("id", "line-" + std::to_string(line_no));
    c.set = j.value("set", "?");
    c.backend_name = j.value("backend", "");
    const auto& result = j.at("result");
    c.expected_status = result.value("status", "?");
    c.failure_signature = result.value("failure_signature", "");
    if (result.contains("finish_cycles_per_npu") && result["finish_cycles_per_npu"].is_array())
      for (const auto& f : result["finish_cycles_per_npu"])
        c.expected_finish_ns.push_back(f.is_null() ? std::nullopt : std::optional<std::uint64_t>(f.get<std::uint64_t>()));
    if (result.contains("stats") && result["stats"].is_object())
      for (const auto& [name, values] : result["stats"].items())
        for (const auto& v : values) c.expected_stats[name].push_back(optional_int(v));
    const std::string where = path + ":" + std::to_string(line_no) + " (" + c.id + ")";
    try {
      if (c.backend_name == "congestion_unaware")
        c.backend = NetworkBackend::CongestionUnaware;
      else if (c.backend_name == "congestion_aware")
        c.backend = NetworkBackend::CongestionAware;
      else
        throw InputError(where, "backend", "must be congestion_unaware or congestion_aware");
      c.network = network_from_json(j.at("network"), where + " network");
      c.system = system_from_json(j.at("system"), where + " system", [](const std::string&) {});
      const auto& wl = j.at("workload");
      const std::string kind = wl.value("kind", "");
      if (kind == "collective") {
        c.collective = wl.at("collective").get<std::string>();
        const auto coll = parse_collective_name(c.collective, where, "workload.collective");
        c.workload = std::make_shared<Workload>(Workload::single_collective(coll, wl.at("size_bytes").get<std::uint64_t>()));
        c.workload_source = "collective";
      } else if (kind == "text") {
        c.collective = wl.at("file").get<std::string>();
        const int passes = wl.value("passes", 1);
        const std::int64_t npus = c.network.total_npus();
        const std::string prefix =
            from == GoldenWorkloads::Traces && passes == 1 ? find_trace_prefix(c.collective, npus, base) : std::string();
        if (!prefix.empty()) {
          auto& cached = trace_cache[{prefix, npus}];
          if (!cached) cached = std::make_shared<Workload>(chakra::read_chakra_workload(prefix, npus));
          c.workload = cached;
          c.workload_source = "et";
        } else {
          const std::string file = resolve_workload_file(c.collective, base);
          auto& cached = text_cache[{file, passes}];
          if (!cached) cached = std::make_shared<Workload>(read_text_workload(file, passes));
          c.workload = cached;
          c.workload_source = "text";
        }
      } else {
        throw InputError(where, "workload.kind", "must be collective or text");
      }
    } catch (const std::exception& e) {
      c.load_error = e.what();
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace astra::golden
