// Fast result output: to_chars text byte-identical to fmt's, parallel CSV/JSONL batches
// byte-identical to row-by-row writing, and the .npy.d columnar output (contents, atomic
// appearance, resume after a kill).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "host/nightly/part_file_output.hpp"
#include "host/sweep/output/run_record.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "host/sweep/run/sweep_runner.hpp"
#include "host/sweep/output/cell_text.hpp"
#include "host/sweep/output/columnar_output.hpp"
#include "host/sweep/output/result_writer.hpp"

namespace astra {
namespace {
namespace fs = std::filesystem;

// An empty folder under the test's temp dir (trailing slash included).
std::string fresh_temp_dir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}


std::string fast(const Cell& c) {
  std::string s;
  append_cell_text_fast(s, c);
  return s;
}
std::string reference(const Cell& c) {
  std::string s;
  append_cell_text_fmt(s, c);
  return s;
}
Cell real(double v) { return {CellType::Real, 0, 0, v, {}}; }

TEST(CellText, RealsMatchFmtAcrossMagnitudes) {
  for (double v : {0.0, -0.0, 1.0, -1.0, 0.1, 100.0, 936.25, 1e-4, 1.5e-4, 9.999e-5, 1e-5, 1e15, 1e16, 9.999999999999998e15,
                   123456789012345678.0, 1e100, 1e-100, 5e-324, std::numeric_limits<double>::max(),
                   std::numeric_limits<double>::min(), 0.18188277087033747, 2.5e22, 1048576.0, 4294967296.0})
    EXPECT_EQ(fast(real(v)), reference(real(v))) << v;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mantissa(1.0, 10.0);
  std::uniform_int_distribution<int> exponent(-30, 30);
  std::uniform_int_distribution<int> digits(0, 17);
  for (int i = 0; i < 200000; ++i) {
    double v = mantissa(rng) * std::pow(10.0, exponent(rng));
    if (i % 3 == 0) {  // short decimals (what specs write): round to a few digits
      const double scale = std::pow(10.0, digits(rng));
      v = std::round(v * scale) / scale;
    }
    if (i % 2) v = -v;
    ASSERT_EQ(fast(real(v)), reference(real(v))) << fmt::format("{:a}", v);
  }
  for (int i = 0; i < 200000; ++i) {  // arbitrary bit patterns
    std::uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    ASSERT_EQ(fast(real(v)), reference(real(v))) << bits;
  }
  EXPECT_EQ(fast(real(std::nan(""))), "");
  EXPECT_EQ(fast(real(INFINITY)), "");
}

TEST(CellText, IntegersMatchFmt) {
  for (std::int64_t v : {std::int64_t{0}, std::int64_t{-42}, std::numeric_limits<std::int64_t>::min(),
                         std::numeric_limits<std::int64_t>::max()})
    EXPECT_EQ(fast({CellType::Int, v, 0, 0.0, {}}), reference({CellType::Int, v, 0, 0.0, {}}));
  for (std::uint64_t v : {std::uint64_t{0}, std::uint64_t{5630}, std::numeric_limits<std::uint64_t>::max()})
    EXPECT_EQ(fast({CellType::UInt, 0, v, 0.0, {}}), reference({CellType::UInt, 0, v, 0.0, {}}));
}

std::vector<Column> columns() {
  return {{"point_index", ColumnKind::PointIndex, -1, CellType::UInt},
          {"latency_ns[0]", ColumnKind::Axis, 0, CellType::Real},
          {"topology", ColumnKind::Axis, 1, CellType::Text},
          {"exposed_comm_ns", ColumnKind::ExposedCommNs, -1, CellType::Int},
          {"collective_time_ns", ColumnKind::CollectiveTimeNs, -1, CellType::UInt},
          {"reason", ColumnKind::Reason, -1, CellType::Text}};
}

// Rows with every kind of cell: quoted texts, missing values, non-finite reals.
class TestRows final : public RowSource {
 public:
  explicit TestRows(std::uint64_t first, std::uint64_t count) : first_(first), count_(count) {}
  std::uint64_t size() const override { return count_; }
  const std::vector<Cell>& row(std::uint64_t k, RowScratch& s) const override {
    const std::uint64_t p = first_ + k;
    s.cells.assign(6, Cell{});
    s.cells[0] = {CellType::UInt, 0, p, 0.0, {}};
    s.cells[1] = {CellType::Real, 0, 0, p % 97 == 3 ? std::nan("") : 0.1 * static_cast<double>(p % 1000), {}};
    s.cells[2] = {CellType::Text, 0, 0, 0.0, p % 3 == 0 ? "Ring" : p % 3 == 1 ? "Sw\"itch" : "Fully,Connected"};
    if (p % 5) s.cells[3] = {CellType::Int, -static_cast<std::int64_t>(p), 0, 0.0, {}};
    if (p % 7) s.cells[4] = {CellType::UInt, 0, 1000 + p * 3, 0.0, {}};
    if (p % 11 == 0) {
      s.text = fmt::format("npus_count: {} is not\na power of two", p);
      s.cells[5] = {CellType::Text, 0, 0, 0.0, s.text};
    }
    return s.cells;
  }

