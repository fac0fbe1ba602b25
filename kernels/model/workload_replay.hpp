// Replays a workload graph on one representative NPU (spec 5.2, 5.3): every NPU runs the same
// graph on a symmetric network, so all finish at the same tick.
//
//   * a node is ready when all its parents finished; at most ONE compute and ONE collective are
//     in flight; whenever something finishes (and at t = 0) the ready nodes are issued in
//     increasing node index, each taking its resource if free;
//   * a compute node ends compute_duration_ns later; a collective ends collective_timing later
//     (its duration does not depend on when it starts, so it is computed once per (kind, size));
//   * a compute and a collective ending at the same tick run in the order their events were
//     registered with the NPU's event registry (spec 2.2): the compute's at its issue tick, the
//     collective's completing General at end - tail. If both were registered in the same tick
//     and the order could change what is issued next, the point needs the reference simulator.
//
// With a non-null `node_timings` (node_count entries, caller-owned) it also records when each node
// became ready, was issued and finished (valid only when the status is Ok); null costs nothing.
//
//   compute:  [--c0--][----c1----][-c2-]
//   comm:                 [=====a0=====][==a1==]       Wall = finish, GPU = sum compute,
//                                                      Comm = sum comm, overlap = GPU+Comm-Wall
#pragma once

#include <cstdint>

#include "kernels/model/collective_timing.hpp"
#include "kernels/model/compute_time.hpp"
#include "kernels/model/config.hpp"
#include "kernels/model/config_check.hpp"
#include "kernels/model/evaluator_scratch.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/network_delay.hpp"
#include "kernels/model/replay_node_timing.hpp"
#include "kernels/model/workload_graph.hpp"

