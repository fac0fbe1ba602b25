// `astra-sweep verify SPEC --samples N`: the fast evaluator against the reference simulator
// (and the device paths against the CPU) on N seeded random points of a spec; exit 1 on any
// mismatch.
#include <cstdio>

#include "host/cli/commands.hpp"
#include "host/sweep/run/sweep_verification.hpp"

namespace astra::cli {
namespace {

struct VerifyArgs {
  std::string spec;
  std::uint64_t samples = 100;
  std::uint64_t seed = 1;
  unsigned threads = 0;
};

int verify(const VerifyArgs& a) {
  SweepLoadOptions load;
  load.limit = ~std::uint64_t{0};  // verify samples; the size of the design does not matter
  const SweepSpec spec = load_sweep_spec(a.spec, load);
  const VerifyReport r = verify_sweep(spec, VerifyOptions{a.samples, a.seed, a.threads});
  for (const std::string& m : r.mismatches) std::printf("mismatch: %s\n", m.c_str());
  for (const std::string& n : r.notes) std::printf("%s\n", n.c_str());
  std::printf("verify: %zu points (seed %llu): %llu compared with the reference simulator, %llu answered only by it, "
              "%llu device-path comparisons, %zu mismatches\n",
              r.points.size(), static_cast<unsigned long long>(a.seed), static_cast<unsigned long long>(r.compared),
              static_cast<unsigned long long>(r.reference_only), static_cast<unsigned long long>(r.device_compared),
              r.mismatches.size());
  return r.mismatches.empty() ? 0 : 1;
}

}  // namespace

void add_verify_command(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand("verify", "Compare the fast evaluator with the reference simulator on sampled points");
  cmd->add_option("spec", args->spec, "sweep spec file")->required();
  cmd->add_option("--samples", args->samples, "points to sample (default 100)");
  cmd->add_option("--seed", args->seed, "sampling seed (default 1)");
  cmd->add_option("--threads", args->threads, "CPU threads (default: all)");
  cmd->callback([args, &ctx] { ctx.exit_code = verify(*args); });
}

}  // namespace astra::cli
