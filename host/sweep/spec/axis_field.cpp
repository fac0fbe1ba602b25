#include "host/sweep/spec/axis_field.hpp"

#include <cctype>
#include <charconv>
#include <string>

#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"
#include "kernels/model/names.hpp"

namespace astra {
namespace {

struct FieldName {
  std::string_view spelled;
  SweepField field;
  AxisValueKind kind;
  std::string_view column;
  bool per_dim;
};

constexpr FieldName kFields[] = {
    {"npus", SweepField::NpusCount, AxisValueKind::Integer, "npus_count", true},
    {"npus_count", SweepField::NpusCount, AxisValueKind::Integer, "npus_count", true},
    {"latency_ns", SweepField::LatencyNs, AxisValueKind::Real, "latency_ns", true},
    {"latency", SweepField::LatencyNs, AxisValueKind::Real, "latency_ns", true},
    {"bandwidth_GBps", SweepField::BandwidthGBps, AxisValueKind::Real, "bandwidth_GBps", true},
    {"bandwidth", SweepField::BandwidthGBps, AxisValueKind::Real, "bandwidth_GBps", true},
    {"topology", SweepField::Topology, AxisValueKind::Name, "topology", true},
    {"preferred-dataset-splits", SweepField::PreferredDatasetSplits, AxisValueKind::Integer,
     "preferred_dataset_splits", false},
    {"active-chunks-per-dimension", SweepField::ActiveChunksPerDimension, AxisValueKind::Integer,
     "active_chunks_per_dimension", false},
    {"scheduling-policy", SweepField::SchedulingPolicy, AxisValueKind::Name, "scheduling_policy", false},
    {"endpoint-delay", SweepField::EndpointDelayNs, AxisValueKind::Integer, "endpoint_delay_ns", false},
    {"endpoint-delay_ns", SweepField::EndpointDelayNs, AxisValueKind::Integer, "endpoint_delay_ns", false},
    {"local-mem-bw", SweepField::LocalMemBwGBps, AxisValueKind::Real, "local_mem_bw_GBps", false},
    {"local-mem-bw_GBps", SweepField::LocalMemBwGBps, AxisValueKind::Real, "local_mem_bw_GBps", false},
    {"collective-optimization", SweepField::CollectiveOptimization, AxisValueKind::Name,
     "collective_optimization", false},
    {"collective", SweepField::Collective, AxisValueKind::Name, "collective", false},
    {"size_bytes", SweepField::SizeBytes, AxisValueKind::Integer, "size_bytes", false},
    {"compute_scale", SweepField::ComputeScale, AxisValueKind::Real, "compute_scale", false},
    {"backend", SweepField::Backend, AxisValueKind::Name, "backend", false},
    {"implementation", SweepField::Implementation, AxisValueKind::Name, "implementation", true},
    {"all-reduce-implementation", SweepField::Implementation, AxisValueKind::Name, "all_reduce_implementation", true},
    {"all-gather-implementation", SweepField::Implementation, AxisValueKind::Name, "all_gather_implementation", true},
    {"reduce-scatter-implementation", SweepField::Implementation, AxisValueKind::Name,
     "reduce_scatter_implementation", true},
    {"all-to-all-implementation", SweepField::Implementation, AxisValueKind::Name, "all_to_all_implementation", true},
    // models beyond ASTRA-sim (ncclRing / ncclTree / nvls): one axis per protocol, dim = protocol
    {"nccl-ll-latency-ns", SweepField::NcclLatencyNs, AxisValueKind::Real, "nccl_ll_latency_ns", false},
    {"nccl-ll128-latency-ns", SweepField::NcclLatencyNs, AxisValueKind::Real, "nccl_ll128_latency_ns", false},
    {"nccl-simple-latency-ns", SweepField::NcclLatencyNs, AxisValueKind::Real, "nccl_simple_latency_ns", false},
    {"nccl-ll-efficiency", SweepField::NcclEfficiency, AxisValueKind::Real, "nccl_ll_efficiency", false},
    {"nccl-ll128-efficiency", SweepField::NcclEfficiency, AxisValueKind::Real, "nccl_ll128_efficiency", false},
    {"nccl-simple-efficiency", SweepField::NcclEfficiency, AxisValueKind::Real, "nccl_simple_efficiency", false},
    {"nccl-floor-ns", SweepField::NcclFloorNs, AxisValueKind::Real, "nccl_floor_ns", false},
    {"nccl-ll-max-bytes", SweepField::NcclLlMaxBytes, AxisValueKind::Real, "nccl_ll_max_bytes", false},
    {"nccl-ll128-max-bytes", SweepField::NcclLl128MaxBytes, AxisValueKind::Real, "nccl_ll128_max_bytes", false},
    {"nccl-channel-bytes", SweepField::NcclChannelBytes, AxisValueKind::Real, "nccl_channel_bytes", false},
    {"nccl-max-channels", SweepField::NcclMaxChannels, AxisValueKind::Real, "nccl_max_channels", false},
    {"nccl-nvls-step-ns", SweepField::NcclNvlsStepNs, AxisValueKind::Real, "nccl_nvls_step_ns", false},
    {"nccl-nvls-fill-steps", SweepField::NcclNvlsFillSteps, AxisValueKind::Real, "nccl_nvls_fill_steps", false},
    {"nccl-nvls-channels", SweepField::NcclNvlsChannels, AxisValueKind::Real, "nccl_nvls_channels", false},
    {"nccl-nvls-chunk-bytes", SweepField::NcclNvlsChunkBytes, AxisValueKind::Real, "nccl_nvls_chunk_bytes", false},
};

// The protocol an nccl-* axis names (its column says it): 0 LL, 1 LL128, 2 Simple.
int nccl_protocol_of(std::string_view column) {
  if (column.find("_ll128_") != std::string_view::npos) return 1;
  if (column.find("_simple_") != std::string_view::npos) return 2;
  return 0;
}

// "-" and "_" are interchangeable in keys: endpoint_delay == endpoint-delay.
std::string normalized(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c == '_') c = '-';
  return out;
}

int implementation_collective(std::string_view column) {
  if (column == "all_reduce_implementation") return static_cast<int>(CollectiveKind::AllReduce);
  if (column == "all_gather_implementation") return static_cast<int>(CollectiveKind::AllGather);
  if (column == "reduce_scatter_implementation") return static_cast<int>(CollectiveKind::ReduceScatter);
  if (column == "all_to_all_implementation") return static_cast<int>(CollectiveKind::AllToAll);
  return -1;
}

}  // namespace

