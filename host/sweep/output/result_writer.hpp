// Writers of sweep results, one row per point in point-index order: CSV, JSON Lines, SQLite or a
// folder of numpy columns, chosen by the output's extension (.csv, .jsonl, .sqlite/.db, .npy.d;
// columnar_output.hpp). Files are written atomically
// (see atomic_output_file.hpp): a reader never sees a half-written result.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/sweep/output/result_columns.hpp"
#include "host/sweep/output/row_source.hpp"

namespace astra {

class ResultWriter {
 public:
  virtual ~ResultWriter() = default;
  virtual void write_row(const std::vector<Cell>& cells) = 0;
  // A batch of rows in order. The default writes them one by one; the text and columnar writers
  // build and format them on every core (row_source.hpp), with the same bytes as write_row.
  virtual void write_rows(const RowSource& rows);
  // Flushes and moves the file into place; without it the output is discarded.
  virtual void commit() = 0;
  // Rows of every point below next_point have been written (called after each batch, in order).
  // Resumable outputs (host/nightly) record it durably; others ignore it.
  virtual void checkpoint(std::uint64_t /*next_point*/) {}
  // The run stopped early (a signal): keep what is checkpointed, marked interrupted.
  virtual void mark_interrupted() {}
};

// path "" or "-": CSV on stdout. Throws InputError for an unknown extension, and
// std::runtime_error when the file cannot be written.
std::unique_ptr<ResultWriter> open_result_writer(const std::string& path, const std::vector<Column>& columns);

// Writes nothing (run --summary-only).
std::unique_ptr<ResultWriter> open_null_writer();

std::unique_ptr<ResultWriter> open_csv_writer(const std::string& path, const std::vector<Column>& columns);
std::unique_ptr<ResultWriter> open_jsonl_writer(const std::string& path, const std::vector<Column>& columns);
std::unique_ptr<ResultWriter> open_sqlite_writer(const std::string& path, const std::vector<Column>& columns);

struct RunRecord;  // nightly/run_record.hpp
// The SQLite results store (sqlite_writer.cpp): a new run in the `runs` table of `path`, or with
// `resume` the last unfinished run of the same spec, range and columns; resume_point receives
// the first point without a row. Commits rows at checkpoints at most every checkpoint_seconds.
std::unique_ptr<ResultWriter> open_sqlite_store(const std::string& path, const std::vector<Column>& columns,
                                                const RunRecord& run, bool resume, double checkpoint_seconds,
                                                std::uint64_t& resume_point, std::string& note);

// Appends a cell's text (numbers in the shortest form that reads back exactly).
void append_cell_text(std::string& out, const Cell& cell);

}  // namespace astra
