#include "host/sweep/output/result_columns.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "host/input/input_error.hpp"
#include "kernels/model/beyond_model.hpp"
#include "kernels/sweep/injection_bound.hpp"

namespace astra {

bool implementation_may_vary(const CompiledSweep& s) {
  for (int a = 0; a < s.axis_count; ++a)
    if (s.axes[a].field == SweepField::Implementation) return true;
  return false;
}
namespace {

struct MetricName {
  const char* name;
  ColumnKind kind;
  CellType type;
};

constexpr MetricName kMetrics[] = {
    {"collective_time_ns", ColumnKind::CollectiveTimeNs, CellType::UInt},
    {"iteration_time_ns", ColumnKind::IterationTimeNs, CellType::UInt},
    {"exposed_comm_ns", ColumnKind::ExposedCommNs, CellType::Int},
    {"compute_ns", ColumnKind::ComputeNs, CellType::UInt},
    {"comm_ns", ColumnKind::CommNs, CellType::UInt},
    {"gpu_ns", ColumnKind::GpuNs, CellType::UInt},
    {"overlap_ns", ColumnKind::OverlapNs, CellType::UInt},
    {"algbw_GBps", ColumnKind::AlgBwGBps, CellType::Real},
    {"busbw_GBps", ColumnKind::BusBwGBps, CellType::Real},
};

std::uint64_t next_builder_id() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

Column metric(const char* name) {
  for (const MetricName& m : kMetrics)
    if (std::string_view(m.name) == name) return {m.name, m.kind, -1, m.type};
  return {};
}

}  // namespace

const char* point_status_name(SweepPointStatus s) {
  switch (s) {
    case SweepPointStatus::Ok: return "ok";
    case SweepPointStatus::Rejected: return "rejected";
    case SweepPointStatus::NeedsReference: return "needs_reference";
    case SweepPointStatus::Filtered: return "filtered";
    case SweepPointStatus::Incomplete: return "incomplete";
  }
  return "?";
}

std::vector<Column> all_columns(const SweepSpec& spec) {
  std::vector<Column> out;
  out.push_back({"point_index", ColumnKind::PointIndex, -1, CellType::UInt});
  for (int a = 0; a < static_cast<int>(spec.axes.size()); ++a) {
    const AxisField& f = spec.axes[a].field;
    const CellType t = f.kind == AxisValueKind::Name      ? CellType::Text
                       : f.kind == AxisValueKind::Integer ? CellType::Int
                                                          : CellType::Real;
    out.push_back({f.column, ColumnKind::Axis, a, t});
  }
  out.push_back({"status", ColumnKind::Status, -1, CellType::Text});
  for (const MetricName& m : kMetrics) out.push_back({m.name, m.kind, -1, m.type});
  out.push_back({"injection_bw_GBps", ColumnKind::InjectionBwGBps, -1, CellType::Real});
  out.push_back({"nonphysical", ColumnKind::Nonphysical, -1, CellType::UInt});
  out.push_back({"evaluated_by", ColumnKind::EvaluatedBy, -1, CellType::Text});
  out.push_back({"reason", ColumnKind::Reason, -1, CellType::Text});
  return out;
}

std::vector<Column> default_columns(const SweepSpec& spec) {
  std::vector<Column> out;
  for (const Column& c : all_columns(spec)) {
    if (c.kind == ColumnKind::EvaluatedBy || c.kind == ColumnKind::Reason || c.kind == ColumnKind::InjectionBwGBps)
      continue;
    if (c.kind != ColumnKind::PointIndex && c.kind != ColumnKind::Axis && c.kind != ColumnKind::Status) {
      const bool collective_metric = c.kind == ColumnKind::CollectiveTimeNs || c.kind == ColumnKind::AlgBwGBps ||
                                     c.kind == ColumnKind::BusBwGBps || c.kind == ColumnKind::Nonphysical;
      if (spec.inline_collective != collective_metric) continue;
    }
    out.push_back(c);
  }
  out.push_back({"evaluated_by", ColumnKind::EvaluatedBy, -1, CellType::Text});
  out.push_back({"reason", ColumnKind::Reason, -1, CellType::Text});
  return out;
}

std::vector<Column> select_columns(const SweepSpec& spec, const std::string& list) {
  if (list.empty() || list == "default") return default_columns(spec);
  const std::vector<Column> all = all_columns(spec);
  if (list == "all") return all;
  std::vector<Column> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string name = list.substr(start, end - start);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    auto it = std::find_if(all.begin(), all.end(), [&](const Column& c) {
      return c.name == name || (c.kind == ColumnKind::Axis && spec.axes[c.axis].spelled == name);
    });
    if (it == all.end()) {
      std::string known;
      for (const Column& c : all) known += (known.empty() ? "" : ", ") + c.name;
      throw InputError("--columns", name, "unknown column (known: " + known + ")");
    }
    out.push_back(*it);
    start = end + 1;
  }
  return out;
}

