// Reads measured timings from CSV. Two layouts, told apart by the header:
//   simple:  collective,size_bytes,time_us            (collective optional, columns in any order)
//   rich:    source_id,collective,size_bytes,count,dtype,redop,oop_time_us,...,ip_time_us,...
//            (the layout of ../shared/measured/*.csv; --time picks oop_time_us or ip_time_us)
// Blank lines and lines starting with '#' are skipped. Every row must name the same collective.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "host/calibration/measured_table.hpp"

namespace astra::calibration {

// Throws InputError(file, "line N", reason) on a bad header, a short row, an unparsable number,
// mixed collectives, sizes that do not increase or a time <= 0.
MeasuredTable parse_measured_csv(std::string_view text, const std::string& file, TimeColumn column,
                                 std::optional<CollectiveKind> expected = std::nullopt);

}  // namespace astra::calibration
