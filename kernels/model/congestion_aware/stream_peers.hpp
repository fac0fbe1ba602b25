// Where a chunk's packets go in its current phase, and how big they are (spec 4.7, 4.8): the
// logical ring's geometry (an NPU's neighbours `steps` places round), and per phase algorithm the
// peers and sizes of packet k, computed from the stream's phase state instead of stored per
// packet:
//
//   Ring              every packet to the next NPU round, from the previous one
//   Direct            packet k to the NPU 1 + k mod (n-1) places round, from as far the other way
//   HalvingDoubling   peer at +-rank_offset (the direction by the NPU's block), size halving or
//                     doubling each step: stored when the packet is inserted (hd_to, hd_bytes)
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"

namespace astra::aware {

ASTRA_HD_INLINE std::int64_t ring_node(const AwareStream& st, std::int64_t i) {
  const std::int64_t n = st.ring_n;
  return st.ring_base + (((i % n) + n) % n) * st.ring_offset;
}
ASTRA_HD_INLINE std::int64_t ring_step(const AwareStream& st, std::int64_t node, std::int64_t steps) {
  return ring_node(st, (node - st.ring_base) / st.ring_offset + steps);
}

ASTRA_HD_INLINE void hd_set_peer(AwareStream& st) {
  const bool clockwise = st.rank_offset == 0 ? true : ((st.ring_index / st.rank_offset) % 2 == 0);
  st.send_to = st.receive_from = ring_step(st, st.npu, clockwise ? st.rank_offset : -st.rank_offset);
}

ASTRA_HD_INLINE std::int64_t nonzero_group_size(const AwareStream& st) {
  switch (static_cast<AlgorithmKind>(st.algorithm)) {
    case AlgorithmKind::Direct: return st.parallel;
    case AlgorithmKind::HalvingDoubling: {
      std::int64_t lg = 0;
      while ((std::int64_t{1} << (lg + 1)) <= st.ring_n) ++lg;
      return lg - 1;
    }
    default: return (st.ring_n - 1) * st.parallel;
  }
}

// The peers of packet k of the current phase: ring: fixed; direct: rotating (+1, +2, ... skipping
// itself); halvingDoubling: stored when inserted.
ASTRA_HD_INLINE std::int32_t packet_to(const AwareStream& st, std::uint32_t k) {
  if (static_cast<AlgorithmKind>(st.algorithm) == AlgorithmKind::Direct) {
    const std::int64_t step = 1 + static_cast<std::int64_t>(k % static_cast<std::uint32_t>(st.ring_n - 1));
    return static_cast<std::int32_t>(ring_step(st, st.npu, st.clockwise ? step : -step));
  }
  if (static_cast<AlgorithmKind>(st.algorithm) == AlgorithmKind::HalvingDoubling) return st.hd_to[k % kAwareHdPackets];
  return static_cast<std::int32_t>(st.send_to);
}
ASTRA_HD_INLINE std::int32_t packet_from(const AwareStream& st, std::uint32_t k) {
  if (static_cast<AlgorithmKind>(st.algorithm) == AlgorithmKind::Direct) {
    const std::int64_t step = 1 + static_cast<std::int64_t>(k % static_cast<std::uint32_t>(st.ring_n - 1));
    return static_cast<std::int32_t>(ring_step(st, st.npu, st.clockwise ? -step : step));
  }
  if (static_cast<AlgorithmKind>(st.algorithm) == AlgorithmKind::HalvingDoubling) return st.hd_to[k % kAwareHdPackets];
  return static_cast<std::int32_t>(st.receive_from);
}
ASTRA_HD_INLINE std::uint64_t packet_bytes(const AwareStream& st, std::uint32_t k) {
  if (static_cast<AlgorithmKind>(st.algorithm) == AlgorithmKind::HalvingDoubling) return st.hd_bytes[k % kAwareHdPackets];
  return st.message_bytes;
}

}  // namespace astra::aware