ColumnKind metric_column(const std::string& name) {
  const Column c = metric(name.c_str());
  if (c.name.empty()) {
    std::string known;
    for (const MetricName& m : kMetrics) known += (known.empty() ? "" : ", ") + std::string(m.name);
    throw InputError("--by", name, "not a metric (metrics: " + known + ")");
  }
  return c.kind;
}

SweepMetric sweep_metric_of(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::CollectiveTimeNs: return SweepMetric::CollectiveTimeNs;
    case ColumnKind::IterationTimeNs: return SweepMetric::IterationTimeNs;
    case ColumnKind::ExposedCommNs: return SweepMetric::ExposedCommNs;
    case ColumnKind::ComputeNs: return SweepMetric::ComputeNs;
    case ColumnKind::CommNs: return SweepMetric::CommNs;
    case ColumnKind::GpuNs: return SweepMetric::GpuNs;
    case ColumnKind::OverlapNs: return SweepMetric::OverlapNs;
    case ColumnKind::AlgBwGBps: return SweepMetric::AlgBwGBps;
    case ColumnKind::BusBwGBps: return SweepMetric::BusBwGBps;
    default: throw std::logic_error("sweep_metric_of: not a metric column");
  }
}

std::optional<double> metric_value(ColumnKind kind, const SweepSpec& spec, const SweepPoint& point,
                                   const SweepPointResult& result) {
  if (kind < ColumnKind::CollectiveTimeNs || kind > ColumnKind::BusBwGBps) return std::nullopt;
  const double v = sweep_metric_value(sweep_metric_of(kind), spec.inline_collective, point, result);
  if (!metric_has_value(v)) return std::nullopt;
  return v;
}

RowBuilder::RowBuilder(const SweepSpec& spec, std::vector<Column> columns)
    : spec_(spec), id_(next_builder_id()), compiled_(spec.compiled()), columns_(std::move(columns)), names_(spec.axes.size()) {
  for (const SweepGroup& g : spec.groups) {
    for (int j = 0; j < g.axis_count; ++j) {
      const int a = g.first_axis + j;
      const AxisField& f = spec.axes[a].field;
      if (f.kind != AxisValueKind::Name) continue;
      for (std::uint64_t r = 0; r < g.rows; ++r) {
        const double code = spec.values[g.table_offset + r * g.axis_count + j];
        auto& table = names_[a];
        if (std::none_of(table.begin(), table.end(), [&](const auto& e) { return e.first == code; }))
          table.emplace_back(code, axis_value_name(f, code));
      }
    }
  }
}

std::string_view RowBuilder::axis_name(int axis, double code) const {
  std::string_view name;
  for (const auto& e : names_[axis])
    if (e.first == code) name = e.second;
  return name;
}

void RowBuilder::build(std::uint64_t index, const SweepPointResult& result, std::string_view reason,
                       std::vector<Cell>& cells) const {
  double axis_values[kMaxSweepAxes];
  decode_axis_values(compiled_, index, axis_values);
  SweepPoint point;
  apply_axis_values(compiled_, axis_values, point);
  cells.resize(columns_.size());
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const Column& col = columns_[c];
    Cell& cell = cells[c];
    cell = Cell{};
    switch (col.kind) {
      case ColumnKind::PointIndex:
        cell.type = CellType::UInt;
        cell.u = index;
        break;
      case ColumnKind::Axis: {
        const double v = axis_values[col.axis];
        if (col.type == CellType::Text) {
          cell.type = CellType::Text;
          for (const auto& e : names_[col.axis])
            if (e.first == v) cell.text = e.second;
        } else if (col.type == CellType::Int) {
          cell.type = CellType::Int;
          cell.i = static_cast<std::int64_t>(v);
        } else {
          cell.type = CellType::Real;
          cell.r = v;
        }
        break;
      }
      case ColumnKind::Status:
        cell.type = CellType::Text;
        cell.text = point_status_name(result.status);
        break;
      case ColumnKind::EvaluatedBy:
        cell.type = CellType::Text;
        cell.text = result.by_reference ? "reference" : system_uses_beyond_model(point.system) ? "beyond_astra_sim" : "fast";
        break;
      case ColumnKind::Reason:
        if (!reason.empty()) {
          cell.type = CellType::Text;
          cell.text = reason;
        }
        break;
      case ColumnKind::InjectionBwGBps:
        cell.type = CellType::Real;
        cell.r = injection_bandwidth_GBps(point.network);
        break;
      case ColumnKind::Nonphysical:
        // Empty where there is no busbw (not ok, workloads, zero-time collectives).
        if (!spec_.inline_collective || result.status != SweepPointStatus::Ok || result.metrics.finish_ns == 0) break;
        cell.type = CellType::UInt;
        cell.u = busbw_exceeds_injection(point, result.metrics.finish_ns) ? 1 : 0;
        break;
      default: {
        const std::optional<double> v = metric_value(col.kind, spec_, point, result);
        if (!v) break;
        cell.type = col.type;
        if (col.type == CellType::UInt) {
          cell.u = col.kind == ColumnKind::CollectiveTimeNs || col.kind == ColumnKind::IterationTimeNs
                       ? result.metrics.finish_ns
                   : col.kind == ColumnKind::ComputeNs ? result.metrics.compute_ns
                   : col.kind == ColumnKind::CommNs    ? result.metrics.comm_ns
                   : col.kind == ColumnKind::GpuNs     ? result.metrics.gpu_ns
                                                       : result.metrics.overlap_ns;
        } else if (col.type == CellType::Int) {
          cell.i = result.metrics.exposed_comm_ns;
        } else {
          cell.r = *v;
        }
      }
    }
  }
}

