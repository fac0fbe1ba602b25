// The system JSON reader: ASTRA-sim's files, defaults, algorithm names, warnings for keys the
// analytical backends do not model, and every rejected input with file, field and reason.
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "host/input/parsers.hpp"
#include "input_error_capture.hpp"

namespace astra {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using testing::capture_input_error;

const std::string kShared = ASTRA_SHARED_DIR;
const std::string kSource = ASTRA_SOURCE_DIR;

const char* kMinimal = R"({"preferred-dataset-splits": 4})";

InputError json_error(const std::string& text) {
  return capture_input_error([&] { parse_system_json(text, "sys.json"); });
}

SystemConfig parse_collecting(const std::string& text, std::vector<std::string>& warnings) {
  return parse_system_json(text, "sys.json", [&](const std::string& m) { warnings.push_back(m); });
}

std::string with_key(const std::string& key_and_value) {
  return std::string(R"({"preferred-dataset-splits": 4, )") + key_and_value + "}";
}

TEST(SystemJson, ReadsHgxH100Validated) {
  std::vector<std::string> warnings;
  const SystemConfig sys = read_system_json(kShared + "/golden/inputs/system/HGX-H100-validated.json",
                                            [&](const std::string& m) { warnings.push_back(m); });
  EXPECT_EQ(sys.scheduling_policy, SchedulingPolicy::LIFO);
  EXPECT_EQ(sys.endpoint_delay_ns, 10);
  EXPECT_EQ(sys.active_chunks_per_dimension, 2);
  EXPECT_EQ(sys.preferred_dataset_splits, 4);
  EXPECT_TRUE(sys.local_bw_aware);
  EXPECT_DOUBLE_EQ(sys.local_mem_bw_GBps, 3350.0);
  EXPECT_DOUBLE_EQ(local_mem_bytes_per_s(sys.local_mem_bw_GBps), 3.35e12);
  for (CollectiveKind c : {CollectiveKind::AllReduce, CollectiveKind::AllGather, CollectiveKind::ReduceScatter,
                           CollectiveKind::AllToAll}) {
    ASSERT_EQ(sys.implementations_count(c), 1);
    EXPECT_EQ(sys.implementations(c)[0].kind, AlgorithmKind::Ring);
  }
  EXPECT_THAT(warnings, IsEmpty());  // boost-mode: 0 is what the analytical backends assume
}

TEST(SystemJson, StockHgxFilesWarnAboutRooflineAndMemoryTracking) {
  std::vector<std::string> warnings;
  const SystemConfig sys = read_system_json(kShared + "/golden/inputs/system/hgx_h100_16gpu.json",
                                            [&](const std::string& m) { warnings.push_back(m); });
  EXPECT_EQ(sys.endpoint_delay_ns, 1);
  EXPECT_EQ(sys.implementations_count(CollectiveKind::AllReduce), 2);
  // one line for the file: roofline (with peak-perf) and memory tracking (with its trace file) are
  // ignored; boost-mode: 0 says nothing
  ASSERT_THAT(warnings, SizeIs(1));
  EXPECT_THAT(warnings[0], HasSubstr("hgx_h100_16gpu.json: not modelled by the analytical backends, ignored: "));
  EXPECT_THAT(warnings[0], HasSubstr("roofline-enabled: 1 (compute durations are taken from the workload"));
  EXPECT_THAT(warnings[0], HasSubstr("with 'peak-perf'"));
  EXPECT_THAT(warnings[0], HasSubstr("track-local-mem: 1 (local memory is not tracked"));
  EXPECT_THAT(warnings[0], HasSubstr("with 'local-mem-trace-filename'"));
  EXPECT_THAT(warnings[0], Not(HasSubstr("boost-mode")));
}

TEST(SystemJson, ReadsEveryBundledSystemFile) {
  for (const char* f : {"HGX-H100-validated.json", "hgx_h100_2gpu.json", "hgx_h100_4gpu.json",
                        "hgx_h100_8gpu__notrack_noroofline.json", "hgx_h100_16gpu__notrack_noroofline.json",
                        "Ring_4chunks.json"}) {
    const SystemConfig sys = read_system_json(kSource + "/configs/system/" + f);
    EXPECT_GE(sys.preferred_dataset_splits, 1) << f;
    EXPECT_GE(sys.implementations_count(CollectiveKind::AllReduce), 1) << f;
  }
}

TEST(SystemJson, EveryGoldenSystemParses) {
  for (const char* cases : {"/golden/cases.jsonl", "/golden/text-workloads/cases.jsonl"}) {
    std::ifstream in(kShared + cases);
    ASSERT_TRUE(in) << cases;
    std::string line;
    while (std::getline(in, line)) {
      const auto c = nlohmann::json::parse(line);
      const SystemConfig sys = system_from_json(c.at("system"), c.at("id").get<std::string>());
      EXPECT_EQ(sys.preferred_dataset_splits, c["system"]["preferred-dataset-splits"].get<std::int64_t>());
      EXPECT_EQ(sys.endpoint_delay_ns, c["system"]["endpoint-delay"].get<std::int64_t>());
    }
  }
}

TEST(SystemJson, DefaultsAreAstraSims) {
  std::vector<std::string> warnings;
  const SystemConfig sys = parse_collecting(kMinimal, warnings);
  EXPECT_EQ(sys.scheduling_policy, SchedulingPolicy::LIFO);
  EXPECT_EQ(sys.endpoint_delay_ns, 10);
  EXPECT_EQ(sys.active_chunks_per_dimension, 1);
  EXPECT_FALSE(sys.local_bw_aware);
  EXPECT_DOUBLE_EQ(sys.local_mem_bw_GBps, 0.0);
  EXPECT_EQ(sys.implementations_count(CollectiveKind::AllToAll), 0);
  EXPECT_TRUE(warnings.empty());
}

TEST(SystemJson, ReadsEveryModelledKey) {
  const SystemConfig sys = parse_system_json(
      R"({"scheduling-policy": "FIFO", "endpoint-delay": 0, "active-chunks-per-dimension": 4,
          "preferred-dataset-splits": 64.0, "collective-optimization": "baseline", "local-mem-bw": 7.7,
          "all-reduce-implementation": ["direct2", "halvingDoubling", "oneRing"],
          "all-gather-implementation": ["doubleBinaryTree", "oneDirect", "oneDirect16"],
          "reduce-scatter-implementation": ["oneHalvingDoubling"],
          "all-to-all-implementation": ["direct", "ring"]})",
      "sys.json");
  EXPECT_EQ(sys.scheduling_policy, SchedulingPolicy::FIFO);
  EXPECT_EQ(sys.endpoint_delay_ns, 0);
  EXPECT_EQ(sys.active_chunks_per_dimension, 4);
  EXPECT_EQ(sys.preferred_dataset_splits, 64);
  EXPECT_FALSE(sys.local_bw_aware);
  EXPECT_DOUBLE_EQ(sys.local_mem_bw_GBps, 7.7);
  const AlgorithmChoice* ar = sys.implementations(CollectiveKind::AllReduce);
  ASSERT_EQ(sys.implementations_count(CollectiveKind::AllReduce), 3);
  EXPECT_EQ(ar[0].kind, AlgorithmKind::Direct);
  EXPECT_EQ(ar[0].window, 2);
  EXPECT_EQ(ar[1].kind, AlgorithmKind::HalvingDoubling);
  EXPECT_EQ(ar[2].kind, AlgorithmKind::OneRing);
  const AlgorithmChoice* ag = sys.implementations(CollectiveKind::AllGather);
  EXPECT_EQ(ag[0].kind, AlgorithmKind::DoubleBinaryTree);
  EXPECT_EQ(ag[1].kind, AlgorithmKind::OneDirect);
  EXPECT_EQ(ag[1].window, -1);
  EXPECT_EQ(ag[2].window, 16);
  EXPECT_EQ(sys.implementations(CollectiveKind::ReduceScatter)[0].kind, AlgorithmKind::OneHalvingDoubling);
  EXPECT_EQ(sys.implementations(CollectiveKind::AllToAll)[0].kind, AlgorithmKind::Direct);
  EXPECT_EQ(sys.implementations(CollectiveKind::AllToAll)[0].window, -1);
  EXPECT_EQ(parse_system_json(with_key(R"("scheduling-policy": "EXPLICIT")"), "s").scheduling_policy,
            SchedulingPolicy::EXPLICIT);
}

