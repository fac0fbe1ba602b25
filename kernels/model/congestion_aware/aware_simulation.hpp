// A workload (a lone collective, or a graph of compute and collective nodes) on every NPU through
// the congestion-aware backend, simulated in full (every NPU, every link queue) with bounded
// state, so the same code runs on the CPU and in a CUDA thread. It is the reference simulator's
// event order re-expressed without heap or callbacks:
//
//   host/reference                          here
//   EventQueue (time buckets, FIFO)         EventHeap ordered by (time, sequence)
//   NpuSystem::register_event registry      AwareRegistryEntry + AwareItem lists per NPU
//   Network send/recv matching              MessageKeyTable counters
//   CongestionAwareNetwork links, routes    LinkTable + AwareLink FIFOs + AwareMessage hops
//   Stream, phase algorithms (ring,         AwareStream: the current phase's packet-engine
//     direct, halvingDoubling, one*)          state; packets computed from their index
//   WorkloadRunner (issue rules, stats)     AwareNpu + per-(NPU, node) parents/ready bits
//
// Every NPU runs the same graph, so a collective's phase plan (phase_plan.hpp) is the same on
// all NPUs; only an NPU's place on each logical ring differs. Runs are not assumed symmetric (with
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
#include "kernels/model/compute_time.hpp"
#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/network_delay.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/workload_graph.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/event_heap.hpp"
#include "kernels/model/congestion_aware/link_table.hpp"
#include "kernels/model/congestion_aware/message_keys.hpp"
#include "kernels/model/congestion_aware/stream_peers.hpp"

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
  std::uint64_t events = 0;           // events processed (for benchmarks and tests)
};

class AwareSimulation {
 public:
  // `graph` null: one collective node (`collective`, `size_bytes`) without dependencies.
  ASTRA_HD AwareSimulation(CongestionAwareScratch& s, const NetworkConfig& net, const SystemConfig& sys,
                           const WorkloadGraphView* graph, CollectiveKind collective, std::uint64_t size_bytes,
                           double compute_scale)
      : s_(s), sys_(sys), links_(s.link_table), view_(s.network), graph_(graph), compute_scale_(compute_scale) {
    make_link_table(s.link_table, net);
    s.network = make_network_view(net);
    local_mem_bytes_per_s_ = local_mem_bytes_per_s(sys.local_mem_bw_GBps);
    lone_.kind = NodeKind::Collective;
    lone_.collective = collective;
    lone_.size_bytes = size_bytes;
    node_count_ = graph ? graph->node_count : 1;
  }

