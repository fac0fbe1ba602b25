// The device pool's scratch layout (EvaluatorScratchLanes, kernels/model/evaluator_scratch.hpp):
// slots interleaved element by element so that a warp's threads touch neighbouring words. Checks
// that every lane's elements are distinct bytes inside the block, that neighbouring slots' same
// element are neighbouring words, and that a workload replay on a lane of a dirty, shared block
// equals the same replay on a scratch of its own (golden ResNet-50 configurations).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "host/golden/golden_cases.hpp"
#include "kernels/model/evaluator_scratch.hpp"
#include "kernels/model/workload_replay.hpp"
#include "support/shared_data.hpp"

namespace astra {
namespace {

// Marks the bytes of one element; fails when a byte was already marked or lies outside the block.
class ByteMap {
 public:
  ByteMap(const void* base, std::uint64_t bytes)
      : base_(static_cast<const unsigned char*>(base)), used_(bytes, 0) {}
  void mark(const void* p, std::size_t size, const std::string& what) {
    const auto* b = static_cast<const unsigned char*>(p);
    ASSERT_GE(b, base_) << what;
    const std::uint64_t at = static_cast<std::uint64_t>(b - base_);
    ASSERT_LE(at + size, used_.size()) << what;
    for (std::size_t k = 0; k < size; ++k) {
      ASSERT_EQ(used_[at + k], 0) << what << " overlaps another element";
      used_[at + k] = 1;
    }
  }
  bool all_used() const {
    for (unsigned char u : used_)
      if (!u) return false;
    return true;
  }

 private:
  const unsigned char* base_;
  std::vector<unsigned char> used_;
};

TEST(EvaluatorScratchLanes, EveryLaneOwnsDistinctBytesOfTheBlock) {
  for (std::uint32_t slots : {1u, 2u, 3u, 32u, 33u}) {
    std::vector<std::uint64_t> block(EvaluatorScratchLanes::bytes(slots) / sizeof(std::uint64_t));
    ASSERT_EQ(block.size() * sizeof(std::uint64_t), EvaluatorScratchLanes::bytes(slots));
    const EvaluatorScratchLanes lanes{block.data(), slots};
    ByteMap map(block.data(), EvaluatorScratchLanes::bytes(slots));
    for (std::uint32_t s = 0; s < slots; ++s) {
      const EvaluatorScratchView v = lanes.lane(s);
      EXPECT_EQ(v.stride(), slots);
      const std::string lane = "slots " + std::to_string(slots) + " lane " + std::to_string(s);
      for (int i = 0; i < kMaxWorkloadNodes; ++i) map.mark(&v.parents_left(i), sizeof(std::int16_t), lane + " parents " + std::to_string(i));
      for (int k = 0; k < 2; ++k)
        for (int w = 0; w < kReadyWords; ++w) map.mark(&v.ready_word(k, w), sizeof(std::uint64_t), lane + " ready");
      for (int e = 0; e < kCollectiveMemoEntries; ++e) map.mark(&v.memo(e), sizeof(CollectiveMemoEntry), lane + " memo");
      if (HasFatalFailure()) return;
    }
    EXPECT_TRUE(map.all_used()) << "slots " << slots << ": the block has bytes no lane uses";
    if (slots >= 2) {  // slot s + 1's element sits right after slot s's (what makes a warp's reads one transaction)
      const EvaluatorScratchView a = lanes.lane(0), b = lanes.lane(1);
      EXPECT_EQ(reinterpret_cast<const char*>(&b.parents_left(7)) - reinterpret_cast<const char*>(&a.parents_left(7)),
                static_cast<std::ptrdiff_t>(sizeof(std::int16_t)));
      EXPECT_EQ(reinterpret_cast<const char*>(&b.ready_word(1, 3)) - reinterpret_cast<const char*>(&a.ready_word(1, 3)),
                static_cast<std::ptrdiff_t>(sizeof(std::uint64_t)));
      EXPECT_EQ(reinterpret_cast<const char*>(&b.memo(5)) - reinterpret_cast<const char*>(&a.memo(5)),
                static_cast<std::ptrdiff_t>(sizeof(CollectiveMemoEntry)));
    }
  }
}

TEST(EvaluatorScratchLanes, AContiguousScratchIsAViewOfStrideOne) {
  auto s = std::make_unique<EvaluatorScratch>();
  const EvaluatorScratchView v(*s);
  EXPECT_TRUE(v.present());
  EXPECT_EQ(&v.parents_left(9), &s->parents_left[9]);
  EXPECT_EQ(&v.ready_word(1, 2), &s->ready_bits[1][2]);
  EXPECT_EQ(&v.memo(3), &s->memo[3]);
  EXPECT_FALSE(EvaluatorScratchView{}.present());
  EXPECT_FALSE(EvaluatorScratchView(static_cast<EvaluatorScratch*>(nullptr)).present());
}

TEST(EvaluatorScratchLanes, ReplayOnALaneOfADirtyBlockEqualsItsOwnScratch) {
  ASTRA_NEEDS_SHARED("golden/cases.jsonl");
  constexpr std::uint32_t kSlots = 5;
  std::vector<std::uint64_t> block(EvaluatorScratchLanes::bytes(kSlots) / sizeof(std::uint64_t));
  std::memset(block.data(), 0xA5, block.size() * sizeof(std::uint64_t));  // garbage, as a reused pool holds
  const EvaluatorScratchLanes lanes{block.data(), kSlots};
  auto own = std::make_unique<EvaluatorScratch>();
  int compared = 0;
  for (const auto& c : golden::load_golden_cases(astra::testing_support::shared_dir() + "/golden/cases.jsonl")) {
    if (c.set != "C" || c.expected_status != "ok" || !c.workload) continue;
    ASSERT_TRUE(c.load_error.empty()) << c.load_error;
    NetworkView view = make_network_view(c.network);
    view.store_and_forward = c.backend != NetworkBackend::CongestionUnaware;
    for (double scale : {1.0, 0.001, 3.5}) {
      const ReplayResult want = replay_workload(c.network, view, c.system, c.workload->view(), scale, *own);
      const ReplayResult got = replay_workload(c.network, view, c.system, c.workload->view(), scale,
                                               lanes.lane(static_cast<std::uint32_t>(compared % kSlots)));
      ASSERT_EQ(got.status, want.status) << c.id << " scale " << scale;
      EXPECT_EQ(got.finish_ns, want.finish_ns) << c.id << " scale " << scale;
      EXPECT_EQ(got.compute_ns, want.compute_ns) << c.id;
      EXPECT_EQ(got.comm_ns, want.comm_ns) << c.id;
      EXPECT_EQ(got.compute_nodes, want.compute_nodes) << c.id;
      EXPECT_EQ(got.collective_nodes, want.collective_nodes) << c.id;
      compared += want.status == ReplayStatus::Ok;
    }
  }
  EXPECT_GE(compared, 30);
}

}  // namespace
}  // namespace astra
