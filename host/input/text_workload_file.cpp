#include "host/input/text_workload_file.hpp"

#include <optional>

#include "host/input/input_error.hpp"
#include "host/input/number_text.hpp"
#include "host/input/quoted_text.hpp"

namespace astra {
namespace {

// Python's str.split() / strip() whitespace, ASCII part (the converter is Python).
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || (c >= '\x1c' && c <= '\x1f');
}

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

// Lines as Python's universal newlines see them: "\n", "\r\n" and a lone "\r" all end a line.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

std::string line_field(std::size_t line) { return "line " + std::to_string(line); }

std::string column_field(int line, int column) {
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + " (" + text_column_name(column) + ")";
}

std::int64_t integer_column(const std::vector<std::string_view>& words, int line, int column, const std::string& file) {
  const std::string_view word = words[static_cast<std::size_t>(column - 1)];
  const auto value = parse_int64_text(word);
  if (!value) throw InputError(file, column_field(line, column), quoted_text(word) + " is not an integer");
  return *value;
}

TextLayer read_layer(std::string_view text, int line, const std::string& file) {
  const auto words = split_words(text);
  if (words.size() < static_cast<std::size_t>(kColCount)) {
    throw InputError(file, line_field(static_cast<std::size_t>(line)),
                     "a layer line needs 12 columns (name, reserved, then compute time, comm type and comm size "
                     "for forward, input gradient and weight gradient, then update time); found " +
                         std::to_string(words.size()) +
                         (words.empty() ? "" : ", the last is column " + std::to_string(words.size()) + " (" +
                                                   text_column_name(static_cast<int>(words.size())) + ")"));
  }
  TextLayer layer;
  layer.line = line;
  layer.name = std::string(words[0]);
  layer.fwd_compute_us = integer_column(words, line, kColFwdCompute, file);
  layer.fwd_comm_type = std::string(words[kColFwdCommType - 1]);
  layer.fwd_comm_bytes = integer_column(words, line, kColFwdCommSize, file);
  layer.ig_compute_us = integer_column(words, line, kColIgCompute, file);
  layer.ig_comm_type = std::string(words[kColIgCommType - 1]);
  layer.ig_comm_bytes = integer_column(words, line, kColIgCommSize, file);
  layer.wg_compute_us = integer_column(words, line, kColWgCompute, file);
  layer.wg_comm_type = std::string(words[kColWgCommType - 1]);
  layer.wg_comm_bytes = integer_column(words, line, kColWgCommSize, file);
  return layer;
}

bool is_blank(std::string_view line) {
  for (char c : line) {
    if (!is_space(c)) return false;
  }
  return true;
}

}  // namespace

const char* text_column_name(int column) {
  switch (column) {
    case 1: return "layer name";
    case 2: return "reserved";
    case 3: return "forward compute time";
    case 4: return "forward comm type";
    case 5: return "forward comm size";
    case 6: return "input-gradient compute time";
    case 7: return "input-gradient comm type";
    case 8: return "input-gradient comm size";
    case 9: return "weight-gradient compute time";
    case 10: return "weight-gradient comm type";
    case 11: return "weight-gradient comm size";
    case 12: return "weight-update time";
  }
  return "extra column";
}

TextWorkloadFile read_text_workload_file(std::string_view text, const std::string& file) {
  const auto lines = split_lines(text);
  if (lines.empty() || (lines.size() == 1 && is_blank(lines[0]))) throw InputError(file, "", "empty file");

  TextWorkloadFile out;
  const auto first = split_words(lines[0]);
  if (first.empty()) {
    throw InputError(file, "line 1",
                     "empty; expected the parallelism type (DATA, MODEL, HYBRID_DATA_MODEL, HYBRID_MODEL_DATA, "
                     "HYBRID_DLRM, HYBRID_DLRM_ENHANCED or MICRO)");
  }
  out.parallelism = std::string(first[0]);
  if (first.size() >= 2) {
    const auto v = parse_int64_text(first[1]);
    if (v) {
      out.has_last_bottom_layer = true;
      out.last_bottom_layer = *v;
    }
  }
  if (out.parallelism == "HYBRID_DLRM" || out.parallelism == "HYBRID_DLRM_ENHANCED") {
    if (first.size() < 2) {
      throw InputError(file, "line 1", out.parallelism + " needs the index of the last bottom MLP layer after it (e.g. \"" +
                                           out.parallelism + " 4\")");
    }
    if (!out.has_last_bottom_layer) {
      throw InputError(file, "line 1, column 2 (last bottom layer)", quoted_text(first[1]) + " is not an integer");
    }
  }

  if (lines.size() < 2) throw InputError(file, "line 2", "missing; expected the number of layers");
  const auto count_words = split_words(lines[1]);
  std::optional<std::int64_t> layer_count;
  if (count_words.size() == 1) layer_count = parse_int64_text(count_words[0]);
  if (!layer_count) {
    throw InputError(file, "line 2", "expected the number of layers (one integer), got " + quoted_text(lines[1]));
  }

  // Every further line is a layer; blank lines at the very end are tolerated.
  std::size_t end = lines.size();
  while (end > 2 && is_blank(lines[end - 1])) --end;
  for (std::size_t i = 2; i < end; ++i) {
    if (is_blank(lines[i])) {
      throw InputError(file, line_field(i + 1), "empty line among the layer lines (every line after line 2 is a layer)");
    }
    out.layers.push_back(read_layer(lines[i], static_cast<int>(i + 1), file));
  }
  if (out.layers.empty()) throw InputError(file, "", "the workload has no layer lines");
  if (*layer_count != static_cast<std::int64_t>(out.layers.size())) {
    throw InputError(file, "line 2",
                     "says " + std::to_string(*layer_count) + " layers but the file has " +
                         std::to_string(out.layers.size()) +
                         " layer lines; Chakra's text converter uses both and would fail or build a wrong graph");
  }
  return out;
}

}  // namespace astra
