#include "host/study/hardware_report.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "host/plot/gnuplot_runner.hpp"

namespace astra {

namespace fs = std::filesystem;

namespace {

void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

std::string pct(double fraction) { return fmt::format("{:+.1f}%", 100.0 * fraction); }

// The published source of a measured table, from sources.json beside it ("" when unknown).
std::string table_source(const std::string& table) {
  std::ifstream in(fs::path(table).parent_path() / "sources.json");
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  const std::string id = fs::path(table).stem().string();
  const auto look = [&](const nlohmann::json& e) -> std::string {
    if (e.is_object() && e.value("source_id", "") == id) return e.value("url", "");
    return "";
  };
  if (j.is_array())
    for (const auto& e : j)
      if (auto u = look(e); !u.empty()) return u;
  if (j.is_object())
    for (const auto& [k, e] : j.items()) {
      if (e.is_array())
        for (const auto& x : e)
          if (auto u = look(x); !u.empty()) return u;
      if (auto u = look(e); !u.empty()) return u;
    }
  return "";
}

std::string link_row(const char* what, const LinkFit& f) {
  const std::string src = table_source(f.table);
  return fmt::format("| {} | `{}`{} | {:.1f} ns, {:.1f} GB/s | {:.2f}% / {:.2f}% ({} sizes held out) |\n", what,
                     fs::path(f.table).filename().string(), src.empty() ? "" : " (" + src + ")", f.latency_ns,
                     f.bandwidth_GBps, 100 * f.holdout_geomean_ape, 100 * f.holdout_mape, f.holdout_sizes);
}

}  // namespace

std::string hardware_summary_line(const HardwareResults& r) {
  if (!r.skipped.empty()) return "hardware: 0 comparisons (skipped: " + r.skipped + ")";
  return fmt::format("hardware: {} comparisons, median_abs_err={:.1f}%, max_abs_err={:.1f}%", r.errors.count,
                     100 * r.errors.median_abs, 100 * r.errors.max_abs);
}

std::string hardware_report_section(const HardwareSpec& spec, const HardwareResults& r, const std::string& out_dir,
                                    std::vector<std::string>& warnings) {
  const fs::path dir(out_dir);
  std::string md = "\n## Against hardware (MLPerf Training ResNet-50 on H100)\n\n";
  if (!r.skipped.empty()) return md + "Skipped: " + r.skipped + ".\n";
  md += "The same model predicts real systems when its inputs are measured: link latency and bandwidth are "
        "calibrated (`calibrate`, congestion-unaware, MAPE objective, fitted on every 2nd size) on nccl-tests "
        "all-reduce tables of H100 systems, and every layer's compute comes from a measured profile "
        "(`docs/measured_compute.md`) at each system's per-GPU batch. The prediction is one training iteration "
        "(forward, backward, gradient all-reduce per layer overlapping the backward pass); throughput = GPUs x batch "
        "per GPU / iteration time. Method and caveats: `docs/hardware_validation.md`.\n\n";
  md += fmt::format("Calibrations, profile check, {} systems and {} scaling points took {:.2f} s.\n\n", r.systems.size(),
                    r.scaling.size(), r.seconds);
  md += "### Inputs\n\n| input | source | value | held-out error (geomean APE / MAPE) |\n|---|---|---|---|\n";
  md += link_row("intra-node links (1 node, Switch)", r.intra);
  md += link_row("inter-node links (2 nodes, Switch; intra-node fixed)", r.inter);
  md += fmt::format("| compute | `{}` ({}) | per-layer forward / input-gradient / weight-gradient times at batch "
                    "128 and 256, whole steps at {} batch sizes | see the profile check below |\n",
                    fs::path(r.profile_file).filename().string(), r.profile_device.empty() ? "?" : r.profile_device,
                    r.profile_checks.size());
  md += fmt::format("| workload | `{}` | ResNet-50 data parallel, fp32 gradients, one all-reduce per layer | - |\n",
                    fs::path(r.workload_file).filename().string());
  md += fmt::format("| system | `{}` | collective implementations on every dimension | - |\n\n",
                    fs::path(spec.system_file).filename().string());

  md += "### The profile against its own whole steps\n\nThe workload's compute adds up to the measured step at every "
        "measured batch (first columns); leaving that batch's step out and predicting it from the layers and the "
        "other steps says how far the compute model carries to batches that were not measured.\n\n"
        "| batch | measured step (ms) | simulated compute (ms) | predicted without it (ms) | error |\n|---|---|---|---|---|\n";
  for (const auto& c : r.profile_checks)
    md += fmt::format("| {} | {:.3f} | {:.3f} | {:.3f} | {} |\n", c.batch, c.measured_step_ms, c.simulated_compute_ms,
                      c.held_out_step_ms, pct(c.held_out_error));

  md += "\n### Predicted vs measured\n\n| system | GPUs | batch per GPU | measured images/s | measured iteration (ms) | "
        "predicted iteration (ms) | compute (ms) | exposed comm (ms) | predicted images/s | error |";
  if (!r.anchor.empty()) md += " compute anchored: images/s | error |";
  md += "\n|---|---|---|---|---|---|---|---|---|---|";
  if (!r.anchor.empty()) md += "---|---|";
  md += "\n";
  std::string csv =
      "system,gpus,nodes,batch_per_gpu,measured_images_per_s,measured_iteration_ms,predicted_iteration_ms,compute_ms,"
      "exposed_comm_ms,predicted_images_per_s,error,anchored_images_per_s,anchored_error,is_anchor,source\n";
  for (const auto& c : r.systems) {
    md += fmt::format("| {} | {} | {} | {:.0f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.0f} | {} |", c.system.name,
                      c.gpus, c.system.batch_per_gpu, c.system.images_per_s, c.measured_iteration_ms,
                      c.predicted_iteration_ms, c.compute_ms, c.exposed_comm_ms, c.predicted_images_per_s,
                      pct(c.error));
    if (!r.anchor.empty())
      md += fmt::format(" {:.0f} | {} |", c.anchored_images_per_s,
                        c.is_anchor ? std::string("(anchor)") : pct(c.anchored_error));
    md += "\n";
    csv += fmt::format("\"{}\",{},{},{},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{},{}\n",
                       c.system.name, c.gpus, c.system.nodes, c.system.batch_per_gpu, c.system.images_per_s,
                       c.measured_iteration_ms, c.predicted_iteration_ms, c.compute_ms, c.exposed_comm_ms,
                       c.predicted_images_per_s, c.error, c.anchored_images_per_s, c.anchored_error,
                       c.is_anchor ? 1 : 0, c.system.source);
  }
  md += fmt::format("\nCompute as measured: {} comparisons, median |error| {:.1f}%, max {:.1f}% (error = predicted / "
                    "measured throughput - 1).\n",
                    r.errors.count, 100 * r.errors.median_abs, 100 * r.errors.max_abs);
  if (!r.anchor.empty())
    md += fmt::format("Compute anchored (every compute time x {:.4f}, the factor that makes `{}` match): the other {} "
                      "systems, median |error| {:.1f}%, max {:.1f}%: what the network model and the batch-size "
                      "dependence add once the single-GPU speed is right.\n",
                      r.anchor_factor, r.anchor, r.anchored_errors.count, 100 * r.anchored_errors.median_abs,
                      100 * r.anchored_errors.max_abs);
  md += "\n### Weak scaling with measured inputs\n\nThe calibrated links and the measured compute at a fixed "
        "per-GPU batch, from part of one node to several nodes (GPUs beyond one node on the inter-node Switch): "
        "where communication is exposed once compute is real. Efficiency = iteration at the fewest GPUs / "
        "iteration. Table: `hardware_scaling.csv`.\n\n"
        "| batch per GPU | GPUs | iteration (ms) | compute (ms) | exposed comm (ms) | efficiency | images/s |\n"
        "|---|---|---|---|---|---|---|\n";
  std::string scsv = "batch_per_gpu,gpus,iteration_ms,compute_ms,exposed_comm_ms,efficiency,images_per_s\n";
  for (const auto& p : r.scaling) {
    md += fmt::format("| {} | {} | {:.3f} | {:.3f} | {:.3f} | {:.4f} | {:.0f} |\n", p.batch_per_gpu, p.gpus,
                      p.iteration_ms, p.compute_ms, p.exposed_comm_ms, p.efficiency, p.images_per_s);
    scsv += fmt::format("{},{},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g}\n", p.batch_per_gpu, p.gpus, p.iteration_ms,
                        p.compute_ms, p.exposed_comm_ms, p.efficiency, p.images_per_s);
  }
  write_atomically(dir / "hardware_scaling.csv", scsv);
  md += "\nSources of the measured throughputs:\n\n";
  for (const auto& c : r.systems) md += "- " + c.system.name + ": " + c.system.source + "\n";
  write_atomically(dir / "hardware.csv", csv);

  // Plot: measured vs predicted throughput per system.
  std::string dat;
  for (const auto& c : r.systems)
    dat += fmt::format("\"{}\" {:.6g} {:.6g} {:.6g}\n", c.system.name, c.system.images_per_s, c.predicted_images_per_s,
                       r.anchor.empty() ? c.predicted_images_per_s : c.anchored_images_per_s);
  write_atomically(dir / "hardware.dat", dat);
  const std::string png = "hardware.png";
  const std::string script =
      "set terminal pngcairo size 1100,650 noenhanced font ',11'\nset output " + gnuplot_quote((dir / png).string()) +
      "\nset title 'ResNet-50 training throughput: MLPerf measured vs astra-sweep predicted'\n"
      "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\n"
      "set logscale y\nset ylabel 'images/s'\nset xtics rotate by 15 right\nset key top left\nplot " +
      gnuplot_quote((dir / "hardware.dat").string()) +
      " using 2:xtic(1) title 'measured (MLPerf)', '' using 3 title 'predicted (compute as measured)'" +
      (r.anchor.empty() ? std::string() : ", '' using 4 title 'predicted (compute anchored)'") + "\n";
  std::string warning;
  if (run_gnuplot_script((dir / "hardware.gp").string(), script, warning))
    md += "\n![measured vs predicted throughput](" + png + ")\n";
  else
    warnings.push_back(warning);
  return md;
}

}  // namespace astra
