// `astra-sweep calibrate`: fits ASTRA-sim network/system parameters to measured nccl-tests
// timings. See host/calibration/README.md for the method, the objectives and worked examples.
#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "kernels/model/beyond_model.hpp"
#include "kernels/model/names.hpp"
#include "host/calibration/calibration_csv_writer.hpp"
#include "host/calibration/calibration_plots.hpp"
#include "host/calibration/calibrator.hpp"
#include "host/calibration/collective_names.hpp"
#include "host/calibration/fitted_config_writer.hpp"
#include "host/calibration/measured_file_reader.hpp"
#include "host/calibration/nccl_size_convention.hpp"
#include "host/calibration/objective_heatmap.hpp"
#include "host/cli/mpi_command.hpp"
#include "host/nightly/mpi_session.hpp"
#include "host/sweep/backends/device_evaluators.hpp"
#include "host/cli/commands.hpp"
#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"
#include "kernels/model/names.hpp"

namespace astra::cli {
namespace {

using namespace astra::calibration;

struct CalibrateArgs {
  std::vector<std::string> measured;
  std::string network, system, network_backend = "congestion_unaware", collective, time = "oop";
  std::string backend = "auto", devices;
  bool mpi = false;
  std::vector<std::string> params;
  int grid = 0;  // auto
  std::string objective = "mape";
  std::string holdout = "every-2nd";
  int regimes = 1;
  int refine_starts = 4;
  int refine_restarts = 0;
  unsigned threads = 0;
  std::string out;
  bool no_plots = false;
};

std::string percent(double fraction) {
  if (std::isnan(fraction)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * fraction);
  return buf;
}

std::string value_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string summary_text(const ErrorSummary& e, const std::vector<SizeResult>& sizes, bool held_out) {
  if (e.count == 0) return "none";
  std::size_t worst_size = 0, seen = 0;
  for (const auto& s : sizes)
    if (s.held_out == held_out && seen++ == e.max_ape_index) worst_size = s.size_bytes;
  (void)worst_size;
  return std::to_string(e.count) + " sizes, geomean_ape " + percent(e.geomean_ape) + ", mape " + percent(e.mape) +
         ", rms_log " + value_text(e.rms_log) + ", worst " + percent(e.max_ape);
}

void make_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw InputError(dir, "--out", "cannot create the folder");
}

nlohmann::json read_json_or_empty(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  return j.is_discarded() ? nlohmann::json::object() : j;
}

void run_calibrate(const CalibrateArgs& a, const MpiSession* mpi) {
  const TimeColumn column = a.time == "ip" ? TimeColumn::InPlace : TimeColumn::OutOfPlace;
  std::optional<CollectiveKind> collective;
  if (!a.collective.empty()) {
    collective = collective_from_measured_name(a.collective);
    if (!collective) throw InputError("--collective", a.collective, "not one of all_reduce, all_gather, reduce_scatter, all_to_all");
  }
  std::vector<MeasuredTable> tables;
  for (const auto& file : a.measured) tables.push_back(read_measured_file(file, column, collective));
  const MeasuredTable& table = tables.front();
  const bool joint = tables.size() > 1;

  CollectiveSetup base;
  base.network = read_network_yaml(a.network);
  base.system = read_system_json(a.system, [](const std::string& m) { std::fprintf(stderr, "warning: %s\n", m.c_str()); });
  base.backend =
      a.network_backend == "congestion_aware" ? NetworkBackend::CongestionAware : NetworkBackend::CongestionUnaware;
  base.collective = table.collective;

  CalibrationOptions options;
  for (const auto& p : a.params) options.params.push_back(parse_fit_parameter(p));
  options.grid_points_per_param = a.grid;
  options.objective = *parse_objective(a.objective);
  options.holdout = parse_holdout(a.holdout);
  options.regimes = a.regimes;
  options.refine_starts = static_cast<std::size_t>(a.refine_starts);
  options.refine_restarts = a.refine_restarts;
  options.threads = a.threads;
  options.engine_backend = a.backend;
  options.devices = parse_device_selection(a.devices);
  options.mpi = mpi;

  for (const MeasuredTable& t : tables) {
    std::printf("measured: %s (%s, %s, %s time): %zu sizes %llu..%llu B\n", t.file.c_str(), t.format.c_str(),
                collective_name(t.collective), column == TimeColumn::InPlace ? "in-place" : "out-of-place",
                t.rows.size(), static_cast<unsigned long long>(t.rows.front().size_bytes),
                static_cast<unsigned long long>(t.rows.back().size_bytes));
    for (const auto& x : t.excluded)
      std::printf("excluded: line %d, size %llu B: %s\n", x.line, static_cast<unsigned long long>(x.size_bytes),
                  x.reason.c_str());
  }
  if (options.grid_points_per_param <= 0) options.grid_points_per_param = auto_grid_points(options.params.size());
  std::printf("model: %s, %s, %d dim(s), %lld NPUs; objective %s; holdout %s; grid %d per parameter; %d regime(s)\n",
              a.network.c_str(), backend_name(base.backend), base.network.dims,
              static_cast<long long>(base.network.total_npus()), objective_name(options.objective),
              describe_holdout(options.holdout).c_str(), options.grid_points_per_param, options.regimes);
  for (const auto& t : tables) {  // say which model times the collective: ASTRA-sim's or one beyond it
    const int c = static_cast<int>(t.collective);
    std::string list;
    for (int d = 0; d < base.system.implementation_count[c]; ++d)
      list += std::string(d ? "," : "") + algorithm_name(base.system.implementation[c][d].kind);
    std::printf("collective model: %s [%s]: %s\n", collective_name(t.collective), list.c_str(),
                uses_beyond_model(base.system, t.collective)
                    ? "beyond ASTRA-sim (NCCL algorithm + protocol regimes, docs/beyond_astra_sim_models.md)"
                    : "ASTRA-sim's");
  }

  const CalibrationResult r = calibrate(base, tables, options);

  if (!r.engine_note.empty()) std::fprintf(stderr, "%s\n", r.engine_note.c_str());
  std::printf("search: %llu grid points, %llu collective predictions, grid %.3f s on %s (%s), refinement %.3f s\n",
              static_cast<unsigned long long>(r.grid_points), static_cast<unsigned long long>(r.evaluations),
              r.grid_seconds, r.engine_backend.c_str(), r.engine_device.c_str(), r.refine_seconds);
  std::printf("%14s %14s %14s %9s %8s %6s%s\n", "size_bytes", "measured_us", "predicted_us", "ape", "split", "regime",
              joint ? "  collective" : "");
  for (const auto& s : r.sizes)
    std::printf("%14llu %14.3f %14.3f %9s %8s %6zu%s%s\n", static_cast<unsigned long long>(s.size_bytes), s.measured_us,
                s.predicted_us, percent(s.ape).c_str(), s.held_out ? "holdout" : "fit", s.regime + 1,
                joint ? "  " : "", joint ? collective_name(s.collective) : "");
  for (std::size_t k = 0; k < r.regimes.size(); ++k) {
    const auto& g = r.regimes[k];
    std::string params;
    for (std::size_t i = 0; i < options.params.size(); ++i)
      params += " " + options.params[i].name() + "=" + value_text(g.values[i]);
    std::printf("regime %zu: sizes [%llu, %s) B:%s\n", k + 1, static_cast<unsigned long long>(g.from_bytes),
                g.to_bytes ? std::to_string(g.to_bytes).c_str() : "inf", params.c_str());
    std::printf("  fit: %s\n  holdout: %s\n", summary_text(g.fit, r.sizes, false).c_str(),
                summary_text(g.holdout, r.sizes, true).c_str());
  }
  if (joint)
    for (std::size_t t = 0; t < r.tables.size(); ++t) {
      std::vector<SizeResult> mine;
      for (const auto& s : r.sizes)
        if (s.table == t) mine.push_back(s);
      std::printf("table %zu (%s, %s):\n  fit: %s\n  holdout: %s\n", t + 1, r.tables[t].file.c_str(),
                  collective_name(r.tables[t].collective), summary_text(r.tables[t].fit, mine, false).c_str(),
                  summary_text(r.tables[t].holdout, mine, true).c_str());
    }
  std::printf("overall fit: %s\n", summary_text(r.fit, r.sizes, false).c_str());
  std::printf("overall holdout: %s\n", summary_text(r.holdout, r.sizes, true).c_str());
  std::printf("(geomean_ape = exp(mean ln max(APE, 1e-6)), APE = |pred - meas| / meas; mape = mean APE)\n");

  if (!a.out.empty()) {
    make_dir(a.out);
    write_text_file(a.out + "/calibration.csv", calibration_csv_text(r));
    const nlohmann::json base_system = read_json_or_empty(a.system);
    for (std::size_t k = 0; k < r.regimes.size(); ++k) {
      const std::string suffix = r.regimes.size() > 1 ? "_regime" + std::to_string(k + 1) : "";
      std::string measured_files;
      for (const auto& f : a.measured) measured_files += (measured_files.empty() ? "" : ", ") + f;
      std::vector<std::string> comments = {"Fitted by astra-sweep calibrate to " + measured_files,
                                           "base: " + a.network + "; objective " + objective_name(options.objective)};
      if (r.regimes.size() > 1)
        comments.push_back("for sizes [" + std::to_string(r.regimes[k].from_bytes) + ", " +
                           (r.regimes[k].to_bytes ? std::to_string(r.regimes[k].to_bytes) : std::string("inf")) + ") B");
      write_text_file(a.out + "/network" + suffix + ".yml", network_yaml_text(r.regimes[k].setup.network, comments));
      write_text_file(a.out + "/system" + suffix + ".json",
                      fitted_system_json(base_system, r.regimes[k].setup.system).dump(4) + "\n");
    }
    // Heatmap over the latency x bandwidth plane around the (first regime's) fit.
    FitData fit;
    for (const auto& s : r.sizes)
      if (!s.held_out && s.regime == 0) {
        fit.sizes_bytes.push_back(astra_size_from_nccl_size(s.collective, s.size_bytes, base.network.total_npus()));
        fit.measured_ns.push_back(s.measured_us * 1000);
        if (joint) fit.collectives.push_back(s.collective);
      }
    const FitObjective objective(base, options.params, options.objective);
    // The congestion-aware backend runs the reference simulator per point: a coarser map.
    const int steps = base.backend == NetworkBackend::CongestionAware ? 16 : 64;
    const ObjectiveHeatmap map = objective_heatmap(objective, fit, r.regimes[0].values, steps, options.threads);
    write_text_file(a.out + "/heatmap.dat", heatmap_data_text(map));
    if (!a.no_plots) {
      std::string warning;
      const auto& net = r.regimes[0].setup.network;
      if (!draw_calibration_plots(a.out, joint ? "joint" : collective_name(table.collective), objective_name(options.objective),
                                  net.latency_ns[0], net.bandwidth_GBps[0], warning))
        std::fprintf(stderr, "warning: %s\n", warning.c_str());
    }
    std::printf("wrote: %s/{calibration.csv,network*.yml,system*.json,heatmap.dat%s}\n", a.out.c_str(),
                a.no_plots ? "" : ",*.png");
  }

  std::string last = "calibration: geomean_ape_fit=" + percent(r.fit.geomean_ape) +
                     " geomean_ape_holdout=" + percent(r.holdout.geomean_ape);
  for (std::size_t k = 0; k < r.regimes.size(); ++k)
    for (std::size_t i = 0; i < options.params.size(); ++i)
      last += " " + (r.regimes.size() > 1 ? "r" + std::to_string(k + 1) + "." : std::string()) +
              options.params[i].name() + "=" + value_text(r.regimes[k].values[i]);
  std::printf("%s\n", last.c_str());
  std::fflush(stdout);
}

}  // namespace