 private:
  std::uint64_t first_, count_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ParallelTextWriters, BatchesAreByteIdenticalToRowByRow) {
  const std::string dir = fresh_temp_dir("fast_output_text/");
  const TestRows rows(0, 100000);  // several waves of chunks
  for (const char* ext : {".csv", ".jsonl"}) {
    {
      auto w = open_result_writer(dir + "serial" + ext, columns());
      RowScratch s;
      for (std::uint64_t k = 0; k < rows.size(); ++k) w->write_row(rows.row(k, s));
      w->commit();
    }
    {
      auto w = open_result_writer(dir + "batch" + ext, columns());
      w->write_rows(TestRows(0, 3));  // a small batch, row-by-row rows, then big batches
      RowScratch s;
      w->write_row(TestRows(3, 1).row(0, s));
      w->write_rows(TestRows(4, 60000));
      w->write_rows(TestRows(60004, 39996));
      w->commit();
    }
    const std::string serial = slurp(dir + "serial" + ext), batch = slurp(dir + "batch" + ext);
    EXPECT_GT(serial.size(), 100000u);
    EXPECT_TRUE(serial == batch) << ext;
  }
}

// A .npy file's header and data.
struct Npy {
  std::string descr;
  std::uint64_t rows = 0;
  std::string data;
};
Npy read_npy(const std::string& path) {
  const std::string bytes = slurp(path);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const std::size_t len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  EXPECT_EQ((10 + len) % 64, 0u);
  const std::string header = bytes.substr(10, len);
  Npy n;
  const auto d = header.find("'descr': '");
  n.descr = header.substr(d + 10, 3);
  n.rows = std::stoull(header.substr(header.find("'shape': (") + 10));
  n.data = bytes.substr(10 + len);
  return n;
}
template <class T>
T at(const Npy& n, std::uint64_t i) {
  T v;
  std::memcpy(&v, n.data.data() + i * sizeof(T), sizeof(T));
  return v;
}

TEST(ColumnarOutput, OneNpyPerColumnWithSchemaAppearingOnCommit) {
  const std::string dir = fresh_temp_dir("fast_output_npy/");
  const std::string out = dir + "grid.npy.d";
  {
    auto w = open_result_writer(out, columns());
    w->write_rows(TestRows(0, 50000));
    RowScratch s;
    w->write_row(TestRows(50000, 1).row(0, s));
    EXPECT_FALSE(fs::exists(out)) << "visible before commit";
    w->commit();
  }
  ASSERT_TRUE(fs::is_directory(out));
  EXPECT_FALSE(fs::exists(out + ".partial"));
  const auto schema = nlohmann::json::parse(slurp(out + "/schema.json"));
  EXPECT_EQ(schema["rows"], 50001);
  ASSERT_EQ(schema["columns"].size(), 6u);
  EXPECT_EQ(schema["columns"][1]["file"], "latency_ns_0.npy");
  EXPECT_EQ(schema["columns"][1]["unit"], "ns");
  EXPECT_EQ(schema["columns"][2]["categories"], nlohmann::json({"Ring", "Sw\"itch", "Fully,Connected"}));
  const Npy index = read_npy(out + "/point_index.npy"), lat = read_npy(out + "/latency_ns_0.npy"),
            topo = read_npy(out + "/topology.npy"), exposed = read_npy(out + "/exposed_comm_ns.npy"),
            time = read_npy(out + "/collective_time_ns.npy"), reason = read_npy(out + "/reason.npy");
  EXPECT_EQ(index.descr, "<u8");
  EXPECT_EQ(lat.descr, "<f8");
  EXPECT_EQ(topo.descr, "<i4");
  EXPECT_EQ(exposed.descr, "<i8");
  EXPECT_EQ(time.rows, 50001u);
  EXPECT_EQ(time.data.size(), 50001u * 8);
  const auto reasons = schema["columns"][5]["categories"];
  for (std::uint64_t p = 0; p <= 50000; ++p) {
    ASSERT_EQ(at<std::uint64_t>(index, p), p);
    if (p % 97 == 3) ASSERT_TRUE(std::isnan(at<double>(lat, p)));
    else ASSERT_EQ(at<double>(lat, p), 0.1 * static_cast<double>(p % 1000));
    ASSERT_EQ(at<std::int32_t>(topo, p), static_cast<std::int32_t>(p % 3));
    ASSERT_EQ(at<std::int64_t>(exposed, p), p % 5 ? -static_cast<std::int64_t>(p) : std::numeric_limits<std::int64_t>::min());
    ASSERT_EQ(at<std::uint64_t>(time, p), p % 7 ? 1000 + p * 3 : std::numeric_limits<std::uint64_t>::max());
    const std::int32_t r = at<std::int32_t>(reason, p);
    if (p % 11) ASSERT_EQ(r, -1);
    else ASSERT_EQ(reasons.at(static_cast<std::size_t>(r)), fmt::format("npus_count: {} is not\na power of two", p));
  }
  // A second run replaces the folder whole.
  {
    auto w = open_result_writer(out, columns());
    w->write_rows(TestRows(0, 10));
    w->commit();
  }
  EXPECT_EQ(nlohmann::json::parse(slurp(out + "/schema.json"))["rows"], 10);
  EXPECT_EQ(read_npy(out + "/point_index.npy").rows, 10u);
}

RunRecord record(std::uint64_t first, std::uint64_t end) {
  RunRecord r;
  r.spec_hash = stable_hash_hex("spec");
  r.first_point = first;
  r.end_point = end;
  r.columns = "point_index,latency_ns[0],topology,exposed_comm_ns,collective_time_ns,reason";
  return r;
}

TEST(ColumnarOutput, ResumesFromTheLastCheckpointWithEveryPointOnce) {
  const std::string dir = fresh_temp_dir("fast_output_npy_resume/");
  std::string note;
  std::uint64_t start = 0;
  {  // the uninterrupted run
    auto w = open_columnar_store(dir + "ref.npy.d", columns(), record(100, 9100), false, 0.0, start, note);
    for (std::uint64_t p = 100; p < 9100; p += 1000) {
      w->write_rows(TestRows(p, 1000));
      w->checkpoint(p + 1000);
    }
    w->commit();
  }
  {  // killed after the checkpoint at 3100, with rows past it on disk
    auto w = open_columnar_store(dir + "out.npy.d", columns(), record(100, 9100), false, 0.0, start, note);
    EXPECT_EQ(start, 100u);
    for (std::uint64_t p = 100; p < 3100; p += 1000) {
      w->write_rows(TestRows(p, 1000));
      w->checkpoint(p + 1000);
    }
    w->write_rows(TestRows(3100, 700));  // not checkpointed
    // destroyed without commit, as by SIGKILL
  }
  EXPECT_FALSE(fs::exists(dir + "out.npy.d"));
  EXPECT_TRUE(fs::exists(dir + "out.npy.d.partial/run.txt"));
  {
    auto w = open_columnar_store(dir + "out.npy.d", columns(), record(100, 9100), true, 0.0, start, note);
    EXPECT_EQ(start, 3100u);
    EXPECT_THAT(note, ::testing::HasSubstr("3000 of 9000 points already done"));
    for (std::uint64_t p = 3100; p < 9100; p += 1000) {
      w->write_rows(TestRows(p, 1000));
      w->checkpoint(p + 1000);
    }
    w->commit();
  }
  EXPECT_FALSE(fs::exists(dir + "out.npy.d.partial"));
  for (const auto& entry : fs::directory_iterator(dir + "ref.npy.d")) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(slurp(entry.path().string()) == slurp(dir + "out.npy.d/" + name)) << name;
  }
  // Another range does not continue it; without --resume it is discarded.
  { auto w = open_columnar_store(dir + "x.npy.d", columns(), record(0, 9), false, 0.0, start, note); }
  EXPECT_THROW(open_columnar_store(dir + "x.npy.d", columns(), record(0, 10), true, 0.0, start, note), std::exception);
  { auto w = open_columnar_store(dir + "x.npy.d", columns(), record(0, 10), false, 0.0, start, note); }
  EXPECT_THAT(note, ::testing::HasSubstr("discarded the unfinished run"));
}


