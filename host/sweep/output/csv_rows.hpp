// The CSV text dialect: RFC 4180 fields separated by commas, one line per row, missing values
// and non-finite reals as empty fields. Used by the CSV writer's per-row path (csv_writer.cpp)
// and, as the `Text` of PointRowFormatter (point_row_formatter.hpp), by its fast path.
#pragma once

#include <cstddef>
#include <string_view>

#include "host/sweep/output/cell_text.hpp"

namespace astra {

// RFC 4180: the text as is, or quoted (quotes doubled) when it holds , " CR or LF. `p` has room
// for 2 * text.size() + 2 bytes; returns the end.
char* write_csv_field(char* p, std::string_view text);

struct CsvText {
  char* begin_row(char* p) const { return p; }
  char* end_row(char* p) const {
    *p++ = '\n';
    return p;
  }
  char* begin_cell(char* p, std::size_t column) const {
    if (column) *p++ = ',';
    return p;
  }
  std::size_t cell_bound(std::size_t /*column*/) const { return 1; }
  char* text(char* p, std::string_view s) const { return write_csv_field(p, s); }
  std::size_t text_bound(std::size_t bytes) const { return 2 * bytes + 2; }
  char* missing(char* p) const { return p; }
  char* real(char* p, double v) const { return write_real_text(p, v); }  // non-finite: empty
};

}  // namespace astra
