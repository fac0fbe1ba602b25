#include "host/sweep/output/csv_rows.hpp"

#include <algorithm>
#include <cstring>

#include "host/sweep/output/cell_text.hpp"
#include "kernels/model/beyond_model.hpp"
#include "kernels/sweep/injection_bound.hpp"
#include "kernels/sweep/sweep_metric.hpp"

namespace astra {
namespace {

// Tables of at most this many rows keep their axis cells as text.
constexpr std::uint64_t kMaxCachedRows = 1u << 16;

char* write_axis_cell(char* p, const RowBuilder& b, const Column& col, double v) {
  if (col.type == CellType::Text) return write_csv_field(p, b.axis_name(col.axis, v));
  if (col.type == CellType::Int) return write_int_text(p, static_cast<std::int64_t>(v));
  return write_real_text(p, v);
}

char* copy(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

}  // namespace

char* write_csv_field(char* p, std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return copy(p, text);
  *p++ = '"';
  for (char c : text) {
    if (c == '"') *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  return p;
}

CsvRowFormatter::CsvRowFormatter(const RowBuilder& builder) : builder_id_(builder.id()) {
  const CompiledSweep& s = builder.compiled();
  const std::vector<Column>& columns = builder.columns();
  axis_digit_.assign(static_cast<std::size_t>(s.axis_count), -1);
  for (int k = 0; k < s.digit_count; ++k)
    for (int j = 0; j < s.digits[k].axis_count; ++j) axis_digit_[static_cast<std::size_t>(s.digits[k].first_axis + j)] = k;
  axis_cells_.resize(columns.size());
  row_bound_ = 1;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const Column& col = columns[c];
    std::size_t bound = 32;  // numbers (to_chars' longest double is 24 bytes)
    switch (col.kind) {
      case ColumnKind::Axis: {
        const int k = axis_digit_[static_cast<std::size_t>(col.axis)];
        if (k < 0) break;
        const SweepDigit& d = s.digits[k];
        if (col.type == CellType::Text) {  // names are unbounded: keep them all as text
          bound = 0;
        } else if (d.rows > kMaxCachedRows) {
          break;
        }
        AxisCells& cells = axis_cells_[c];
        cells.digit = k;
        const int j = col.axis - d.first_axis;
        char buf[64];
        for (std::uint64_t r = 0; r < d.rows; ++r) {
          const double v = s.values[d.table_offset + r * static_cast<std::uint64_t>(d.axis_count) +
                                    static_cast<std::uint64_t>(j)];
          cells.begin.push_back(static_cast<std::uint32_t>(cells.text.size()));
          if (col.type == CellType::Text) {
            const std::string_view name = builder.axis_name(col.axis, v);
            std::string field(2 * name.size() + 2, '\0');
            field.resize(static_cast<std::size_t>(write_csv_field(field.data(), name) - field.data()));
            cells.text += field;
            bound = std::max(bound, field.size());
          } else {
            cells.text.append(buf, static_cast<std::size_t>(write_axis_cell(buf, builder, col, v) - buf));
          }
        }
        cells.begin.push_back(static_cast<std::uint32_t>(cells.text.size()));
        break;
      }
      case ColumnKind::AlgBwGBps:
      case ColumnKind::BusBwGBps:
      case ColumnKind::Nonphysical:
      case ColumnKind::InjectionBwGBps: needs_point_ = true; break;
      case ColumnKind::EvaluatedBy:  // beyond_astra_sim where the point's system uses such a model
        if (implementation_may_vary(s)) needs_point_ = true;
        break;
      case ColumnKind::Reason: bound = 0; break;  // added per row
      default: break;
    }
    row_bound_ += 1 + bound;
  }
}

void CsvRowFormatter::append(const RowBuilder& b, const RowPoints& rows, CharBuffer& out) const {
  const CompiledSweep& s = b.compiled();
  const SweepSpec& spec = b.spec();
  const std::vector<Column>& columns = b.columns();
  const std::size_t n = rows.index.size();
  const bool reasons = !rows.reason.empty();
  double axis_values[kMaxSweepAxes];
  SweepOdometer odometer;
  SweepPoint point = s.base;
  std::uint64_t previous = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint64_t index = rows.index[k];
    const SweepPointResult& r = *rows.result[k];
    if (k > 0 && index == previous + 1) odometer.next(s, axis_values);
    else odometer.start(s, index, axis_values);
    previous = index;
    // Applying every axis in order onto the previous point gives the point the base would give
    // (sweep_point_evaluation.hpp's evaluate_decoded_point).
    if (needs_point_)
      for (int a = 0; a < s.axis_count; ++a) apply_axis_value(s.axes[a], axis_values[a], point);
    const bool ok = r.status == SweepPointStatus::Ok;
    std::size_t bound = row_bound_;
    if (reasons) bound += 2 * rows.reason[k].size() + 2;
    char* p = out.reserve(bound);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const Column& col = columns[c];
      if (c) *p++ = ',';
      switch (col.kind) {
        case ColumnKind::PointIndex: p = write_uint_text(p, index); break;
        case ColumnKind::Axis: {
          const AxisCells& cells = axis_cells_[c];
          if (cells.digit >= 0) {
            const std::uint64_t row = odometer.row[cells.digit];
            const std::uint32_t from = cells.begin[row], to = cells.begin[row + 1];
            std::memcpy(p, cells.text.data() + from, to - from);
            p += to - from;
          } else if (col.type == CellType::Text) {  // names are cached whenever they are on a digit
            p = write_csv_field(p, b.axis_name(col.axis, axis_values[col.axis]));
          } else {
            p = write_axis_cell(p, b, col, axis_values[col.axis]);
          }
          break;
        }
        case ColumnKind::Status: p = copy(p, point_status_name(r.status)); break;
        case ColumnKind::EvaluatedBy:
          p = copy(p, r.by_reference                           ? "reference"
                      : system_uses_beyond_model(point.system) ? "beyond_astra_sim"
                                                               : "fast");
          break;
        case ColumnKind::Reason:
          if (reasons) p = write_csv_field(p, rows.reason[k]);
          break;
        case ColumnKind::InjectionBwGBps: p = write_real_text(p, injection_bandwidth_GBps(point.network)); break;
        case ColumnKind::Nonphysical:  // as RowBuilder::build: empty where there is no busbw
          if (spec.inline_collective && ok && r.metrics.finish_ns != 0)
            *p++ = busbw_exceeds_injection(point, r.metrics.finish_ns) ? '1' : '0';
          break;
        default: {
          if (!ok) break;
          const double v = sweep_metric_value(sweep_metric_of(col.kind), spec.inline_collective, point, r);
          if (!metric_has_value(v)) break;
          if (col.type == CellType::UInt) {
            const PointMetrics& m = r.metrics;
            p = write_uint_text(p, col.kind == ColumnKind::CollectiveTimeNs || col.kind == ColumnKind::IterationTimeNs
                                       ? m.finish_ns
                                   : col.kind == ColumnKind::ComputeNs ? m.compute_ns
                                   : col.kind == ColumnKind::CommNs    ? m.comm_ns
                                   : col.kind == ColumnKind::GpuNs     ? m.gpu_ns
                                                                       : m.overlap_ns);
          } else if (col.type == CellType::Int) {
            p = write_int_text(p, r.metrics.exposed_comm_ns);
          } else {
            p = write_real_text(p, v);
          }
        }
      }
    }
    *p++ = '\n';
    out.commit(p);
  }
}

}  // namespace astra
