#include "host/calibration/strict_numbers.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace astra::calibration {

std::optional<std::uint64_t> parse_whole_uint64(std::string_view token) {
  if (token.empty() || token.front() == '-' || token.front() == '+') return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc{} || end != token.data() + token.size()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_whole_int64(std::string_view token) {
  if (token.empty() || token.front() == '+') return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc{} || end != token.data() + token.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_whole_double(std::string_view token) {
  if (token.empty()) return std::nullopt;
  for (char c : token) {
    const bool allowed = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
    if (!allowed) return std::nullopt;  // rules out nan, inf, hex floats
  }
  const std::string copy(token);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace astra::calibration
