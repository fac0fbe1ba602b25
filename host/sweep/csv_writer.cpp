// CSV output: a header of column names, then one line per point (RFC 4180 quoting); batches of
// rows are formatted on every core and written in order (write_rows).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "sweep/atomic_output_file.hpp"
#include "sweep/result_writer.hpp"

namespace astra {
namespace {

void append_csv_field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_csv_row(std::string& out, const std::vector<Cell>& cells) {
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (c) out.push_back(',');
    if (cells[c].type == CellType::Text) append_csv_field(out, cells[c].text);
    else append_cell_text(out, cells[c]);
  }
  out.push_back('\n');
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
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c) buffer_.push_back(',');
      append_csv_field(buffer_, columns[c].name);
    }
    buffer_.push_back('\n');
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
    format_rows_in_order(
        rows, row_format_threads(), [](const std::vector<Cell>& cells, std::string& out) { append_csv_row(out, cells); },
        [this](std::string_view text) {
      if (!text.empty() && std::fwrite(text.data(), 1, text.size(), out_) != text.size())
        throw std::runtime_error("write failed: " + std::string(std::strerror(errno)));
    });
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
  void flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size())
      throw std::runtime_error("write failed: " + std::string(std::strerror(errno)));
    buffer_.clear();
  }
  std::optional<AtomicOutputFile> file_;
  std::FILE* out_ = nullptr;
  std::string buffer_;
};

}  // namespace

std::unique_ptr<ResultWriter> open_csv_writer(const std::string& path, const std::vector<Column>& columns) {
  return std::make_unique<CsvWriter>(path, columns);
}

}  // namespace astra
