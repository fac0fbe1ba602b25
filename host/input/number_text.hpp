// Strict conversions of text to numbers for the input readers: the whole text must be the
// number (an optional sign, then digits; no spaces, no hex, no trailing junk).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace astra {

// A decimal integer such as "8", "+8" or "-3"; nullopt if malformed or out of the int64 range.
std::optional<std::int64_t> parse_int64_text(std::string_view text);

// A finite decimal number such as "400", "936.25", "1e3" or "+.5"; nullopt if malformed,
// infinite or NaN.
std::optional<double> parse_double_text(std::string_view text);

}  // namespace astra
