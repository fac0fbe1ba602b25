// `astra-sweep simulate`: one configuration from ASTRA-sim's own input files.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "host/cli/commands.hpp"
#include "host/cli/engines.hpp"
#include "host/input/chakra/chakra_workload.hpp"
#include "host/input/parsers.hpp"
#include "kernels/model/names.hpp"
#include "host/reference/per_layer_breakdown.hpp"
#include "kernels/sweep/injection_bound.hpp"

namespace astra::cli {

namespace {

nlohmann::json result_json(const SimulationResult& r, NetworkBackend backend) {
  nlohmann::json j;
  j["status"] = sim_status_name(r.status);
  j["backend"] = backend_name(backend);
  if (!r.message.empty()) j["message"] = r.message;
  if (r.status == SimStatus::Rejected) return j;
  nlohmann::json finish = nlohmann::json::array();
  for (const auto& f : r.finish_ns) finish.push_back(f ? nlohmann::json(*f) : nlohmann::json(nullptr));
  j["finish_ns_per_npu"] = finish;
  j["max_finish_ns"] = r.max_finish_ns();
  auto column = [&](auto get) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& s : r.stats) a.push_back(s ? get(*s) : nlohmann::json(nullptr));
    return a;
  };
  auto opt = [](const std::optional<std::uint64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  j["stats"] = {
      {"wall_time_ns", column([](const NpuStatistics& s) { return nlohmann::json(s.wall_ns); })},
      {"comm_time_ns", column([&](const NpuStatistics& s) { return opt(s.comm_ns); })},
      {"gpu_time_ns", column([&](const NpuStatistics& s) { return opt(s.gpu_ns); })},
      {"overlap_ns", column([&](const NpuStatistics& s) { return opt(s.overlap_ns); })},
      {"exposed_comm_ns", column([](const NpuStatistics& s) { return nlohmann::json(s.exposed_comm_ns); })},
      {"compute_ns", column([](const NpuStatistics& s) { return nlohmann::json(s.compute_ns); })},
  };
  return j;
}

void print_text(const SimulationResult& r, NetworkBackend backend, std::int64_t npus) {
  std::cout << fmt::format("status: {}  backend: {}  npus: {}\n", sim_status_name(r.status), backend_name(backend), npus);
  if (!r.message.empty()) std::cout << "message: " << r.message << "\n";
  if (r.status == SimStatus::Rejected) return;
  auto opt = [](const std::optional<std::uint64_t>& v) { return v ? std::to_string(*v) : std::string("-"); };
  std::cout << fmt::format("{:>5} {:>14} {:>14} {:>14} {:>14} {:>16} {:>14}\n", "npu", "finish_ns", "comm_time_ns",
                           "gpu_time_ns", "overlap_ns", "exposed_comm_ns", "compute_ns");
  for (std::size_t i = 0; i < r.finish_ns.size(); ++i) {
    if (!r.stats[i]) {
      std::cout << fmt::format("{:>5} {:>14}\n", i, "unfinished");
      continue;
    }
    const auto& s = *r.stats[i];
    std::cout << fmt::format("{:>5} {:>14} {:>14} {:>14} {:>14} {:>16} {:>14}\n", i, opt(r.finish_ns[i]), opt(s.comm_ns),
                             opt(s.gpu_ns), opt(s.overlap_ns), s.exposed_comm_ns, s.compute_ns);
  }
  std::cout << fmt::format("max_finish_ns: {}\n", r.max_finish_ns());
}

nlohmann::json per_layer_json(const std::vector<LayerBreakdown>& rows) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& r : rows)
    a.push_back({{"layer", r.layer}, {"pass", r.pass}, {"forward_compute_ns", r.forward_compute_ns},
                 {"input_gradient_compute_ns", r.input_gradient_compute_ns},
                 {"weight_gradient_compute_ns", r.weight_gradient_compute_ns}, {"comm_bytes", r.comm_bytes},
                 {"comm_ready_ns", r.comm_ready_ns}, {"comm_start_ns", r.comm_start_ns},
                 {"comm_finish_ns", r.comm_finish_ns}, {"comm_duration_ns", r.comm_duration_ns},
                 {"comm_exposed_ns", r.comm_exposed_ns}});
  return a;
}

void print_per_layer(const std::vector<LayerBreakdown>& rows) {
  std::cout << fmt::format("\nper layer (NPU 0):\n{:<24} {:>4} {:>14} {:>14} {:>14} {:>12} {:>14} {:>14} {:>14} {:>14} {:>14}\n",
                           "layer", "pass", "fwd_compute_ns", "ig_compute_ns", "wg_compute_ns", "comm_bytes",
                           "comm_ready_ns", "comm_start_ns", "comm_finish_ns", "comm_duration_ns", "comm_exposed_ns");
  for (const auto& r : rows)
    std::cout << fmt::format("{:<24} {:>4} {:>14} {:>14} {:>14} {:>12} {:>14} {:>14} {:>14} {:>14} {:>14}\n", r.layer,
                             r.pass, r.forward_compute_ns, r.input_gradient_compute_ns, r.weight_gradient_compute_ns,
                             r.comm_bytes, r.comm_ready_ns, r.comm_start_ns, r.comm_finish_ns, r.comm_duration_ns,
                             r.comm_exposed_ns);
  const auto t = breakdown_totals(rows);
  std::cout << fmt::format("{:<24} {:>4} compute_ns={} comm_duration_ns={} comm_exposed_ns={}\n", "total", "", t.compute_ns,
                           t.comm_duration_ns, t.comm_exposed_ns);
}

}  // namespace

