// The injection bound (kernels/sweep/injection_bound.hpp, docs/physical_bounds.md): links per
// topology, the bound in decimal GB/s, the `nonphysical` row column and the run summary's count,
// on the bundled nightly spec (where ASTRA-sim's congestion-unaware direct all-reduce reports
// busbw far above the links) and on congestion-aware points (link queues: never marked).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "host/sweep/backends/backend_selection.hpp"
#include "kernels/sweep/injection_bound.hpp"
#include "host/sweep/output/result_columns.hpp"
#include "host/sweep/output/result_writer.hpp"
#include "host/sweep/run/sweep_runner.hpp"
#include "sweep_test_specs.hpp"

namespace astra {
namespace {

NetworkConfig one_dim(TopologyKind t, std::int64_t npus, double bw) {
  NetworkConfig n;
  n.dims = 1;
  n.topology[0] = t;
  n.npus_count[0] = npus;
  n.bandwidth_GBps[0] = bw;
  return n;
}

constexpr double kGiB = 1073741824.0 / 1e9;  // one YAML "GB/s" in decimal GB/s

TEST(InjectionBound, LinksPerTopology) {
  EXPECT_EQ(injection_links(one_dim(TopologyKind::Ring, 8, 1), 0), 2);
  EXPECT_EQ(injection_links(one_dim(TopologyKind::Ring, 2, 1), 0), 1);  // one link per direction
  EXPECT_EQ(injection_links(one_dim(TopologyKind::Switch, 16, 1), 0), 1);
  EXPECT_EQ(injection_links(one_dim(TopologyKind::FullyConnected, 8, 1), 0), 7);
  EXPECT_EQ(injection_links(one_dim(TopologyKind::FullyConnected, 1, 1), 0), 0);
  EXPECT_DOUBLE_EQ(injection_bandwidth_GBps(one_dim(TopologyKind::Switch, 8, 400)), 400 * kGiB);
  EXPECT_DOUBLE_EQ(injection_bandwidth_GBps(one_dim(TopologyKind::Ring, 8, 50)), 2 * 50 * kGiB);
  NetworkConfig two;  // 8 GPUs on a switch x 4 nodes on a ring: 1 x 400 + 2 x 50
  two.dims = 2;
  two.topology[0] = TopologyKind::Switch;
  two.npus_count[0] = 8;
  two.bandwidth_GBps[0] = 400;
  two.topology[1] = TopologyKind::Ring;
  two.npus_count[1] = 4;
  two.bandwidth_GBps[1] = 50;
  EXPECT_DOUBLE_EQ(injection_bandwidth_GBps(two), 400 * kGiB + 2 * 50 * kGiB);
}

struct Rows {
  std::vector<std::vector<std::string>> cells;  // as written to CSV
  std::vector<Column> columns;
  SweepRunSummary summary;
  int column(const std::string& name) const {
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (columns[c].name == name) return static_cast<int>(c);
    return -1;
  }
};

// Captures rows as text, like the CSV writer.
class CapturingWriter : public ResultWriter {
 public:
  explicit CapturingWriter(std::vector<std::vector<std::string>>& out) : out_(out) {}
  void write_row(const std::vector<Cell>& cells) override {
    std::vector<std::string> row;
    for (const Cell& c : cells) {
      std::string t;
      append_cell_text(t, c);
      row.push_back(t);
    }
    out_.push_back(std::move(row));
  }
  void commit() override {}

