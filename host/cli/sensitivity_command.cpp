// `astra-sweep sensitivity SPEC --method oat|morris|sobol`: how much each parameter moves one
// metric. See host/sensitivity/sensitivity_spec.hpp for the SPEC format.
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "host/calibration/fitted_config_writer.hpp"
#include "host/cli/commands.hpp"
#include "host/input/input_error.hpp"
#include "host/sensitivity/config_metric_model.hpp"
#include "host/sensitivity/morris_screening.hpp"
#include "host/sensitivity/oat_elasticity.hpp"
#include "host/sensitivity/sensitivity_table.hpp"
#include "host/sensitivity/sobol_indices.hpp"
#include "host/cli/mpi_command.hpp"
#include "host/nightly/mpi_session.hpp"
#include "host/sweep/backends/device_evaluators.hpp"

namespace astra::cli {
namespace {

using namespace astra::sensitivity;

struct SensitivityArgs {
  std::string spec, method = "oat", metric, out;
  long long samples = -1, trajectories = -1, levels = -1, bootstrap = -1, seed = -1;
  unsigned threads = 0;
  std::string backend = "auto", devices;
  bool mpi = false;
  bool no_plots = false;
};

SensitivityTable run_method(const SensitivityArgs& a, const SensitivitySpec& spec, const ConfigMetricModel& model,
                            std::size_t& evaluations) {
  SensitivityTable t;
  t.method = a.method;
  for (const auto& p : spec.parameters) t.parameters.push_back(p.range.name());
  const std::size_t k = spec.parameters.size();
  if (a.method == "oat") {
    std::vector<OatInput> inputs;
    const auto base = model.base_values();
    for (std::size_t i = 0; i < k; ++i)
      inputs.push_back({base[i], spec.parameters[i].range.low, spec.parameters[i].range.high,
                        spec.parameters[i].range.is_integer()});
    const OatResult r = oat_elasticities(
        ValuesDesign([&](const Design& v) { return model.evaluate_values(v); }), inputs, 1e-2);
    t.columns = {"base_value", "minus_value", "plus_value", "metric_minus", "metric_base", "metric_plus", "elasticity"};
    t.headline_column = "elasticity";
    for (std::size_t i = 0; i < k; ++i)
      t.rows.push_back({base[i], r.minus_value[i], r.plus_value[i], r.minus_output[i], r.base_output, r.plus_output[i],
                        r.elasticity[i]});
    evaluations = 2 * k + 1;
  } else if (a.method == "morris") {
    MorrisOptions o;
    o.trajectories = spec.trajectories;
    o.levels = spec.levels;
    o.seed = spec.seed;
    o.threads = a.threads;
    const MorrisResult r = morris_screening(model.design_model(), k, o);
    t.columns = {"mu", "mu_star", "sigma", "mu_star_standard_error"};
    t.headline_column = "mu_star";
    for (std::size_t i = 0; i < k; ++i) t.rows.push_back({r.mu[i], r.mu_star[i], r.sigma[i], r.mu_star_standard_error[i]});
    evaluations = r.evaluations;
  } else {
    SobolOptions o;
    o.base_samples = spec.samples;
    o.bootstrap = spec.bootstrap;
    o.seed = spec.seed;
    o.threads = a.threads;
    const SobolResult r = sobol_indices(model.design_model(), k, o);
    t.columns = {"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"};
    t.headline_column = "ST";
    for (std::size_t i = 0; i < k; ++i)
      t.rows.push_back({r.first[i], r.first_low[i], r.first_high[i], r.total[i], r.total_low[i], r.total_high[i]});
    evaluations = r.evaluations;
  }
  return t;
}

void run_sensitivity(const SensitivityArgs& a, const MpiSession* mpi) {
  SensitivitySpec spec = read_sensitivity_spec(a.spec);
  if (!a.metric.empty()) {
    const auto m = parse_metric(a.metric);
    if (!m) throw InputError("--metric", a.metric, "collective_time_ns, iteration_time_ns or exposed_comm_ns");
    spec.metric = *m;
  }
  if (a.samples > 0) spec.samples = static_cast<std::size_t>(a.samples);
  if (a.trajectories > 0) spec.trajectories = static_cast<int>(a.trajectories);
  if (a.levels > 1) spec.levels = static_cast<int>(a.levels);
  if (a.bootstrap >= 0) spec.bootstrap = static_cast<std::size_t>(a.bootstrap);
  if (a.seed >= 0) spec.seed = static_cast<std::uint64_t>(a.seed);
  ConfigMetricModel model(spec);
  model.use_engine(a.backend, a.threads, parse_device_selection(a.devices));
  model.use_mpi(mpi);

  std::size_t evaluations = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const SensitivityTable t = run_method(a, spec, model, evaluations);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!model.engine_note().empty()) std::fprintf(stderr, "%s\n", model.engine_note().c_str());
  std::printf("sensitivity: %s of %s (%zu parameters, %zu model runs", a.method.c_str(), metric_name(spec.metric),
              spec.parameters.size(), evaluations);
  if (a.method == "sobol")
    std::printf(", %zu base samples, %zu bootstrap resamples, 95%% intervals", spec.samples, spec.bootstrap);
  std::printf(") on %s (%s) in %.3f s\n", model.engine_backend().c_str(), model.engine_device().c_str(), seconds);
  std::printf("%s", table_text(t).c_str());
  std::size_t nan_rows = 0;
  for (const auto& r : t.rows)
    for (double v : r)
      if (std::isnan(v)) ++nan_rows;
  if (nan_rows)
    std::fprintf(stderr, "warning: %zu values are NaN: some sampled configurations were rejected by the model\n", nan_rows);
  if (!a.out.empty()) {
    if (::mkdir(a.out.c_str(), 0755) != 0 && errno != EEXIST) throw InputError(a.out, "--out", "cannot create the folder");
    const std::string csv = a.out + "/sensitivity_" + a.method + ".csv";
    calibration::write_text_file(csv, table_csv_text(t));
    if (!a.no_plots) {
      std::string warning;
      if (!draw_sensitivity_chart(t, a.out, csv, metric_name(spec.metric), warning))
        std::fprintf(stderr, "warning: %s\n", warning.c_str());
    }
    std::printf("wrote: %s\n", csv.c_str());
  }
  // Last line: the headline index per parameter.
  std::size_t col = 0;
  for (std::size_t c = 0; c < t.columns.size(); ++c)
    if (t.columns[c] == t.headline_column) col = c;
  std::string last = "sensitivity: method=" + a.method + " metric=" + metric_name(spec.metric);
  char buf[64];
  for (std::size_t i = 0; i < t.parameters.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.4g", t.rows[i][col]);
    last += " " + t.parameters[i] + "." + t.headline_column + "=" + buf;
  }
  std::printf("%s\n", last.c_str());
  std::fflush(stdout);
}

}  // namespace

