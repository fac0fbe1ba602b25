#include "nightly/run_report.hpp"

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

#include "input/input_error.hpp"
#include "nightly/markdown_html.hpp"
#include "nightly/result_table.hpp"
#include "sweep/atomic_output_file.hpp"
#include "sweep/injection_bound.hpp"

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

std::string fmt_number(double v) { return fmt::format("{:.6g}", v); }

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
  struct AxisSummary {
    std::size_t column;
    bool numeric = true;
    std::vector<std::string> values;                // in order (numeric ascending, else first seen)
    std::map<std::string, std::vector<Stats>> by;   // value -> stats per main metric
  };
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
      std::string line = "| " + (v.empty() ? "-" : v) + " |";
      for (const Stats& st : s.by[v])
        line += st.count ? fmt::format(" {} | {} | {} |", fmt_number(st.min), fmt_number(st.mean()), fmt_number(st.max))
                         : " - | - | - |";
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
    const std::string metric = table.columns[static_cast<std::size_t>(metrics[0])];
    for (const AxisSummary& s : summaries) {
      if (s.values.size() < 2) continue;
      const std::string axis = table.columns[s.column];
      const std::string name = sanitized(metric + "_by_" + axis);
      const fs::path dir = fs::path(options.out_dir) / "plots";
      std::string data = "# " + axis + " mean min max of " + metric + "\n";
      bool log_x = s.numeric;
      double lo = 0, hi = 0;
      bool first = true;
      for (const std::string& v : s.values) {
        const Stats& st = s.by.at(v)[0];
        if (st.count == 0) continue;
        data += s.numeric ? fmt::format("{} {} {} {}\n", v, st.mean(), st.min, st.max)
                          : fmt::format("\"{}\" {} {} {}\n", v.empty() ? "-" : v, st.mean(), st.min, st.max);
        if (s.numeric) {
          const double x = *ResultTable::number(v);
          if (x <= 0) log_x = false;
          lo = first ? x : std::min(lo, x);
          hi = first ? x : std::max(hi, x);
          first = false;
        }
      }
      log_x = log_x && lo > 0 && hi / lo >= 100.0;
      std::string script = fmt::format(
          "# {} against {}: mean with min-max bars (generated by astra-sweep report)\n"
          "set terminal pngcairo size 900,520 font \"sans,10\"\n"
          "set output '{}.png'\n"
          "set title \"{} by {}\" noenhanced\n"
          "set xlabel \"{}\" noenhanced\nset ylabel \"{}\" noenhanced\n"
          "set grid\nset key off\nset offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05\n{}"
          "plot '{}.dat' using {}:2:3:4{} with yerrorlines lw 2 pt 7\n",
          metric, axis, name, metric, axis, axis, metric, log_x ? "set logscale x 2\n" : "", name,
          s.numeric ? "(column(1))" : "0", s.numeric ? "" : ":xticlabels(1)");
      write_file((dir / (name + ".dat")).string(), data);
      write_file((dir / (name + ".gp")).string(), script);
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
