// The four per-dimension lists of an analytical network file, still as text, and the checks
// that turn them into a NetworkConfig. The YAML and the JSON readers both end here, so both
// accept and reject exactly the same values.
#pragma once

#include <string>
#include <vector>

#include "kernels/model/config.hpp"

namespace astra {

struct NetworkLists {
  std::vector<std::string> topology;    // Ring | Switch | FullyConnected
  std::vector<std::string> npus_count;  // integers >= 1
  std::vector<std::string> bandwidth;   // GB/s as written (> 0)
  std::vector<std::string> latency;     // ns, may be fractional (>= 0)
};

inline constexpr const char* kNetworkKeys[] = {"topology", "npus_count", "bandwidth", "latency"};

// The product of all npus_count entries may not exceed this (it must fit the int32 NPU ids).
inline constexpr long long kMaxTotalNpus = 2147483647LL;

NetworkConfig network_from_lists(const NetworkLists& lists, const std::string& file);

}  // namespace astra