void add_sensitivity_command(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<SensitivityArgs>();
  CLI::App* sub = app.add_subcommand("sensitivity", "Sensitivity of a metric to network/system parameters");
  sub->add_option("spec", args->spec, "sensitivity spec YAML (see host/sensitivity/sensitivity_spec.hpp)")->required();
  sub->add_option("--method", args->method, "oat (default), morris or sobol")
      ->check(CLI::IsMember({"oat", "morris", "sobol"}));
  sub->add_option("--metric", args->metric, "collective_time_ns, iteration_time_ns or exposed_comm_ns");
  sub->add_option("--samples", args->samples, "Sobol base samples N (runs: N (k + 2))");
  sub->add_option("--trajectories", args->trajectories, "Morris trajectories r");
  sub->add_option("--levels", args->levels, "Morris grid levels p");
  sub->add_option("--bootstrap", args->bootstrap, "Sobol bootstrap resamples");
  sub->add_option("--seed", args->seed, "random seed (Morris, Sobol)");
  sub->add_option("--threads", args->threads, "worker threads (default: all cores)");
  sub->add_option("--backend", args->backend, "what evaluates the design, as in `run`: auto (default) | cpu | cuda | thrust-omp")
      ->check(CLI::IsMember({"auto", "cpu", "cuda", "thrust-omp"}));
  sub->add_option("--devices", args->devices, "cuda/thrust-omp devices: all | N | 0,2,5 (as in `run`)");
  sub->add_flag("--mpi", args->mpi, "under mpirun: the ranks share each design's points; rank 0 prints and writes");
  sub->add_option("--out", args->out, "folder for the CSV table and the chart");
  sub->add_flag("--no-plots", args->no_plots, "do not run gnuplot");
  sub->callback([args, &ctx] {
    run_with_optional_mpi(args->mpi, args->backend, args->devices, args->out,
                          [&](const MpiSession* session) { run_sensitivity(*args, session); });
    ctx.exit_code = 0;
  });
}

}  // namespace astra::cli
