// Per-node timings of the fast evaluator and `run --per-layer`'s side table:
//  * the fast evaluator's optional per-node record equals the reference simulator's NPU-0 node
//    timings on every golden ResNet-50 configuration (and with exposed communication);
//  * per point, the side table's rows add up exactly to the main output's compute_ns,
//    exposed_comm_ns and iteration_time_ns, for fast and reference-evaluated points;
//  * one point's rows equal the reference simulator's breakdown of the same configuration
//    (what `simulate --per-layer` prints); with top-k only the kept points get rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "host/golden/golden_cases.hpp"
#include "host/input/input_error.hpp"
#include "kernels/model/point_node_timings.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/sweep/backends/batch_evaluator.hpp"
#include "host/sweep/output/per_layer_table.hpp"
#include "host/sweep/spec/point_resolution.hpp"
#include "host/sweep/run/sweep_runner.hpp"

namespace astra {
namespace {

const std::string kCases = std::string(ASTRA_SHARED_DIR) + "/golden/cases.jsonl";

bool uses_double_binary_tree(const SystemConfig& s) {
  for (int c = 0; c < kCollectiveKinds; ++c)
    for (int d = 0; d < s.implementation_count[c]; ++d)
      if (s.implementation[c][d].kind == AlgorithmKind::DoubleBinaryTree) return true;
  return false;
}

// The record equals the reference's issue/finish per node, and ready = the last parent's finish.
void expect_record_matches_reference(const Workload& w, const std::vector<ReplayNodeTiming>& record,
                                     const std::vector<NodeTiming>& reference, const std::string& what) {
  ASSERT_EQ(record.size(), reference.size()) << what;
  int mismatches = 0;
  for (std::size_t i = 0; i < record.size() && mismatches < 5; ++i) {
    std::uint64_t ready = 0;
    for (int k = 0; k < w.nodes[i].deps_count; ++k)
      ready = std::max(ready, reference[static_cast<std::size_t>(w.deps[static_cast<std::size_t>(w.nodes[i].deps_begin + k)])].finish_ns);
    if (record[i].issue_ns != reference[i].issue_ns || record[i].finish_ns != reference[i].finish_ns ||
        record[i].ready_ns != ready) {
      ++mismatches;
      ADD_FAILURE() << what << " node " << i << ": fast ready/issue/finish " << record[i].ready_ns << "/"
                    << record[i].issue_ns << "/" << record[i].finish_ns << ", reference ready/issue/finish " << ready
                    << "/" << reference[i].issue_ns << "/" << reference[i].finish_ns;
    }
  }
}

TEST(FastEvaluatorNodeTimings, EqualTheReferenceOnEveryGoldenResNetConfiguration) {
  if (!std::filesystem::exists(kCases)) GTEST_SKIP() << "no golden cases at " << kCases;
  auto scratch = std::make_unique<EvaluatorScratch>();
  int compared = 0;
  for (const auto& c : golden::load_golden_cases(kCases)) {
    if (c.set != "C" || c.expected_status != "ok" || c.backend != NetworkBackend::CongestionUnaware) continue;
    if (uses_double_binary_tree(c.system)) continue;
    ASSERT_TRUE(c.load_error.empty()) << c.load_error;
    for (double scale : {1.0, 0.001}) {  // 0.001: the all-reduces are exposed
      std::vector<ReplayNodeTiming> record(c.workload->nodes.size());
      const PointMetrics m = evaluate_point_with_node_timings(c.network, c.system, c.backend, c.workload->view(),
                                                              scale, *scratch, record.data());
      ASSERT_EQ(m.status, PointStatus::Ok) << c.id;
      ReferenceOptions options;
      options.compute_scale = scale;
      const SimulationResult r = simulate_reference(c.network, c.system, c.backend, *c.workload, options);
      ASSERT_EQ(r.status, SimStatus::Ok) << c.id;
      expect_record_matches_reference(*c.workload, record, r.npu0_node_timings, c.id + " scale " + std::to_string(scale));
      // recording does not change the replay's answer
      const ReplayResult plain =
          replay_workload(c.network, make_network_view(c.network), c.system, c.workload->view(), scale, *scratch);
      EXPECT_EQ(plain.finish_ns, m.finish_ns) << c.id;
      ++compared;
    }
  }
  EXPECT_GE(compared, 2 * 10);
}

// ------------------------------------------------------------------ the side table

#define ASTRA_TEST_SYSTEM                                                                                     \
  "system: {scheduling-policy: LIFO, endpoint-delay: 10, active-chunks-per-dimension: 1,\n"                   \
  "         preferred-dataset-splits: 4, all-reduce-implementation: [ring], all-gather-implementation: [ring],\n" \
  "         reduce-scatter-implementation: [ring], all-to-all-implementation: [ring],\n"                       \
  "         collective-optimization: localBWAware, local-mem-bw: 1600}\n"

const char* kResNetSweep =
    "network: {topology: [Switch], npus_count: [8], bandwidth: [400], latency: [936.25]}\n" ASTRA_TEST_SYSTEM
    "workload: {file: " ASTRA_SHARED_DIR "/golden/inputs/Resnet50_DataParallel.txt}\n"
    "axes:\n"
    "  npus: [4, 8]\n"
    "  bandwidth_GBps: [50, 400]\n"
    "  compute_scale: [0.001, 1]\n"
    "  backend: [congestion_unaware, congestion_aware]\n"
    "where: not (backend == 'congestion_aware' and npus == 8)\n";

// The main output's numbers of one point.
struct MainRow {
  std::uint64_t index = 0;
  std::string status, evaluated_by;
  std::uint64_t iteration_ns = 0, compute_ns = 0;
  std::int64_t exposed_ns = 0;
};

class CapturingWriter final : public ResultWriter {
 public:
  // columns: point_index, status, iteration_time_ns, compute_ns, exposed_comm_ns, evaluated_by
  void write_row(const std::vector<Cell>& c) override {
    MainRow r;
    r.index = c[0].u;
    r.status = std::string(c[1].text);
    r.iteration_ns = c[2].u;
    r.compute_ns = c[3].u;
    r.exposed_ns = c[4].i;
    r.evaluated_by = std::string(c[5].text);
    rows.push_back(r);
  }
  void commit() override { committed = true; }
  std::vector<MainRow> rows;
  bool committed = false;
};

struct SideRow {
  std::uint64_t index = 0;
  std::string layer, evaluated_by;
  std::int64_t pass = 0;
  std::uint64_t fwd = 0, ig = 0, wg = 0, bytes = 0, ready = 0, start = 0, finish = 0, duration = 0, exposed = 0;
};

std::vector<SideRow> read_side_table(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line,
            "point_index,layer,pass,forward_compute_ns,input_gradient_compute_ns,weight_gradient_compute_ns,"
            "comm_bytes,comm_ready_ns,comm_start_ns,comm_finish_ns,comm_duration_ns,comm_exposed_ns,evaluated_by");
  std::vector<SideRow> rows;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string f[13];
    for (auto& x : f) std::getline(s, x, ',');
    SideRow r;
    r.index = std::stoull(f[0]);
    r.layer = f[1];
    r.pass = std::stoll(f[2]);
    std::uint64_t* v[] = {&r.fwd, &r.ig, &r.wg, &r.bytes, &r.ready, &r.start, &r.finish, &r.duration, &r.exposed};
    for (int k = 0; k < 9; ++k) *v[k] = std::stoull(f[3 + k]);
    r.evaluated_by = f[12];
    rows.push_back(r);
  }
  return rows;
}

