// The collective names that measured data uses: nccl-tests binaries (all_reduce_perf,
// alltoall_perf, ...) and our CSV columns (all_reduce, all_to_all, alltoall, ...).
#pragma once

#include <optional>
#include <string_view>

#include "kernels/model/config.hpp"

namespace astra::calibration {

// "all_reduce", "allreduce", "all_reduce_perf", "all_reduce_perf_mpi" -> AllReduce, and so on.
// Returns nothing for names that are not one of the four modelled collectives.
std::optional<CollectiveKind> collective_from_measured_name(std::string_view name);

// True for nccl-tests binaries that exist but that astra-sweep does not model (broadcast, ...).
bool is_unmodelled_nccl_test(std::string_view name);

}  // namespace astra::calibration
