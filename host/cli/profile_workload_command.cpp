// `astra-sweep profile-workload`: an ASTRA-sim text workload with compute times from a measured
// per-layer profile at one batch size (host/input/measured_profile.hpp, docs/measured_compute.md).
// The output is an ordinary text workload: `simulate --workload`, `run` and ASTRA-sim itself read it.
#include <fmt/format.h>

#include <cstdio>
#include <iostream>

#include "host/cli/commands.hpp"
#include "host/input/file_text.hpp"
#include "host/input/input_error.hpp"
#include "host/common/atomic_output_file.hpp"
#include "host/input/measured_profile.hpp"

namespace astra::cli {

void add_profile_workload_command(CLI::App& app, CommandContext& ctx) {
  struct Args {
    std::string profile, workload, out;
    int batch = 0;
    bool table = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("profile-workload",
                                 "Put measured per-layer compute times (a profile JSON) into an ASTRA-sim text workload");
  cmd->add_option("--profile", a->profile, "measured profile, e.g. ../shared/measured/resnet50_h200_profile.json")
      ->required();
  cmd->add_option("--workload", a->workload, "ASTRA-sim text workload whose layers the profile covers")->required();
  cmd->add_option("--batch", a->batch, "per-GPU batch size to take the times at")->required();
  cmd->add_option("--out", a->out, "the new text workload (written atomically)")->required();
  cmd->add_flag("--table", a->table, "print every layer's mapping and compute times");
  cmd->callback([a, &ctx] {
    const MeasuredProfile profile = read_measured_profile(a->profile);
    const MeasuredWorkload w = measured_text_workload(read_input_file(a->workload), a->workload, profile, a->batch);
    AtomicOutputFile file(a->out);
    std::FILE* f = std::fopen(file.temp_path().c_str(), "w");
    const bool written = f && std::fwrite(w.text.data(), 1, w.text.size(), f) == w.text.size();
    if (!f || std::fclose(f) != 0 || !written) throw InputError("--out", a->out, "cannot be written");
    file.commit();
    if (a->table) {
      std::cout << fmt::format("{:<24} {:<24} {:>12} {:>12} {:>12}\n", "workload_layer", "profile_layer", "forward_us",
                               "input_grad_us", "weight_grad_us");
      for (const auto& l : w.layers)
        std::cout << fmt::format("{:<24} {:<24} {:>12} {:>12} {:>12}\n", l.workload_layer, l.profile_layer, l.forward_us,
                                 l.input_grad_us, l.weight_grad_us);
    }
    std::cout << fmt::format(
        "profile-workload: batch {}: step {:.1f} us ({}), isolated layers {:.1f} us, outside them {:.1f} us "
        "spread over the layers; {} layers, compute {} us, wrote {}\n",
        a->batch, w.at.step_us, profile.step_us.count(a->batch) ? "measured" : "interpolated", w.isolated_run_us,
        w.at.step_us - w.isolated_run_us, w.layers.size(), w.compute_us, a->out);
    ctx.exit_code = 0;
  });
}

}  // namespace astra::cli