AxisField resolve_axis_field(std::string_view key, const SweepPoint& base, const std::string& file) {
  const std::string key_str(key);
  std::string_view name = key;
  int dim = -1;
  if (const auto open = key.find('['); open != std::string_view::npos) {
    if (key.back() != ']')
      throw InputError(file, key_str, "a dimension index is written name[d], e.g. latency_ns[0]");
    const std::string_view digits = key.substr(open + 1, key.size() - open - 2);
    int d = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || digits.empty() || d < 0)
      throw InputError(file, key_str, "the dimension index must be a non-negative integer");
    dim = d;
    name = key.substr(0, open);
  }
  const std::string wanted = normalized(name);
  for (const FieldName& f : kFields) {
    if (normalized(f.spelled) != wanted) continue;
    if (dim >= 0 && !f.per_dim)
      throw InputError(file, key_str, std::string(f.spelled) + " has no dimensions; drop the [d]");
    AxisField out;
    out.kind = f.kind;
    out.target.field = f.field;
    out.target.dim = static_cast<std::int8_t>(dim);
    out.column = std::string(f.column);
    if (f.field == SweepField::NcclLatencyNs || f.field == SweepField::NcclEfficiency)
      out.target.dim = static_cast<std::int8_t>(nccl_protocol_of(f.column));
    if (f.field == SweepField::Implementation) {
      const int c = implementation_collective(f.column);
      out.target.collective = static_cast<std::int8_t>(c);
      if (dim >= 0) {
        for (int k = 0; k < kCollectiveKinds; ++k) {
          if (c >= 0 && k != c) continue;
          if (dim >= base.system.implementation_count[k])
            throw InputError(file, key_str,
                             "dimension " + std::to_string(dim) + " is beyond the base system's " +
                                 collective_name(static_cast<CollectiveKind>(k)) + " implementation list (" +
                                 std::to_string(base.system.implementation_count[k]) + " entries)");
        }
      }
    } else if (f.per_dim && dim >= base.network.dims) {
      throw InputError(file, key_str,
                       "dimension " + std::to_string(dim) + " is beyond the base network's " +
                           std::to_string(base.network.dims) + " dimension(s)");
    }
    if (dim >= 0) {  // piece by piece: GCC 12 warns (-Wrestrict, falsely) on "[" + to_string
      out.column += '[';
      out.column += std::to_string(dim);
      out.column += ']';
    }
    return out;
  }
  std::string known;
  for (const FieldName& f : kFields) {
    if (!known.empty()) known += ", ";
    known += f.spelled;
  }
  throw InputError(file, key_str, "unknown field (known: " + known + ")");
}

