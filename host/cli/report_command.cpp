// `astra-sweep report RUN [--against RUN] --out DIR`: an HTML page (self-contained, plots
// embedded) and a Markdown file describing a run, and its diff to another run
// (host/nightly/run_report.hpp). Exit 0, or 2 on bad input.
#include <cstdio>

#include "host/cli/commands.hpp"
#include "host/input/input_error.hpp"
#include "host/nightly/run_report.hpp"

namespace astra::cli {

void add_report_command(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<ReportOptions>();
  auto against = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("report", "Write an HTML and Markdown report of a run (plots by gnuplot)");
  cmd->add_option("run", args->run, "FILE.csv, FILE.jsonl or FILE.sqlite[:RUN_ID]")->required();
  cmd->add_option("--against", *against, "a baseline run to diff against (same forms)");
  cmd->add_option("--out", args->out_dir, "the report's folder")->required();
  cmd->add_option("--tolerance", args->tolerance, "relative tolerance of the diff (default 0.001)");
  cmd->callback([args, against, &ctx] {
    ReportOptions options = *args;
    if (!against->empty()) options.against = *against;
    const ReportResult r = write_run_report(options);
    std::printf("report: %s and %s, %d plots%s%s\n", r.html_path.c_str(), r.markdown_path.c_str(), r.plots,
                r.gnuplot_missing ? " (gnuplot not found: no plots)" : "",
                options.against ? (r.regressions ? "; regressions against the baseline" : "; no regressions") : "");
    ctx.exit_code = 0;
  });
}

}  // namespace astra::cli
