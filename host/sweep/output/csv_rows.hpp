// CSV lines straight from evaluated points (the CSV writer's fast path): no Cells, no per-cell
// type dispatch; each axis value's cell is formatted once per distinct value of its table (grid
// axes repeat their values along the rows) and copied, metrics go through std::to_chars.
// Byte-identical to formatting RowBuilder::build's cells (csv_writer.cpp's append_csv_row).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "host/sweep/output/row_source.hpp"

namespace astra {

// RFC 4180: the text as is, or quoted (quotes doubled) when it holds , " CR or LF. `p` has room
// for 2 * text.size() + 2 bytes; returns the end.
char* write_csv_field(char* p, std::string_view text);

class CsvRowFormatter {
 public:
  // The builder's columns, in its order.
  explicit CsvRowFormatter(const RowBuilder& builder);
  // The builder's id (RowBuilder::id): this formatter serves that builder's rows only.
  std::uint64_t builder_id() const { return builder_id_; }
  // Appends one line per point of `rows` of `builder` (the one this was made from, or one with
  // its id).
  void append(const RowBuilder& builder, const RowPoints& rows, CharBuffer& out) const;

 private:
  struct AxisCells {             // an axis column's cells by row of its digit's table
    int digit = -1;               // -1: formatted per row (a table too large to keep as text)
    std::vector<std::uint32_t> begin;  // rows + 1 offsets into text
    std::string text;
  };
  std::uint64_t builder_id_;
  std::vector<AxisCells> axis_cells_;  // per column (used by axis columns)
  std::vector<int> axis_digit_;        // per axis: its digit
  bool needs_point_ = false;           // bandwidths, nonphysical, injection bound
  std::size_t row_bound_ = 0;          // bytes one line needs at most, reasons aside
};

}  // namespace astra