TEST(SystemJson, MissingSplitsIsAnError) {
  const InputError e = json_error(R"({"endpoint-delay": 10})");
  EXPECT_EQ(e.file(), "sys.json");
  EXPECT_EQ(e.field(), "preferred-dataset-splits");
  EXPECT_THAT(e.reason(), HasSubstr("missing"));
}

TEST(SystemJson, UnknownAlgorithmNamesTheList) {
  InputError e = json_error(with_key(R"("all-gather-implementation": ["ring", "tree"])"));
  EXPECT_EQ(e.field(), "all-gather-implementation[1]");
  EXPECT_THAT(e.reason(), HasSubstr("'tree'"));
  EXPECT_THAT(e.reason(), HasSubstr("halvingDoubling"));
  for (const char* bad : {"direct0", "directx", "direct2x", "direct123456", "Ring", "oneDirect-1", ""}) {
    e = json_error(with_key(std::string(R"("all-reduce-implementation": [")") + bad + "\"]"));
    EXPECT_EQ(e.field(), "all-reduce-implementation[0]") << bad;
  }
  e = json_error(with_key(R"("all-to-all-implementation": "ring")"));
  EXPECT_EQ(e.field(), "all-to-all-implementation");
  e = json_error(with_key(R"("all-to-all-implementation": [1])"));
  EXPECT_EQ(e.field(), "all-to-all-implementation[0]");
  e = json_error(with_key(R"("reduce-scatter-implementation": ["ring","ring","ring","ring","ring","ring","ring","ring","ring"])"));
  EXPECT_EQ(e.field(), "reduce-scatter-implementation");
  EXPECT_THAT(e.reason(), HasSubstr("at most 8"));
}

