// Mixed-radix decoding of sweep points: every index maps to one combination of rows and back,
// the last digit varies fastest, and the device path's threads decode exactly what the host does.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "kernels/sweep/compiled_sweep.hpp"
#include "host/sweep/backends/device_evaluators.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {
namespace {

// A compiled sweep of `radices.size()` one-axis digits whose row r holds the value r.
struct Grid {
  std::vector<double> values;
  CompiledSweep sweep;
};

Grid make_grid(const std::vector<std::uint64_t>& radices) {
  Grid g;
  std::uint64_t stride = 1;
  g.sweep.axis_count = static_cast<int>(radices.size());
  g.sweep.digit_count = static_cast<int>(radices.size());
  std::uint64_t offset = 0;
  std::vector<std::uint64_t> offsets;
  for (std::uint64_t r : radices) {
    offsets.push_back(offset);
    for (std::uint64_t v = 0; v < r; ++v) g.values.push_back(static_cast<double>(v));
    offset += r;
  }
  for (int k = static_cast<int>(radices.size()) - 1; k >= 0; --k) {
    g.sweep.digits[k] = SweepDigit{radices[k], stride, k, 1, offsets[k]};
    stride *= radices[k];
  }
  g.sweep.total_points = stride;
  g.sweep.values = g.values.data();
  return g;
}

TEST(GridDecode, RoundTripsEveryIndexOfSmallGrids) {
  for (const std::vector<std::uint64_t>& radices :
       {std::vector<std::uint64_t>{1}, {7}, {2, 3}, {3, 1, 4}, {5, 2, 1, 3, 2}, {1, 1, 1}}) {
    const Grid g = make_grid(radices);
    std::set<std::vector<double>> seen;
    double v[kMaxSweepAxes];
    for (std::uint64_t i = 0; i < g.sweep.total_points; ++i) {
      decode_axis_values(g.sweep, i, v);
      std::uint64_t back = 0;
      for (std::size_t k = 0; k < radices.size(); ++k) {
        ASSERT_LT(v[k], static_cast<double>(radices[k]));
        back = back * radices[k] + static_cast<std::uint64_t>(v[k]);
      }
      EXPECT_EQ(back, i);
      seen.insert(std::vector<double>(v, v + radices.size()));
    }
    EXPECT_EQ(seen.size(), g.sweep.total_points);  // a bijection
  }
}

TEST(GridDecode, LastDigitVariesFastest) {
  const Grid g = make_grid({2, 3});
  double v[kMaxSweepAxes];
  decode_axis_values(g.sweep, 1, v);
  EXPECT_EQ(v[0], 0.0);
  EXPECT_EQ(v[1], 1.0);
  decode_axis_values(g.sweep, 3, v);
  EXPECT_EQ(v[0], 1.0);
  EXPECT_EQ(v[1], 0.0);
}

TEST(GridDecode, RoundTripsRandomIndicesOfAHugeGrid) {
  // 10^15 points: decoding never touches anything per point.
  const std::vector<std::uint64_t> radices{1000, 999, 1001, 1000, 1};
  const Grid g = make_grid(radices);
  ASSERT_EQ(g.sweep.total_points, 1000ULL * 999 * 1001 * 1000);
  std::mt19937_64 rng(42);
  double v[kMaxSweepAxes];
  for (int t = 0; t < 10000; ++t) {
    const std::uint64_t i = rng() % g.sweep.total_points;
    decode_axis_values(g.sweep, i, v);
    std::uint64_t back = 0;
    for (std::size_t k = 0; k < radices.size(); ++k) back = back * radices[k] + static_cast<std::uint64_t>(v[k]);
    EXPECT_EQ(back, i);
  }
  decode_axis_values(g.sweep, g.sweep.total_points - 1, v);
  for (std::size_t k = 0; k < radices.size(); ++k) EXPECT_EQ(v[k], static_cast<double>(radices[k] - 1));
}

// Designs below 2^32 points decode in 32-bit arithmetic, larger ones in 64 bits: both sides of
// the boundary, up to the last index.
TEST(GridDecode, RoundTripsOnBothSidesOfThe32BitBoundary) {
  for (const std::vector<std::uint64_t>& radices :
       {std::vector<std::uint64_t>{65535, 65537}, {65536, 65536}, {3, 65536, 21846}}) {
    const Grid g = make_grid(radices);
    std::mt19937_64 rng(7);
    double v[kMaxSweepAxes];
    for (int t = 0; t < 20000; ++t) {
      const std::uint64_t i = t == 0 ? g.sweep.total_points - 1 : t == 1 ? 0 : rng() % g.sweep.total_points;
      decode_axis_values(g.sweep, i, v);
      std::uint64_t back = 0;
      for (std::size_t k = 0; k < radices.size(); ++k) back = back * radices[k] + static_cast<std::uint64_t>(v[k]);
      ASSERT_EQ(back, i) << g.sweep.total_points << " points";
    }
  }
}

// The odometer (consecutive points without dividing, the cpu backend's decoder) gives exactly
// what decode_axis_values gives, across every carry, from any start, on both sides of 2^32.
TEST(GridDecode, OdometerStepsLikeDecoding) {
  for (const std::vector<std::uint64_t>& radices :
       {std::vector<std::uint64_t>{1}, {7}, {2, 3, 5}, {4, 1, 6, 1}, {65536, 65537}, {3, 65536, 21846}}) {
    const Grid g = make_grid(radices);
    std::mt19937_64 rng(11);
    for (int start = 0; start < 30; ++start) {
      const std::uint64_t first = start == 0 ? 0 : rng() % g.sweep.total_points;
      double stepped[kMaxSweepAxes], decoded[kMaxSweepAxes];
      SweepOdometer odometer;
      odometer.start(g.sweep, first, stepped);
      for (std::uint64_t i = first; i < std::min(g.sweep.total_points, first + 5000); ++i) {
        if (i > first) odometer.next(g.sweep, stepped);
        decode_axis_values(g.sweep, i, decoded);
        for (std::size_t k = 0; k < radices.size(); ++k) ASSERT_EQ(stepped[k], decoded[k]) << "point " << i;
      }
    }
  }
}

SweepSpec zip_and_sample_spec() {
  return parse_sweep_spec(
      "network: {topology: [Ring], npus_count: [8], bandwidth: [50], latency: [500]}\n"
      "system: {scheduling-policy: LIFO, endpoint-delay: 10, active-chunks-per-dimension: 1,\n"
      "         preferred-dataset-splits: 4, all-reduce-implementation: [ring], all-gather-implementation: [ring],\n"
      "         reduce-scatter-implementation: [ring], all-to-all-implementation: [ring],\n"
      "         collective-optimization: baseline, local-mem-bw: 1600}\n"
      "workload: {collective: all_reduce, size_bytes: 65536}\n"
      "axes:\n"
      "  - size_bytes: {powers_of_two: [1024, 65536]}\n"
      "  - zip: {latency_ns: [100, 200, 300], endpoint-delay: [1, 2, 3]}\n"
      "  - latin_hypercube: {n: 11, seed: 5, axes: {bandwidth_GBps: {min: 10, max: 900}, all-reduce-implementation: [ring, direct]}}\n",
      "grid.yaml", "");
}

TEST(GridDecode, SpecGroupsDecodeToTheirTableRows) {
  const SweepSpec spec = zip_and_sample_spec();
  ASSERT_EQ(spec.total_points, 7u * 3u * 11u);
  const CompiledSweep s = spec.compiled();
  double v[kMaxSweepAxes];
  for (std::uint64_t i = 0; i < spec.total_points; ++i) {
    decode_axis_values(s, i, v);
    const std::uint64_t sample = i % 11, zip = (i / 11) % 3, size = i / 33;
    EXPECT_EQ(v[0], static_cast<double>(1024u << size));
    EXPECT_EQ(v[1], 100.0 * static_cast<double>(zip + 1));
    EXPECT_EQ(v[2], static_cast<double>(zip + 1));
    EXPECT_EQ(v[3], spec.values[spec.groups[2].table_offset + sample * 2]);
    EXPECT_EQ(v[4], spec.values[spec.groups[2].table_offset + sample * 2 + 1]);
  }
}

TEST(GridDecode, DevicePathDecodesLikeTheHost) {
#if defined(ASTRA_HAVE_THRUST_OMP)
  const SweepSpec spec = zip_and_sample_spec();
  const std::size_t axes = spec.axes.size();
  std::vector<double> device(spec.total_points * axes);
  thrust_omp_decode_axis_values(spec, 0, spec.total_points, device.data());
  const CompiledSweep s = spec.compiled();
  double v[kMaxSweepAxes];
  for (std::uint64_t i = 0; i < spec.total_points; ++i) {
    decode_axis_values(s, i, v);
    for (std::size_t a = 0; a < axes; ++a) ASSERT_EQ(device[i * axes + a], v[a]) << "point " << i << " axis " << a;
  }
  // An offset range decodes the same points.
  std::vector<double> tail(10 * axes);
  thrust_omp_decode_axis_values(spec, 100, 10, tail.data());
  for (std::size_t k = 0; k < tail.size(); ++k) EXPECT_EQ(tail[k], device[100 * axes + k]);
#else
  GTEST_SKIP() << "this build has no thrust-omp device path (Thrust headers not found)";
#endif
}

}  // namespace
}  // namespace astra
