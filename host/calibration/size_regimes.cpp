#include "host/calibration/size_regimes.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "host/common/parallel_for.hpp"

namespace astra::calibration {

std::vector<std::size_t> best_points_for_segment(const GridSearchResult& grid, std::size_t begin, std::size_t end,
                                                 std::size_t k) {
  std::vector<double> cost(grid.point_count);
  for (std::size_t p = 0; p < grid.point_count; ++p) {
    double s = 0.0;
    for (std::size_t i = begin; i < end; ++i) s += grid.terms[p * grid.size_count + i];
    cost[p] = s;
  }
  std::vector<std::size_t> order(grid.point_count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  k = std::min(k, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](std::size_t a, std::size_t b) { return cost[a] < cost[b] || (cost[a] == cost[b] && a < b); });
  order.resize(k);
  return order;
}

std::vector<SizeSegment> split_size_regimes(const GridSearchResult& grid, std::size_t regimes, std::size_t min_points,
                                            std::size_t starts_per_segment) {
  const std::size_t n = grid.size_count;
  min_points = std::max<std::size_t>(min_points, 1);
  regimes = std::max<std::size_t>(1, std::min(regimes, n / min_points));

  // best[i][j]: min over grid points of the summed terms of sizes [i, j).
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> best((n + 1) * (n + 1), inf);
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + min_points; j <= n; ++j) spans.emplace_back(i, j);
  parallel_for(spans.size(), 8, 0, [&](std::size_t b, std::size_t e) {
    for (std::size_t s = b; s < e; ++s) {
      const auto [i, j] = spans[s];
      double m = inf;
      for (std::size_t p = 0; p < grid.point_count; ++p) {
        const float* row = &grid.terms[p * n];
        double sum = 0.0;
        for (std::size_t k = i; k < j; ++k) sum += row[k];
        m = std::min(m, sum);
      }
      best[i * (n + 1) + j] = m;
    }
  });

  // cost[r][j]: best total over sizes [0, j) in r regimes; cut[r][j] the last regime's start.
  std::vector<std::vector<double>> cost(regimes + 1, std::vector<double>(n + 1, inf));
  std::vector<std::vector<std::size_t>> cut(regimes + 1, std::vector<std::size_t>(n + 1, 0));
  cost[0][0] = 0.0;
  for (std::size_t r = 1; r <= regimes; ++r)
    for (std::size_t j = r * min_points; j <= n; ++j)
      for (std::size_t i = (r - 1) * min_points; i + min_points <= j; ++i) {
        const double c = cost[r - 1][i] + best[i * (n + 1) + j];
        if (c < cost[r][j]) cost[r][j] = c, cut[r][j] = i;
      }

  std::vector<SizeSegment> segments(regimes);
  std::size_t end = n;
  for (std::size_t r = regimes; r >= 1; --r) {
    segments[r - 1].end = end;
    segments[r - 1].begin = cut[r][end];
    end = cut[r][end];
  }
  for (auto& s : segments) s.best_points = best_points_for_segment(grid, s.begin, s.end, starts_per_segment);
  return segments;
}

}  // namespace astra::calibration
