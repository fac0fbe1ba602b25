#include "host/calibration/nccl_tests_reader.hpp"

#include <cctype>
#include <vector>

#include "host/calibration/collective_names.hpp"
#include "host/calibration/measured_table_builder.hpp"
#include "host/calibration/strict_numbers.hpp"
#include "host/input/input_error.hpp"
#include "kernels/model/names.hpp"

namespace astra::calibration {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of an mpirun tag "[a,b]<stdout>:" starting at `pos`, or 0.
std::size_t mpirun_tag_length(std::string_view s, std::size_t pos) {
  std::size_t i = pos;
  if (i >= s.size() || s[i] != '[') return 0;
  ++i;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (digits == 0 || i >= s.size() || s[i] != ',') return 0;
  ++i;
  digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (digits == 0 || i >= s.size() || s[i] != ']') return 0;
  ++i;
  for (std::string_view stream : {"<stdout>:", "<stderr>:"})
    if (s.substr(i, stream.size()) == stream) return i + stream.size() - pos;
  return 0;
}

std::vector<std::string_view> split_whitespace(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\r') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool all_digits(std::string_view t) {
  if (t.empty()) return false;
  for (char c : t)
    if (!is_digit(c)) return false;
  return true;
}

// The column positions of one table, from its "# size count type ..." header line.
struct TableLayout {
  int header_line = 0;
  std::size_t columns = 0;
  std::size_t size = 0, count = 0;
  std::size_t time[2] = {0, 0};        // out-of-place, in-place
  bool has_time[2] = {false, false};
  std::vector<std::size_t> numeric;    // further columns that must be numbers (algbw, busbw)
};

std::optional<TableLayout> layout_from_header(const std::vector<std::string_view>& tokens, int line) {
  // tokens exclude the leading '#'
  TableLayout layout;
  layout.header_line = line;
  layout.columns = tokens.size();
  bool has_size = false, has_count = false;
  int times = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view t = tokens[i];
    if (t == "size" && !has_size) layout.size = i, has_size = true;
    else if (t == "count" && !has_count) layout.count = i, has_count = true;
    else if (t == "time" && times < 2) layout.time[times] = i, layout.has_time[times] = true, ++times;
    else if (t == "algbw" || t == "busbw") layout.numeric.push_back(i);
  }
  if (!has_size || !has_count || times == 0) return std::nullopt;
  return layout;
}

bool contains(std::string_view s, std::string_view what) { return s.find(what) != std::string_view::npos; }

// A collective named by an `X_perf` word anywhere in the line, if any.
std::optional<std::string> perf_binary_word(std::string_view s) {
  const std::size_t at = s.find("_perf");
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t b = at;
  while (b > 0 && (std::isalnum(static_cast<unsigned char>(s[b - 1])) || s[b - 1] == '_')) --b;
  std::size_t e = at + 5;
  if (s.substr(e, 4) == "_mpi") e += 4;
  return std::string(s.substr(b, e - b));
}

}  // namespace

std::string strip_mpirun_tags(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    const std::size_t tag = line[i] == '[' ? mpirun_tag_length(line, i) : 0;
    if (tag) {
      i += tag;
    } else {
      out.push_back(line[i]);
      ++i;
    }
  }
  return out;
}

