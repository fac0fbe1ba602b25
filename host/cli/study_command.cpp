// `astra-sweep study`: the ResNet-50 HGX-H100 study (issue: the study as a first-class workflow).
#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <iostream>

#include "host/cli/commands.hpp"
#include "host/study/hardware_report.hpp"
#include "host/study/hardware_validation.hpp"
#include "host/study/resnet_study.hpp"
#include "host/study/study_report.hpp"
#include "host/study/study_spec.hpp"

namespace astra::cli {

void add_study_command(CLI::App& app, CommandContext& ctx) {
  struct Args {
    std::string spec = "sweeps/resnet50_hgx_h100.yaml";
    std::string out = "results/resnet50_hgx_h100";
    std::string golden;
    unsigned threads = 0;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("study", "Run the ResNet-50 HGX-H100 study: scaling, per-layer breakdown, report");
  cmd->add_option("spec", a->spec, "study spec (default sweeps/resnet50_hgx_h100.yaml)");
  cmd->add_option("--out", a->out, "output folder (report.md, CSV tables, PNG plots)");
  cmd->add_option("--golden", a->golden,
                  "ASTRA-sim's recorded runs to compare the default points with (default: ../shared/golden/cases.jsonl "
                  "beside the repository)");
  cmd->add_option("--threads", a->threads, "worker threads (0: all cores)");
  cmd->callback([a, &ctx] {
    const StudySpec spec = load_study_spec(a->spec);
    std::string golden = a->golden;
    if (golden.empty()) {
      const auto repo = std::filesystem::path(a->spec).parent_path() / "..";
      golden = (repo / ".." / "shared" / "golden" / "cases.jsonl").lexically_normal().string();
    }
    const StudyResults results = run_study(spec, a->threads, golden);
    std::optional<HardwareResults> hardware;
    if (spec.hardware) hardware = run_hardware_validation(*spec.hardware, spec.workload_file, a->threads);
    const std::string report = write_study_report(spec, results, a->out, hardware ? &*hardware : nullptr);
    bool all_exact = true;
    for (const auto& d : results.defaults) {
      if (d.result.status != SimStatus::Ok) {
        std::cerr << fmt::format("warning: default point of system {} did not finish: {}\n", d.system, d.result.message);
        all_exact = false;
      }
      if (d.golden && d.golden->found && !d.golden->exact) {
        std::cerr << fmt::format("error: default point differs from ASTRA-sim's run {}\n", d.golden->case_id);
        all_exact = false;
      }
    }
    std::cout << fmt::format("study: {} configurations in {:.2f} s ({} by the reference simulator), report={}\n",
                             results.points.size() + results.defaults.size(), results.seconds,
                             results.reference_points + results.defaults.size(), report);
    // Against hardware (the spec's hardware section): the last line.
    if (hardware) {
      if (!hardware->anchor.empty() && hardware->skipped.empty())
        std::cout << fmt::format("hardware (compute anchored on {}): {} comparisons, median_abs_err={:.1f}%, "
                                 "max_abs_err={:.1f}%\n",
                                 hardware->anchor, hardware->anchored_errors.count,
                                 100 * hardware->anchored_errors.median_abs, 100 * hardware->anchored_errors.max_abs);
      std::cout << hardware_summary_line(*hardware) << "\n";
    }
    ctx.exit_code = all_exact ? 0 : 1;
  });
}

}  // namespace astra::cli
