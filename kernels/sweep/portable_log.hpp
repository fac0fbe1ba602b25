// The natural logarithm from + - * / only, so that a host thread (glibc), Thrust on OpenMP and a
// GPU thread (CUDA's libdevice) compute the same bits: their own `log`s differ in the last ulp,
// which would make a calibration's objective (and so its best grid point) depend on the backend.
//
//   x = m 2^e, m in [sqrt(1/2), sqrt(2))       (exponent from the bits, no frexp)
//   ln m = 2 atanh(f) = 2 (f + f^3/3 + f^5/5 + ...),  f = (m - 1) / (m + 1),  |f| <= 0.1716
//   ln x = e ln 2 + ln m                       (ln 2 split in two parts: exact e * hi)
// 13 terms of the series leave a relative error below 1e-16 (f^28 / 29 < 1e-22). Compiled
// without FMA contraction on every backend (nvcc -fmad=false; x86-64 g++ has no FMA by default).
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>

#include "kernels/model/host_device.hpp"

namespace astra {

// ln(x) for finite x > 0 (NaN otherwise; -inf for 0).
ASTRA_HD_INLINE double portable_log(double x) {
  if (!(x > 0.0)) return x == 0.0 ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  if (x > 1.7976931348623157e308) return x;  // +inf
  int extra = 0;
  if (x < 2.2250738585072014e-308) {  // subnormal: scale into the normal range first
    x *= 18014398509481984.0;         // 2^54
    extra = -54;
  }
  std::uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int e = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  bits = (bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull;  // m in [1, 2)
  double m;
  memcpy(&m, &bits, sizeof m);
  if (m > 1.4142135623730951) {  // into [sqrt(1/2), sqrt(2))
    m *= 0.5;
    ++e;
  }
  e += extra;
  const double f = (m - 1.0) / (m + 1.0);
  const double f2 = f * f;
  double series = 1.0 / 27.0;
  for (int k = 12; k >= 0; --k) series = 1.0 / (2 * k + 1) + f2 * series;
  const double ln_m = 2.0 * f * series;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // high 32 bits of ln 2: e * hi is exact
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  const double de = static_cast<double>(e);
  return de * kLn2Hi + (ln_m + de * kLn2Lo);
}

}  // namespace astra