MeasuredTable parse_nccl_tests_output(std::string_view text, const std::string& file, TimeColumn column,
                                      std::optional<CollectiveKind> expected) {
  MeasuredTableBuilder builder(file);
  std::optional<TableLayout> layout;
  enum class State { BeforeTable, InTable, AfterTable } state = State::BeforeTable;
  std::optional<CollectiveKind> stated;  // from "Collective test starting"
  int stated_line = 0;
  std::optional<std::string> command_word;
  bool command_word_ambiguous = false;
  const int col = static_cast<int>(column);

  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string line = strip_mpirun_tags(text.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (line.find('\0') != std::string::npos)
      throw InputError(file, line_field(line_no), "binary data (a NUL byte) in an nccl-tests log");

    std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const std::string_view body = std::string_view(line).substr(first);

    if (body.front() == '#') {
      const auto tokens = split_whitespace(body.substr(1));
      if (contains(body, "Collective test starting:")) {
        const std::string name = tokens.empty() ? std::string() : std::string(tokens.back());
        const auto kind = collective_from_measured_name(name);
        if (!kind) {
          const std::string why = is_unmodelled_nccl_test(name) ? " is not a collective astra-sweep models"
                                                                : " is not a known nccl-tests collective";
          throw InputError(file, line_field(line_no), "'" + name + "'" + why);
        }
        if (stated && *stated != *kind)
          throw InputError(file, line_field(line_no),
                           std::string("mixed collectives: ") + collective_name(*kind) + " after " +
                               collective_name(*stated) + " (line " + std::to_string(stated_line) +
                               "); give one collective per file");
        stated = kind;
        stated_line = line_no;
        continue;
      }
      if (auto candidate = layout_from_header(tokens, line_no)) {
        if (state != State::BeforeTable)
          throw InputError(file, line_field(line_no),
                           "a second nccl-tests table starts here (the first began at line " +
                               std::to_string(layout->header_line) + "); give one table per file");
        if (!candidate->has_time[col])
          throw InputError(file, line_field(line_no),
                           std::string("the table has no ") + (col ? "in-place" : "out-of-place") + " time column");
        layout = candidate;
        state = State::InTable;
        continue;
      }
      if (state == State::InTable && (contains(body, "Out of bounds") || contains(body, "Avg bus bandwidth")))
        state = State::AfterTable;
      continue;
    }

    if (contains(body, "NCCL INFO") || contains(body, "NCCL WARN")) continue;
    const auto tokens = split_whitespace(body);
    if (state != State::InTable) {
      if (auto word = perf_binary_word(body)) {
        if (command_word && *command_word != *word) command_word_ambiguous = true;
        command_word = word;
      }
      continue;
    }
    if (!all_digits(tokens.front())) continue;  // log noise inside the table region

    // A data row.
    if (tokens.size() < layout->columns)
      throw InputError(file, line_field(line_no),
                       "a table row with " + std::to_string(tokens.size()) + " fields; the header at line " +
                           std::to_string(layout->header_line) + " has " + std::to_string(layout->columns));
    const auto size = parse_whole_uint64(tokens[layout->size]);
    if (!size)
      throw InputError(file, line_field(line_no), "size '" + std::string(tokens[layout->size]) + "' is not a byte count");
    if (!parse_whole_uint64(tokens[layout->count]))
      throw InputError(file, line_field(line_no),
                       "count '" + std::string(tokens[layout->count]) + "' is not an element count");
    for (std::size_t c : layout->numeric)
      if (tokens[c] != "N/A" && !parse_whole_double(tokens[c]))
        throw InputError(file, line_field(line_no), "'" + std::string(tokens[c]) + "' is not a number");
    std::optional<double> times[2];
    for (int k = 0; k < 2; ++k) {
      if (!layout->has_time[k]) continue;
      const std::string_view t = tokens[layout->time[k]];
      if (t == "N/A") continue;
      times[k] = parse_whole_double(t);
      if (!times[k])
        throw InputError(file, line_field(line_no), "time '" + std::string(t) + "' is not a number");
    }
    if (!times[col])
      throw InputError(file, line_field(line_no),
                       std::string("no ") + (col ? "in-place" : "out-of-place") + " time (N/A) in this row");
    builder.add(*size, *times[col], line_no);
  }

  if (!layout)
    throw InputError(file, line_field(line_no),
                     "no nccl-tests table in " + std::to_string(line_no) +
                         " lines (expected a '#  size  count  type ... time  algbw  busbw' header)");

  std::optional<CollectiveKind> from_command;
  if (command_word && !command_word_ambiguous) {
    from_command = collective_from_measured_name(*command_word);
    if (!from_command && is_unmodelled_nccl_test(*command_word))
      throw InputError(file, "collective", "'" + *command_word + "' is not a collective astra-sweep models");
  }
  std::optional<CollectiveKind> found = stated ? stated : from_command;
  if (expected && found && *expected != *found)
    throw InputError(file, stated ? line_field(stated_line) : std::string("collective"),
                     std::string("the file measured ") + collective_name(*found) + ", not " +
                         collective_name(*expected));
  if (!found) found = expected;
  if (!found)
    throw InputError(file, "collective",
                     "the log does not say which collective it measured (no 'Collective test starting' line); "
                     "name it with --collective");
  return builder.finish(*found, "nccl-tests", line_no);
}

}  // namespace astra::calibration
