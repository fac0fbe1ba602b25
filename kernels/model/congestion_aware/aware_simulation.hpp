// A workload (a lone collective, or a graph of compute and collective nodes) on every NPU through
// the congestion-aware backend, simulated in full (every NPU, every link queue) with bounded
// state, so the same code runs on the CPU and in a CUDA thread. It is the reference simulator's
// event order re-expressed without heap or callbacks:
//
//   host/reference                          here
//   EventQueue (time buckets, FIFO)         EventHeap ordered by (time, sequence)   event_heap.hpp
//   NpuSystem::register_event registry      AwareRegistryEntry + AwareItem lists    npu_event_registry.hpp
//                                             per NPU
//   Network send/recv matching              MessageKeyTable counters                message_keys.hpp
//   CongestionAwareNetwork links, routes    LinkTable + AwareLink FIFOs +           link_table.hpp,
//                                             AwareMessage hops                     link_network.hpp
//   NpuSystem chunks, queues (Stream)       AwareStream slots, per-NPU queues       chunk_queues.hpp
//   packet_engine, phase algorithms         AwareStream: the current phase's        aware_packet_engine.hpp,
//     (ring, direct, halvingDoubling,         packet-engine state; packets            aware_ring_phase.hpp,
//     one*)                                   computed from their index             aware_direct_phase.hpp,
//                                             (stream_peers.hpp)                    aware_halving_doubling_phase.hpp
//   WorkloadRunner (issue rules, stats)     AwareNpu + per-(NPU, node) parents/     aware_workload_runner.hpp
//                                             ready bits
//
// This file holds the entry (simulate_aware_collective, simulate_aware_workload) and run(): the
// checks before the run, the event loop and the result; the class and its state are in
// aware_simulation_state.hpp, the handlers in the files above (and the pools in aware_pools.hpp).
//
//   run: every collective chunkable, on the fast path, within the scratch's bounds?
//        -> reset -> every NPU's workload starts at t = 0
//        -> pop events in (time, sequence) order: RunRegistry | HopDone | LinkFree | ReceiveHandler
//        -> the last NPU's finish and statistics
//
// Every NPU runs the same graph, so a collective's phase plan (phase_plan.hpp) is the same on
// all NPUs; only an NPU's place on each logical ring differs. Where that makes every NPU's run
// NPU 0's, relabelled, run() simulates NPU 0 alone (quotient_symmetry.hpp) and falls back to
// every NPU when a same-tick race could break the symmetry. Runs are not assumed symmetric (with
// several dimensions NPUs often finish apart): the result is the last NPU's finish, as the
// reference's metrics report it, and says whether the NPUs differ (finish or statistics).
//
// No recursion (a device thread's stack size must be known statically, or the driver sizes it too
// small): a handler may run others synchronously (a chunk's last phase ends -> its collective
// finishes -> the next node is issued -> its chunks enter their first phase), but the chain
// always ends, because a chunk entering a phase (enter_next_phase) never finishes one.
// scripts/check_device_stack.sh checks the compiled call graph.
//
// BeyondScratch: more than the bounds of aware_scratch.hpp. NeedsReference: doubleBinaryTree, an
// NPU that never finishes, or a state the reference simulator would only reach through undefined
// behaviour (a stream finishing twice, a message to itself).
#pragma once

#include <cstdint>

#include "kernels/model/chunking.hpp"
#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/workload_graph.hpp"
#include "kernels/model/congestion_aware/aware_packet_engine.hpp"
#include "kernels/model/congestion_aware/aware_pools.hpp"
#include "kernels/model/congestion_aware/aware_result.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/aware_simulation_state.hpp"
#include "kernels/model/congestion_aware/aware_workload_runner.hpp"
#include "kernels/model/congestion_aware/chunk_queues.hpp"
#include "kernels/model/congestion_aware/event_heap.hpp"
#include "kernels/model/congestion_aware/link_network.hpp"
#include "kernels/model/congestion_aware/npu_event_registry.hpp"
#include "kernels/model/congestion_aware/quotient_symmetry.hpp"

