// Every ASTRA-sim text workload we have, converted by parse_text_workload and by the oracle's
// TextConverter (the executable spec of Chakra's converter, run through
// tests/tools/dump_text_workload_graph.py): same nodes, names, kinds, sizes, durations and deps,
// for 1 and 2 passes. Skipped (visibly) when python3 is missing.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "host/input/parsers.hpp"
#include "kernels/model/names.hpp"
#include "support/oracle_process.hpp"

namespace astra {
namespace {

const std::string kShared = ASTRA_SHARED_DIR;
const std::string kSource = ASTRA_SOURCE_DIR;

using testing_support::have_python3;
using testing_support::run_command;

std::vector<std::string> text_workloads() {
  std::vector<std::string> files;
  for (const std::string dir : {kShared + "/golden/text-workloads/inputs", kShared + "/golden/inputs"}) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() == ".txt") files.push_back(entry.path().string());
    }
  }
  return files;
}

void compare_with_oracle(const std::string& path, int passes, const nlohmann::json& want) {
  SCOPED_TRACE(path + ", passes " + std::to_string(passes));
  if (want.contains("error")) {
    EXPECT_THROW(read_text_workload(path, passes), InputError) << "the oracle rejects it: " << want["error"];
    return;
  }
  EXPECT_TRUE(want["same_graph_on_every_npu"].get<bool>());
  const Workload got = read_text_workload(path, passes);
  const auto& nodes = want["nodes"];
  ASSERT_EQ(got.nodes.size(), nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& o = nodes[i];
    const WorkloadNode& n = got.nodes[i];
    SCOPED_TRACE("node " + std::to_string(i) + " " + o["name"].get<std::string>());
    ASSERT_EQ(o["id"].get<std::size_t>(), i);
    EXPECT_EQ(got.node_names[i], o["name"].get<std::string>());
    EXPECT_EQ(n.pass, static_cast<int>(i * passes / nodes.size()));
    if (o["type"] == "comp") {
      EXPECT_EQ(n.kind, NodeKind::Compute);
      EXPECT_EQ(n.duration_us, o["dur_us"].get<std::uint64_t>());
    } else {
      EXPECT_EQ(n.kind, NodeKind::Collective);
      EXPECT_EQ(collective_name(n.collective), o["coll"].get<std::string>());
      EXPECT_EQ(n.size_bytes, o["size"].get<std::uint64_t>());
    }
    const std::vector<std::int32_t> deps(got.deps.begin() + n.deps_begin,
                                         got.deps.begin() + n.deps_begin + n.deps_count);
    EXPECT_EQ(deps, o["deps"].get<std::vector<std::int32_t>>());
  }
}

TEST(TextWorkloadOracle, EveryTextWorkloadMatchesTheOracleConverter) {
  if (!have_python3()) GTEST_SKIP() << "python3 is not installed: the oracle comparison cannot run";
  const auto files = text_workloads();
  ASSERT_GE(files.size(), 10u);
  std::string cmd = "python3 '" + kSource + "/tests/tools/dump_text_workload_graph.py' '" + kShared + "/oracle'";
  for (const auto& f : files) cmd += " '" + f + "'";
  const std::string out = run_command(cmd + " --npus 2 --passes 1 2");
  ASSERT_FALSE(out.empty()) << "the oracle dump printed nothing: " << cmd;
  const auto graphs = nlohmann::json::parse(out);
  for (const auto& f : files) {
    for (int passes : {1, 2}) compare_with_oracle(f, passes, graphs.at(f).at(std::to_string(passes)));
  }
}

}  // namespace
}  // namespace astra
