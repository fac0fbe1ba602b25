// JSON Lines output: one object per point, keys = column names, missing values = null; batches
// of rows are formatted on every core and written in order (write_rows, row_source.hpp).
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "host/common/atomic_output_file.hpp"
#include "host/sweep/output/cell_text.hpp"
#include "host/sweep/output/result_writer.hpp"

namespace astra {
namespace {

// At most 6 bytes per input byte (\u00XX) plus the quotes.
char* write_json_string(char* p, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  *p++ = '"';
  for (char c : s) {
    switch (c) {
      case '"': *p++ = '\\'; *p++ = '"'; break;
      case '\\': *p++ = '\\'; *p++ = '\\'; break;
      case '\n': *p++ = '\\'; *p++ = 'n'; break;
      case '\r': *p++ = '\\'; *p++ = 'r'; break;
      case '\t': *p++ = '\\'; *p++ = 't'; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          std::memcpy(p, "\\u00", 4);
          p[4] = kHex[(c >> 4) & 0xf];
          p[5] = kHex[c & 0xf];
          p += 6;
        } else {
          *p++ = c;
        }
    }
  }
  *p++ = '"';
  return p;
}

class JsonlWriter final : public ResultWriter {
 public:
  JsonlWriter(const std::string& path, const std::vector<Column>& columns) : file_(path) {
    out_ = std::fopen(file_.temp_path().c_str(), "wb");
    if (!out_) throw std::runtime_error("cannot write " + file_.temp_path() + ": " + std::strerror(errno));
    for (const Column& c : columns) {
      std::string key(6 * c.name.size() + 3, '\0');
      char* end = write_json_string(key.data(), c.name);
      *end++ = ':';
      key.resize(static_cast<std::size_t>(end - key.data()));
      keys_.push_back(key);
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
  void append_row(CharBuffer& out, const std::vector<Cell>& cells) const {
    std::size_t bound = 3;
    for (std::size_t c = 0; c < cells.size(); ++c)
      bound += 1 + keys_[c].size() + (cells[c].type == CellType::Text ? 6 * cells[c].text.size() + 2 : 32);
    char* p = out.reserve(bound);
    *p++ = '{';
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) *p++ = ',';
      std::memcpy(p, keys_[c].data(), keys_[c].size());
      p += keys_[c].size();
      const Cell& cell = cells[c];
      if (cell.type == CellType::Null || (cell.type == CellType::Real && !std::isfinite(cell.r))) {
        std::memcpy(p, "null", 4);
        p += 4;
      } else if (cell.type == CellType::Text) {
        p = write_json_string(p, cell.text);
      } else {
        p = write_cell_text(p, cell);
      }
    }
    *p++ = '}';
    *p++ = '\n';
    out.commit(p);
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
  std::vector<std::string> keys_;
  CharBuffer buffer_;
  std::vector<CharBuffer> slots_;
};

}  // namespace

std::unique_ptr<ResultWriter> open_jsonl_writer(const std::string& path, const std::vector<Column>& columns) {
  return std::make_unique<JsonlWriter>(path, columns);
}

}  // namespace astra
