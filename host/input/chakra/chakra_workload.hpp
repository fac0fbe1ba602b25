// A Chakra trace set (`<prefix>.<rank>.et`, one file per NPU, as ASTRA-sim 2.x reads
// `--workload-configuration=<prefix>`) turned into the Workload astra-sweep simulates.
//
// Every rank's trace is read and checked (chakra_rank_graph.hpp); COMM_SEND/COMM_RECV pairs are
// matched across ranks; then, because the simulators run one graph on every NPU, each rank's graph
// must equal rank 0's node for node (same types, sizes, durations and dependencies; node ids and
// names may differ, as they do in the files Chakra's converters write). Anything else is refused
// with a one-line InputError naming the file and node.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "host/input/chakra/chakra_trace.hpp"
#include "host/workload/workload.hpp"

namespace astra::chakra {

// True if `path` names a trace set: a directory, or a prefix with `<path>.0.et` (or `.1.et`) beside it.
bool is_chakra_trace_path(const std::string& path);

// The prefix of a trace set given as a prefix or as a directory holding exactly one set.
std::string resolve_chakra_prefix(const std::string& path);

// `<prefix>.<rank>.et`
std::string chakra_rank_file(const std::string& prefix, std::int64_t rank);

// Reads ranks 0 .. npus-1 of the set at `path` (prefix or directory).
Workload read_chakra_workload(const std::string& path, std::int64_t npus);

// The same from traces already read (ranks in order).
Workload chakra_workload_from_traces(const std::vector<ChakraTrace>& ranks, const std::string& source);

// The same with ranks read one at a time by `load(rank)` (only rank 0's trace is kept meanwhile).
Workload chakra_workload_from_ranks(std::int64_t npus, const std::function<ChakraTrace(std::int64_t)>& load,
                                    const std::string& source);

// ASTRA-sim times COMP nodes that carry num_ops / tensor_size with its roofline model when the
// system JSON at `system_path` sets roofline-enabled; astra-sweep takes duration_micros, so that
// combination is refused (InputError naming the system file and the trace), never simulated
// differently. Without such nodes, or with the roofline off, nothing to check.
void check_roofline_off(const Workload& workload, const std::string& system_path);

}  // namespace astra::chakra