struct SweepWithSideTable {
  std::vector<MainRow> main;
  std::vector<SideRow> side;
};

SweepWithSideTable run_with_side_table(const SweepSpec& spec, std::optional<TopKRequest> top_k, const char* name) {
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  RowBuilder rows(spec, select_columns(spec, "point_index,status,iteration_time_ns,compute_ns,exposed_comm_ns,evaluated_by"));
  CapturingWriter writer;
  PerLayerTable table(spec, path, 2);
  SweepRunOptions options;
  options.summary_metric = ColumnKind::IterationTimeNs;
  options.top_k = top_k;
  options.host_threads = 2;
  options.batch_points = 5;  // several batches
  options.on_row = [&](std::uint64_t index, const SweepPointResult& r) { table.add_point(index, r); };
  auto evaluator = make_cpu_evaluator(spec, 2);
  run_sweep(spec, *evaluator, rows, writer, options);
  table.commit();
  EXPECT_EQ(table.points_not_adding_up(), 0u);  // every NPU finishes together on these switches
  SweepWithSideTable out{writer.rows, read_side_table(path)};
  std::filesystem::remove(path);
  return out;
}

TEST(PerLayerTable, RowsAddUpExactlyToTheMainOutputOnEveryPoint) {
  const SweepSpec spec = parse_sweep_spec(kResNetSweep, "resnet.yaml", "");
  const auto run = run_with_side_table(spec, std::nullopt, "astra_per_layer_test.csv");
  const std::size_t layers = spec.workload->layer_names.size();
  std::map<std::uint64_t, std::vector<const SideRow*>> by_point;
  for (const SideRow& r : run.side) by_point[r.index].push_back(&r);
  int ok = 0, side_by_reference = 0;
  for (const MainRow& m : run.main) {
    if (m.status != "ok") {
      EXPECT_EQ(by_point.count(m.index), 0u) << "point " << m.index << " is " << m.status;
      continue;
    }
    ++ok;
    ASSERT_EQ(by_point[m.index].size(), layers) << "point " << m.index;
    std::uint64_t compute = 0, exposed = 0;
    for (const SideRow* r : by_point[m.index]) {
      compute += r->fwd + r->ig + r->wg;
      exposed += r->exposed;
      // the side table says where its node times came from: the fast evaluator's record, or the
      // reference simulator (congestion-aware points: their fast path keeps no per-node record)
      if (m.evaluated_by == "reference") EXPECT_EQ(r->evaluated_by, "reference") << "point " << m.index;
      if (r->evaluated_by == "reference" && r == by_point[m.index].front()) ++side_by_reference;
      EXPECT_LE(r->ready, r->start);
      EXPECT_EQ(r->finish - r->start, r->duration) << "point " << m.index << " " << r->layer;  // one all-reduce
      EXPECT_LE(r->exposed, r->duration);
      EXPECT_GT(r->bytes, 0u);
    }
    EXPECT_EQ(compute, m.compute_ns) << "point " << m.index;
    EXPECT_EQ(static_cast<std::int64_t>(exposed), m.exposed_ns) << "point " << m.index;
    EXPECT_EQ(compute + exposed, m.iteration_ns) << "point " << m.index;
  }
  EXPECT_EQ(ok, 12);                 // 2 x 2 x 2 unaware + 2 x 2 aware (4 NPUs)
  EXPECT_EQ(side_by_reference, 4);   // the congestion_aware points
  // in the main output's order
  std::vector<std::uint64_t> side_order;
  for (const SideRow& r : run.side)
    if (side_order.empty() || side_order.back() != r.index) side_order.push_back(r.index);
  std::vector<std::uint64_t> main_order;
  for (const MainRow& m : run.main)
    if (m.status == "ok") main_order.push_back(m.index);
  EXPECT_EQ(side_order, main_order);
}

