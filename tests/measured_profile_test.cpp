// Compute from a measured profile (host/input/measured_profile.hpp, docs/measured_compute.md):
// the layer mapping (ASTRA-sim's ResNet names onto torchvision's, checked by gradient bytes),
// interpolation in the batch size, the time outside the isolated layers, the rewritten text
// workload simulated against the measured whole steps (exact where measured, and with each
// step left out), and one-line errors for bad profiles and mappings.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "host/engine/host_point_evaluator.hpp"
#include "host/input/file_text.hpp"
#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"
#include "host/input/measured_profile.hpp"

namespace astra {
namespace {

const std::string kProfile = std::string(ASTRA_SHARED_DIR) + "/measured/resnet50_h200_profile.json";
const std::string kWorkload = std::string(ASTRA_SOURCE_DIR) + "/configs/workload/Resnet50_DataParallel.txt";

bool have_profile() { return std::filesystem::exists(kProfile); }

// A two-layer profile and workload, small enough to check by hand.
const char* kTinyProfile = R"({"device": "test",
  "iterations": {"100": {"train_step_us": 1000}, "200": {"train_step_us": 1800}},
  "layers": {
    "100": [{"layer": "conv1", "grad_bytes_fp32": 400, "forward_us": 100, "input_grad_us": 50, "weight_grad_us": 50},
            {"layer": "fc", "grad_bytes_fp32": 800, "forward_us": 100, "input_grad_us": 100, "weight_grad_us": 100}],
    "200": [{"layer": "conv1", "grad_bytes_fp32": 400, "forward_us": 200, "input_grad_us": 90, "weight_grad_us": 100},
            {"layer": "fc", "grad_bytes_fp32": 800, "forward_us": 190, "input_grad_us": 200, "weight_grad_us": 200}]}})";
const char* kTinyWorkload =
    "DATA\n2\n"
    "conv1\t-1\t7\tNONE\t0\t7\tNONE\t0\t7\tALLREDUCE\t400\t1\n"
    "fc1000\t-1\t7\tNONE\t0\t7\tNONE\t0\t7\tALLREDUCE\t800\t1\n";

TEST(MeasuredProfile, MapsAstraSimResNetNamesOntoTorchvision) {
  EXPECT_EQ(profile_layer_name("conv1"), "conv1");
  EXPECT_EQ(profile_layer_name("layer_64_1_conv1"), "layer1.0.conv1");
  EXPECT_EQ(profile_layer_name("layer_64_1_conv4"), "layer1.0.downsample.0");
  EXPECT_EQ(profile_layer_name("layer_256_6_conv3"), "layer3.5.conv3");
  EXPECT_EQ(profile_layer_name("layer_512_3_conv2"), "layer4.2.conv2");
  EXPECT_EQ(profile_layer_name("fc1000"), "fc");
  EXPECT_EQ(profile_layer_name("embedding"), "embedding");  // other names map onto themselves
}

TEST(MeasuredProfile, InterpolatesInTheBatchAndSpreadsTheOutsideTime) {
  const MeasuredProfile p = parse_measured_profile(kTinyProfile, "tiny.json");
  const ProfileAtBatch at150 = profile_at_batch(p, 150);
  EXPECT_DOUBLE_EQ(at150.step_us, 1400);  // halfway between the two steps
  EXPECT_DOUBLE_EQ(at150.layers[0].forward_us, 150);
  EXPECT_DOUBLE_EQ(at150.layers[1].input_grad_us, 150);
  EXPECT_DOUBLE_EQ(profile_at_batch(p, 300).step_us, 2600);  // the end segment, extended
  EXPECT_DOUBLE_EQ(profile_at_batch(p, 100).isolated_us, 500);

  // At batch 100 the workload runs conv1's forward and weight gradient and all of fc's (the first
  // layer has no input-gradient node): 100 + 50 + 300 = 450 us isolated, 1000 us step, so every
  // phase that runs is x 1000/450 and conv1's input gradient is 0.
  const MeasuredWorkload w = measured_text_workload(kTinyWorkload, "tiny.txt", p, 100);
  EXPECT_DOUBLE_EQ(w.isolated_run_us, 450);
  EXPECT_EQ(w.compute_us, 1000);
  ASSERT_EQ(w.layers.size(), 2u);
  EXPECT_EQ(w.layers[0].profile_layer, "conv1");
  EXPECT_EQ(w.layers[1].profile_layer, "fc");
  EXPECT_EQ(w.layers[0].input_grad_us, 0);
  EXPECT_NEAR(static_cast<double>(w.layers[0].forward_us), 100 * 1000.0 / 450, 1.0);
  EXPECT_NEAR(static_cast<double>(w.layers[1].weight_grad_us), 100 * 1000.0 / 450, 1.0);
  EXPECT_EQ(w.layers[0].forward_us + w.layers[0].weight_grad_us + w.layers[1].forward_us + w.layers[1].input_grad_us +
                w.layers[1].weight_grad_us,
            1000);
  // Only the compute columns changed: the 12th column and the communication stay as written.
  EXPECT_NE(w.text.find("fc1000\t-1\t"), std::string::npos);
  EXPECT_NE(w.text.find("\tALLREDUCE\t800\t1\n"), std::string::npos);
}

