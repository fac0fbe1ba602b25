// The study's hardware section (host/study/hardware_spec.hpp, hardware_validation.hpp): the
// spec's checks, the error statistics of the last line, a visible skip without measured data,
// and, with ../shared/measured present, a run whose numbers hang together (measured iteration =
// GPUs x batch / throughput, error = predicted / measured - 1, the anchor matched).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "host/input/input_error.hpp"
#include "host/study/hardware_report.hpp"
#include "host/study/hardware_validation.hpp"

namespace astra {
namespace {

const std::string kRepo = ASTRA_SOURCE_DIR;

std::string spec_text(const std::string& extra_system = "", const std::string& extra = "") {
  return "measured_dir: " + std::string(ASTRA_SHARED_DIR) +
         "/measured\n"
         "profile: resnet50_h200_profile.json\n"
         "system: " + kRepo + "/configs/system/HGX-H100-validated.json\n"
         "intra_node: {table: nvidia_dgxc_h100x8_allreduce.csv}\n"
         "inter_node: {table: issue309_dell_xe9680_2node_h100_allreduce.csv}\n"
         "grid: 12\n"
         "anchor: a\n" + extra +
         "systems:\n"
         "  - {name: a, nodes: 1, batch_per_gpu: 256, images_per_s: 40000, source: s}\n"
         "  - {name: b, nodes: 2, batch_per_gpu: 128, images_per_s: 60000, source: s}\n" + extra_system;
}

HardwareSpec parse(const std::string& text) { return parse_hardware_spec(YAML::Load(text), "h.yaml", "/"); }

void expect_error(const std::string& text, const std::string& what) {
  try {
    parse(text);
    ADD_FAILURE() << "no error; expected " << what;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(HardwareSpec, ChecksItsFields) {
  const HardwareSpec h = parse(spec_text());
  ASSERT_EQ(h.systems.size(), 2u);
  EXPECT_EQ(h.systems[1].nodes, 2);
  EXPECT_EQ(h.systems[1].gpus_per_node, 8);
  EXPECT_EQ(h.anchor, "a");
  expect_error(spec_text("  - {name: a, nodes: 1, batch_per_gpu: 1, images_per_s: 1, source: s}\n"),
               "h.yaml: hardware.systems[2].name: 'a' appears twice");
  expect_error(spec_text("  - {name: c, nodes: 1, batch_per_gpu: 0, images_per_s: 1, source: s}\n"),
               "hardware.systems[2].batch_per_gpu: must be >= 1");
  expect_error(spec_text("  - {name: c, nodes: 1, batch_per_gpu: 1, source: s}\n"),
               "hardware.systems[2].images_per_s: missing");
  expect_error(spec_text("", "scaling: {gpus: [4, 12]}\n"), "hardware.scaling.gpus: 12 is neither at most one node");
  std::string other_anchor = spec_text();
  other_anchor.replace(other_anchor.find("anchor: a"), 9, "anchor: z");
  expect_error(other_anchor, "hardware.anchor: 'z' is not one of the systems");
}

TEST(HardwareValidation, ErrorStatistics) {
  const ErrorStats odd = error_stats({0.1, -0.3, 0.2});
  EXPECT_DOUBLE_EQ(odd.median_abs, 0.2);
  EXPECT_DOUBLE_EQ(odd.max_abs, 0.3);
  const ErrorStats even = error_stats({-0.1, 0.4, 0.2, -0.05});
  EXPECT_DOUBLE_EQ(even.median_abs, 0.15);
  EXPECT_EQ(even.count, 4u);
  EXPECT_EQ(error_stats({}).count, 0u);
}

TEST(HardwareValidation, SkipsVisiblyWithoutMeasuredData) {
  std::string text = spec_text();
  text.replace(0, text.find('\n'), "measured_dir: /nonexistent/measured");
  const HardwareResults r =
      run_hardware_validation(parse(text), kRepo + "/configs/workload/Resnet50_DataParallel.txt", 2);
  EXPECT_NE(r.skipped.find("/nonexistent/measured/resnet50_h200_profile.json not found"), std::string::npos) << r.skipped;
  EXPECT_EQ(hardware_summary_line(r).rfind("hardware: 0 comparisons (skipped: ", 0), 0u);
}

TEST(HardwareValidation, PredictionsHangTogether) {
  if (!std::filesystem::exists(std::string(ASTRA_SHARED_DIR) + "/measured/resnet50_h200_profile.json"))
    GTEST_SKIP() << "../shared/measured missing";
  const HardwareResults r =
      run_hardware_validation(parse(spec_text()), kRepo + "/configs/workload/Resnet50_DataParallel.txt", 2);
  ASSERT_TRUE(r.skipped.empty());
  ASSERT_EQ(r.systems.size(), 2u);
  for (const auto& c : r.systems) {
    EXPECT_NEAR(c.measured_iteration_ms, 1e3 * c.gpus * c.system.batch_per_gpu / c.system.images_per_s, 1e-9);
    EXPECT_NEAR(c.error, c.predicted_images_per_s / c.system.images_per_s - 1, 1e-12);
    EXPECT_GE(c.predicted_iteration_ms, c.compute_ms);
  }
  // Batch 256 is measured: the compute is the measured step exactly (54.523 ms).
  EXPECT_NEAR(r.systems[0].compute_ms, 54.523, 1e-9);
  EXPECT_EQ(r.systems[1].network.dims, 2);
  EXPECT_EQ(r.systems[1].network.npus_count[1], 2);
  // The anchor's prediction matches its measurement (to the bisection's tolerance and 1 ns rounding).
  EXPECT_NEAR(r.systems[0].anchored_iteration_ms, r.systems[0].measured_iteration_ms, 1e-4);
  EXPECT_EQ(r.anchored_errors.count, 1u);
  EXPECT_EQ(r.errors.count, 2u);
  EXPECT_GT(r.intra.bandwidth_GBps, 0);
  EXPECT_GT(r.inter.latency_ns, 0);
  EXPECT_EQ(r.scaling.size(), 10u);
  for (const auto& c : r.profile_checks) EXPECT_NEAR(c.simulated_compute_ms, c.measured_step_ms, 0.0005);
}

}  // namespace
}  // namespace astra
