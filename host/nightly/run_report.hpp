// `astra-sweep report RUN [--against RUN] --out DIR`: DIR/report.md and DIR/report.html (one
// self-contained page, plots embedded as base64 PNG) with the run's metadata, status counts, per
// axis min / mean / max of the main metrics, one plot per axis (gnuplot; DIR/plots/<name>.gp is
// the generated script, <name>.dat its data) and, with --against, the diff to the other run.
// Without gnuplot on PATH the report says so and has no plots.
#pragma once

#include <optional>
#include <string>

#include "host/nightly/run_diff.hpp"

namespace astra {

struct ReportOptions {
  std::string run;
  std::optional<std::string> against;
  std::string out_dir;
  double tolerance = 0.001;
  std::string gnuplot = "gnuplot";  // the program
};

struct ReportResult {
  std::string markdown_path, html_path;
  int plots = 0;
  bool gnuplot_missing = false;
  bool regressions = false;  // with --against
};

ReportResult write_run_report(const ReportOptions& options);

}  // namespace astra
