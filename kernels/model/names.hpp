// Names of the model's enums, as they appear in ASTRA-sim's files and in our CLI and outputs.
#pragma once

#include "kernels/model/config.hpp"

namespace astra {

ASTRA_HD_INLINE const char* collective_name(CollectiveKind c) {
  switch (c) {
    case CollectiveKind::AllReduce: return "all_reduce";
    case CollectiveKind::AllGather: return "all_gather";
    case CollectiveKind::ReduceScatter: return "reduce_scatter";
    case CollectiveKind::AllToAll: return "all_to_all";
  }
  return "?";
}

ASTRA_HD_INLINE const char* topology_name(TopologyKind t) {
  switch (t) {
    case TopologyKind::Ring: return "Ring";
    case TopologyKind::Switch: return "Switch";
    case TopologyKind::FullyConnected: return "FullyConnected";
  }
  return "?";
}

ASTRA_HD_INLINE const char* algorithm_name(AlgorithmKind a) {
  switch (a) {
    case AlgorithmKind::Ring: return "ring";
    case AlgorithmKind::Direct: return "direct";
    case AlgorithmKind::HalvingDoubling: return "halvingDoubling";
    case AlgorithmKind::DoubleBinaryTree: return "doubleBinaryTree";
    case AlgorithmKind::OneRing: return "oneRing";
    case AlgorithmKind::OneDirect: return "oneDirect";
    case AlgorithmKind::OneHalvingDoubling: return "oneHalvingDoubling";
  }
  return "?";
}

ASTRA_HD_INLINE const char* backend_name(NetworkBackend b) {
  return b == NetworkBackend::CongestionAware ? "congestion_aware" : "congestion_unaware";
}

ASTRA_HD_INLINE const char* policy_name(SchedulingPolicy p) {
  switch (p) {
    case SchedulingPolicy::LIFO: return "LIFO";
    case SchedulingPolicy::FIFO: return "FIFO";
    case SchedulingPolicy::EXPLICIT: return "EXPLICIT";
  }
  return "?";
}

}  // namespace astra
