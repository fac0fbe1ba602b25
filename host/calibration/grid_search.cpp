#include "host/calibration/grid_search.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <numeric>

#include "host/calibration/fit_sweep.hpp"
#include "host/input/input_error.hpp"
#include "host/nightly/mpi_session.hpp"
#include "host/common/parallel_for.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "kernels/sweep/batch_reduction.hpp"
#include "host/sweep/spec/point_resolution.hpp"
#include "host/sweep/backends/sweep_reduction.hpp"

namespace astra::calibration {

std::vector<double> GridSearchResult::values_at(std::size_t point) const {
  std::vector<double> v(axes.size());
  for (std::size_t i = 0; i < axes.size(); ++i) {
    v[i] = axes[i][point % axes[i].size()];
    point /= axes[i].size();
  }
  return v;
}

std::vector<std::size_t> GridSearchResult::best_points(std::size_t k) const {
  std::vector<std::size_t> order(point_count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  k = std::min(k, point_count);
  auto key = [&](std::size_t p) {
    const float f = objective[p];
    return f == f ? f : std::numeric_limits<float>::infinity();
  };
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](std::size_t a, std::size_t b) { return key(a) < key(b) || (key(a) == key(b) && a < b); });
  order.resize(k);
  return order;
}

GridSearchResult grid_search(const FitObjective& objective, const FitData& data, const GridSearchOptions& options) {
  GridSearchResult r;
  r.point_count = 1;
  for (const auto& p : objective.params()) {
    r.axes.push_back(p.grid_values(options.points_per_param));
    r.point_count *= r.axes.back().size();
    if (r.point_count > options.max_points)
      throw InputError("--grid", std::to_string(options.points_per_param),
                       "the grid has more than " + std::to_string(options.max_points) +
                           " points; lower --grid or fit fewer parameters");
  }
  r.size_count = data.sizes_bytes.size();
  if (r.size_count == 0) throw InputError("--holdout", "", "no measured size is left to fit");
  r.objective.assign(r.point_count, 0.0f);
  if (options.keep_terms) r.terms.assign(r.point_count * r.size_count, 0.0f);

  const SweepSpec spec = fit_grid_sweep(objective, r.axes, data.sizes_bytes, data.collectives);
  std::unique_ptr<BatchEvaluator> evaluator = select_backend(options.backend, spec, options.threads, r.note, options.devices);
  r.backend = evaluator->backend_name();
  r.device = evaluator->device_name();

  ReductionPlan plan;
  plan.sweep = spec.compiled();
  plan.summary = false;
  plan.fit_group_points = r.size_count;
  plan.fit_measured_ns = data.measured_ns;
  plan.fit_objective = objective.objective();
  plan.fit_keep_terms = options.keep_terms;

  // Batches of whole grid points, so that every grid point's sum is complete after its batch.
  const std::uint64_t per_batch = std::max<std::uint64_t>(1, evaluator->preferred_batch_points() / r.size_count);
  std::uint64_t mine_begin = 0, mine_end = r.point_count;  // this rank's grid points
  if (options.mpi) {
    const auto ranks = static_cast<unsigned __int128>(options.mpi->size());
    const auto rank = static_cast<unsigned __int128>(options.mpi->rank());
    mine_begin = static_cast<std::uint64_t>(r.point_count * rank / ranks);
    mine_end = static_cast<std::uint64_t>(r.point_count * (rank + 1) / ranks);
  }
  BatchReduction batch;
  for (std::uint64_t first = mine_begin; first < mine_end; first += per_batch) {
    const std::uint64_t n = std::min<std::uint64_t>(per_batch, mine_end - first);
    evaluator->evaluate_reduced(first * r.size_count, n * r.size_count, plan, batch);
    // Points the fast evaluator hands back: the reference simulator answers them (all cores).
    std::vector<SweepPointResult> resolved(batch.pending.size());
    parallel_for(batch.pending.size(), 1, options.threads, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        std::string reason;
        resolved[i] = batch.pending[i].result;
        resolve_with_reference(spec, batch.pending[i].index, resolved[i], reason);
      }
    });
    for (std::size_t i = 0; i < resolved.size(); ++i)
      add_point_to_reduction(plan, batch.pending[i].index, resolved[i], batch);
    r.by_reference += resolved.size();
    for (std::uint64_t k = 0; k < n; ++k) {
      const FitGroupSum& sum = batch.fit_sums[first + k - batch.fit_first_group];
      r.objective[first + k] =
          static_cast<float>(finish_objective(objective.objective(), fit_sum_value(sum), r.size_count));
    }
    if (options.keep_terms)
      std::copy(batch.fit_terms.begin(), batch.fit_terms.end(),
                r.terms.begin() + static_cast<std::ptrdiff_t>(batch.fit_terms_first));
  }
  if (options.mpi) {
    options.mpi->share_items(r.objective, mine_begin, mine_end, 1);
    if (options.keep_terms) options.mpi->share_items(r.terms, mine_begin, mine_end, r.size_count);
    r.by_reference = options.mpi->sum(r.by_reference);
  }
  r.evaluations = static_cast<std::uint64_t>(r.point_count) * r.size_count;
  return r;
}

}  // namespace astra::calibration