namespace {

// Room for rows [at, at + n) of a column (rows before `at` kept), returned at row `at`.
template <class T>
T* column_out(ColumnBytes& d, std::size_t at, std::size_t n) {
  d.resize((at + n) * sizeof(T));  // not zero-filled (NoInitAllocator): every element is written below
  return reinterpret_cast<T*>(d.data()) + at;
}

}  // namespace

// Column by column where a column needs only the results (tight typed loops), and in one pass
// over the rows for what needs the point itself (axis values, bandwidths, the injection bound).
void RowBuilder::fill_columns(std::size_t n, const std::uint64_t* indices, const SweepPointResult* const* results,
                              ColumnBlock& block, std::size_t at) const {
  const std::size_t ncol = columns_.size();
  block.data.resize(ncol);
  block.texts.resize(ncol);
  constexpr std::uint64_t kNoUInt = std::numeric_limits<std::uint64_t>::max();
  constexpr std::int64_t kNoInt = std::numeric_limits<std::int64_t>::min();
  constexpr double kNoReal = std::numeric_limits<double>::quiet_NaN();
  // Columns of the pass over the rows.
  struct AxisOut {
    int axis;
    CellType type;
    void* out;
  };
  struct PointOut {
    ColumnKind kind;
    void* out;
  };
  std::vector<AxisOut> axes;
  std::vector<PointOut> point_columns;
  bool apply_every_point = false;  // injection_bw_GBps, evaluated_by: also for points not ok
  for (std::size_t c = 0; c < ncol; ++c) {
    const Column& col = columns_[c];
    auto& d = block.data[c];
    auto& texts = block.texts[c];
    const bool fresh = at == 0;  // appending: the texts (and the codes that point at them) stay
    if (fresh) texts.clear();
    switch (col.kind) {
      case ColumnKind::PointIndex: std::memcpy(column_out<std::uint64_t>(d, at, n), indices, n * sizeof *indices); break;
      case ColumnKind::Axis:
        if (col.type == CellType::Text) {
          if (fresh)
            for (const auto& e : names_[col.axis]) texts.push_back(e.second);
          axes.push_back({col.axis, col.type, column_out<std::int32_t>(d, at, n)});
        } else {
          axes.push_back({col.axis, col.type, column_out<std::uint64_t>(d, at, n)});
        }
        break;
      case ColumnKind::Status: {
        if (fresh)
          for (auto st : {SweepPointStatus::Ok, SweepPointStatus::Rejected, SweepPointStatus::NeedsReference,
                          SweepPointStatus::Filtered, SweepPointStatus::Incomplete})
            texts.emplace_back(point_status_name(st));
        std::int32_t* o = column_out<std::int32_t>(d, at, n);
        for (std::size_t k = 0; k < n; ++k) o[k] = static_cast<std::int32_t>(results[k]->status);
        break;
      }
      case ColumnKind::EvaluatedBy:  // beyond_astra_sim: a model ASTRA-sim does not have (beyond_model.hpp)
        if (fresh) texts = {"fast", "reference", "beyond_astra_sim"};
        // which model answered is in each point's system, when an axis can change it
        apply_every_point = apply_every_point || implementation_may_vary(compiled_);
        point_columns.push_back({col.kind, column_out<std::int32_t>(d, at, n)});
        break;
      case ColumnKind::Reason: std::fill_n(column_out<std::int32_t>(d, at, n), n, std::int32_t{-1}); break;
      case ColumnKind::InjectionBwGBps:
        apply_every_point = true;
        point_columns.push_back({col.kind, column_out<double>(d, at, n)});
        break;
      case ColumnKind::Nonphysical: point_columns.push_back({col.kind, column_out<std::uint64_t>(d, at, n)}); break;
      case ColumnKind::AlgBwGBps:
      case ColumnKind::BusBwGBps: point_columns.push_back({col.kind, column_out<double>(d, at, n)}); break;
      default: {  // metrics of the result alone
        // These metrics have a value on every ok point but collective_time_ns of workload
        // files (sweep_metric_value, which they do not need the point for).
        const SweepPoint none{};
        SweepPointResult ok{};
        ok.status = SweepPointStatus::Ok;
        const bool applies = metric_has_value(sweep_metric_value(sweep_metric_of(col.kind), spec_.inline_collective, none, ok));
        if (col.type == CellType::UInt) {
          std::uint64_t* o = column_out<std::uint64_t>(d, at, n);
          for (std::size_t k = 0; k < n; ++k) {
            const SweepPointResult& r = *results[k];
            const PointMetrics& m = r.metrics;
            const std::uint64_t u = col.kind == ColumnKind::CollectiveTimeNs || col.kind == ColumnKind::IterationTimeNs
                                        ? m.finish_ns
                                    : col.kind == ColumnKind::ComputeNs ? m.compute_ns
                                    : col.kind == ColumnKind::CommNs    ? m.comm_ns
                                    : col.kind == ColumnKind::GpuNs     ? m.gpu_ns
                                                                        : m.overlap_ns;
            o[k] = r.status == SweepPointStatus::Ok && applies ? u : kNoUInt;
          }
        } else {
          std::int64_t* o = column_out<std::int64_t>(d, at, n);
          for (std::size_t k = 0; k < n; ++k) {
            const SweepPointResult& r = *results[k];
            o[k] = r.status == SweepPointStatus::Ok && applies ? static_cast<std::int64_t>(r.metrics.exposed_comm_ns)
                                                                 : kNoInt;
          }
        }
      }
    }
  }
  if (axes.empty() && point_columns.empty()) return;
  double axis_values[kMaxSweepAxes];
  // Consecutive points are decoded like an odometer (no divisions), and each point is the
  // previous one with every axis applied again (no copy of the base: sweep_point_evaluation.hpp's
  // evaluate_decoded_point).
  SweepOdometer odometer;
  SweepPoint point = compiled_.base;
  const bool need_point = !point_columns.empty();
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint64_t index = indices[k];
    if (k > 0 && index == indices[k - 1] + 1) odometer.next(compiled_, axis_values);
    else odometer.start(compiled_, index, axis_values);
    for (const AxisOut& a : axes) {
      const double v = axis_values[a.axis];
      if (a.type == CellType::Text) {
        std::int32_t code = -1;
        const auto& table = names_[a.axis];
        for (std::size_t e = 0; e < table.size(); ++e)
          if (table[e].first == v) code = static_cast<std::int32_t>(e);
        static_cast<std::int32_t*>(a.out)[k] = code;
      } else if (a.type == CellType::Int) {
        static_cast<std::int64_t*>(a.out)[k] = static_cast<std::int64_t>(v);
      } else {
        static_cast<double*>(a.out)[k] = v;
      }
    }
    if (!need_point) continue;
    const SweepPointResult& r = *results[k];
    const bool ok = r.status == SweepPointStatus::Ok;
    if (ok || apply_every_point)
      for (int a = 0; a < compiled_.axis_count; ++a) apply_axis_value(compiled_.axes[a], axis_values[a], point);
    // The bandwidths as sweep_metric_value gives them (a value for ok inline collectives that
    // took time), the nonphysical flag as busbw_exceeds_injection decides it.
    const bool has_bw = ok && spec_.inline_collective && r.metrics.finish_ns != 0;
    const double algbw = has_bw ? collective_algbw_GBps(point.size_bytes, r.metrics.finish_ns) : kNoReal;
    const double busbw = has_bw ? collective_busbw_GBps(point.collective, point.network.total_npus(), point.size_bytes,
                                                        r.metrics.finish_ns)
                                : kNoReal;
    for (const PointOut& c : point_columns) {
      switch (c.kind) {
        case ColumnKind::InjectionBwGBps: static_cast<double*>(c.out)[k] = injection_bandwidth_GBps(point.network); break;
        case ColumnKind::EvaluatedBy:
          static_cast<std::int32_t*>(c.out)[k] = r.by_reference ? 1 : system_uses_beyond_model(point.system) ? 2 : 0;
          break;
        case ColumnKind::Nonphysical:  // as the text cell (busbw_exceeds_injection): no value where there is no busbw
          static_cast<std::uint64_t*>(c.out)[k] =
              has_bw ? std::uint64_t{busbw > injection_bandwidth_GBps(point.network) &&
                                             !uses_beyond_model(point.system, point.collective)
                                         ? 1u
                                         : 0u}
                     : kNoUInt;
          break;
        case ColumnKind::AlgBwGBps: static_cast<double*>(c.out)[k] = algbw; break;
        default: static_cast<double*>(c.out)[k] = busbw; break;
      }
    }
  }
}

}  // namespace astra
