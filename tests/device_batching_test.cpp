// The device backends' batching (host/sweep/backends/device_batch_evaluator.cpp) at its
// boundaries: empty batches, one point, exactly one sub-batch, one more, several sub-batches, odd
// first indices, fewer scratch slots than points; several devices side by side; `--devices`.
// thrust-omp runs the same host class and device code as cuda, so these run everywhere; the cuda
// versions run where a GPU is present and skip visibly elsewhere.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/input/input_error.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "host/sweep/backends/device_batch_evaluator.hpp"
#include "host/sweep/backends/device_evaluators.hpp"
#include "support/sweep_expectations.hpp"
#include "sweep_test_specs.hpp"

namespace astra {
namespace {

using testing_support::evaluate_range;
using testing_support::expect_same_reduction;
using testing_support::expect_same_results;
using testing_support::summary_plan;

// Unaware inline collectives (the point kernel, no scratch) and the mixed grid (aware points:
// the slot kernel with a scratch pool; rejected, filtered and reference points).
SweepSpec unaware_spec() {
  return parse_sweep_spec(std::string("network: {topology: [Ring], npus_count: [8], bandwidth: [50], latency: [500]}\n") +
                              testing_specs::kRingSystem +
                              "workload: {collective: all_reduce, size_bytes: 65536}\n"
                              "axes:\n"
                              "  npus: [4, 6, 8]\n"
                              "  collective: [all_reduce, all_gather, reduce_scatter, all_to_all]\n"
                              "  size_bytes: {powers_of_two: [1, 2^12]}\n"
                              "  latency_ns: [10, 700]\n",
                          "unaware.yaml", "");
}
SweepSpec mixed_spec() { return testing_specs::collective_grid_spec("2^12", "1024"); }

// (first, count) pairs around a sub-batch of `sub` points, within the design's `total` points.
std::vector<std::pair<std::uint64_t, std::uint64_t>> boundary_ranges(std::uint64_t total, std::uint64_t sub) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  for (const auto& [first, count] : std::vector<std::pair<std::uint64_t, std::uint64_t>>{
           {0, 0}, {0, 1}, {5, 1}, {0, sub}, {3, sub + 1}, {11, 3 * sub + 3}, {1, total - 1}, {0, total}})
    if (first + count <= total) out.push_back({first, count});
  return out;
}

void check_batch_boundaries(const DeviceApi& api, const SweepSpec& spec, const std::string& what) {
  auto cpu = make_cpu_evaluator(spec, 2);
  const auto expected = evaluate_range(*cpu, 0, spec.total_points);
  const ReductionPlan plan =
      summary_plan(spec, SweepMetric::CollectiveTimeNs, false, 5);
  ASSERT_GT(spec.total_points, 3 * 64 + 14) << what;  // every range below fits
  for (const std::uint64_t sub : {std::uint64_t{7}, std::uint64_t{64}}) {
    DeviceEvaluatorOptions o;
    o.sub_batch_points = sub;
    o.slots = 3;  // fewer slots than points: every slot strides over several
    o.host_threads = 2;
    auto device = make_device_evaluator(api, spec, o);
    for (const auto& [first, count] : boundary_ranges(spec.total_points, sub)) {
      const std::string at = what + " sub-batch " + std::to_string(sub) + " first " + std::to_string(first) +
                             " count " + std::to_string(count);
      expect_same_results(std::vector<SweepPointResult>(expected.begin() + first, expected.begin() + first + count),
                          evaluate_range(*device, first, count), at);
      BatchReduction host, dev;
      reduce_on_host(plan, first, expected.data() + first, count, host);
      device->evaluate_reduced(first, count, plan, dev);
      expect_same_reduction(host, dev, at + " reduced");
    }
  }
}

TEST(DeviceBatching, ThrustOmpBatchBoundariesMatchCpu) {
  if (!have_thrust_omp_backend()) GTEST_SKIP() << "this build has no thrust-omp backend";
#if defined(ASTRA_HAVE_THRUST_OMP)
  check_batch_boundaries(thrust_omp_device_api(), unaware_spec(), "thrust-omp unaware");
  check_batch_boundaries(thrust_omp_device_api(), mixed_spec(), "thrust-omp mixed");
#endif
}

TEST(DeviceBatching, CudaBatchBoundariesMatchCpuWhenAGpuIsPresent) {
  if (!have_cuda_backend()) GTEST_SKIP() << "this build has no CUDA backend (nvcc not found)";
#if defined(ASTRA_HAVE_CUDA_BACKEND)
  std::string why_not;
  if (cuda_device_api().device_count(why_not) == 0) GTEST_SKIP() << "no GPU here, CUDA batching not checked: " << why_not;
  check_batch_boundaries(cuda_device_api(), unaware_spec(), "cuda unaware");
  check_batch_boundaries(cuda_device_api(), mixed_spec(), "cuda mixed");
#endif
}

// Stand-ins for the GPUs of a node: three thrust-omp devices give one device's answers, rows and
// reductions, whatever the split (fewer points than devices included).
TEST(DeviceBatching, SeveralDevicesGiveOneDevicesAnswers) {
  if (!have_thrust_omp_backend()) GTEST_SKIP() << "this build has no thrust-omp backend";
#if defined(ASTRA_HAVE_THRUST_OMP)
  for (const SweepSpec& spec : {unaware_spec(), mixed_spec()}) {
    auto one = make_thrust_omp_evaluator(spec, 2);
    DeviceSelection three;
    three.count = 3;
    auto several = make_thrust_omp_evaluator(spec, 2, three);
    EXPECT_EQ(several->device_name().rfind("3 x ", 0), 0u) << several->device_name();
    EXPECT_EQ(several->backend_name(), "thrust-omp");
    const ReductionPlan plan = summary_plan(spec, SweepMetric::BusBwGBps, true, 7);
    for (const auto& [first, count] : boundary_ranges(spec.total_points, 4)) {
      const std::string at = spec.file + " first " + std::to_string(first) + " count " + std::to_string(count);
      expect_same_results(evaluate_range(*one, first, count), evaluate_range(*several, first, count), at);
      BatchReduction a, b;
      one->evaluate_reduced(first, count, plan, a);
      several->evaluate_reduced(first, count, plan, b);
      expect_same_reduction(a, b, at + " reduced");
    }
  }
#endif
}

TEST(DeviceBatching, DeviceSelectionParsesAndRefusesClearly) {
  EXPECT_FALSE(parse_device_selection("").multiple());
  EXPECT_TRUE(parse_device_selection("all").all);
  EXPECT_EQ(parse_device_selection("4").count, 4);
  EXPECT_FALSE(parse_device_selection("1").multiple());
  EXPECT_EQ(parse_device_selection("0,2,5").ordinals, (std::vector<int>{0, 2, 5}));
  EXPECT_EQ(describe_device_selection(parse_device_selection("0,2,5")), "0,2,5");
  for (const char* bad : {"0", "-1", "65", "x", "1,1", "0,,2", "2,", "all,1", "1.5"}) {
    try {
      parse_device_selection(bad);
      ADD_FAILURE() << "accepted --devices " << bad;
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), "--devices") << bad;
      EXPECT_FALSE(e.reason().empty()) << bad;
    }
  }
  // Several devices need a device backend; the cpu backend refuses them with the reason.
  const SweepSpec spec = unaware_spec();
  std::string note;
  EXPECT_THROW(select_backend("cpu", spec, 1, note, parse_device_selection("2")), InputError);
  EXPECT_NO_THROW(select_backend("cpu", spec, 1, note, parse_device_selection("1")));
}

}  // namespace
}  // namespace astra