  ASTRA_HD AwareResult run() {
    AwareResult out;
    const std::int64_t p = links_.total_npus;
    // every collective must be chunkable and on the fast path; the largest decides the slots
    std::uint64_t most_chunks = 1;
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
    }
    if (p > kAwareMaxNpus || links_.link_count > kAwareMaxLinks || node_count_ > kMaxWorkloadNodes ||
        static_cast<std::int64_t>(node_count_) * p > kAwareMaxNodeStates ||
        most_chunks * static_cast<std::uint64_t>(p) > static_cast<std::uint64_t>(kAwareMaxStreams)) {
      out.status = AwareStatus::BeyondScratch;
      return out;
    }
    // chunk slots per NPU: one collective's chunks are alive at a time (the previous one's have all
    // finished when the next is issued); twice that leaves room, within the scratch
    const std::uint64_t fit = static_cast<std::uint64_t>(kAwareMaxStreams / p);
    slots_per_npu_ = static_cast<std::int32_t>(2 * most_chunks < fit ? 2 * most_chunks : fit);
    reset();
    if (!build_children()) {
      out.status = AwareStatus::BeyondScratch;
      return out;
    }
    // every NPU's workload starts at t = 0, NPU by NPU (WorkloadRunner::start)
    for (std::int32_t npu = 0; npu < p && !failed_; ++npu) node_finished(npu, -1);
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
    std::int32_t last = 0;
    for (std::int32_t npu = 0; npu < p; ++npu) {
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

 private:
  // ------------------------------------------------------------------ setup
  ASTRA_HD void reset() {
    heap_.reset(s_.events, kAwareMaxEvents);
    keys_.reset(s_.keys, kAwareKeySlots, s_.key_generation);
    for (std::int64_t l = 0; l < links_.link_count; ++l) s_.links[l] = AwareLink{-1, -1, 0};
    free_message_ = free_item_ = free_entry_ = -1;
    next_message_ = next_item_ = next_entry_ = 0;
    for (std::int64_t n = 0; n < links_.total_npus; ++n) {
      AwareNpu& npu = s_.npus[n];
      npu = AwareNpu{};
      npu.registry_active = -1;
      for (int q = 0; q < kMaxDims; ++q) npu.waiting_head[q] = npu.waiting_tail[q] = -1;
      npu.comm_node = -1;
    }
    for (std::int64_t i = 0; i < links_.total_npus * slots_per_npu_; ++i) s_.streams[i].used = 0;
    now_ = 0;
    failed_ = full_ = false;
  }

  // Pools with free lists; exhaustion fails the point (NeedsReference).
  ASTRA_HD std::int32_t new_message() {
    if (free_message_ >= 0) {
      const std::int32_t m = free_message_;
      free_message_ = s_.messages[m].next;
      return m;
    }
    if (next_message_ >= kAwareMaxMessages) return fail();
    return next_message_++;
  }
  ASTRA_HD std::int32_t new_item() {
    if (free_item_ >= 0) {
      const std::int32_t i = free_item_;
      free_item_ = s_.items[i].next;
      return i;
    }
    if (next_item_ >= kAwareMaxItems) return fail();
    return next_item_++;
  }
  ASTRA_HD std::int32_t new_entry() {
    if (free_entry_ >= 0) {
      const std::int32_t e = free_entry_;
      free_entry_ = s_.registry[e].next_active;
      return e;
    }
    if (next_entry_ >= kAwareMaxRegistry) return fail();
    return next_entry_++;
  }
  ASTRA_HD std::int32_t fail() {  // a pool is exhausted
    full_ = failed_ = true;
    return -1;
  }
  ASTRA_HD void schedule(std::uint64_t time_ns, EventKind kind, std::int32_t index) {
    if (!heap_.push(time_ns, event_payload(kind, static_cast<std::uint32_t>(index)))) full_ = failed_ = true;
  }

  ASTRA_HD void dispatch(std::uint32_t payload) {
    const std::int32_t i = static_cast<std::int32_t>(event_index(payload));
    switch (event_kind(payload)) {
      case EventKind::RunRegistry: run_registry(i); break;
      case EventKind::HopDone: hop_done(i); break;
      case EventKind::LinkFree: link_free(i); break;
      case EventKind::ReceiveHandler: algorithm_received(i); break;
    }
  }

  // ------------------------------------------------------------------ workload runner (spec 5)
  ASTRA_HD const WorkloadNode& node(std::int32_t i) const { return graph_ ? graph_->nodes[i] : lone_; }
  ASTRA_HD std::int32_t ready_words() const { return (node_count_ + 63) / 64; }

  // Distinct children of every node, and every NPU's parents-left counts and ready bits.
  ASTRA_HD bool build_children() {
    const std::int32_t n = node_count_;
    for (std::int32_t i = 0; i <= n; ++i) s_.child_begin[i] = 0;
    for (std::int32_t i = 0; i < n; ++i) s_.parents_count[i] = 0;
    for (int pass = 0; pass < 2; ++pass) {  // count, then fill
      for (std::int32_t i = 0; i < n; ++i) {
        if (!graph_) break;
        const WorkloadNode& nd = graph_->nodes[i];
        for (std::int32_t k = 0; k < nd.deps_count; ++k) {
          const std::int32_t parent = graph_->deps[nd.deps_begin + k];
          bool seen = false;  // a parent listed twice counts once
          for (std::int32_t j = 0; j < k && !seen; ++j) seen = graph_->deps[nd.deps_begin + j] == parent;
          if (seen) continue;
          if (pass == 0) {
            ++s_.child_begin[parent + 1];
            ++s_.parents_count[i];
          } else {
            s_.children[s_.child_begin[parent] + s_.parents_count[parent]++] = i;
          }
        }
      }
      if (pass == 0) {
        for (std::int32_t i = 0; i < n; ++i) s_.child_begin[i + 1] += s_.child_begin[i];
        if (s_.child_begin[n] > kMaxWorkloadDeps) return false;
        for (std::int32_t npu = 0; npu < links_.total_npus; ++npu) {
          for (std::int32_t w = 0; w < ready_words(); ++w) s_.ready_bits[npu * ready_words() + w] = 0;
          for (std::int32_t i = 0; i < n; ++i) {
            s_.parents_left[npu * n + i] = static_cast<std::int16_t>(s_.parents_count[i]);
            if (s_.parents_count[i] == 0) s_.ready_bits[npu * ready_words() + i / 64] |= std::uint64_t{1} << (i % 64);
          }
        }
        for (std::int32_t i = 0; i < n; ++i) s_.parents_count[i] = 0;  // reused as fill cursors
      }
    }
    return true;
  }

  // WorkloadRunner::on_finished: `finished` done (or -1 at start), then issue what is ready.
  ASTRA_HD void node_finished(std::int32_t npu_id, std::int32_t finished) {
    AwareNpu& n = s_.npus[npu_id];
    if (n.done) return;
    if (finished >= 0) {
      const WorkloadNode& nd = node(finished);
      if (nd.kind == NodeKind::Compute) {
        n.compute_busy = 0;
        ++n.compute_done;
      } else {
        n.comm_busy = 0;
        n.comm_ns += now_ - n.comm_issue_ns;
        ++n.comm_done;
      }
      --n.in_flight;
      for (std::int32_t c = s_.child_begin[finished]; c < s_.child_begin[finished + 1]; ++c) {
        const std::int32_t child = s_.children[c];
        if (--s_.parents_left[npu_id * node_count_ + child] == 0)
          s_.ready_bits[npu_id * ready_words() + child / 64] |= std::uint64_t{1} << (child % 64);
      }
    }
    bool any_ready = false;
    // issue_ready: ready nodes in increasing id; a busy kind keeps its nodes waiting
    for (std::int32_t w = 0; w < ready_words() && !failed_; ++w) {
      std::uint64_t bits = s_.ready_bits[npu_id * ready_words() + w];
      while (bits && !failed_) {
        const std::int32_t b = lowest_bit(bits);
        bits &= bits - 1;
        const std::int32_t i = w * 64 + b;
        const WorkloadNode& nd = node(i);
        std::uint8_t& busy = nd.kind == NodeKind::Compute ? n.compute_busy : n.comm_busy;
        if (busy) {
          any_ready = true;
          continue;
        }
        s_.ready_bits[npu_id * ready_words() + w] &= ~(std::uint64_t{1} << b);
        busy = 1;
        ++n.in_flight;
        if (nd.kind == NodeKind::Compute) {
          const std::uint64_t runtime_ns = compute_duration_ns(nd.duration_us, compute_scale_);
          n.compute_ns += runtime_ns;
          const std::int32_t item = new_item();
          if (item < 0) return;
          s_.items[item] = AwareItem{0, npu_id, -1, i, -1, 0};
          register_item(npu_id, item, runtime_ns);
        } else {
          n.comm_issue_ns = now_;
          n.comm_node = i;
          generate_collective(npu_id, nd.collective, nd.size_bytes);
        }
      }
    }
    if (!any_ready && n.in_flight == 0 && !n.compute_busy && !n.comm_busy) {
      n.done = 1;
      n.finish_ns = now_;
    }
  }

  ASTRA_HD static std::int32_t lowest_bit(std::uint64_t x) {
    std::int32_t b = 0;
    while (!(x & 1)) {
      x >>= 1;
      ++b;
    }
    return b;
  }

  // ------------------------------------------------------------------ NPU event registry (spec 2.2)
  ASTRA_HD void register_item(std::int32_t npu, std::int32_t item, std::uint64_t delay_ns) {
    const std::uint64_t t = now_ + delay_ns;
    AwareNpu& n = s_.npus[npu];
    std::int32_t e = n.registry_active;
    while (e >= 0 && s_.registry[e].tick != t) e = s_.registry[e].next_active;
    if (e < 0) {
      e = new_entry();
      if (e < 0) return;
      AwareRegistryEntry& r = s_.registry[e];
      r.tick = t;
      r.npu = npu;
      r.head = r.tail = -1;
      r.next_active = n.registry_active;
      n.registry_active = e;
      schedule(t, EventKind::RunRegistry, e);
    }
    AwareRegistryEntry& r = s_.registry[e];
    s_.items[item].next = -1;
    if (r.tail < 0) r.head = item; else s_.items[r.tail].next = item;
    r.tail = item;
  }

  ASTRA_HD void run_registry(std::int32_t e) {
    // items appended while this runs (same tick) run in this pass too
    for (std::int32_t i = s_.registry[e].head; i >= 0 && !failed_; i = s_.items[i].next) fire_item(i);
    AwareRegistryEntry& r = s_.registry[e];
    // retire the entry: free its items, unlink it from its NPU
    if (r.head >= 0) {
      s_.items[r.tail].next = free_item_;
      free_item_ = r.head;
    }
    AwareNpu& n = s_.npus[r.npu];
    if (n.registry_active == e) {
      n.registry_active = r.next_active;
    } else {
      std::int32_t prev = n.registry_active;
      while (s_.registry[prev].next_active != e) prev = s_.registry[prev].next_active;
      s_.registry[prev].next_active = r.next_active;
    }
    r.next_active = free_entry_;
    free_entry_ = e;
  }

  // A packet bundle stage: endpoint delay done -> (reduction: 3 local-memory passes) -> General.
  ASTRA_HD void fire_item(std::int32_t i) {
    AwareItem& it = s_.items[i];
    if (it.node >= 0) {  // a compute node's runtime is over (`stream` holds the NPU)
      node_finished(it.stream, it.node);
      return;
    }
    if (s_.streams[it.stream].tag != it.tag) {  // its chunk slot was reused: beyond this model
      failed_ = true;
      return;
    }
    if (it.pending_reduction) {
      const std::uint64_t one =
          static_cast<std::uint64_t>(static_cast<double>(it.size_bytes) / local_mem_bytes_per_s_ * 1e9);
      const std::int32_t again = new_item();
      if (again < 0) return;
      s_.items[again] = AwareItem{it.size_bytes, it.stream, it.tag, -1, -1, 0};
      register_item(s_.streams[it.stream].npu, again, one + one + one);
      return;
    }
    algorithm_general(it.stream);
  }

  ASTRA_HD void make_bundle(std::int32_t stream, bool reduction, std::uint64_t size_bytes) {
    const std::int32_t i = new_item();
    if (i < 0) return;
    s_.items[i] = AwareItem{size_bytes, stream, s_.streams[stream].tag, -1, -1,
                            static_cast<std::uint8_t>(reduction ? 1 : 0)};
    register_item(s_.streams[stream].npu, i, static_cast<std::uint64_t>(sys_.endpoint_delay_ns));
  }

  // ------------------------------------------------------------------ network (spec 2.3, 3.3)
  ASTRA_HD void send(std::int32_t src, std::int32_t dst, std::uint64_t size_bytes, std::int32_t tag) {
    KeyCounters* k = keys_.find(MessageKey{size_bytes, static_cast<std::uint32_t>(tag),
                                           static_cast<std::uint16_t>(src), static_cast<std::uint16_t>(dst)});
    if (!k) full_ = true;
    const std::int32_t m = src == dst ? -1 : new_message();  // to itself: the reference throws
    if (!k || m < 0) {
      failed_ = true;
      return;
    }
    AwareMessage& msg = s_.messages[m];
    msg.size_bytes = size_bytes;
    msg.tag = static_cast<std::uint32_t>(tag);
    msg.src = src;
    msg.seq = k->sent++;
    msg.cur = src;
    msg.dst = dst;
    msg.in_switch = 0;
    offer(m);
  }

  ASTRA_HD void receive(std::int32_t src, std::int32_t dst, std::uint64_t size_bytes, std::int32_t stream) {
    KeyCounters* k = keys_.find(MessageKey{size_bytes, static_cast<std::uint32_t>(s_.streams[stream].tag),
                                           static_cast<std::uint16_t>(src), static_cast<std::uint16_t>(dst)});
    if (!k) {
      full_ = failed_ = true;
      return;
    }
    const std::uint32_t seq = k->posted++;
    if (k->arrived > seq) {
      schedule(now_, EventKind::ReceiveHandler, stream);  // already there
      keys_.erase_if_settled(k);
    }
  }

  ASTRA_HD void offer(std::int32_t m) {
    AwareMessage& msg = s_.messages[m];
    std::int64_t link;
    if (msg.in_switch) {
      link = switch_down_link(links_, msg.cur, msg.dim);
      msg.hop_next = msg.cur;
      msg.hop_into_switch = 0;
      msg.hop_dim = msg.dim;
    } else {
      const Hop h = next_hop(links_, msg.cur, msg.dst);
      link = h.link;
      msg.hop_next = static_cast<std::int32_t>(h.next_npu);
      msg.hop_into_switch = h.into_switch ? 1 : 0;
      msg.hop_dim = static_cast<std::int8_t>(h.dim);
    }
    AwareLink& l = s_.links[link];
    if (l.busy) {
      msg.next = -1;
      if (l.tail < 0) l.head = m; else s_.messages[l.tail].next = m;
      l.tail = m;
    } else {
      start(static_cast<std::int32_t>(link), m);
    }
  }

  ASTRA_HD void start(std::int32_t link, std::int32_t m) {
    s_.links[link].busy = 1;
    const AwareMessage& msg = s_.messages[m];
    const double serialization_ns = static_cast<double>(msg.size_bytes) / links_.bytes_per_ns[msg.hop_dim];
    schedule(now_ + static_cast<std::uint64_t>(links_.latency_ns[msg.hop_dim] + serialization_ns), EventKind::HopDone, m);
    schedule(now_ + static_cast<std::uint64_t>(serialization_ns), EventKind::LinkFree, link);
  }

  ASTRA_HD void link_free(std::int32_t link) {
    AwareLink& l = s_.links[link];
    l.busy = 0;
    if (l.head >= 0) {
      const std::int32_t m = l.head;
      l.head = s_.messages[m].next;
      if (l.head < 0) l.tail = -1;
      start(link, m);
    }
  }

  ASTRA_HD void hop_done(std::int32_t m) {
    AwareMessage& msg = s_.messages[m];
    msg.cur = msg.hop_next;
    msg.in_switch = msg.hop_into_switch;
    msg.dim = msg.hop_dim;
    if (msg.in_switch || msg.cur != msg.dst) {
      offer(m);
      return;
    }
    KeyCounters* k = keys_.find(MessageKey{msg.size_bytes, msg.tag, static_cast<std::uint16_t>(msg.src),
                                           static_cast<std::uint16_t>(msg.dst)});
    const std::uint32_t seq = msg.seq;
    const std::int32_t stream = slot_of(msg.dst, static_cast<std::int32_t>(msg.tag));
    msg.next = free_message_;
    free_message_ = m;
    if (!k || k->arrived != seq) {  // overtaken: matching by order would be wrong
      failed_ = true;
      return;
    }
    ++k->arrived;
    const bool posted = k->posted > seq;
    keys_.erase_if_settled(k);  // before the handler: it may send and receive (and move entries)
    if (posted) {
      if (s_.streams[stream].tag != static_cast<std::int32_t>(msg.tag)) {  // slot reused: beyond this model
        failed_ = true;
        return;
      }
      algorithm_received(stream);
    }
  }

  // ------------------------------------------------------------------ collectives and queues (spec 4.3-4.5)
  ASTRA_HD std::int32_t slot_of(std::int32_t npu, std::int32_t tag) const {
    return npu * slots_per_npu_ + tag % slots_per_npu_;
  }

  // Sys::generate_collective: chunks with consecutive stream ids (tags), each queued at once.
  ASTRA_HD void generate_collective(std::int32_t npu_id, CollectiveKind collective, std::uint64_t size_bytes) {
    AwareNpu& n = s_.npus[npu_id];
    const ChunkPlan chunks = plan_chunks(collective, size_bytes, sys_.preferred_dataset_splits, links_.total_npus);
    n.dataset_streams = static_cast<std::int32_t>(chunks.chunk_count);
    n.finished_streams = 0;
    n.collective = collective;
    plan_phases_into(s_.plans[npu_id], view_, sys_, collective, chunks.chunk_bytes);  // one plan for all its chunks
    for (std::int32_t k = 0; k < n.dataset_streams && !failed_; ++k) {
      const std::int32_t tag = n.next_stream_id++;
      const std::int32_t id = slot_of(npu_id, tag);
      AwareStream& st = s_.streams[id];
      if (st.used && !st.finished) {  // more chunks alive than slots
        full_ = failed_ = true;
        return;
      }
      st.used = 1;
      st.npu = npu_id;
      st.tag = tag;
      st.phase = -1;
      st.queue = -1;
      st.finished = 0;
      st.next_waiting = -1;
      enter_next_phase(id);  // Stream::proceed of a new chunk: its first phase (run() saw the plan has one)
    }
  }

  // Stream::proceed: the chunk's next phase, or, after its last, the chunk is finished.
  ASTRA_HD void proceed(std::int32_t id) {
    AwareStream& st = s_.streams[id];
    const std::int32_t npu_id = st.npu;
    AwareNpu& npu = s_.npus[npu_id];
    if (st.finished) {  // the reference would erase a stream that is in no queue
      failed_ = true;
      return;
    }
    // a chunk's collective is its NPU's collective in flight (one at a time; the next is issued
    // only once every chunk has finished)
    if (st.phase + 1 < s_.plans[npu_id].count) {
      enter_next_phase(id);
      return;
    }
    // the chunk finished its last phase; this may complete the collective (and issue the next
    // node, whose new chunks enter their first phase) before the chunk leaves its queue
    const int previous = st.queue;
    st.finished = 1;
    if (++npu.finished_streams == npu.dataset_streams) node_finished(npu_id, npu.comm_node);
    if (previous >= 0) stream_removed(npu_id, previous);
  }

  // The part of Stream::proceed that moves a chunk into its next phase and queue. It never
  // finishes a chunk, so it never completes a node: proceed -> node_finished ->
  // generate_collective -> enter_next_phase ends here, and the aware simulation has no recursion
  // (a device thread's stack size stays statically known). A chunk without a next phase is a
  // plan run() did not check: handed back rather than finished here.
  ASTRA_HD void enter_next_phase(std::int32_t id) {
    AwareStream& st = s_.streams[id];
    const std::int32_t npu_id = st.npu;
    AwareNpu& npu = s_.npus[npu_id];
    if (st.phase + 1 >= s_.plans[npu_id].count) {
      failed_ = true;
      return;
    }
    const int previous = st.queue;
    ++st.phase;
    const PhaseSpec& ph = s_.plans[npu_id].phases[st.phase];
    st.queue = static_cast<std::int8_t>(ph.queue);
    start_phase(id, ph);
    // queue it (one priority for all chunks of a collective: FIFO at the end)
    st.next_waiting = -1;
    const int q = ph.queue;
    if (npu.waiting_tail[q] < 0) npu.waiting_head[q] = id; else s_.streams[npu.waiting_tail[q]].next_waiting = id;
    npu.waiting_tail[q] = id;
    if (previous >= 0) stream_removed(npu_id, previous);
    fill(npu_id, q);
  }

  ASTRA_HD void stream_removed(std::int32_t npu, int queue) {
    --s_.npus[npu].running[queue];
    fill(npu, queue);
  }

  ASTRA_HD void fill(std::int32_t npu_id, int q) {
    AwareNpu& npu = s_.npus[npu_id];
    while (!failed_ && npu.waiting_head[q] >= 0 && npu.running[q] < sys_.active_chunks_per_dimension) {
      const std::int32_t id = npu.waiting_head[q];
      npu.waiting_head[q] = s_.streams[id].next_waiting;
      if (npu.waiting_head[q] < 0) npu.waiting_tail[q] = -1;
      ++npu.running[q];
      algorithm_init(id);
    }
  }

  // ------------------------------------------------------------------ phase algorithms (spec 4.7, 4.8;
  // which peer and size each packet has: stream_peers.hpp)
  ASTRA_HD void start_phase(std::int32_t id, const PhaseSpec& ph) {
    AwareStream& st = s_.streams[id];
    const std::int64_t p = ph.ring.n;
    const std::int64_t me = st.npu;
    st.ring_n = p;
    st.ring_offset = ph.ring.global ? 1 : links_.stride[ph.ring.dim];
    st.ring_index = (me % (st.ring_offset * p)) / st.ring_offset;
    st.ring_base = me - st.ring_index * st.ring_offset;
    st.algorithm = static_cast<std::uint8_t>(ph.algorithm);
    st.op = static_cast<std::uint8_t>(ph.op);
    // localBWAware all-gather phases run counter-clockwise (spec 4.4)
    const bool clockwise = !(sys_.local_bw_aware && s_.npus[st.npu].collective == CollectiveKind::AllReduce &&
                             ph.op == CollectiveKind::AllGather);
    st.clockwise = clockwise ? 1 : 0;
    st.parallel = 1;
    st.remaining_messages = 1;
    st.free = st.zero_group = st.nonzero_group = st.received = 0;
    st.toggle = 0;
    st.inserted = st.popped = 0;
    const std::uint64_t data = ph.input_bytes;
    const std::uint64_t up = static_cast<std::uint64_t>(p);
    switch (ph.op) {
      case CollectiveKind::AllReduce: st.sends_left = 2 * (p - 1); st.message_bytes = data / up; break;
      case CollectiveKind::AllGather: st.sends_left = p - 1; st.message_bytes = data; break;
      case CollectiveKind::ReduceScatter: st.sends_left = p - 1; st.message_bytes = data / up; break;
      case CollectiveKind::AllToAll: st.sends_left = (p - 1) * p / 2; st.message_bytes = data / up; break;
    }
    st.send_to = ring_step(st, me, clockwise ? 1 : -1);
    st.receive_from = ring_step(st, me, clockwise ? -1 : 1);
    if (ph.algorithm == AlgorithmKind::Direct) {
      st.parallel = ph.window < 0 ? p - 1 : (ph.window < p - 1 ? ph.window : p - 1);
      if (ph.op == CollectiveKind::AllToAll) st.sends_left = p - 1;
      st.middle = p - 1;
    } else if (ph.algorithm == AlgorithmKind::HalvingDoubling) {
      std::int64_t lg = 0;
      while ((std::int64_t{1} << (lg + 1)) <= p) ++lg;
      st.clockwise = 1;
      st.sends_left = ph.op == CollectiveKind::AllReduce ? 2 * lg : lg;
      switch (ph.op) {
        case CollectiveKind::AllGather: st.message_bytes = data, st.rank_offset = p / 2, st.factor = 0.5; break;
        default: st.message_bytes = data / 2, st.rank_offset = 1, st.factor = 2.0; break;
      }
      hd_set_peer(st);
    }
  }

  ASTRA_HD void insert_packet(std::int32_t id) {
    AwareStream& st = s_.streams[id];
    if (st.zero_group == 0 && st.nonzero_group == 0) {
      st.zero_group = st.parallel;
      st.nonzero_group = nonzero_group_size(st);
      st.toggle = st.toggle ? 0 : 1;
    }
    bool reduction = false;
    if (st.zero_group > 0) {
      --st.zero_group;
    } else if (st.nonzero_group > 0) {
      const CollectiveKind op = static_cast<CollectiveKind>(st.op);
      reduction = op == CollectiveKind::ReduceScatter || (op == CollectiveKind::AllReduce && st.toggle);
      --st.nonzero_group;
    } else {
      failed_ = true;  // the reference throws here
      return;
    }
    if (static_cast<AlgorithmKind>(st.algorithm) == AlgorithmKind::HalvingDoubling) {
      if (st.inserted - st.popped >= static_cast<std::uint32_t>(kAwareHdPackets)) {
        failed_ = true;
        return;
      }
      st.hd_to[st.inserted % kAwareHdPackets] = static_cast<std::int32_t>(st.send_to);
      st.hd_bytes[st.inserted % kAwareHdPackets] = st.message_bytes;
    }
    ++st.inserted;
    make_bundle(id, reduction, st.message_bytes);
    if (static_cast<AlgorithmKind>(st.algorithm) == AlgorithmKind::HalvingDoubling) {
      // next peer offset and message size; an all-reduce turns round at offset p
      st.rank_offset = static_cast<std::int64_t>(static_cast<double>(st.rank_offset) * st.factor);
      st.message_bytes = static_cast<std::uint64_t>(static_cast<double>(st.message_bytes) / st.factor);
      if (st.rank_offset == st.ring_n && static_cast<CollectiveKind>(st.op) == CollectiveKind::AllReduce) {
        st.factor = 0.5;
        st.rank_offset = static_cast<std::int64_t>(static_cast<double>(st.rank_offset) * st.factor);
        st.message_bytes = static_cast<std::uint64_t>(static_cast<double>(st.message_bytes) / st.factor);
      }
      hd_set_peer(st);
    }
  }

  ASTRA_HD bool send_head_packet(std::int32_t id) {
    AwareStream& st = s_.streams[id];
    if (st.inserted == st.popped || st.sends_left == 0 || st.free == 0) return false;
    const std::uint32_t k = st.popped;
    const std::int32_t to = packet_to(st, k), from = packet_from(st, k);
    const std::uint64_t bytes = packet_bytes(st, k);
    send(st.npu, to, bytes, st.tag);
    receive(from, st.npu, bytes, id);
    if (st.remaining_messages > 0) --st.remaining_messages;
    if (st.remaining_messages == 0 && st.sends_left > 0) {
      --st.sends_left;
      if (st.sends_left > 0) st.remaining_messages = 1;
    }
    ++st.popped;
    --st.free;
    return true;
  }

  ASTRA_HD void finish_if_done(std::int32_t id) {
    const AwareStream& st = s_.streams[id];
    if (st.sends_left == 0 && st.free == st.parallel) proceed(id);
  }

  ASTRA_HD void algorithm_init(std::int32_t id) {
    const std::int64_t w = s_.streams[id].parallel;
    for (std::int64_t i = 0; i < w && !failed_; ++i) insert_packet(id);
  }

  ASTRA_HD void algorithm_received(std::int32_t id) {
    ++s_.streams[id].received;
    insert_packet(id);
  }

  ASTRA_HD void algorithm_general(std::int32_t id) {
    AwareStream& st = s_.streams[id];
    ++st.free;
    if (static_cast<AlgorithmKind>(st.algorithm) == AlgorithmKind::Direct &&
        static_cast<CollectiveKind>(st.op) == CollectiveKind::AllReduce && st.sends_left <= st.middle) {
      // second half of a direct all-reduce: wait until every first-half message has arrived
      if (st.received < st.middle) return;
      for (std::int64_t i = 0; i < st.parallel; ++i) send_head_packet(id);
      finish_if_done(id);
      return;
    }
    send_head_packet(id);
    finish_if_done(id);
  }

  CongestionAwareScratch& s_;
  const SystemConfig& sys_;
  const LinkTable& links_;  // in the scratch
  const NetworkView& view_;
  double local_mem_bytes_per_s_ = 0.0;
  const WorkloadGraphView* graph_;
  WorkloadNode lone_;  // the node when there is no graph
  std::int32_t node_count_ = 1;
  double compute_scale_ = 1.0;
  EventHeap heap_;
  MessageKeyTable keys_;
  std::int32_t slots_per_npu_ = 0;
  std::int32_t free_message_ = -1, free_item_ = -1, free_entry_ = -1;
  std::int32_t next_message_ = 0, next_item_ = 0, next_entry_ = 0;
  std::uint64_t now_ = 0;
  bool failed_ = false;  // stop: the point goes to the reference simulator
  bool full_ = false;    // ... because a bound of aware_scratch.hpp was hit
};

ASTRA_HD_INLINE AwareResult simulate_aware_collective(CongestionAwareScratch& scratch, const NetworkConfig& net,
                                                      const SystemConfig& sys, CollectiveKind collective,
                                                      std::uint64_t size_bytes) {
  AwareSimulation sim(scratch, net, sys, nullptr, collective, size_bytes, 1.0);
  return sim.run();
}

ASTRA_HD_INLINE AwareResult simulate_aware_workload(CongestionAwareScratch& scratch, const NetworkConfig& net,
                                                    const SystemConfig& sys, const WorkloadGraphView& graph,
                                                    double compute_scale) {
  AwareSimulation sim(scratch, net, sys, &graph, CollectiveKind::AllReduce, 0, compute_scale);
  return sim.run();
}

}  // namespace astra::aware