double parse_axis_name_value(const AxisField& field, std::string_view text, const std::string& file,
                             const std::string& where) {
  switch (field.target.field) {
    case SweepField::Topology:
      return static_cast<double>(static_cast<int>(parse_topology_name(text, file, where)));
    case SweepField::Implementation:
      return encode_algorithm_choice(parse_algorithm_name(text, file, where));
    case SweepField::Collective:
      return static_cast<double>(static_cast<int>(parse_collective_name(text, file, where)));
    case SweepField::SchedulingPolicy:
      if (text == "LIFO") return static_cast<double>(SchedulingPolicy::LIFO);
      if (text == "FIFO") return static_cast<double>(SchedulingPolicy::FIFO);
      if (text == "EXPLICIT") return static_cast<double>(SchedulingPolicy::EXPLICIT);
      throw InputError(file, where, "scheduling-policy must be LIFO, FIFO or EXPLICIT, not '" + std::string(text) + "'");
    case SweepField::CollectiveOptimization:
      if (text == "baseline") return 0.0;
      if (text == "localBWAware") return 1.0;
      throw InputError(file, where,
                       "collective-optimization must be baseline or localBWAware, not '" + std::string(text) + "'");
    case SweepField::Backend:
      if (text == "congestion_unaware" || text == "unaware")
        return static_cast<double>(NetworkBackend::CongestionUnaware);
      if (text == "congestion_aware" || text == "aware") return static_cast<double>(NetworkBackend::CongestionAware);
      throw InputError(file, where,
                       "backend must be congestion_unaware or congestion_aware, not '" + std::string(text) + "'");
    default:
      throw InputError(file, where, "expected a number, not '" + std::string(text) + "'");
  }
}

std::string axis_value_name(const AxisField& field, double code) {
  const int v = static_cast<int>(code);
  switch (field.target.field) {
    case SweepField::Topology: return topology_name(static_cast<TopologyKind>(v));
    case SweepField::Implementation: {
      const AlgorithmChoice c = decode_algorithm_choice(code);
      std::string name = algorithm_name(c.kind);
      if (c.window >= 0) name += std::to_string(c.window);
      return name;
    }
    case SweepField::Collective: return collective_name(static_cast<CollectiveKind>(v));
    case SweepField::SchedulingPolicy: return policy_name(static_cast<SchedulingPolicy>(v));
    case SweepField::CollectiveOptimization: return v != 0 ? "localBWAware" : "baseline";
    case SweepField::Backend: return backend_name(static_cast<NetworkBackend>(v));
    default: return std::to_string(code);
  }
}

}  // namespace astra
