#include "host/study/study_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include "kernels/model/names.hpp"
#include "host/plot/gnuplot_runner.hpp"
#include "host/study/hardware_report.hpp"

namespace astra {

namespace fs = std::filesystem;

namespace {

void write_text_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << text;
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

const char* short_backend(NetworkBackend b) { return b == NetworkBackend::CongestionAware ? "aware" : "unaware"; }

const StudyDefault* find_default(const StudyResults& r, std::int32_t system, NetworkBackend b) {
  for (const auto& d : r.defaults)
    if (d.system == system && d.backend == b) return &d;
  return nullptr;
}

std::string points_csv(const StudySpec& spec, const StudyResults& r) {
  std::string s =
      "npus,backend,latency_scale,bandwidth_scale,latency_ns_dim0,bandwidth_GBps_dim0,iteration_time_ns,"
      "exposed_comm_ns,comm_time_ns,compute_ns,status,engine\n";
  for (const auto& p : r.points) {
    const auto& sys = spec.systems[static_cast<std::size_t>(p.system)];
    const bool ok = p.metrics.status == PointStatus::Ok;
    s += fmt::format("{},{},{:.6g},{:.6g},{:.6g},{:.6g},{},{},{},{},{},{}\n", sys.npus, backend_name(p.backend),
                     p.latency_scale, p.bandwidth_scale, sys.network.latency_ns[0] * p.latency_scale,
                     sys.network.bandwidth_GBps[0] * p.bandwidth_scale, ok ? std::to_string(p.metrics.finish_ns) : "",
                     ok ? std::to_string(p.metrics.exposed_comm_ns) : "", ok ? std::to_string(p.metrics.comm_ns) : "",
                     ok ? std::to_string(p.metrics.compute_ns) : "", ok ? "ok" : "rejected",
                     p.engine == EngineUsed::Fast ? "fast" : "reference");
  }
  return s;
}

std::string per_layer_csv(const std::vector<LayerBreakdown>& rows) {
  std::string s =
      "layer,pass,forward_compute_ns,input_gradient_compute_ns,weight_gradient_compute_ns,comm_bytes,comm_ready_ns,"
      "comm_start_ns,comm_finish_ns,comm_duration_ns,comm_exposed_ns\n";
  for (const auto& l : rows)
    s += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", l.layer, l.pass, l.forward_compute_ns,
                     l.input_gradient_compute_ns, l.weight_gradient_compute_ns, l.comm_bytes, l.comm_ready_ns,
                     l.comm_start_ns, l.comm_finish_ns, l.comm_duration_ns, l.comm_exposed_ns);
  return s;
}

struct ScalingRow {
  std::int64_t npus;
  NetworkBackend backend;
  std::uint64_t iteration_ns;
  std::int64_t exposed_ns;
  double efficiency;  // weak scaling: iteration time at the smallest NPU count / here
};

std::vector<ScalingRow> scaling_rows(const StudySpec& spec, const StudyResults& r) {
  std::vector<ScalingRow> rows;
  for (NetworkBackend b : spec.backends) {
    std::uint64_t base = 0;
    std::int64_t base_npus = 0;
    for (std::int32_t s = 0; s < static_cast<std::int32_t>(spec.systems.size()); ++s) {
      const StudyDefault* d = find_default(r, s, b);
      if (!d || d->result.status != SimStatus::Ok) continue;
      const auto& sys = spec.systems[static_cast<std::size_t>(s)];
      const std::uint64_t t = d->result.max_finish_ns();
      std::int64_t exposed = 0;
      for (const auto& st : d->result.stats)
        if (st) exposed = std::max(exposed, st->exposed_comm_ns);
      if (base == 0 || sys.npus < base_npus) base = t, base_npus = sys.npus;
      rows.push_back(ScalingRow{sys.npus, b, t, exposed, 0});
    }
    for (auto& row : rows)
      if (row.backend == b) row.efficiency = static_cast<double>(base) / static_cast<double>(row.iteration_ns);
  }
  std::sort(rows.begin(), rows.end(), [](const ScalingRow& a, const ScalingRow& b) {
    return std::tie(a.backend, a.npus) < std::tie(b.backend, b.npus);
  });
  return rows;
}

// ---- plots (gnuplot); each returns the PNG's file name or "" with a warning
std::string plot(const fs::path& dir, const std::string& name, const std::string& body, std::vector<std::string>& warnings) {
  const std::string png = name + ".png";
  const std::string script = "set terminal pngcairo size 1100,650 noenhanced font ',11'\nset output " +
                             gnuplot_quote((dir / png).string()) + "\n" + body;
  std::string warning;
  if (!run_gnuplot_script((dir / (name + ".gp")).string(), script, warning)) {
    warnings.push_back(warning);
    return "";
  }
  return png;
}

std::string per_layer_plot(const fs::path& dir, const std::string& csv, const std::string& title,
                           std::vector<std::string>& warnings) {
  const std::string body = "set datafile separator ','\nset title " + gnuplot_quote(title) +
                           "\nset style data histograms\nset style histogram rowstacked\nset style fill solid 0.9 border -1\n"
                           "set boxwidth 0.8\nset ylabel 'time per layer (ms)'\nset xtics rotate by 90 right font ',8'\n"
                           "set key top right\nplot " +
                           gnuplot_quote(csv) +
                           " every ::1 using ($3/1e6):xtic(1) title 'forward compute', '' every ::1 using ($4/1e6) title "
                           "'input-gradient compute', '' every ::1 using ($5/1e6) title 'weight-gradient compute', '' "
                           "every ::1 using ($11/1e6) title 'exposed all-reduce'\n";
  return plot(dir, "per_layer_stacked", body, warnings);
}

std::string scaling_plot(const fs::path& dir, const std::string& csv, std::vector<std::string>& warnings) {
  const std::string body =
      "set datafile separator ','\nset title 'ResNet-50 iteration time and exposed communication over NPUs'\n"
      "set xlabel 'NPUs'\nset logscale x 2\nset ylabel 'iteration time (ms)'\nset y2label 'exposed communication (ms)'\n"
      "set y2tics\nset ytics nomirror\nset key top left\nplot " +
      gnuplot_quote(csv) + " using ($2 == 0 ? $1 : 1/0):($3/1e6) every ::1 with linespoints title 'iteration (unaware)', '' using "
      "($2 == 1 ? $1 : 1/0):($3/1e6) every ::1 with linespoints title 'iteration (aware)', '' using ($2 == 0 ? $1 : 1/0):($4/1e6) "
      "every ::1 axes x1y2 with linespoints dt 2 title 'exposed comm (unaware)', '' using ($2 == 1 ? $1 : 1/0):($4/1e6) every ::1 "
      "axes x1y2 with linespoints dt 2 title 'exposed comm (aware)'\n";
  return plot(dir, "scaling", body, warnings);
}

std::string heatmap_plot(const fs::path& dir, const std::string& dat, std::int64_t npus, std::vector<std::string>& warnings) {
  const std::string body = fmt::format(
      "set title 'ResNet-50 on {} NPUs (congestion-unaware): exposed communication (ms) over the neighbourhood'\n"
      "set xlabel 'log2(latency factor)'\nset ylabel 'log2(bandwidth factor)'\nset view map\n"
      "set cblabel 'exposed communication (ms)'\nsplot {} using (log($1)/log(2)):(log($2)/log(2)):($3/1e6) with image notitle\n",
      npus, gnuplot_quote(dat));
  return plot(dir, fmt::format("heatmap_{}gpu", npus), body, warnings);
}

}  // namespace

