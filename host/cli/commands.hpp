// The subcommands of astra-sweep. Each adds itself to the CLI11 app and sets `exit_code` when run.
#pragma once

#include <CLI/CLI.hpp>

namespace astra::cli {

struct CommandContext {
  int exit_code = 0;
};

// One function per subcommand, each in host/cli/<name>_command.cpp.
void add_simulate_command(CLI::App& app, CommandContext& ctx);
void add_golden_command(CLI::App& app, CommandContext& ctx);
void add_study_command(CLI::App& app, CommandContext& ctx);
void add_calibrate_command(CLI::App& app, CommandContext& ctx);
void add_sensitivity_command(CLI::App& app, CommandContext& ctx);
void add_run_command(CLI::App& app, CommandContext& ctx);
void add_diff_command(CLI::App& app, CommandContext& ctx);
void add_report_command(CLI::App& app, CommandContext& ctx);
void add_verify_command(CLI::App& app, CommandContext& ctx);
void add_convert_command(CLI::App& app, CommandContext& ctx);
void add_profile_workload_command(CLI::App& app, CommandContext& ctx);

int run_main(int argc, char** argv);

}  // namespace astra::cli
