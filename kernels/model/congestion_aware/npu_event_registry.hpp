// The NPU event registry (spec 2.2; NpuSystem::register_event in host/reference/npu_system.cpp):
// callables an NPU registers for the same tick run together, at the place of the first
// registration in the global event order. Here an entry per (NPU, tick) holds a list of items,
// and one RunRegistry event per entry runs them:
//
//   register_item(npu, item, delay) --> entry (npu, now + delay) exists? append : new entry
//                                                                           + RunRegistry event
//   run_registry(entry) --> fire every item, those appended meanwhile too --> retire the entry
//
// An item is the end of a compute node, or one stage of a packet bundle (spec 4.6):
//
//   make_bundle --endpoint delay--> [reduction: 3 local-memory passes] --> General of its stream
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/aware_simulation_state.hpp"
#include "kernels/model/congestion_aware/event_heap.hpp"

namespace astra::aware {

ASTRA_HD inline void AwareSimulation::register_item(std::int32_t npu, std::int32_t item, std::uint64_t delay_ns) {
  const std::uint64_t t = now_ + delay_ns;
  AwareNpu& n = s_.npus[npu];
  std::int32_t e = n.registry_active;
  while (e >= 0 && s_.registry[e].tick != t) e = s_.registry[e].next_active;
  if (e < 0) {
    e = new_entry();
    if (e < 0) return;
    AwareRegistryEntry& r = s_.registry[e];
    r.tick = t;
    r.created_ns = now_;
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

ASTRA_HD inline void AwareSimulation::run_registry(std::int32_t e) {
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
ASTRA_HD inline void AwareSimulation::fire_item(std::int32_t i) {
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
        static_cast<std::uint64_t>(static_cast<double>(it.size_bytes) / local_mem_bytes_per_s_ * kNsPerSecond);
    const std::int32_t again = new_item();
    if (again < 0) return;
    s_.items[again] = AwareItem{it.size_bytes, it.stream, it.tag, -1, -1, 0};
    register_item(s_.streams[it.stream].npu, again, one + one + one);
    return;
  }
  algorithm_general(it.stream);
}

ASTRA_HD inline void AwareSimulation::make_bundle(std::int32_t stream, bool reduction, std::uint64_t size_bytes) {
  const std::int32_t i = new_item();
  if (i < 0) return;
  s_.items[i] = AwareItem{size_bytes, stream, s_.streams[stream].tag, -1, -1,
                          static_cast<std::uint8_t>(reduction ? 1 : 0)};
  register_item(s_.streams[stream].npu, i, static_cast<std::uint64_t>(sys_.endpoint_delay_ns));
}

}  // namespace astra::aware
