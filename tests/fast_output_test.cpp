// Fast result output: to_chars text byte-identical to fmt's, parallel CSV/JSONL batches
// byte-identical to row-by-row writing and to the writers as they were before (bundled specs,
// resumed runs, crafted points: escapes, missing values, empty and chunk-edge batches), and the
// .npy.d columnar output (contents, atomic appearance, resume after a kill).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
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

// Every file of a folder by name.
std::map<std::string, std::string> folder_files(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) files[entry.path().filename().string()] = slurp(entry.path().string());
  return files;
}

// The columnar output cuts write_rows into chunks aligned to the files (the first chunk of a
// batch cut short) and writes text columns from a staging buffer: batches of any length (a few
// rows, single rows, none, batches starting and ending inside a chunk) give the same files, byte
// for byte, as the rows written one by one; an output without rows is headers and a schema.
TEST(ColumnarOutput, BatchesGiveTheRowByRowBytes) {
  const std::string dir = fresh_temp_dir("fast_output_npy_batches/");
  const TestRows rows(0, 100000);
  {
    auto w = open_result_writer(dir + "serial.npy.d", columns());
    RowScratch s;
    for (std::uint64_t k = 0; k < rows.size(); ++k) w->write_row(rows.row(k, s));
    w->commit();
  }
  {
    auto w = open_result_writer(dir + "batch.npy.d", columns());
    w->write_rows(TestRows(0, 3));
    RowScratch s;
    w->write_row(TestRows(3, 1).row(0, s));
    w->write_rows(TestRows(4, 0));
    w->write_rows(TestRows(4, 60000));
    w->write_rows(TestRows(60004, 8192));
    w->write_rows(TestRows(68196, 31804));
    w->commit();
  }
  const auto serial = folder_files(dir + "serial.npy.d"), batch = folder_files(dir + "batch.npy.d");
  EXPECT_EQ(serial.size(), columns().size() + 1);
  EXPECT_EQ(serial.at("point_index.npy").size(), 128u + 8 * 100000);
  for (const auto& [name, bytes] : serial) EXPECT_TRUE(batch.count(name) && batch.at(name) == bytes) << name;
  {
    auto w = open_result_writer(dir + "empty.npy.d", columns());
    w->write_rows(TestRows(0, 0));
    w->commit();
  }
  const Npy empty = read_npy(dir + "empty.npy.d/latency_ns_0.npy");
  EXPECT_EQ(empty.rows, 0u);
  EXPECT_EQ(empty.data.size(), 0u);
  EXPECT_EQ(nlohmann::json::parse(slurp(dir + "empty.npy.d/schema.json"))["rows"], 0);
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

// The JSON Lines writer as it was before parallel formatting: row by row, numbers through fmt,
// missing values and non-finite reals as null, texts escaped as JSON strings.
class LegacyJsonl final : public ResultWriter {
 public:
  explicit LegacyJsonl(const std::vector<Column>& columns) {
    for (const Column& c : columns) keys.push_back(quoted(c.name) + ":");
  }
  static std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
      if (ch == '"') out += "\\\"";
      else if (ch == '\\') out += "\\\\";
      else if (ch == '\n') out += "\\n";
      else if (ch == '\r') out += "\\r";
      else if (ch == '\t') out += "\\t";
      else if (static_cast<unsigned char>(ch) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned char>(ch));
      else out.push_back(ch);
    }
    return out + "\"";
  }
  void write_row(const std::vector<Cell>& cells) override {
    text.push_back('{');
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) text.push_back(',');
      text += keys[c];
      const Cell& cell = cells[c];
      if (cell.type == CellType::Null || (cell.type == CellType::Real && !std::isfinite(cell.r))) text += "null";
      else if (cell.type == CellType::Text) text += quoted(cell.text);
      else append_cell_text_fmt(text, cell);
    }
    text += "}\n";
  }
  void commit() override {}
  std::vector<std::string> keys;
  std::string text;
};

// Forwards everything to `inner` and asks the run to stop after `batches` checkpoints (as a
// signal would): the run returns uncommitted, with rows up to the last checkpoint kept.
class StopAfter final : public ResultWriter {
 public:
  StopAfter(ResultWriter& inner, int batches, std::atomic<bool>& stop) : inner_(inner), left_(batches), stop_(stop) {}
  void write_row(const std::vector<Cell>& cells) override { inner_.write_row(cells); }
  void write_rows(const RowSource& rows) override { inner_.write_rows(rows); }
  void checkpoint(std::uint64_t next_point) override {
    inner_.checkpoint(next_point);
    if (--left_ <= 0) stop_ = true;
  }
  void commit() override { inner_.commit(); }

 private:
  ResultWriter& inner_;
  int left_;
  std::atomic<bool>& stop_;
};

