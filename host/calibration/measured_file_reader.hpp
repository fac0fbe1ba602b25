// Reads one measured-timings file, whichever form it has: a CSV (its first data line names
// size_bytes) or nccl-tests output as printed (anything else).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "host/calibration/measured_table.hpp"

namespace astra::calibration {

MeasuredTable parse_measured_text(std::string_view text, const std::string& file, TimeColumn column,
                                  std::optional<CollectiveKind> expected = std::nullopt);

// Throws InputError when the file cannot be read.
MeasuredTable read_measured_file(const std::string& path, TimeColumn column,
                                 std::optional<CollectiveKind> expected = std::nullopt);

}  // namespace astra::calibration
