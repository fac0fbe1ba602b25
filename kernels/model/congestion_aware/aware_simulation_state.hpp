// The AwareSimulation class: its state (the pools' cursors, the event heap, the key table; the
// arrays live in the caller's CongestionAwareScratch) and the list of its handlers, grouped by
// the file that defines each, one idea per file:
//
//   aware_simulation.hpp              run(): the checks, the event loop, the result
//   aware_pools.hpp                   free-list pools of messages, registry items and entries
//   aware_workload_runner.hpp         the workload graph on every NPU (spec 5)
//   npu_event_registry.hpp            callables registered per (NPU, tick); packet bundles (spec 2.2, 4.6)
//   link_network.hpp                  send/receive matching, link FIFOs, hops (spec 2.3, 3.3)
//   chunk_queues.hpp                  a collective's chunks through phases and queues (spec 4.3-4.5)
//   aware_packet_engine.hpp           the packet engine shared by the phase algorithms (spec 4.7)
//   aware_ring_phase.hpp              the ring's step plan (every phase starts from it; spec 4.8.1)
//   aware_direct_phase.hpp            direct: window, all-to-all sends, the all-reduce gate (4.8.2)
//   aware_halving_doubling_phase.hpp  halvingDoubling: steps, peer offsets, message sizes (4.8.3)
//   quotient_symmetry.hpp             NPU 0 alone where the run is symmetric (its images stand
//                                     for the other NPUs)
//
// The handlers call one another across these files (a packet bundle's end runs the algorithm,
// whose last phase finishes a node, which issues the next), so they are members of one class,
// defined inline in those headers: no virtual call, no heap, no recursion. The phase files'
// helpers are force-inlined (ASTRA_HD_INLINE), so the split adds no call to the compiled kernels
// (cuda.resource_budget). Include aware_simulation.hpp: it brings every part.
#pragma once

#include <cstdint>

#include "kernels/model/chunking.hpp"
#include "kernels/model/compute_time.hpp"
#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/network_delay.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/workload_graph.hpp"
#include "kernels/model/congestion_aware/aware_result.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/event_heap.hpp"
#include "kernels/model/congestion_aware/link_table.hpp"
#include "kernels/model/congestion_aware/message_keys.hpp"
#include "kernels/model/congestion_aware/stream_peers.hpp"

namespace astra::aware {

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

  ASTRA_HD AwareResult run();  // aware_simulation.hpp
  // Whether run() may simulate NPU 0 alone where that is exact (quotient_symmetry.hpp); tests
  // and benchmarks switch it off to compare with the whole simulation.
  ASTRA_HD void allow_quotient(bool allowed) { allow_quotient_ = allowed; }

 private:
  // ------------------------------------------------------------------ aware_simulation.hpp
  ASTRA_HD AwareResult run_once(bool quotient_allowed);
  ASTRA_HD void reset();
  ASTRA_HD void schedule(std::uint64_t time_ns, EventKind kind, std::int32_t index);
  ASTRA_HD_INLINE void dispatch(std::uint32_t payload);  // inlined: no device call (cuda.resource_budget)

  // ------------------------------------------------------------------ aware_pools.hpp
  ASTRA_HD std::int32_t new_message();
  ASTRA_HD std::int32_t new_item();
  ASTRA_HD std::int32_t new_entry();
  ASTRA_HD std::int32_t fail();

  // ------------------------------------------------------------------ aware_workload_runner.hpp
  ASTRA_HD const WorkloadNode& node(std::int32_t i) const;
  ASTRA_HD std::int32_t ready_words() const;
  ASTRA_HD bool init_node_states();
  ASTRA_HD void node_finished(std::int32_t npu_id, std::int32_t finished);
  ASTRA_HD static std::int32_t lowest_bit(std::uint64_t x);

  // ------------------------------------------------------------------ npu_event_registry.hpp
  ASTRA_HD void register_item(std::int32_t npu, std::int32_t item, std::uint64_t delay_ns);
  ASTRA_HD void run_registry(std::int32_t e);
  ASTRA_HD void fire_item(std::int32_t i);
  ASTRA_HD void make_bundle(std::int32_t stream, bool reduction, std::uint64_t size_bytes);

  // ------------------------------------------------------------------ link_network.hpp
  ASTRA_HD void send(std::int32_t src, std::int32_t dst, std::uint64_t size_bytes, std::int32_t tag);
  ASTRA_HD void receive(std::int32_t src, std::int32_t dst, std::uint64_t size_bytes, std::int32_t stream);
  ASTRA_HD void offer(std::int32_t m);
  ASTRA_HD void start(std::int32_t link, std::int32_t m);
  ASTRA_HD void link_free(std::int32_t link);
  ASTRA_HD void hop_done(std::int32_t m);

  // ------------------------------------------------------------------ chunk_queues.hpp
  ASTRA_HD std::int32_t slot_of(std::int32_t npu, std::int32_t tag) const;
  ASTRA_HD void generate_collective(std::int32_t npu_id, CollectiveKind collective, std::uint64_t size_bytes);
  ASTRA_HD void proceed(std::int32_t id);
  ASTRA_HD void enter_next_phase(std::int32_t id);
  ASTRA_HD void stream_removed(std::int32_t npu, int queue);
  ASTRA_HD void fill(std::int32_t npu_id, int q);

  // ------------------------------------------------------------------ aware_packet_engine.hpp
  ASTRA_HD void start_phase(std::int32_t id, const PhaseSpec& ph);
  ASTRA_HD void insert_packet(std::int32_t id);
  ASTRA_HD bool send_head_packet(std::int32_t id);
  ASTRA_HD void finish_if_done(std::int32_t id);
  ASTRA_HD void algorithm_init(std::int32_t id);
  ASTRA_HD void algorithm_received(std::int32_t id);
  ASTRA_HD void algorithm_general(std::int32_t id);

  // ------------------------------------------------------------------ quotient_symmetry.hpp
  ASTRA_HD std::int32_t quotient_image(std::int64_t x, std::int64_t anchor) const;
  ASTRA_HD std::int64_t quotient_link(std::int64_t link, std::int32_t& object) const;
  ASTRA_HD bool quotient_number_objects();
  ASTRA_HD void quotient_touch(std::int32_t object, std::int32_t sender, std::int64_t stream, std::uint64_t bytes);
  ASTRA_HD void quotient_touch_npu(std::int32_t sender, std::int64_t stream);
  ASTRA_HD void quotient_touch_link(std::int32_t object, const AwareMessage& msg);

  // ------------------------------------------------------------------ aware_direct_phase.hpp
  ASTRA_HD void direct_all_reduce_second_half_general(std::int32_t id);

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
  std::int32_t active_npus_ = 0;  // NPUs simulated: all, or 1 (the quotient)
  bool quotient_ = false;  // NPU 0 alone, the run simulated modulo ...
  std::uint8_t quotient_groups_[kMaxDims] = {};  // ... each dimension's group
  std::int32_t quotient_object_base_[kMaxDims] = {};
  bool allow_quotient_ = true;
  std::uint64_t scheduled_ns_ = 0;  // when the event being run was scheduled (the quotient's checks)
  bool asymmetric_ = false;  // the quotient met an unsafe same-tick pair: simulate every NPU
  bool failed_ = false;  // stop: the point goes to the reference simulator
  bool full_ = false;    // ... because a bound of aware_scratch.hpp was hit
};

}  // namespace astra::aware
