#include "host/calibration/calibrator.hpp"
#include "kernels/model/beyond_model.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <set>

#include "host/calibration/fit_objective.hpp"
#include "host/calibration/grid_search.hpp"
#include "host/calibration/nccl_size_convention.hpp"
#include "host/calibration/nelder_mead.hpp"
#include "host/calibration/size_regimes.hpp"
#include "host/input/input_error.hpp"

namespace astra::calibration {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

ErrorSummary summary_of(const std::vector<SizeResult>& sizes, bool held_out, std::size_t regime, bool any_regime) {
  std::vector<double> pred, meas;
  for (const auto& s : sizes)
    if (s.held_out == held_out && (any_regime || s.regime == regime)) pred.push_back(s.predicted_us), meas.push_back(s.measured_us);
  return summarise_errors(pred, meas);
}

// Nelder-Mead over the continuous parameters, integers fixed at the start point's values.
struct Refined {
  std::vector<double> values;
  double objective;
  std::uint64_t evaluations;
};

Refined refine(const FitObjective& f, const FitData& data, const std::vector<double>& start, double unit_step,
               int restarts) {
  const auto& params = f.params();
  std::vector<std::size_t> free;
  for (std::size_t i = 0; i < params.size(); ++i)
    if (!params[i].is_integer() && params[i].high > params[i].low) free.push_back(i);
  auto full = [&](const std::vector<double>& u) {
    std::vector<double> v = start;
    for (std::size_t k = 0; k < free.size(); ++k) v[free[k]] = params[free[k]].from_unit(u[k]);
    return v;
  };
  std::vector<double> u0;
  for (std::size_t i : free) u0.push_back(params[i].to_unit(start[i]));
  NelderMeadOptions options;
  options.initial_step = unit_step;
  options.max_evaluations = 150 + 100 * free.size();
  const auto value = [&](const std::vector<double>& u) { return f.value(full(u), data); };
  auto r = nelder_mead(value, u0, options);
  std::size_t evaluations = r.evaluations;
  // Restart from the result with a fresh simplex while that still improves: one simplex
  // collapses early on these piecewise objectives (a protocol switch is a kink), more so in
  // many dimensions; a restart can only keep or lower the objective.
  for (int restart = 0; restart < restarts; ++restart) {
    const auto again = nelder_mead(value, r.point, options);
    evaluations += again.evaluations;
    const bool better = again.value < r.value - 1e-12 * std::fabs(r.value);
    if (again.value < r.value) r = again;
    if (!better) break;
  }
  return {full(r.point), r.value, evaluations * data.sizes_bytes.size()};
}

}  // namespace

int auto_grid_points(std::size_t k) {
  int n = 256;
  while (n > 2 && std::pow(static_cast<double>(n), static_cast<double>(k)) > 16777216.0) --n;
  return n;
}

CalibrationResult calibrate(const CollectiveSetup& base, const MeasuredTable& table, const CalibrationOptions& options) {
  return calibrate(base, std::vector<MeasuredTable>{table}, options);
}

