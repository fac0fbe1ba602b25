// How long one message takes in the congestion-unaware network (spec 3.1, 3.2): no contention,
// any number of messages in flight, and
//
//     delay_ns = floor(hops * latency_ns + size_bytes / B)      B = bandwidth * 2^30 / 1e9 bytes/ns
//
// with one floor over the whole sum. Hops per topology of one dimension with n NPUs, for the
// local digits src -> dst (c = (dst - src) mod n):
//
//     Ring (bidirectional)          Switch                    FullyConnected
//       0 - 1 - 2 - 3                 0  1  2  3                0 ----- 1
//       |___________|                  \ |  | /                 | \   / |
//     hops = min(c, n - c)            [ switch ]                |  \ /  |
//     e.g. 0 -> 3: min(3, 1) = 1      hops = 2 (up, down)       2 ----- 3   hops = 1
//
// Multi-dimensional ids are mixed-radix with dimension 0 fastest: digit_k = (id / prod_{j<k} n_j)
// mod n_k. A message is charged only to the FIRST dimension whose digits differ, using that
// dimension's topology, latency and bandwidth. E.g. in [4, 2] NPU 3 -> 4 is a dim-0 ring hop
// from local 3 to local 0 (1 hop); NPU 0 -> 4 is charged to dim 1.
//
// In a symmetric run every NPU sends to the NPU `offset` places further along its logical ring,
// and the charged dimension and its distance depend only on that offset (not on which NPU sends):
// offsets +o and -o cost the same. So delays are functions of (logical ring, offset, size).
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"

