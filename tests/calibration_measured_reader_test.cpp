// The measured-data readers on every published file in ../shared/measured (nccl-tests output
// as printed and the CSVs), and on bad files that must fail naming the file and the line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "host/calibration/measured_file_reader.hpp"
#include "host/calibration/nccl_size_convention.hpp"
#include "host/calibration/nccl_tests_reader.hpp"
#include "host/input/input_error.hpp"

namespace astra::calibration {
namespace {

const std::string kMeasured = std::string(ASTRA_SHARED_DIR) + "/measured";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(MeasuredReader, ReadsEveryPublishedCsv) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kMeasured)) {
    if (entry.path().extension() != ".csv") continue;
    ++files;
    for (TimeColumn c : {TimeColumn::OutOfPlace, TimeColumn::InPlace}) {
      SCOPED_TRACE(entry.path().string());
      const MeasuredTable t = read_measured_file(entry.path().string(), c);
      EXPECT_EQ(t.format, "csv");
      EXPECT_GE(t.rows.size(), 10u);
      for (std::size_t i = 1; i < t.rows.size(); ++i) EXPECT_GT(t.rows[i].size_bytes, t.rows[i - 1].size_bytes);
      for (const auto& r : t.rows) EXPECT_GT(r.time_us, 0.0);
    }
  }
  EXPECT_EQ(files, 18);
}

struct RawCase {
  const char* raw;
  const char* csv;
  std::optional<CollectiveKind> expected;  // for logs that do not name their collective
};

TEST(MeasuredReader, RawLogsMatchTheirCsvTranscriptions) {
  const RawCase cases[] = {
      {"together_H100_20260305_220043_all_reduce_ring.out", "together_h100x8_all_reduce_ring.csv", {}},
      {"together_H100_20260305_220043_all_gather_ring.out", "together_h100x8_all_gather_ring.csv", {}},
      {"together_H100_20260305_220043_reduce_scatter_ring.out", "together_h100x8_reduce_scatter_ring.csv", {}},
      {"wh8_4xh100_all_reduce.txt", "wh8_h100x4_all_reduce.csv", {}},
      {"wh8_4xh100_all_gather.txt", "wh8_h100x4_all_gather.csv", {}},
      {"wh8_4xh100_reduce_scatter.txt", "wh8_h100x4_reduce_scatter.csv", {}},
      {"issue309_A_qoofyk_2node.txt", "issue309_dell_xe9680_2node_h100_allreduce.csv", {}},
      {"keitaw_p5_nccl-test-output-v2.22.3-1.log", "aws_p5_2node_h100_allreduce_nccl2.22.3.csv",
       CollectiveKind::AllReduce},
  };
  for (const auto& c : cases) {
    for (TimeColumn col : {TimeColumn::OutOfPlace, TimeColumn::InPlace}) {
      SCOPED_TRACE(c.raw);
      const MeasuredTable raw = read_measured_file(kMeasured + "/raw/" + c.raw, col, c.expected);
      const MeasuredTable csv = read_measured_file(kMeasured + "/" + c.csv, col);
      EXPECT_EQ(raw.format, "nccl-tests");
      EXPECT_EQ(raw.collective, csv.collective);
      ASSERT_EQ(raw.rows.size(), csv.rows.size());
      EXPECT_EQ(raw.excluded.size(), csv.excluded.size());
      for (std::size_t i = 0; i < raw.rows.size(); ++i) {
        EXPECT_EQ(raw.rows[i].size_bytes, csv.rows[i].size_bytes);
        EXPECT_DOUBLE_EQ(raw.rows[i].time_us, csv.rows[i].time_us);
      }
    }
  }
}

TEST(MeasuredReader, NcclTestsTableDetails) {
  const MeasuredTable t = read_measured_file(kMeasured + "/raw/together_H100_20260305_220043_all_gather_ring.out",
                                             TimeColumn::OutOfPlace);
  EXPECT_EQ(t.collective, CollectiveKind::AllGather);
  ASSERT_EQ(t.excluded.size(), 4u);  // size-0 rows are reported, not fitted
  EXPECT_EQ(t.excluded[0].line, 19);
  EXPECT_EQ(t.rows.front().size_bytes, 128u);
  EXPECT_DOUBLE_EQ(t.rows.front().time_us, 35.05);
  EXPECT_EQ(t.rows.front().line, 23);
  const MeasuredTable ip = read_measured_file(kMeasured + "/raw/together_H100_20260305_220043_all_gather_ring.out",
                                              TimeColumn::InPlace);
  EXPECT_DOUBLE_EQ(ip.rows.front().time_us, 34.61);
}

// nccl-tests prints `count` as elements per rank; for all_gather its `size` is the output
// (count x 4 B x ranks), for the other collectives count x 4 B. ASTRA-sim's size is what each
// NPU brings in, i.e. count x 4 B: checked against every row of the published 8-GPU tables.
TEST(MeasuredReader, NcclSizeConventionMatchesTheCountColumn) {
  struct Case {
    const char* csv;
    CollectiveKind kind;
  };
  for (const Case c : {Case{"together_h100x8_all_gather_ring.csv", CollectiveKind::AllGather},
                       Case{"together_h100x8_reduce_scatter_ring.csv", CollectiveKind::ReduceScatter},
                       Case{"together_h100x8_all_reduce_ring.csv", CollectiveKind::AllReduce}}) {
    const std::string text = slurp(kMeasured + "/" + c.csv);
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line);  // header
    int rows = 0;
    while (std::getline(lines, line)) {
      std::vector<std::string> f;
      std::stringstream ss(line);
      std::string field;
      while (std::getline(ss, field, ',')) f.push_back(field);
      const std::uint64_t size = std::stoull(f[2]), count = std::stoull(f[3]);
      const std::uint64_t per_npu = astra_size_from_nccl_size(c.kind, size, 8);
      if (c.kind == CollectiveKind::ReduceScatter) {
        EXPECT_EQ(per_npu, count * 4 * 8) << line;  // count is the per-rank output
      } else {
        EXPECT_EQ(per_npu, count * 4) << line;
      }
      ++rows;
    }
    EXPECT_GE(rows, 31);
  }
}

