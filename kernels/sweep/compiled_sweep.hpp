// A sweep compiled to plain data that a host thread or a device thread decodes by itself.
//
// The design is a mixed-radix number: each digit is a group of axes with a table of rows
// (a plain axis is a group of one axis; a `zip` group is several axes sharing one digit; a
// `random` or `latin_hypercube` design is a group whose N rows are the samples). Point i has
// digits d_k = (i / stride_k) mod rows_k, the LAST digit varying fastest:
//
//   digit 0: size_bytes                      rows [1K, 2K]                       stride 3
//   digit 1: zip(latency_ns, bandwidth_GBps)  rows [(100,50), (200,400), (300,900)] stride 1
//   point 4 = 1*3 + 1 -> size_bytes 2K, latency_ns 200, bandwidth_GBps 400
//
// Nothing here grows with the number of points: the tables hold sum(rows x axes) values and the
// caller owns them (host vectors, or one copy in device memory).
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"
#include "kernels/sweep/constraint_program.hpp"
#include "kernels/sweep/sweep_field.hpp"
#include "kernels/sweep/sweep_point.hpp"

namespace astra {

inline constexpr int kMaxSweepAxes = 32;

struct SweepDigit {
  std::uint64_t rows = 1;        // radix of this digit
  std::uint64_t stride = 1;      // points per step of this digit
  std::int32_t first_axis = 0;   // axes [first_axis, first_axis + axis_count) belong to it
  std::int32_t axis_count = 0;
  std::uint64_t table_offset = 0;  // row r, axis j at values[table_offset + r * axis_count + j]
};

struct CompiledSweep {
  SweepPoint base;
  bool inline_collective = true;  // false: the workload graph of a workload file
  std::int32_t axis_count = 0;
  AxisTarget axes[kMaxSweepAxes] = {};
  std::int32_t digit_count = 0;
  SweepDigit digits[kMaxSweepAxes] = {};
  std::uint64_t total_points = 1;
  const double* values = nullptr;  // all digit tables, one flat array
  const ConstraintInstruction* constraint = nullptr;
  std::int32_t constraint_length = 0;
};

// Whether any point may use the congestion-aware backend (the base, or a `backend` axis): then
// device paths give each slot a CongestionAwareScratch.
[[nodiscard]] ASTRA_HD_INLINE bool may_be_congestion_aware(const CompiledSweep& s) {
  if (s.base.backend == NetworkBackend::CongestionAware) return true;
  for (int a = 0; a < s.axis_count; ++a)
    if (s.axes[a].field == SweepField::Backend) return true;
  return false;
}

// The row of digit `d` in point `index`. Designs of fewer than 2^32 points divide in 32 bits
// (every stride and radix then fits too): a GPU divides 32-bit integers several times faster.
[[nodiscard]] ASTRA_HD_INLINE std::uint64_t digit_row(const CompiledSweep& s, const SweepDigit& d, std::uint64_t index) {
  if (s.total_points <= 0xffffffffull)
    return static_cast<std::uint32_t>(index) / static_cast<std::uint32_t>(d.stride) % static_cast<std::uint32_t>(d.rows);
  return (index / d.stride) % d.rows;
}

// Writes the axis values of point `index` (index < total_points) into axis_values[axis_count].
ASTRA_HD_INLINE void decode_axis_values(const CompiledSweep& s, std::uint64_t index, double* axis_values) {
  for (int k = 0; k < s.digit_count; ++k) {
    const SweepDigit& d = s.digits[k];
    const std::uint64_t row = digit_row(s, d, index);
    const double* row_values = s.values + d.table_offset + row * static_cast<std::uint64_t>(d.axis_count);
    for (int j = 0; j < d.axis_count; ++j) axis_values[d.first_axis + j] = row_values[j];
  }
}

// Decodes consecutive points without dividing, like an odometer: start(index) decodes point
// `index`; next() moves to index + 1 by stepping the fastest digit and carrying, rewriting the
// axis values of the digits that moved. Gives exactly decode_axis_values(index + 1).
struct SweepOdometer {
  std::uint64_t row[kMaxSweepAxes];

  ASTRA_HD void write(const CompiledSweep& s, int k, double* axis_values) const {
    const SweepDigit& d = s.digits[k];
    const double* row_values = s.values + d.table_offset + row[k] * static_cast<std::uint64_t>(d.axis_count);
    for (int j = 0; j < d.axis_count; ++j) axis_values[d.first_axis + j] = row_values[j];
  }
  ASTRA_HD void start(const CompiledSweep& s, std::uint64_t index, double* axis_values) {
    for (int k = 0; k < s.digit_count; ++k) {
      row[k] = digit_row(s, s.digits[k], index);
      write(s, k, axis_values);
    }
  }
  ASTRA_HD void next(const CompiledSweep& s, double* axis_values) {
    for (int k = s.digit_count - 1; k >= 0; --k) {
      const bool carry = ++row[k] == s.digits[k].rows;
      if (carry) row[k] = 0;
      write(s, k, axis_values);
      if (!carry) return;
    }
  }
};

// The point itself: the base with every axis applied in declaration order.
ASTRA_HD_INLINE void apply_axis_values(const CompiledSweep& s, const double* axis_values, SweepPoint& point) {
  point = s.base;
  for (int a = 0; a < s.axis_count; ++a) apply_axis_value(s.axes[a], axis_values[a], point);
}

// Decodes point `index`; false when a `where` constraint drops it (point is then left unset).
[[nodiscard]] ASTRA_HD_INLINE bool decode_point(const CompiledSweep& s, std::uint64_t index, double* axis_values, SweepPoint& point) {
  decode_axis_values(s, index, axis_values);
  if (!constraint_accepts(s.constraint, s.constraint_length, axis_values)) return false;
  apply_axis_values(s, axis_values, point);
  return true;
}

}  // namespace astra