namespace astra::aware {

// The quotient first where the run is symmetric (quotient_symmetry.hpp); if it meets a same-tick
// pair whose order may differ from NPU to NPU, every NPU (the events of both runs are counted).
ASTRA_HD inline AwareResult AwareSimulation::run() {
  AwareResult out = run_once(allow_quotient_);
  if (out.status == AwareStatus::Ok || !asymmetric_) return out;
  const std::uint64_t spent = out.events;
  out = run_once(false);
  out.events += spent;
  out.quotient_abandoned = true;
  return out;
}

ASTRA_HD inline AwareResult AwareSimulation::run_once(bool quotient_allowed) {
  AwareResult out;
  const std::int64_t p = links_.total_npus;
  // every collective must be chunkable and on the fast path; the largest decides the slots
  std::uint64_t most_chunks = 1;
  bool symmetric = quotient_allowed;
  for (int d = 0; d < kMaxDims; ++d) quotient_groups_[d] = kQuotientAny;
  for (std::int32_t i = 0; i < node_count_; ++i) {
    const WorkloadNode& n = node(i);
    if (n.kind != NodeKind::Collective) continue;
    const ChunkPlan chunks = plan_chunks(n.collective, n.size_bytes, sys_.preferred_dataset_splits, p);
    if (chunks.chunk_count == 0) {
      out.status = AwareStatus::Unchunkable;
      return out;
    }
    PhasePlan& plan = s_.plan_check;
    plan_phases_into(plan, view_, sys_, n.collective, chunks.chunk_bytes);
    if (plan.uses_double_binary_tree || plan.count == 0) {
      out.status = AwareStatus::NeedsReference;
      return out;
    }
    if (chunks.chunk_count > most_chunks) most_chunks = chunks.chunk_count;
    symmetric = symmetric && quotient_groups_of_plan(links_, plan, quotient_groups_);
  }
  // a lone NPU of a symmetric run, or all of them (a dimension no phase uses: any group)
  for (int d = 0; d < kMaxDims; ++d)
    if (quotient_groups_[d] == kQuotientAny) quotient_groups_[d] = kQuotientRotation;
  quotient_ = symmetric && p > 1 && quotient_number_objects();
  active_npus_ = quotient_ ? 1 : static_cast<std::int32_t>(p > kAwareMaxNpus ? kAwareMaxNpus + 1 : p);
  const std::int64_t active = active_npus_;
  if (active > kAwareMaxNpus || p > 0xFFFF || links_.link_count > kAwareMaxLinks || node_count_ > kMaxWorkloadNodes ||
      static_cast<std::int64_t>(node_count_) * active > kAwareMaxNodeStates ||
      most_chunks * static_cast<std::uint64_t>(active) > static_cast<std::uint64_t>(kAwareMaxStreams)) {
    out.status = AwareStatus::BeyondScratch;
    return out;
  }
  // chunk slots per NPU: one collective's chunks are alive at a time (the previous one's have all
  // finished when the next is issued); twice that leaves room, within the scratch
  const std::uint64_t fit = static_cast<std::uint64_t>(kAwareMaxStreams / active);
  slots_per_npu_ = static_cast<std::int32_t>(2 * most_chunks < fit ? 2 * most_chunks : fit);
  reset();
  if (!init_node_states()) {
    out.status = AwareStatus::BeyondScratch;
    return out;
  }
  // every NPU's workload starts at t = 0, NPU by NPU (WorkloadRunner::start)
  for (std::int32_t npu = 0; npu < active_npus_ && !failed_; ++npu) node_finished(npu, -1);
  while (!failed_ && heap_.size > 0) {
    if (++out.events > kAwareMaxEventsRun) {
      full_ = failed_ = true;
      break;
    }
    const Event e = heap_.pop();
    now_ = e.time_ns;
    dispatch(e.payload);
  }
  if (failed_ || full_) {
    out.status = full_ ? AwareStatus::BeyondScratch : AwareStatus::NeedsReference;
    return out;
  }
  out.quotient = quotient_;  // then every NPU's statistics are NPU 0's
  std::int32_t last = 0;
  for (std::int32_t npu = 0; npu < active_npus_; ++npu) {
    if (!s_.npus[npu].done) out.status = AwareStatus::NeedsReference;  // the reference reports it incomplete
    const AwareNpu& a = s_.npus[npu];
    const AwareNpu& b = s_.npus[0];
    if (a.finish_ns != b.finish_ns || a.compute_ns != b.compute_ns || a.comm_ns != b.comm_ns ||
        a.compute_done != b.compute_done || a.comm_done != b.comm_done)
      out.npus_differ = true;
    if (s_.npus[npu].finish_ns >= s_.npus[last].finish_ns) last = npu;
  }
  const AwareNpu& n = s_.npus[last];
  out.finish_ns = n.finish_ns;
  out.compute_ns = n.compute_ns;
  out.comm_ns = n.comm_ns;
  out.has_compute = n.compute_done > 0;
  out.has_comm = n.comm_done > 0;
  return out;
}

ASTRA_HD inline void AwareSimulation::reset() {
  heap_.reset(s_.events, kAwareMaxEvents);
  keys_.reset(s_.keys, kAwareKeySlots, s_.key_generation);
  for (std::int64_t l = 0; l < links_.link_count; ++l) s_.links[l] = AwareLink{0, -1, -1, 0};
  free_message_ = free_item_ = free_entry_ = -1;
  next_message_ = next_item_ = next_entry_ = 0;
  for (std::int64_t n = 0; n < active_npus_; ++n) {
    AwareNpu& npu = s_.npus[n];
    npu = AwareNpu{};
    npu.registry_active = -1;
    for (int q = 0; q < kMaxDims; ++q) npu.waiting_head[q] = npu.waiting_tail[q] = -1;
    npu.comm_node = -1;
  }
  for (std::int64_t i = 0; i < active_npus_ * slots_per_npu_; ++i) s_.streams[i].used = 0;
  for (QuotientTouches& t : s_.quotient_touches) {
    t.tick = ~std::uint64_t{0};
    t.count = 0;
  }
  scheduled_ns_ = 0;
  now_ = 0;
  failed_ = full_ = asymmetric_ = false;
}

ASTRA_HD inline void AwareSimulation::schedule(std::uint64_t time_ns, EventKind kind, std::int32_t index) {
  if (!heap_.push(time_ns, event_payload(kind, static_cast<std::uint32_t>(index)))) full_ = failed_ = true;
}

ASTRA_HD_INLINE void AwareSimulation::dispatch(std::uint32_t payload) {
  const std::int32_t i = static_cast<std::int32_t>(event_index(payload));
  const EventKind kind = event_kind(payload);
  if (quotient_) {  // when this event was scheduled; NPU 0's own events touch it
    scheduled_ns_ = kind == EventKind::RunRegistry ? s_.registry[i].created_ns
                    : kind == EventKind::HopDone   ? s_.messages[i].hop_start_ns
                    : kind == EventKind::LinkFree  ? s_.links[i].start_ns
                                                   : now_;
    if (kind == EventKind::RunRegistry || kind == EventKind::ReceiveHandler) quotient_touch_npu(0, kQuotientOwnStream);
  }
  switch (kind) {
    case EventKind::RunRegistry: run_registry(i); break;
    case EventKind::HopDone: hop_done(i); break;
    case EventKind::LinkFree: link_free(i); break;
    case EventKind::ReceiveHandler: algorithm_received(i); break;
  }
}

// allow_quotient = false: every NPU even where NPU 0 alone gives the answer (tests, benchmarks).
ASTRA_HD_INLINE AwareResult simulate_aware_collective(CongestionAwareScratch& scratch, const NetworkConfig& net,
                                                      const SystemConfig& sys, CollectiveKind collective,
                                                      std::uint64_t size_bytes, bool allow_quotient = true) {
  AwareSimulation sim(scratch, net, sys, nullptr, collective, size_bytes, 1.0);
  sim.allow_quotient(allow_quotient);
  return sim.run();
}

ASTRA_HD_INLINE AwareResult simulate_aware_workload(CongestionAwareScratch& scratch, const NetworkConfig& net,
                                                    const SystemConfig& sys, const WorkloadGraphView& graph,
                                                    double compute_scale, bool allow_quotient = true) {
  AwareSimulation sim(scratch, net, sys, &graph, CollectiveKind::AllReduce, 0, compute_scale);
  sim.allow_quotient(allow_quotient);
  return sim.run();
}

}  // namespace astra::aware