void expect_error(const std::string& profile, const std::string& workload, const std::string& what) {
  try {
    const MeasuredProfile p = parse_measured_profile(profile, "p.json");
    measured_text_workload(workload, "w.txt", p, 100);
    ADD_FAILURE() << "no error; expected " << what;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(MeasuredProfile, BadProfilesAndMappingsAreOneLineErrors) {
  expect_error("[1]", kTinyWorkload, "p.json: not a JSON object");
  expect_error(R"({"layers": {"1": []}})", kTinyWorkload, "p.json: iterations: missing");
  std::string no_time = kTinyProfile;
  no_time.replace(no_time.find("\"forward_us\": 100"), 17, "\"forward_us\": \"x\"");
  expect_error(no_time, kTinyWorkload, "p.json: layers.100[0].forward_us: missing or not a number");
  std::string other_name = kTinyWorkload;
  other_name.replace(other_name.find("fc1000"), 6, "fc2000");
  expect_error(kTinyProfile, other_name, "w.txt: line 4: layer 'fc2000' has no layer 'fc2000'");
  std::string other_bytes = kTinyWorkload;
  other_bytes.replace(other_bytes.find("ALLREDUCE\t800"), 13, "ALLREDUCE\t801");
  expect_error(kTinyProfile, other_bytes, "w.txt: line 4: layer 'fc1000' all-reduces 801 bytes but 'fc' has 800");
  const std::string one_layer = "DATA\n1\nconv1\t-1\t7\tNONE\t0\t7\tNONE\t0\t7\tALLREDUCE\t400\t1\n";
  expect_error(kTinyProfile, one_layer, "w.txt: layers: profile layer 'fc' of p.json has no workload layer");
}

// The H200 ResNet-50 profile on the bundled workload: all 54 layers map, and the rewritten
// workload, simulated, computes exactly the measured whole step at every measured batch.
TEST(MeasuredProfile, ResNet50WorkloadComputesTheMeasuredWholeStep) {
  if (!have_profile()) GTEST_SKIP() << kProfile << " missing (../shared beside the repository)";
  const MeasuredProfile p = read_measured_profile(kProfile);
  const std::string text = read_input_file(kWorkload);
  const NetworkConfig network = read_network_yaml(std::string(ASTRA_SOURCE_DIR) + "/configs/network/hgx_h100_8gpu.yml");
  const SystemConfig system = read_system_json(std::string(ASTRA_SOURCE_DIR) + "/configs/system/HGX-H100-validated.json");
  ASSERT_EQ(p.step_us.size(), 3u);
  for (const auto& [batch, step_us] : p.step_us) {
    const MeasuredWorkload w = measured_text_workload(text, kWorkload, p, batch);
    EXPECT_EQ(w.layers.size(), 54u);
    EXPECT_EQ(w.layers[1].workload_layer, "layer_64_1_conv4");
    EXPECT_EQ(w.layers[1].profile_layer, "layer1.0.downsample.0");
    const HostPointResult r = evaluate_on_host(network, system, NetworkBackend::CongestionUnaware,
                                               parse_text_workload(w.text, kWorkload), 1.0);
    ASSERT_EQ(r.metrics.status, PointStatus::Ok);
    EXPECT_EQ(static_cast<std::int64_t>(r.metrics.compute_ns), std::llround(step_us) * 1000) << "batch " << batch;
    EXPECT_GE(r.metrics.finish_ns, r.metrics.compute_ns);
  }
  // Held out: each measured step predicted from the others (docs/measured_compute.md quotes these).
  const double expected_error[] = {-0.204, 0.099, -0.162};  // batch 64, 128, 256
  int i = 0;
  for (const auto& [batch, step_us] : p.step_us) {
    MeasuredProfile without = p;
    without.step_us.erase(batch);
    const double predicted = profile_at_batch(without, batch).step_us;
    EXPECT_NEAR(predicted / step_us - 1.0, expected_error[i++], 0.001) << "batch " << batch;
  }
}

}  // namespace
}  // namespace astra