TEST(SystemJson, WrongTypesAndRangesNameTheKey) {
  struct Case {
    const char* json;
    const char* field;
    const char* reason;
  } cases[] = {
      {R"("endpoint-delay": "10")", "endpoint-delay", "must be an integer"},
      {R"("endpoint-delay": -1)", "endpoint-delay", "at least 0"},
      {R"("endpoint-delay": 2.5)", "endpoint-delay", "must be an integer"},
      {R"("active-chunks-per-dimension": 0)", "active-chunks-per-dimension", "at least 1"},
      {R"("active-chunks-per-dimension": true)", "active-chunks-per-dimension", "must be an integer"},
      {R"("scheduling-policy": "RANDOM")", "scheduling-policy", "LIFO, FIFO, EXPLICIT"},
      {R"("scheduling-policy": 1)", "scheduling-policy", "must be a string"},
      {R"("collective-optimization": "fast")", "collective-optimization", "baseline, localBWAware"},
      {R"("local-mem-bw": "fast")", "local-mem-bw", "must be a number"},
      {R"("local-mem-bw": -1)", "local-mem-bw", "less than 0"},
      {R"("local-mem-bw": null)", "local-mem-bw", "must be a number"},
      {R"("boost-mode": "on")", "boost-mode", "0 or 1"},
      {R"("peak-perf": [1])", "peak-perf", "must be a number"},
      {R"("roofline-enabled": 2)", "roofline-enabled", "0 or 1"},
  };
  for (const Case& c : cases) {
    const InputError e = json_error(with_key(c.json));
    EXPECT_EQ(e.file(), "sys.json") << c.json;
    EXPECT_EQ(e.field(), c.field) << c.json;
    EXPECT_THAT(e.reason(), HasSubstr(c.reason)) << c.json;
  }
  for (const char* splits : {"0", "-4", "2.5", "\"4\"", "1e300"}) {
    const InputError e = json_error(std::string(R"({"preferred-dataset-splits": )") + splits + "}");
    EXPECT_EQ(e.field(), "preferred-dataset-splits") << splits;
  }
}

TEST(SystemJson, SharedBusOnIsRejectedOffIsSilent) {
  const InputError e = json_error(with_key(R"("model-shared-bus": 1)"));
  EXPECT_EQ(e.field(), "model-shared-bus");
  EXPECT_THAT(e.reason(), HasSubstr("not modelled"));
  std::vector<std::string> warnings;
  parse_collecting(with_key(R"("model-shared-bus": 0)"), warnings);
  EXPECT_THAT(warnings, IsEmpty());
}

