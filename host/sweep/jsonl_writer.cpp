// JSON Lines output: one object per point, keys = column names, missing values = null; batches
// of rows are formatted on every core and written in order (write_rows).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "sweep/atomic_output_file.hpp"
#include "sweep/result_writer.hpp"

namespace astra {
namespace {

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<int>(c));
        else out.push_back(c);
    }
  }
  out.push_back('"');
}

class JsonlWriter final : public ResultWriter {
 public:
  JsonlWriter(const std::string& path, const std::vector<Column>& columns) : file_(path) {
    out_ = std::fopen(file_.temp_path().c_str(), "wb");
    if (!out_) throw std::runtime_error("cannot write " + file_.temp_path() + ": " + std::strerror(errno));
    for (const Column& c : columns) {
      std::string key;
      append_json_string(key, c.name);
      keys_.push_back(key + ":");
    }
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
    format_rows_in_order(
        rows, row_format_threads(), [this](const std::vector<Cell>& cells, std::string& out) { append_row(out, cells); },
        [this](std::string_view text) {
          if (!text.empty() && std::fwrite(text.data(), 1, text.size(), out_) != text.size())
            throw std::runtime_error("write failed: " + std::string(std::strerror(errno)));
        });
  }

  void commit() override {
    flush();
    const bool failed = std::fclose(out_) != 0;
    out_ = nullptr;
    if (failed) throw std::runtime_error("cannot finish " + file_.temp_path());
    file_.commit();
  }

 private:
  void append_row(std::string& out, const std::vector<Cell>& cells) const {
    out.push_back('{');
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) out.push_back(',');
      out += keys_[c];
      const Cell& cell = cells[c];
      if (cell.type == CellType::Null || (cell.type == CellType::Real && !std::isfinite(cell.r))) out += "null";
      else if (cell.type == CellType::Text) append_json_string(out, cell.text);
      else append_cell_text(out, cell);
    }
    out += "}\n";
  }
  void flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size())
      throw std::runtime_error("write failed: " + std::string(std::strerror(errno)));
    buffer_.clear();
  }
  AtomicOutputFile file_;
  std::FILE* out_ = nullptr;
  std::vector<std::string> keys_;
  std::string buffer_;
};

}  // namespace

std::unique_ptr<ResultWriter> open_jsonl_writer(const std::string& path, const std::vector<Column>& columns) {
  return std::make_unique<JsonlWriter>(path, columns);
}

}  // namespace astra