CalibrationResult calibrate(const CollectiveSetup& base, const std::vector<MeasuredTable>& tables,
                            const CalibrationOptions& given) {
  CalibrationOptions options = given;
  if (options.grid_points_per_param <= 0) options.grid_points_per_param = auto_grid_points(options.params.size());
  for (const auto& p : options.params) check_parameter_fits_network(p, base.network);
  if (options.params.empty()) throw InputError("--param", "", "give at least one parameter to fit");
  if (tables.empty()) throw InputError("calibrate", "", "give at least one measured table");
  // A dimension that no fitted collective's implementation list reaches takes no part in the
  // collective (ASTRA-sim runs it over the listed dimensions only): its parameters change nothing.
  for (const auto& p : options.params) {
    if (!p.is_network() || p.dim < 0) continue;
    bool used = false;
    for (const auto& t : tables)
      used = used || p.dim < base.system.implementation_count[static_cast<int>(t.collective)];
    if (!used)
      throw InputError("--param", p.name(),
                       "the system's implementation list of the measured collective has no entry for dimension " +
                           std::to_string(p.dim) +
                           ", so the collective does not use it and this parameter changes nothing; list one "
                           "implementation per dimension in the system JSON");
  }
  for (const auto& p : options.params) {  // a beyond-ASTRA-sim parameter must reach a beyond model
    if (!p.is_beyond_model()) continue;
    bool used = false;
    for (const auto& t : tables) used = used || uses_beyond_model(base.system, t.collective);
    if (!used)
      throw InputError("--param", p.name(),
                       "a parameter of the models beyond ASTRA-sim, but the system's implementation list of the "
                       "measured collective names none (use ncclRing, ncclTree or nvls)");
  }
  const bool joint = tables.size() > 1;
  if (joint && options.regimes > 1)
    throw InputError("--regimes", std::to_string(options.regimes),
                     "size regimes need a single measured table (a joint fit has one parameter set)");

  // Measured sizes are nccl-tests sizes; the model gets ASTRA-sim's (see nccl_size_convention.hpp).
  auto model_size = [&](CollectiveKind c, std::uint64_t nccl_size) {
    return astra_size_from_nccl_size(c, nccl_size, base.network.total_npus());
  };
  struct Row {
    std::size_t table, row;
    bool held_out;
  };
  std::vector<Row> rows;
  FitData fit;
  std::vector<std::size_t> fit_rows;  // into `rows`
  for (std::size_t t = 0; t < tables.size(); ++t) {
    const auto mask = holdout_mask(options.holdout, tables[t].rows.size());
    for (std::size_t i = 0; i < tables[t].rows.size(); ++i) {
      rows.push_back({t, i, static_cast<bool>(mask[i])});
      if (mask[i]) continue;
      fit.sizes_bytes.push_back(model_size(tables[t].collective, tables[t].rows[i].size_bytes));
      fit.measured_ns.push_back(tables[t].rows[i].time_us * 1000.0);
      if (joint) fit.collectives.push_back(tables[t].collective);
      fit_rows.push_back(rows.size() - 1);
    }
  }
  const MeasuredTable& table = tables.front();  // the single table of a size-regime fit

  CalibrationResult result;
  const FitObjective objective(base, options.params, options.objective);

  auto t0 = std::chrono::steady_clock::now();
  GridSearchOptions grid_options;
  grid_options.points_per_param = options.grid_points_per_param;
  grid_options.threads = options.threads;
  grid_options.keep_terms = options.regimes > 1;
  grid_options.backend = options.engine_backend;
  grid_options.devices = options.devices;
  grid_options.mpi = options.mpi;
  const GridSearchResult grid = grid_search(objective, fit, grid_options);
  result.engine_backend = grid.backend;
  result.engine_device = grid.device;
  result.engine_note = grid.note;
  result.by_reference = grid.by_reference;
  result.grid_points_per_param = options.grid_points_per_param;
  result.grid_points = grid.point_count;
  result.evaluations = grid.evaluations;
  result.grid_seconds = seconds_since(t0);

  t0 = std::chrono::steady_clock::now();
  std::vector<SizeSegment> segments;
  if (options.regimes > 1) {
    const std::size_t min_points = std::max<std::size_t>(3, options.params.size() + 1);
    segments = split_size_regimes(grid, static_cast<std::size_t>(options.regimes), min_points, 64);
  } else {
    segments.push_back({0, fit.sizes_bytes.size(), grid.best_points(64)});
  }

  const double unit_step = 1.0 / std::max(2, options.grid_points_per_param - 1);
  for (std::size_t r = 0; r < segments.size(); ++r) {
    const SizeSegment& seg = segments[r];
    FitData part;
    for (std::size_t i = seg.begin; i < seg.end; ++i) {
      part.sizes_bytes.push_back(fit.sizes_bytes[i]);
      part.measured_ns.push_back(fit.measured_ns[i]);
      if (joint) part.collectives.push_back(fit.collectives[i]);
    }
    // Start from the best grid points that are not next to an already chosen one.
    std::vector<std::vector<double>> starts;
    for (std::size_t p : seg.best_points) {
      if (starts.size() >= options.refine_starts) break;
      const auto v = grid.values_at(p);
      bool near = false;
      for (const auto& s : starts) {
        double d = 0.0;
        for (std::size_t k = 0; k < v.size(); ++k)
          d = std::max(d, std::fabs(options.params[k].to_unit(v[k]) - options.params[k].to_unit(s[k])));
        if (d <= 2.5 * unit_step) near = true;
      }
      if (!near) starts.push_back(v);
    }
    Refined best{{}, std::numeric_limits<double>::infinity(), 0};
    for (const auto& s : starts) {
      Refined got = refine(objective, part, s, unit_step, options.refine_restarts);
      result.evaluations += got.evaluations;
      if (got.objective < best.objective) best = std::move(got);
    }
    RegimeFit regime;
    regime.values = best.values;
    regime.objective = best.objective;
    regime.setup = objective.setup_at(best.values);
    if (r > 0) {
      // Breakpoints in the measured (nccl-tests) sizes.
      const double a = static_cast<double>(table.rows[rows[fit_rows[seg.begin - 1]].row].size_bytes);
      const double b = static_cast<double>(table.rows[rows[fit_rows[seg.begin]].row].size_bytes);
      regime.from_bytes = static_cast<std::uint64_t>(std::ceil(std::sqrt(a * b)));
      result.regimes.back().to_bytes = regime.from_bytes;
    }
    result.regimes.push_back(std::move(regime));
  }
  result.refine_seconds = seconds_since(t0);

  for (const Row& row : rows) {
    const MeasuredTable& t = tables[row.table];
    SizeResult s;
    s.table = row.table;
    s.collective = t.collective;
    s.size_bytes = t.rows[row.row].size_bytes;
    s.measured_us = t.rows[row.row].time_us;
    s.line = t.rows[row.row].line;
    s.held_out = row.held_out;
    for (std::size_t r = 0; r < result.regimes.size(); ++r)
      if (s.size_bytes >= result.regimes[r].from_bytes) s.regime = r;
    CollectiveSetup setup = result.regimes[s.regime].setup;
    setup.collective = t.collective;
    const auto ns = predict_collective_ns(setup, model_size(t.collective, s.size_bytes));
    s.predicted_us = ns ? *ns / 1000.0 : std::numeric_limits<double>::quiet_NaN();
    s.ape = absolute_percentage_error(s.predicted_us, s.measured_us);
    result.sizes.push_back(s);
  }
  for (std::size_t t = 0; t < tables.size(); ++t) {
    TableFit tf;
    tf.file = tables[t].file;
    tf.collective = tables[t].collective;
    std::vector<SizeResult> mine;
    for (const auto& s : result.sizes)
      if (s.table == t) mine.push_back(s);
    tf.fit = summary_of(mine, false, 0, true);
    tf.holdout = summary_of(mine, true, 0, true);
    result.tables.push_back(std::move(tf));
  }
  result.fit = summary_of(result.sizes, false, 0, true);
  result.holdout = summary_of(result.sizes, true, 0, true);
  for (std::size_t r = 0; r < result.regimes.size(); ++r) {
    result.regimes[r].fit = summary_of(result.sizes, false, r, false);
    result.regimes[r].holdout = summary_of(result.sizes, true, r, false);
  }
  return result;
}

}  // namespace astra::calibration
