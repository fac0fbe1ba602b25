// Congestion-aware runs in which no link ever holds two messages: there the link queues never
// wait, the event simulation is not needed, and the congestion-unaware closed forms (one
// representative NPU) give the congestion-aware backend's answer exactly, with its hop rule.
//
// The congestion-aware hop rule (link_network.hpp): a message crosses each link of its route as a
// whole (store and forward), floor(latency_ns + size / B) per hop. With one active chunk per
// dimension, each dimension runs one chunk's phase at a time, on its own links (a dimension's
// algorithm only talks to peers that differ in that dimension's digit); in each step of a phase
// an NPU sends at most one message to each peer, all of one size, all at the same tick. No
// message then ever waits for a link when every dimension of the collective's list is one of:
//
//   FullyConnected, ring / direct / halvingDoubling            0 ----- 1
//     every (src, dst) pair has its own link: one hop          | \   / |
//                                                              2 ----- 3
//   Ring, ring                                                 0 -> 1 -> 2 -> 3 -> 0
//     NPU i sends only to i + 1, over the link i -> i+1 that no other NPU uses: one hop
//   Ring, halvingDoubling
//     the peer is o places away, o hops; a link carries at hop k only the message of the NPU k
//     places behind it, and is free again (floor(size / B)) before the next hop arrives
//   Switch, ring / halvingDoubling                             0  1  2  3
//     one peer per step: up-link i -> switch only i uses,       \ |  | /
//     down-link switch -> peer only i's messages: two hops     [ switch ]
//
// Outside (several active chunks, direct on Ring or Switch, the one* algorithms, whose peers
// differ in several digits) messages share links and the simulation decides.
// tests/contention_free_test.cpp checks the closed forms against the event simulation on random
// configurations inside the set (1-D and multi-dimensional, lone collectives and workload
// graphs), and shows that they differ just outside it.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"

namespace astra::aware {

// Whether `kind`'s run on this network never makes a message wait for a link (see above).
[[nodiscard]] ASTRA_HD_INLINE bool collective_runs_contention_free(const NetworkConfig& net, const SystemConfig& sys,
                                                                   CollectiveKind kind) {
  if (sys.active_chunks_per_dimension != 1) return false;
  const int count = sys.implementations_count(kind);
  if (count < 1 || count > net.dims) return false;
  for (int d = 0; d < count; ++d) {
    const AlgorithmKind algorithm = sys.implementations(kind)[d].kind;
    const bool ring_or_hd = algorithm == AlgorithmKind::Ring || algorithm == AlgorithmKind::HalvingDoubling;
    const bool private_links = net.topology[d] == TopologyKind::FullyConnected
                                   ? ring_or_hd || algorithm == AlgorithmKind::Direct
                                   : ring_or_hd;
    if (!private_links) return false;
  }
  return true;
}

}  // namespace astra::aware
