#include "host/input/network_lists.hpp"

#include "host/input/input_error.hpp"
#include "host/input/number_text.hpp"
#include "host/input/parsers.hpp"
#include "host/input/quoted_text.hpp"

namespace astra {
namespace {

std::string entry_field(const char* key, std::size_t i) { return std::string(key) + "[" + std::to_string(i) + "]"; }

}  // namespace

NetworkConfig network_from_lists(const NetworkLists& lists, const std::string& file) {
  const std::vector<std::string>* all[] = {&lists.topology, &lists.npus_count, &lists.bandwidth, &lists.latency};
  for (int k = 0; k < 4; ++k) {
    if (all[k]->empty()) throw InputError(file, kNetworkKeys[k], "the list is empty; give one entry per dimension");
    if (all[k]->size() > static_cast<std::size_t>(kMaxDims)) {
      throw InputError(file, kNetworkKeys[k],
                       "has " + std::to_string(all[k]->size()) + " entries; at most " + std::to_string(kMaxDims) +
                           " dimensions are supported");
    }
  }
  for (int k = 1; k < 4; ++k) {
    if (all[k]->size() != lists.topology.size()) {
      throw InputError(file, kNetworkKeys[k],
                       "has " + std::to_string(all[k]->size()) + " entries but topology has " +
                           std::to_string(lists.topology.size()) + "; every list needs one entry per dimension");
    }
  }

  NetworkConfig net;
  net.dims = static_cast<std::int32_t>(lists.topology.size());
  long long total = 1;
  for (std::size_t d = 0; d < lists.topology.size(); ++d) {
    net.topology[d] = parse_topology_name(lists.topology[d], file, entry_field("topology", d));

    const auto npus = parse_int64_text(lists.npus_count[d]);
    if (!npus) {
      throw InputError(file, entry_field("npus_count", d),
                       quoted_text(lists.npus_count[d]) + " is not an integer NPU count");
    }
    if (*npus < 1) {
      throw InputError(file, entry_field("npus_count", d), "must be at least 1, got " + std::to_string(*npus));
    }
    if (*npus > kMaxTotalNpus / total) {
      throw InputError(file, entry_field("npus_count", d),
                       "the total NPU count (the product of npus_count) exceeds " + std::to_string(kMaxTotalNpus));
    }
    total *= *npus;
    net.npus_count[d] = *npus;

    const auto bw = parse_double_text(lists.bandwidth[d]);
    if (!bw) {
      throw InputError(file, entry_field("bandwidth", d),
                       quoted_text(lists.bandwidth[d]) + " is not a finite number (GB/s)");
    }
    if (*bw <= 0.0) {
      throw InputError(file, entry_field("bandwidth", d), "must be positive (GB/s), got " + lists.bandwidth[d]);
    }
    net.bandwidth_GBps[d] = *bw;

    const auto lat = parse_double_text(lists.latency[d]);
    if (!lat) {
      throw InputError(file, entry_field("latency", d), quoted_text(lists.latency[d]) + " is not a finite number (ns)");
    }
    if (*lat < 0.0) {
      throw InputError(file, entry_field("latency", d), "must not be negative (ns), got " + lists.latency[d]);
    }
    net.latency_ns[d] = *lat;
  }
  return net;
}

}  // namespace astra