TEST(SystemJson, IgnoredKeysWarnInOneLineUnlessAtTheirDefault) {
  std::vector<std::string> warnings;
  parse_collecting(with_key(R"("boost-mode": 0, "peak-perf": 900, "L": 0, "o": 0, "g": 0, "G": 0.02,
                               "local-reduction-delay": 1, "local-mem-trace-filename": "x",
                               "roofline-enabled": 0, "track-local-mem": 0, "model-shared-bus": false,
                               "trace-enabled": 0, "replay-only": 0)"),
                   warnings);
  ASSERT_THAT(warnings, SizeIs(1));
  EXPECT_THAT(warnings[0], HasSubstr("sys.json: not modelled by the analytical backends, ignored: 'G'; "
                                     "'local-reduction-delay'"));
  // at the value the analytical backends assume (0, off), or used only by a model that is off
  for (const char* key : {"boost-mode", "'L'", "'o'", "'g'", "peak-perf", "local-mem-trace-filename", "roofline",
                          "track-local-mem", "model-shared-bus", "trace-enabled", "replay-only"})
    EXPECT_THAT(warnings[0], Not(HasSubstr(key))) << key;
  warnings.clear();
  parse_collecting(with_key(R"("boost-mode": 1, "intra-dimension-scheduling": "FIFO",
                               "inter-dimension-scheduling": "offlineGreedy")"),
                   warnings);
  ASSERT_THAT(warnings, SizeIs(1));
  EXPECT_THAT(warnings[0], HasSubstr("ignored: 'boost-mode'; 'inter-dimension-scheduling'"));
  EXPECT_THAT(warnings[0], Not(HasSubstr("intra")));
}

TEST(SystemJson, UnknownKeysAreNamedInTheFilesWarningLine) {
  std::vector<std::string> warnings;
  parse_collecting(with_key(R"("endpoint_delay": 5, "colour": "blue")"), warnings);
  ASSERT_THAT(warnings, SizeIs(1));
  EXPECT_THAT(warnings[0], AllOf(HasSubstr("sys.json"), HasSubstr("unknown key 'endpoint_delay'"),
                                 HasSubstr("unknown key 'colour'")));
  // without a sink the warnings are simply dropped
  EXPECT_NO_THROW(parse_system_json(with_key(R"("colour": "blue")"), "sys.json"));
}

TEST(SystemJson, MalformedJsonReportsLineAndColumn) {
  InputError e = json_error("{\n  \"preferred-dataset-splits\": 4,\n  \"endpoint-delay\": \n}");
  EXPECT_EQ(e.file(), "sys.json");
  EXPECT_THAT(e.reason(), HasSubstr("malformed JSON"));
  EXPECT_THAT(e.reason(), HasSubstr("line 4, column 1"));
  e = json_error("{\"preferred-dataset-splits\": 4");  // truncated
  EXPECT_THAT(e.reason(), HasSubstr("malformed JSON"));
  EXPECT_THAT(e.reason(), HasSubstr("line 1"));
  EXPECT_THAT(json_error("").reason(), HasSubstr("empty file"));
  EXPECT_THAT(json_error("  \n").reason(), HasSubstr("empty file"));
  EXPECT_THAT(json_error("[4]").reason(), HasSubstr("expected a JSON object"));
}

TEST(SystemJson, MissingFileNamesThePath) {
  const InputError e = capture_input_error([] { read_system_json("/nonexistent/sys.json"); });
  EXPECT_EQ(e.file(), "/nonexistent/sys.json");
}

TEST(Names, CollectiveAlgorithmAndTopologyNames) {
  EXPECT_EQ(parse_collective_name("all_reduce", "", "c"), CollectiveKind::AllReduce);
  EXPECT_EQ(parse_collective_name("all-gather", "", "c"), CollectiveKind::AllGather);
  EXPECT_EQ(parse_collective_name("reducescatter", "", "c"), CollectiveKind::ReduceScatter);
  EXPECT_EQ(parse_collective_name("ALLTOALL", "", "c"), CollectiveKind::AllToAll);
  const InputError e = capture_input_error([] { parse_collective_name("broadcast", "cli", "--collective"); });
  EXPECT_EQ(e.field(), "--collective");
  EXPECT_THAT(e.reason(), HasSubstr("all_reduce, all_gather, reduce_scatter, all_to_all"));
  EXPECT_EQ(parse_algorithm_name("oneDirect3", "", "a").window, 3);
  EXPECT_EQ(parse_algorithm_name("doubleBinaryTree", "", "a").kind, AlgorithmKind::DoubleBinaryTree);
  EXPECT_EQ(parse_topology_name("FullyConnected", "", "t"), TopologyKind::FullyConnected);
  EXPECT_EQ(capture_input_error([] { parse_topology_name("Mesh", "f", "t"); }).field(), "t");
}

}  // namespace
}  // namespace astra
