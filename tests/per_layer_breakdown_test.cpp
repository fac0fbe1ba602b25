// Per-layer breakdown totals must add up exactly to the iteration's numbers, on every golden
// ResNet-50 run (both backends) and with a compute scale.
#include <gtest/gtest.h>

#include <filesystem>

#include "host/golden/golden_cases.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/reference/per_layer_breakdown.hpp"

namespace astra {
namespace {

const std::string kCases = std::string(ASTRA_SHARED_DIR) + "/golden/cases.jsonl";

void expect_totals_add_up(const golden::GoldenCase& c, double scale) {
  ReferenceOptions options;
  options.compute_scale = scale;
  const auto r = simulate_reference(c.network, c.system, c.backend, *c.workload, options);
  ASSERT_EQ(r.status, SimStatus::Ok) << c.id << ": " << r.message;
  const auto rows = per_layer_breakdown(*c.workload, r.npu0_node_timings, scale);
  const auto totals = breakdown_totals(rows);
  ASSERT_TRUE(r.stats[0].has_value());
  EXPECT_EQ(totals.compute_ns, r.stats[0]->compute_ns) << c.id;
  EXPECT_EQ(static_cast<std::int64_t>(totals.comm_exposed_ns), r.stats[0]->exposed_comm_ns) << c.id;
  EXPECT_EQ(rows.size(), c.workload->layer_names.size()) << c.id;  // one pass: one row per layer
  // every all-reduce starts no earlier than it is ready, and finishes after it starts
  for (const auto& row : rows) {
    EXPECT_EQ(row.comm_nodes, 1) << c.id << " " << row.layer;
    EXPECT_LE(row.comm_ready_ns, row.comm_start_ns);
    EXPECT_LT(row.comm_start_ns, row.comm_finish_ns);
    EXPECT_LE(row.comm_exposed_ns, row.comm_duration_ns);
  }
}

TEST(PerLayerBreakdown, TotalsEqualIterationTotalsOnEveryGoldenResNetRun) {
  if (!std::filesystem::exists(kCases)) GTEST_SKIP() << "no golden cases at " << kCases;
  int checked = 0;
  for (const auto& c : golden::load_golden_cases(kCases)) {
    if (c.set != "C" || c.expected_status != "ok") continue;
    ASSERT_TRUE(c.load_error.empty()) << c.load_error;
    expect_totals_add_up(c, 1.0);
    ++checked;
  }
  EXPECT_GE(checked, 29);
}

TEST(PerLayerBreakdown, TotalsAddUpWithAComputeScaleThatExposesCommunication) {
  if (!std::filesystem::exists(kCases)) GTEST_SKIP() << "no golden cases at " << kCases;
  for (const auto& c : golden::load_golden_cases(kCases)) {
    if (c.set != "C" || c.expected_status != "ok") continue;
    // shrink compute 1000x so that all-reduces are exposed
    expect_totals_add_up(c, 0.001);
    return;
  }
}

}  // namespace
}  // namespace astra
