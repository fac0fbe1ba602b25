// The JSON Lines text dialect: one object per row, keys = column names, missing values and
// non-finite reals as null. Used by the JSON Lines writer's per-row path (jsonl_writer.cpp) and,
// as the `Text` of PointRowFormatter (point_row_formatter.hpp), by its fast path.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "host/sweep/output/cell_text.hpp"
#include "host/sweep/output/result_columns.hpp"
#include "host/sweep/output/short_copy.hpp"

namespace astra {

// A JSON string: quoted, with " \ and control characters escaped (\n \r \t, else \u00XX). `p` has
// room for 6 * s.size() + 2 bytes; returns the end.
char* write_json_string(char* p, std::string_view s);

class JsonText {
 public:
  explicit JsonText(const std::vector<Column>& columns);
  char* begin_row(char* p) const {
    *p++ = '{';
    return p;
  }
  char* end_row(char* p) const {
    *p++ = '}';
    *p++ = '\n';
    return p;
  }
  // The separator and the column's key: `,"name":`.
  char* begin_cell(char* p, std::size_t column) const {
    return copy_short(p, keys_.data() + key_begin_[column], key_begin_[column + 1] - key_begin_[column]);
  }
  std::size_t cell_bound(std::size_t column) const {
    return std::max(kShortCopyBytes, key_begin_[column + 1] - key_begin_[column]);
  }
  char* text(char* p, std::string_view s) const { return write_json_string(p, s); }
  std::size_t text_bound(std::size_t bytes) const { return 6 * bytes + 2; }
  char* missing(char* p) const {
    std::memcpy(p, "null", 4);
    return p + 4;
  }
  char* real(char* p, double v) const { return std::isfinite(v) ? write_real_text(p, v) : missing(p); }

 private:
  std::string keys_;                    // per column, with the separator before it (padded)
  std::vector<std::size_t> key_begin_;  // columns + 1 offsets into keys_
};

}  // namespace astra
