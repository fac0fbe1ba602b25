// Order-independent statistics of a metric over points, combined the same way by host loops,
// Thrust on OpenMP and Thrust/CUB on the GPU, so that every backend reports the same bits:
//   count, min / max with their point indices (the lowest index on ties), and the sum as exact
//   fixed point: sum of floor(v) and sum of floor(frac(v) * 2^32), integer additions that give
//   the same result in any order (values are resolved to 2^-32, far below printed precision).
// Also the histogram bin of a value (bins of equal width over [low, high]).
#pragma once

#include <math.h>

#include <cstdint>

#include "kernels/model/host_device.hpp"

namespace astra {

struct MetricStats {
  std::uint64_t count = 0;
  double min = 0.0, max = 0.0;
  std::uint64_t argmin = 0, argmax = 0;  // point indices
  std::uint64_t sum_whole = 0;           // sum of floor(v) as two's complement (wraps like int64)
  std::uint64_t sum_frac = 0;            // sum of floor((v - floor(v)) * 2^32)
};

inline constexpr double kMetricSumFracScale = 4294967296.0;  // 2^32

[[nodiscard]] ASTRA_HD_INLINE MetricStats metric_stats_of(double v, std::uint64_t index) {
  MetricStats s;
  s.count = 1;
  s.min = s.max = v;
  s.argmin = s.argmax = index;
  const double whole = ::floor(v);
  s.sum_whole = static_cast<std::uint64_t>(static_cast<std::int64_t>(whole));
  s.sum_frac = static_cast<std::uint64_t>((v - whole) * kMetricSumFracScale);
  return s;
}

[[nodiscard]] ASTRA_HD_INLINE MetricStats combine_metric_stats(const MetricStats& a, const MetricStats& b) {
  if (a.count == 0) return b;
  if (b.count == 0) return a;
  MetricStats s;
  s.count = a.count + b.count;
  const bool b_min = b.min < a.min || (b.min == a.min && b.argmin < a.argmin);
  s.min = b_min ? b.min : a.min;
  s.argmin = b_min ? b.argmin : a.argmin;
  const bool b_max = b.max > a.max || (b.max == a.max && b.argmax < a.argmax);
  s.max = b_max ? b.max : a.max;
  s.argmax = b_max ? b.argmax : a.argmax;
  s.sum_whole = a.sum_whole + b.sum_whole;
  s.sum_frac = a.sum_frac + b.sum_frac;
  return s;
}

struct CombineMetricStats {
  ASTRA_HD MetricStats operator()(const MetricStats& a, const MetricStats& b) const {
    return combine_metric_stats(a, b);
  }
};

// The bin of v among `bins` bins of equal width over [low, high] (v == high is in the last bin;
// every value is in bin 0 when low == high).
[[nodiscard]] ASTRA_HD_INLINE std::uint32_t histogram_bin(double v, double low, double high, std::uint32_t bins) {
  if (!(high > low) || !(v > low)) return 0;
  const double t = (v - low) / (high - low) * static_cast<double>(bins);
  if (!(t < static_cast<double>(bins))) return bins - 1;
  return static_cast<std::uint32_t>(t);
}

}  // namespace astra
