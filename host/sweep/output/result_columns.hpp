// The columns of a sweep's output and how one point becomes one row of cells.
//
// Every row: point_index, one column per axis (named with its unit, e.g. latency_ns[0]),
// status, then metrics. Metric columns (all in ns or GB/s, GB = 1e9 bytes):
//   collective_time_ns, iteration_time_ns (= the last NPU's finish), exposed_comm_ns,
//   compute_ns, comm_ns, gpu_ns, overlap_ns,
//   algbw_GBps, busbw_GBps (nccl-tests' definitions, kernels/sweep/sweep_metric.hpp)
// then nonphysical (collective sweeps: 1 when busbw_GBps exceeds what the NPU's links can inject,
// kernels/sweep/injection_bound.hpp, docs/physical_bounds.md; 0 when not; empty without a busbw),
// and evaluated_by (fast | reference), reason (why a point was rejected or did not complete).
// `--columns all` adds injection_bw_GBps (that bound, per point).
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kernels/sweep/sweep_metric.hpp"
#include "kernels/sweep/sweep_point_evaluation.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {

enum class ColumnKind : std::uint8_t {
  PointIndex, Axis, Status,
  CollectiveTimeNs, IterationTimeNs, ExposedCommNs, ComputeNs, CommNs, GpuNs, OverlapNs, AlgBwGBps, BusBwGBps,
  EvaluatedBy, Reason, InjectionBwGBps, Nonphysical,
};

enum class CellType : std::uint8_t { Null, Int, UInt, Real, Text };

struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::PointIndex;
  int axis = -1;
  CellType type = CellType::Text;
};

struct Cell {
  CellType type = CellType::Null;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double r = 0.0;
  std::string_view text;
};

std::vector<Column> all_columns(const SweepSpec& spec);
// The columns that say something for this spec (collective or workload metrics).
std::vector<Column> default_columns(const SweepSpec& spec);
// "default", "all", or a comma-separated list of names; throws InputError for an unknown name.
std::vector<Column> select_columns(const SweepSpec& spec, const std::string& list);

const char* point_status_name(SweepPointStatus s);

// The value of a metric column for one point; nullopt when the point has none (not ok, or the
// metric does not apply).
std::optional<double> metric_value(ColumnKind metric, const SweepSpec& spec, const SweepPoint& point,
                                   const SweepPointResult& result);
// The device-side metric of a metric column (kernels/sweep/sweep_metric.hpp).
SweepMetric sweep_metric_of(ColumnKind metric);
// A metric column by name ("busbw_GBps"), for --by; throws InputError when it is not a metric.
ColumnKind metric_column(const std::string& name);

// An allocator whose resize leaves new elements uninitialized (no zero-fill of buffers that
// are written in full right after).
template <class T>
struct NoInitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = NoInitAllocator<U>;
  };
  NoInitAllocator() = default;
  template <class U>
  NoInitAllocator(const NoInitAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
using ColumnBytes = std::vector<unsigned char, NoInitAllocator<unsigned char>>;

// Rows column by column, for the columnar output: per column the values as bytes (uint64,
// int64 or double; text columns as int32 codes into texts[c], -1 = none).
struct ColumnBlock {
  std::vector<ColumnBytes> data;
  std::vector<std::vector<std::string>> texts;
};

// Whether the model that answers a point (ASTRA-sim's or one beyond it, evaluated_by) can differ
// from the base point's: only an implementation axis changes it.
[[nodiscard]] bool implementation_may_vary(const CompiledSweep& s);

class RowBuilder {
 public:
  RowBuilder(const SweepSpec& spec, std::vector<Column> columns);
  const std::vector<Column>& columns() const { return columns_; }
  const SweepSpec& spec() const { return spec_; }
  // Distinct for every builder made in this process (what a writer keys its caches on: an
  // address may be reused by a later builder).
  std::uint64_t id() const { return id_; }
  const CompiledSweep& compiled() const { return compiled_; }
  // The text of a named axis' value code (what its text cells hold; empty when it has none).
  std::string_view axis_name(int axis, double code) const;
  // Fills `cells` (one per column); text cells point into this builder or into `reason`.
  // Safe to call from several threads at once (each with its own `cells`).
  void build(std::uint64_t index, const SweepPointResult& result, std::string_view reason,
             std::vector<Cell>& cells) const;
  // The same values as build for n points, column by column into `block` (no Cells: the
  // columnar output's fast path) at rows [at, at + n) of every column: at 0 the block is refilled
  // (n rows per column); past 0 the rows are appended to an earlier call's first `at` rows, whose
  // text codes stay valid (texts are kept). Reason columns are left -1 for the caller to fill.
  void fill_columns(std::size_t n, const std::uint64_t* indices, const SweepPointResult* const* results,
                    ColumnBlock& block, std::size_t at = 0) const;

 private:
  const SweepSpec& spec_;
  std::uint64_t id_ = 0;
  CompiledSweep compiled_;
  std::vector<Column> columns_;
  std::vector<std::vector<std::pair<double, std::string>>> names_;  // per axis: code -> name
};

}  // namespace astra
