// The workload layer of every NPU (spec 5; host/reference/workload_runner.cpp): the graph's
// distinct children (its index, built once: WorkloadGraphView), per (NPU, node) the parents not
// yet finished and a ready bit, and the issue rule of WorkloadRunner: whenever a node finishes
// (and once at t = 0), ready nodes are issued in increasing id while their kind is free (one
// compute and one collective at a time).
//
//   node finished --> children's parents_left - 1 --> 0: ready bit set
//                 --> issue ready nodes, lowest id first:
//                       compute:    its runtime as a registry item (npu_event_registry.hpp)
//                       collective: its chunks (chunk_queues.hpp generate_collective)
//                 --> nothing ready, nothing in flight: the NPU is done (finish_ns = now)
#pragma once

#include <cstdint>

#include "kernels/model/compute_time.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/workload_graph.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/aware_simulation_state.hpp"

namespace astra::aware {

ASTRA_HD inline const WorkloadNode& AwareSimulation::node(std::int32_t i) const {
  return graph_ ? graph_->nodes[i] : lone_;
}
ASTRA_HD inline std::int32_t AwareSimulation::ready_words() const { return (node_count_ + 63) / 64; }

// Every NPU's parents-left counts and ready bits, from the graph's children index (built once on
// the host: WorkloadGraphView); false when the graph is beyond the scratch or not indexed.
ASTRA_HD inline bool AwareSimulation::init_node_states() {
  const std::int32_t n = node_count_;
  if (graph_ && n > 0) {
    if (graph_->child_begin == nullptr || graph_->parent_count == nullptr || !graph_->deps_in_range) return false;
    if (graph_->child_begin[n] > kMaxWorkloadDeps) return false;
  }
  for (std::int32_t npu = 0; npu < active_npus_; ++npu) {
    for (std::int32_t w = 0; w < ready_words(); ++w) s_.ready_bits[npu * ready_words() + w] = 0;
    for (std::int32_t i = 0; i < n; ++i) {
      const std::int32_t parents = graph_ ? graph_->parent_count[i] : 0;
      s_.parents_left[npu * n + i] = static_cast<std::int16_t>(parents);
      if (parents == 0) s_.ready_bits[npu * ready_words() + i / 64] |= std::uint64_t{1} << (i % 64);
    }
  }
  return true;
}

// WorkloadRunner::on_finished: `finished` done (or -1 at start), then issue what is ready.
ASTRA_HD inline void AwareSimulation::node_finished(std::int32_t npu_id, std::int32_t finished) {
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
    if (graph_) {  // a lone collective (no graph) has no children
      for (std::int32_t c = graph_->child_begin[finished]; c < graph_->child_begin[finished + 1]; ++c) {
        const std::int32_t child = graph_->children[c];
        if (--s_.parents_left[npu_id * node_count_ + child] == 0)
          s_.ready_bits[npu_id * ready_words() + child / 64] |= std::uint64_t{1} << (child % 64);
      }
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

ASTRA_HD inline std::int32_t AwareSimulation::lowest_bit(std::uint64_t x) {
  std::int32_t b = 0;
  while (!(x & 1)) {
    x >>= 1;
    ++b;
  }
  return b;
}

}  // namespace astra::aware
