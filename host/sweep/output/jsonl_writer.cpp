// JSON Lines output: one object per point, keys = column names, missing values = null
// (jsonl_rows.hpp); batches of rows come straight from their points on every core and are
// written in order (point_rows_in_order.hpp), byte-identical to writing their cells row by row.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "host/common/atomic_output_file.hpp"
#include "host/sweep/output/cell_text.hpp"
#include "host/sweep/output/jsonl_rows.hpp"
#include "host/sweep/output/point_rows_in_order.hpp"
#include "host/sweep/output/result_writer.hpp"

namespace astra {
namespace {

class JsonlWriter final : public ResultWriter {
 public:
  JsonlWriter(const std::string& path, const std::vector<Column>& columns)
      : file_(path), text_(columns), fast_(columns, text_) {
    out_ = std::fopen(file_.temp_path().c_str(), "wb");
    if (!out_) throw std::runtime_error("cannot write " + file_.temp_path() + ": " + std::strerror(errno));
  }
  ~JsonlWriter() override {
    if (out_) std::fclose(out_);
  }

  void write_row(const std::vector<Cell>& cells) override {
    append_row(buffer_, cells);
    if (buffer_.size() >= (1u << 20)) flush();
  }

  void write_rows(const RowSource& rows) override {
    flush();
    if (fast_.write(rows, slots_, [this](std::string_view text) { write(text); })) return;
    format_rows_in_order(
        rows, rows.threads(), slots_,
        [this](const std::vector<Cell>& cells, CharBuffer& out) { append_row(out, cells); },
        [this](std::string_view text) { write(text); });
  }

  void commit() override {
    flush();
    const bool failed = std::fclose(out_) != 0;
    out_ = nullptr;
    if (failed) throw std::runtime_error("cannot finish " + file_.temp_path());
    file_.commit();
  }

 private:
  // The per-row path: the dialect of the fast path (jsonl_rows.hpp) applied to cells.
  void append_row(CharBuffer& out, const std::vector<Cell>& cells) const {
    std::size_t bound = 3;
    for (std::size_t c = 0; c < cells.size(); ++c)
      bound += text_.cell_bound(c) + (cells[c].type == CellType::Text ? text_.text_bound(cells[c].text.size()) : 32);
    char* p = text_.begin_row(out.reserve(bound));
    for (std::size_t c = 0; c < cells.size(); ++c) {
      p = text_.begin_cell(p, c);
      const Cell& cell = cells[c];
      if (cell.type == CellType::Null) p = text_.missing(p);
      else if (cell.type == CellType::Text) p = text_.text(p, cell.text);
      else if (cell.type == CellType::Real) p = text_.real(p, cell.r);
      else p = write_cell_text(p, cell);
    }
    out.commit(text_.end_row(p));
  }
  void write(std::string_view text) {
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), out_) != text.size())
      throw std::runtime_error("write failed: " + std::string(std::strerror(errno)));
  }
  void flush() {
    write(buffer_.view());
    buffer_.clear();
  }
  AtomicOutputFile file_;
  std::FILE* out_ = nullptr;
  JsonText text_;
  PointRowsInOrder<JsonText> fast_;
  CharBuffer buffer_;
  std::vector<CharBuffer> slots_;
};

}  // namespace

std::unique_ptr<ResultWriter> open_jsonl_writer(const std::string& path, const std::vector<Column>& columns) {
  return std::make_unique<JsonlWriter>(path, columns);
}

}  // namespace astra
