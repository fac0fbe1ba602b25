#include "host/calibration/measured_table_builder.hpp"

#include <cmath>

#include "host/input/input_error.hpp"

namespace astra::calibration {

std::string line_field(int line) { return "line " + std::to_string(line); }

void MeasuredTableBuilder::add(std::uint64_t size_bytes, double time_us, int line) {
  if (!std::isfinite(time_us) || time_us <= 0.0)
    throw InputError(table_.file, line_field(line),
                     "time must be > 0 us (got " + std::to_string(time_us) + ")");
  if (size_bytes == 0) {
    if (!table_.rows.empty())
      throw InputError(table_.file, line_field(line),
                       "size 0 after size " + std::to_string(table_.rows.back().size_bytes) +
                           ": sizes must increase down the table");
    table_.excluded.push_back({0, line, "size 0 (nccl-tests rounded the element count to 0; nothing moved)"});
    return;
  }
  if (!table_.rows.empty() && size_bytes <= table_.rows.back().size_bytes)
    throw InputError(table_.file, line_field(line),
                     "size " + std::to_string(size_bytes) + " B does not increase on the previous row's " +
                         std::to_string(table_.rows.back().size_bytes) + " B (line " +
                         std::to_string(table_.rows.back().line) + "): sizes must increase down the table");
  table_.rows.push_back({size_bytes, time_us, line});
}

MeasuredTable MeasuredTableBuilder::finish(CollectiveKind collective, std::string format, int lines_read) {
  if (table_.rows.empty())
    throw InputError(table_.file, line_field(lines_read),
                     "no row with size > 0 in the whole file (" + std::to_string(lines_read) + " lines)");
  table_.collective = collective;
  table_.format = std::move(format);
  return std::move(table_);
}

}  // namespace astra::calibration
