// nccl-tests and ASTRA-sim count a collective's size differently for all_gather:
//   nccl-tests `size` = bytes per rank after the collective (all_reduce, all_to_all: the buffer;
//                       reduce_scatter: the input; all_gather: the OUTPUT, p x the input)
//   ASTRA-sim size    = bytes each NPU brings in (spec 4.8.1: AG's message is D, output D p)
// so an nccl-tests all_gather of S bytes over p ranks is an ASTRA-sim all-gather of S / p bytes.
// The other three collectives use the same number on both sides.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"

namespace astra::calibration {

inline std::uint64_t astra_size_from_nccl_size(CollectiveKind collective, std::uint64_t nccl_size_bytes,
                                               std::int64_t ranks) {
  if (collective == CollectiveKind::AllGather && ranks > 0) return nccl_size_bytes / static_cast<std::uint64_t>(ranks);
  return nccl_size_bytes;
}

}  // namespace astra::calibration