 private:
  std::vector<std::vector<std::string>>& out_;
};

Rows run_rows(const SweepSpec& spec, const std::string& columns, bool summary_only = false,
              const std::string& backend = "cpu") {
  Rows r;
  std::string note;
  auto evaluator = select_backend(backend, spec, 2, note);
  RowBuilder rows(spec, select_columns(spec, columns));
  r.columns = rows.columns();
  CapturingWriter writer(r.cells);
  SweepRunOptions options;
  options.host_threads = 2;
  options.summary_only = summary_only;
  options.summary_metric = ColumnKind::BusBwGBps;
  r.summary = run_sweep(spec, *evaluator, rows, writer, options);
  return r;
}

SweepSpec nightly_spec() { return load_sweep_spec(std::string(ASTRA_SOURCE_DIR) + "/sweeps/nightly.yaml"); }

TEST(InjectionBound, NightlySpecMarksTheIssuesPointsAndCountsThem) {
  const SweepSpec spec = nightly_spec();
  const Rows r = run_rows(spec, "all");
  const int busbw = r.column("busbw_GBps"), bound = r.column("injection_bw_GBps"), flag = r.column("nonphysical"),
            impl = r.column("all_reduce_implementation"), npus = r.column("npus_count"),
            bw = r.column("bandwidth_GBps");
  ASSERT_TRUE(busbw >= 0 && bound >= 0 && flag >= 0 && impl >= 0 && npus >= 0 && bw >= 0);
  std::uint64_t marked = 0;
  double largest_direct_16 = 0.0;
  for (const auto& row : r.cells) {
    const double b = std::stod(row[busbw]);
    // Switch: one link per NPU, YAML GB/s read as GiB/s.
    EXPECT_DOUBLE_EQ(std::stod(row[bound]), std::stod(row[bw]) * kGiB);
    EXPECT_EQ(row[flag], b > std::stod(row[bound]) ? "1" : "0");
    if (row[flag] == "1") ++marked;
    if (row[impl] == "direct" && row[npus] == "16" && row[bw] == "820") largest_direct_16 = std::max(largest_direct_16, b);
  }
  // The issue's example: direct all-reduce on 16 NPUs and 820 GB/s links reaches ~18,779 GB/s.
  EXPECT_NEAR(largest_direct_16, 18779.4, 1.0);
  EXPECT_GT(marked, 0u);
  EXPECT_LT(marked, r.cells.size());
  EXPECT_EQ(r.summary.nonphysical, marked);
  // Reduction-only runs (the path --summary-only and --top-k take) count the same points.
  const Rows reduced = run_rows(spec, "default", true);
  EXPECT_TRUE(reduced.cells.empty());
  EXPECT_EQ(reduced.summary.nonphysical, marked);
  // The device layer's reduction (kernels/cuda/batch_reduce.cuh) on OpenMP counts the same.
  if (have_thrust_omp_backend()) {
    EXPECT_EQ(run_rows(spec, "default", true, "thrust-omp").summary.nonphysical, marked);
    const Rows omp_rows = run_rows(spec, "all", false, "thrust-omp");
    EXPECT_EQ(omp_rows.cells, r.cells);
  }
}

TEST(InjectionBound, DefaultColumnsHaveTheFlagOnlyForCollectives) {
  const auto has = [](const std::vector<Column>& cols, const char* name) {
    for (const Column& c : cols)
      if (c.name == name) return true;
    return false;
  };
  const SweepSpec collectives = testing_specs::collective_grid_spec("2^10", "64");
  EXPECT_TRUE(has(default_columns(collectives), "nonphysical"));
  EXPECT_FALSE(has(default_columns(collectives), "injection_bw_GBps"));
  const SweepSpec resnet = testing_specs::resnet_grid_spec();
  EXPECT_FALSE(has(default_columns(resnet), "nonphysical"));
}

// Congestion-aware points: every link a FIFO queue, so an NPU never injects above its links.
// Rejected points and points without a busbw have an empty cell.
TEST(InjectionBound, CongestionAwarePointsAreNeverMarked) {
  const SweepSpec spec = testing_specs::collective_grid_spec("2^16", "65536");
  const Rows r = run_rows(spec, "all");
  const int backend = r.column("backend"), flag = r.column("nonphysical"), status = r.column("status");
  ASSERT_TRUE(backend >= 0 && flag >= 0 && status >= 0);
  std::uint64_t aware = 0, unaware_marked = 0;
  for (const auto& row : r.cells) {
    if (row[status] != "ok") {
      EXPECT_EQ(row[flag], "");
      continue;
    }
    if (row[backend] == "congestion_aware") {
      ++aware;
      EXPECT_NE(row[flag], "1") << "aware point " << row[0];
    } else if (row[flag] == "1") {
      ++unaware_marked;
    }
  }
  EXPECT_GT(aware, 0u);
  EXPECT_GT(unaware_marked, 0u);  // direct all-reduce on the 50 GB/s ring
  EXPECT_EQ(r.summary.nonphysical, unaware_marked);
}

}  // namespace
}  // namespace astra
