#include "host/calibration/measured_csv_reader.hpp"

#include <vector>

#include "host/calibration/collective_names.hpp"
#include "host/calibration/measured_table_builder.hpp"
#include "host/calibration/strict_numbers.hpp"
#include "host/input/input_error.hpp"
#include "kernels/model/names.hpp"

namespace astra::calibration {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_commas(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = s.find(',', start);
    out.push_back(trim(s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

int find_column(const std::vector<std::string_view>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

}  // namespace

MeasuredTable parse_measured_csv(std::string_view text, const std::string& file, TimeColumn column,
                                 std::optional<CollectiveKind> expected) {
  MeasuredTableBuilder builder(file);
  std::vector<std::string_view> header;
  int header_line = 0;
  int size_col = -1, time_col = -1, collective_col = -1;
  std::optional<CollectiveKind> seen;
  int seen_line = 0;

  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    if (line.find('\0') != std::string_view::npos)
      throw InputError(file, line_field(line_no), "binary data (a NUL byte) in a CSV file");
    auto fields = split_commas(line);

    if (header.empty()) {
      header = fields;
      header_line = line_no;
      size_col = find_column(header, "size_bytes");
      collective_col = find_column(header, "collective");
      const int simple_time = find_column(header, "time_us");
      const int chosen = find_column(header, column == TimeColumn::OutOfPlace ? "oop_time_us" : "ip_time_us");
      time_col = simple_time >= 0 ? simple_time : chosen;
      if (size_col < 0)
        throw InputError(file, line_field(line_no), "the CSV header has no size_bytes column");
      if (time_col < 0)
        throw InputError(file, line_field(line_no),
                         std::string("the CSV header has no time_us or ") +
                             (column == TimeColumn::OutOfPlace ? "oop_time_us" : "ip_time_us") + " column");
      continue;
    }

    if (fields.size() != header.size())
      throw InputError(file, line_field(line_no),
                       "a row with " + std::to_string(fields.size()) + " fields; the header at line " +
                           std::to_string(header_line) + " has " + std::to_string(header.size()));
    if (collective_col >= 0) {
      const std::string_view name = fields[collective_col];
      const auto kind = collective_from_measured_name(name);
      if (!kind)
        throw InputError(file, line_field(line_no), "'" + std::string(name) + "' is not a modelled collective");
      if (seen && *seen != *kind)
        throw InputError(file, line_field(line_no),
                         std::string("mixed collectives: ") + collective_name(*kind) + " after " +
                             collective_name(*seen) + " (line " + std::to_string(seen_line) +
                             "); give one collective per file");
      if (!seen) seen_line = line_no;
      seen = kind;
    }
    const auto size = parse_whole_uint64(fields[size_col]);
    if (!size)
      throw InputError(file, line_field(line_no),
                       "size_bytes '" + std::string(fields[size_col]) + "' is not a byte count");
    if (fields[time_col].empty())
      throw InputError(file, line_field(line_no), "no time in column " + std::string(header[time_col]));
    const auto time = parse_whole_double(fields[time_col]);
    if (!time)
      throw InputError(file, line_field(line_no),
                       std::string(header[time_col]) + " '" + std::string(fields[time_col]) + "' is not a number");
    builder.add(*size, *time, line_no);
  }

  if (header.empty()) throw InputError(file, line_field(line_no), "empty CSV file (no header line)");
  if (expected && seen && *expected != *seen)
    throw InputError(file, line_field(seen_line),
                     std::string("the file measured ") + collective_name(*seen) + ", not " +
                         collective_name(*expected));
  const auto found = seen ? seen : expected;
  if (!found)
    throw InputError(file, "collective", "the CSV has no collective column; name it with --collective");
  return builder.finish(*found, "csv", line_no);
}

}  // namespace astra::calibration
