#include "host/sweep/output/per_layer_table.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "host/input/input_error.hpp"
#include "kernels/model/point_node_timings.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/sweep/parallel_for_chunks.hpp"
#include "host/sweep/spec/point_resolution.hpp"

namespace astra {

namespace {
constexpr std::size_t kPointsPerFlush = 512;

bool ends_with(const std::string& s, const char* ext) {
  const std::string e(ext);
  return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}
}  // namespace

PointLayerBreakdown point_layer_breakdown(const SweepSpec& spec, std::uint64_t index, EvaluatorScratch& scratch,
                                          std::vector<ReplayNodeTiming>& record) {
  PointLayerBreakdown out;
  double axis_values[kMaxSweepAxes];
  const SweepPoint p = decode_host_point(spec, index, axis_values);
  const Workload& workload = *spec.workload;
  record.resize(workload.nodes.size());
  const PointMetrics fast =
      evaluate_point_with_node_timings(p.network, p.system, p.backend, workload.view(), p.compute_scale, scratch,
                                       record.data());
  std::vector<NodeTiming> timings;
  if (fast.status == PointStatus::Ok) {
    timings.resize(record.size());
    for (std::size_t i = 0; i < record.size(); ++i) timings[i] = NodeTiming{record[i].issue_ns, record[i].finish_ns};
  } else if (fast.status == PointStatus::NeedsReference) {
    ReferenceOptions options;
    options.compute_scale = p.compute_scale;
    SimulationResult sim = simulate_reference(p.network, p.system, p.backend, workload, options);
    out.by_reference = true;
    if (sim.status != SimStatus::Ok) {
      out.message = sim.message.empty() ? sim_status_name(sim.status) : sim.message;
      return out;
    }
    timings = std::move(sim.npu0_node_timings);
  } else {
    out.message = "rejected by the evaluator";
    return out;
  }
  out.layers = per_layer_breakdown(workload, timings, p.compute_scale);
  out.ok = true;
  return out;
}

std::vector<Column> PerLayerTable::columns() {
  std::vector<Column> c;
  auto add = [&](const char* name, CellType type) { c.push_back(Column{name, ColumnKind::PointIndex, -1, type}); };
  add("point_index", CellType::UInt);
  add("layer", CellType::Text);
  add("pass", CellType::Int);
  for (const char* name : {"forward_compute_ns", "input_gradient_compute_ns", "weight_gradient_compute_ns",
                           "comm_bytes", "comm_ready_ns", "comm_start_ns", "comm_finish_ns", "comm_duration_ns",
                           "comm_exposed_ns"})
    add(name, CellType::UInt);
  add("evaluated_by", CellType::Text);
  return c;
}

PerLayerTable::PerLayerTable(const SweepSpec& spec, const std::string& path, unsigned threads)
    : spec_(spec), threads_(threads ? threads : std::max(1u, std::thread::hardware_concurrency())) {
  if (spec.inline_collective || !spec.workload)
    throw InputError(spec.file, "--per-layer",
                     "needs a sweep of a text workload (workload: {file: ...}); this spec sweeps a single collective");
  if (!(ends_with(path, ".csv") || ends_with(path, ".jsonl") || ends_with(path, ".ndjson")))
    throw InputError("--per-layer", path, "the side table is written as .csv or .jsonl");
  writer_ = open_result_writer(path, columns());
  for (unsigned t = 0; t < threads_; ++t) {
    scratch_.push_back(std::make_unique<EvaluatorScratch>());
    records_.emplace_back();
  }
}

PerLayerTable::~PerLayerTable() = default;

void PerLayerTable::add_point(std::uint64_t index, const SweepPointResult& result) {
  if (result.status != SweepPointStatus::Ok) return;
  pending_.emplace_back(index, result.metrics);
  if (pending_.size() >= kPointsPerFlush) flush();
}

void PerLayerTable::flush() {
  std::vector<PointLayerBreakdown> done(pending_.size());
  parallel_for_chunks(pending_.size(), threads_, 8, [&](unsigned worker, std::uint64_t k) {
    done[k] = point_layer_breakdown(spec_, pending_[k].first, *scratch_[worker], records_[worker]);
  });
  std::vector<Cell> cells(columns().size());
  for (std::size_t k = 0; k < pending_.size(); ++k) {
    const PointLayerBreakdown& b = done[k];
    const std::uint64_t index = pending_[k].first;
    if (!b.ok)  // the main output has an ok row for this point: the evaluators disagree
      throw std::runtime_error("--per-layer: point " + std::to_string(index) +
                               " has an ok row but no per-node timings: " + b.message);
    const BreakdownTotals totals = breakdown_totals(b.layers);
    const PointMetrics& main_row = pending_[k].second;
    if (totals.compute_ns != main_row.compute_ns ||
        static_cast<std::int64_t>(totals.comm_exposed_ns) != main_row.exposed_comm_ns) {
      if (!b.by_reference)
        throw std::runtime_error("--per-layer: point " + std::to_string(index) +
                                 ": the per-layer totals do not add up to the point's compute and exposed time");
      ++not_adding_up_;
    }
    for (const LayerBreakdown& row : b.layers) {
      std::size_t c = 0;
      auto uint = [&](std::uint64_t v) {
        cells[c] = Cell{};
        cells[c].type = CellType::UInt;
        cells[c++].u = v;
      };
      uint(index);
      cells[c] = Cell{};
      cells[c].type = CellType::Text;
      cells[c++].text = row.layer;
      cells[c] = Cell{};
      cells[c].type = CellType::Int;
      cells[c++].i = row.pass;
      for (std::uint64_t v : {row.forward_compute_ns, row.input_gradient_compute_ns, row.weight_gradient_compute_ns,
                              row.comm_bytes, row.comm_ready_ns, row.comm_start_ns, row.comm_finish_ns,
                              row.comm_duration_ns, row.comm_exposed_ns})
        uint(v);
      cells[c] = Cell{};
      cells[c].type = CellType::Text;
      cells[c++].text = b.by_reference ? "reference" : "fast";
      writer_->write_row(cells);
      ++rows_written_;
    }
  }
  pending_.clear();
}

void PerLayerTable::commit() {
  flush();
  writer_->commit();
}

}  // namespace astra
