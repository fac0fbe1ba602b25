// SQLite output: the embedded results store of nightly runs. One file holds many runs:
//   runs(run_id, spec_hash, spec_text, astra_sweep_version, git_commit, backend, device_name,
//        started_at, ended_at, points, status running|complete|interrupted,
//        first_point, end_point, next_point, shard, columns, rows_written)
//   results(run_id, point_index, <one typed column per output column>), key (run_id, point_index)
// A run's rows go in by a prepared INSERT inside transactions; each checkpoint (after a batch,
// at most once per checkpoint interval) commits the rows together with runs.next_point, so a run
// killed at any moment is left with a consistent prefix that --resume continues. Columns that an
// earlier run's table lacks are added (ALTER TABLE ADD COLUMN).
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "host/input/input_error.hpp"
#include "host/sweep/output/run_record.hpp"
#include "host/sweep/output/result_writer.hpp"

namespace astra {
namespace {

std::string quoted_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

const char* sql_type(CellType t) {
  return t == CellType::Real ? "REAL" : t == CellType::Text ? "TEXT" : "INTEGER";
}

class SqliteWriter final : public ResultWriter {
 public:
  SqliteWriter(const std::string& path, const std::vector<Column>& columns, const RunRecord& run, bool resume,
               double checkpoint_seconds, std::string& note)
      : path_(path), checkpoint_seconds_(checkpoint_seconds), next_point_(run.first_point),
        unknown_range_(run.first_point == 0 && run.end_point == 0) {
    note.clear();
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) fail("cannot open");
    sqlite3_busy_timeout(db_, 60000);
    exec("PRAGMA synchronous=NORMAL");
    exec("BEGIN IMMEDIATE");
    exec("CREATE TABLE IF NOT EXISTS runs (run_id INTEGER PRIMARY KEY, spec_hash TEXT, spec_text TEXT, "
         "astra_sweep_version TEXT, git_commit TEXT, backend TEXT, device_name TEXT, started_at TEXT, ended_at TEXT, "
         "points INTEGER, status TEXT, first_point INTEGER, end_point INTEGER, next_point INTEGER, shard TEXT, "
         "columns TEXT, rows_written INTEGER)");
    exec("CREATE TABLE IF NOT EXISTS results (run_id INTEGER NOT NULL, point_index INTEGER NOT NULL, "
         "PRIMARY KEY (run_id, point_index))");
    std::set<std::string> existing;
    {
      sqlite3_stmt* info = prepare("PRAGMA table_info(results)");
      while (sqlite3_step(info) == SQLITE_ROW)
        existing.insert(reinterpret_cast<const char*>(sqlite3_column_text(info, 1)));
      sqlite3_finalize(info);
    }
    if (!existing.count("run_id")) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close(db_);
      db_ = nullptr;
      throw InputError("--out", path, "its results table has no run_id column (not a results store); use another file");
    }
    std::string insert_columns = "run_id", values = "?";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (columns[c].kind == ColumnKind::PointIndex) point_index_column_ = static_cast<int>(c);
      if (!existing.count(columns[c].name))
        exec("ALTER TABLE results ADD COLUMN " + quoted_identifier(columns[c].name) + " " + sql_type(columns[c].type));
      insert_columns += ", " + quoted_identifier(columns[c].name);
      values += ", ?";
    }
    if (point_index_column_ < 0) {  // the key needs it: number the rows
      insert_columns += ", point_index";
      values += ", ?";
    }
    insert_ = prepare("INSERT INTO results (" + insert_columns + ") VALUES (" + values + ")");