// The CSV writer as it was before parallel formatting: row by row, numbers through fmt. It does
// not override write_rows, so the runner hands it one row at a time.
class LegacyCsv final : public ResultWriter {
 public:
  explicit LegacyCsv(const std::vector<Column>& columns) {
    for (std::size_t c = 0; c < columns.size(); ++c) text += (c ? "," : "") + columns[c].name;
    text += "\n";
  }
  void write_row(const std::vector<Cell>& cells) override {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) text.push_back(',');
      if (cells[c].type != CellType::Text) {
        append_cell_text_fmt(text, cells[c]);
      } else if (cells[c].text.find_first_of(",\"\n\r") == std::string_view::npos) {
        text.append(cells[c].text);
      } else {
        text.push_back('"');
        for (char ch : cells[c].text) {
          if (ch == '"') text.push_back('"');
          text.push_back(ch);
        }
        text.push_back('"');
      }
    }
    text.push_back('\n');
  }
  void commit() override {}
  std::string text;
};

// The bundled run specs: rejected, filtered and reference points, named axes, workload metrics.
const char* const kBundledRunSpecs[] = {"sweeps/hgx_h100_latency_bandwidth_size.yaml", "sweeps/mixed_backends_check.yaml",
                                        "sweeps/resnet50_design_space.yaml", "sweeps/nightly.yaml",
                                        "tests/cli/data/nightly_small.yaml"};

