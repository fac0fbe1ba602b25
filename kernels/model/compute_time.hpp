// How long a compute node runs. ASTRA-sim reads a Chakra node's duration_micros and runs it for
// duration_micros * 1000 ns, or 1 ns when the duration is 0. `compute_scale` maps the text
// workloads' synthetic values to a real GPU (1.0 = ASTRA-sim exactly); a scaled duration is
// rounded to the nearest ns and is at least 1 ns.
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"

namespace astra {

ASTRA_HD_INLINE std::uint64_t compute_duration_ns(std::uint64_t duration_us, double compute_scale) {
  if (duration_us == 0) return 1;
  if (compute_scale == 1.0) return duration_us * 1000ULL;
  const double scaled = static_cast<double>(duration_us) * 1000.0 * compute_scale;
  const std::uint64_t ns = static_cast<std::uint64_t>(scaled + 0.5);
  return ns == 0 ? 1 : ns;
}

}  // namespace astra
