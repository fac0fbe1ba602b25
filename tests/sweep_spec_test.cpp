// Sweep specs: parsing, every axis kind, zip groups, seeded samples, where constraints and the
// errors a bad spec must give (file, field, reason).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "host/input/input_error.hpp"
#include "host/sweep/spec/constraint_compiler.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {
namespace {

// A spec with an inline 2-D network and system, plus `rest` (axes, where, ...).
std::string spec_text(const std::string& rest, const std::string& workload = "{collective: all_reduce, size_bytes: 1048576}") {
  return "network: {topology: [Ring, Switch], npus_count: [4, 2], bandwidth: [100, 50], latency: [500, 700]}\n"
         "system: {scheduling-policy: LIFO, endpoint-delay: 10, active-chunks-per-dimension: 1,\n"
         "         preferred-dataset-splits: 4, all-reduce-implementation: [ring, ring],\n"
         "         all-gather-implementation: [ring, ring], reduce-scatter-implementation: [ring, ring],\n"
         "         all-to-all-implementation: [ring, ring], collective-optimization: baseline, local-mem-bw: 1600}\n"
         "workload: " + workload + "\n" + rest;
}

SweepSpec parse(const std::string& rest, SweepLoadOptions options = {}) {
  return parse_sweep_spec(spec_text(rest), "spec.yaml", "", options);
}

std::vector<double> axis_values(const SweepSpec& spec, int axis) {
  std::vector<double> out;
  const CompiledSweep s = spec.compiled();
  std::set<double> seen;
  double v[kMaxSweepAxes];
  for (std::uint64_t i = 0; i < spec.total_points; ++i) {
    decode_axis_values(s, i, v);
    if (seen.insert(v[axis]).second) out.push_back(v[axis]);
  }
  return out;
}

// Expects an InputError naming the spec file and `field`, with `reason_part` in the reason.
void expect_error(const std::string& rest, const std::string& field, const std::string& reason_part,
                  SweepLoadOptions options = {}) {
  try {
    parse(rest, options);
    FAIL() << "no error for:\n" << rest;
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "spec.yaml");
    EXPECT_EQ(e.field(), field) << e.what();
    EXPECT_THAT(e.reason(), ::testing::HasSubstr(reason_part)) << e.what();
  }
}

TEST(SweepSpec, BaseFromInlineMapsAndNoAxesIsOnePoint) {
  const SweepSpec s = parse("");
  EXPECT_EQ(s.total_points, 1u);
  EXPECT_EQ(s.base.network.dims, 2);
  EXPECT_EQ(s.base.network.npus_count[0], 4);
  EXPECT_EQ(s.base.size_bytes, 1048576u);
  EXPECT_TRUE(s.inline_collective);
}

TEST(SweepSpec, ListLinspaceLogspaceRangePowersOfTwo) {
  const SweepSpec s = parse(
      "axes:\n"
      "  latency_ns: [100, 250.5]\n"
      "  bandwidth_GBps: {linspace: {start: 10, stop: 40, num: 4}}\n"
      "  local-mem-bw: {logspace: [1, 1000, 4]}\n"
      "  preferred-dataset-splits: {range: {start: 2, stop: 8, step: 3}}\n"
      "  size_bytes: {powers_of_two: {min: 1000, max: 2^13}}\n");
  ASSERT_EQ(s.axes.size(), 5u);
  EXPECT_EQ(s.total_points, 2u * 4u * 4u * 3u * 4u);
  EXPECT_THAT(axis_values(s, 0), ::testing::ElementsAre(100, 250.5));
  EXPECT_THAT(axis_values(s, 1), ::testing::ElementsAre(10, 20, 30, 40));
  const auto logs = axis_values(s, 2);
  ASSERT_EQ(logs.size(), 4u);
  EXPECT_DOUBLE_EQ(logs[0], 1.0);
  EXPECT_NEAR(logs[1], 10.0, 1e-9);
  EXPECT_NEAR(logs[2], 100.0, 1e-9);
  EXPECT_EQ(logs[3], 1000.0);
  EXPECT_THAT(axis_values(s, 3), ::testing::ElementsAre(2, 5, 8));
  EXPECT_THAT(axis_values(s, 4), ::testing::ElementsAre(1024, 2048, 4096, 8192));
  EXPECT_EQ(s.axes[0].field.column, "latency_ns");
  EXPECT_EQ(s.axes[2].field.column, "local_mem_bw_GBps");
  EXPECT_EQ(s.axes[3].field.column, "preferred_dataset_splits");
}

