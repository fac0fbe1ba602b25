// `astra-sweep convert`: a text workload written as the Chakra trace set ASTRA-sim 2.x reads
// (what Chakra's `converter Text --num-npus N --num-passes K` writes, byte for byte).
#include <filesystem>
#include <iostream>

#include "host/cli/commands.hpp"
#include "host/input/chakra/chakra_trace_writer.hpp"
#include "host/input/chakra/chakra_workload.hpp"
#include "host/input/file_text.hpp"
#include "host/input/parsers.hpp"

namespace astra::cli {

void add_convert_command(CLI::App& app, CommandContext& ctx) {
  struct Args {
    std::string workload, out;
    std::int64_t npus = 0;
    int passes = 1;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("convert", "Write a text workload as Chakra execution traces (PREFIX.<rank>.et)");
  cmd->add_option("--workload", a->workload, "ASTRA-sim 1.0 text workload")->required();
  cmd->add_option("--npus", a->npus, "NPU count: one trace file per NPU")->required()->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--passes", a->passes, "training passes")->check(CLI::Range(1, 1000));
  cmd->add_option("--out", a->out, "output prefix; writes PREFIX.0.et ... PREFIX.<npus-1>.et")->required();
  cmd->callback([a, &ctx] {
    const std::string text = read_input_file(a->workload);
    const Workload w = parse_text_workload(text, a->workload, a->passes);
    const std::filesystem::path parent = std::filesystem::path(a->out).parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
      throw InputError(a->out, "--out", "the folder " + parent.string() + " does not exist");
    const auto files = chakra::write_chakra_traces(w, chakra::text_as_python_reads_it(text), a->out, a->npus);
    std::cout << "wrote " << files.size() << " trace files (" << w.nodes.size() << " nodes each): " << a->out
              << ".{0.." << a->npus - 1 << "}.et\n";
    ctx.exit_code = 0;
  });
}

}  // namespace astra::cli
