// A finished run's rows read back into memory, for `diff` and `report`:
//   FILE.csv | FILE.jsonl | FILE.sqlite[:RUN_ID] | DIR.npy.d   (SQLite: the last complete run by default)
// Cells are kept as text ("" for a missing value); numbers read back exactly as written.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace astra {

enum class TableColumnRole { PointIndex, Axis, Status, Metric, Other };

struct ResultTable {
  std::string source;                          // as named on the command line
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // one cell per column
  std::vector<std::pair<std::string, std::string>> metadata;  // the SQLite `runs` row, or file facts

  int column(const std::string& name) const;  // -1 when absent
  TableColumnRole role(std::size_t c) const;
  // The numeric value of a cell, nullopt when empty or not a number.
  static std::optional<double> number(const std::string& cell);
};

// Throws InputError (exit 2) for a missing, unreadable or malformed RUN.
ResultTable read_result_table(const std::string& run);

// Whether a column name is one of the metric columns (collective_time_ns, busbw_GBps, ...).
bool is_metric_column(const std::string& name);
// Larger is better for the metric (bandwidths), else smaller is.
bool metric_larger_is_better(const std::string& name);

}  // namespace astra
