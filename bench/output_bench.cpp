// Rows as fast as points: writing the 1,280,000 rows of sweeps/hgx_h100_latency_bandwidth_size.yaml
// (default columns) from results evaluated once beforehand, in the same run:
//   legacy_csv: the writer as it was before (one thread, row by row, numbers through fmt): baseline
//   csv:        the CSV writer's write_rows (rows built and formatted on every core, to_chars)
//   jsonl:      the JSON Lines writer's write_rows
//   npy:        the .npy.d columnar output (one .npy per column)
//   build_cells_1thread: building the rows' cells alone on one thread (no output), for scale
// Each iteration writes and commits the whole grid once per variant into a temporary folder;
// counters give rows/s per variant and each one's speed-up over legacy_csv. The CSV bytes are
// checked equal to the legacy writer's once.
#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sweep/atomic_output_file.hpp"
#include "sweep/backends/backend_selection.hpp"
#include "sweep/cell_text.hpp"
#include "sweep/result_writer.hpp"
#include "sweep/sweep_spec.hpp"

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
  bool fill_columns(std::uint64_t begin, std::uint64_t end, ColumnBlock& block) const override {
    std::vector<std::uint64_t> indices(end - begin);
    std::vector<const SweepPointResult*> results(end - begin);
    for (std::uint64_t k = begin; k < end; ++k) {
      indices[k - begin] = k;
      results[k - begin] = &results_[k];
    }
    builder_.fill_columns(indices.size(), indices.data(), results.data(), block);
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

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void BM_WriteGridRows(benchmark::State& state) {
  const SweepSpec spec = load_sweep_spec(std::string(ASTRA_SOURCE_DIR) + "/sweeps/hgx_h100_latency_bandwidth_size.yaml");
  std::string note;
  auto cpu = select_backend("cpu", spec, 0, note);
  std::vector<SweepPointResult> results(spec.total_points);
  cpu->evaluate(0, spec.total_points, results.data());
  const RowBuilder builder(spec, default_columns(spec));
  const GridRows rows(builder, results);
  const std::string dir = std::filesystem::temp_directory_path().string() + "/astra_output_bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  using Clock = std::chrono::steady_clock;
  // Wall time, and the process' CPU time (every thread) on the side: on a machine other jobs
  // load, rows per CPU-second says what the code costs, wall time what this run got.
  auto cpu_now = [] {
    rusage u;
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  };
  double cpu_s[6] = {};
  int variant = 0;
  auto timed = [&](auto&& fn) {
    const auto t0 = Clock::now();
    const double c0 = cpu_now();
    fn();
    cpu_s[variant++ % 6] += cpu_now() - c0;
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  auto write_with = [&](const std::string& path) {
    auto w = open_result_writer(path, builder.columns());
    w->write_rows(rows);
    w->commit();
  };
  double legacy_s = 0, csv_s = 0, jsonl_s = 0, npy_s = 0, build_s = 0, evaluate_s = 0;
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
  state.counters["csv_vs_legacy"] = legacy_s / csv_s;
  state.counters["npy_vs_legacy"] = legacy_s / npy_s;
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
  std::filesystem::remove_all(dir);
}
// One writer alone on the same rows (for profiling one path: perf record ... --benchmark_filter=
// WriteGridOne/0): 0 csv, 1 jsonl, 2 npy.d.
void BM_WriteGridOne(benchmark::State& state) {
  const SweepSpec spec = load_sweep_spec(std::string(ASTRA_SOURCE_DIR) + "/sweeps/hgx_h100_latency_bandwidth_size.yaml");
  std::string note;
  auto cpu = select_backend("cpu", spec, 0, note);
  std::vector<SweepPointResult> results(spec.total_points);
  cpu->evaluate(0, spec.total_points, results.data());
  const RowBuilder builder(spec, default_columns(spec));
  const GridRows rows(builder, results);
  const std::string dir = std::filesystem::temp_directory_path().string() + "/astra_output_bench_one";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const char* names[] = {"/grid.csv", "/grid.jsonl", "/grid.npy.d"};
  for (auto _ : state) {
    auto w = open_result_writer(dir + names[state.range(0)], builder.columns());
    w->write_rows(rows);
    w->commit();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(results.size()) * state.iterations());
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_WriteGridOne)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK(BM_WriteGridRows)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace
}  // namespace astra
