#include "host/nightly/run_diff.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "host/input/input_error.hpp"

namespace astra {
namespace {

std::uint64_t index_of(const ResultTable& t, const std::vector<std::string>& row, int column) {
  const auto v = ResultTable::number(row[static_cast<std::size_t>(column)]);
  if (!v || *v < 0) throw InputError(t.source, "point_index", "not a point index: '" + row[static_cast<std::size_t>(column)] + "'");
  return static_cast<std::uint64_t>(*v);
}

bool same_value(const std::string& x, const std::string& y) {
  if (x == y) return true;
  const auto a = ResultTable::number(x), b = ResultTable::number(y);
  return a && b && *a == *b;
}

}  // namespace

RunDiff diff_runs(const ResultTable& a, const ResultTable& b, const DiffOptions& options) {
  RunDiff d;
  std::vector<std::string> axes_a, axes_b;
  for (std::size_t c = 0; c < a.columns.size(); ++c)
    if (a.role(c) == TableColumnRole::Axis) axes_a.push_back(a.columns[c]);
  for (std::size_t c = 0; c < b.columns.size(); ++c)
    if (b.role(c) == TableColumnRole::Axis) axes_b.push_back(b.columns[c]);
  if (axes_a != axes_b)
    throw InputError(b.source, "axes", "not the axes of " + a.source + ": the runs are of different sweeps");
  for (std::size_t c = 0; c < a.columns.size(); ++c)
    if (a.role(c) == TableColumnRole::Metric && b.column(a.columns[c]) >= 0) d.metrics.push_back(a.columns[c]);
  d.changed_by_metric.assign(d.metrics.size() + 1, 0);  // the last: status

  const int ia = a.column("point_index"), ib = b.column("point_index");
  std::unordered_map<std::uint64_t, std::size_t> rows_b;
  for (std::size_t r = 0; r < b.rows.size(); ++r)
    if (!rows_b.emplace(index_of(b, b.rows[r], ib), r).second)
      throw InputError(b.source, "point_index", "point " + b.rows[r][static_cast<std::size_t>(ib)] + " appears twice");
  std::vector<int> axis_a, axis_b, metric_a, metric_b;
  for (const std::string& axis : axes_a) {
    axis_a.push_back(a.column(axis));
    axis_b.push_back(b.column(axis));
  }
  for (const std::string& m : d.metrics) {
    metric_a.push_back(a.column(m));
    metric_b.push_back(b.column(m));
  }
  const int status_a = a.column("status"), status_b = b.column("status");
  std::vector<std::map<std::string, AxisValueShare>> shares(axes_a.size());
  std::vector<char> seen_b(b.rows.size(), 0);
  std::uint64_t previous = 0;
  bool first = true;

  for (const auto& ra : a.rows) {
    const std::uint64_t point = index_of(a, ra, ia);
    if (!first && point <= previous)
      throw InputError(a.source, "point_index", "rows not in point order or repeated at point " + std::to_string(point));
    first = false;
    previous = point;
    auto found = rows_b.find(point);
    if (found == rows_b.end()) {
      ++d.only_in_a;
      continue;
    }
    seen_b[found->second] = 1;
    const auto& rb = b.rows[found->second];
    for (std::size_t x = 0; x < axis_a.size(); ++x)
      if (!same_value(ra[static_cast<std::size_t>(axis_a[x])], rb[static_cast<std::size_t>(axis_b[x])]))
        throw InputError(b.source, axes_a[x],
                         fmt::format("point {} has {} = {} here and {} in {}: the runs are of different sweeps", point,
                                     axes_a[x], rb[static_cast<std::size_t>(axis_b[x])],
                                     ra[static_cast<std::size_t>(axis_a[x])], a.source));
    ++d.compared;
    bool changed = false, worse = false, better = false;
    auto note = [&](const std::string& metric, const std::string& before, const std::string& after, double rel,
                    bool is_worse, std::size_t slot) {
      d.changes.push_back({std::to_string(point), metric, before, after, rel, is_worse});
      ++d.changed_by_metric[slot];
      changed = true;
      (is_worse ? worse : better) = true;
      if (!std::isinf(rel)) d.max_relative = std::max(d.max_relative, rel);
    };
    if (status_a >= 0 && status_b >= 0 &&
        ra[static_cast<std::size_t>(status_a)] != rb[static_cast<std::size_t>(status_b)]) {
      note("status", ra[static_cast<std::size_t>(status_a)], rb[static_cast<std::size_t>(status_b)],
           std::numeric_limits<double>::infinity(), ra[static_cast<std::size_t>(status_a)] == "ok", d.metrics.size());
    }
    for (std::size_t m = 0; m < d.metrics.size(); ++m) {
      const std::string& sa = ra[static_cast<std::size_t>(metric_a[m])];
      const std::string& sb = rb[static_cast<std::size_t>(metric_b[m])];
      const auto va = ResultTable::number(sa), vb = ResultTable::number(sb);
      if (!va && !vb) continue;
      double rel = std::numeric_limits<double>::infinity();
      if (va && vb) {
        if (*va == *vb) continue;
        rel = *va != 0.0 ? std::fabs(*vb - *va) / std::fabs(*va) : std::numeric_limits<double>::infinity();
        if (rel <= options.tolerance) continue;
      }
      const bool larger_better = metric_larger_is_better(d.metrics[m]);
      const bool is_worse = !vb || (va && (larger_better ? *vb < *va : *vb > *va));
      note(d.metrics[m], sa, sb, rel, is_worse, m);
    }
    if (changed) ++d.changed_points;
    if (worse) ++d.worse_points;
    if (better && !worse) ++d.better_points;
    for (std::size_t x = 0; x < axis_a.size(); ++x) {
      AxisValueShare& s = shares[x][ra[static_cast<std::size_t>(axis_a[x])]];
      s.value = ra[static_cast<std::size_t>(axis_a[x])];
      ++s.points;
      if (changed) ++s.changed;
    }
  }
  for (char seen : seen_b)
    if (!seen) ++d.only_in_b;
  for (std::size_t x = 0; x < axes_a.size(); ++x) {
    AxisConcentration c;
    c.axis = axes_a[x];
    for (auto& [value, share] : shares[x]) c.values.push_back(share);
    std::stable_sort(c.values.begin(), c.values.end(), [](const AxisValueShare& p, const AxisValueShare& q) {
      return p.changed * q.points > q.changed * p.points;  // share p > share q
    });
    d.by_axis.push_back(std::move(c));
  }
  return d;
}

std::string diff_markdown(const RunDiff& d, const ResultTable& a, const ResultTable& b, const DiffOptions& options,
                          std::size_t max_listed) {
  std::string md;
  auto out = [&](const std::string& line) { md += line + "\n"; };
  out(fmt::format("## Diff: {} -> {}", a.source, b.source));
  out("");
  out(fmt::format("Relative tolerance {}. {} points compared: {} changed ({} worse, {} better only); {} only in {}, {} "
                  "only in {}.",
                  options.tolerance, d.compared, d.changed_points, d.worse_points, d.better_points, d.only_in_a,
                  a.source, d.only_in_b, b.source));
  out("");
  out(d.regressions() ? fmt::format("**Regressions found**; largest finite relative change {:.6g}.", d.max_relative)
                      : "**No regressions.**");
  out("");
  out("| metric | changed points |");
  out("|---|---|");
  for (std::size_t m = 0; m < d.metrics.size(); ++m) out(fmt::format("| {} | {} |", d.metrics[m], d.changed_by_metric[m]));
  out(fmt::format("| status | {} |", d.changed_by_metric.back()));
  out("");
  if (d.changed_points > 0) {
    const double overall = d.compared ? static_cast<double>(d.changed_points) / static_cast<double>(d.compared) : 0.0;
    out(fmt::format("### Where the changes concentrate (overall {:.1f}% of points changed; * = at least 1.5x that)",
                    100.0 * overall));
    out("");
    out("| axis | value | changed / points | share |");
    out("|---|---|---|---|");
    for (const AxisConcentration& c : d.by_axis) {
      std::size_t shown = 0;
      for (const AxisValueShare& v : c.values) {
        if (v.changed == 0 || shown++ >= 8) break;
        const double share = static_cast<double>(v.changed) / static_cast<double>(v.points);
        out(fmt::format("| {} | {} | {} / {} | {:.1f}%{} |", c.axis, v.value, v.changed, v.points, 100.0 * share,
                        share >= 1.5 * overall ? " *" : ""));
      }
    }
    out("");
    out(fmt::format("### Changes (first {} of {})", std::min(max_listed, d.changes.size()), d.changes.size()));
    out("");
    out("| point_index | metric | before | after | relative change | |");
    out("|---|---|---|---|---|---|");
    for (std::size_t k = 0; k < d.changes.size() && k < max_listed; ++k) {
      const MetricChange& c = d.changes[k];
      out(fmt::format("| {} | {} | {} | {} | {} | {} |", c.point_index, c.metric, c.before.empty() ? "-" : c.before,
                      c.after.empty() ? "-" : c.after, std::isinf(c.relative) ? "-" : fmt::format("{:.6g}", c.relative),
                      c.worse ? "worse" : "better"));
    }
    out("");
  }
  return md;
}

}  // namespace astra
