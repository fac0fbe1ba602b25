// `astra-sweep golden`: replay ASTRA-sim's recorded runs through one of our engines.
#include <iostream>
#include <map>

#include "host/cli/commands.hpp"
#include "host/cli/engines.hpp"
#include "host/golden/golden_cases.hpp"
#include "host/golden/golden_replay.hpp"

namespace astra::cli {

void add_golden_command(CLI::App& app, CommandContext& ctx) {
  struct Args {
    std::string cases;
    std::string backend = "all";
    double tolerance = 0.01;
    std::string engine = "reference";
    unsigned threads = 0;
    std::size_t show = 20;
    std::string workloads = "et";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("golden", "Replay golden ASTRA-sim runs (JSONL) and compare with our answers");
  cmd->add_option("--cases", args->cases, "golden cases file, e.g. ../shared/golden/cases.jsonl")->required();
  cmd->add_option("--backend", args->backend, "which cases to replay")
      ->check(CLI::IsMember({"congestion_unaware", "congestion_aware", "all"}));
  cmd->add_option("--tolerance", args->tolerance, "relative tolerance on the max finish time (0.01 = 1%)")
      ->check(CLI::Range(0.0, 1e9));
  cmd->add_option("--engine", args->engine, "reference: event-driven simulator; fast: the fast evaluator")
      ->check(CLI::IsMember(engine_names()));
  cmd->add_option("--threads", args->threads, "worker threads (0: all cores)");
  cmd->add_option("--show", args->show, "mismatches to list");
  cmd->add_option("--workloads", args->workloads,
                  "text-workload cases: et = the Chakra traces ASTRA-sim ran, where present beside the cases; "
                  "text = the text files, converted in memory")
      ->check(CLI::IsMember({"et", "text"}));
  cmd->callback([args, &ctx] {
    const auto cases = golden::load_golden_cases(
        args->cases, args->workloads == "text" ? golden::GoldenWorkloads::Text : golden::GoldenWorkloads::Traces);
    std::map<std::string, std::size_t> sources;
    for (const auto& c : cases)
      if (args->backend == "all" || args->backend == c.backend_name) ++sources[c.workload_source.empty() ? "unloaded" : c.workload_source];
    std::cout << "workloads: " << sources["et"] << " cases read from Chakra traces (.et), " << sources["text"]
              << " from text files, " << sources["collective"] << " single collectives\n";
    golden::ReplayOptions options;
    options.backend = args->backend;
    options.tolerance = args->tolerance;
    options.threads = args->threads;
    options.show_mismatches = args->show;
    const CaseEngine engine = make_engine(args->engine);
    const auto summary = golden::replay_golden(
        cases, [&](const golden::GoldenCase& c) { return engine(c.network, c.system, c.backend, *c.workload, 1.0); },
        options, std::cout);
    ctx.exit_code = summary.errors == 0 ? 0 : 1;
  });
}

}  // namespace astra::cli
