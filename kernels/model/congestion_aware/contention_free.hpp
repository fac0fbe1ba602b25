// Congestion-aware runs in which no link ever holds two messages: there the link queues never
// wait, the event simulation is not needed, and the congestion-unaware closed forms (one
// representative NPU) give the congestion-aware backend's answer exactly, with its hop rule.
//
// The congestion-aware hop rule (link_network.hpp): a message crosses each link of its route as a
// whole (store and forward), floor(latency_ns + size / B) per hop. With one active chunk per
// dimension, one chunk's phase runs at a time on a 1-D network, and in each step of the phase an
// NPU sends at most one message to each peer. The links stay private to one message when:
//
//   FullyConnected, any of ring / direct / halvingDoubling     0 ----- 1
//     every (src, dst) pair has its own link: one hop          | \   / |
//                                                              2 ----- 3
//   Ring, ring algorithm                                       0 -> 1 -> 2 -> 3 -> 0
//     NPU i sends only to i + 1, over the link i -> i+1 that no other NPU uses: one hop
//
//   Switch, ring algorithm                                     0  1  2  3
//     NPU i sends only to i + 1: up i -> switch (only i uses    \ |  | /
//     it), down switch -> i+1 (only i's messages): two hops,   [ switch ]
//     each a whole floor(latency + size / B)
//
// Outside these (several active chunks, direct or halvingDoubling on Ring or Switch, several
// dimensions, the one* algorithms) messages share links and the simulation decides.
// tests/contention_free_test.cpp checks the closed forms against the event simulation on random
// configurations inside the set, and shows that they differ just outside it.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"

namespace astra::aware {

// Whether `kind`'s run on this network never puts two messages on one link (see above).
[[nodiscard]] ASTRA_HD_INLINE bool collective_runs_contention_free(const NetworkConfig& net, const SystemConfig& sys,
                                                                   CollectiveKind kind) {
  if (net.dims != 1 || sys.active_chunks_per_dimension != 1) return false;
  if (sys.implementations_count(kind) != 1) return false;
  const AlgorithmKind algorithm = sys.implementations(kind)[0].kind;
  switch (net.topology[0]) {
    case TopologyKind::FullyConnected:
      return algorithm == AlgorithmKind::Ring || algorithm == AlgorithmKind::Direct ||
             algorithm == AlgorithmKind::HalvingDoubling;
    case TopologyKind::Ring:
    case TopologyKind::Switch: return algorithm == AlgorithmKind::Ring || algorithm == AlgorithmKind::HalvingDoubling;
  }
  return false;
}

}  // namespace astra::aware
