// Whole-token number parsing for measured data: "12.5" parses, "12.5x", "", "nan" and "inf" do not.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace astra::calibration {

std::optional<std::uint64_t> parse_whole_uint64(std::string_view token);
std::optional<std::int64_t> parse_whole_int64(std::string_view token);
// A finite decimal or scientific number.
std::optional<double> parse_whole_double(std::string_view token);

}  // namespace astra::calibration