// Every bundled run spec (the big grid: a stretch from a point inside it) through run_sweep into
// .jsonl, default and all columns: the plain writer, the resumable part files, and a run stopped
// after a batch or two then resumed, all give the legacy writer's bytes.
TEST(ParallelTextWriters, BundledSpecsGiveTheLegacyJsonlBytes) {
  const std::string dir = fresh_temp_dir("fast_output_jsonl_specs/");
  for (const char* name : kBundledRunSpecs) {
    for (const bool all : {false, true}) {
      SCOPED_TRACE(std::string(name) + (all ? " all columns" : " default columns"));
      const SweepSpec spec = load_sweep_spec(std::string(ASTRA_SOURCE_DIR) + "/" + name);
      std::string note;
      auto cpu = select_backend("cpu", spec, 0, note);
      RowBuilder rows(spec, all ? all_columns(spec) : default_columns(spec));
      SweepRunOptions options;
      options.batch_points = 500;
      if (spec.total_points > 100000) {  // a stretch of the big grid (whole, a test writes GBs)
        options.first_point = 123457;
        options.end_point = 163457;
        options.batch_points = 7777;
      }
      const std::uint64_t points = options.end_point == UINT64_MAX ? spec.total_points : 40000;
      LegacyJsonl legacy(rows.columns());
      run_sweep(spec, *cpu, rows, legacy, options);
      {
        auto jsonl = open_result_writer(dir + "plain.jsonl", rows.columns());
        run_sweep(spec, *cpu, rows, *jsonl, options);
      }
      std::string cols;
      for (const Column& c : rows.columns()) cols += (cols.empty() ? "" : ",") + c.name;
      const RunRecord record = make_run_record(spec, options.first_point, options.first_point + points, "", cols);
      {
        PartFileOutput parts(dir + "parts.jsonl", rows.columns(), record, false, 0.0, note);
        run_sweep(spec, *cpu, rows, parts, options);
      }
      // Stopped after the first of about 8 batches (the next one may be under way: one or two
      // are kept), then resumed.
      SweepRunOptions stopped = options;
      stopped.batch_points = std::max<std::uint64_t>(points / 8, 1);
      fs::remove(dir + "resumed.jsonl");
      {
        std::atomic<bool> stop{false};
        stopped.stop = &stop;
        PartFileOutput parts(dir + "resumed.jsonl", rows.columns(), record, false, 0.0, note);
        StopAfter stopping(parts, 1, stop);
        EXPECT_TRUE(run_sweep(spec, *cpu, rows, stopping, stopped).interrupted);
        parts.mark_interrupted();
      }
      EXPECT_FALSE(fs::exists(dir + "resumed.jsonl"));
      {
        PartFileOutput parts(dir + "resumed.jsonl", rows.columns(), record, true, 0.0, note);
        EXPECT_THAT(parts.resume_point() - options.first_point,
                    ::testing::AnyOf(stopped.batch_points, 2 * stopped.batch_points));
        SweepRunOptions rest = options;
        rest.first_point = parts.resume_point();
        run_sweep(spec, *cpu, rows, parts, rest);
      }
      EXPECT_GT(legacy.text.size(), 1000u);
      EXPECT_TRUE(slurp(dir + "plain.jsonl") == legacy.text);
      EXPECT_TRUE(slurp(dir + "parts.jsonl") == legacy.text);
      EXPECT_TRUE(slurp(dir + "resumed.jsonl") == legacy.text);
    }
  }
}

// Points made up for the writers (any status, metrics, reasons; indices with gaps and repeats),
// with points() like the runner's batches: the fast path sees what row() builds from.
class CraftedPoints final : public RowSource {
 public:
  CraftedPoints(const RowBuilder& builder, std::uint64_t count, std::uint64_t seed, bool reasons)
      : builder_(builder), reasons_(reasons) {
    std::mt19937_64 rng(seed);
    const std::uint64_t total = builder.spec().total_points;
    std::uint64_t index = rng() % total;
    const char* const texts[] = {"npus_count: 6 is not a power of two", "a \"quoted\" name, with a comma",
                                 "two\nlines\r\nand\ta tab", "back\\slash and \x01\x1f controls",
                                 "UTF-8 \xc2\xb5s \xe2\x86\x92 ok", ""};
    for (std::uint64_t k = 0; k < count; ++k) {
      index = rng() % 5 ? (index + 1) % total : rng() % total;  // mostly consecutive, some jumps
      SweepPointResult r{};
      r.status = static_cast<SweepPointStatus>(rng() % 3 == 0 ? rng() % kSweepPointStatusCount : 0);
      if (r.status == SweepPointStatus::Filtered) r.status = SweepPointStatus::Ok;
      r.by_reference = rng() % 4 == 0;
      r.metrics.finish_ns = rng() % 7 == 0 ? 0 : rng() % 100000000;
      r.metrics.comm_ns = rng() % 1000000;
      r.metrics.compute_ns = rng() % 1000000;
      r.metrics.gpu_ns = rng() % 1000;
      r.metrics.overlap_ns = rng() % 1000;
      r.metrics.exposed_comm_ns = static_cast<std::int64_t>(rng() % 2000000) - 1000000;
      index_.push_back(index);
      result_.push_back(r);
      reason_.push_back(reasons && (r.status == SweepPointStatus::Rejected || rng() % 9 == 0) ? texts[rng() % 6] : "");
    }
  }
  std::uint64_t size() const override { return index_.size(); }
  unsigned threads() const override { return 3; }
  const std::vector<Cell>& row(std::uint64_t k, RowScratch& s) const override {
    builder_.build(index_[k], result_[k], reason_[k], s.cells);
    return s.cells;
  }
  const RowBuilder* builder() const override { return &builder_; }
  bool points(std::uint64_t begin, std::uint64_t end, RowPoints& out) const override {
    out.index.assign(index_.begin() + static_cast<std::ptrdiff_t>(begin), index_.begin() + static_cast<std::ptrdiff_t>(end));
    out.result.clear();
    for (std::uint64_t k = begin; k < end; ++k) out.result.push_back(&result_[k]);
    out.reason.clear();
    if (reasons_) out.reason.assign(reason_.begin() + static_cast<std::ptrdiff_t>(begin), reason_.begin() + static_cast<std::ptrdiff_t>(end));
    return true;
  }

