// Working memory of the fast evaluator for one point, owned by the caller (one per thread):
// fixed-size arrays, no heap, only the point's MUTABLE state (the graph's children index is
// read-only and shared: WorkloadGraphView). Its size bounds what the fast path accepts; a larger
// workload is answered NeedsReference.
#pragma once

#include <cstdint>

#include "kernels/model/collective_timing.hpp"
#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"

namespace astra {

inline constexpr int kMaxWorkloadNodes = 4096;      // nodes of one NPU's graph (ResNet-50: 215)
inline constexpr int kMaxWorkloadDeps = 8192;       // dependency edges of that graph (as listed)
inline constexpr int kCollectiveMemoEntries = 64;   // distinct (collective, size) pairs remembered

// One remembered collective of the current point.
struct CollectiveMemoEntry {
  std::uint64_t size_bytes;
  CollectiveTiming timing;
  std::uint8_t collective;  // CollectiveKind
  std::uint8_t used;        // 0 = empty
  std::uint8_t rejected;    // check_collective refused it
};

// a node's distinct parents are fewer than kMaxWorkloadNodes, so 16 bits count them
static_assert(kMaxWorkloadNodes <= 32767, "parents_left is 16-bit");

struct EvaluatorScratch {
  std::int16_t parents_left[kMaxWorkloadNodes];  // distinct parents not yet finished
  std::uint64_t ready_bits[2][kMaxWorkloadNodes / 64];  // [NodeKind]: ready, not yet issued
  CollectiveMemoEntry memo[kCollectiveMemoEntries];
};

}  // namespace astra