TEST(SweepSpec, PerDimensionAndNameValuedAxesApplyToThePoint) {
  const SweepSpec s = parse(
      "axes:\n"
      "  npus[1]: [2, 8]\n"
      "  topology[0]: [Switch, FullyConnected]\n"
      "  all-reduce-implementation[1]: [direct, halvingDoubling]\n"
      "  scheduling-policy: [FIFO]\n"
      "  collective-optimization: [localBWAware]\n"
      "  collective: [all_gather]\n"
      "  backend: [congestion_aware]\n"
      "  endpoint-delay: [7]\n"
      "  active-chunks-per-dimension: [3]\n");
  EXPECT_EQ(s.total_points, 8u);
  const CompiledSweep c = s.compiled();
  double v[kMaxSweepAxes];
  SweepPoint p;
  ASSERT_TRUE(decode_point(c, 7, v, p));  // last of each: npus 8, FullyConnected, halvingDoubling
  EXPECT_EQ(p.network.npus_count[0], 4);
  EXPECT_EQ(p.network.npus_count[1], 8);
  EXPECT_EQ(p.network.topology[0], TopologyKind::FullyConnected);
  EXPECT_EQ(p.network.topology[1], TopologyKind::Switch);
  EXPECT_EQ(p.system.implementation[0][1].kind, AlgorithmKind::HalvingDoubling);
  EXPECT_EQ(p.system.implementation[0][0].kind, AlgorithmKind::Ring);
  EXPECT_EQ(p.system.implementation[1][1].kind, AlgorithmKind::Ring);  // all-gather list untouched
  EXPECT_EQ(p.system.scheduling_policy, SchedulingPolicy::FIFO);
  EXPECT_TRUE(p.system.local_bw_aware);
  EXPECT_EQ(p.collective, CollectiveKind::AllGather);
  EXPECT_EQ(p.backend, NetworkBackend::CongestionAware);
  EXPECT_EQ(p.system.endpoint_delay_ns, 7);
  EXPECT_EQ(p.system.active_chunks_per_dimension, 3);
  EXPECT_EQ(s.axes[0].field.column, "npus_count[1]");
}

TEST(SweepSpec, AxisWithoutDimensionSetsEveryDimension) {
  const SweepSpec s = parse("axes:\n  latency_ns: [123]\n");
  double v[kMaxSweepAxes];
  SweepPoint p;
  ASSERT_TRUE(decode_point(s.compiled(), 0, v, p));
  EXPECT_EQ(p.network.latency_ns[0], 123.0);
  EXPECT_EQ(p.network.latency_ns[1], 123.0);
}

TEST(SweepSpec, ZipGroupIsOneDigit) {
  const SweepSpec s = parse(
      "axes:\n"
      "  - size_bytes: [1024, 2048]\n"
      "  - zip: {latency_ns: [100, 200, 300], bandwidth_GBps: [50, 400, 900]}\n");
  EXPECT_EQ(s.total_points, 6u);
  const CompiledSweep c = s.compiled();
  double v[kMaxSweepAxes];
  decode_axis_values(c, 4, v);  // 4 = 1 * 3 + 1
  EXPECT_EQ(v[0], 2048.0);
  EXPECT_EQ(v[1], 200.0);
  EXPECT_EQ(v[2], 400.0);
  for (std::uint64_t i = 0; i < 6; ++i) {
    decode_axis_values(c, i, v);
    EXPECT_EQ(v[2], v[1] == 100 ? 50 : v[1] == 200 ? 400 : 900) << "point " << i;
  }
}

TEST(SweepSpec, ZipNeedsEqualLengths) {
  expect_error("axes:\n  zip: {latency_ns: [1, 2], bandwidth_GBps: [1, 2, 3]}\n", "axes.zip.bandwidth_GBps",
               "equal lengths");
}

TEST(SweepSpec, RandomAndLatinHypercubeAreDeterministicForASeed) {
  for (const char* kind : {"random", "latin_hypercube"}) {
    const std::string rest = std::string("axes:\n  ") + kind +
                             ": {n: 50, seed: 7, axes: {latency_ns: {min: 100, max: 1000}, "
                             "bandwidth_GBps: {min: 10, max: 1000, log: true}, npus: {min: 2, max: 16},"
                             " all-reduce-implementation: [ring, direct]}}\n";
    const SweepSpec a = parse(rest);
    const SweepSpec b = parse(rest);
    EXPECT_EQ(a.total_points, 50u) << kind;
    EXPECT_EQ(a.values, b.values) << kind;
    std::string other = rest;
    other.replace(other.find("seed: 7"), 7, "seed: 8");
    EXPECT_NE(parse(other).values, a.values) << kind;
    for (std::uint64_t r = 0; r < 50; ++r) {
      const double lat = a.values[r * 4], bw = a.values[r * 4 + 1], npus = a.values[r * 4 + 2];
      EXPECT_GE(lat, 100);
      EXPECT_LT(lat, 1000);
      EXPECT_GE(bw, 10);
      EXPECT_LT(bw, 1000);
      EXPECT_GE(npus, 2);
      EXPECT_LE(npus, 16);
      EXPECT_EQ(npus, std::floor(npus));
    }
  }
}

