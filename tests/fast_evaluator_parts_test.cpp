// The fast evaluator's building blocks against the implementations they replaced (kept here,
// verbatim but for names, as oracles), exhaustively on small inputs and on seeded random ones:
//  * flow_shop_finish_ns (closed form) vs the chunk-by-chunk flow-shop loop;
//  * PhaseSequence / sequence_phase (phases walked one at a time) vs the stored plan of old;
//  * direct_phase_timing with the 12-byte event entries and 32-bit counts vs the one that stored
//    registrations in 64-bit counts; ring and halvingDoubling phases vs their 64-bit versions;
//  * collective_timing for more active chunks than the old loop's 32 slots vs the reference simulator.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels/model/collective_timing.hpp"
#include "kernels/model/config_check.hpp"
#include "kernels/model/point_evaluator.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/workload/workload.hpp"

namespace astra {
namespace {
namespace legacy {

// chunk_pipeline.hpp's flow_shop_finish before the closed form (array per chunk slot)
std::uint64_t flow_shop_finish(const std::uint64_t* phase_ns, int phases, std::uint64_t chunks, std::uint64_t a) {
  std::uint64_t finish_ns = 0;
  if (a >= chunks) {
    for (int i = 0; i < phases; ++i) finish_ns += phase_ns[i];
    return finish_ns;
  }
  std::vector<std::uint64_t> finish(a * kMaxPhases, 0);
  for (std::uint64_t k = 0; k < chunks; ++k) {
    const std::uint64_t slot = k % a;
    std::uint64_t ready = 0;
    for (int i = 0; i < phases; ++i) {
      std::uint64_t start = ready;
      if (k >= a && finish[slot * kMaxPhases + i] > start) start = finish[slot * kMaxPhases + i];
      ready = start + phase_ns[i];
      finish[slot * kMaxPhases + i] = ready;
    }
    if (ready > finish_ns) finish_ns = ready;
  }
  return finish_ns;
}

// phase_plan.hpp's plan_phases before the PhaseSequence
struct LogicalDims {
  std::int32_t count = 0;
  LogicalRing rings[kMaxDims];
  AlgorithmChoice algorithms[kMaxDims];
};

LogicalDims logical_dims(const NetworkView& net, const SystemConfig& sys, CollectiveKind c) {
  LogicalDims out;
  const int count = sys.implementations_count(c);
  const AlgorithmChoice* impl = sys.implementations(c);
  for (int d = 0; d < count && d < net.dims; ++d) {
    out.algorithms[out.count] = impl[d];
    LogicalRing& r = out.rings[out.count];
    ++out.count;
    if (is_global_algorithm(impl[d].kind)) {
      r.n = net.total_npus;
      r.dim = 0;
      r.global = true;
      break;
    }
    r.n = net.npus_count[d];
    r.dim = d;
    r.global = false;
  }
  return out;
}

void append_phase(PhasePlan& plan, const LogicalDims& dims, int d, CollectiveKind op, std::uint64_t& bytes) {
  PhaseSpec& ph = plan.phases[plan.count++];
  ph.algorithm = base_algorithm(dims.algorithms[d].kind);
  if (ph.algorithm == AlgorithmKind::DoubleBinaryTree) plan.uses_double_binary_tree = true;
  ph.window = dims.algorithms[d].window;
  ph.op = op;
  ph.ring = dims.rings[d];
  ph.queue = d;
  ph.input_bytes = bytes;
  ph.output_bytes = phase_output_bytes(op, bytes, ph.ring.n);
  bytes = ph.output_bytes;
}

PhasePlan plan_phases(const NetworkView& net, const SystemConfig& sys, CollectiveKind c, std::uint64_t chunk_bytes) {
  PhasePlan plan;
  const LogicalDims dims = logical_dims(net, sys, c);
  int active[kMaxDims];
  int m = 0;
  for (int d = 0; d < dims.count; ++d)
    if (dims.rings[d].n != 1) active[m++] = d;
  std::uint64_t bytes = chunk_bytes;
  if (c == CollectiveKind::AllGather) {
    for (int i = m - 1; i >= 0; --i) append_phase(plan, dims, active[i], c, bytes);
  } else if (c != CollectiveKind::AllReduce || !sys.local_bw_aware) {
    for (int i = 0; i < m; ++i) append_phase(plan, dims, active[i], c, bytes);
  } else if (m > 0) {
    for (int i = 0; i < m - 1; ++i) append_phase(plan, dims, active[i], CollectiveKind::ReduceScatter, bytes);
    append_phase(plan, dims, active[m - 1], CollectiveKind::AllReduce, bytes);
    for (int i = m - 2; i >= 0; --i) append_phase(plan, dims, active[i], CollectiveKind::AllGather, bytes);
  }
  return plan;
}

// packet_engine.hpp, network_delay.hpp, ring_phase.hpp and halving_doubling_phase.hpp before
// their 32-bit index arithmetic (all 64-bit)
// Is packet `index` (1-based) a processed (reducing) bundle?
bool packet_is_processed64(std::uint64_t index, std::uint64_t zero_group, std::uint64_t nonzero_group,
                                         CollectiveKind op) {
  const std::uint64_t period = zero_group + nonzero_group;
  const std::uint64_t pos = (index - 1) % period;
  if (pos < zero_group) return false;
  if (op == CollectiveKind::ReduceScatter) return true;
  if (op == CollectiveKind::AllReduce) return ((index - 1) / period) % 2 == 0;
  return false;
}

// How many of the packets first..last (1-based, inclusive) are processed.
std::uint64_t processed_packets_between64(std::uint64_t first, std::uint64_t last, std::uint64_t zero_group,
                                                        std::uint64_t nonzero_group, CollectiveKind op) {
  if (last < first) return 0;
  if (op != CollectiveKind::ReduceScatter && op != CollectiveKind::AllReduce) return 0;
  const std::uint64_t period = zero_group + nonzero_group;
  std::uint64_t count = 0;
  const std::uint64_t first_pair = (first - 1) / period;
  const std::uint64_t last_pair = (last - 1) / period;
  for (std::uint64_t pair = first_pair; pair <= last_pair; ++pair) {
    if (op == CollectiveKind::AllReduce && pair % 2 != 0) continue;
    std::uint64_t lo = pair * period + zero_group + 1;  // first non-zero packet of the pair
    std::uint64_t hi = (pair + 1) * period;
    if (lo < first) lo = first;
    if (hi > last) hi = last;
    if (hi >= lo) count += hi - lo + 1;
  }
  return count;
}

// Hops between local digits that are `distance` apart ((dst - src) mod n) in one dimension.
std::int64_t topology_hops64(TopologyKind topology, std::int64_t n, std::int64_t distance) {
  switch (topology) {
    case TopologyKind::Ring: {
      const std::int64_t c = ((distance % n) + n) % n;
      return c < n - c ? c : n - c;
    }
    case TopologyKind::Switch: return 2;
    case TopologyKind::FullyConnected: return 1;
  }
  return 1;
}

// Delay of a message to the NPU `offset` places along the ring (negative = backwards).
std::uint64_t ring_peer_delay_ns64(const NetworkView& net, const LogicalRing& ring,
                                                 std::int64_t offset, std::uint64_t size_bytes) {
  if (!ring.global) {
    const int dim = ring.dim;
    return dimension_delay_ns(net, dim, topology_hops64(net.topology[dim], net.npus_count[dim], offset), size_bytes);
  }
  // Global ring: the first dimension where offset's mixed-radix digit is non-zero is charged,
  // with that digit as the local distance (lower digits are 0, so no carry reaches it).
  std::int64_t x = ((offset % ring.n) + ring.n) % ring.n;
  for (int dim = 0; dim < net.dims; ++dim) {
    const std::int64_t n = net.npus_count[dim];
    const std::int64_t c = x % n;
    if (c != 0) return dimension_delay_ns(net, dim, topology_hops64(net.topology[dim], n, c), size_bytes);
    x /= n;
  }
  return 0;  // offset 0: never sent
}

std::uint64_t ring_send_count64(CollectiveKind op, std::uint64_t p) {
  switch (op) {
    case CollectiveKind::AllReduce: return 2 * (p - 1);
    case CollectiveKind::AllToAll: return p * (p - 1) / 2;
    default: return p - 1;
  }
}

PhaseTiming ring_phase_timing64(const NetworkView& net, const StepCosts& costs, const PhaseSpec& ph) {
  const std::uint64_t p = static_cast<std::uint64_t>(ph.ring.n);
  const std::uint64_t d = costs.endpoint_delay_ns;
  const std::uint64_t msg = ph.op == CollectiveKind::AllGather ? ph.input_bytes : ph.input_bytes / p;
  const std::uint64_t sends = ring_send_count64(ph.op, p);
  const std::uint64_t zero_group = 1, nonzero_group = p - 1;
  const std::uint64_t latency = ring_peer_delay_ns64(net, ph.ring, 1, msg);
  const std::uint64_t processed = processed_packets_between64(2, sends + 1, zero_group, nonzero_group, ph.op);
  const std::uint64_t r = processed ? reduction_ns(costs, msg) : 0;
  PhaseTiming t;
  t.duration_ns = d + sends * (latency + d) + processed * r;
  t.tail_ns = packet_is_processed64(sends + 1, zero_group, nonzero_group, ph.op) ? reduction_ns(costs, msg) : d;
  return t;
}

PhaseTiming halving_doubling_phase_timing64(const NetworkView& net, const StepCosts& costs,
                                                          const PhaseSpec& ph) {
  const std::uint64_t p = static_cast<std::uint64_t>(ph.ring.n);
  std::uint64_t lg = 0;
  while ((std::uint64_t{1} << (lg + 1)) <= p) ++lg;
  const std::uint64_t d = costs.endpoint_delay_ns;
  const bool ar = ph.op == CollectiveKind::AllReduce;
  const std::uint64_t sends = ar ? 2 * lg : lg;
  const std::uint64_t zero_group = 1, nonzero_group = lg - 1;
  std::uint64_t offset, msg;
  bool doubling;  // offset x2 / message /2 (else offset /2, message x2)
  if (ph.op == CollectiveKind::AllGather) {
    offset = p / 2; msg = ph.input_bytes; doubling = false;
  } else {
    offset = 1; msg = ph.input_bytes / 2; doubling = true;
  }
  PhaseTiming t;
  t.duration_ns = d;
  for (std::uint64_t i = 1; i <= sends + 1; ++i) {
    // packet i carries (offset, msg); its bundle is created on receive i-1 (init for i = 1)
    if (i >= 2) {
      const bool processed = packet_is_processed64(i, zero_group, nonzero_group, ph.op);
      const std::uint64_t r = processed ? reduction_ns(costs, msg) : 0;
      t.duration_ns += d + r;
      if (i == sends + 1) t.tail_ns = processed ? r : d;
    }
    if (i <= sends) t.duration_ns += ring_peer_delay_ns64(net, ph.ring, static_cast<std::int64_t>(offset), msg);
    if (doubling) {
      offset *= 2; msg /= 2;
      if (offset == p && ar) {
        doubling = false;
        offset /= 2; msg *= 2;
      }
    } else {
      offset /= 2; msg *= 2;
    }
  }
  return t;
}

// direct_phase.hpp before the 12-byte entries: every event kept its registration tick
inline constexpr int kMaxDirectPendingEntries = 64;  // distinct (tick, kind) events in flight

struct DirectPending {
  std::uint64_t tick_ns;
  std::uint64_t registered_ns;  // Generals: when the registry entry that runs it was made
  std::uint32_t count;
  std::uint8_t is_general;
};

struct DirectEventList {
  DirectPending entries[kMaxDirectPendingEntries];
  int size = 0;
  bool overflow = false;

