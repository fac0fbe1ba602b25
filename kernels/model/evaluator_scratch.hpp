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

inline constexpr int kReadyWords = kMaxWorkloadNodes / 64;  // ready bits of one NodeKind

struct EvaluatorScratch {
  std::int16_t parents_left[kMaxWorkloadNodes];  // distinct parents not yet finished
  std::uint64_t ready_bits[2][kReadyWords];      // [NodeKind]: ready, not yet issued
  CollectiveMemoEntry memo[kCollectiveMemoEntries];
};

// One point's scratch as the evaluator reads it: an EvaluatorScratch of its own (stride 1: the
// host's per-thread scratch), or one lane of an EvaluatorScratchLanes pool (stride = the pool's
// slots), where element i of every slot lies side by side, so the threads of a warp reading
// their own element i touch neighbouring words (one transaction, not 32):
//
//   contiguous (stride 1)             interleaved (stride S = slots)
//   slot 0: p[0] p[1] p[2] ...        p[0]: slot 0, slot 1, ..., slot S-1
//   slot 1: p[0] p[1] p[2] ...        p[1]: slot 0, slot 1, ..., slot S-1   ... then ready, memo
//
// A view with null pointers is no scratch (inline collectives need none). Offsets are 32-bit:
// an element index times the stride stays below 2^32 (EvaluatorScratchLanes::kMaxSlots).
class EvaluatorScratchView {
 public:
  EvaluatorScratchView() = default;
  ASTRA_HD_INLINE EvaluatorScratchView(EvaluatorScratch& s)  // NOLINT: a scratch is a view of itself
      : parents_(s.parents_left), ready_(&s.ready_bits[0][0]), memo_(s.memo), stride_(1) {}
  ASTRA_HD_INLINE EvaluatorScratchView(EvaluatorScratch* s)  // NOLINT: null is no scratch
      : parents_(s ? s->parents_left : nullptr), ready_(s ? &s->ready_bits[0][0] : nullptr),
        memo_(s ? s->memo : nullptr), stride_(1) {}
  ASTRA_HD_INLINE EvaluatorScratchView(std::int16_t* parents, std::uint64_t* ready, CollectiveMemoEntry* memo,
                                       std::uint32_t stride)
      : parents_(parents), ready_(ready), memo_(memo), stride_(stride) {}

  [[nodiscard]] ASTRA_HD_INLINE bool present() const { return parents_ != nullptr; }
  [[nodiscard]] ASTRA_HD_INLINE std::uint32_t stride() const { return stride_; }
  // node i's parents not yet finished
  [[nodiscard]] ASTRA_HD_INLINE std::int16_t& parents_left(int i) const {
    return parents_[static_cast<std::uint32_t>(i) * stride_];
  }
  // word w of the ready bits of NodeKind `kind`
  [[nodiscard]] ASTRA_HD_INLINE std::uint64_t& ready_word(int kind, int w) const {
    return ready_[static_cast<std::uint32_t>(kind * kReadyWords + w) * stride_];
  }
  [[nodiscard]] ASTRA_HD_INLINE CollectiveMemoEntry& memo(int e) const { return memo_[static_cast<std::uint32_t>(e) * stride_]; }

 private:
  std::int16_t* parents_ = nullptr;
  std::uint64_t* ready_ = nullptr;
  CollectiveMemoEntry* memo_ = nullptr;
  std::uint32_t stride_ = 1;
};

// `slots` scratches in one caller-owned block of bytes(slots) bytes (what sizeof(EvaluatorScratch)
// per slot takes), interleaved element by element (EvaluatorScratchView): the device's pool.
//   [parents_left: kMaxWorkloadNodes x slots int16][ready: 2 kReadyWords x slots uint64][memo: entries x slots]
struct EvaluatorScratchLanes {
  static constexpr std::uint64_t kMaxSlots = (std::uint64_t{1} << 32) / kMaxWorkloadNodes;  // 32-bit offsets
  void* base = nullptr;
  std::uint32_t slots = 0;

  [[nodiscard]] static constexpr std::uint64_t bytes(std::uint64_t slots) {
    return slots * (kMaxWorkloadNodes * sizeof(std::int16_t) + 2 * kReadyWords * sizeof(std::uint64_t) +
                    kCollectiveMemoEntries * sizeof(CollectiveMemoEntry));
  }
  [[nodiscard]] ASTRA_HD_INLINE bool present() const { return base != nullptr; }
  // Slot `slot`'s scratch (slot < slots).
  [[nodiscard]] ASTRA_HD_INLINE EvaluatorScratchView lane(std::uint32_t slot) const {
    unsigned char* b = static_cast<unsigned char*>(base);
    const std::uint64_t n = slots;
    auto* parents = reinterpret_cast<std::int16_t*>(b);
    auto* ready = reinterpret_cast<std::uint64_t*>(b + n * kMaxWorkloadNodes * sizeof(std::int16_t));
    auto* memo = reinterpret_cast<CollectiveMemoEntry*>(b + n * (kMaxWorkloadNodes * sizeof(std::int16_t) +
                                                                 2 * kReadyWords * sizeof(std::uint64_t)));
    return EvaluatorScratchView(parents + slot, ready + slot, memo + slot, slots);
  }
};
static_assert(EvaluatorScratchLanes::bytes(1) == sizeof(EvaluatorScratch), "the lanes hold what the struct holds");
static_assert(kMaxWorkloadNodes * sizeof(std::int16_t) % alignof(CollectiveMemoEntry) == 0, "regions stay aligned");

}  // namespace astra
