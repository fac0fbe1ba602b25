#include "host/calibration/measured_file_reader.hpp"

#include <fstream>
#include <sstream>

#include "host/calibration/measured_csv_reader.hpp"
#include "host/calibration/nccl_tests_reader.hpp"
#include "host/input/input_error.hpp"

namespace astra::calibration {
namespace {

bool looks_like_csv(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#') continue;
    return line.find(',') != std::string_view::npos && line.find("size_bytes") != std::string_view::npos;
  }
  return false;
}

}  // namespace

MeasuredTable parse_measured_text(std::string_view text, const std::string& file, TimeColumn column,
                                  std::optional<CollectiveKind> expected) {
  if (looks_like_csv(text)) return parse_measured_csv(text, file, column, expected);
  return parse_nccl_tests_output(text, file, column, expected);
}

MeasuredTable read_measured_file(const std::string& path, TimeColumn column,
                                 std::optional<CollectiveKind> expected) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the measured-timings file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_measured_text(buffer.str(), path, column, expected);
}

}  // namespace astra::calibration
