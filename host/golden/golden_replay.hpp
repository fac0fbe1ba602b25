// Replays golden cases through one of our engines and compares with ASTRA-sim's answers.
//
// For every `ok` case: the relative error of the maximum per-NPU finish time, and whether every
// NPU's finish time and every printed statistic is identical ("exact"). Cases ASTRA-sim did not
// finish (crash, rejected, incomplete) are tallied separately with what we answered instead.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "host/golden/golden_cases.hpp"
#include "host/reference/simulation_result.hpp"

namespace astra::golden {

using CaseRunner = std::function<SimulationResult(const GoldenCase&)>;

struct ReplayOptions {
  std::string backend = "all";  // congestion_unaware | congestion_aware | all
  double tolerance = 0.01;      // relative
  unsigned threads = 0;         // 0: all cores
  std::size_t show_mismatches = 20;
};

struct ReplaySummary {
  std::size_t ok_cases = 0;   // golden ok cases replayed
  std::size_t within = 0;     // within tolerance
  std::size_t exact = 0;      // every NPU's finish and every statistic identical
  std::size_t errors = 0;     // ok cases we could not evaluate
  double max_rel_err = 0;
  double median_rel_err = 0;
  std::size_t non_ok_cases = 0;
};

// Prints per-set tables, the non-ok tally and mismatches to `out`, then as its last line:
//   golden: <N> cases, <K> within <tol>%, max_rel_err=<x>, median_rel_err=<y>, errors=<E>
ReplaySummary replay_golden(const std::vector<GoldenCase>& cases, const CaseRunner& engine,
                            const ReplayOptions& options, std::ostream& out);

}  // namespace astra::golden
