// Nightly-run building blocks: shard blocks partition the points; the resumable CSV output and
// the SQLite store continue an interrupted run with every point exactly once; the diff finds a
// moved metric and where it concentrates; base64 as RFC 4648 has it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "host/input/input_error.hpp"
#include "host/nightly/markdown_html.hpp"
#include "host/nightly/part_file_output.hpp"
#include "host/nightly/result_table.hpp"
#include "host/nightly/run_diff.hpp"
#include "host/nightly/run_output.hpp"
#include "host/nightly/shard_range.hpp"

namespace astra {
namespace {

namespace fs = std::filesystem;

TEST(ShardRange, BlocksPartitionThePointsInOrder) {
  for (std::uint64_t points : {0ULL, 1ULL, 7ULL, 264ULL, 1000003ULL, (1ULL << 62) + 5}) {
    for (std::uint64_t n : {1ULL, 2ULL, 3ULL, 7ULL, 300ULL}) {
      std::uint64_t next = 0, smallest = ~0ULL, largest = 0;
      for (std::uint64_t k = 0; k < n; ++k) {
        const ShardRange s = shard_of(k, n, points);
        EXPECT_EQ(s.first, next) << points << " " << k << "/" << n;
        EXPECT_LE(s.first, s.end);
        smallest = std::min(smallest, s.end - s.first);
        largest = std::max(largest, s.end - s.first);
        next = s.end;
      }
      EXPECT_EQ(next, points);
      EXPECT_LE(largest - smallest, 1u);
    }
  }
}

TEST(ShardRange, ParsesKOfN) {
  const ShardRange s = parse_shard("2/5");
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 5u);
  for (const char* bad : {"5/5", "1", "a/2", "1/0", "/2", "1/", "1/2/3", " 1/2"})
    EXPECT_THROW(parse_shard(bad), InputError) << bad;
}

std::vector<Column> test_columns() {
  return {{"point_index", ColumnKind::PointIndex, -1, CellType::UInt},
          {"latency_ns", ColumnKind::Axis, 0, CellType::Real},
          {"collective_time_ns", ColumnKind::CollectiveTimeNs, -1, CellType::UInt}};
}

void write_point(ResultWriter& w, std::uint64_t p) {
  std::vector<Cell> cells(3);
  cells[0] = {CellType::UInt, 0, p, 0.0, {}};
  cells[1] = {CellType::Real, 0, 0, 100.0 + static_cast<double>(p % 4), {}};
  cells[2] = {CellType::UInt, 0, 1000 + p * 3, 0.0, {}};
  w.write_row(cells);
}

RunRecord record(std::uint64_t first, std::uint64_t end) {
  RunRecord r;
  r.spec_hash = stable_hash_hex("spec");
  r.first_point = first;
  r.end_point = end;
  r.columns = "point_index,latency_ns,collective_time_ns";
  return r;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

// Writes points [from, to) with a checkpoint every `every` points, as run_sweep does.
void write_range(ResultWriter& w, std::uint64_t from, std::uint64_t to, std::uint64_t every) {
  for (std::uint64_t p = from; p < to; ++p) {
    write_point(w, p);
    if ((p + 1) % every == 0) w.checkpoint(p + 1);
  }
}

TEST(PartFileOutput, ResumesAfterTheLastCheckpointWithEveryPointOnce) {
  const std::string dir = ::testing::TempDir() + "part_output/";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string note;
  {  // the uninterrupted run
    PartFileOutput w(dir + "ref.csv", test_columns(), record(10, 50), false, 0.0, note);
    write_range(w, 10, 50, 4);
    w.commit();
  }
  {  // killed: rows of points 10..29 written, the last checkpoint at 28
    PartFileOutput w(dir + "out.csv", test_columns(), record(10, 50), false, 0.0, note);
    EXPECT_EQ(w.resume_point(), 10u);
    write_range(w, 10, 30, 4);
    // destroyed without commit or mark_interrupted, as by SIGKILL
  }
  EXPECT_FALSE(fs::exists(dir + "out.csv"));
  {
    PartFileOutput w(dir + "out.csv", test_columns(), record(10, 50), true, 0.0, note);
    EXPECT_EQ(w.resume_point(), 28u);
    EXPECT_THAT(note, ::testing::HasSubstr("18 of 40 points already done"));
    write_range(w, 28, 50, 4);
    w.commit();
  }
  EXPECT_EQ(slurp(dir + "out.csv"), slurp(dir + "ref.csv"));
  EXPECT_FALSE(fs::exists(dir + "out.csv.parts"));
  // another range does not continue these parts
  { PartFileOutput w(dir + "x.csv", test_columns(), record(0, 9), false, 0.0, note); write_range(w, 0, 5, 2); }
  EXPECT_THROW(PartFileOutput(dir + "x.csv", test_columns(), record(0, 10), true, 0.0, note), InputError);
}

TEST(SqliteStore, ResumesTheUnfinishedRunFromItsCheckpoint) {
  const std::string path = ::testing::TempDir() + "store_resume.sqlite";
  fs::remove(path);
  std::uint64_t start = 99;
  std::string note;
  {
    auto w = open_sqlite_store(path, test_columns(), record(0, 40), true, 0.0, start, note);
    EXPECT_EQ(start, 0u);
    write_range(*w, 0, 23, 5);  // checkpoint at 20; rows 20..22 are past it
  }
  {
    auto w = open_sqlite_store(path, test_columns(), record(0, 40), true, 0.0, start, note);
    EXPECT_EQ(start, 20u);
    write_range(*w, 20, 40, 5);
    w->commit();
  }
  const ResultTable t = read_result_table(path);
  ASSERT_EQ(t.rows.size(), 40u);
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    EXPECT_EQ(t.rows[r][0], std::to_string(r));
    EXPECT_EQ(t.rows[r][2], std::to_string(1000 + r * 3));
  }
  EXPECT_THAT(t.metadata, ::testing::Contains(std::make_pair(std::string("status"), std::string("complete"))));
  // a later run is a new run; the complete one is not resumed
  auto w = open_sqlite_store(path, test_columns(), record(0, 40), true, 0.0, start, note);
  EXPECT_EQ(start, 0u);
}

ResultTable table(std::vector<std::vector<std::string>> rows) {
  ResultTable t;
  t.source = "t";
  t.columns = {"point_index", "latency_ns", "status", "busbw_GBps"};
  t.rows = std::move(rows);
  return t;
}

TEST(RunDiff, FindsMovedMetricsAndWhereTheyConcentrate) {
  const ResultTable a = table({{"0", "100", "ok", "50"}, {"1", "200", "ok", "60"}, {"2", "100", "ok", "70"},
                               {"3", "200", "ok", "80"}});
  ResultTable b = a;
  DiffOptions o;
  EXPECT_FALSE(diff_runs(a, b, o).regressions());
  b.rows[1][3] = "59.9";  // -0.17%: beyond 0.1%
  b.rows[3][3] = "80.01";  // +0.0125%: within
  RunDiff d = diff_runs(a, b, o);
  EXPECT_TRUE(d.regressions());
  EXPECT_EQ(d.changed_points, 1u);
  EXPECT_EQ(d.worse_points, 1u);  // less bandwidth
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(d.changes[0].point_index, "1");
  ASSERT_EQ(d.by_axis.size(), 1u);
  EXPECT_EQ(d.by_axis[0].values[0].value, "200");
  EXPECT_EQ(d.by_axis[0].values[0].changed, 1u);
  b.rows[1][1] = "300";  // another sweep
  EXPECT_THROW(diff_runs(a, b, o), InputError);
}

TEST(MarkdownHtml, Base64AndEscaping) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  const std::string html = markdown_to_html("# T <x>\n\n| a | b |\n|---|---|\n| 1 | **2** |\n", "t", ".");
  EXPECT_THAT(html, ::testing::HasSubstr("<h1>T &lt;x&gt;</h1>"));
  EXPECT_THAT(html, ::testing::HasSubstr("<tr><th>a</th><th>b</th></tr>"));
  EXPECT_THAT(html, ::testing::HasSubstr("<td><strong>2</strong></td>"));
}

}  // namespace
}  // namespace astra
