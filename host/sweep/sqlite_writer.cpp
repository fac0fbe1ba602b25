// SQLite output: one table `results` with a typed column per output column, filled by a
// prepared INSERT inside transactions of 50,000 rows; the database file is renamed into place
// when complete.
#include <sqlite3.h>

#include <cmath>
#include <stdexcept>

#include "sweep/atomic_output_file.hpp"
#include "sweep/result_writer.hpp"

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

class SqliteWriter final : public ResultWriter {
 public:
  SqliteWriter(const std::string& path, const std::vector<Column>& columns) : file_(path) {
    if (sqlite3_open(file_.temp_path().c_str(), &db_) != SQLITE_OK) fail("cannot open");
    exec("PRAGMA journal_mode=OFF");
    exec("PRAGMA synchronous=OFF");
    std::string create = "CREATE TABLE results (";
    std::string insert = "INSERT INTO results VALUES (";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const char* type = columns[c].type == CellType::Real ? "REAL"
                         : columns[c].type == CellType::Text ? "TEXT"
                                                             : "INTEGER";
      create += (c ? ", " : "") + quoted_identifier(columns[c].name) + " " + type;
      insert += c ? ", ?" : "?";
    }
    exec(create + ")");
    if (sqlite3_prepare_v2(db_, (insert + ")").c_str(), -1, &insert_, nullptr) != SQLITE_OK) fail("prepare");
    exec("BEGIN");
  }
  ~SqliteWriter() override {
    if (insert_) sqlite3_finalize(insert_);
    if (db_) sqlite3_close(db_);
  }

  void write_row(const std::vector<Cell>& cells) override {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const int k = static_cast<int>(c) + 1;
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
    if (sqlite3_step(insert_) != SQLITE_DONE) fail("insert");
    sqlite3_reset(insert_);
    if (++rows_in_transaction_ >= 50000) {
      exec("COMMIT");
      exec("BEGIN");
      rows_in_transaction_ = 0;
    }
  }

  void commit() override {
    exec("COMMIT");
    sqlite3_finalize(insert_);
    insert_ = nullptr;
    if (sqlite3_close(db_) != SQLITE_OK) fail("close");
    db_ = nullptr;
    file_.commit();
  }

 private:
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error("sqlite " + file_.temp_path() + ": " + sql + ": " + msg);
    }
  }
  [[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("sqlite ") + what + " " + file_.temp_path() + ": " +
                             (db_ ? sqlite3_errmsg(db_) : "?"));
  }
  AtomicOutputFile file_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  int rows_in_transaction_ = 0;
};

}  // namespace

std::unique_ptr<ResultWriter> open_sqlite_writer(const std::string& path, const std::vector<Column>& columns) {
  return std::make_unique<SqliteWriter>(path, columns);
}

}  // namespace astra