TEST(SweepSpec, LatinHypercubeFillsEveryStratum) {
  const SweepSpec s = parse("axes:\n  latin_hypercube: {n: 20, seed: 3, axes: {latency_ns: {min: 0, max: 20}}}\n");
  std::set<int> strata;
  for (double v : s.values) strata.insert(static_cast<int>(v));
  EXPECT_EQ(strata.size(), 20u);
}

TEST(SweepSpec, SampledDesignCrossesWithGridAxes) {
  const SweepSpec s = parse(
      "axes:\n  size_bytes: [1024, 2048, 4096]\n  random: {n: 5, seed: 1, axes: {latency_ns: {min: 1, max: 2}}}\n");
  EXPECT_EQ(s.total_points, 15u);
}

TEST(SweepSpec, WhereDropsPointsAndCountsThem) {
  const SweepSpec s = parse(
      "axes:\n  npus[0]: [2, 4, 8, 16, 32, 64]\n  latency_ns: [100, 200]\n"
      "where: npus * 2 <= 64 and not (latency_ns == 200 && npus == 2)\n");
  EXPECT_EQ(s.total_points, 12u);
  ASSERT_TRUE(s.precounted_kept.has_value());
  EXPECT_EQ(*s.precounted_kept, 9u);  // npus 64 dropped (2 points), (2, 200) dropped
  const CompiledSweep c = s.compiled();
  double v[kMaxSweepAxes];
  SweepPoint p;
  EXPECT_FALSE(decode_point(c, 1, v, p));   // npus 2, latency 200
  EXPECT_TRUE(decode_point(c, 0, v, p));    // npus 2, latency 100
  EXPECT_FALSE(decode_point(c, 10, v, p));  // npus 64
}

TEST(SweepSpec, WhereArithmeticFunctionsAndNames) {
  const SweepSpec s = parse(
      "axes:\n  npus[0]: {powers_of_two: [2, 64]}\n  topology[0]: [Ring, Switch]\n"
      "where:\n  - \"log2(npus_count[0]) % 2 == 1 || topology[0] == 'Switch'\"\n  - \"-npus + 3 * 2 ^ 2 >= min(4, 0)\"\n");
  // kept: (npus 2, 8, 32 with Ring) + (npus <= 12 with Switch: 2, 4, 8) = 6
  ASSERT_TRUE(s.precounted_kept.has_value());
  EXPECT_EQ(*s.precounted_kept, 5u);
}

TEST(SweepSpec, WhereThatRemovesEveryPointIsAnError) {
  expect_error("axes:\n  latency_ns: [1, 2]\nwhere: latency_ns > 5\n", "where", "remove every one of the 2 points");
}

TEST(SweepSpec, WhereSyntaxErrorsSayWhere) {
  expect_error("axes:\n  latency_ns: [1, 2]\nwhere: latency_ns >\n", "where[0]", "column 13");
  expect_error("axes:\n  latency_ns: [1, 2]\nwhere: latncy_ns > 1\n", "where[0]", "unknown name 'latncy_ns'");
  expect_error("axes:\n  latency_ns: [1, 2]\nwhere: (latency_ns > 1\n", "where[0]", "expected ')'");
  expect_error("axes:\n  latency_ns: [1, 2]\nwhere: latency_ns == 'Ring'\n", "where[0]", "is a number");
  expect_error("axes:\n  latency_ns: [1, 2]\nwhere: 1 < latency_ns < 3\n", "where[0]", "do not chain");
}

TEST(SweepSpec, UnknownFieldsAreErrors) {
  expect_error("axes:\n  latency_us: [1]\n", "latency_us", "unknown field");
  expect_error("axes:\n  latency_ns[5]: [1]\n", "latency_ns[5]", "beyond the base network");
  expect_error("axez:\n  latency_ns: [1]\n", "axez", "unknown field");
  expect_error("axes:\n  latency_ns: {linspaced: [1, 2, 3]}\n", "axes.latency_ns.linspaced", "unknown axis generator");
  expect_error("axes:\n  latency_ns: {linspace: {start: 1, stop: 2, count: 3}}\n", "axes.latency_ns.linspace.count",
               "unknown field");
}

