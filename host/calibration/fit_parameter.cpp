#include "host/calibration/fit_parameter.hpp"

#include <algorithm>
#include <cmath>

#include "host/calibration/strict_numbers.hpp"
#include "host/input/input_error.hpp"

namespace astra::calibration {
namespace {

struct KindName {
  ParameterKind kind;
  const char* name;
};
constexpr KindName kNames[] = {
    {ParameterKind::LatencyNs, "latency_ns"},
    {ParameterKind::BandwidthGBps, "bandwidth_GBps"},
    {ParameterKind::EndpointDelayNs, "endpoint_delay_ns"},
    {ParameterKind::PreferredDatasetSplits, "preferred_dataset_splits"},
    {ParameterKind::ActiveChunks, "active_chunks"},
    {ParameterKind::LocalMemBwGBps, "local_mem_bw_GBps"},
    {ParameterKind::NcclLlLatencyNs, "nccl_ll_latency_ns"},
    {ParameterKind::NcclLl128LatencyNs, "nccl_ll128_latency_ns"},
    {ParameterKind::NcclSimpleLatencyNs, "nccl_simple_latency_ns"},
    {ParameterKind::NcclLlEfficiency, "nccl_ll_efficiency"},
    {ParameterKind::NcclLl128Efficiency, "nccl_ll128_efficiency"},
    {ParameterKind::NcclSimpleEfficiency, "nccl_simple_efficiency"},
    {ParameterKind::NcclFloorNs, "nccl_floor_ns"},
    {ParameterKind::NcclLlMaxBytes, "nccl_ll_max_bytes"},
    {ParameterKind::NcclLl128MaxBytes, "nccl_ll128_max_bytes"},
    {ParameterKind::NcclChannelBytes, "nccl_channel_bytes"},
    {ParameterKind::NcclMaxChannels, "nccl_max_channels"},
    {ParameterKind::NcclNvlsStepNs, "nccl_nvls_step_ns"},
    {ParameterKind::NcclNvlsFillSteps, "nccl_nvls_fill_steps"},
    {ParameterKind::NcclNvlsChannels, "nccl_nvls_channels"},
    {ParameterKind::NcclNvlsChunkBytes, "nccl_nvls_chunk_bytes"},
};

// The protocol (0 LL, 1 LL128, 2 Simple) of an nccl_* parameter, and whether it is a latency.
int nccl_protocol(ParameterKind k) { return (static_cast<int>(k) - static_cast<int>(ParameterKind::NcclLlLatencyNs)) % 3; }
bool nccl_efficiency(ParameterKind k) {
  return k >= ParameterKind::NcclLlEfficiency && k <= ParameterKind::NcclSimpleEfficiency;
}

const char* kind_name(ParameterKind k) {
  for (const auto& n : kNames)
    if (n.kind == k) return n.name;
  return "?";
}

}  // namespace

std::string FitParameter::name() const {
  std::string n = kind_name(kind);
  if (dim >= 0) {  // appended piece by piece: GCC 12 warns (falsely) on "[" + std::string + "]" here
    n += '[';
    n += std::to_string(dim);
    n += ']';
  }
  return n;
}

bool FitParameter::is_integer() const {
  return kind == ParameterKind::EndpointDelayNs || kind == ParameterKind::PreferredDatasetSplits ||
         kind == ParameterKind::ActiveChunks;
}

double FitParameter::from_unit(double u) const {
  u = std::clamp(u, 0.0, 1.0);
  double v = log_scale ? low * std::pow(high / low, u) : low + u * (high - low);
  if (is_integer()) v = std::round(v);
  return std::clamp(v, low, high);
}

double FitParameter::to_unit(double value) const {
  if (high == low) return 0.0;
  const double u = log_scale ? std::log(value / low) / std::log(high / low) : (value - low) / (high - low);
  return std::clamp(u, 0.0, 1.0);
}

std::vector<double> FitParameter::grid_values(int count) const {
  std::vector<double> values;
  if (count <= 1 || high == low) return {from_unit(count <= 1 ? 0.5 : 0.0)};
  for (int i = 0; i < count; ++i) {
    const double v = from_unit(static_cast<double>(i) / (count - 1));
    if (values.empty() || v != values.back()) values.push_back(v);
  }
  return values;
}

FitParameter parse_fit_parameter(std::string_view spec) {
  const std::string s(spec);
  const std::size_t eq = spec.find('=');
  if (eq == std::string_view::npos)
    throw InputError("--param", s, "expected NAME=LOW:HIGH[:lin|log], e.g. latency_ns=100:3000:log");
  std::string_view name = spec.substr(0, eq);
  FitParameter p;
  if (const std::size_t br = name.find('['); br != std::string_view::npos) {
    if (!name.ends_with("]")) throw InputError("--param", s, "a dimension is written NAME[DIM]");
    const auto dim = parse_whole_uint64(name.substr(br + 1, name.size() - br - 2));
    if (!dim || *dim >= static_cast<std::uint64_t>(kMaxDims))
      throw InputError("--param", s, "the dimension must be an integer 0.." + std::to_string(kMaxDims - 1));
    p.dim = static_cast<int>(*dim);
    name = name.substr(0, br);
  }
  bool known = false;
  for (const auto& n : kNames)
    if (name == n.name) p.kind = n.kind, known = true;
  if (!known)
    throw InputError("--param", s,
                     "unknown parameter '" + std::string(name) +
                         "' (latency_ns, bandwidth_GBps, endpoint_delay_ns, preferred_dataset_splits, "
                         "active_chunks, local_mem_bw_GBps; models beyond ASTRA-sim: nccl_{ll,ll128,simple}_latency_ns, "
                         "nccl_{ll,ll128,simple}_efficiency, nccl_floor_ns, nccl_ll_max_bytes, nccl_ll128_max_bytes, "
                         "nccl_channel_bytes, nccl_max_channels, nccl_nvls_step_ns, nccl_nvls_fill_steps, "
                         "nccl_nvls_channels, nccl_nvls_chunk_bytes)");
  if (p.dim >= 0 && !p.is_network())
    throw InputError("--param", s, "only latency_ns and bandwidth_GBps take a [DIM]");

  std::string_view range = spec.substr(eq + 1);
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = range.find(':', start);
    parts.push_back(range.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (parts.size() < 2 || parts.size() > 3)
    throw InputError("--param", s, "expected NAME=LOW:HIGH[:lin|log]");
  const auto low = parse_whole_double(parts[0]);
  const auto high = parse_whole_double(parts[1]);
  if (!low || !high) throw InputError("--param", s, "LOW and HIGH must be numbers");
  p.low = *low;
  p.high = *high;
  if (parts.size() == 3) {
    if (parts[2] == "log") p.log_scale = true;
    else if (parts[2] != "lin") throw InputError("--param", s, "the scale is lin or log");
  }
  if (p.high < p.low) throw InputError("--param", s, "HIGH must be >= LOW");
  const bool positive = p.kind == ParameterKind::BandwidthGBps || p.kind == ParameterKind::PreferredDatasetSplits ||
                        p.kind == ParameterKind::ActiveChunks || p.kind == ParameterKind::LocalMemBwGBps ||
                        nccl_efficiency(p.kind);
  if (nccl_efficiency(p.kind) && p.high > 1.0)
    throw InputError("--param", s, "an efficiency is at most 1");
  if ((p.kind == ParameterKind::NcclMaxChannels || p.kind == ParameterKind::NcclNvlsChannels) && p.low < 1.0)
    throw InputError("--param", s, "a channel count is at least 1");
  if (p.kind == ParameterKind::NcclNvlsChunkBytes && p.low < 1.0)
    throw InputError("--param", s, "a chunk is at least 1 byte");
  if (positive && p.low <= 0.0) throw InputError("--param", s, "LOW must be > 0 for this parameter");
  if (p.low < 0.0) throw InputError("--param", s, "LOW must be >= 0");
  if (p.log_scale && p.low <= 0.0) throw InputError("--param", s, "a log scale needs LOW > 0");
  if (p.is_integer() && (p.low != std::round(p.low) || p.high != std::round(p.high)))
    throw InputError("--param", s, "this parameter is an integer: LOW and HIGH must be integers");
  return p;
}

void check_parameter_fits_network(const FitParameter& p, const NetworkConfig& network) {
  if (p.dim >= network.dims)
    throw InputError("--param", p.name(),
                     "the network has " + std::to_string(network.dims) + " dimension(s) (0.." +
                         std::to_string(network.dims - 1) + ")");
}

void apply_parameter(const FitParameter& p, double value, NetworkConfig& network, SystemConfig& system) {
  const int first = p.dim >= 0 ? p.dim : 0;
  const int last = p.dim >= 0 ? p.dim + 1 : network.dims;
  switch (p.kind) {
    case ParameterKind::LatencyNs:
      for (int d = first; d < last; ++d) network.latency_ns[d] = value;
      break;
    case ParameterKind::BandwidthGBps:
      for (int d = first; d < last; ++d) network.bandwidth_GBps[d] = value;
      break;
    case ParameterKind::EndpointDelayNs: system.endpoint_delay_ns = static_cast<std::int64_t>(value); break;
    case ParameterKind::PreferredDatasetSplits: system.preferred_dataset_splits = static_cast<std::int64_t>(value); break;
    case ParameterKind::ActiveChunks: system.active_chunks_per_dimension = static_cast<std::int32_t>(value); break;
    case ParameterKind::LocalMemBwGBps: system.local_mem_bw_GBps = value; break;
    case ParameterKind::NcclFloorNs: system.nccl.floor_ns = value; break;
    case ParameterKind::NcclLlMaxBytes: system.nccl.ll_max_bytes = value; break;
    case ParameterKind::NcclLl128MaxBytes: system.nccl.ll128_max_bytes = value; break;
    case ParameterKind::NcclChannelBytes: system.nccl.channel_bytes = value; break;
    case ParameterKind::NcclMaxChannels: system.nccl.max_channels = value; break;
    case ParameterKind::NcclNvlsStepNs: system.nccl.nvls_step_ns = value; break;
    case ParameterKind::NcclNvlsFillSteps: system.nccl.nvls_fill_steps = value; break;
    case ParameterKind::NcclNvlsChannels: system.nccl.nvls_channels = value; break;
    case ParameterKind::NcclNvlsChunkBytes: system.nccl.nvls_chunk_bytes = value; break;
    default:
      if (nccl_efficiency(p.kind)) system.nccl.protocol[nccl_protocol(p.kind)].efficiency = value;
      else system.nccl.protocol[nccl_protocol(p.kind)].latency_ns = value;
      break;
  }
}

double read_parameter(const FitParameter& p, const NetworkConfig& network, const SystemConfig& system) {
  const int d = p.dim >= 0 ? p.dim : 0;
  switch (p.kind) {
    case ParameterKind::LatencyNs: return network.latency_ns[d];
    case ParameterKind::BandwidthGBps: return network.bandwidth_GBps[d];
    case ParameterKind::EndpointDelayNs: return static_cast<double>(system.endpoint_delay_ns);
    case ParameterKind::PreferredDatasetSplits: return static_cast<double>(system.preferred_dataset_splits);
    case ParameterKind::ActiveChunks: return static_cast<double>(system.active_chunks_per_dimension);
    case ParameterKind::LocalMemBwGBps: return system.local_mem_bw_GBps;
    case ParameterKind::NcclFloorNs: return system.nccl.floor_ns;
    case ParameterKind::NcclLlMaxBytes: return system.nccl.ll_max_bytes;
    case ParameterKind::NcclLl128MaxBytes: return system.nccl.ll128_max_bytes;
    case ParameterKind::NcclChannelBytes: return system.nccl.channel_bytes;
    case ParameterKind::NcclMaxChannels: return system.nccl.max_channels;
    case ParameterKind::NcclNvlsStepNs: return system.nccl.nvls_step_ns;
    case ParameterKind::NcclNvlsFillSteps: return system.nccl.nvls_fill_steps;
    case ParameterKind::NcclNvlsChannels: return system.nccl.nvls_channels;
    case ParameterKind::NcclNvlsChunkBytes: return system.nccl.nvls_chunk_bytes;
    default:
      return nccl_efficiency(p.kind) ? system.nccl.protocol[nccl_protocol(p.kind)].efficiency
                                     : system.nccl.protocol[nccl_protocol(p.kind)].latency_ns;
  }
  return 0.0;
}

}  // namespace astra::calibration
