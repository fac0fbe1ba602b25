// The `hardware:` section of a study spec: which measured systems (MLPerf Training results) the
// study predicts, from which measured inputs (a compute profile, nccl-tests tables to calibrate
// the intra- and inter-node links on). See docs/hardware_validation.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "kernels/model/config.hpp"

namespace astra {

// One measured training run to predict.
struct HardwareSystem {
  std::string name;
  int nodes = 1;
  int gpus_per_node = 8;
  int batch_per_gpu = 0;
  double images_per_s = 0;  // measured
  std::string source;       // where the measurement is published
};

// A calibration of one network dimension on one measured table.
struct LinkCalibration {
  std::string table;  // nccl-tests table (resolved path)
  std::string latency_range = "100:30000:log", bandwidth_range = "5:1000:log";  // ns, GB/s as in the YAML
};

struct HardwareSpec {
  std::string measured_dir;   // resolved; when missing the comparison is skipped visibly
  std::string profile;        // measured compute profile (resolved)
  std::string system_file;    // system JSON of one dimension; every dimension uses its implementations
  SystemConfig system;
  LinkCalibration intra_node;  // 1-D Switch of gpus_per_node GPUs
  LinkCalibration inter_node;  // 2-D: the intra-node fit fixed, a Switch of two nodes
  int grid = 64;               // calibration grid points per parameter
  std::string anchor;          // a system whose measured time fixes one compute factor ("" = none)
  std::vector<HardwareSystem> systems;
  // Weak scaling with the calibrated links and measured compute: GPU counts (multiples of
  // gpus_per_node above one node) at each per-GPU batch.
  std::vector<int> scaling_gpus = {4, 8, 16, 32, 64};
  std::vector<int> scaling_batches = {256, 50};
};

// `node` is the `hardware:` mapping; paths resolve against the spec's folder. Throws InputError.
HardwareSpec parse_hardware_spec(const YAML::Node& node, const std::string& file, const std::string& base_dir);

}  // namespace astra
