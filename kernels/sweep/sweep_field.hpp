// Which field of a SweepPoint an axis overrides, and how one axis value is applied.
//
// Every axis value is stored as a double (exact for integers below 2^53, enough for sizes up to
// 2^50 bytes). Enumerations are stored as their numeric code; an implementation choice is
// stored as kind * 65536 + (window + 1), see encode_algorithm_choice.
//
//   axis "latency_ns[1]"  = 500   ->  point.network.latency_ns[1] = 500
//   axis "bandwidth_GBps" = 400   ->  point.network.bandwidth_GBps[d] = 400 for every dimension d
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/sweep/sweep_point.hpp"

namespace astra {

enum class SweepField : std::uint8_t {
  NpusCount = 0,
  LatencyNs,
  BandwidthGBps,
  Topology,
  PreferredDatasetSplits,
  ActiveChunksPerDimension,
  Implementation,
  SchedulingPolicy,
  EndpointDelayNs,
  LocalMemBwGBps,
  CollectiveOptimization,
  Collective,
  SizeBytes,
  ComputeScale,
  Backend,
  // Parameters of the models beyond ASTRA-sim (kernels/model/beyond_model.hpp); `dim` holds
  // the protocol (0 LL, 1 LL128, 2 Simple).
  NcclLatencyNs,
  NcclEfficiency,
  NcclFloorNs,
  NcclLlMaxBytes,
  NcclLl128MaxBytes,
  NcclChannelBytes,
  NcclMaxChannels,
  NcclNvlsStepNs,
  NcclNvlsFillSteps,
  NcclNvlsChannels,
  NcclNvlsChunkBytes,
};

// What one axis writes: a field, and for per-dimension fields a dimension (-1 = every dimension),
// for implementations a collective (-1 = all four lists).
struct AxisTarget {
  SweepField field = SweepField::LatencyNs;
  std::int8_t dim = -1;
  std::int8_t collective = -1;
};

[[nodiscard]] ASTRA_HD_INLINE double encode_algorithm_choice(AlgorithmChoice c) {
  return static_cast<double>(static_cast<std::int32_t>(c.kind) * 65536 + (c.window + 1));
}

[[nodiscard]] ASTRA_HD_INLINE AlgorithmChoice decode_algorithm_choice(double code) {
  const std::int32_t v = static_cast<std::int32_t>(code);
  AlgorithmChoice c;
  c.kind = static_cast<AlgorithmKind>(v >> 16);
  c.window = (v & 0xffff) - 1;
  return c;
}

ASTRA_HD_INLINE void apply_implementation(SystemConfig& sys, int collective, int dim, AlgorithmChoice choice) {
  const int first = collective < 0 ? 0 : collective;
  const int last = collective < 0 ? kCollectiveKinds - 1 : collective;
  for (int c = first; c <= last; ++c) {
    if (dim >= 0) {
      sys.implementation[c][dim] = choice;
    } else {
      for (int d = 0; d < sys.implementation_count[c]; ++d) sys.implementation[c][d] = choice;
    }
  }
}

// What a collective or size_bytes axis value sets.
[[nodiscard]] ASTRA_HD_INLINE CollectiveKind axis_collective(double value) {
  return static_cast<CollectiveKind>(static_cast<int>(value));
}
[[nodiscard]] ASTRA_HD_INLINE std::uint64_t axis_size_bytes(double value) { return static_cast<std::uint64_t>(value); }

// The dimensions a per-dimension axis writes, [first, last]: its own, or every one of `dims`.
ASTRA_HD_INLINE void axis_dimensions(const AxisTarget& t, int dims, int& first, int& last) {
  first = t.dim < 0 ? 0 : t.dim;
  last = t.dim < 0 ? dims - 1 : t.dim;
}

// The NPU count an npus_count axis value sets for each dimension it writes.
[[nodiscard]] ASTRA_HD_INLINE std::int64_t axis_npus_count(double value) { return static_cast<std::int64_t>(value); }

// Overrides one field of `point` with `value`.
ASTRA_HD_INLINE void apply_axis_value(const AxisTarget& t, double value, SweepPoint& point) {
  NetworkConfig& net = point.network;
  SystemConfig& sys = point.system;
  int first_dim = 0, last_dim = 0;
  axis_dimensions(t, net.dims, first_dim, last_dim);
  switch (t.field) {
    case SweepField::NpusCount:
      for (int d = first_dim; d <= last_dim; ++d) net.npus_count[d] = axis_npus_count(value);
      break;
    case SweepField::LatencyNs:
      for (int d = first_dim; d <= last_dim; ++d) net.latency_ns[d] = value;
      break;
    case SweepField::BandwidthGBps:
      for (int d = first_dim; d <= last_dim; ++d) net.bandwidth_GBps[d] = value;
      break;
    case SweepField::Topology:
      for (int d = first_dim; d <= last_dim; ++d) net.topology[d] = static_cast<TopologyKind>(static_cast<int>(value));
      break;
    case SweepField::PreferredDatasetSplits:
      sys.preferred_dataset_splits = static_cast<std::int64_t>(value);
      break;
    case SweepField::ActiveChunksPerDimension:
      sys.active_chunks_per_dimension = static_cast<std::int32_t>(value);
      break;
    case SweepField::Implementation:
      apply_implementation(sys, t.collective, t.dim, decode_algorithm_choice(value));
      break;
    case SweepField::SchedulingPolicy:
      sys.scheduling_policy = static_cast<SchedulingPolicy>(static_cast<int>(value));
      break;
    case SweepField::EndpointDelayNs:
      sys.endpoint_delay_ns = static_cast<std::int64_t>(value);
      break;
    case SweepField::LocalMemBwGBps:
      sys.local_mem_bw_GBps = value;
      break;
    case SweepField::CollectiveOptimization:
      sys.local_bw_aware = value != 0.0;
      break;
    case SweepField::Collective:
      point.collective = axis_collective(value);
      break;
    case SweepField::SizeBytes:
      point.size_bytes = axis_size_bytes(value);
      break;
    case SweepField::ComputeScale:
      point.compute_scale = value;
      break;
    case SweepField::Backend:
      point.backend = static_cast<NetworkBackend>(static_cast<int>(value));
      break;
    case SweepField::NcclLatencyNs:
      if (t.dim >= 0 && t.dim < kNcclProtocols) sys.nccl.protocol[t.dim].latency_ns = value;
      break;
    case SweepField::NcclEfficiency:
      if (t.dim >= 0 && t.dim < kNcclProtocols) sys.nccl.protocol[t.dim].efficiency = value;
      break;
    case SweepField::NcclFloorNs:
      sys.nccl.floor_ns = value;
      break;
    case SweepField::NcclLlMaxBytes:
      sys.nccl.ll_max_bytes = value;
      break;
    case SweepField::NcclLl128MaxBytes:
      sys.nccl.ll128_max_bytes = value;
      break;
    case SweepField::NcclChannelBytes:
      sys.nccl.channel_bytes = value;
      break;
    case SweepField::NcclMaxChannels:
      sys.nccl.max_channels = value;
      break;
    case SweepField::NcclNvlsStepNs:
      sys.nccl.nvls_step_ns = value;
      break;
    case SweepField::NcclNvlsFillSteps:
      sys.nccl.nvls_fill_steps = value;
      break;
    case SweepField::NcclNvlsChannels:
      sys.nccl.nvls_channels = value;
      break;
    case SweepField::NcclNvlsChunkBytes:
      sys.nccl.nvls_chunk_bytes = value;
      break;
  }
}

}  // namespace astra