 private:
  const RowBuilder& builder_;
  bool reasons_;
  std::vector<std::uint64_t> index_;
  std::vector<SweepPointResult> result_;
  std::vector<std::string> reason_;
};

// Crafted points through both text writers' fast paths against the legacy writers fed the same
// rows' cells, on specs with named axes, workload metrics and models beyond ASTRA-sim: reasons
// needing escapes (quotes, newlines, backslashes, control bytes, UTF-8),
// every status, zero times (no busbw: null / empty), references; empty, one-row and chunk-edge
// batches (the fast path cuts rows into chunks of 4096).
TEST(ParallelTextWriters, CraftedPointsGiveTheLegacyBytes) {
  const std::string dir = fresh_temp_dir("fast_output_crafted/");
  {  // collective models beyond ASTRA-sim on an axis: evaluated_by says beyond_astra_sim per point
    std::ofstream beyond(dir + "beyond.yaml");
    beyond << "network: {topology: [Switch], npus_count: [8], bandwidth: [400], latency: [500]}\n"
              "system: {scheduling-policy: LIFO, endpoint-delay: 10, active-chunks-per-dimension: 1,\n"
              "         preferred-dataset-splits: 4, all-reduce-implementation: [ring], all-gather-implementation: [ring],\n"
              "         reduce-scatter-implementation: [ring], all-to-all-implementation: [ring],\n"
              "         collective-optimization: localBWAware, local-mem-bw: 1600}\n"
              "workload: {collective: all_reduce, size_bytes: 65536}\n"
              "axes:\n"
              "  all-reduce-implementation: [ring, ncclRing, nvls]\n"
              "  nccl-simple-latency-ns: [5000, 20000]\n"
              "  size_bytes: [1024, 67108864]\n";
  }
  for (const std::string name : {std::string(ASTRA_SOURCE_DIR) + "/sweeps/mixed_backends_check.yaml",
                                 std::string(ASTRA_SOURCE_DIR) + "/sweeps/resnet50_design_space.yaml", dir + "beyond.yaml"}) {
    SCOPED_TRACE(name);
    const SweepSpec spec = load_sweep_spec(name);
    RowBuilder builder(spec, all_columns(spec));
    std::uint64_t seed = 1;
    for (const std::uint64_t count : {0u, 1u, 2u, 4095u, 4096u, 4097u, 3u * 4096u + 1u}) {
      for (const bool reasons : {false, true}) {
        SCOPED_TRACE(fmt::format("{} rows, reasons {}", count, reasons));
        const CraftedPoints rows(builder, count, ++seed, reasons);
        LegacyJsonl legacy_jsonl(builder.columns());
        LegacyCsv legacy_csv(builder.columns());
        RowScratch s;
        for (std::uint64_t k = 0; k < rows.size(); ++k) {
          legacy_jsonl.write_row(rows.row(k, s));
          legacy_csv.write_row(rows.row(k, s));
        }
        for (const char* ext : {".jsonl", ".csv"}) {
          auto w = open_result_writer(dir + "fast" + ext, builder.columns());
          w->write_rows(rows);
          w->write_rows(rows);  // a second batch of the same builder: the cached formatter
          w->commit();
        }
        if (name.find("beyond") != std::string::npos && count > 100)
          EXPECT_THAT(legacy_jsonl.text, ::testing::HasSubstr("\"evaluated_by\":\"beyond_astra_sim\""));
        EXPECT_TRUE(slurp(dir + "fast.jsonl") == legacy_jsonl.text + legacy_jsonl.text)
            << slurp(dir + "fast.jsonl").substr(0, 2000) << "\n---\n" << legacy_jsonl.text.substr(0, 2000);
        EXPECT_TRUE(slurp(dir + "fast.csv") == legacy_csv.text + legacy_csv.text.substr(legacy_csv.text.find('\n') + 1));
      }
    }
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