    if (resume) {
      sqlite3_stmt* find = prepare(
          "SELECT run_id, next_point, rows_written FROM runs WHERE spec_hash = ? AND first_point = ? AND "
          "end_point = ? AND columns = ? AND status != 'complete' ORDER BY run_id DESC LIMIT 1");
      sqlite3_bind_text(find, 1, run.spec_hash.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(find, 2, static_cast<sqlite3_int64>(run.first_point));
      sqlite3_bind_int64(find, 3, static_cast<sqlite3_int64>(run.end_point));
      sqlite3_bind_text(find, 4, run.columns.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(find) == SQLITE_ROW) {
        run_id_ = sqlite3_column_int64(find, 0);
        next_point_ = static_cast<std::uint64_t>(sqlite3_column_int64(find, 1));
        rows_written_ = static_cast<std::uint64_t>(sqlite3_column_int64(find, 2));
      }
      sqlite3_finalize(find);
      if (run_id_ >= 0) {
        // Rows committed past the last checkpoint (a transaction of a batch still in flight) go.
        exec(fmt::format("DELETE FROM results WHERE run_id = {} AND point_index >= {}", run_id_, next_point_));
        sqlite3_stmt* update = prepare(
            "UPDATE runs SET status = 'running', ended_at = NULL, backend = ?, device_name = ? WHERE run_id = ?");
        sqlite3_bind_text(update, 1, run.backend.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(update, 2, run.device_name.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(update, 3, run_id_);
        step_done(update);
        note = fmt::format("resuming run {} in {}: {} of {} points already done", run_id_, path,
                           next_point_ - run.first_point, run.end_point - run.first_point);
      } else {
        note = "nothing to resume in " + path + "; starting a new run";
      }
    }
    if (run_id_ < 0) {
      sqlite3_stmt* add = prepare(
          "INSERT INTO runs (spec_hash, spec_text, astra_sweep_version, git_commit, backend, device_name, started_at, "
          "points, status, first_point, end_point, next_point, shard, columns, rows_written) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, 0)");
      const std::string* texts[] = {&run.spec_hash, &run.spec_text, &run.version, &run.git_commit,
                                    &run.backend,   &run.device_name, &run.started_at};
      for (int k = 0; k < 7; ++k) sqlite3_bind_text(add, k + 1, texts[k]->c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(add, 8, static_cast<sqlite3_int64>(run.end_point - run.first_point));
      sqlite3_bind_int64(add, 9, static_cast<sqlite3_int64>(run.first_point));
      sqlite3_bind_int64(add, 10, static_cast<sqlite3_int64>(run.end_point));
      sqlite3_bind_int64(add, 11, static_cast<sqlite3_int64>(run.first_point));
      sqlite3_bind_text(add, 12, run.shard.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(add, 13, run.columns.c_str(), -1, SQLITE_TRANSIENT);
      step_done(add);
      run_id_ = sqlite3_last_insert_rowid(db_);
    }
    exec("COMMIT");
    exec("BEGIN");
    last_commit_ = std::chrono::steady_clock::now();
  }

  ~SqliteWriter() override {
    if (insert_) sqlite3_finalize(insert_);
    if (db_) {
      // Failed half-way (an exception): what is checkpointed stays, marked interrupted.
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_exec(db_, fmt::format("UPDATE runs SET status = 'interrupted' WHERE run_id = {}", run_id_).c_str(),
                   nullptr, nullptr, nullptr);
      sqlite3_close(db_);
    }
  }

  std::int64_t run_id() const { return run_id_; }
  std::uint64_t resume_point() const { return next_point_; }

  void write_row(const std::vector<Cell>& cells) override {
    sqlite3_bind_int64(insert_, 1, run_id_);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const int k = static_cast<int>(c) + 2;
      const Cell& cell = cells[c];
      switch (cell.type) {
        case CellType::Null: sqlite3_bind_null(insert_, k); break;
        case CellType::Int: sqlite3_bind_int64(insert_, k, cell.i); break;
        case CellType::UInt: sqlite3_bind_int64(insert_, k, static_cast<sqlite3_int64>(cell.u)); break;
        case CellType::Real:
          if (std::isfinite(cell.r)) sqlite3_bind_double(insert_, k, cell.r);
          else sqlite3_bind_null(insert_, k);
          break;
        case CellType::Text:
          sqlite3_bind_text(insert_, k, cell.text.data(), static_cast<int>(cell.text.size()), SQLITE_TRANSIENT);
          break;
      }
    }
    if (point_index_column_ < 0)
      sqlite3_bind_int64(insert_, static_cast<int>(cells.size()) + 2, static_cast<sqlite3_int64>(rows_written_));
    if (sqlite3_step(insert_) != SQLITE_DONE) fail("insert into");
    sqlite3_reset(insert_);
    ++rows_written_;
    if (++rows_in_transaction_ >= 50000) {  // bounded transactions; resume drops rows past next_point
      exec("COMMIT");
      exec("BEGIN");
      rows_in_transaction_ = 0;
    }
  }

  void checkpoint(std::uint64_t next_point) override {
    next_point_ = next_point;
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - last_commit_).count() < checkpoint_seconds_)
      return;
    record_progress("running");
    exec("BEGIN");
  }

  void mark_interrupted() override { finish("interrupted"); }

  void commit() override { finish("complete"); }

 private:
  void record_progress(const char* status) {
    exec(fmt::format("UPDATE runs SET next_point = {}, rows_written = {}, status = '{}'{} WHERE run_id = {}",
                     next_point_, rows_written_, status,
                     std::string(status) == "running" ? "" : ", ended_at = '" + utc_timestamp_now() + "'", run_id_));
    exec("COMMIT");
    rows_in_transaction_ = 0;
    last_commit_ = std::chrono::steady_clock::now();
  }

  void finish(const char* status) {
    if (std::string(status) == "complete") {
      // commit() comes after the last row: every point of the range is done.
      if (unknown_range_)
        exec(fmt::format("UPDATE runs SET end_point = {0}, points = {0} WHERE run_id = {1}", rows_written_, run_id_));
      exec(fmt::format("UPDATE runs SET next_point = end_point WHERE run_id = {}", run_id_));
      sqlite3_stmt* end = prepare(fmt::format("SELECT end_point FROM runs WHERE run_id = {}", run_id_));
      if (sqlite3_step(end) == SQLITE_ROW) next_point_ = static_cast<std::uint64_t>(sqlite3_column_int64(end, 0));
      sqlite3_finalize(end);
    }
    record_progress(status);
    sqlite3_finalize(insert_);
    insert_ = nullptr;
    if (sqlite3_close(db_) != SQLITE_OK) fail("close");
    db_ = nullptr;
  }

  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) fail(("prepare " + sql).c_str());
    return st;
  }
  void step_done(sqlite3_stmt* st) {
    const int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) fail("step");
  }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error("sqlite " + path_ + ": " + sql.substr(0, 80) + ": " + msg);
    }
  }
  [[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("sqlite ") + what + " " + path_ + ": " + (db_ ? sqlite3_errmsg(db_) : "?"));
  }

  std::string path_;
  double checkpoint_seconds_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  std::int64_t run_id_ = -1;
  int point_index_column_ = -1;
  std::uint64_t next_point_ = 0, rows_written_ = 0;
  int rows_in_transaction_ = 0;
  bool unknown_range_ = false;  // open_sqlite_writer: the row count is the range
  std::chrono::steady_clock::time_point last_commit_;
};

}  // namespace

std::unique_ptr<ResultWriter> open_sqlite_store(const std::string& path, const std::vector<Column>& columns,
                                                const RunRecord& run, bool resume, double checkpoint_seconds,
                                                std::uint64_t& resume_point, std::string& note) {
  auto writer = std::make_unique<SqliteWriter>(path, columns, run, resume, checkpoint_seconds, note);
  resume_point = writer->resume_point();
  return writer;
}

std::unique_ptr<ResultWriter> open_sqlite_writer(const std::string& path, const std::vector<Column>& columns) {
  RunRecord run;
  run.started_at = utc_timestamp_now();
  run.end_point = 0;  // unknown here: commit() records what was written
  for (const Column& c : columns) run.columns += (run.columns.empty() ? "" : ",") + c.name;
  std::string note;
  std::uint64_t unused = 0;
  return open_sqlite_store(path, columns, run, false, 1e300, unused, note);
}

}  // namespace astra