void add_simulate_command(CLI::App& app, CommandContext& ctx) {
  struct Args {
    std::string network, system, collective, workload, backend = "congestion_unaware", engine = "reference";
    std::uint64_t size_bytes = 0;
    std::int64_t npus = 0;
    int passes = 1;
    double compute_scale = 1.0;
    bool json = false;
    bool per_layer = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("simulate", "Simulate one configuration given as ASTRA-sim input files");
  cmd->add_option("--network", a->network, "analytical network YAML")->required();
  cmd->add_option("--system", a->system, "system JSON")->required();
  auto* coll = cmd->add_option("--collective", a->collective, "all_reduce | all_gather | reduce_scatter | all_to_all");
  auto* size = cmd->add_option("--size-bytes", a->size_bytes, "collective size per NPU in bytes");
  cmd->add_option("--npus", a->npus, "NPU count (must equal the network's)");
  auto* wl = cmd->add_option("--workload", a->workload,
                             "ASTRA-sim 1.0 text workload, or Chakra traces: PREFIX (PREFIX.<rank>.et) or a folder of them");
  cmd->add_option("--passes", a->passes, "training passes of the text workload")->check(CLI::Range(1, 1000));
  cmd->add_option("--compute-scale", a->compute_scale, "multiplies every compute duration")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--backend", a->backend)->check(CLI::IsMember({"congestion_unaware", "congestion_aware"}));
  cmd->add_option("--engine", a->engine)->check(CLI::IsMember(engine_names()));
  cmd->add_flag("--json", a->json, "print one JSON object");
  cmd->add_flag("--per-layer", a->per_layer,
                "also break the run down per layer (compute per pass, each collective's ready/start/finish/exposed ns)");
  coll->excludes(wl);
  size->needs(coll);
  cmd->callback([a, &ctx] {
    if (a->collective.empty() == a->workload.empty())
      throw InputError("", "--collective/--workload", "give either --collective with --size-bytes, or --workload");
    const NetworkConfig network = read_network_yaml(a->network);
    const SystemConfig system =
        read_system_json(a->system, [](const std::string& m) { std::cerr << "warning: " << m << "\n"; });
    if (a->npus != 0 && a->npus != network.total_npus())
      throw InputError(a->network, "npus_count",
                       fmt::format("the network has {} NPUs but --npus is {}", network.total_npus(), a->npus));
    Workload workload;
    if (!a->collective.empty()) {
      workload = Workload::single_collective(parse_collective_name(a->collective, "", "--collective"), a->size_bytes);
    } else if (chakra::is_chakra_trace_path(a->workload)) {
      if (a->passes != 1)
        throw InputError(a->workload, "--passes", "applies to text workloads only (a trace holds every pass it runs)");
      workload = chakra::read_chakra_workload(a->workload, network.total_npus());
      chakra::check_roofline_off(workload, a->system);
      std::error_code ec;
      if (std::filesystem::exists(chakra::chakra_rank_file(workload.source, network.total_npus()), ec))
        std::cerr << "warning: " << workload.source << ": the trace set has more ranks than the network's "
                  << network.total_npus() << " NPUs; as in ASTRA-sim, only ranks 0-" << network.total_npus() - 1
                  << " are read\n";
    } else {
      workload = read_text_workload(a->workload, a->passes);
    }
    const NetworkBackend backend =
        a->backend == "congestion_aware" ? NetworkBackend::CongestionAware : NetworkBackend::CongestionUnaware;
    const SimulationResult r = make_engine(a->engine)(network, system, backend, workload, a->compute_scale);
    std::vector<LayerBreakdown> layers;
    if (a->per_layer && r.status == SimStatus::Ok) layers = per_layer_breakdown(workload, r.npu0_node_timings, a->compute_scale);
    // A lone collective: its busbw against what the NPU's links can inject (docs/physical_bounds.md).
    const bool has_busbw = !a->collective.empty() && r.status == SimStatus::Ok && r.max_finish_ns() > 0;
    double busbw = 0, bound = 0;
    if (has_busbw) {
      busbw = collective_busbw_GBps(workload.nodes[0].collective, network.total_npus(), a->size_bytes, r.max_finish_ns());
      bound = injection_bandwidth_GBps(network);
    }
    if (a->json) {
      auto j = result_json(r, backend);
      if (a->per_layer) j["per_layer"] = per_layer_json(layers);
      if (has_busbw) {
        j["busbw_GBps"] = busbw;
        j["injection_bw_GBps"] = bound;
        j["nonphysical"] = busbw > bound;
      }
      std::cout << j.dump() << "\n";
    } else {
      print_text(r, backend, network.total_npus());
      if (has_busbw) {
        std::cout << fmt::format("busbw_GBps: {:.6g} (the NPU's links inject at most {:.6g} GB/s)\n", busbw, bound);
        if (busbw > bound) std::cout << "nonphysical: " << kNonphysicalReason << "\n";
      }
      if (a->per_layer) print_per_layer(layers);
    }
    if (r.status == SimStatus::Rejected) {
      // name the file the offending field came from
      const std::string field = r.message.substr(0, r.message.find(':'));
      const bool network_field = field == "npus_count" || field == "bandwidth" || field == "latency" || field == "topology";
      const std::string size_source = a->workload.empty() ? std::string("--size-bytes") : a->workload;
      const std::string source = network_field ? a->network : field == "size_bytes" ? size_source : a->system;
      std::cerr << "error: " << source << ": " << r.message << "\n";
      ctx.exit_code = 2;
    } else if (r.status != SimStatus::Ok) {
      ctx.exit_code = 1;
    }
  });
}

}  // namespace astra::cli
