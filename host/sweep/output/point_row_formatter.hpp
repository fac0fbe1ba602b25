// Text rows straight from evaluated points (the text writers' fast path): no Cells, no per-cell
// type dispatch; each axis value's cell is formatted once per distinct value of its table (grid
// axes repeat their values along the rows) and copied, metrics go through std::to_chars, points
// are decoded by an odometer. The text format is a `Text` dialect (CsvText, csv_rows.hpp;
// JsonText, jsonl_rows.hpp) with:
//   char* begin_row(char*) const;  char* end_row(char*) const;
//   char* begin_cell(char*, std::size_t column) const;   // separator (and key)
//   std::size_t cell_bound(std::size_t column) const;    // bytes begin_cell writes at most
//   char* text(char*, std::string_view) const;          // a quoted/escaped text cell
//   std::size_t text_bound(std::size_t bytes) const;     // bytes text() writes at most
//   char* missing(char*) const;                          // a cell without a value
//   char* real(char*, double) const;                     // a real (non-finite: as the dialect says)
// Byte-identical to the dialect's writer formatting RowBuilder::build's cells.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "host/sweep/output/cell_text.hpp"
#include "host/sweep/output/row_source.hpp"
#include "host/sweep/output/short_copy.hpp"
#include "kernels/model/beyond_model.hpp"
#include "kernels/sweep/injection_bound.hpp"
#include "kernels/sweep/sweep_metric.hpp"

namespace astra {

template <class Text>
class PointRowFormatter {
 public:
  // The builder's columns, in its order.
  PointRowFormatter(const RowBuilder& builder, Text text);
  // The builder's id (RowBuilder::id): this formatter serves that builder's rows only.
  std::uint64_t builder_id() const { return builder_id_; }
  // Appends one row per point of `rows` of `builder` (the one this was made from, or one with
  // its id).
  void append(const RowBuilder& builder, const RowPoints& rows, CharBuffer& out) const;

 private:
  // Tables of at most this many rows keep their axis cells as text.
  static constexpr std::uint64_t kMaxCachedRows = 1u << 16;
  struct AxisCells {                   // an axis column's cells by row of its digit's table
    int digit = -1;                    // -1: formatted per row (a table too large to keep as text)
    std::vector<std::uint32_t> begin;  // rows + 1 offsets into text
    std::string text;
  };
  char* axis_cell(char* p, const RowBuilder& b, const Column& col, double v) const {
    if (col.type == CellType::Text) return text_.text(p, b.axis_name(col.axis, v));
    if (col.type == CellType::Int) return write_int_text(p, static_cast<std::int64_t>(v));
    return text_.real(p, v);
  }
  // A piece formatted once (kept padded for copy_short: see formatted()).
  static char* copy(char* p, const std::string& s) { return copy_short(p, s.data(), s.size() - kShortCopyBytes); }

  std::string formatted(std::string_view s) const {
    std::string out(text_.text_bound(s.size()), '\0');
    out.resize(static_cast<std::size_t>(text_.text(out.data(), s) - out.data()));
    pad_for_short_copy(out);
    return out;
  }

