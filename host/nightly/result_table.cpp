#include "host/nightly/result_table.hpp"

#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "host/input/input_error.hpp"
#include "host/nightly/columnar_table.hpp"
#include "host/sweep/output/columnar_output.hpp"

namespace astra {
namespace fs = std::filesystem;
namespace {

bool ends_with(const std::string& s, const std::string& e) {
  return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// RFC 4180 records: quoted fields may hold commas, quotes ("") and newlines.
std::vector<std::vector<std::string>> parse_csv(const std::string& text, const std::string& file) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
      continue;
    }
    any = true;
    if (c == '"') quoted = true;
    else if (c == ',') record.push_back(std::move(field)), field.clear();
    else if (c == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      any = false;
    } else if (c != '\r') field.push_back(c);
  }
  if (quoted) throw InputError(file, "", "unterminated quoted field");
  if (any) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

ResultTable read_csv(const std::string& path) {
  ResultTable t;
  auto records = parse_csv(slurp(path), path);
  if (records.empty()) throw InputError(path, "", "empty: no header");
  t.columns = std::move(records[0]);
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != t.columns.size())
      throw InputError(path, "line " + std::to_string(r + 1),
                       "has " + std::to_string(records[r].size()) + " fields, the header " +
                           std::to_string(t.columns.size()));
    t.rows.push_back(std::move(records[r]));
  }
  return t;
}

std::string json_cell(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

ResultTable read_jsonl(const std::string& path) {
  ResultTable t;
  std::istringstream in(slurp(path));
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    nlohmann::ordered_json j;
    try {
      j = nlohmann::ordered_json::parse(line);
    } catch (const std::exception&) {
      throw InputError(path, "line " + std::to_string(number), "not a JSON object");
    }
    if (!j.is_object()) throw InputError(path, "line " + std::to_string(number), "not a JSON object");
    if (t.columns.empty())
      for (const auto& [key, value] : j.items()) t.columns.push_back(key);
    std::vector<std::string> row(t.columns.size());
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      auto it = j.find(t.columns[c]);
      if (it == j.end()) throw InputError(path, "line " + std::to_string(number), "lacks key " + t.columns[c]);
      row[c] = json_cell(*it);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string column_text(sqlite3_stmt* st, int c) {
  const unsigned char* text = sqlite3_column_text(st, c);
  return text ? reinterpret_cast<const char*>(text) : "";
}

ResultTable read_sqlite(const std::string& path, std::optional<std::int64_t> run_id, const std::string& source) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw InputError(path, "", "cannot open as SQLite");
  }
  ResultTable t;
  auto fail = [&](const std::string& field, const std::string& why) {
    sqlite3_close(db);
    throw InputError(source, field, why);
  };
  sqlite3_stmt* st = nullptr;
  // The named run, else the last complete one, else the last one.
  const std::string query = run_id ? "SELECT * FROM runs WHERE run_id = " + std::to_string(*run_id)
                                   : "SELECT * FROM runs ORDER BY (status = 'complete') DESC, run_id DESC LIMIT 1";
  if (sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) != SQLITE_OK) fail("runs", "no runs table (not a results store)");
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_finalize(st);
    fail("runs", run_id ? "no run " + std::to_string(*run_id) : "holds no run");
  }
  std::int64_t id = 0;
  std::string columns;
  for (int c = 0; c < sqlite3_column_count(st); ++c) {
    const std::string name = sqlite3_column_name(st, c);
    const std::string value = column_text(st, c);
    if (name == "run_id") id = sqlite3_column_int64(st, c);
    if (name == "columns") columns = value;
    if (name != "spec_text" && name != "columns") t.metadata.emplace_back(name, value);
  }
  sqlite3_finalize(st);
  std::string list;
  {
    std::stringstream names(columns);
    std::string name;
    while (std::getline(names, name, ',')) {
      t.columns.push_back(name);
      std::string quoted = "\"";
      for (char ch : name) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      list += (list.empty() ? "" : ", ") + quoted + "\"";
    }
  }
  if (t.columns.empty()) fail("runs.columns", "empty");
  const std::string rows_sql = "SELECT " + list + " FROM results WHERE run_id = " + std::to_string(id) + " ORDER BY point_index";
  if (sqlite3_prepare_v2(db, rows_sql.c_str(), -1, &st, nullptr) != SQLITE_OK) fail("results", sqlite3_errmsg(db));
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::vector<std::string> row(t.columns.size());
    for (std::size_t c = 0; c < row.size(); ++c) {
      const int type = sqlite3_column_type(st, static_cast<int>(c));
      if (type == SQLITE_FLOAT) {
        // the shortest text that reads back exactly, as the CSV writer prints it
        char buffer[40];
        const double v = sqlite3_column_double(st, static_cast<int>(c));
        for (int precision = 1; precision <= 17; ++precision) {
          std::snprintf(buffer, sizeof buffer, "%.*g", precision, v);
          if (std::strtod(buffer, nullptr) == v) break;
        }
        row[c] = buffer;
      } else {
        row[c] = column_text(st, static_cast<int>(c));
      }
    }
    t.rows.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return t;
}