TEST(PerLayerTable, OnePointEqualsTheReferenceBreakdownOfTheSameConfiguration) {
  const SweepSpec spec = parse_sweep_spec(kResNetSweep, "resnet.yaml", "");
  auto scratch = std::make_unique<EvaluatorScratch>();
  std::vector<ReplayNodeTiming> record;
  int compared = 0;
  for (std::uint64_t index = 0; index < spec.total_points; ++index) {
    double axis_values[kMaxSweepAxes];
    const SweepPoint p = decode_host_point(spec, index, axis_values);
    if (p.backend != NetworkBackend::CongestionUnaware) continue;
    const PointLayerBreakdown fast = point_layer_breakdown(spec, index, *scratch, record);
    ASSERT_TRUE(fast.ok) << fast.message;
    EXPECT_FALSE(fast.by_reference);
    ReferenceOptions options;
    options.compute_scale = p.compute_scale;
    const SimulationResult sim = simulate_reference(p.network, p.system, p.backend, *spec.workload, options);
    ASSERT_EQ(sim.status, SimStatus::Ok);
    const auto ref = per_layer_breakdown(*spec.workload, sim.npu0_node_timings, p.compute_scale);
    ASSERT_EQ(fast.layers.size(), ref.size());
    for (std::size_t k = 0; k < ref.size(); ++k) {
      const LayerBreakdown &a = fast.layers[k], &b = ref[k];
      EXPECT_EQ(a.layer, b.layer);
      EXPECT_EQ(a.pass, b.pass);
      EXPECT_EQ(a.forward_compute_ns, b.forward_compute_ns);
      EXPECT_EQ(a.input_gradient_compute_ns, b.input_gradient_compute_ns);
      EXPECT_EQ(a.weight_gradient_compute_ns, b.weight_gradient_compute_ns);
      EXPECT_EQ(a.comm_bytes, b.comm_bytes);
      EXPECT_EQ(a.comm_ready_ns, b.comm_ready_ns) << "point " << index << " " << a.layer;
      EXPECT_EQ(a.comm_start_ns, b.comm_start_ns) << "point " << index << " " << a.layer;
      EXPECT_EQ(a.comm_finish_ns, b.comm_finish_ns) << "point " << index << " " << a.layer;
      EXPECT_EQ(a.comm_exposed_ns, b.comm_exposed_ns) << "point " << index << " " << a.layer;
    }
    ++compared;
  }
  EXPECT_EQ(compared, 8);
}

TEST(PerLayerTable, TopKCoversOnlyTheKeptRows) {
  const SweepSpec spec = parse_sweep_spec(kResNetSweep, "resnet.yaml", "");
  const auto run = run_with_side_table(spec, TopKRequest{3, ColumnKind::IterationTimeNs, false}, "astra_per_layer_topk.csv");
  ASSERT_EQ(run.main.size(), 3u);
  std::vector<std::uint64_t> side_order;
  for (const SideRow& r : run.side)
    if (side_order.empty() || side_order.back() != r.index) side_order.push_back(r.index);
  ASSERT_EQ(side_order.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(side_order[k], run.main[k].index);
  EXPECT_EQ(run.side.size(), 3 * spec.workload->layer_names.size());
}

TEST(PerLayerTable, RefusesACollectiveSweepAndOtherFormats) {
  const SweepSpec collective = parse_sweep_spec(
      "network: {topology: [Ring], npus_count: [8], bandwidth: [50], latency: [500]}\n" ASTRA_TEST_SYSTEM
      "workload: {collective: all_reduce, size_bytes: 65536}\n"
      "axes:\n  npus: [4, 8]\n",
      "collective.yaml", "");
  EXPECT_THROW(PerLayerTable(collective, "x.csv", 1), InputError);
  const SweepSpec resnet = parse_sweep_spec(kResNetSweep, "resnet.yaml", "");
  EXPECT_THROW(PerLayerTable(resnet, "x.sqlite", 1), InputError);
}

}  // namespace
}  // namespace astra
