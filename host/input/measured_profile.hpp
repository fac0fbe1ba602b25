// Compute times from a measured per-layer profile (e.g. ../shared/measured/resnet50_h200_profile.json)
// put into an ASTRA-sim text workload, so that a simulated iteration spends the measured time
// computing. docs/measured_compute.md has the method; in short:
//  - the profile holds whole training steps at some batch sizes (`iterations[B].train_step_us`)
//    and, at some batch sizes, every conv/fc layer's forward, input-gradient and weight-gradient
//    time in isolation (`layers[B][i]`, with the layer's fp32 gradient bytes);
//  - a workload layer takes the profile layer of the same name, or by ASTRA-sim's ResNet naming
//    (`layer_<C>_<b>_conv<k>` = torchvision `layer<s>.<b-1>.conv<k>`, conv4 = `downsample.0`,
//    C = 64/128/256/512 -> s = 1..4; `fc1000` = `fc`), and its gradient all-reduce must carry the
//    profile layer's gradient bytes (else the mapping is refused);
//  - at a batch B: layer times are affine in B through the two nearest profiled batches; the
//    whole step is piecewise linear through the measured steps (linear past the ends); the time
//    outside the isolated layers (normalisation, activations, casts, optimizer) is the step minus
//    the layers' sum, spread over the phases the workload runs in proportion to their time (the
//    first layer's input gradient is not run, by the workload or by a real step), so the
//    workload's compute adds up to the step (integer microseconds, largest-remainder rounding).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace astra {

struct ProfileLayer {
  std::string name;
  std::uint64_t grad_bytes = 0;  // fp32 gradient bytes (the all-reduce size)
  double forward_us = 0, input_grad_us = 0, weight_grad_us = 0;
};

struct MeasuredProfile {
  std::string file;
  std::string device;
  std::map<int, double> step_us;                         // batch -> whole training step
  std::map<int, std::vector<ProfileLayer>> layers;       // batch -> layers, in the profile's order
};

// Throws InputError (file, field, reason) on a missing or malformed field.
MeasuredProfile read_measured_profile(const std::string& path);
MeasuredProfile parse_measured_profile(const std::string& text, const std::string& file);

// The profile layer a workload layer maps onto ("" when the name has no counterpart).
std::string profile_layer_name(const std::string& workload_layer);

// The profile at one batch size.
struct ProfileAtBatch {
  int batch = 0;
  double step_us = 0;                 // whole training step
  double isolated_us = 0;             // sum of the layers' three phases
  std::vector<ProfileLayer> layers;   // times at this batch
  double outside_us() const { return step_us - isolated_us; }
};
// Throws InputError when the profile has no layers or no steps, or batch < 1.
ProfileAtBatch profile_at_batch(const MeasuredProfile& profile, int batch);

// One workload layer's new compute columns (integer us, as the text format has them).
struct MeasuredLayerCompute {
  std::string workload_layer, profile_layer;
  std::int64_t forward_us = 0, input_grad_us = 0, weight_grad_us = 0;
};

struct MeasuredWorkload {
  std::string text;  // the ASTRA-sim text workload with measured compute (runs in ASTRA-sim too)
  ProfileAtBatch at;
  std::vector<MeasuredLayerCompute> layers;
  double isolated_run_us = 0;   // the isolated times of the phases the workload runs
  std::int64_t compute_us = 0;  // sum of every compute column = round(at.step_us)
};

// Rewrites the compute columns of `workload_text` (an ASTRA-sim text workload) from the profile
// at `batch`. Throws InputError naming the workload file when a layer has no profile layer, two
// layers map onto one, a profile layer is left over, or gradient bytes disagree.
MeasuredWorkload measured_text_workload(const std::string& workload_text, const std::string& workload_file,
                                        const MeasuredProfile& profile, int batch);

}  // namespace astra