// Every bundled run spec through run_sweep: the plain CSV writer and the resumable part files
// (checkpoint after every small batch, so many parts) give the legacy writer's bytes.
TEST(ParallelTextWriters, BundledSpecsGiveTheLegacyCsvBytes) {
  const std::string dir = fresh_temp_dir("fast_output_specs/");
  for (const char* name : kBundledRunSpecs) {
    SCOPED_TRACE(name);
    const SweepSpec spec = load_sweep_spec(std::string(ASTRA_SOURCE_DIR) + "/" + name);
    std::string note;
    auto cpu = select_backend("cpu", spec, 0, note);
    RowBuilder rows(spec, all_columns(spec));
    SweepRunOptions options;
    options.batch_points = spec.total_points > 100000 ? 200000 : 500;
    LegacyCsv legacy(rows.columns());
    run_sweep(spec, *cpu, rows, legacy, options);
    {
      auto csv = open_result_writer(dir + "plain.csv", rows.columns());
      run_sweep(spec, *cpu, rows, *csv, options);
    }
    std::string cols;
    for (const Column& c : rows.columns()) cols += (cols.empty() ? "" : ",") + c.name;
    const RunRecord record = make_run_record(spec, 0, spec.total_points, "", cols);
    {
      PartFileOutput parts(dir + "parts.csv", rows.columns(), record, false, 0.0, note);
      run_sweep(spec, *cpu, rows, parts, options);
    }
    EXPECT_GT(legacy.text.size(), 1000u);
    EXPECT_TRUE(slurp(dir + "plain.csv") == legacy.text);
    EXPECT_TRUE(slurp(dir + "parts.csv") == legacy.text);
  }
}

