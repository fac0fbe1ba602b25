// How a collective is cut into chunks (spec 4.3). With s = preferred-dataset-splits and
// N = total NPUs of the network:
//   1. chunk = floor(size / s)
//   2. not all-gather and N > chunk: chunk = N and size = s * N   (minimum-chunk rule)
//   3. K = ceil(size / chunk); EVERY chunk carries the full `chunk` bytes, the last one included.
// Example: 1,000,003 B with s = 3 -> chunk 333,334, K = 4 (1,333,336 B simulated).
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"

namespace astra {

struct ChunkPlan {
  std::uint64_t chunk_bytes = 0;
  std::uint64_t chunk_count = 0;  // 0: the collective cannot be chunked (all-gather below s bytes)
};

ASTRA_HD_INLINE ChunkPlan plan_chunks(CollectiveKind collective, std::uint64_t size_bytes, std::int64_t splits,
                                      std::int64_t total_npus) {
  ChunkPlan plan;
  const std::uint64_t s = static_cast<std::uint64_t>(splits);
  const std::uint64_t n = static_cast<std::uint64_t>(total_npus);
  std::uint64_t chunk = s ? size_bytes / s : 0;
  if (collective != CollectiveKind::AllGather && n > chunk) {
    chunk = n;
    size_bytes = s * n;
  }
  if (chunk == 0) return plan;
  plan.chunk_bytes = chunk;
  plan.chunk_count = (size_bytes + chunk - 1) / chunk;
  return plan;
}

}  // namespace astra
