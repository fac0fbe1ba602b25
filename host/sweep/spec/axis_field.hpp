// The fields a sweep axis may override, by the names a spec uses for them.
//
//   "latency_ns[1]"                  -> LatencyNs, dimension 1, values in ns
//   "bandwidth_GBps"                 -> BandwidthGBps, every dimension
//   "all-reduce-implementation[0]"   -> Implementation, all_reduce list, entry 0
//   "implementation"                 -> Implementation, all four lists, every entry
//
// Each field also says how its values are written (number, integer or a name) and gives the
// output column name with its unit.
#pragma once

#include <string>
#include <string_view>

#include "kernels/sweep/sweep_field.hpp"

namespace astra {

enum class AxisValueKind : std::uint8_t { Real, Integer, Name };

struct AxisField {
  AxisTarget target;
  AxisValueKind kind = AxisValueKind::Real;
  std::string column;  // output column and canonical name, e.g. "latency_ns[1]", "endpoint_delay_ns"
};

// Resolves a spec key; throws InputError(file, key, reason) for an unknown field or a dimension
// index outside the base network / implementation lists.
AxisField resolve_axis_field(std::string_view key, const SweepPoint& base, const std::string& file);

// A value written as a name (topology, algorithm, policy, ...) -> its stored code.
double parse_axis_name_value(const AxisField& field, std::string_view text, const std::string& file,
                             const std::string& where);

// The stored code of a Name-kind value -> its name, as written in outputs.
std::string axis_value_name(const AxisField& field, double code);

}  // namespace astra