namespace astra {

// The network's per-dimension parameters, converted once per point.
struct NetworkView {
  std::int32_t dims = 0;
  TopologyKind topology[kMaxDims] = {};
  std::int64_t npus_count[kMaxDims] = {};
  DurationNsF latency_ns[kMaxDims] = {};
  BytesPerNs bytes_per_ns[kMaxDims] = {};
  std::int64_t total_npus = 1;
  // The congestion-aware hop rule, for runs where no link is shared
  // (congestion_aware/contention_free.hpp): every hop a whole floor(latency + size / B).
  bool store_and_forward = false;
};

[[nodiscard]] ASTRA_HD_INLINE NetworkView make_network_view(const NetworkConfig& net) {
  NetworkView v;
  v.dims = net.dims;
  v.total_npus = 1;
  ASTRA_DEVICE_NO_UNROLL
  for (int d = 0; d < net.dims && d < kMaxDims; ++d) {
    v.topology[d] = net.topology[d];
    v.npus_count[d] = net.npus_count[d];
    v.latency_ns[d] = net.latency_ns[d];
    v.bytes_per_ns[d] = bandwidth_bytes_per_ns(net.bandwidth_GBps[d]);
    v.total_npus *= net.npus_count[d];
  }
  return v;
}

// Hops between local digits that are `distance` apart ((dst - src) mod n) in one dimension.
// n <= 2^20 NPUs and |distance| < 2^31 (check_network_system; callers pass ring offsets < 2n):
// 32-bit arithmetic.
[[nodiscard]] ASTRA_HD_INLINE std::int64_t topology_hops(TopologyKind topology, std::int64_t n, std::int64_t distance) {
  switch (topology) {
    case TopologyKind::Ring: {
      const std::int32_t n32 = static_cast<std::int32_t>(n);
      const std::int32_t c = ((static_cast<std::int32_t>(distance) % n32) + n32) % n32;
      return c < n32 - c ? c : n32 - c;
    }
    case TopologyKind::Switch: return 2;
    case TopologyKind::FullyConnected: return 1;
  }
  return 1;
}

// floor(hops * lat + transfer_ns), evaluated in doubles in ASTRA-sim's order, where transfer_ns
// = size / B. With store_and_forward (the congestion-aware rule): hops * floor(lat + transfer_ns).
[[nodiscard]] ASTRA_HD_INLINE TimeNs hops_delay_ns(const NetworkView& net, int dim, std::int64_t hops,
                                                 double transfer_ns) {
  if (net.store_and_forward)
    return static_cast<std::uint64_t>(hops) * static_cast<std::uint64_t>(net.latency_ns[dim] + transfer_ns);
  return static_cast<std::uint64_t>(static_cast<double>(hops) * net.latency_ns[dim] + transfer_ns);
}

[[nodiscard]] ASTRA_HD_INLINE TimeNs dimension_delay_ns(const NetworkView& net, int dim, std::int64_t hops,
                                                      SizeBytes size_bytes) {
  return hops_delay_ns(net, dim, hops, static_cast<double>(size_bytes) / net.bytes_per_ns[dim]);
}

// The logical ring one phase runs on (spec 4.2): either network dimension `dim` (n = its size,
// peers differ only in that digit), or, for oneRing/oneDirect/oneHalvingDoubling, one ring over
// all NPUs (global; peers may differ in any digit).
struct LogicalRing {
  std::int64_t n = 1;
  std::int32_t dim = 0;
  bool global = false;
};

// The dimension a message to the NPU `offset` places along the ring is charged to, and its hops
// there; dim < 0 for offset 0 of a global ring (never sent).
struct ChargedHops {
  std::int32_t dim = -1;
  std::int64_t hops = 0;
};

[[nodiscard]] ASTRA_HD_INLINE ChargedHops charged_hops(const NetworkView& net, const LogicalRing& ring, std::int64_t offset) {
  ChargedHops h;
  if (!ring.global) {
    h.dim = ring.dim;
    h.hops = topology_hops(net.topology[ring.dim], net.npus_count[ring.dim], offset);
    return h;
  }
  // Global ring: the first dimension where offset's mixed-radix digit is non-zero is charged,
  // with that digit as the local distance (lower digits are 0, so no carry reaches it).
  // ring.n <= 2^20 NPUs: 32-bit arithmetic.
  const std::int32_t total = static_cast<std::int32_t>(ring.n);
  std::uint32_t x = static_cast<std::uint32_t>(((static_cast<std::int32_t>(offset) % total) + total) % total);
  for (int dim = 0; dim < net.dims; ++dim) {
    const std::uint32_t n = static_cast<std::uint32_t>(net.npus_count[dim]);
    const std::uint32_t c = x % n;
    if (c != 0) {
      h.dim = dim;
      h.hops = topology_hops(net.topology[dim], n, c);
      return h;
    }
    x /= n;
  }
  return h;
}

// Delay of a message to the NPU `offset` places along the ring (negative = backwards).
[[nodiscard]] ASTRA_HD_INLINE std::uint64_t ring_peer_delay_ns(const NetworkView& net, const LogicalRing& ring,
                                                 std::int64_t offset, std::uint64_t size_bytes) {
  const ChargedHops h = charged_hops(net, ring, offset);
  return h.dim < 0 ? 0 : dimension_delay_ns(net, h.dim, h.hops, size_bytes);
}

// ring_peer_delay_ns for many messages of one size (the direct algorithm's phase): size / B is
// divided once per dimension instead of once per message. floor(hops * lat + t) with t = size / B
// computed beforehand is the same double arithmetic in the same order (no contraction: device
// code is built with -fmad=false), so the delays are identical.
struct PeerDelays {
  double transfer_ns[kMaxDims];  // size / B of every dimension the ring can charge

  ASTRA_HD void init(const NetworkView& net, const LogicalRing& ring, std::uint64_t size_bytes) {
    const int first = ring.global ? 0 : ring.dim;
    const int last = ring.global ? net.dims - 1 : ring.dim;
    ASTRA_DEVICE_NO_UNROLL
    for (int d = first; d <= last; ++d) transfer_ns[d] = static_cast<double>(size_bytes) / net.bytes_per_ns[d];
  }
  ASTRA_HD std::uint64_t delay_ns(const NetworkView& net, const LogicalRing& ring, std::int64_t offset) const {
    const ChargedHops h = charged_hops(net, ring, offset);
    return h.dim < 0 ? 0 : hops_delay_ns(net, h.dim, h.hops, transfer_ns[h.dim]);
  }
};

}  // namespace astra
