#include "calibration/grid_search.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "input/input_error.hpp"
#include "parallel/parallel_for.hpp"

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
  r.objective.assign(r.point_count, 0.0f);
  if (options.keep_terms) r.terms.assign(r.point_count * r.size_count, 0.0f);

  const Objective kind = objective.objective();
  parallel_for(r.point_count, 64, options.threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t p = begin; p < end; ++p) {
      const std::vector<double> values = r.values_at(p);
      const CollectiveSetup setup = objective.setup_at(values);
      double sum = 0.0;
      for (std::size_t i = 0; i < r.size_count; ++i) {
        const auto ns = predict_collective_ns(setup, data.sizes_bytes[i]);
        const double t = objective_term(kind, ns ? *ns : std::numeric_limits<double>::quiet_NaN(), data.measured_ns[i]);
        sum += t;
        if (options.keep_terms) r.terms[p * r.size_count + i] = static_cast<float>(t);
      }
      r.objective[p] = static_cast<float>(finish_objective(kind, sum, r.size_count));
    }
  });
  r.evaluations = static_cast<std::uint64_t>(r.point_count) * r.size_count;
  return r;
}

}  // namespace astra::calibration
