// CSV output: a header of column names, then one line per point (RFC 4180 quoting, csv_rows.hpp);
// batches of rows come straight from their points on every core and are written in order
// (point_rows_in_order.hpp), byte-identical to writing their cells row by row.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "host/common/atomic_output_file.hpp"
#include "host/sweep/output/cell_text.hpp"
#include "host/sweep/output/csv_rows.hpp"
#include "host/sweep/output/point_rows_in_order.hpp"
#include "host/sweep/output/result_writer.hpp"

namespace astra {
namespace {

void append_csv_row(CharBuffer& out, const std::vector<Cell>& cells) {
  std::size_t bound = 1;
  for (const Cell& c : cells) bound += 1 + (c.type == CellType::Text ? 2 * c.text.size() + 2 : 32);
  char* p = out.reserve(bound);
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (c) *p++ = ',';
    if (cells[c].type == CellType::Text) p = write_csv_field(p, cells[c].text);
    else p = write_cell_text(p, cells[c]);
  }
  *p++ = '\n';
  out.commit(p);
}

class CsvWriter final : public ResultWriter {
 public:
  CsvWriter(const std::string& path, const std::vector<Column>& columns) : fast_(columns, CsvText{}) {
    if (path.empty() || path == "-") {
      out_ = stdout;
    } else {
      file_.emplace(path);
      out_ = std::fopen(file_->temp_path().c_str(), "wb");
      if (!out_) throw std::runtime_error("cannot write " + file_->temp_path() + ": " + std::strerror(errno));
    }
    for (std::size_t c = 0; c < columns.size(); ++c) {
      char* p = buffer_.reserve(2 * columns[c].name.size() + 4);
      if (c) *p++ = ',';
      buffer_.commit(write_csv_field(p, columns[c].name));
    }
    buffer_.append("\n");
  }
  ~CsvWriter() override {
    if (out_ && out_ != stdout) std::fclose(out_);
  }

  void write_row(const std::vector<Cell>& cells) override {
    append_csv_row(buffer_, cells);
    if (buffer_.size() >= (1u << 20)) flush();
  }

  void write_rows(const RowSource& rows) override {
    flush();
    // The fast path: lines straight from the points (point_rows_in_order.hpp), on every core.
    if (fast_.write(rows, slots_, [this](std::string_view text) { write(text); })) return;
    format_rows_in_order(
        rows, rows.threads(), slots_,
        [](const std::vector<Cell>& cells, CharBuffer& out) { append_csv_row(out, cells); },
                         [this](std::string_view text) { write(text); });
  }

  void commit() override {
    flush();
    if (out_ == stdout) {
      std::fflush(stdout);
      return;
    }
    const bool failed = std::fclose(out_) != 0;
    out_ = nullptr;
    if (failed) throw std::runtime_error("cannot finish " + file_->temp_path());
    file_->commit();
  }

 private:
  void write(std::string_view text) {
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), out_) != text.size())
      throw std::runtime_error("write failed: " + std::string(std::strerror(errno)));
  }
  void flush() {
    write(buffer_.view());
    buffer_.clear();
  }
  std::optional<AtomicOutputFile> file_;
  std::FILE* out_ = nullptr;
  CharBuffer buffer_;
  std::vector<CharBuffer> slots_;
  PointRowsInOrder<CsvText> fast_;
};

}  // namespace

std::unique_ptr<ResultWriter> open_csv_writer(const std::string& path, const std::vector<Column>& columns) {
  return std::make_unique<CsvWriter>(path, columns);
}

}  // namespace astra
