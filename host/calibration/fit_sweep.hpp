// A calibration grid as a sweep of the engine (host/sweep/spec/design_sweep.hpp): one digit per
// fitted parameter with its grid values, the last parameter slowest and parameter 0 fastest of
// them (the grid's own numbering), then the fit sizes as the last, fastest digit, so the G
// sizes of grid point p are the G consecutive point indices p G .. p G + G - 1:
//
//   params latency_ns [100, 200], bandwidth_GBps [50, 400]; sizes [1K, 1M]  ->  8 points
//   point 5 = grid point 2 (latency 100, bandwidth 400), size row 1 (1M)
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "host/calibration/fit_objective.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra::calibration {

// The sweep axis key of a fitted parameter ("latency_ns[1]", "active-chunks-per-dimension", ...).
std::string sweep_axis_key(const FitParameter& p);

// `collectives` (one per size, or empty for the base's) makes the fastest digit a zip of
// (collective, size_bytes): a joint fit of several measured tables.
SweepSpec fit_grid_sweep(const FitObjective& objective, const std::vector<std::vector<double>>& axes,
                         std::span<const std::uint64_t> sizes_bytes, std::span<const CollectiveKind> collectives = {});

}  // namespace astra::calibration