  void add(std::uint64_t tick, std::uint64_t registered, bool general) {
    for (int i = 0; i < size; ++i) {
      DirectPending& e = entries[i];
      if (e.tick_ns == tick && (e.is_general != 0) == general) {
        ++e.count;
        if (registered > e.registered_ns) e.registered_ns = registered;
        return;
      }
    }
    if (size == kMaxDirectPendingEntries) {
      overflow = true;
      return;
    }
    entries[size++] = DirectPending{tick, registered, 1u, static_cast<std::uint8_t>(general ? 1 : 0)};
  }
  // Removes every entry of `kind` at `tick`; returns the count (and the latest registration).
  std::uint64_t take(std::uint64_t tick, bool general, std::uint64_t& registered) {
    std::uint64_t n = 0;
    for (int i = 0; i < size;) {
      if (entries[i].tick_ns == tick && (entries[i].is_general != 0) == general) {
        n += entries[i].count;
        if (entries[i].registered_ns > registered) registered = entries[i].registered_ns;
        entries[i] = entries[--size];
      } else {
        ++i;
      }
    }
    return n;
  }
  bool has(std::uint64_t tick, bool general) const {
    for (int i = 0; i < size; ++i)
      if (entries[i].tick_ns == tick && (entries[i].is_general != 0) == general) return true;
    return false;
  }
};

PhaseTiming direct_phase_timing(const NetworkView& net, const StepCosts& costs, const PhaseSpec& ph) {
  const std::uint64_t p = static_cast<std::uint64_t>(ph.ring.n);
  const std::uint64_t d = costs.endpoint_delay_ns;
  const bool ar = ph.op == CollectiveKind::AllReduce;
  const std::uint64_t window =
      ph.window < 0 ? p - 1 : (static_cast<std::uint64_t>(ph.window) < p - 1 ? static_cast<std::uint64_t>(ph.window) : p - 1);
  const std::uint64_t middle = p - 1;
  const std::uint64_t msg = ph.op == CollectiveKind::AllGather ? ph.input_bytes : ph.input_bytes / p;
  const bool reduces = ph.op == CollectiveKind::AllReduce || ph.op == CollectiveKind::ReduceScatter;
  const std::uint64_t r = reduces ? reduction_ns(costs, msg) : 0;

  std::uint64_t sends_left = ar ? 2 * (p - 1) : p - 1;
  std::uint64_t inserted = 0, queued = 0, sent = 0, free = 0, received = 0;
  DirectEventList events;
  PhaseTiming result;

  auto insert_packet = [&](std::uint64_t now) {
    ++inserted;
    ++queued;
    if (packet_is_processed64(inserted, window, window, ph.op)) {
      events.add(now + d + r, now + d, true);  // the reduction is registered when the bundle fires
    } else {
      events.add(now + d, now, true);
    }
  };
  auto try_send = [&](std::uint64_t now) {
    if (queued == 0 || sends_left == 0 || free == 0) return;
    ++sent;
    const std::int64_t offset = static_cast<std::int64_t>((sent - 1) % (p - 1)) + 1;
    events.add(now + ring_peer_delay_ns64(net, ph.ring, offset, msg), 0, false);
    --sends_left;
    --free;
    --queued;
  };

  for (std::uint64_t k = 0; k < window; ++k) insert_packet(0);
  // Every token (W of them) is a pending event or a free slot, so a phase takes at most a few
  // steps per send; the bound only protects against a modelling bug.
  const std::uint64_t max_steps = 4 * (2 * p + window) + 64;
  for (std::uint64_t step = 0; step < max_steps; ++step) {
    if (events.overflow || events.size == 0) break;
    std::uint64_t now = events.entries[0].tick_ns;
    for (int i = 1; i < events.size; ++i)
      if (events.entries[i].tick_ns < now) now = events.entries[i].tick_ns;
    std::uint64_t ignored = 0, registered = 0;
    const std::uint64_t arrivals = events.take(now, false, ignored);
    if (ar && arrivals > 0 && received < middle && received + arrivals >= middle && events.has(now, true))
      result.needs_reference = true;
    received += arrivals;
    for (std::uint64_t k = 0; k < arrivals; ++k) insert_packet(now);
    const std::uint64_t generals = events.take(now, true, registered);
    for (std::uint64_t g = 0; g < generals; ++g) {
      ++free;
      if (ar && sends_left <= middle) {
        if (received < middle) continue;
        for (std::uint64_t k = 0; k < window; ++k) try_send(now);
      } else {
        try_send(now);
      }
      if (sends_left == 0 && free == window) {
        result.duration_ns = now;
        result.tail_ns = now - registered;
        return result;
      }
    }
    // Zero-delay messages sent in this tick arrive after every registry list already scheduled
    // for it (their events are appended to the tick's bucket), so after these Generals. With
    // d = 0 new lists can be made inside the tick too, and the order is no longer ours to know.
    if (ar && d == 0 && generals > 0 && received < middle && events.has(now, false)) result.needs_reference = true;
  }
  result.needs_reference = true;  // did not finish within the bound: not ours to answer
  return result;
}


}  // namespace legacy

// ------------------------------------------------------------------ flow shop

TEST(FastEvaluatorParts, ClosedFormFlowShopMatchesTheChunkLoopExhaustively) {
  // every duration vector over {0..4} of 1..4 phases, 0..12 chunks, 1..13 active chunks
  std::uint64_t cases = 0;
  for (int phases = 1; phases <= 4; ++phases) {
    int vectors = 1;
    for (int i = 0; i < phases; ++i) vectors *= 5;
    for (int v = 0; v < vectors; ++v) {
      std::uint64_t d[kMaxPhases] = {};
      std::uint64_t sum = 0, max = 0;
      for (int i = 0, x = v; i < phases; ++i, x /= 5) {
        d[i] = static_cast<std::uint64_t>(x % 5);
        sum += d[i];
        max = d[i] > max ? d[i] : max;
      }
      for (std::uint64_t chunks = 0; chunks <= 12; ++chunks)
        for (std::uint64_t a = 1; a <= 13; ++a) {
          ASSERT_EQ(flow_shop_finish_ns(sum, max, chunks, a), legacy::flow_shop_finish(d, phases, chunks, a))
              << "phases " << phases << " v " << v << " chunks " << chunks << " a " << a;
          ++cases;
        }
    }
  }
  EXPECT_GT(cases, 100000u);
}

TEST(FastEvaluatorParts, ClosedFormFlowShopMatchesTheChunkLoopOnRandomInputs) {
  std::mt19937_64 rng(20261130);
  for (int sample = 0; sample < 20000; ++sample) {
    const int phases = std::uniform_int_distribution<int>(1, kMaxPhases)(rng);
    const std::uint64_t span = sample % 2 ? 1000000000ull : 20ull;
    std::uint64_t d[kMaxPhases], sum = 0, max = 0;
    for (int i = 0; i < phases; ++i) {
      d[i] = std::uniform_int_distribution<std::uint64_t>(0, span)(rng);
      sum += d[i];
      max = d[i] > max ? d[i] : max;
    }
    const std::uint64_t chunks = std::uniform_int_distribution<std::uint64_t>(0, 300)(rng);
    const std::uint64_t a = std::uniform_int_distribution<std::uint64_t>(1, sample % 3 ? 8 : 400)(rng);
    ASSERT_EQ(flow_shop_finish_ns(sum, max, chunks, a), legacy::flow_shop_finish(d, phases, chunks, a))
        << "sample " << sample;
  }
}

TEST(FastEvaluatorParts, FlowShopWorkedExample) {  // the example in chunk_pipeline.hpp
  const std::uint64_t d[] = {3, 5, 2};
  EXPECT_EQ(flow_shop_finish_ns(10, 5, 5, 2), 20u);
  EXPECT_EQ(legacy::flow_shop_finish(d, 3, 5, 2), 20u);
  EXPECT_EQ(flow_shop_finish_ns(10, 5, 5, 5), 10u);  // a >= K: back to back
}

// ------------------------------------------------------------------ phase plans

struct RandomSetup {
  NetworkConfig net;
  SystemConfig sys;
};

RandomSetup random_setup(std::mt19937_64& rng, int max_dims) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  RandomSetup s;
  s.net.dims = pick(1, max_dims);
  const std::int64_t sizes[] = {1, 1, 2, 3, 4, 5, 8};
  for (int d = 0; d < s.net.dims; ++d) {
    s.net.topology[d] = static_cast<TopologyKind>(pick(0, 2));
    s.net.npus_count[d] = sizes[pick(0, 6)];
    s.net.bandwidth_GBps[d] = 1 + pick(0, 800) * 0.5;
    s.net.latency_ns[d] = pick(0, 3000) * 0.25;
  }
  if (s.net.total_npus() < 2) s.net.npus_count[0] = 2 + pick(0, 6);
  s.sys.endpoint_delay_ns = pick(0, 20);
  s.sys.active_chunks_per_dimension = pick(1, 4);
  s.sys.preferred_dataset_splits = pick(1, 8);
  s.sys.local_bw_aware = pick(0, 1) == 1;
  s.sys.local_mem_bw_GBps = 1 + pick(0, 4000);
  const AlgorithmKind kinds[] = {AlgorithmKind::Ring,    AlgorithmKind::Direct,    AlgorithmKind::HalvingDoubling,
                                 AlgorithmKind::DoubleBinaryTree, AlgorithmKind::OneRing, AlgorithmKind::OneDirect,
                                 AlgorithmKind::OneHalvingDoubling};
  for (int c = 0; c < kCollectiveKinds; ++c) {
    s.sys.implementation_count[c] = pick(0, s.net.dims);
    for (int d = 0; d < s.sys.implementation_count[c]; ++d)
      s.sys.implementation[c][d] = AlgorithmChoice{kinds[pick(0, 6)], pick(0, 2) ? -1 : pick(1, 9)};
  }
  return s;
}

TEST(FastEvaluatorParts, PhaseSequenceWalksTheStoredPlanOfOld) {
  std::mt19937_64 rng(7);
  int multi_phase = 0, revisiting = 0;
  for (int sample = 0; sample < 50000; ++sample) {
    const RandomSetup s = random_setup(rng, kMaxDims);
    const NetworkView view = make_network_view(s.net);
    const CollectiveKind c = static_cast<CollectiveKind>(sample % kCollectiveKinds);
    const std::uint64_t bytes = std::uniform_int_distribution<std::uint64_t>(1, 1ull << 40)(rng);
    const PhasePlan old_plan = legacy::plan_phases(view, s.sys, c, bytes);
    const PhasePlan plan = plan_phases(view, s.sys, c, bytes);
    const PhaseSequence seq = phase_sequence(view, s.sys, c);
    ASSERT_EQ(plan.count, old_plan.count) << "sample " << sample;
    ASSERT_EQ(seq.count, old_plan.count);
    ASSERT_EQ(plan.uses_double_binary_tree, old_plan.uses_double_binary_tree);
    bool shared = false;
    std::uint64_t walked = bytes;
    for (int j = 0; j < plan.count; ++j) {
      const PhaseSpec& o = old_plan.phases[j];
      const PhaseSpec w = sequence_phase(view, s.sys, seq, j, walked);
      for (const PhaseSpec* p : {&plan.phases[j], &w}) {
        ASSERT_EQ(p->algorithm, o.algorithm) << "sample " << sample << " phase " << j;
        ASSERT_EQ(p->window, o.window);
        ASSERT_EQ(p->op, o.op);
        ASSERT_EQ(p->ring.n, o.ring.n);
        ASSERT_EQ(p->ring.dim, o.ring.dim);
        ASSERT_EQ(p->ring.global, o.ring.global);
        ASSERT_EQ(p->queue, o.queue);
        ASSERT_EQ(p->input_bytes, o.input_bytes);
        ASSERT_EQ(p->output_bytes, o.output_bytes);
      }
      ASSERT_EQ(seq.dim_of(j), o.queue);
      for (int i = 0; i < j; ++i) shared = shared || old_plan.phases[i].queue == o.queue;
    }
    ASSERT_EQ(seq.revisits_queues(), shared) << "sample " << sample;
    multi_phase += plan.count >= 3;
    revisiting += shared;
  }
  EXPECT_GT(multi_phase, 1000);  // the samples reach long plans and revisited queues
  EXPECT_GT(revisiting, 1000);
}

// ------------------------------------------------------------------ ring and halvingDoubling phases

TEST(FastEvaluatorParts, RingAndHalvingDoublingPhasesMatchTheir64BitVersions) {
  std::mt19937_64 rng(13);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int reducing = 0, global = 0;
  for (int sample = 0; sample < 60000; ++sample) {
    RandomSetup s = random_setup(rng, 3);
    if (sample % 5 == 0) s.net.npus_count[0] = std::int64_t{1} << pick(1, 12);  // large rings
    const NetworkView view = make_network_view(s.net);
    PhaseSpec ph;
    ph.op = static_cast<CollectiveKind>(pick(0, 3));
    const int d = pick(0, s.net.dims - 1);
    ph.ring = pick(0, 3) == 0 ? LogicalRing{view.total_npus, 0, true} : LogicalRing{view.npus_count[d], d, false};
    if (ph.ring.n < 2) ph.ring = LogicalRing{view.total_npus, 0, true};
    ph.input_bytes = static_cast<std::uint64_t>(pick(1, 1 << 20)) * (pick(0, 1) ? 1 : 4096);
    StepCosts costs;
    costs.endpoint_delay_ns = static_cast<std::uint64_t>(pick(0, 20));
    costs.local_mem_bytes_per_s = local_mem_bytes_per_s(1.0 + pick(0, 4000));
    const PhaseTiming ring = ring_phase_timing(view, costs, ph), ring64 = legacy::ring_phase_timing64(view, costs, ph);
    ASSERT_EQ(ring.duration_ns, ring64.duration_ns) << "sample " << sample;
    ASSERT_EQ(ring.tail_ns, ring64.tail_ns) << "sample " << sample;
    if (is_power_of_two(ph.ring.n) && ph.op != CollectiveKind::AllToAll) {
      const PhaseTiming hd = halving_doubling_phase_timing(view, costs, ph);
      const PhaseTiming hd64 = legacy::halving_doubling_phase_timing64(view, costs, ph);
      ASSERT_EQ(hd.duration_ns, hd64.duration_ns) << "sample " << sample;
      ASSERT_EQ(hd.tail_ns, hd64.tail_ns) << "sample " << sample;
    }
    for (std::int64_t offset : {std::int64_t{1}, std::int64_t{-1}, ph.ring.n - 1, ph.ring.n / 2, ph.ring.n + 3})
      ASSERT_EQ(ring_peer_delay_ns(view, ph.ring, offset, ph.input_bytes),
                legacy::ring_peer_delay_ns64(view, ph.ring, offset, ph.input_bytes));
    reducing += ph.op == CollectiveKind::AllReduce || ph.op == CollectiveKind::ReduceScatter;
    global += ph.ring.global;
  }
  EXPECT_GT(reducing, 20000);
  EXPECT_GT(global, 10000);
}

TEST(FastEvaluatorParts, PacketCountsMatchTheir64BitVersions) {
  for (std::uint32_t zero = 1; zero <= 6; ++zero)
    for (std::uint32_t nonzero = 1; nonzero <= 6; ++nonzero)
      for (int op = 0; op < kCollectiveKinds; ++op) {
        const CollectiveKind c = static_cast<CollectiveKind>(op);
        for (std::uint32_t first = 1; first <= 40; ++first) {
          ASSERT_EQ(packet_is_processed(first, zero, nonzero, c), legacy::packet_is_processed64(first, zero, nonzero, c));
          for (std::uint32_t last = 0; last <= 60; ++last)
            ASSERT_EQ(processed_packets_between(first, last, zero, nonzero, c),
                      legacy::processed_packets_between64(first, last, zero, nonzero, c));
        }
      }
}

// ------------------------------------------------------------------ direct phases

TEST(FastEvaluatorParts, DirectPhaseMatchesTheEventListThatStoredRegistrations) {
  std::mt19937_64 rng(11);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int finished = 0, gated_races = 0, overflowed = 0, tails_r = 0;
  for (int sample = 0; sample < 40000; ++sample) {
    RandomSetup s = random_setup(rng, 3);
    if (sample % 4 == 0) s.net.npus_count[0] = 9 + pick(0, 60);  // more peers than entries now and then
    const NetworkView view = make_network_view(s.net);
    PhaseSpec ph;
    ph.algorithm = AlgorithmKind::Direct;
    ph.op = static_cast<CollectiveKind>(pick(0, 3));
    const int d = pick(0, s.net.dims - 1);
    ph.ring = pick(0, 3) == 0 ? LogicalRing{view.total_npus, 0, true} : LogicalRing{view.npus_count[d], d, false};
    if (ph.ring.n < 2) ph.ring = LogicalRing{view.total_npus, 0, true};
    ph.window = pick(0, 2) ? -1 : pick(1, 6);
    ph.input_bytes = static_cast<std::uint64_t>(pick(1, 1 << 20)) * (pick(0, 1) ? 1 : 4096);
    StepCosts costs;
    costs.endpoint_delay_ns = static_cast<std::uint64_t>(pick(0, 3) == 0 ? 0 : pick(0, 20));
    costs.local_mem_bytes_per_s = local_mem_bytes_per_s(pick(0, 1) ? 1.0 + pick(0, 50) : 1.0 + pick(0, 4000));
    const PhaseTiming now = direct_phase_timing(view, costs, ph);
    const PhaseTiming old = legacy::direct_phase_timing(view, costs, ph);
    ASSERT_EQ(now.needs_reference, old.needs_reference) << "sample " << sample;
    ASSERT_EQ(now.duration_ns, old.duration_ns) << "sample " << sample;
    ASSERT_EQ(now.tail_ns, old.tail_ns) << "sample " << sample;
    finished += !now.needs_reference;
    overflowed += now.needs_reference;
    gated_races += now.needs_reference && now.duration_ns != 0;
    tails_r += !now.needs_reference && now.tail_ns != costs.endpoint_delay_ns;
  }
  EXPECT_GT(finished, 20000);
  EXPECT_GT(tails_r, 1000);  // phases ending on a processed bundle (tail r) are reached
  (void)gated_races;
  (void)overflowed;
}

// ------------------------------------------------------------------ many active chunks

// The old flow-shop loop kept 32 chunk slots and handed larger `a` (with more chunks) to the
// reference simulator; the closed form answers them, and must agree with it.
TEST(FastEvaluatorParts, MoreActiveChunksThanTheOldSlotsMatchTheReference) {
  std::mt19937_64 rng(5);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int compared = 0;
  for (int sample = 0; sample < 24; ++sample) {
    NetworkConfig net;
    net.dims = pick(1, 2);
    for (int d = 0; d < net.dims; ++d) {
      net.topology[d] = static_cast<TopologyKind>(pick(0, 2));
      net.npus_count[d] = pick(2, 4);
      net.bandwidth_GBps[d] = 10 + pick(0, 400);
      net.latency_ns[d] = pick(0, 1000);
    }
    SystemConfig sys;
    sys.endpoint_delay_ns = pick(1, 20);
    sys.active_chunks_per_dimension = pick(33, 60);
    sys.preferred_dataset_splits = pick(sys.active_chunks_per_dimension + 1, 100);
    sys.local_bw_aware = false;  // distinct queues: the flow shop
    sys.local_mem_bw_GBps = 1600;
    const AlgorithmKind kinds[] = {AlgorithmKind::Ring, AlgorithmKind::Direct, AlgorithmKind::HalvingDoubling};
    for (int c = 0; c < kCollectiveKinds; ++c) {
      sys.implementation_count[c] = net.dims;
      for (int d = 0; d < net.dims; ++d)
        sys.implementation[c][d] = AlgorithmChoice{net.npus_count[d] == 3 ? AlgorithmKind::Ring : kinds[pick(0, 2)], -1};
    }
    const CollectiveKind c = static_cast<CollectiveKind>(pick(0, 2));  // no all-to-all on halvingDoubling
    const std::uint64_t bytes = static_cast<std::uint64_t>(pick(1, 64)) << 14;
    const PointMetrics fast = evaluate_collective(net, sys, NetworkBackend::CongestionUnaware, c, bytes);
    if (fast.status == PointStatus::NeedsReference) continue;
    ASSERT_EQ(fast.status, PointStatus::Ok) << "sample " << sample;
    const SimulationResult ref = simulate_reference(net, sys, NetworkBackend::CongestionUnaware,
                                                    Workload::single_collective(c, bytes), ReferenceOptions{});
    ASSERT_EQ(ref.status, SimStatus::Ok) << "sample " << sample << ": " << ref.message;
    EXPECT_EQ(fast.finish_ns, ref.max_finish_ns()) << "sample " << sample;
    ++compared;
  }
  EXPECT_GE(compared, 20);
}

}  // namespace
}  // namespace astra
