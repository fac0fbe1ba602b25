// `astra-sweep diff RUN_A RUN_B [--tolerance 0.001]`: the run-to-run regression check of
// nightly runs (host/nightly/run_diff.hpp). RUN = FILE.csv | FILE.jsonl | FILE.sqlite[:RUN_ID].
// Exit 0: no point moved beyond the tolerance; 1: regressions (listed, summarised per axis);
// 2: bad input (unreadable runs, runs of different sweeps).
#include <cmath>
#include <cstdio>

#include "host/cli/commands.hpp"
#include "host/input/input_error.hpp"
#include "host/nightly/run_diff.hpp"

namespace astra::cli {
namespace {

struct DiffArgs {
  std::string a, b;
  double tolerance = 0.001;
  std::size_t max_listed = 20;
};

int diff(const DiffArgs& args) {
  if (!(args.tolerance >= 0.0) || !std::isfinite(args.tolerance))
    throw InputError("--tolerance", std::to_string(args.tolerance), "must be a finite number >= 0");
  ResultTable a, b;
  try {
    a = read_result_table(args.a);
    b = read_result_table(args.b);
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {  // e.g. SQLite failures: bad input here, not a regression
    throw InputError("diff", "", e.what());
  }
  DiffOptions options;
  options.tolerance = args.tolerance;
  const RunDiff d = diff_runs(a, b, options);
  std::fputs(diff_markdown(d, a, b, options, args.max_listed).c_str(), stdout);
  return d.regressions() ? 1 : 0;
}

}  // namespace

void add_diff_command(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand("diff", "Compare two runs point by point; exit 1 when metrics moved beyond the tolerance");
  cmd->add_option("run_a", args->a, "the baseline run: FILE.csv, FILE.jsonl or FILE.sqlite[:RUN_ID]")->required();
  cmd->add_option("run_b", args->b, "the new run, same forms")->required();
  cmd->add_option("--tolerance", args->tolerance, "relative change allowed per metric (default 0.001)");
  cmd->add_option("--max-listed", args->max_listed, "changes listed in full (default 20)");
  cmd->callback([args, &ctx] { ctx.exit_code = diff(*args); });
}

}  // namespace astra::cli