std::string write_study_report(const StudySpec& spec, const StudyResults& r, const std::string& out_dir,
                               const HardwareResults* hardware) {
  const fs::path dir(out_dir);
  fs::create_directories(dir);
  std::vector<std::string> warnings;
  write_text_atomically(dir / "points.csv", points_csv(spec, r));

  // scaling table (numeric backend column for the plot: 0 unaware, 1 aware)
  const auto scaling = scaling_rows(spec, r);
  std::string scsv = "npus,backend_is_aware,iteration_time_ns,exposed_comm_ns,scaling_efficiency\n";
  for (const auto& s : scaling)
    scsv += fmt::format("{},{},{},{},{:.6f}\n", s.npus, s.backend == NetworkBackend::CongestionAware ? 1 : 0,
                        s.iteration_ns, s.exposed_ns, s.efficiency);
  write_text_atomically(dir / "scaling.csv", scsv);
  const std::string scaling_png = scaling_plot(dir, (dir / "scaling.csv").string(), warnings);

  // per-layer tables of every default point
  std::string per_layer_png;
  for (const auto& d : r.defaults) {
    if (d.layers.empty()) continue;
    const auto& sys = spec.systems[static_cast<std::size_t>(d.system)];
    const std::string name = fmt::format("per_layer_{}gpu_{}.csv", sys.npus, short_backend(d.backend));
    write_text_atomically(dir / name, per_layer_csv(d.layers));
    if (sys.npus == spec.per_layer_npus && d.backend == NetworkBackend::CongestionUnaware)
      per_layer_png = per_layer_plot(dir, (dir / name).string(),
                                     fmt::format("ResNet-50 per layer on {} NPUs (congestion-unaware, NPU 0)", sys.npus),
                                     warnings);
  }

  // heatmaps over the latency x bandwidth neighbourhood (unaware), one per system
  std::vector<std::string> heatmaps;
  for (std::int32_t s = 0; s < static_cast<std::int32_t>(spec.systems.size()); ++s) {
    std::string dat;
    double last_ls = -1;
    for (const auto& p : r.points) {
      if (p.system != s || p.backend != NetworkBackend::CongestionUnaware || p.metrics.status != PointStatus::Ok) continue;
      if (last_ls >= 0 && p.latency_scale != last_ls) dat += "\n";
      last_ls = p.latency_scale;
      dat += fmt::format("{:.6g} {:.6g} {}\n", p.latency_scale, p.bandwidth_scale, p.metrics.exposed_comm_ns);
    }
    if (dat.empty()) continue;
    const auto npus = spec.systems[static_cast<std::size_t>(s)].npus;
    const fs::path dat_path = dir / fmt::format("heatmap_{}gpu.dat", npus);
    write_text_atomically(dat_path, dat);
    const auto png = heatmap_plot(dir, dat_path.string(), npus, warnings);
    if (!png.empty()) heatmaps.push_back(png);
  }

  // ---- the Markdown report
  std::string md;
  md += fmt::format("# {}: ResNet-50 data parallel on HGX-H100\n\n", spec.name);
  md += "How long one ResNet-50 training iteration takes when every GPU (NPU) computes its layers and the\n"
        "gradients of each layer are summed across GPUs with an all-reduce over the network, as ASTRA-sim's\n"
        "analytical network model predicts it. Compute times come from ASTRA-sim's text workload\n"
        "(`Resnet50_DataParallel.txt`); communication overlaps with the backward pass, and what is left over\n"
        "at the end is *exposed communication*.\n\n";
  md += fmt::format("- workload: `{}` ({} nodes per NPU), compute scale {:.6g}{}\n", spec.workload_file,
                    spec.workload->nodes.size(), r.compute_scale,
                    spec.target_iteration_ms ? fmt::format(" (solved for {} ms per iteration on {} NPUs)",
                                                           *spec.target_iteration_ms, spec.target_npus)
                                             : std::string(" (ASTRA-sim's own values)"));
  md += fmt::format("- {} configurations evaluated in {:.2f} s ({} of them by the reference simulator)\n\n",
                    r.points.size() + r.defaults.size(), r.seconds, r.reference_points + r.defaults.size());

  md += "## Default points (each system's validated configuration)\n\n";
  md += "| NPUs | backend | network | iteration (ms) | exposed communication (ms) | ASTRA-sim's own run |\n|---|---|---|---|---|---|\n";
  double astra_seconds = 0;
  for (const auto& d : r.defaults) {
    const auto& sys = spec.systems[static_cast<std::size_t>(d.system)];
    std::int64_t exposed = 0;
    for (const auto& st : d.result.stats)
      if (st) exposed = std::max(exposed, st->exposed_comm_ns);
    std::string golden = "-";
    if (d.golden) {
      if (!d.golden->found)
        golden = fmt::format("{}: not available (../shared/golden missing)", d.golden->case_id);
      else
        golden = fmt::format("{}: {} ns, exposed {} ns: **{}**", d.golden->case_id, d.golden->astra_sim_finish_ns,
                             d.golden->astra_sim_exposed_ns, d.golden->exact ? "identical" : "DIFFERENT");
    }
    md += fmt::format("| {} | {} | `{}` | {:.6f} | {:.6f} | {} |\n", sys.npus, backend_name(d.backend),
                      fs::path(sys.network_file).filename().string(),
                      d.result.status == SimStatus::Ok ? static_cast<double>(d.result.max_finish_ns()) / 1e6 : 0.0,
                      static_cast<double>(exposed) / 1e6, golden);
  }
  for (const auto& p : r.points) astra_seconds += spec.systems[static_cast<std::size_t>(p.system)].astra_sim_seconds_per_run;
  for (const auto& d : r.defaults) astra_seconds += spec.systems[static_cast<std::size_t>(d.system)].astra_sim_seconds_per_run;
  md += fmt::format(
      "\nASTRA-sim would have taken about {:.0f} s for these {} configurations (its measured whole-process time per "
      "run on each system, from the golden runs, times the number of runs); astra-sweep took {:.2f} s.\n\n",
      astra_seconds, r.points.size() + r.defaults.size(), r.seconds);

  md += "## Scaling\n\nWeak scaling (the per-GPU work is fixed): efficiency = iteration time at the smallest NPU count / "
        "iteration time.\n\n| NPUs | backend | iteration (ms) | exposed communication (ms) | scaling efficiency |\n|---|---|---|---|---|\n";
  for (const auto& s : scaling)
    md += fmt::format("| {} | {} | {:.6f} | {:.6f} | {:.4f} |\n", s.npus, backend_name(s.backend),
                      static_cast<double>(s.iteration_ns) / 1e6, static_cast<double>(s.exposed_ns) / 1e6, s.efficiency);
  if (!scaling_png.empty()) md += "\n![iteration time and exposed communication over NPUs](" + scaling_png + ")\n";

  md += fmt::format("\n## Per layer ({} NPUs, congestion-unaware, NPU 0)\n\n", spec.per_layer_npus);
  md += "Every layer's compute in the forward and backward passes, and how much of its gradient all-reduce was exposed "
        "(no compute running). The exposed parts add up exactly to the iteration's exposed communication. Full tables: "
        "`per_layer_*.csv`.\n\n";
  if (!per_layer_png.empty()) md += "![per-layer time](" + per_layer_png + ")\n\n";
  for (const auto& d : r.defaults) {
    const auto& sys = spec.systems[static_cast<std::size_t>(d.system)];
    if (sys.npus != spec.per_layer_npus || d.backend != NetworkBackend::CongestionUnaware || d.layers.empty()) continue;
    auto top = d.layers;
    std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.comm_exposed_ns > b.comm_exposed_ns; });
    md += "| layer | all-reduce bytes | all-reduce duration (us) | exposed (us) |\n|---|---|---|---|\n";
    for (std::size_t i = 0; i < top.size() && i < 10; ++i)
      md += fmt::format("| {} | {} | {:.3f} | {:.3f} |\n", top[i].layer, top[i].comm_bytes,
                        static_cast<double>(top[i].comm_duration_ns) / 1e3, static_cast<double>(top[i].comm_exposed_ns) / 1e3);
    const auto t = breakdown_totals(d.layers);
    md += fmt::format("\nTotals: compute {} ns, all-reduce time {} ns, exposed {} ns.\n", t.compute_ns, t.comm_duration_ns,
                      t.comm_exposed_ns);
  }
  md += "\n## Latency x bandwidth neighbourhood\n\nEvery system's link latency and bandwidth (all dimensions) multiplied by "
        "the factors of the study spec; all points are in `points.csv`.\n\n";
  for (const auto& h : heatmaps) md += "![heatmap](" + h + ")\n\n";
  if (hardware && spec.hardware) md += hardware_report_section(*spec.hardware, *hardware, out_dir, warnings);
  if (!warnings.empty()) {
    md += "## Warnings\n\n";
    for (const auto& w : warnings) md += "- " + w + "\n";
  }
  const fs::path report = dir / "report.md";
  write_text_atomically(report, md);
  return report.string();
}

}  // namespace astra
