// Golden cases: runs of the real ASTRA-sim recorded in a JSONL file (../shared/golden/README.md),
// loaded into our own configuration types so any engine can replay them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernels/model/config.hpp"
#include "host/workload/workload.hpp"

namespace astra::golden {

struct GoldenCase {
  std::string id;
  std::string set;
  NetworkBackend backend = NetworkBackend::CongestionUnaware;
  std::string backend_name;
  std::string expected_status;                       // ok | rejected | crash | incomplete
  std::string failure_signature;                     // for non-ok cases
  std::vector<std::optional<std::uint64_t>> expected_finish_ns;  // per NPU
  std::map<std::string, std::vector<std::optional<std::int64_t>>> expected_stats;  // name -> per NPU
  std::string collective;                            // all_reduce | ... | text workload file name
  NetworkConfig network;
  SystemConfig system;
  std::shared_ptr<const Workload> workload;
  std::string workload_source;                       // "collective", "et" (Chakra traces) or "text"
  std::string load_error;                            // non-empty: the case could not be built
};

// Where text-workload cases take their workload from.
enum class GoldenWorkloads {
  Traces,  // the Chakra traces ASTRA-sim ran (inputs/workload/<name>_<npus>npus/<stem>.<rank>.et) where present
  Text,    // always the text file, converted in memory
};

// Reads every case of `path`. Text workloads named in a case are looked up in the file's folder,
// then in its inputs/ subfolder, and read once per (file, passes); with GoldenWorkloads::Traces a
// one-pass case whose traces exist beside them reads those instead (once per trace set); the
// `golden` command does that by default.
std::vector<GoldenCase> load_golden_cases(const std::string& path, GoldenWorkloads from = GoldenWorkloads::Text);

}  // namespace astra::golden
