#include "host/nightly/merge_outputs.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "host/input/input_error.hpp"
#include "host/nightly/part_file_output.hpp"
#include "host/common/atomic_output_file.hpp"

namespace astra {
namespace {

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string sql_text(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  return out + "'";
}

class Db {
 public:
  explicit Db(const std::string& path) : path_(path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("cannot open " + path);
    sqlite3_busy_timeout(db_, 60000);
  }
  ~Db() { sqlite3_close(db_); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error("sqlite " + path_ + ": " + msg + " (" + sql.substr(0, 100) + ")");
    }
  }
  // The rows of a query, each cell as text ("" for NULL).
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error("sqlite " + path_ + ": " + sqlite3_errmsg(db_));
    std::vector<std::vector<std::string>> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const unsigned char* t = sqlite3_column_text(st, c);
        row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    return out;
  }
  sqlite3* handle() { return db_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace

void merge_text_outputs(const std::vector<std::string>& parts, const std::string& out) {
  const bool csv = out.size() >= 4 && out.compare(out.size() - 4, 4, ".csv") == 0;
  AtomicOutputFile file(out);
  std::FILE* f = std::fopen(file.temp_path().c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + file.temp_path() + ": " + std::strerror(errno));
  bool ok = true;
  std::string header;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    std::ifstream in(parts[k], std::ios::binary);
    if (!in) {
      std::fclose(f);
      throw InputError(parts[k], "", "cannot open");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    std::size_t from = 0;
    if (csv) {  // one header: the first part's; the others must match it
      const std::size_t newline = text.find('\n');
      const std::size_t body = newline == std::string::npos ? text.size() : newline + 1;
      if (k == 0) {
        header = text.substr(0, body);
      } else {
        if (text.compare(0, body, header) != 0) {
          std::fclose(f);
          throw InputError(parts[k], "header", "differs from the header of " + parts[0]);
        }
        from = body;
      }
    }
    ok = ok && std::fwrite(text.data() + from, 1, text.size() - from, f) == text.size() - from;
  }
  ok = std::fflush(f) == 0 && ok && ::fsync(fileno(f)) == 0;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) throw std::runtime_error("cannot write " + file.temp_path());
  file.commit();
}

std::int64_t merge_sqlite_outputs(const std::vector<std::string>& parts, const std::string& out,
                                  const RunRecord& run) {
  Db db(out);
  db.exec("PRAGMA synchronous=NORMAL");
  db.exec("BEGIN IMMEDIATE");
  db.exec("CREATE TABLE IF NOT EXISTS runs (run_id INTEGER PRIMARY KEY, spec_hash TEXT, spec_text TEXT, "
          "astra_sweep_version TEXT, git_commit TEXT, backend TEXT, device_name TEXT, started_at TEXT, ended_at TEXT, "
          "points INTEGER, status TEXT, first_point INTEGER, end_point INTEGER, next_point INTEGER, shard TEXT, "
          "columns TEXT, rows_written INTEGER)");
  db.exec("CREATE TABLE IF NOT EXISTS results (run_id INTEGER NOT NULL, point_index INTEGER NOT NULL, "
          "PRIMARY KEY (run_id, point_index))");
  db.exec(fmt::format(
      "INSERT INTO runs (spec_hash, spec_text, astra_sweep_version, git_commit, backend, device_name, started_at, "
      "points, status, first_point, end_point, next_point, shard, columns, rows_written) VALUES "
      "({}, {}, {}, {}, {}, {}, {}, {}, 'running', {}, {}, {}, {}, {}, 0)",
      sql_text(run.spec_hash), sql_text(run.spec_text), sql_text(run.version), sql_text(run.git_commit),
      sql_text(run.backend), sql_text(run.device_name), sql_text(run.started_at), run.end_point - run.first_point,
      run.first_point, run.end_point, run.first_point, sql_text(run.shard), sql_text(run.columns)));
  const std::int64_t run_id = sqlite3_last_insert_rowid(db.handle());
  std::set<std::string> have;
  for (const auto& r : db.rows("PRAGMA main.table_info(results)")) have.insert(r[1]);
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (!std::filesystem::exists(parts[k])) throw InputError(parts[k], "", "cannot open");
    Db part(parts[k]);
    const auto found = part.rows("SELECT run_id FROM runs WHERE status = 'complete' ORDER BY run_id DESC LIMIT 1");
    if (found.empty()) throw InputError(parts[k], "runs", "holds no complete run");
    std::string names, slots;
    for (const auto& r : part.rows("PRAGMA table_info(results)")) {
      if (r[1] == "run_id") continue;
      if (!have.count(r[1])) {
        db.exec("ALTER TABLE results ADD COLUMN " + quoted(r[1]) + " " + r[2]);
        have.insert(r[1]);
      }
      names += (names.empty() ? "" : ", ") + quoted(r[1]);
      slots += ", ?";
    }
    sqlite3_stmt* select = nullptr;
    sqlite3_stmt* insert = nullptr;
    const std::string select_sql =
        "SELECT " + names + " FROM results WHERE run_id = " + found[0][0] + " ORDER BY point_index";
    const std::string insert_sql = "INSERT INTO results (run_id, " + names + ") VALUES (?" + slots + ")";
    if (sqlite3_prepare_v2(part.handle(), select_sql.c_str(), -1, &select, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db.handle(), insert_sql.c_str(), -1, &insert, nullptr) != SQLITE_OK) {
      sqlite3_finalize(select);
      throw std::runtime_error("sqlite merge: cannot prepare: " + std::string(sqlite3_errmsg(db.handle())));
    }
    bool ok = true;
    while (ok && sqlite3_step(select) == SQLITE_ROW) {
      sqlite3_bind_int64(insert, 1, run_id);
      for (int c = 0; c < sqlite3_column_count(select); ++c)
        sqlite3_bind_value(insert, c + 2, sqlite3_column_value(select, c));
      ok = sqlite3_step(insert) == SQLITE_DONE;
      sqlite3_reset(insert);
    }
    const std::string err = sqlite3_errmsg(db.handle());
    sqlite3_finalize(select);
    sqlite3_finalize(insert);
    if (!ok) throw std::runtime_error("sqlite merge of " + parts[k] + ": " + err);
  }
  db.exec(fmt::format("UPDATE runs SET status = 'complete', ended_at = {}, next_point = end_point, rows_written = "
                      "(SELECT count(*) FROM results WHERE run_id = {}) WHERE run_id = {}",
                      sql_text(utc_timestamp_now()), run_id, run_id));
  db.exec("COMMIT");
  return run_id;
}

}  // namespace astra
