// CSV output: a header of column names, then one line per point (RFC 4180 quoting); batches of
// rows are formatted on every core and written in order (write_rows, row_source.hpp).
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
  CsvWriter(const std::string& path, const std::vector<Column>& columns) {
    if (path.empty() || path == "-") {
      out_ = stdout;
    } else {
      file_.emplace(path);
      out_ = std::fopen(file_->temp_path().c_str(), "wb");
      if (!out_) throw std::runtime_error("cannot write " + file_->temp_path() + ": " + std::strerror(errno));
    }
    for (const Column& c : columns) names_.push_back(c.name);
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
    const RowBuilder* builder = rows.builder();
    if (builder && same_columns(builder->columns()) && rows.points(0, 0, probe_)) {
      // The fast path: lines straight from the points (csv_rows.hpp), formatted on every core.
      if (!formatter_ || formatter_->builder_id() != builder->id())
        formatter_ = std::make_unique<CsvRowFormatter>(*builder);
      constexpr std::uint64_t kChunkRows = 4096;
      const unsigned threads = std::max(1u, rows.threads());
      if (slots_.size() < 4u * threads) slots_.resize(4u * threads);
      if (points_.size() < threads) points_.resize(threads);
      ordered_parallel_chunks(
          rows.size(), kChunkRows, threads, slots_.size(),
          [&](unsigned w, std::size_t slot, std::uint64_t begin, std::uint64_t end) {
            CharBuffer& out = slots_[slot];
            out.clear();
            if (!rows.points(begin, end, points_[w])) throw std::logic_error("CSV writer: a row source lost its points");
            formatter_->append(*builder, points_[w], out);
          },
          [this](std::size_t slot) { write(slots_[slot].view()); });
      return;
    }
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
  bool same_columns(const std::vector<Column>& columns) const {
    if (columns.size() != names_.size()) return false;
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (columns[c].name != names_[c]) return false;
    return true;
  }
  std::vector<CharBuffer> slots_;
  std::vector<std::string> names_;  // the header's columns
  std::unique_ptr<CsvRowFormatter> formatter_;
  std::vector<RowPoints> points_;  // per worker
  RowPoints probe_;
};

}  // namespace

std::unique_ptr<ResultWriter> open_csv_writer(const std::string& path, const std::vector<Column>& columns) {
  return std::make_unique<CsvWriter>(path, columns);
}

}  // namespace astra