void add_calibrate_command(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<CalibrateArgs>();
  CLI::App* sub = app.add_subcommand("calibrate", "Fit network/system parameters to measured nccl-tests timings");
  sub->add_option("measured", args->measured,
                  "nccl-tests output as printed, or CSV (collective,size_bytes,time_us); several files: one joint fit")
      ->required();
  sub->add_option("--network", args->network, "base analytical network YAML")->required();
  sub->add_option("--system", args->system, "base system JSON")->required();
  sub->add_option("--network-backend", args->network_backend,
                  "ASTRA-sim's network model: congestion_unaware (default) or congestion_aware")
      ->check(CLI::IsMember({"congestion_unaware", "congestion_aware"}));
  sub->add_option("--backend", args->backend,
                  "what evaluates the grid, as in `run`: auto (default) | cpu | cuda | thrust-omp "
                  "(congestion_unaware / congestion_aware still mean --network-backend)")
      ->check(CLI::IsMember({"auto", "cpu", "cuda", "thrust-omp", "congestion_unaware", "congestion_aware"}));
  sub->add_option("--devices", args->devices, "cuda/thrust-omp devices: all | N | 0,2,5 (as in `run`)");
  sub->add_flag("--mpi", args->mpi,
                "under mpirun: the ranks share the grid (each its node-local GPU); rank 0 prints and writes");
  sub->add_option("--collective", args->collective, "the measured collective when the file does not say");
  sub->add_option("--time", args->time, "nccl-tests time column: oop (out-of-place, default) or ip")
      ->check(CLI::IsMember({"oop", "ip"}));
  sub->add_option("--param", args->params, "NAME[ [DIM] ]=LOW:HIGH[:lin|log], repeatable (e.g. latency_ns=100:3000:log)")
      ->required();
  sub->add_option("--grid", args->grid,
                  "grid points per parameter (default: 256, fewer with more than 3 parameters so that the grid "
                  "stays within 2^24 points: 4 -> 64, 6 -> 16, 8 -> 8)")
      ->check(CLI::Range(1, 1 << 20));
  sub->add_option("--objective", args->objective, "mape (default), rms_log or geomean_ape")
      ->check(CLI::IsMember({"rms_log", "geomean_ape", "mape"}));
  sub->add_option("--holdout", args->holdout, "every-2nd (default), none, or random:FRACTION[:SEED]");
  sub->add_option("--regimes", args->regimes, "size regimes with their own parameters (default 1)")
      ->check(CLI::Range(1, 8));
  sub->add_option("--refine-starts", args->refine_starts, "Nelder-Mead runs per regime (default 4)")
      ->check(CLI::Range(1, 64));
  sub->add_option("--refine-restarts", args->refine_restarts,
                  "restart each Nelder-Mead run from its result while that lowers the objective, at most N times "
                  "(default 0)")
      ->check(CLI::Range(0, 64));
  sub->add_option("--threads", args->threads, "worker threads (default: all cores)");
  sub->add_option("--out", args->out, "folder for calibration.csv, fitted configs and plots");
  sub->add_flag("--no-plots", args->no_plots, "do not run gnuplot");
  sub->callback([args, &ctx] {
    if (args->backend == "congestion_unaware" || args->backend == "congestion_aware") {
      std::fprintf(stderr, "note: --backend %s is read as --network-backend %s (--backend now picks cpu/cuda/thrust-omp)\n",
                   args->backend.c_str(), args->backend.c_str());
      args->network_backend = args->backend;
      args->backend = "auto";
    }
    run_with_optional_mpi(args->mpi, args->backend, args->devices, args->out,
                          [&](const MpiSession* session) { run_calibrate(*args, session); });
    ctx.exit_code = 0;
  });
}

}  // namespace astra::cli
