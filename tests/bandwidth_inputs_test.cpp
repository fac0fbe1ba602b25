// The bandwidth metrics' light decode (kernels/sweep/sweep_metric.hpp: decoded_bandwidth_inputs,
// what sweep_point_metric uses on the device's reductions instead of building whole points)
// against the whole point (apply_axis_values) on every bundled sweep spec and on specs whose
// axes set NPU counts per dimension, for every dimension, sizes and collectives.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "host/input/input_error.hpp"
#include "host/sweep/spec/point_resolution.hpp"
#include "host/sweep/spec/sweep_spec.hpp"
#include "kernels/sweep/sweep_metric.hpp"
#include "sweep_test_specs.hpp"

namespace astra {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Compares at most `samples` points spread over the spec; returns how many were compared.
int expect_light_decode_matches(const SweepSpec& spec, const std::string& name, std::uint64_t samples = 4000) {
  const CompiledSweep s = spec.compiled();
  const std::uint64_t step = std::max<std::uint64_t>(1, s.total_points / samples);
  int compared = 0, mismatches = 0;
  for (std::uint64_t index = 0; index < s.total_points && mismatches < 5; index += step, ++compared) {
    double axis_values[kMaxSweepAxes];
    const SweepPoint point = decode_host_point(spec, index, axis_values);
    const BandwidthInputs want = bandwidth_inputs(point);
    const BandwidthInputs got = decoded_bandwidth_inputs(s, axis_values);
    if (got.size_bytes != want.size_bytes || got.collective != want.collective || got.total_npus != want.total_npus) {
      ++mismatches;
      ADD_FAILURE() << name << " point " << index << ": size/collective/npus " << got.size_bytes << "/"
                    << static_cast<int>(got.collective) << "/" << got.total_npus << ", whole point "
                    << want.size_bytes << "/" << static_cast<int>(want.collective) << "/" << want.total_npus;
    }
    // and the metric the reductions compute, bit for bit (any ok result that took time)
    SweepPointResult r{};
    r.status = SweepPointStatus::Ok;
    r.metrics.finish_ns = 1000 + index % 977;
    for (SweepMetric m : {SweepMetric::BusBwGBps, SweepMetric::AlgBwGBps, SweepMetric::CollectiveTimeNs}) {
      const double a = sweep_point_metric(m, s, index, r);
      const double b = sweep_metric_value(m, s.inline_collective, point, r);
      if (!same_bits(a, b)) {
        ++mismatches;
        ADD_FAILURE() << name << " point " << index << " metric " << static_cast<int>(m) << ": " << a << " vs " << b;
      }
    }
  }
  return compared;
}

TEST(BandwidthInputs, LightDecodeEqualsTheWholePointOnEveryBundledSweep) {
  int specs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(ASTRA_SOURCE_DIR) + "/sweeps")) {
    const std::string path = entry.path().string();
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.rfind("study:", 0) == 0 || text.find("\nstudy:") != std::string::npos) continue;  // a study, not a sweep
    SweepSpec spec;
    try {
      spec = load_sweep_spec(path);
    } catch (const InputError& e) {
      ADD_FAILURE() << path << ": " << e.what();
      continue;
    }
    EXPECT_GT(expect_light_decode_matches(spec, path), 0);
    ++specs;
  }
  EXPECT_GE(specs, 4);
}

TEST(BandwidthInputs, NpuCountsPerDimensionAndForEveryDimension) {
  EXPECT_GT(expect_light_decode_matches(testing_specs::collective_grid_spec("2^16", "1024"), "collective grid"), 100);
  // a 3-D network: one axis sets dimension 1 alone, a later one every dimension for some points
  const SweepSpec three_d = parse_sweep_spec(
      std::string("network: {topology: [Ring, Switch, Ring], npus_count: [2, 4, 3], bandwidth: [50, 100, 25],\n"
                  "          latency: [500, 700, 900]}\n") +
          testing_specs::kRingSystem +
          "workload: {collective: all_gather, size_bytes: 4096}\n"
          "axes:\n"
          "  npus_count[1]: [2, 8]\n"
          "  collective: [all_reduce, all_to_all, reduce_scatter]\n"
          "  size_bytes: {powers_of_two: [64, 2^20]}\n"
          "  npus: [2, 4]\n",
      "three_d.yaml", "");
  EXPECT_GT(expect_light_decode_matches(three_d, "3-D"), 100);
}

}  // namespace
}  // namespace astra
