// One parameter a calibration fits, as given on the command line:
//
//   NAME[ [DIM] ]=LOW:HIGH[:lin|log]        e.g. latency_ns=100:3000:log, bandwidth_GBps[1]=50:900:log
//
// NAME is one of
//   latency_ns, bandwidth_GBps       network YAML, every dimension (or only DIM when given)
//   endpoint_delay_ns                system JSON "endpoint-delay" (integer)
//   preferred_dataset_splits         system JSON "preferred-dataset-splits" (integer)
//   active_chunks                    system JSON "active-chunks-per-dimension" (integer)
//   local_mem_bw_GBps                system JSON "local-mem-bw"
//   nccl_{ll,ll128,simple}_latency_ns    base latency of an NCCL protocol   } models beyond
//   nccl_{ll,ll128,simple}_efficiency    its bandwidth efficiency in (0, 1] } ASTRA-sim (docs/
//                                        beyond_astra_sim_models.md); system JSON "nccl-ll-latency-ns", ...
//   nccl_floor_ns                        the launch floor of those models (system JSON "nccl-floor-ns")
//   nccl_ll_max_bytes, nccl_ll128_max_bytes  their protocol thresholds by size ("nccl-ll-max-bytes", ...)
//   nccl_channel_bytes, nccl_max_channels    their channel ramp ("nccl-channel-bytes", "nccl-max-channels")
//   nccl_nvls_step_ns, nccl_nvls_fill_steps, nccl_nvls_channels, nccl_nvls_chunk_bytes
//                                        the NVLS pipeline ("nccl-nvls-step-ns", ...)
// The search works in unit coordinates u in [0, 1]: value = LOW + u (HIGH - LOW) on a lin
// scale, LOW (HIGH/LOW)^u on a log scale; integer parameters round to the nearest integer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kernels/model/config.hpp"

namespace astra::calibration {

enum class ParameterKind {
  LatencyNs, BandwidthGBps, EndpointDelayNs, PreferredDatasetSplits, ActiveChunks, LocalMemBwGBps,
  NcclLlLatencyNs, NcclLl128LatencyNs, NcclSimpleLatencyNs, NcclLlEfficiency, NcclLl128Efficiency, NcclSimpleEfficiency,
  NcclFloorNs, NcclLlMaxBytes, NcclLl128MaxBytes, NcclChannelBytes, NcclMaxChannels,
  NcclNvlsStepNs, NcclNvlsFillSteps, NcclNvlsChannels, NcclNvlsChunkBytes,
};

struct FitParameter {
  ParameterKind kind = ParameterKind::LatencyNs;
  int dim = -1;  // -1: every dimension (network parameters only)
  double low = 0.0, high = 0.0;
  bool log_scale = false;

  std::string name() const;  // as written on the command line, e.g. "latency_ns[1]"
  bool is_integer() const;
  bool is_network() const { return kind == ParameterKind::LatencyNs || kind == ParameterKind::BandwidthGBps; }
  // A parameter of the models beyond ASTRA-sim (kernels/model/beyond_model.hpp)
  bool is_beyond_model() const { return kind >= ParameterKind::NcclLlLatencyNs; }

  double from_unit(double u) const;  // clamps u to [0, 1], rounds integers
  double to_unit(double value) const;
  // `count` evenly spaced values in unit space; integer parameters drop duplicates.
  std::vector<double> grid_values(int count) const;
};

// Throws InputError(file="--param", ...) on a bad spec.
FitParameter parse_fit_parameter(std::string_view spec);

// Throws InputError when the parameter names a dimension the network lacks.
void check_parameter_fits_network(const FitParameter& p, const NetworkConfig& network);

void apply_parameter(const FitParameter& p, double value, NetworkConfig& network, SystemConfig& system);
// The current value in the configs (the first named dimension for network parameters).
double read_parameter(const FitParameter& p, const NetworkConfig& network, const SystemConfig& system);

}  // namespace astra::calibration
