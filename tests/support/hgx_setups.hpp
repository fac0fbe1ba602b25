// The HGX-H100 collective setup that the calibration tests and benchmarks start from, built in
// code (ASTRA-sim's HGX-H100-validated.{yml,json}): a Switch of 8 NPUs at 400 GB/s and 936.25 ns,
// one implementation per collective, 4 splits, 2 active chunks, endpoint delay 10 ns,
// localBWAware with 3350 GB/s local memory.
#pragma once

#include "host/calibration/collective_predictor.hpp"

namespace astra::testing_support {

inline calibration::CollectiveSetup hgx_h100_switch8(AlgorithmKind algorithm = AlgorithmKind::Ring,
                                                     NetworkBackend backend = NetworkBackend::CongestionUnaware) {
  calibration::CollectiveSetup s;
  s.network.dims = 1;
  s.network.topology[0] = TopologyKind::Switch;
  s.network.npus_count[0] = 8;
  s.network.bandwidth_GBps[0] = 400.0;
  s.network.latency_ns[0] = 936.25;
  s.system.endpoint_delay_ns = 10;
  s.system.active_chunks_per_dimension = 2;
  s.system.preferred_dataset_splits = 4;
  s.system.local_bw_aware = true;
  s.system.local_mem_bw_GBps = 3350.0;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    s.system.implementation_count[c] = 1;
    s.system.implementation[c][0] = {algorithm, -1};
  }
  s.backend = backend;
  return s;
}

}  // namespace astra::testing_support
