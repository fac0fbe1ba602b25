// Fuzz target: the network YAML reader. Any input must parse into a sane NetworkConfig or throw
// astra::InputError. Build: see fuzz/driver/standalone_driver.cpp (g++ driver or clang libFuzzer).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "host/input/parsers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const astra::NetworkConfig net = astra::parse_network_yaml(text, "fuzz.yml");
    ASTRA_FUZZ_CHECK(net.dims >= 1 && net.dims <= astra::kMaxDims);
    for (int d = 0; d < net.dims; ++d) {
      ASTRA_FUZZ_CHECK(net.npus_count[d] >= 1);
      ASTRA_FUZZ_CHECK(std::isfinite(net.bandwidth_GBps[d]) && net.bandwidth_GBps[d] > 0.0);
      ASTRA_FUZZ_CHECK(std::isfinite(net.latency_ns[d]) && net.latency_ns[d] >= 0.0);
    }
    ASTRA_FUZZ_CHECK(net.total_npus() >= 1 && net.total_npus() <= 2147483647LL);
  } catch (const astra::InputError&) {
  }
  return 0;
}
