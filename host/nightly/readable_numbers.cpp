#include "host/nightly/readable_numbers.hpp"

#include <cmath>

#include <fmt/format.h>

namespace astra {

std::string readable_number(double v, int significant) {
  if (!std::isfinite(v)) return fmt::format("{}", v);
  if (v == 0) return "0";
  const double a = std::fabs(v);
  if (a >= 1e15 || a < 1e-3) return fmt::format("{:.{}g}", v, significant);
  if (v == std::floor(v) && a < 1e15) return fmt::format("{:.0f}", v);
  // Fixed notation with `significant` digits in all, trailing zeros removed.
  const int magnitude = static_cast<int>(std::floor(std::log10(a)));
  const int decimals = std::max(0, significant - 1 - magnitude);
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string readable_bytes(double bytes, int significant) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = bytes;
  int u = 0;
  while (std::fabs(v) >= 1024 && u < 5) {
    v /= 1024;
    ++u;
  }
  return readable_number(v, significant) + " " + kUnits[u];
}

TimeUnit time_unit_for(double max_ns) {
  const double a = std::fabs(max_ns);
  if (a >= 1e9) return {"s", 1e9};
  if (a >= 1e6) return {"ms", 1e6};
  if (a >= 1e3) return {"us", 1e3};
  return {"ns", 1.0};
}

std::string readable_time_ns(double ns, int significant) {
  const TimeUnit u = time_unit_for(ns);
  return readable_number(ns / u.ns, significant) + " " + u.name;
}

std::string unit_suffix(const std::string& column) {
  const std::string base = column.substr(0, column.find('['));
  for (const char* s : {"_ns", "_bytes", "_GBps"}) {
    const std::string suffix(s);
    if (base.size() > suffix.size() && base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0)
      return suffix.substr(1);
  }
  return "";
}

std::string quantity_name(const std::string& column) {
  std::string base = column.substr(0, column.find('['));
  const std::string unit = unit_suffix(column);
  if (!unit.empty()) base.resize(base.size() - unit.size() - 1);
  for (char& c : base)
    if (c == '_') c = ' ';
  // appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on " " + substr
  const std::size_t bracket = column.find('[');
  if (bracket != std::string::npos) {
    base += ' ';
    base.append(column, bracket, std::string::npos);
  }
  return base;
}

std::string readable_value(const std::string& column, double v, int significant) {
  const std::string unit = unit_suffix(column);
  if (unit == "ns") return readable_time_ns(v, significant);
  if (unit == "bytes") return readable_bytes(v, significant);
  if (unit == "GBps") return readable_number(v, significant) + " GB/s";
  return readable_number(v, std::max(significant, 6));
}

}  // namespace astra
