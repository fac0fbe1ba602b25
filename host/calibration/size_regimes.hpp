// Piecewise calibration over message size: NCCL switches protocol (LL, LL128, Simple) and
// channel count with size, so one (latency, bandwidth) pair rarely fits 8 B to 8 GiB. This
// splits the sorted fit sizes into R contiguous regimes, choosing the breakpoints that
// minimise the total objective when each regime takes its own best grid point. Exact dynamic
// programming over the grid's per-(point, size) terms: all three objectives are sums of
// per-size terms, so a regime's cost is a difference of prefix sums.
#pragma once

#include <cstddef>
#include <vector>

#include "host/calibration/grid_search.hpp"

namespace astra::calibration {

struct SizeSegment {
  std::size_t begin = 0, end = 0;      // fit-size indices [begin, end)
  std::vector<std::size_t> best_points; // best grid points for this segment, best first
};

// Requires grid.terms (keep_terms). Each regime gets at least `min_points` sizes; R is
// lowered when there are too few sizes. Returns the segments in size order.
std::vector<SizeSegment> split_size_regimes(const GridSearchResult& grid, std::size_t regimes, std::size_t min_points,
                                            std::size_t starts_per_segment);

// The best grid points over fit sizes [begin, end), from the kept terms.
std::vector<std::size_t> best_points_for_segment(const GridSearchResult& grid, std::size_t begin, std::size_t end,
                                                 std::size_t k);

}  // namespace astra::calibration