  Text text_;
  std::uint64_t builder_id_;
  std::string status_text_[kSweepPointStatusCount];  // each status' cell, formatted once
  std::string evaluated_by_text_[3];                   // fast, beyond_astra_sim, reference
  std::vector<AxisCells> axis_cells_;  // per column (used by axis columns)
  std::vector<int> axis_digit_;        // per axis: its digit
  bool needs_point_ = false;           // bandwidths, nonphysical, injection bound, evaluated_by
  std::size_t row_bound_ = 0;          // bytes one row needs at most, reasons aside
};

template <class Text>
PointRowFormatter<Text>::PointRowFormatter(const RowBuilder& builder, Text text)
    : text_(std::move(text)), builder_id_(builder.id()) {
  const CompiledSweep& s = builder.compiled();
  const std::vector<Column>& columns = builder.columns();
  for (int k = 0; k < kSweepPointStatusCount; ++k)
    status_text_[k] = formatted(point_status_name(static_cast<SweepPointStatus>(k)));
  evaluated_by_text_[0] = formatted("fast");
  evaluated_by_text_[1] = formatted("beyond_astra_sim");
  evaluated_by_text_[2] = formatted("reference");
  axis_digit_.assign(static_cast<std::size_t>(s.axis_count), -1);
  for (int k = 0; k < s.digit_count; ++k)
    for (int j = 0; j < s.digits[k].axis_count; ++j) axis_digit_[static_cast<std::size_t>(s.digits[k].first_axis + j)] = k;
  axis_cells_.resize(columns.size());
  row_bound_ = 16;  // begin_row + end_row
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const Column& col = columns[c];
    std::size_t bound = 32;  // numbers (to_chars' longest double is 24 bytes), "null", status names
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
        for (std::uint64_t r = 0; r < d.rows; ++r) {
          const double v = s.values[d.table_offset + r * static_cast<std::uint64_t>(d.axis_count) +
                                    static_cast<std::uint64_t>(j)];
          const std::size_t need =
              col.type == CellType::Text ? text_.text_bound(builder.axis_name(col.axis, v).size()) : 64;
          std::string cell(need, '\0');
          cell.resize(static_cast<std::size_t>(axis_cell(cell.data(), builder, col, v) - cell.data()));
          cells.begin.push_back(static_cast<std::uint32_t>(cells.text.size()));
          cells.text += cell;
          bound = std::max(bound, cell.size());
        }
        cells.begin.push_back(static_cast<std::uint32_t>(cells.text.size()));
        pad_for_short_copy(cells.text);
        bound = std::max(bound, kShortCopyBytes);
        break;
      }
      case ColumnKind::AlgBwGBps:
      case ColumnKind::BusBwGBps:
      case ColumnKind::Nonphysical:
      case ColumnKind::InjectionBwGBps: needs_point_ = true; break;
      case ColumnKind::EvaluatedBy:  // beyond_astra_sim where the point's system uses such a model
        if (implementation_may_vary(s)) needs_point_ = true;
        break;
      case ColumnKind::Reason: break;  // the text is added per row
      default: break;
    }
    row_bound_ += text_.cell_bound(c) + bound;
  }
}

template <class Text>
void PointRowFormatter<Text>::append(const RowBuilder& b, const RowPoints& rows, CharBuffer& out) const {
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
    if (reasons) bound += text_.text_bound(rows.reason[k].size());
    char* p = text_.begin_row(out.reserve(bound));
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const Column& col = columns[c];
      p = text_.begin_cell(p, c);
      switch (col.kind) {
        case ColumnKind::PointIndex: p = write_uint_text(p, index); break;
        case ColumnKind::Axis: {
          const AxisCells& cells = axis_cells_[c];
          if (cells.digit >= 0) {
            const std::uint64_t row = odometer.row[cells.digit];
            const std::uint32_t from = cells.begin[row], to = cells.begin[row + 1];
            p = copy_short(p, cells.text.data() + from, to - from);
          } else {
            p = axis_cell(p, b, col, axis_values[col.axis]);
          }
          break;
        }
        case ColumnKind::Status: p = copy(p, status_text_[static_cast<int>(r.status)]); break;
        case ColumnKind::EvaluatedBy:
          p = copy(p, evaluated_by_text_[r.by_reference ? 2 : system_uses_beyond_model(point.system) ? 1 : 0]);
          break;
        case ColumnKind::Reason:  // as RowBuilder::build: no value where the text is empty
          if (reasons && !rows.reason[k].empty()) p = text_.text(p, rows.reason[k]);
          else p = text_.missing(p);
          break;
        case ColumnKind::InjectionBwGBps: p = text_.real(p, injection_bandwidth_GBps(point.network)); break;
        case ColumnKind::Nonphysical:  // as RowBuilder::build: no value where there is no busbw
          if (spec.inline_collective && ok && r.metrics.finish_ns != 0)
            *p++ = busbw_exceeds_injection(point, r.metrics.finish_ns) ? '1' : '0';
          else
            p = text_.missing(p);
          break;
        default: {
          const double v = ok ? sweep_metric_value(sweep_metric_of(col.kind), spec.inline_collective, point, r) : 0.0;
          if (!ok || !metric_has_value(v)) {
            p = text_.missing(p);
          } else if (col.type == CellType::UInt) {
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
            p = text_.real(p, v);
          }
        }
      }
    }
    out.commit(text_.end_row(p));
  }
}

}  // namespace astra
