// `astra-sweep run SPEC`: evaluates every point of a sweep spec and writes one row per point.
//
//   astra-sweep run sweeps/hgx_h100_latency_bandwidth_size.yaml --out grid.csv
//   astra-sweep run spec.yaml --backend cpu --top-k 10 --by busbw_GBps --out best.jsonl
//   astra-sweep run spec.yaml --summary-only --histogram busbw_GBps:40 --histogram-out h.csv
//   astra-sweep run sweeps/resnet50_design_space.yaml --out r.csv --per-layer r_layers.csv
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "host/cli/commands.hpp"
#include "host/input/input_error.hpp"
#include "host/nightly/nightly_run.hpp"
#include "host/nightly/stop_signals.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "host/sweep/output/per_layer_table.hpp"
#include "host/sweep/output/result_writer.hpp"
#include "host/sweep/run/sweep_runner.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra::cli {
namespace {

struct RunArgs {
  std::string spec;
  std::string backend = "auto";
  std::string out;
  std::string columns = "default";
  std::size_t top_k = 0;
  std::string by;
  std::string limit;
  unsigned threads = 0;
  std::uint64_t batch = 0;
  bool no_progress = false;
  bool summary_only = false;
  std::string histogram;      // METRIC[:BINS]
  std::string histogram_out;  // CSV side file
  std::string per_layer;      // side table file ("" = none)
  std::uint64_t per_layer_max_points = 100000;
  std::string devices;        // --devices all | N | 0,2,5
  NightlyRunArgs nightly;  // --shard, --mpi, --resume, --checkpoint-seconds (host/nightly)
};

std::uint64_t parse_limit(const std::string& text) {
  double v = 0.0;
  try {
    std::size_t used = 0;
    v = std::stod(text, &used);
    if (used != text.size()) v = -1.0;
  } catch (const std::exception&) {
    v = -1.0;
  }
  if (!(v >= 1.0) || v != std::floor(v) || v > 1.8e19) throw InputError("--limit", text, "must be a positive integer");
  return static_cast<std::uint64_t>(v);
}

// METRIC[:BINS], BINS 1..100000 (default 20).
HistogramRequest parse_histogram(const std::string& text) {
  HistogramRequest h;
  const auto colon = text.find(':');
  h.metric = metric_column(text.substr(0, colon));
  if (colon != std::string::npos) {
    const std::string bins = text.substr(colon + 1);
    const bool digits = !bins.empty() && bins.size() <= 6 && bins.find_first_not_of("0123456789") == std::string::npos;
    const unsigned long n = digits ? std::stoul(bins) : 0;
    if (n < 1 || n > 100000) throw InputError("--histogram", text, "BINS must be an integer from 1 to 100000");
    h.bins = static_cast<std::uint32_t>(n);
  }
  return h;
}

int run(const RunArgs& a) {
  if (a.nightly.active(a.out)) install_stop_signals();  // SIGINT/SIGTERM: stop after the batch in flight
  SweepLoadOptions load;
  if (!a.limit.empty()) load.limit = parse_limit(a.limit);
  load.warn = [](const std::string& m) { std::fprintf(stderr, "warning: %s\n", m.c_str()); };
  const SweepSpec spec = load_sweep_spec(a.spec, load);

  SweepRunOptions options;
  options.summary_metric = spec.inline_collective ? ColumnKind::CollectiveTimeNs : ColumnKind::IterationTimeNs;
  if (!a.by.empty()) options.summary_metric = metric_column(a.by);
  if (a.top_k > 0) {
    if (a.by.empty()) throw InputError("--top-k", std::to_string(a.top_k), "needs --by METRIC");
    options.top_k = TopKRequest{a.top_k, options.summary_metric, metric_prefers_largest(options.summary_metric)};
  }
  if (!a.histogram.empty()) {
    options.histogram = parse_histogram(a.histogram);
    options.histogram->csv_path = a.histogram_out;
  }
  if (!a.histogram_out.empty() && !options.histogram)
    throw InputError("--histogram-out", a.histogram_out, "needs --histogram METRIC[:BINS]");
  if (options.histogram && a.nightly.mpi)
    throw InputError("--histogram", a.histogram, "not available with --mpi (ranks would bin differently)");
  options.summary_only = a.summary_only;
  if (a.summary_only && a.nightly.active(a.out))
    throw InputError("--summary-only", a.out.empty() ? "--shard/--mpi/--resume" : a.out,
                     "writes no rows: drop --out, --shard, --mpi and --resume");
  NightlyRunArgs nightly = a.nightly;
  nightly.devices = parse_device_selection(a.devices);
  if (nightly.mpi && nightly.devices.multiple())
    throw InputError("--devices", a.devices, "not available with --mpi (each rank takes its node-local GPU)");
  options.host_threads = a.threads;
  options.batch_points = a.batch;
  options.progress = !a.no_progress && ::isatty(STDERR_FILENO);

  std::unique_ptr<PerLayerTable> per_layer;
  if (!a.per_layer.empty()) {
    if (a.nightly.mpi || a.nightly.resume || a.summary_only)
      throw InputError("--per-layer", a.per_layer, "is not available with --mpi, --resume or --summary-only");
    const std::uint64_t covered = options.top_k ? options.top_k->k : spec.total_points;
    if (covered > a.per_layer_max_points)
      throw InputError("--per-layer", a.per_layer,
                       std::to_string(covered) + " points would each be evaluated again and get one row per layer; " +
                           "more than --per-layer-max-points " + std::to_string(a.per_layer_max_points) +
                           " (raise it, or use --top-k)");
    per_layer = std::make_unique<PerLayerTable>(spec, a.per_layer, a.threads);
    options.on_row = [table = per_layer.get()](std::uint64_t index, const SweepPointResult& r) {
      table->add_point(index, r);
    };
  }
  int exit_code = 0;
  if (a.nightly.active(a.out)) {
    exit_code = run_nightly(spec, nightly, a.backend, a.out, a.columns, a.threads, options);
  } else {
    RowBuilder rows(spec, select_columns(spec, a.columns));
    auto writer = a.summary_only ? open_null_writer() : open_result_writer(a.out, rows.columns());
    std::string note;
    auto evaluator = select_backend(a.backend, spec, a.threads, note, nightly.devices);
    if (!note.empty()) std::fprintf(stderr, "%s\n", note.c_str());
    const SweepRunSummary summary = run_sweep(spec, *evaluator, rows, *writer, options);
    // Rows on stdout: the summary goes to stderr so that stdout stays one clean CSV.
    print_sweep_summary(spec, summary, (a.out.empty() || a.out == "-") && !a.summary_only ? stderr : stdout);
  }
  if (per_layer && exit_code == 0) {  // an interrupted run discards the side table
    per_layer->commit();
    std::fprintf(a.out.empty() || a.out == "-" ? stderr : stdout, "per-layer: %llu rows in %s\n",
                 static_cast<unsigned long long>(per_layer->rows_written()), a.per_layer.c_str());
    if (per_layer->points_not_adding_up() > 0)
      std::fprintf(stderr,
                   "warning: --per-layer: %llu congestion-aware points have NPUs finishing at different times: "
                   "their side-table rows are NPU 0's and do not add up to the main row (the last NPU's)\n",
                   static_cast<unsigned long long>(per_layer->points_not_adding_up()));
  }
  return exit_code;
}

}  // namespace

