// nccl-tests' bandwidths of one collective, GB = 1e9 bytes (one definition for the metric columns,
// kernels/sweep/sweep_metric.hpp, and the injection bound, kernels/sweep/injection_bound.hpp):
//   algbw_GBps = size_bytes / collective_time_ns
//   busbw_GBps = algbw * 2(n-1)/n (all_reduce), * (n-1)/n (all_gather, reduce_scatter, all_to_all)
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"

namespace astra {

ASTRA_HD_INLINE double collective_algbw_GBps(std::uint64_t size_bytes, std::uint64_t finish_ns) {
  return static_cast<double>(size_bytes) / static_cast<double>(finish_ns);
}

ASTRA_HD_INLINE double collective_busbw_GBps(CollectiveKind collective, std::int64_t npus, std::uint64_t size_bytes,
                                             std::uint64_t finish_ns) {
  const double algbw = collective_algbw_GBps(size_bytes, finish_ns);
  const double n = static_cast<double>(npus);
  const double factor = collective == CollectiveKind::AllReduce ? 2.0 * (n - 1.0) / n : (n - 1.0) / n;
  return algbw * factor;
}

}  // namespace astra
