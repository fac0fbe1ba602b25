// Rows as fast as points: writing the 1,280,000 rows of sweeps/hgx_h100_latency_bandwidth_size.yaml
// (default columns) from results evaluated once beforehand, in the same run:
//   legacy_csv: the writer as it was before (one thread, row by row, numbers through fmt): baseline
//   csv:        the CSV writer's write_rows (lines straight from the points on every core,
//               point_rows_in_order.hpp)
//   jsonl:      the JSON Lines writer's write_rows (lines straight from the points, as csv)
//   npy:        the .npy.d columnar output (one .npy per column)
//   build_cells_1thread: building the rows' cells alone on one thread (no output), for scale
//   evaluate:   the cpu backend evaluating the grid's points (every core): "rows as fast as points"
//   npy_floor:  the .npy.d output's bytes written alone (pwrite from every core, nothing computed)
//   fill_columns_1thread: the columnar fast path's column filling alone on one thread, for scale
// Each iteration writes and commits the whole grid once per variant into a temporary folder;
// counters give rows/s per variant and each one's ratio to legacy_csv, to the evaluation and (npy)
// to its I/O floor. The CSV bytes are checked equal to the legacy writer's once.
//   BM_WriteGridJsonl: the JSON Lines fast path against the same writer fed cells (its generic
//   per-row path, what it did before), with the CSV fast path for scale.
#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "host/common/atomic_output_file.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "host/sweep/output/cell_text.hpp"
#include "host/sweep/output/csv_rows.hpp"
#include "host/sweep/output/jsonl_rows.hpp"
#include "host/sweep/output/point_row_formatter.hpp"
#include "host/sweep/output/result_writer.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {
namespace {

// The grid's rows, built on demand (as the sweep runner's batch rows are).
class GridRows final : public RowSource {
 public:
  GridRows(const RowBuilder& builder, const std::vector<SweepPointResult>& results)
      : builder_(builder), results_(results) {}
  std::uint64_t size() const override { return results_.size(); }
  const std::vector<Cell>& row(std::uint64_t k, RowScratch& s) const override {
    builder_.build(k, results_[k], "", s.cells);
    return s.cells;
  }
  const RowBuilder* builder() const override { return &builder_; }
  bool points(std::uint64_t begin, std::uint64_t end, RowPoints& out) const override {
    out.index.resize(end - begin);
    out.result.resize(end - begin);
    out.reason.clear();  // the grid has no rejected points
    for (std::uint64_t k = begin; k < end; ++k) {
      out.index[k - begin] = k;
      out.result[k - begin] = &results_[k];
    }
    return true;
  }
  using RowSource::fill_columns;
  bool fill_columns(std::uint64_t begin, std::uint64_t end, ColumnBlock& block, std::uint64_t at) const override {
    std::vector<std::uint64_t> indices(end - begin);
    std::vector<const SweepPointResult*> results(end - begin);
    for (std::uint64_t k = begin; k < end; ++k) {
      indices[k - begin] = k;
      results[k - begin] = &results_[k];
    }
    builder_.fill_columns(indices.size(), indices.data(), results.data(), block, at);
    return true;
  }

 private:
  const RowBuilder& builder_;
  const std::vector<SweepPointResult>& results_;
};

// The CSV writer before parallel formatting: row by row on one thread, fmt for numbers.
void legacy_csv(const std::string& path, const RowBuilder& builder, const std::vector<SweepPointResult>& results) {
  auto field = [](std::string& out, std::string_view text) {
    if (text.find_first_of(",\"\n\r") == std::string_view::npos) return void(out.append(text));
    out.push_back('"');
    for (char c : text) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  };
  AtomicOutputFile file(path);
  std::FILE* f = std::fopen(file.temp_path().c_str(), "wb");
  std::string buffer;
  for (std::size_t c = 0; c < builder.columns().size(); ++c) {
    if (c) buffer.push_back(',');
    field(buffer, builder.columns()[c].name);
  }
  buffer.push_back('\n');
  std::vector<Cell> cells;
  for (std::uint64_t i = 0; i < results.size(); ++i) {
    builder.build(i, results[i], "", cells);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) buffer.push_back(',');
      if (cells[c].type == CellType::Text) field(buffer, cells[c].text);
      else append_cell_text_fmt(buffer, cells[c]);
    }
    buffer.push_back('\n');
    if (buffer.size() >= (1u << 20)) {
      std::fwrite(buffer.data(), 1, buffer.size(), f);
      buffer.clear();
    }
  }
  std::fwrite(buffer.data(), 1, buffer.size(), f);
  std::fclose(f);
  file.commit();
}

