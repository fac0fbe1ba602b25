// Cell values as text, fast (std::to_chars) and byte-identical to fmt's "{}" (what the writers
// printed before): integers in decimal, reals as the shortest text that reads back exactly, in
// fixed notation for decimal exponents -4..15 and as d.ddde+XX outside, non-finite reals empty.
#pragma once

#include <string>

#include "host/sweep/output/result_columns.hpp"

namespace astra {

// Writes the text of `v` at `out` (at least 32 bytes); returns the end.
char* write_real_text(char* out, double v);
char* write_int_text(char* out, std::int64_t v);
char* write_uint_text(char* out, std::uint64_t v);
// A number cell's text (Null: nothing; Text cells are the callers' to quote).
char* write_cell_text(char* out, const Cell& cell);

// Appends a cell's text (as append_cell_text, result_writer.hpp, which calls this).
void append_cell_text_fast(std::string& out, const Cell& cell);

// The same text through fmt: the formatting the writers used before cell_text, kept as the
// reference the tests compare against and as the benchmark's baseline.
void append_cell_text_fmt(std::string& out, const Cell& cell);

}  // namespace astra
