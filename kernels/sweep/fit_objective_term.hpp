// A calibration's objective on the sweep engine: every point of a fit sweep is one (parameter
// point, measured size) pair, the size being the sweep's last (fastest) digit, so that the G
// sizes of one parameter point are G consecutive indices, a "group":
//
//   point index i = group * G + size_row        group = i / G, size_row = i % G
//   term_i        = objective_term(kind, predicted collective time_i, measured_ns[size_row])
//   group sum     = sum of its G terms, kept as exact fixed point (FitGroupSum), so that the
//                   groups cut by batch, sub-batch or device boundaries add up to the same bits
//                   on every backend, in any order.
//
// Per-size terms (definitions in host/calibration/error_objective.hpp):
//   geomean_ape  ln(max(APE, 1e-6))     mape  APE     rms_log  ln(pred / meas)^2
// A failed prediction (rejected, incomplete) gives a very bad but finite term.
#pragma once

#include <math.h>

#include <cstdint>

#include "kernels/model/host_device.hpp"
#include "kernels/sweep/metric_stats.hpp"
#include "kernels/sweep/portable_log.hpp"
#include "kernels/sweep/sweep_point_evaluation.hpp"

namespace astra {

enum class ObjectiveKind : std::uint8_t { GeomeanApe, Mape, RmsLog };

inline constexpr double kObjectiveApeFloor = 1e-6;

[[nodiscard]] ASTRA_HD_INLINE double objective_failure_term(ObjectiveKind kind) {
  return kind == ObjectiveKind::Mape ? 1e6 : (kind == ObjectiveKind::RmsLog ? 1e4 : portable_log(1e6));
}

// The per-size term of a prediction (NaN, inf or <= 0: failed).
[[nodiscard]] ASTRA_HD_INLINE double objective_term_of(ObjectiveKind kind, double predicted, double measured) {
  if (!(predicted > 0.0) || !(predicted < 1.7976931348623157e308)) return objective_failure_term(kind);
  const double ape = ::fabs(predicted - measured) / measured;
  switch (kind) {
    case ObjectiveKind::GeomeanApe: return portable_log(ape > kObjectiveApeFloor ? ape : kObjectiveApeFloor);
    case ObjectiveKind::Mape: return ape;
    case ObjectiveKind::RmsLog: {
      const double r = portable_log(predicted / measured);
      return r * r;
    }
  }
  return 0.0;
}

// An exact sum of terms (resolution 2^-32, as MetricStats' sums): floor parts and scaled
// fractions added as integers, so any order of additions gives the same bits.
struct FitGroupSum {
  std::uint64_t whole = 0;  // sum of floor(term), two's complement
  std::uint64_t frac = 0;   // sum of floor(frac(term) * 2^32)
  std::uint32_t terms = 0;  // how many terms are in it
  std::uint32_t pending = 0;  // terms the host still has to add (NeedsReference points)
};

ASTRA_HD_INLINE void add_fit_term(FitGroupSum& s, double term) {
  const double whole = ::floor(term);
  s.whole += static_cast<std::uint64_t>(static_cast<std::int64_t>(whole));
  s.frac += static_cast<std::uint64_t>((term - whole) * kMetricSumFracScale);
  ++s.terms;
}

ASTRA_HD_INLINE void add_fit_sum(FitGroupSum& into, const FitGroupSum& s) {
  into.whole += s.whole;
  into.frac += s.frac;
  into.terms += s.terms;
  into.pending += s.pending;
}

[[nodiscard]] ASTRA_HD_INLINE double fit_sum_value(const FitGroupSum& s) {
  return static_cast<double>(static_cast<std::int64_t>(s.whole)) + static_cast<double>(s.frac) / kMetricSumFracScale;
}

// The term of one evaluated point of a fit sweep; false for a NeedsReference point, whose term
// the host adds once the reference simulator has answered it.
[[nodiscard]] ASTRA_HD_INLINE bool fit_term_of_result(ObjectiveKind kind, const SweepPointResult& r, double measured_ns,
                                        double& term) {
  if (r.status == SweepPointStatus::NeedsReference) return false;
  const double predicted = r.status == SweepPointStatus::Ok ? static_cast<double>(r.metrics.finish_ns) : -1.0;
  term = objective_term_of(kind, predicted, measured_ns);
  return true;
}

}  // namespace astra
