// Fuzz target: the system JSON reader. Any input must parse into a sane SystemConfig or throw
// astra::InputError. Build: see fuzz/driver/standalone_driver.cpp (g++ driver or clang libFuzzer).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "host/input/parsers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  int warnings = 0;
  try {
    const astra::SystemConfig sys =
        astra::parse_system_json(text, "fuzz.json", [&](const std::string& m) {
          ASTRA_FUZZ_CHECK(!m.empty() && m.find('\n') == std::string::npos);
          ++warnings;
        });
    ASTRA_FUZZ_CHECK(sys.preferred_dataset_splits >= 1);
    ASTRA_FUZZ_CHECK(sys.active_chunks_per_dimension >= 1);
    ASTRA_FUZZ_CHECK(sys.endpoint_delay_ns >= 0);
    ASTRA_FUZZ_CHECK(std::isfinite(sys.local_mem_bw_GBps) && sys.local_mem_bw_GBps >= 0.0);
    for (int c = 0; c < astra::kCollectiveKinds; ++c) {
      ASTRA_FUZZ_CHECK(sys.implementation_count[c] >= 0 && sys.implementation_count[c] <= astra::kMaxDims);
      for (int d = 0; d < sys.implementation_count[c]; ++d) {
        ASTRA_FUZZ_CHECK(sys.implementation[c][d].window == -1 || sys.implementation[c][d].window >= 1);
      }
    }
  } catch (const astra::InputError& e) {
    ASTRA_FUZZ_CHECK(std::string(e.what()).find('\n') == std::string::npos);
  }
  return 0;
}