namespace astra {

enum class ReplayStatus : std::uint8_t { Ok = 0, Rejected = 1, NeedsReference = 2 };

struct ReplayResult {
  ReplayStatus status = ReplayStatus::Ok;
  std::uint64_t finish_ns = 0;
  std::uint64_t compute_ns = 0;   // sum of compute durations (= GPU time: one compute at a time)
  std::uint64_t comm_ns = 0;      // sum of collective durations (= Comm time)
  std::uint32_t compute_nodes = 0;
  std::uint32_t collective_nodes = 0;
};

// Duration of a (collective, size) for this point, remembered in the scratch's memo.
ASTRA_HD_INLINE const CollectiveMemoEntry* memo_collective(const EvaluatorScratchView& scratch, const NetworkConfig& net,
                                                           const NetworkView& view, const SystemConfig& sys,
                                                           CollectiveKind kind, std::uint64_t size_bytes,
                                                           CollectiveMemoEntry& spill) {
  const std::uint64_t h = (size_bytes * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(kind)) >> 58;
  CollectiveMemoEntry* slot = nullptr;
  for (int probe = 0; probe < kCollectiveMemoEntries; ++probe) {
    CollectiveMemoEntry& e = scratch.memo(static_cast<int>((h + static_cast<std::uint64_t>(probe)) % kCollectiveMemoEntries));
    if (!e.used) {
      slot = &e;
      break;
    }
    if (e.size_bytes == size_bytes && e.collective == static_cast<std::uint8_t>(kind)) return &e;
  }
  if (slot == nullptr) slot = &spill;  // table full: compute without remembering
  slot->used = 1;
  slot->size_bytes = size_bytes;
  slot->collective = static_cast<std::uint8_t>(kind);
  slot->rejected = check_collective(net, sys, kind, size_bytes).ok() ? 0 : 1;
  if (!slot->rejected) slot->timing = collective_timing(view, sys, kind, size_bytes);
  return slot;
}

[[nodiscard]] ASTRA_HD_INLINE int lowest_set_bit(std::uint64_t x) {
#if defined(__CUDA_ARCH__)
  return __ffsll(static_cast<long long>(x)) - 1;
#else
  return __builtin_ctzll(x);
#endif
}

// Removes and returns the lowest ready node index of NodeKind `kind`, or -1.
[[nodiscard]] ASTRA_HD_INLINE int take_first_ready(const EvaluatorScratchView& s, int kind, int words) {
  for (int w = 0; w < words; ++w) {
    std::uint64_t& bits = s.ready_word(kind, w);
    if (bits != 0) {
      const int b = lowest_set_bit(bits);
      bits &= bits - 1;  // clear the lowest set bit
      return w * 64 + b;
    }
  }
  return -1;
}

[[nodiscard]] ASTRA_HD_INLINE ReplayResult replay_workload(const NetworkConfig& net, const NetworkView& view, const SystemConfig& sys,
                                             const WorkloadGraphView& graph, double compute_scale,
                                             const EvaluatorScratchView& s, ReplayNodeTiming* node_timings = nullptr) {
  ReplayResult out;
  const int n = graph.node_count;
  if (n < 0 || n > kMaxWorkloadNodes) {
    out.status = ReplayStatus::NeedsReference;
    return out;
  }
  // the children index is the graph's (built once on the host); only the counts are per point
  if (graph.dep_count > kMaxWorkloadDeps || (n > 0 && (graph.child_begin == nullptr || graph.parent_count == nullptr))) {
    out.status = ReplayStatus::NeedsReference;
    return out;
  }
  if (!graph.deps_in_range) {
    out.status = ReplayStatus::Rejected;
    return out;
  }
  const std::int32_t* const child_begin = graph.child_begin;
  const std::int32_t* const children = graph.children;
  const int words = (n + 63) / 64;
  for (int w = 0; w < words; ++w) s.ready_word(0, w) = s.ready_word(1, w) = 0;
  if (node_timings)
    for (int i = 0; i < n; ++i) node_timings[i] = ReplayNodeTiming{};
  for (int i = 0; i < n; ++i) {
    s.parents_left(i) = static_cast<std::int16_t>(graph.parent_count[i]);
    if (graph.parent_count[i] == 0) s.ready_word(static_cast<int>(graph.nodes[i].kind), i >> 6) |= 1ULL << (i & 63);
  }
  for (int e = 0; e < kCollectiveMemoEntries; ++e) s.memo(e).used = 0;
  CollectiveMemoEntry spill;

  bool comp_busy = false, comm_busy = false;
  int comp_node = -1, comm_node = -1;
  std::uint64_t comp_end = 0, comp_reg = 0, comm_end = 0, comm_reg = 0;
  int finished_nodes = 0;

  auto issue = [&](std::uint64_t now) -> bool {
    if (!comp_busy) {
      const int i = take_first_ready(s, 0, words);
      if (i >= 0) {
        const std::uint64_t dur = compute_duration_ns(graph.nodes[i].duration_us, compute_scale);
        comp_busy = true;
        comp_node = i;
        comp_end = now + dur;
        comp_reg = now;
        out.compute_ns += dur;
        ++out.compute_nodes;
        if (node_timings) {
          node_timings[i].issue_ns = now;
          node_timings[i].finish_ns = comp_end;
        }
      }
    }
    if (!comm_busy) {
      const int i = take_first_ready(s, 1, words);
      if (i >= 0) {
        const WorkloadNode& node = graph.nodes[i];
        const CollectiveMemoEntry* m = memo_collective(s, net, view, sys, node.collective, node.size_bytes, spill);
        if (m->rejected || m->timing.status == CollectiveTimingStatus::Unchunkable) {
          out.status = ReplayStatus::Rejected;
          return false;
        }
        if (m->timing.status != CollectiveTimingStatus::Ok || m->timing.duration_ns == 0) {
          out.status = ReplayStatus::NeedsReference;
          return false;
        }
        comm_busy = true;
        comm_node = i;
        comm_end = now + m->timing.duration_ns;
        comm_reg = comm_end - m->timing.tail_ns;
        out.comm_ns += m->timing.duration_ns;
        ++out.collective_nodes;
        if (node_timings) {
          node_timings[i].issue_ns = now;
          node_timings[i].finish_ns = comm_end;
        }
      }
    }
    return true;
  };
  std::uint64_t now = 0;
  auto complete = [&](int node) {  // at `now`
    ++finished_nodes;
    for (int c = child_begin[node]; c < child_begin[node + 1]; ++c) {
      const int child = children[c];
      if (--s.parents_left(child) != 0) continue;
      if (node_timings) node_timings[child].ready_ns = now;
      s.ready_word(static_cast<int>(graph.nodes[child].kind), child >> 6) |= 1ULL << (child & 63);
    }
  };
  auto has_children = [&](int node) { return child_begin[node + 1] > child_begin[node]; };

  if (!issue(0)) return out;
  while (comp_busy || comm_busy) {
    bool compute_first;
    if (comp_busy && comm_busy && comp_end == comm_end) {
      if (comp_reg != comm_reg) {
        compute_first = comp_reg < comm_reg;
      } else if (has_children(comp_node) || has_children(comm_node)) {
        out.status = ReplayStatus::NeedsReference;  // the same-tick order could change what runs next
        return out;
      } else {
        compute_first = true;
      }
    } else {
      compute_first = comp_busy && (!comm_busy || comp_end < comm_end);
    }
    if (compute_first) {
      now = comp_end;
      comp_busy = false;
      complete(comp_node);
    } else {
      now = comm_end;
      comm_busy = false;
      complete(comm_node);
    }
    if (!issue(now)) return out;
  }
  if (finished_nodes != n) {  // a dependency cycle: ASTRA-sim would never finish
    out.status = ReplayStatus::NeedsReference;
    return out;
  }
  out.finish_ns = now;
  return out;
}

}  // namespace astra
