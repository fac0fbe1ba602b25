// Result writers: CSV, JSON Lines and SQLite contents, and atomic replacement of the output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "host/common/atomic_output_file.hpp"
#include "host/input/input_error.hpp"
#include "host/sweep/output/result_writer.hpp"

namespace astra {
namespace {

std::vector<Column> columns() {
  return {{"point_index", ColumnKind::PointIndex, -1, CellType::UInt},
          {"latency_ns", ColumnKind::Axis, 0, CellType::Real},
          {"topology", ColumnKind::Axis, 1, CellType::Text},
          {"exposed_comm_ns", ColumnKind::ExposedCommNs, -1, CellType::Int},
          {"reason", ColumnKind::Reason, -1, CellType::Text}};
}

std::vector<std::vector<Cell>> rows() {
  Cell index0{CellType::UInt, 0, 0, 0.0, {}}, index1{CellType::UInt, 0, 1, 0.0, {}};
  Cell lat0{CellType::Real, 0, 0, 936.25, {}}, lat1{CellType::Real, 0, 0, 0.1, {}};
  Cell ring{CellType::Text, 0, 0, 0.0, "Ring"}, sw{CellType::Text, 0, 0, 0.0, "Sw\"itch"};
  Cell exposed{CellType::Int, -42, 0, 0.0, {}}, null{};
  Cell reason{CellType::Text, 0, 0, 0.0, "npus_count: a, b\nc"};
  return {{index0, lat0, ring, exposed, null}, {index1, lat1, sw, null, reason}};
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string write(const std::string& name) {
  const std::string path = ::testing::TempDir() + name;
  auto w = open_result_writer(path, columns());
  for (const auto& r : rows()) w->write_row(r);
  // Text files appear on commit; the SQLite store is a database of runs, where the run is
  // marked complete on commit instead (tests/nightly_test.cpp).
  if (name.find(".sqlite") == std::string::npos)
    EXPECT_FALSE(std::filesystem::exists(path)) << "visible before commit";
  w->commit();
  return path;
}

TEST(ResultWriters, CsvQuotesAndFormatsNumbersExactly) {
  const std::string path = ::testing::TempDir() + "w.csv";
  std::filesystem::remove(path);
  EXPECT_EQ(slurp(write("w.csv")),
            "point_index,latency_ns,topology,exposed_comm_ns,reason\n"
            "0,936.25,Ring,-42,\n"
            "1,0.1,\"Sw\"\"itch\",,\"npus_count: a, b\nc\"\n");
}

TEST(ResultWriters, JsonLinesOneObjectPerRowWithNulls) {
  std::filesystem::remove(::testing::TempDir() + "w.jsonl");
  EXPECT_EQ(slurp(write("w.jsonl")),
            "{\"point_index\":0,\"latency_ns\":936.25,\"topology\":\"Ring\",\"exposed_comm_ns\":-42,\"reason\":null}\n"
            "{\"point_index\":1,\"latency_ns\":0.1,\"topology\":\"Sw\\\"itch\",\"exposed_comm_ns\":null,"
            "\"reason\":\"npus_count: a, b\\nc\"}\n");
}

TEST(ResultWriters, SqliteTableHoldsTypedRows) {
  std::filesystem::remove(::testing::TempDir() + "w.sqlite");
  const std::string path = write("w.sqlite");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT point_index, latency_ns, topology, exposed_comm_ns, reason FROM results ORDER BY point_index",
                               -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(st, 0), 0);
  EXPECT_EQ(sqlite3_column_double(st, 1), 936.25);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 2)), "Ring");
  EXPECT_EQ(sqlite3_column_int64(st, 3), -42);
  EXPECT_EQ(sqlite3_column_type(st, 4), SQLITE_NULL);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_type(st, 3), SQLITE_NULL);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 4)), "npus_count: a, b\nc");
  EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT status, points FROM runs", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "complete");
  EXPECT_EQ(sqlite3_column_int64(st, 1), 2);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(ResultWriters, UncommittedOutputLeavesThePreviousFileAndNoTemporary) {
  const std::string path = ::testing::TempDir() + "keep.csv";
  std::ofstream(path) << "old\n";
  {
    auto w = open_result_writer(path, columns());
    w->write_row(rows()[0]);
    // destroyed without commit (as when a run fails half-way)
  }
  EXPECT_EQ(slurp(path), "old\n");
  for (const auto& e : std::filesystem::directory_iterator(::testing::TempDir()))
    EXPECT_EQ(e.path().filename().string().find("keep.csv.tmp"), std::string::npos) << e.path();
  auto w = open_result_writer(path, columns());
  w->commit();
  EXPECT_EQ(slurp(path), "point_index,latency_ns,topology,exposed_comm_ns,reason\n");
}

TEST(ResultWriters, UnknownExtensionIsAnInputError) {
  EXPECT_THROW(open_result_writer(::testing::TempDir() + "x.parquet", columns()), InputError);
}

}  // namespace
}  // namespace astra
