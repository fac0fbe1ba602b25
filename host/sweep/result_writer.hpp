// Writers of sweep results, one row per point in point-index order: CSV, JSON Lines or SQLite,
// chosen by the output's extension (.csv, .jsonl, .sqlite/.db). Files are written atomically
// (see atomic_output_file.hpp): a reader never sees a half-written result.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sweep/result_columns.hpp"

namespace astra {

class ResultWriter {
 public:
  virtual ~ResultWriter() = default;
  virtual void write_row(const std::vector<Cell>& cells) = 0;
  // Flushes and moves the file into place; without it the output is discarded.
  virtual void commit() = 0;
};

// path "" or "-": CSV on stdout. Throws InputError for an unknown extension, and
// std::runtime_error when the file cannot be written.
std::unique_ptr<ResultWriter> open_result_writer(const std::string& path, const std::vector<Column>& columns);

std::unique_ptr<ResultWriter> open_csv_writer(const std::string& path, const std::vector<Column>& columns);
std::unique_ptr<ResultWriter> open_jsonl_writer(const std::string& path, const std::vector<Column>& columns);
std::unique_ptr<ResultWriter> open_sqlite_writer(const std::string& path, const std::vector<Column>& columns);

// Appends a cell's text (numbers in the shortest form that reads back exactly).
void append_cell_text(std::string& out, const Cell& cell);

}  // namespace astra
