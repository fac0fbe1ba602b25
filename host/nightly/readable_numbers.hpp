// Numbers the way a person reads them in `astra-sweep report`: sizes in KiB/MiB/GiB, times in
// ns/us/ms/s, bandwidths in GB/s, everything else with at most six significant digits and no
// exponent between 1e-3 and 1e15 (234.00892754955416 -> 234.009, 100 -> 100).
#pragma once

#include <string>

namespace astra {

std::string readable_number(double v, int significant = 6);
// `significant` digits (trailing zeros dropped) in the unit chosen.
std::string readable_bytes(double bytes, int significant = 4);  // 1048576 -> "1 MiB", 1536 -> "1.5 KiB"
std::string readable_time_ns(double ns, int significant = 4);   // 942 -> "942 ns", 11.6e6 -> "11.6 ms"

// A metric or axis value by its column's unit suffix (_ns, _bytes, _GBps, else plain).
std::string readable_value(const std::string& column, double v, int significant = 4);

// The display unit for times up to max_ns: ("ms", 1e6) etc.
struct TimeUnit {
  const char* name;
  double ns;
};
TimeUnit time_unit_for(double max_ns);

// The column's unit suffix: "ns", "bytes", "GBps" or "" (latency_ns[0] -> "ns").
std::string unit_suffix(const std::string& column);
// The column's name without its unit suffix, underscores as spaces ("collective_time_ns" -> "collective time").
std::string quantity_name(const std::string& column);

}  // namespace astra