TEST(MeasuredReader, StripsMpirunTagsAnywhereInALine) {
  EXPECT_EQ(strip_mpirun_tags("[1,0]<stdout>:   8   2 float sum -1[1,0]<stdout>:  85.70"),
            "   8   2 float sum -1  85.70");
  EXPECT_EQ(strip_mpirun_tags("[12,3]<stderr>:x[a,0]<stdout>:"), "x[a,0]<stdout>:");
}

TEST(MeasuredReader, SimpleCsvAndCollectiveOption) {
  const std::string text = "collective,size_bytes,time_us\nall_reduce,1024,10.5\nall_reduce,2048,11\n";
  const auto t = parse_measured_text(text, "x.csv", TimeColumn::OutOfPlace);
  EXPECT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1].line, 3);
  const auto no_collective = parse_measured_text("size_bytes,time_us\n8,1\n", "y.csv", TimeColumn::OutOfPlace,
                                                 CollectiveKind::AllGather);
  EXPECT_EQ(no_collective.collective, CollectiveKind::AllGather);
}

// Expects an InputError whose message names the file and the given line.
void expect_error_at(const std::string& text, const std::string& line, const std::string& reason_part,
                     std::optional<CollectiveKind> expected = std::nullopt) {
  try {
    parse_measured_text(text, "bad.txt", TimeColumn::OutOfPlace, expected);
    ADD_FAILURE() << "no error for:\n" << text;
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("bad.txt"), std::string::npos) << what;
    EXPECT_EQ(e.field(), line) << what;
    EXPECT_NE(what.find(reason_part), std::string::npos) << what;
  }
}

const std::string kHeader =
    "# Collective test starting: all_reduce_perf\n"
    "#       size         count      type   redop    root     time   algbw   busbw  #wrong     time   algbw   busbw  #wrong\n"
    "#        (B)    (elements)                               (us)  (GB/s)  (GB/s)             (us)  (GB/s)  (GB/s)\n";

std::string row(const std::string& size, const std::string& time) {
  return "  " + size + "   2   float   sum   -1   " + time + "   0.00   0.00   0   1.0   0.00   0.00   0\n";
}

TEST(MeasuredReader, BadFilesNameTheLine) {
  expect_error_at("hello\nNCCL INFO nothing here\n", "line 2", "no nccl-tests table");
  expect_error_at(kHeader + row("8", "1.0") + row("16", "abc"), "line 5", "not a number");
  expect_error_at(kHeader + row("8", "1.0") + row("16", "0"), "line 5", "> 0");
  expect_error_at(kHeader + row("8", "1.0") + row("16", "-3.5"), "line 5", "> 0");
  expect_error_at(kHeader + row("64", "1.0") + row("32", "2.0"), "line 5", "does not increase");
  expect_error_at(kHeader + row("64", "1.0") + row("0", "2.0"), "line 5", "size 0 after");
  expect_error_at(kHeader + row("8", "1.0") + "  16   4   float\n", "line 5", "fields");
  expect_error_at(kHeader + row("8", "1.0") + "# Collective test starting: all_gather_perf\n", "line 5",
                  "mixed collectives");
  expect_error_at(kHeader + row("8", "1.0") + "# Out of bounds values : 0 OK\n" + kHeader.substr(kHeader.find('\n') + 1),
                  "line 6", "second nccl-tests table");
  expect_error_at(kHeader + row("8", "nan"), "line 4", "not a number");
  expect_error_at(kHeader + row("8", "1.0"), "line 1", "not all_gather", CollectiveKind::AllGather);
  // CSV
  expect_error_at("collective,size_bytes,time_us\nall_reduce,8,1\nall_gather,16,2\n", "line 3", "mixed collectives");
  expect_error_at("collective,size_bytes,time_us\nall_reduce,8,1\nall_reduce,16,x2\n", "line 3", "not a number");
  expect_error_at("collective,size_bytes,time_us\nall_reduce,8,1\nall_reduce,4,2\n", "line 3", "does not increase");
  expect_error_at("collective,size_bytes,time_us\nall_reduce,8,1\nall_reduce,16\n", "line 3", "fields");
  expect_error_at("collective,size_bytes,time_us\nall_reduce,8,0\n", "line 2", "> 0");
  expect_error_at("collective,size_bytes\nall_reduce,8\n", "line 1", "time_us");
  expect_error_at("size_bytes,time_us\n8,1\n", "collective", "--collective");
}

TEST(MeasuredReader, NoiseRowInTableIsSkippedNotFitted) {
  const auto t = parse_measured_text(kHeader + row("8", "1.0") + "node1:12:34 [0] NCCL INFO hello\n" +
                                         "some other noise\n" + row("16", "2.0"),
                                     "ok.txt", TimeColumn::OutOfPlace);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1].line, 7);
}

}  // namespace
}  // namespace astra::calibration
