#include "host/cli/commands.hpp"

#include <cstdio>
#include <exception>

#include "host/build_info.hpp"
#include "host/input/input_error.hpp"

namespace astra::cli {

int run_main(int argc, char** argv) {
  CLI::App app{"astra-sweep: ASTRA-sim's analytical network backends, evaluated over parameter sweeps"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(astra_version()) + " (" + astra_git_commit() + ")");
  CommandContext ctx;
  add_simulate_command(app, ctx);
  add_golden_command(app, ctx);
  add_study_command(app, ctx);
  add_calibrate_command(app, ctx);
  add_sensitivity_command(app, ctx);
  add_run_command(app, ctx);
  add_diff_command(app, ctx);
  add_report_command(app, ctx);
  add_verify_command(app, ctx);
  add_convert_command(app, ctx);
  add_profile_workload_command(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const InputError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return ctx.exit_code;
}

}  // namespace astra::cli
