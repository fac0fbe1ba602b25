// Working memory of the congestion-aware fast evaluator for one point, owned by the caller (one
// per host thread or device slot): fixed arrays, no heap. These bounds are the device's limits;
// a point that needs more (more NPUs, chunks, links or events in flight) is answered
// NeedsReference and the host runs the reference simulator for it, counted visibly.
//
//   NPUs                    <= kAwareMaxNpus      (64)
//   chunks x NPUs            <= kAwareMaxStreams   (1024: e.g. 16 chunks on 64 NPUs)
//   directed links          <= kAwareMaxLinks     (4096: a 64-NPU FullyConnected has 4032)
//   messages in flight      <= kAwareMaxMessages
//   pending events          <= kAwareMaxEvents
//   workload nodes x NPUs   <= kAwareMaxNodeStates (32768: ResNet-50's 215 nodes on 64 NPUs)
// Chunk slots are reused from collective to collective: kAwareMaxStreams / NPUs chunks of one
// NPU may be alive at once.
// About 1 MB in all: allocate it once per thread (or device slot), never per point.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/evaluator_scratch.hpp"
#include "kernels/model/phase_plan.hpp"
#include "kernels/model/congestion_aware/event_heap.hpp"
#include "kernels/model/congestion_aware/link_table.hpp"
#include "kernels/model/congestion_aware/message_keys.hpp"

namespace astra::aware {

inline constexpr int kAwareMaxNpus = 64;
inline constexpr int kAwareMaxStreams = 1024;
inline constexpr int kAwareMaxLinks = 4096;
inline constexpr int kAwareMaxMessages = 4096;
inline constexpr int kAwareMaxEvents = 8192;
inline constexpr int kAwareMaxItems = 4096;     // callables waiting in NPU event registries
inline constexpr int kAwareMaxRegistry = 2048;  // (NPU, tick) registry entries
inline constexpr std::uint32_t kAwareKeySlots = 4096;  // keys with something outstanding
inline constexpr int kAwareHdPackets = 4;       // queued halvingDoubling packets of one stream
inline constexpr int kAwareMaxNodeStates = 32768;
inline constexpr std::uint64_t kAwareMaxEventsRun = std::uint64_t{1} << 27;

// A directed link: FIFO of waiting messages (linked through AwareMessage::next).
struct AwareLink {
  std::int32_t head, tail;
  std::uint8_t busy;
};

struct AwareMessage {
  std::uint64_t size_bytes;
  std::uint32_t tag;
  std::int32_t src;
  std::int32_t cur;        // the NPU holding it (in a switch: the NPU the switch delivers to)
  std::int32_t dst;
  std::int32_t next;       // next message waiting on the same link / free list
  std::int32_t hop_next;   // where the hop in progress ends
  std::uint32_t seq;       // its key's send number
  std::int8_t dim;         // the dimension of the switch it is in
  std::int8_t hop_dim;
  std::uint8_t in_switch, hop_into_switch;
};

// A callable in an NPU's event registry: one stage of a packet bundle (spec 4.6), or the end of
// a compute node (node >= 0).
struct AwareItem {
  std::uint64_t size_bytes;
  std::int32_t stream;
  std::int32_t tag;   // the stream's tag when registered (slots are reused)
  std::int32_t node;  // -1: a bundle stage
  std::int32_t next;
  std::uint8_t pending_reduction;
};

// Callables registered by one NPU for one tick; they run together when the first is due.
struct AwareRegistryEntry {
  std::uint64_t tick;
  std::int32_t npu;
  std::int32_t head, tail;    // items
  std::int32_t next_active;   // the NPU's other entries / free list
};

// One chunk of the collective on one NPU, with the state of the phase it is in.
struct AwareStream {
  std::uint64_t message_bytes;
  std::int64_t sends_left, remaining_messages, free, zero_group, nonzero_group, received, parallel, middle;
  std::int64_t rank_offset;
  double factor;
  std::int64_t send_to, receive_from;           // ring and halvingDoubling peers
  std::int64_t ring_n, ring_offset, ring_index, ring_base;
  std::uint32_t inserted, popped;               // packets of this phase
  std::int32_t hd_to[kAwareHdPackets];
  std::uint64_t hd_bytes[kAwareHdPackets];
  std::int32_t npu, tag, next_waiting;
  std::int8_t phase;                            // index in the phase plan; -1 before the first
  std::int8_t queue;
  std::uint8_t algorithm, op, clockwise, toggle, finished, used;
};

// The quotient simulation (quotient_symmetry.hpp): the group it runs modulo, and per object (a
// representative link, or NPU 0's receive side) the first touch of the last tick that touched it
// and whether every touch of that tick shared its NPU, or its stream.
inline constexpr std::uint8_t kQuotientNone = 0, kQuotientRotation = 1, kQuotientXor = 2, kQuotientAny = 3;
inline constexpr int kQuotientNpuObject = kAwareMaxNpus;  // objects 0 .. kAwareMaxNpus - 1: links
inline constexpr std::int64_t kQuotientOwnStream = -1LL << 40;  // NPU 0's own events
struct QuotientTouch {
  std::uint64_t tick;
  std::uint64_t bytes;
  std::int64_t stream;
  std::int32_t sender;
  std::uint8_t same_sender, same_stream;
};

// One NPU: its system layer (registry, queues, the collective in flight) and its workload
// runner (busy flags, statistics; per-node state lives in the scratch's node arrays).
struct AwareNpu {
  std::uint64_t finish_ns;       // when its workload finished
  std::uint64_t compute_ns;      // sum of compute durations (their union: one at a time)
  std::uint64_t comm_ns;         // sum of collective durations (their union: one at a time)
  std::uint64_t comm_issue_ns;   // when the collective in flight was issued (its phase plan: plans[])
  std::int32_t registry_active;  // list of this NPU's registry entries
  std::int32_t waiting_head[kMaxDims], waiting_tail[kMaxDims];
  std::int32_t running[kMaxDims];
  std::int32_t dataset_streams, finished_streams;  // chunks of the collective in flight
  std::int32_t comm_node;        // the collective node in flight
  CollectiveKind collective;     // ... and its kind
  std::int32_t next_stream_id;
  std::int32_t in_flight;
  std::int32_t compute_done, comm_done;  // nodes finished, per kind
  std::uint8_t compute_busy, comm_busy, done;
};

struct CongestionAwareScratch {
  // the point's network and a collective's phase plan while run() checks it: here rather than in
  // the simulation object or a local, so a device thread's stack frame stays small
  LinkTable link_table;
  NetworkView network;
  PhasePlan plan_check;
  Event events[kAwareMaxEvents];
  KeyCounters keys[kAwareKeySlots];
  std::uint32_t key_generation;
  AwareLink links[kAwareMaxLinks];
  AwareMessage messages[kAwareMaxMessages];
  AwareItem items[kAwareMaxItems];
  AwareRegistryEntry registry[kAwareMaxRegistry];
  AwareStream streams[kAwareMaxStreams];
  AwareNpu npus[kAwareMaxNpus];
  // per NPU: the phases of its collective in flight's chunks (every chunk carries the same bytes);
  // apart from AwareNpu so resetting an NPU does not rewrite (or copy) a whole plan
  PhasePlan plans[kAwareMaxNpus];
  // per NPU x node: parents not yet finished; ready (not yet issued) bits, node order
  std::int16_t parents_left[kAwareMaxNodeStates];
  std::uint64_t ready_bits[kAwareMaxNodeStates / 64 + kAwareMaxNpus];
  QuotientTouch quotient_touches[kQuotientNpuObject + 1];
};

}  // namespace astra::aware
