// What one congestion-aware simulation answers (aware_simulation.hpp): Ok with the statistics
// ASTRA-sim prints, or why the point leaves the fast path (rejected, beyond the scratch's bounds,
// or handed to the reference simulator).
#pragma once

#include <cstdint>

namespace astra::aware {

enum class AwareStatus : std::uint8_t {
  Ok = 0,
  NeedsReference = 1,  // NPUs finish apart, doubleBinaryTree, or a state the reference only reaches by UB
  Unchunkable = 2,     // rejected: the collective cannot be cut into chunks
  BeyondScratch = 3,   // more NPUs, chunks, links, messages or events than aware_scratch.hpp holds
};

// The statistics ASTRA-sim prints, of the NPU that finished last (the last such NPU by id, as
// metrics_from_simulation picks it).
struct AwareResult {
  AwareStatus status = AwareStatus::Ok;
  std::uint64_t finish_ns = 0;        // the last NPU's finish tick
  std::uint64_t compute_ns = 0;       // its compute durations (= GPU time: one at a time)
  std::uint64_t comm_ns = 0;          // its collective durations (= comm time: one at a time)
  bool has_compute = false, has_comm = false;  // it finished nodes of that kind
  bool npus_differ = false;           // some NPU finished earlier or has other statistics
  bool quotient = false;              // answered by NPU 0 alone (quotient_symmetry.hpp)
  bool quotient_abandoned = false;    // the quotient met a same-tick race: every NPU simulated
  std::uint64_t events = 0;           // events processed, both runs' (for benchmarks and tests)
};

}  // namespace astra::aware
