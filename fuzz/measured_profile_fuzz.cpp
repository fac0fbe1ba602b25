// Fuzz target: the measured compute profile reader and the workload it feeds
// (host/input/measured_profile.hpp). Any input must either throw astra::InputError or give a
// profile whose times at any batch are finite and >= 0, and whose workload's compute adds up to
// the step. Build: see fuzz/driver/standalone_driver.cpp.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "host/input/input_error.hpp"
#include "host/input/measured_profile.hpp"

namespace {
const char* kWorkload =
    "DATA\n2\n"
    "conv1\t-1\t7\tNONE\t0\t7\tNONE\t0\t7\tALLREDUCE\t400\t1\n"
    "fc1000\t-1\t7\tNONE\t0\t7\tNONE\t0\t7\tALLREDUCE\t800\t1\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const astra::MeasuredProfile p = astra::parse_measured_profile(text, "fuzz.json");
    ASTRA_FUZZ_CHECK(!p.step_us.empty() && !p.layers.empty());
    for (int batch : {1, 7, 64, 100, 150, 4000}) {
      try {
        const astra::ProfileAtBatch at = astra::profile_at_batch(p, batch);
        ASTRA_FUZZ_CHECK(std::isfinite(at.step_us) && at.step_us > 0);
        for (const auto& l : at.layers)
          ASTRA_FUZZ_CHECK(l.forward_us >= 0 && l.input_grad_us >= 0 && l.weight_grad_us >= 0);
        const astra::MeasuredWorkload w = astra::measured_text_workload(kWorkload, "w.txt", p, batch);
        ASTRA_FUZZ_CHECK(w.compute_us == static_cast<std::int64_t>(std::llround(at.step_us)));
      } catch (const astra::InputError&) {
      }
    }
  } catch (const astra::InputError&) {
  }
  return 0;
}