TEST(SweepSpec, BadRangesAreErrors) {
  expect_error("axes:\n  latency_ns: {linspace: {start: 1, stop: 2, num: 0}}\n", "axes.latency_ns.linspace.num",
               "positive integer");
  expect_error("axes:\n  latency_ns: {logspace: [0, 10, 3]}\n", "axes.latency_ns.logspace", "start > 0");
  expect_error("axes:\n  latency_ns: {logspace: [1, -10, 3]}\n", "axes.latency_ns.logspace", "stop > 0");
  expect_error("axes:\n  size_bytes: {powers_of_two: {min: 64, max: 8}}\n", "axes.size_bytes.powers_of_two",
               "min must be <= max");
  expect_error("axes:\n  npus: {range: [8, 2]}\n", "axes.npus.range", "stop must be >= start");
  expect_error("axes:\n  npus: [2.5]\n", "axes.npus[0]", "takes integers");
  expect_error("axes:\n  topology: [Torus]\n", "axes.topology[0]", "");
}

TEST(SweepSpec, LimitRefusesLargeDesignsBeforeAnyWork) {
  expect_error("axes:\n  latency_ns: [1, 2, 3]\n  bandwidth_GBps: [1, 2]\n", "axes", "more than the limit of 5",
               SweepLoadOptions{5});
  // 10^12 points: refused by the default limit without expanding anything per point.
  expect_error(
      "axes:\n  latency_ns: {linspace: [1, 2, 10000]}\n  bandwidth_GBps: {linspace: [1, 2, 10000]}\n"
      "  local-mem-bw: {linspace: [1, 2, 10000]}\n",
      "axes", "1000000000000 points");
  EXPECT_EQ(parse("limit: 6\naxes:\n  latency_ns: [1, 2, 3]\n  bandwidth_GBps: [1, 2]\n").total_points, 6u);
  expect_error("limit: 5\naxes:\n  latency_ns: [1, 2, 3]\n  bandwidth_GBps: [1, 2]\n", "axes", "limit of 5");
}

TEST(SweepSpec, CollectiveAxesNeedAnInlineCollective) {
  const std::string text = spec_text("axes:\n  size_bytes: [1, 2]\n",
                                     "{file: " ASTRA_SHARED_DIR "/golden/inputs/Resnet50_DataParallel.txt}");
  try {
    parse_sweep_spec(text, "spec.yaml", "");
    FAIL() << "size_bytes axis accepted with a workload file";
  } catch (const InputError& e) {
    EXPECT_THAT(e.reason(), ::testing::HasSubstr("inline collective"));
  }
}

TEST(SweepSpec, JsonSpecsAreAccepted) {
  const SweepSpec s = parse_sweep_spec(
      R"({"network": {"topology": ["Ring"], "npus_count": [8], "bandwidth": [50], "latency": [500]},
          "system": {"scheduling-policy": "LIFO", "endpoint-delay": 10, "active-chunks-per-dimension": 1,
                     "collective-optimization": "baseline",
                     "preferred-dataset-splits": 1, "all-reduce-implementation": ["ring"],
                     "all-gather-implementation": ["ring"], "reduce-scatter-implementation": ["ring"],
                     "all-to-all-implementation": ["ring"], "local-mem-bw": 50},
          "workload": {"collective": "all_gather", "size_bytes": 4096},
          "axes": {"latency_ns": [1, 2, 3]}, "where": "latency_ns != 2"})",
      "spec.json", "");
  EXPECT_EQ(s.total_points, 3u);
  EXPECT_EQ(*s.precounted_kept, 2u);
  EXPECT_EQ(s.base.collective, CollectiveKind::AllGather);
}

TEST(SweepSpec, LoadResolvesPathsRelativeToTheSpecFile) {
  const std::string dir = ::testing::TempDir() + "sweep_spec_paths";
  std::filesystem::create_directories(dir + "/specs");
  std::ofstream(dir + "/specs/t.yaml") << "network: nope/n.yml\nsystem: s.json\n";
  try {
    load_sweep_spec(dir + "/specs/t.yaml");
    FAIL() << "a missing network file was accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("specs/nope/n.yml"));
  }
}

}  // namespace
}  // namespace astra
