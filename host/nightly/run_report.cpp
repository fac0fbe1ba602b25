#include "host/nightly/run_report.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "host/input/input_error.hpp"
#include "host/nightly/markdown_html.hpp"
#include "host/nightly/readable_numbers.hpp"
#include "host/nightly/result_table.hpp"
#include "host/common/atomic_output_file.hpp"
#include "kernels/sweep/injection_bound.hpp"

namespace astra {
namespace fs = std::filesystem;
namespace {

struct Stats {
  std::uint64_t count = 0;
  double min = 0.0, max = 0.0, sum = 0.0;
  void add(double v) {
    if (count == 0) min = max = v;
    min = std::min(min, v);
    max = std::max(max, v);
    sum += v;
    ++count;
  }
  double mean() const { return count ? sum / static_cast<double>(count) : 0.0; }
};

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool program_exists(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t colon = dirs.find(':', start);
    const std::string dir = dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return true;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return false;
}

void write_file(const std::string& path, const std::string& text) {
  AtomicOutputFile file(path);
  {
    std::ofstream out(file.temp_path(), std::ios::binary);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + file.temp_path());
  }
  file.commit();
}

// An axis value in a table or a key: by its column's unit (KiB, ms, GB/s), six significant
// digits, so that distinct values stay distinct.
std::string cell_text(const std::string& column, const std::string& cell) {
  if (cell.empty()) return "-";
  const std::optional<double> v = ResultTable::number(cell);
  return v ? readable_value(column, *v, 6) : cell;
}

// The metrics the report is about: the first two present of these.
std::vector<int> main_metrics(const ResultTable& t) {
  std::vector<int> out;
  for (const char* m : {"collective_time_ns", "busbw_GBps", "iteration_time_ns", "exposed_comm_ns", "algbw_GBps",
                        "comm_ns"}) {
    const int c = t.column(m);
    if (c >= 0 && out.size() < 2) out.push_back(c);
  }
  return out;
}

std::string sanitized(const std::string& name) {
  std::string out;
  for (char c : name) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

struct AxisSummary {
  std::size_t column;
  bool numeric = true;
  std::vector<std::string> values;                // in order (numeric ascending, else first seen)
  std::map<std::string, std::vector<Stats>> by;   // value -> stats per main metric
};

struct PlotText {
  std::string data, script;
};

std::string gnuplot_quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// The axis that splits the plot of `x` into lines: another axis with 2..6 values, a named one
// (algorithm, topology, backend) first, else the one with the fewest values; none: -1.
int series_axis(const std::vector<AxisSummary>& summaries, const AxisSummary& x) {
  int best = -1;
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    const AxisSummary& a = summaries[i];
    if (a.column == x.column || a.values.size() < 2 || a.values.size() > 6) continue;
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    const AxisSummary& b = summaries[static_cast<std::size_t>(best)];
    if ((!a.numeric && b.numeric) || (a.numeric == b.numeric && a.values.size() < b.values.size()))
      best = static_cast<int>(i);
  }
  return best;
}

// The data and gnuplot script of `metric` against axis `x`: a line per value of the series axis
// (means over the other axes) or one line with min-max bars; times in a readable unit; log
// scales where the values span two decades or more (never a negative time or size axis);
// byte axes ticked in KiB/MiB/GiB.
PlotText plot_script(const ResultTable& table, const std::vector<AxisSummary>& summaries, const AxisSummary& x,
                     std::size_t metric_column, const std::string& name) {
  const std::string& metric = table.columns[metric_column];
  const std::string& axis = table.columns[x.column];
  const int series = series_axis(summaries, x);
  const AxisSummary* split = series >= 0 ? &summaries[static_cast<std::size_t>(series)] : nullptr;
  // stats per (series value, x value)
  std::map<std::string, std::map<std::string, Stats>> by;
  for (const auto& row : table.rows) {
    const auto v = ResultTable::number(row[metric_column]);
    if (!v) continue;
    by[split ? row[split->column] : ""][row[x.column]].add(*v);
  }
  double lo = 0, hi = 0;
  bool first = true;
  for (const auto& [sv, points] : by)
    for (const auto& [xv, st] : points) {
      if (st.count == 0) continue;
      lo = first ? st.min : std::min(lo, st.min);
      hi = first ? st.max : std::max(hi, st.max);
      first = false;
    }
  const std::string unit = unit_suffix(metric);
  double scale = 1.0;
  std::string y_label = quantity_name(metric);
  if (unit == "ns") {
    const TimeUnit u = time_unit_for(hi);
    scale = u.ns;
    y_label += fmt::format(" ({})", u.name);
  } else if (unit == "GBps") {
    y_label += " (GB/s)";
  } else if (unit == "bytes") {
    y_label += " (bytes)";
  }
  const bool log_y = lo > 0 && hi / lo >= 100.0;
  const bool nonnegative = lo >= 0;

  std::string x_label = quantity_name(axis);
  const std::string x_unit = unit_suffix(axis);
  double x_lo = 0, x_hi = 0;
  bool x_first = true;
  if (x.numeric)
    for (const std::string& v : x.values) {
      const double d = *ResultTable::number(v);
      x_lo = x_first ? d : std::min(x_lo, d);
      x_hi = x_first ? d : std::max(x_hi, d);
      x_first = false;
    }
  const bool log_x = x.numeric && x_lo > 0 && x_hi / x_lo >= 100.0;
  if (x_unit == "ns") x_label += " (ns)";
  else if (x_unit == "GBps") x_label += " (GB/s)";

  std::string data = fmt::format("# {} ({}) against {}{}\n", metric, scale == 1.0 ? "as is" : "scaled", axis,
                                 split ? ", one block per " + table.columns[split->column] : "");
  std::vector<std::string> titles;
  const std::vector<std::string> series_values = split ? split->values : std::vector<std::string>{""};
  for (const std::string& sv : series_values) {
    auto it = by.find(sv);
    if (it == by.end()) continue;
    titles.push_back(split ? cell_text(table.columns[split->column], sv) : "");
    for (const std::string& xv : x.values) {
      auto p = it->second.find(xv);
      if (p == it->second.end() || p->second.count == 0) continue;
      const Stats& st = p->second;
      data += x.numeric ? fmt::format("{} {} {} {}\n", xv, st.mean() / scale, st.min / scale, st.max / scale)
                        : fmt::format("{} {} {} {}\n", gnuplot_quoted(xv.empty() ? "-" : xv), st.mean() / scale,
                                      st.min / scale, st.max / scale);
    }
    data += "\n\n";
  }

  std::string script = fmt::format(
      "# {} against {} (generated by astra-sweep report)\n"
      "set terminal pngcairo size 900,520 font \"sans,10\"\n"
      "set output '{}.png'\n"
      "set title {} noenhanced\n"
      "set xlabel {} noenhanced\nset ylabel {} noenhanced\n"
      "set grid\nset format y \"%g\"\nset format x \"%g\"\n",
      metric, axis, name,
      gnuplot_quoted(quantity_name(metric) + " by " + quantity_name(axis) +
                     (split ? " (mean over the other axes)" : " (mean, bars: min to max over the other axes)")),
      gnuplot_quoted(x_label), gnuplot_quoted(y_label));
  // x: a little room on both sides (in graph units only along x, so no axis goes negative)
  script += "set offsets graph 0.03, graph 0.03, 0, 0\n";
  if (log_y) script += "set logscale y 10\n";
  else if (nonnegative) script += "set yrange [0:*]\n";
  if (log_x) script += x_unit == "bytes" ? "set logscale x 2\n" : "set logscale x 10\n";
  // the data's own range, not the next decade: a log axis otherwise runs on to 10x the largest value
  if (x.numeric) script += "set autoscale xfix\n";
  if (!x.numeric) script += fmt::format("set xrange [-0.5:{}]\n", static_cast<double>(x.values.size()) - 0.5);
  if (x.numeric && x_unit == "bytes") {  // ticks at powers of two, labelled KiB/MiB/GiB
    std::string tics;
    const double first_tick = std::exp2(std::ceil(std::log2(std::max(1.0, x_lo))));
    const int octaves = static_cast<int>(std::floor(std::log2(std::max(1.0, x_hi) / first_tick))) + 1;
    const int step = std::max(1, (octaves + 8) / 9);
    for (double t = first_tick; t <= x_hi * 1.0000001; t *= std::exp2(step))
      tics += (tics.empty() ? "" : ", ") + fmt::format("{} {}", gnuplot_quoted(readable_bytes(t)), t);
    if (!tics.empty()) script += "set xtics (" + tics + ")\n";
    if (!log_x) script += "set xrange [0:*]\n";
  }
  if (!x.numeric) script += "set xtics rotate by -30\n";
  if (split) {
    script += "set key outside right top title " + gnuplot_quoted(quantity_name(table.columns[split->column])) +
              " noenhanced\nplot ";
    for (std::size_t i = 0; i < titles.size(); ++i)
      script += fmt::format("{}'{}.dat' index {} using {}:2{} with {} title {} noenhanced",
                            i ? ", \\\n     " : "", name, i, x.numeric ? "1" : "0", x.numeric ? "" : ":xticlabels(1)",
                            x.numeric ? "linespoints lw 2 pt 7" : "points pt 7 ps 1.5",
                            gnuplot_quoted(titles[i]));
    script += "\n";
  } else {
    script += "set key off\n";
    script += fmt::format("plot '{}.dat' using {}:2:3:4{} with yerrorlines lw 2 pt 7\n", name,
                          x.numeric ? "1" : "0", x.numeric ? "" : ":xticlabels(1)");
  }
  return {data, script};
}

}  // namespace