bool is_sqlite_name(const std::string& p) {
  return ends_with(p, ".sqlite") || ends_with(p, ".sqlite3") || ends_with(p, ".db");
}

}  // namespace

int ResultTable::column(const std::string& name) const {
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == name) return static_cast<int>(c);
  return -1;
}

bool is_metric_column(const std::string& name) {
  for (const char* m : {"collective_time_ns", "iteration_time_ns", "exposed_comm_ns", "compute_ns", "comm_ns", "gpu_ns",
                        "overlap_ns", "algbw_GBps", "busbw_GBps"})
    if (name == m) return true;
  return false;
}

bool metric_larger_is_better(const std::string& name) { return name == "algbw_GBps" || name == "busbw_GBps"; }

TableColumnRole ResultTable::role(std::size_t c) const {
  const std::string& n = columns[c];
  if (n == "point_index") return TableColumnRole::PointIndex;
  if (n == "status") return TableColumnRole::Status;
  if (is_metric_column(n)) return TableColumnRole::Metric;
  if (n == "evaluated_by" || n == "reason" || n == "nonphysical" || n == "injection_bw_GBps")
    return TableColumnRole::Other;
  return TableColumnRole::Axis;
}

std::optional<double> ResultTable::number(const std::string& cell) {
  if (cell.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(cell.c_str(), &end);
  if (end != cell.c_str() + cell.size()) return std::nullopt;
  return v;
}

ResultTable read_result_table(const std::string& run) {
  std::string path = run;
  std::optional<std::int64_t> run_id;
  if (!fs::exists(path)) {
    const std::size_t colon = run.rfind(':');
    if (colon != std::string::npos && colon + 1 < run.size() &&
        run.find_first_not_of("0123456789", colon + 1) == std::string::npos && fs::exists(run.substr(0, colon))) {
      path = run.substr(0, colon);
      run_id = std::stoll(run.substr(colon + 1));
    } else {
      throw InputError(run, "", "cannot open (RUN is FILE.csv, FILE.jsonl, FILE.sqlite[:RUN_ID] or DIR.npy.d)");
    }
  }
  ResultTable t;
  if (is_sqlite_name(path)) t = read_sqlite(path, run_id, run);
  else if (run_id) throw InputError(run, "", "a run id (:N) needs a SQLite store");
  else if (ends_with(path, ".csv")) t = read_csv(path);
  else if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson")) t = read_jsonl(path);
  else if (is_columnar_path(path)) t = read_columnar_table(path);
  else throw InputError(run, "", "unknown format (use .csv, .jsonl, .sqlite or .npy.d)");
  t.source = run;
  if (t.metadata.empty()) {
    t.metadata.emplace_back("file", path);
    t.metadata.emplace_back("rows", std::to_string(t.rows.size()));
  }
  if (t.column("point_index") < 0) throw InputError(run, "point_index", "missing: rows cannot be matched by point");
  return t;
}

}  // namespace astra
