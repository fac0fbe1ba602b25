// Where the congestion-aware backend's links are and which one a message takes next (spec 3.3,
// and astra-sweep's multi-dimensional extension in docs/congestion_aware.md). Every directed
// link gets a dense index, so per-link state is a flat array:
//
//   dimension d, group g (the NPUs that differ only in digit d), local digits i, j < n = n_d:
//     Ring            clockwise i -> i+1: i        counter-clockwise i -> i-1: n + i
//                     (n = 2: one link per direction, both ways map to i)
//     Switch          up i -> switch: i            down switch -> j: n + j
//     FullyConnected  i -> j: i * n + j
//   index = first[d] + g * per_group[d] + local index
//
// Routing is dimension order: fix the lowest differing digit first with that dimension's 1-D
// route (Ring: the shorter way, a tie clockwise; Switch: up then down; FullyConnected: direct).
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"

namespace astra::aware {

struct LinkTable {
  std::int32_t dims;
  TopologyKind topology[kMaxDims];
  std::int64_t n[kMaxDims];
  std::int64_t stride[kMaxDims];
  std::int64_t first[kMaxDims];      // index of dimension d's first link
  std::int64_t per_group[kMaxDims];  // links of one group of dimension d
  std::int64_t link_count;
  std::int64_t total_npus;
  double latency_ns[kMaxDims];
  double bytes_per_ns[kMaxDims];
};

// Fills `t` where it lies (the aware simulation keeps it in its scratch, not its stack frame).
ASTRA_HD_INLINE void make_link_table(LinkTable& t, const NetworkConfig& net) {
  t = LinkTable{};
  t.dims = net.dims;
  std::int64_t stride = 1;
  for (int d = 0; d < net.dims; ++d) {
    t.topology[d] = net.topology[d];
    t.n[d] = net.npus_count[d];
    t.stride[d] = stride;
    stride *= net.npus_count[d];
    t.latency_ns[d] = net.latency_ns[d];
    t.bytes_per_ns[d] = bandwidth_bytes_per_ns(net.bandwidth_GBps[d]);
  }
  t.total_npus = stride;
  std::int64_t count = 0;
  for (int d = 0; d < net.dims; ++d) {
    const std::int64_t n = t.n[d];
    t.first[d] = count;
    t.per_group[d] = n < 2 ? 0 : (t.topology[d] == TopologyKind::FullyConnected ? n * n : 2 * n);
    count += (t.total_npus / n) * t.per_group[d];
  }
  t.link_count = count;
}

ASTRA_HD_INLINE std::int64_t npu_digit(const LinkTable& t, std::int64_t npu, int d) {
  return (npu / t.stride[d]) % t.n[d];
}

// The group of dimension d that `npu` belongs to, numbered 0 .. total/n_d - 1.
ASTRA_HD_INLINE std::int64_t group_of(const LinkTable& t, std::int64_t npu, int d) {
  return (npu / (t.stride[d] * t.n[d])) * t.stride[d] + npu % t.stride[d];
}

// One hop: the link it uses and where the message is afterwards. A message inside a switch is
// "at" its destination digit's NPU with in_switch set (the switch has no NPU id).
struct Hop {
  std::int64_t link;
  std::int64_t next_npu;  // the NPU reached, or the one the switch will deliver to
  std::int32_t dim;
  bool into_switch;
};

// The next hop of a message at NPU `cur` (not in a switch) bound for `dst` != cur.
ASTRA_HD_INLINE Hop next_hop(const LinkTable& t, std::int64_t cur, std::int64_t dst) {
  Hop h{-1, cur, 0, false};
  for (int d = 0; d < t.dims; ++d) {
    const std::int64_t a = npu_digit(t, cur, d), b = npu_digit(t, dst, d);
    if (a == b) continue;
    const std::int64_t n = t.n[d];
    const std::int64_t base = t.first[d] + group_of(t, cur, d) * t.per_group[d];
    const std::int64_t group_first_npu = cur - a * t.stride[d];
    h.dim = d;
    switch (t.topology[d]) {
      case TopologyKind::Switch:
        h.link = base + a;
        h.next_npu = group_first_npu + b * t.stride[d];
        h.into_switch = true;
        break;
      case TopologyKind::FullyConnected:
        h.link = base + a * n + b;
        h.next_npu = group_first_npu + b * t.stride[d];
        break;
      case TopologyKind::Ring: {
        const std::int64_t clockwise = ((b - a) % n + n) % n;
        const bool backwards = (n - clockwise) < clockwise;
        const std::int64_t c = backwards ? (a + n - 1) % n : (a + 1) % n;
        h.link = base + ((backwards && n > 2) ? n + a : a);
        h.next_npu = group_first_npu + c * t.stride[d];
        break;
      }
    }
    return h;
  }
  return h;
}

// The switch's down link towards NPU `target` in dimension d.
ASTRA_HD_INLINE std::int64_t switch_down_link(const LinkTable& t, std::int64_t target, int d) {
  return t.first[d] + group_of(t, target, d) * t.per_group[d] + t.n[d] + npu_digit(t, target, d);
}

}  // namespace astra::aware