// Forwards rows one by one (no write_rows of its own: the runner's rows arrive as cells).
class RowByRow final : public ResultWriter {
 public:
  explicit RowByRow(std::unique_ptr<ResultWriter> w) : w_(std::move(w)) {}
  void write_row(const std::vector<Cell>& cells) override { w_->write_row(cells); }
  void commit() override { w_->commit(); }

 private:
  std::unique_ptr<ResultWriter> w_;
};

// The columnar fast path (RowBuilder::fill_columns, number columns written in place by the
// workers) gives the same files as the cells of RowBuilder::build written row by row, on every
// bundled spec (rejected, filtered and reference points, named axes, workload metrics) with
// batches that do not fall on chunk boundaries.
TEST(ColumnarOutput, BundledSpecsGiveTheRowByRowColumns) {
  const std::string dir = fresh_temp_dir("fast_output_npy_specs/");
  for (const char* name : kBundledRunSpecs) {
    SCOPED_TRACE(name);
    const SweepSpec spec = load_sweep_spec(std::string(ASTRA_SOURCE_DIR) + "/" + name);
    std::string note;
    auto cpu = select_backend("cpu", spec, 0, note);
    RowBuilder rows(spec, all_columns(spec));
    SweepRunOptions options;
    options.batch_points = 7777;
    if (spec.total_points > 100000) {  // a stretch of the big grid, from a point inside it
      options.first_point = 123457;
      options.end_point = 223457;
    }
    {
      auto fast = open_result_writer(dir + "fast.npy.d", rows.columns());
      run_sweep(spec, *cpu, rows, *fast, options);
    }
    {
      RowByRow slow(open_result_writer(dir + "slow.npy.d", rows.columns()));
      run_sweep(spec, *cpu, rows, slow, options);
    }
    // Numbers byte for byte; text columns as texts (their codes follow the order in which each
    // path met the texts).
    const auto fast_schema = nlohmann::json::parse(slurp(dir + "fast.npy.d/schema.json"));
    const auto slow_schema = nlohmann::json::parse(slurp(dir + "slow.npy.d/schema.json"));
    EXPECT_EQ(fast_schema["rows"], slow_schema["rows"]);
    ASSERT_EQ(fast_schema["columns"].size(), slow_schema["columns"].size());
    std::size_t files = 0;
    for (std::size_t c = 0; c < slow_schema["columns"].size(); ++c) {
      const auto& f = fast_schema["columns"][c];
      const auto& s = slow_schema["columns"][c];
      const std::string file = s["file"];
      SCOPED_TRACE(file);
      EXPECT_EQ(f["file"], s["file"]);
      EXPECT_EQ(f["dtype"], s["dtype"]);
      const Npy fast = read_npy(dir + "fast.npy.d/" + file), slow = read_npy(dir + "slow.npy.d/" + file);
      EXPECT_EQ(fast.rows, slow.rows);
      ++files;
      if (!s.contains("categories")) {
        EXPECT_TRUE(fast.data == slow.data);
        continue;
      }
      ASSERT_EQ(fast.data.size(), slow.data.size());
      auto text = [](const nlohmann::json& categories, std::int32_t code) {
        return code < 0 ? std::string("<none>") : categories.at(static_cast<std::size_t>(code)).get<std::string>();
      };
      std::size_t differ = 0;
      for (std::uint64_t i = 0; i < slow.rows; ++i)
        differ += text(f["categories"], at<std::int32_t>(fast, i)) != text(s["categories"], at<std::int32_t>(slow, i));
      EXPECT_EQ(differ, 0u);
    }
    EXPECT_EQ(files, rows.columns().size());
  }
}

}  // namespace
}  // namespace astra
