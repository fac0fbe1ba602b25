#include "host/sweep/output/result_writer.hpp"

#include "host/input/input_error.hpp"
#include "host/sweep/output/cell_text.hpp"
#include "host/sweep/output/columnar_output.hpp"

namespace astra {

void append_cell_text(std::string& out, const Cell& cell) { append_cell_text_fast(out, cell); }

void ResultWriter::write_rows(const RowSource& rows) {
  RowScratch scratch;
  for (std::uint64_t k = 0; k < rows.size(); ++k) write_row(rows.row(k, scratch));
}

std::unique_ptr<ResultWriter> open_result_writer(const std::string& path, const std::vector<Column>& columns) {
  auto ends_with = [&](const char* ext) {
    const std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (path.empty() || path == "-" || ends_with(".csv")) return open_csv_writer(path, columns);
  if (ends_with(".jsonl") || ends_with(".ndjson")) return open_jsonl_writer(path, columns);
  if (ends_with(".sqlite") || ends_with(".sqlite3") || ends_with(".db")) return open_sqlite_writer(path, columns);
  if (is_columnar_path(path)) return open_columnar_writer(path, columns);
  throw InputError("--out", path, "unknown output format (use .csv, .jsonl, .sqlite or .npy.d)");
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
