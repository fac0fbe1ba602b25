#include "sweep/result_writer.hpp"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "input/input_error.hpp"

namespace astra {

void append_cell_text(std::string& out, const Cell& cell) {
  switch (cell.type) {
    case CellType::Null: break;
    case CellType::Int: fmt::format_to(std::back_inserter(out), "{}", cell.i); break;
    case CellType::UInt: fmt::format_to(std::back_inserter(out), "{}", cell.u); break;
    case CellType::Real:
      if (std::isfinite(cell.r)) fmt::format_to(std::back_inserter(out), "{}", cell.r);
      break;
    case CellType::Text: out.append(cell.text); break;
  }
}

std::unique_ptr<ResultWriter> open_result_writer(const std::string& path, const std::vector<Column>& columns) {
  auto ends_with = [&](const char* ext) {
    const std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (path.empty() || path == "-" || ends_with(".csv")) return open_csv_writer(path, columns);
  if (ends_with(".jsonl") || ends_with(".ndjson")) return open_jsonl_writer(path, columns);
  if (ends_with(".sqlite") || ends_with(".sqlite3") || ends_with(".db")) return open_sqlite_writer(path, columns);
  throw InputError("--out", path, "unknown output format (use .csv, .jsonl or .sqlite)");
}

namespace {
class NullResultWriter final : public ResultWriter {
 public:
  void write_row(const std::vector<Cell>&) override {}
  void commit() override {}
};
}  // namespace

std::unique_ptr<ResultWriter> open_null_writer() { return std::make_unique<NullResultWriter>(); }

}  // namespace astra
