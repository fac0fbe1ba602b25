// The inputs of one simulation, as plain data that both the CPU and CUDA builds can read.
//
// These mirror ASTRA-sim's own input files:
//   NetworkConfig  <- the analytical network YAML (one entry per dimension)
//   SystemConfig   <- the system JSON (collective implementations, chunking, scheduling, delays)
// Units live in the field names: _GBps is "GB/s as written in the YAML" (ASTRA-sim treats it
// as GiB/s, see bandwidth_bytes_per_ns), _ns is nanoseconds, _bytes is bytes.
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"

namespace astra {

inline constexpr int kMaxDims = 8;          // network dimensions we model (ASTRA-sim: 4)
inline constexpr int kCollectiveKinds = 4;  // all_reduce, all_gather, reduce_scatter, all_to_all

enum class TopologyKind : std::uint8_t { Ring = 0, Switch = 1, FullyConnected = 2 };

enum class CollectiveKind : std::uint8_t { AllReduce = 0, AllGather = 1, ReduceScatter = 2, AllToAll = 3 };

// One entry of a system JSON `*-implementation` list.
enum class AlgorithmKind : std::uint8_t {
  Ring = 0,
  Direct = 1,
  HalvingDoubling = 2,
  DoubleBinaryTree = 3,
  OneRing = 4,
  OneDirect = 5,
  OneHalvingDoubling = 6,
};

struct AlgorithmChoice {
  AlgorithmKind kind = AlgorithmKind::Ring;
  std::int32_t window = -1;  // `directN` / `oneDirectN`: at most N messages in flight; -1 = p-1
};

enum class SchedulingPolicy : std::uint8_t { LIFO = 0, FIFO = 1, EXPLICIT = 2 };

enum class NetworkBackend : std::uint8_t { CongestionUnaware = 0, CongestionAware = 1 };

struct NetworkConfig {
  std::int32_t dims = 0;
  TopologyKind topology[kMaxDims] = {};
  std::int64_t npus_count[kMaxDims] = {};
  double bandwidth_GBps[kMaxDims] = {};
  double latency_ns[kMaxDims] = {};

  ASTRA_HD std::int64_t total_npus() const {
    std::int64_t p = 1;
    for (int d = 0; d < dims; ++d) p *= npus_count[d];
    return p;
  }
};

struct SystemConfig {
  SchedulingPolicy scheduling_policy = SchedulingPolicy::LIFO;
  std::int64_t endpoint_delay_ns = 10;
  std::int32_t active_chunks_per_dimension = 1;
  std::int64_t preferred_dataset_splits = 1;
  bool local_bw_aware = false;  // collective-optimization: localBWAware (else baseline)
  double local_mem_bw_GBps = 0.0;
  std::int32_t implementation_count[kCollectiveKinds] = {};
  AlgorithmChoice implementation[kCollectiveKinds][kMaxDims] = {};

  ASTRA_HD const AlgorithmChoice* implementations(CollectiveKind c) const {
    return implementation[static_cast<int>(c)];
  }
  ASTRA_HD int implementations_count(CollectiveKind c) const {
    return implementation_count[static_cast<int>(c)];
  }
};

// ASTRA-sim reads the YAML bandwidth as GB/s but converts it with 2^30: it is really GiB/s.
ASTRA_HD_INLINE double bandwidth_bytes_per_ns(double bandwidth_GBps) {
  return bandwidth_GBps * 1073741824.0 / 1000000000.0;
}

// local-mem-bw is a decimal GB/s (x 1e9).
ASTRA_HD_INLINE double local_mem_bytes_per_s(double local_mem_bw_GBps) { return local_mem_bw_GBps * 1e9; }

}  // namespace astra