void add_run_command(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Evaluate every point of a sweep spec (YAML or JSON)");
  cmd->add_option("spec", args->spec, "sweep spec file")->required();
  cmd->add_option("--backend", args->backend, "auto | cpu | cuda | thrust-omp")
      ->check(CLI::IsMember({"auto", "cpu", "cuda", "thrust-omp"}));
  cmd->add_option("--out", args->out, "results file: .csv, .jsonl or .sqlite (default: CSV on stdout)");
  cmd->add_option("--columns", args->columns, "default | all | comma-separated column names");
  cmd->add_option("--top-k", args->top_k, "write only the K best points by --by");
  cmd->add_option("--by", args->by, "metric for --top-k and the summary (e.g. collective_time_ns, busbw_GBps)");
  cmd->add_option("--limit", args->limit, "refuse designs with more points (default 1e9)");
  cmd->add_option("--threads", args->threads, "CPU threads (default: all)");
  cmd->add_option("--devices", args->devices,
                  "cuda/thrust-omp devices: all | N (the first N) | 0,2,5 (ordinals); each batch is split over them "
                  "(default: the current device)");
  cmd->add_option("--batch", args->batch, "points per batch (default: the backend's choice)");
  cmd->add_flag("--summary-only", args->summary_only,
               "write no rows: every batch is reduced on the backend (GPU) and only the summary comes back");
  cmd->add_option("--histogram", args->histogram,
                  "METRIC[:BINS]: histogram of a metric over the ok points in the summary (default 20 bins "
                  "between its min and max; a second, reduction-only pass)");
  cmd->add_option("--histogram-out", args->histogram_out, "also write the histogram as CSV (bin_low_<unit>,...)");
  cmd->add_flag("--no-progress", args->no_progress, "no progress line even on a terminal");
  cmd->add_option("--per-layer", args->per_layer,
                  "also write a side table (.csv or .jsonl) of text-workload sweeps: one row per point, layer and "
                  "pass (compute and all-reduce ns, exposed ns)");
  cmd->add_option("--per-layer-max-points", args->per_layer_max_points,
                  "refuse --per-layer for more points than this (default 100000; with --top-k: K)");
  add_nightly_run_options(*cmd, args->nightly);
  cmd->callback([args, &ctx] { ctx.exit_code = run(*args); });
}

}  // namespace astra::cli