// The I/O floor of the columnar output: the same bytes (one file per column, `bytes[c]` each)
// written by pwrite from every core in 4096-row pieces into a fresh folder that replaces the
// previous one, with nothing computed: what writing alone costs on this machine.
void write_floor(const std::string& dir, const std::vector<std::uint64_t>& bytes, std::uint64_t rows) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<int> fds;
  for (std::size_t c = 0; c < bytes.size(); ++c)
    fds.push_back(::open((dir + "/" + std::to_string(c) + ".npy").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666));
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  constexpr std::uint64_t kPiece = 4096;
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::vector<char> piece(kPiece * 8, 1);
      for (std::uint64_t first = t * kPiece; first < rows; first += threads * kPiece)
        for (std::size_t j = 0; j < fds.size(); ++j) {
          const std::size_t c = (j + t * fds.size() / threads) % fds.size();  // as the writer: files staggered
          const std::uint64_t item = bytes[c] / rows;
          const std::uint64_t n = std::min(kPiece, rows - first) * item;
          if (::pwrite(fds[c], piece.data(), n, static_cast<off_t>(first * item)) != static_cast<ssize_t>(n)) std::abort();
        }
    });
  for (auto& t : pool) t.join();
  for (int fd : fds) ::close(fd);
}

// The bundled 1.28 M-point grid evaluated once on the cpu backend, its rows, and an empty folder
// `dir` (temp directory / dir_name) for the outputs: the setup every writer benchmark shares.
struct EvaluatedGrid {
  SweepSpec spec;
  std::vector<SweepPointResult> results;
  RowBuilder builder;
  GridRows rows;
  std::string dir;