ReportResult write_run_report(const ReportOptions& options) {
  const ResultTable table = read_result_table(options.run);
  std::optional<ResultTable> other;
  if (options.against) other = read_result_table(*options.against);
  std::error_code ec;
  fs::create_directories(fs::path(options.out_dir) / "plots", ec);
  if (!fs::is_directory(fs::path(options.out_dir) / "plots"))
    throw InputError("--out", options.out_dir, "cannot create the folder");

  ReportResult result;
  std::string md;
  auto out = [&](const std::string& line) { md += line + "\n"; };
  out("# astra-sweep run report");
  out("");
  out(fmt::format("Run `{}`: {} rows, {} columns.", table.source, table.rows.size(), table.columns.size()));
  out("");
  out("## Run");
  out("");
  out("| field | value |");
  out("|---|---|");
  for (const auto& [key, value] : table.metadata) {
    std::string v = value;
    std::replace(v.begin(), v.end(), '|', '/');
    std::replace(v.begin(), v.end(), '\n', ' ');
    out(fmt::format("| {} | {} |", key, v.empty() ? "-" : v));
  }
  out("");

  // Status counts.
  const int status = table.column("status");
  std::map<std::string, std::uint64_t> statuses;
  for (const auto& row : table.rows) ++statuses[status >= 0 ? row[static_cast<std::size_t>(status)] : "?"];
  out("## Status");
  out("");
  out("| status | points |");
  out("|---|---|");
  for (const auto& [s, n] : statuses) out(fmt::format("| {} | {} |", s.empty() ? "-" : s, n));
  out("");

  // Points ASTRA-sim's congestion-unaware model answers beyond the links' injection bound.
  const int nonphysical = table.column("nonphysical");
  if (nonphysical >= 0) {
    std::uint64_t marked = 0, judged = 0;
    for (const auto& row : table.rows) {
      const std::string& cell = row[static_cast<std::size_t>(nonphysical)];
      if (cell.empty()) continue;
      ++judged;
      if (cell == "1") ++marked;
    }
    out("## Physical bounds");
    out("");
    out(fmt::format("{} of {} points with a busbw are marked `nonphysical=1`: {}. See docs/physical_bounds.md.",
                    marked, judged, kNonphysicalReason));
    out("");
  }

  // Per axis: min / mean / max of the main metrics, for each value.
  const std::vector<int> metrics = main_metrics(table);
  std::vector<std::size_t> axes;
  for (std::size_t c = 0; c < table.columns.size(); ++c)
    if (table.role(c) == TableColumnRole::Axis) axes.push_back(c);
  out("## Summary by axis");
  out("");
  if (metrics.empty()) out("No metric columns in this run.");
  std::vector<AxisSummary> summaries;
  for (std::size_t axis : axes) {
    AxisSummary s;
    s.column = axis;
    std::set<std::string> seen;
    for (const auto& row : table.rows) {
      const std::string& v = row[axis];
      if (seen.insert(v).second) {
        s.values.push_back(v);
        if (!ResultTable::number(v)) s.numeric = false;
      }
      if (seen.size() > 64) break;
    }
    if (seen.size() > 64 || metrics.empty()) continue;  // too many values for a table
    if (s.numeric)
      std::sort(s.values.begin(), s.values.end(),
                [](const std::string& a, const std::string& b) { return *ResultTable::number(a) < *ResultTable::number(b); });
    for (const auto& row : table.rows) {
      auto& stats = s.by[row[axis]];
      stats.resize(metrics.size());
      for (std::size_t m = 0; m < metrics.size(); ++m)
        if (auto v = ResultTable::number(row[static_cast<std::size_t>(metrics[m])])) stats[m].add(*v);
    }
    std::string header = "| " + table.columns[axis] + " |", rule = "|---|";
    for (int m : metrics) {
      header += fmt::format(" {0} min | {0} mean | {0} max |", table.columns[static_cast<std::size_t>(m)]);
      rule += "---|---|---|";
    }
    out("### " + table.columns[axis]);
    out("");
    out(header);
    out(rule);
    for (const std::string& v : s.values) {
      std::string line = "| " + cell_text(table.columns[axis], v) + " |";
      for (std::size_t m = 0; m < metrics.size(); ++m) {
        const Stats& st = s.by[v][m];
        const std::string& name = table.columns[static_cast<std::size_t>(metrics[m])];
        line += st.count ? fmt::format(" {} | {} | {} |", readable_value(name, st.min), readable_value(name, st.mean()),
                                       readable_value(name, st.max))
                         : " - | - | - |";
      }
      out(line);
    }
    out("");
    summaries.push_back(std::move(s));
  }

  // Plots: the first main metric against each axis with two or more values.
  out("## Plots");
  out("");
  if (!program_exists(options.gnuplot)) {
    result.gnuplot_missing = true;
    out("gnuplot was not found on PATH (Debian package gnuplot-nox), so this report has no plots.");
    out("");
  } else if (!metrics.empty()) {
    const std::size_t metric_column = static_cast<std::size_t>(metrics[0]);
    const std::string metric = table.columns[metric_column];
    for (const AxisSummary& s : summaries) {
      if (s.values.size() < 2) continue;
      const std::string axis = table.columns[s.column];
      const std::string name = sanitized(metric + "_by_" + axis);
      const fs::path dir = fs::path(options.out_dir) / "plots";
      const PlotText plot = plot_script(table, summaries, s, metric_column, name);
      write_file((dir / (name + ".dat")).string(), plot.data);
      write_file((dir / (name + ".gp")).string(), plot.script);
      const std::string command = "cd " + shell_quoted(dir.string()) + " && " + shell_quoted(options.gnuplot) + " " +
                                  shell_quoted(name + ".gp") + " > " + shell_quoted(name + ".log") + " 2>&1";
      const int rc = std::system(command.c_str());
      if (rc == 0 && fs::exists(dir / (name + ".png")) && fs::file_size(dir / (name + ".png")) > 0) {
        out(fmt::format("![{} by {}](plots/{}.png)", metric, axis, name));
        ++result.plots;
      } else {
        out(fmt::format("gnuplot failed on `plots/{}.gp` (see plots/{}.log).", name, name));
      }
      out("");
    }
    if (result.plots == 0) out("No axis has two or more values to plot.");
    out("");
  }

  if (other) {
    DiffOptions diff_options;
    diff_options.tolerance = options.tolerance;
    const RunDiff diff = diff_runs(*other, table, diff_options);
    result.regressions = diff.regressions();
    md += diff_markdown(diff, *other, table, diff_options, 50);
  }

  result.markdown_path = (fs::path(options.out_dir) / "report.md").string();
  result.html_path = (fs::path(options.out_dir) / "report.html").string();
  write_file(result.markdown_path, md);
  write_file(result.html_path, markdown_to_html(md, "astra-sweep report: " + table.source, options.out_dir));
  return result;
}

}  // namespace astra
