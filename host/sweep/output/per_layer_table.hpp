// The side table of `astra-sweep run SPEC --per-layer FILE`: for every row of the main output of a
// text-workload sweep (every kept row with --top-k), one row per (layer, pass) of that point's
// per-layer breakdown (host/reference/per_layer_breakdown.hpp, the same arithmetic as
// `simulate --per-layer` and the study, so one definition of "exposed").
//
// Columns: point_index (as in the main output), layer, pass, forward_compute_ns,
// input_gradient_compute_ns, weight_gradient_compute_ns, comm_bytes, comm_ready_ns,
// comm_start_ns, comm_finish_ns, comm_duration_ns, comm_exposed_ns, evaluated_by.
// Per point, the compute columns add up to the main output's compute_ns and comm_exposed_ns to
// its exposed_comm_ns (so compute + exposed = iteration_time_ns); every point is checked, and a
// fast-path point that does not add up is an error. Only ok points get rows.
//
// The per-node times come from the fast evaluator's optional record (replay_node_timing.hpp),
// or from the reference simulator's NPU 0 for points the fast evaluator hands back. Each covered
// point is evaluated once more on the host (about as costly as the sweep itself on the CPU
// backend) and yields one row per layer (ResNet-50: 54): hence the point limit of run_command.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kernels/model/evaluator_scratch.hpp"
#include "kernels/model/replay_node_timing.hpp"
#include "host/reference/per_layer_breakdown.hpp"
#include "host/sweep/output/result_columns.hpp"
#include "host/sweep/output/result_writer.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {

// One point's breakdown; `ok` false when neither evaluator finished it (message says why).
struct PointLayerBreakdown {
  bool ok = false;
  bool by_reference = false;
  std::string message;
  std::vector<LayerBreakdown> layers;
};

// Evaluates point `index` of a text-workload sweep with per-node timings: the fast evaluator
// (scratch and record are the caller's working memory), else the reference simulator.
PointLayerBreakdown point_layer_breakdown(const SweepSpec& spec, std::uint64_t index, EvaluatorScratch& scratch,
                                          std::vector<ReplayNodeTiming>& record);

class PerLayerTable {
 public:
  // Throws InputError when the spec sweeps a collective rather than a text workload, or when
  // `path` is not a .csv or .jsonl file.
  PerLayerTable(const SweepSpec& spec, const std::string& path, unsigned threads);
  ~PerLayerTable();
  PerLayerTable(const PerLayerTable&) = delete;
  PerLayerTable& operator=(const PerLayerTable&) = delete;

  static std::vector<Column> columns();
  // A row of the main output was written for point `index` (call in output order).
  void add_point(std::uint64_t index, const SweepPointResult& result);
  // Writes what is pending and moves the file into place; without it the file is discarded.
  void commit();
  std::uint64_t rows_written() const { return rows_written_; }
  // Points whose rows do not add up to their main-output row: congestion-aware runs whose NPUs
  // finish apart (the side table is NPU 0's, the main row the last NPU's). Fast-path points
  // always add up.
  std::uint64_t points_not_adding_up() const { return not_adding_up_; }

 private:
  void flush();

  const SweepSpec& spec_;
  unsigned threads_;
  std::unique_ptr<ResultWriter> writer_;
  std::vector<std::unique_ptr<EvaluatorScratch>> scratch_;
  std::vector<std::vector<ReplayNodeTiming>> records_;
  std::vector<std::pair<std::uint64_t, PointMetrics>> pending_;  // point, its main-output metrics
  std::uint64_t rows_written_ = 0;
  std::uint64_t not_adding_up_ = 0;
};

}  // namespace astra