  explicit EvaluatedGrid(const std::string& dir_name)
      : spec(load_sweep_spec(std::string(ASTRA_SOURCE_DIR) + "/sweeps/hgx_h100_latency_bandwidth_size.yaml")),
        results(spec.total_points),
        builder(spec, default_columns(spec)),
        rows(builder, results),
        dir(std::filesystem::temp_directory_path().string() + "/" + dir_name) {
    std::string note;
    select_backend("cpu", spec, 0, note)->evaluate(0, spec.total_points, results.data());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void BM_WriteGridRows(benchmark::State& state) {
  EvaluatedGrid grid("astra_output_bench");
  const SweepSpec& spec = grid.spec;
  std::vector<SweepPointResult>& results = grid.results;
  std::string note;
  auto cpu = select_backend("cpu", spec, 0, note);
  const RowBuilder& builder = grid.builder;
  const GridRows& rows = grid.rows;
  const std::string& dir = grid.dir;
  using Clock = std::chrono::steady_clock;
  // Wall time, and the process' CPU time (every thread) on the side: on a machine other jobs
  // load, rows per CPU-second says what the code costs, wall time what this run got.
  auto cpu_now = [] {
    rusage u;
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  };
  double cpu_s[8] = {};
  int variant = 0;
  auto timed = [&](auto&& fn) {
    const auto t0 = Clock::now();
    const double c0 = cpu_now();
    fn();
    cpu_s[variant++ % 8] += cpu_now() - c0;
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  auto write_with = [&](const std::string& path) {
    auto w = open_result_writer(path, builder.columns());
    w->write_rows(rows);
    w->commit();
  };
  double legacy_s = 0, csv_s = 0, jsonl_s = 0, npy_s = 0, build_s = 0, evaluate_s = 0, floor_s = 0, fill_s = 0;
  std::vector<std::uint64_t> column_bytes;  // of the .npy.d output's columns
  for (const Column& c : builder.columns())
    column_bytes.push_back(results.size() * (c.type == CellType::Text ? 4 : 8));
  bool checked = false;
  for (auto _ : state) {
    legacy_s += timed([&] { legacy_csv(dir + "/legacy.csv", builder, results); });
    build_s += timed([&] {  // building the rows' cells alone, one thread: what every writer starts from
      RowScratch s;
      std::uint64_t sum = 0;
      for (std::uint64_t k = 0; k < rows.size(); ++k) sum += rows.row(k, s)[0].u;
      benchmark::DoNotOptimize(sum);
    });
    csv_s += timed([&] { write_with(dir + "/grid.csv"); });
    jsonl_s += timed([&] { write_with(dir + "/grid.jsonl"); });
    npy_s += timed([&] { write_with(dir + "/grid.npy.d"); });
    // The points themselves: the cpu backend evaluating the grid into results (every core), the
    // rate rows are measured against ("rows as fast as points").
    evaluate_s += timed([&] { cpu->evaluate(0, spec.total_points, results.data()); });
    floor_s += timed([&] { write_floor(dir + "/floor", column_bytes, results.size()); });
    fill_s += timed([&] {  // the columnar fast path's column filling alone, one thread, no output
      ColumnBlock block;
      std::uint64_t sum = 0;
      for (std::uint64_t first = 0; first < rows.size(); first += 4096) {
        rows.fill_columns(first, std::min<std::uint64_t>(rows.size(), first + 4096), block);
        sum += block.data[0][0];
      }
      benchmark::DoNotOptimize(sum);
    });
    if (!checked) {
      state.PauseTiming();
      if (slurp(dir + "/legacy.csv") != slurp(dir + "/grid.csv")) state.SkipWithError("CSV differs from the legacy writer");
      checked = true;
      state.ResumeTiming();
    }
  }
  const double n = static_cast<double>(results.size()) * static_cast<double>(state.iterations());
  state.counters["legacy_csv_rows_per_s"] = n / legacy_s;
  state.counters["csv_rows_per_s"] = n / csv_s;
  state.counters["jsonl_rows_per_s"] = n / jsonl_s;
  state.counters["npy_rows_per_s"] = n / npy_s;
  state.counters["build_cells_1thread_rows_per_s"] = n / build_s;
  state.counters["legacy_csv_rows_per_cpu_s"] = n / cpu_s[0];
  state.counters["csv_rows_per_cpu_s"] = n / cpu_s[2];
  state.counters["jsonl_rows_per_cpu_s"] = n / cpu_s[3];
  state.counters["npy_rows_per_cpu_s"] = n / cpu_s[4];
  state.counters["evaluate_points_per_s"] = n / evaluate_s;
  state.counters["evaluate_points_per_cpu_s"] = n / cpu_s[5];
  state.counters["csv_vs_evaluate"] = evaluate_s / csv_s;
  state.counters["npy_vs_evaluate"] = evaluate_s / npy_s;
  state.counters["npy_floor_rows_per_s"] = n / floor_s;
  state.counters["npy_floor_rows_per_cpu_s"] = n / cpu_s[6];
  state.counters["npy_vs_floor"] = floor_s / npy_s;
  state.counters["fill_columns_1thread_rows_per_s"] = n / fill_s;
  state.counters["csv_vs_legacy"] = legacy_s / csv_s;
  state.counters["npy_vs_legacy"] = legacy_s / npy_s;
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
  std::filesystem::remove_all(dir);
}
// The same rows without their points (builder() null, no points()): what the text writers did
// before their fast path, cells built per row and formatted on every core (format_rows_in_order).
class GridCells final : public RowSource {
 public:
  explicit GridCells(const GridRows& rows) : rows_(rows) {}
  std::uint64_t size() const override { return rows_.size(); }
  const std::vector<Cell>& row(std::uint64_t k, RowScratch& s) const override { return rows_.row(k, s); }

 private:
  const GridRows& rows_;
};

// JSON Lines from points (the fast path) against the generic per-row path of the same writer
// (GridCells: today's JSONL before the fast path), in the same run, and the CSV fast path for
// scale, the JSONL output's bytes written alone (its I/O floor), and each dialect's formatting
// alone on one thread (no output): 1,280,000 rows, default columns, each variant written and
// committed once per iteration.
// The fast JSONL bytes are checked equal to the generic path's once.
void BM_WriteGridJsonl(benchmark::State& state) {
  const EvaluatedGrid grid("astra_output_bench_jsonl");
  const std::vector<SweepPointResult>& results = grid.results;
  const RowBuilder& builder = grid.builder;
  const GridRows& rows = grid.rows;
  const std::string& dir = grid.dir;
  const GridCells cells(rows);
  auto cpu_now = [] {
    rusage u;
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  };
  // generic jsonl, fast jsonl, fast csv, jsonl I/O floor, jsonl and csv formatting alone
  double wall_s[6] = {}, cpu_s[6] = {};
  const PointRowFormatter<JsonText> jsonl_formatter(builder, JsonText(builder.columns()));
  const PointRowFormatter<CsvText> csv_formatter(builder, CsvText{});
  auto timed = [&](int v, auto&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_now();
    fn();
    cpu_s[v] += cpu_now() - c0;
    wall_s[v] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  auto write_with = [&](const std::string& path, const RowSource& source) {
    auto w = open_result_writer(path, builder.columns());
    w->write_rows(source);
    w->commit();
  };
  // The I/O floor: as many bytes as the JSONL output, written from one thread in 1 MiB pieces
  // into a temporary renamed into place (as the writer), nothing formatted.
  auto write_floor_bytes = [&](const std::string& path, std::uint64_t bytes) {
    AtomicOutputFile file(path);
    std::FILE* f = std::fopen(file.temp_path().c_str(), "wb");
    const std::vector<char> piece(1 << 20, 'x');
    for (std::uint64_t done = 0; done < bytes; done += piece.size())
      std::fwrite(piece.data(), 1, std::min<std::uint64_t>(piece.size(), bytes - done), f);
    std::fclose(f);
    file.commit();
  };
  bool checked = false;
  std::uint64_t jsonl_bytes = 0;
  for (auto _ : state) {
    timed(0, [&] { write_with(dir + "/generic.jsonl", cells); });
    timed(1, [&] { write_with(dir + "/fast.jsonl", rows); });
    timed(2, [&] { write_with(dir + "/fast.csv", rows); });
    if (!jsonl_bytes) jsonl_bytes = std::filesystem::file_size(dir + "/fast.jsonl");
    timed(3, [&] { write_floor_bytes(dir + "/floor.jsonl", jsonl_bytes); });
    // Formatting alone, one thread, no output: what a row costs in each dialect.
    auto format_alone = [&](const auto& formatter) {
      RowPoints points;
      CharBuffer out;
      std::uint64_t bytes = 0;
      for (std::uint64_t first = 0; first < rows.size(); first += 4096) {
        rows.points(first, std::min<std::uint64_t>(rows.size(), first + 4096), points);
        out.clear();
        formatter.append(builder, points, out);
        bytes += out.size();
      }
      benchmark::DoNotOptimize(bytes);
    };
    timed(4, [&] { format_alone(jsonl_formatter); });
    timed(5, [&] { format_alone(csv_formatter); });
    if (!checked) {
      state.PauseTiming();
      if (slurp(dir + "/generic.jsonl") != slurp(dir + "/fast.jsonl"))
        state.SkipWithError("fast JSONL differs from the generic writer");
      checked = true;
      state.ResumeTiming();
    }
  }
  const double n = static_cast<double>(results.size()) * static_cast<double>(state.iterations());
  state.counters["jsonl_generic_rows_per_s"] = n / wall_s[0];
  state.counters["jsonl_rows_per_s"] = n / wall_s[1];
  state.counters["csv_rows_per_s"] = n / wall_s[2];
  state.counters["jsonl_generic_rows_per_cpu_s"] = n / cpu_s[0];
  state.counters["jsonl_rows_per_cpu_s"] = n / cpu_s[1];
  state.counters["csv_rows_per_cpu_s"] = n / cpu_s[2];
  state.counters["jsonl_floor_rows_per_s"] = n / wall_s[3];
  state.counters["jsonl_format_1thread_rows_per_s"] = n / wall_s[4];
  state.counters["csv_format_1thread_rows_per_s"] = n / wall_s[5];
  state.counters["jsonl_vs_generic"] = wall_s[0] / wall_s[1];
  state.counters["jsonl_vs_floor"] = wall_s[3] / wall_s[1];
  state.counters["csv_vs_jsonl"] = wall_s[1] / wall_s[2];
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_WriteGridJsonl)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// One writer alone on the same rows (for profiling one path: perf record ... --benchmark_filter=
// WriteGridOne/0): 0 csv, 1 jsonl, 2 npy.d.
void BM_WriteGridOne(benchmark::State& state) {
  const EvaluatedGrid grid("astra_output_bench_one");
  const std::vector<SweepPointResult>& results = grid.results;
  const RowBuilder& builder = grid.builder;
  const GridRows& rows = grid.rows;
  const std::string& dir = grid.dir;
  const char* names[] = {"/grid.csv", "/grid.jsonl", "/grid.npy.d"};
  using Clock = std::chrono::steady_clock;
  auto cpu_now = [] {  // the process' CPU time, every thread, user + system
    rusage u;
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  };
  double open_s = 0, rows_s = 0, commit_s = 0;  // where a write's wall time goes
  double rows_cpu_s = 0, commit_cpu_s = 0;      // and its CPU time (on a loaded box, what it costs)
  for (auto _ : state) {
    const auto t0 = Clock::now();
    auto w = open_result_writer(dir + names[state.range(0)], builder.columns());
    const auto t1 = Clock::now();
    const double c1 = cpu_now();
    w->write_rows(rows);
    const auto t2 = Clock::now();
    const double c2 = cpu_now();
    w->commit();
    const auto t3 = Clock::now();
    commit_cpu_s += cpu_now() - c2;
    rows_cpu_s += c2 - c1;
    open_s += std::chrono::duration<double>(t1 - t0).count();
    rows_s += std::chrono::duration<double>(t2 - t1).count();
    commit_s += std::chrono::duration<double>(t3 - t2).count();
  }
  const double it = static_cast<double>(state.iterations());
  state.counters["open_ms"] = 1e3 * open_s / it;
  state.counters["write_rows_ms"] = 1e3 * rows_s / it;
  state.counters["commit_ms"] = 1e3 * commit_s / it;
  state.counters["write_rows_cpu_ms"] = 1e3 * rows_cpu_s / it;
  state.counters["commit_cpu_ms"] = 1e3 * commit_cpu_s / it;
  state.SetItemsProcessed(static_cast<std::int64_t>(results.size()) * state.iterations());
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_WriteGridOne)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK(BM_WriteGridRows)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace
}  // namespace astra
