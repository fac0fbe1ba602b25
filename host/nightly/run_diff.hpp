// Run-to-run regression check (`astra-sweep diff RUN_A RUN_B`): rows are matched by point_index;
// a point has moved when a metric's relative change |b - a| / |a| exceeds the tolerance, when a
// metric appears or disappears, or when its status changes; points missing on either side count
// too. Per axis, the changed share of each axis value shows where the changes concentrate.
// Runs of different sweeps (other axes, or other axis values at the same point) are bad input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/nightly/result_table.hpp"

namespace astra {

struct DiffOptions {
  double tolerance = 0.001;  // relative
};

struct MetricChange {
  std::string point_index;
  std::string metric;        // or "status"
  std::string before, after;
  double relative = 0.0;     // |after - before| / |before| (inf when before is 0 or missing)
  bool worse = false;        // slower, less bandwidth, or no longer ok
};

struct AxisValueShare {
  std::string value;
  std::uint64_t points = 0, changed = 0;
};

struct AxisConcentration {
  std::string axis;
  std::vector<AxisValueShare> values;  // most-changed share first
};

struct RunDiff {
  std::uint64_t compared = 0;          // points in both runs
  std::uint64_t changed_points = 0, worse_points = 0, better_points = 0;
  std::uint64_t only_in_a = 0, only_in_b = 0;
  std::vector<std::string> metrics;    // compared metric columns
  std::vector<std::uint64_t> changed_by_metric;
  double max_relative = 0.0;
  std::vector<MetricChange> changes;   // every changed (point, metric), in point order
  std::vector<AxisConcentration> by_axis;
  bool regressions() const { return changed_points > 0 || only_in_a > 0 || only_in_b > 0; }
};

// Throws InputError when the runs are not comparable.
RunDiff diff_runs(const ResultTable& a, const ResultTable& b, const DiffOptions& options);

// A Markdown summary: counts, per metric, per axis concentration, the first `max_listed` changes.
std::string diff_markdown(const RunDiff& diff, const ResultTable& a, const ResultTable& b,
                          const DiffOptions& options, std::size_t max_listed);

}  // namespace astra
