// The network YAML reader (and its JSON twin): ASTRA-sim's own files, the accepted syntax and
// every rejected input, each with the file, the field and the reason in the message.
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "host/input/parsers.hpp"
#include "input_error_capture.hpp"

namespace astra {
namespace {

using ::testing::HasSubstr;
using testing::capture_input_error;

const std::string kShared = ASTRA_SHARED_DIR;
const std::string kSource = ASTRA_SOURCE_DIR;

InputError yaml_error(const std::string& text) {
  return capture_input_error([&] { parse_network_yaml(text, "net.yml"); });
}

TEST(NetworkYaml, ReadsHgxH100Validated) {
  const NetworkConfig net = read_network_yaml(kShared + "/golden/inputs/network/HGX-H100-validated.yml");
  ASSERT_EQ(net.dims, 1);
  EXPECT_EQ(net.topology[0], TopologyKind::Switch);
  EXPECT_EQ(net.npus_count[0], 8);
  EXPECT_DOUBLE_EQ(net.bandwidth_GBps[0], 400.0);
  EXPECT_DOUBLE_EQ(net.latency_ns[0], 936.25);
}

TEST(NetworkYaml, ReadsTwoDimensionalHgxFileWithComments) {
  const NetworkConfig net = read_network_yaml(kShared + "/golden/inputs/network/hgx_h100_16gpu.yml");
  ASSERT_EQ(net.dims, 2);
  EXPECT_EQ(net.topology[0], TopologyKind::Switch);
  EXPECT_EQ(net.topology[1], TopologyKind::Ring);
  EXPECT_EQ(net.npus_count[0], 8);
  EXPECT_EQ(net.npus_count[1], 2);
  EXPECT_EQ(net.total_npus(), 16);
  EXPECT_DOUBLE_EQ(net.bandwidth_GBps[0], 400.0);  // the commented-out lines are not read
  EXPECT_DOUBLE_EQ(net.bandwidth_GBps[1], 50.0);
  EXPECT_DOUBLE_EQ(bandwidth_bytes_per_ns(net.bandwidth_GBps[1]), 53.6870912);
  EXPECT_DOUBLE_EQ(net.latency_ns[0], 936.25);
  EXPECT_DOUBLE_EQ(net.latency_ns[1], 1000.0);
}

TEST(NetworkYaml, ReadsEveryBundledNetworkFile) {
  const char* files[] = {"hgx_h100_2gpu.yml", "hgx_h100_4gpu.yml", "hgx_h100_8gpu.yml", "hgx_h100_16gpu.yml",
                         "HGX-H100-validated.yml", "hgx_h100_32gpu.yml"};
  const int npus[] = {2, 4, 8, 16, 8, 32};
  for (int i = 0; i < 6; ++i) {
    const NetworkConfig net = read_network_yaml(kSource + "/configs/network/" + files[i]);
    EXPECT_EQ(net.total_npus(), npus[i]) << files[i];
  }
  const NetworkConfig n32 = read_network_yaml(kSource + "/configs/network/hgx_h100_32gpu.yml");
  ASSERT_EQ(n32.dims, 2);
  EXPECT_EQ(n32.topology[0], TopologyKind::Switch);
  EXPECT_EQ(n32.topology[1], TopologyKind::Switch);
  EXPECT_EQ(n32.npus_count[0], 8);
  EXPECT_EQ(n32.npus_count[1], 4);
}

TEST(NetworkYaml, AcceptsBlockListsQuotedValuesAndAllTopologies) {
  const NetworkConfig net = parse_network_yaml(
      "topology:\n  - Ring\n  - FullyConnected\n  - 'Switch'\n"
      "npus_count: [ \"4\", 2, +3 ]   # quoted and signed\n"
      "bandwidth: [ 25.5, '100', 1e2 ]\n"
      "latency: [ 0, 0.5, \"10\" ]\n",
      "net.yml");
  ASSERT_EQ(net.dims, 3);
  EXPECT_EQ(net.topology[0], TopologyKind::Ring);
  EXPECT_EQ(net.topology[1], TopologyKind::FullyConnected);
  EXPECT_EQ(net.topology[2], TopologyKind::Switch);
  EXPECT_EQ(net.npus_count[0], 4);
  EXPECT_EQ(net.npus_count[2], 3);
  EXPECT_DOUBLE_EQ(net.bandwidth_GBps[0], 25.5);
  EXPECT_DOUBLE_EQ(net.bandwidth_GBps[1], 100.0);
  EXPECT_DOUBLE_EQ(net.bandwidth_GBps[2], 100.0);
  EXPECT_DOUBLE_EQ(net.latency_ns[1], 0.5);
  EXPECT_DOUBLE_EQ(net.latency_ns[2], 10.0);
}

TEST(NetworkYaml, MissingKeyIsNamed) {
  for (const char* key : {"topology", "npus_count", "bandwidth", "latency"}) {
    std::string text = "topology: [ Ring ]\nnpus_count: [ 4 ]\nbandwidth: [ 50 ]\nlatency: [ 500 ]\n";
    const auto at = text.find(std::string(key) + ":");
    text.erase(at, text.find('\n', at) + 1 - at);
    const InputError e = yaml_error(text);
    EXPECT_EQ(e.file(), "net.yml");
    EXPECT_EQ(e.field(), key);
    EXPECT_THAT(e.reason(), HasSubstr("missing"));
    EXPECT_THAT(std::string(e.what()), HasSubstr(std::string("net.yml: ") + key + ": missing"));
  }
}

TEST(NetworkYaml, WrongTypesAreRejected) {
  InputError e = yaml_error("topology: Ring\nnpus_count: [4]\nbandwidth: [50]\nlatency: [500]\n");
  EXPECT_EQ(e.field(), "topology");
  EXPECT_THAT(e.reason(), HasSubstr("list"));
  e = yaml_error("topology: [Ring]\nnpus_count: {a: 1}\nbandwidth: [50]\nlatency: [500]\n");
  EXPECT_EQ(e.field(), "npus_count");
  e = yaml_error("topology: [[Ring]]\nnpus_count: [4]\nbandwidth: [50]\nlatency: [500]\n");
  EXPECT_EQ(e.field(), "topology[0]");
  e = yaml_error("topology: [Ring]\nnpus_count: [4]\nbandwidth: [fast]\nlatency: [500]\n");
  EXPECT_EQ(e.field(), "bandwidth[0]");
  EXPECT_THAT(e.reason(), HasSubstr("'fast' is not a finite number"));
  e = yaml_error("topology: [Ring]\nnpus_count: [4]\nbandwidth: [.inf]\nlatency: [500]\n");
  EXPECT_EQ(e.field(), "bandwidth[0]");
  e = yaml_error("topology: [Ring]\nnpus_count: [4]\nbandwidth: [50]\nlatency:\n");
  EXPECT_EQ(e.field(), "latency");
}

TEST(NetworkYaml, UnknownTopologyListsTheValidOnes) {
  const InputError e = yaml_error("topology: [Ring, Torus]\nnpus_count: [4, 2]\nbandwidth: [50, 50]\nlatency: [1, 1]\n");
  EXPECT_EQ(e.field(), "topology[1]");
  EXPECT_THAT(e.reason(), HasSubstr("'Torus'"));
  EXPECT_THAT(e.reason(), HasSubstr("Ring, Switch, FullyConnected"));
  // case matters, as in ASTRA-sim
  EXPECT_EQ(yaml_error("topology: [ring]\nnpus_count: [4]\nbandwidth: [50]\nlatency: [1]\n").field(), "topology[0]");
}

TEST(NetworkYaml, BadValuesAreRejected) {
  struct Case {
    const char* npus;
    const char* bw;
    const char* lat;
    const char* field;
    const char* reason;
  } cases[] = {
      {"4", "0", "1", "bandwidth[0]", "positive"},
      {"4", "-50", "1", "bandwidth[0]", "positive"},
      {"4", "50", "-1", "latency[0]", "negative"},
      {"0", "50", "1", "npus_count[0]", "at least 1"},
      {"-2", "50", "1", "npus_count[0]", "at least 1"},
      {"2.5", "50", "1", "npus_count[0]", "not an integer"},
      {"8.0", "50", "1", "npus_count[0]", "not an integer"},
      {"0x10", "50", "1", "npus_count[0]", "not an integer"},
      {"99999999999999999999", "50", "1", "npus_count[0]", "not an integer"},
  };
  for (const Case& c : cases) {
    const std::string text = std::string("topology: [Ring]\nnpus_count: [") + c.npus + "]\nbandwidth: [" + c.bw +
                             "]\nlatency: [" + c.lat + "]\n";
    const InputError e = yaml_error(text);
    EXPECT_EQ(e.field(), c.field) << text;
    EXPECT_THAT(e.reason(), HasSubstr(c.reason)) << text;
  }
  const InputError huge = yaml_error(
      "topology: [Ring, Ring, Ring]\nnpus_count: [100000, 100000, 100000]\nbandwidth: [1, 1, 1]\nlatency: [1, 1, 1]\n");
  EXPECT_EQ(huge.field(), "npus_count[1]");  // 100000 * 100000 already exceeds 2^31 - 1
}

TEST(NetworkYaml, ListsMustHaveTheSameLength) {
  InputError e = yaml_error("topology: [Ring, Switch]\nnpus_count: [4]\nbandwidth: [50, 50]\nlatency: [1, 1]\n");
  EXPECT_EQ(e.field(), "npus_count");
  EXPECT_THAT(e.reason(), HasSubstr("has 1 entries but topology has 2"));
  e = yaml_error("topology: []\nnpus_count: []\nbandwidth: []\nlatency: []\n");
  EXPECT_EQ(e.field(), "topology");
  EXPECT_THAT(e.reason(), HasSubstr("empty"));
  e = yaml_error("topology: [Ring,Ring,Ring,Ring,Ring,Ring,Ring,Ring,Ring]\nnpus_count: [2,2,2,2,2,2,2,2,2]\n"
                 "bandwidth: [1,1,1,1,1,1,1,1,1]\nlatency: [1,1,1,1,1,1,1,1,1]\n");
  EXPECT_EQ(e.field(), "topology");
  EXPECT_THAT(e.reason(), HasSubstr("at most 8"));
}

TEST(NetworkYaml, MalformedYamlReportsLineAndColumn) {
  InputError e = yaml_error("topology: [ Ring\nnpus_count: [ 4 ]\n");
  EXPECT_EQ(e.file(), "net.yml");
  EXPECT_THAT(e.reason(), HasSubstr("malformed YAML at line"));
  EXPECT_THAT(e.reason(), HasSubstr("column"));
  e = yaml_error("topology: [ Ring ]\n  npus_count: [ 4 ]\n\tbandwidth: 1\n");
  EXPECT_THAT(e.reason(), HasSubstr("malformed YAML"));
  e = yaml_error("- Ring\n- Switch\n");
  EXPECT_THAT(e.reason(), HasSubstr("mapping"));
}

TEST(NetworkYaml, EmptyFileIsRejected) {
  EXPECT_THAT(yaml_error("").reason(), HasSubstr("empty file"));
  EXPECT_THAT(yaml_error("# only a comment\n\n").reason(), HasSubstr("empty file"));
}

TEST(NetworkYaml, MissingFileNamesThePath) {
  const InputError e = capture_input_error([] { read_network_yaml("/nonexistent/net.yml"); });
  EXPECT_EQ(e.file(), "/nonexistent/net.yml");
  EXPECT_THAT(e.reason(), HasSubstr("cannot open"));
}

TEST(NetworkJson, ReadsTheGoldenInlineForm) {
  const auto j = nlohmann::json::parse(
      R"({"topology":["Ring","Switch"],"npus_count":[4,2],"bandwidth":[50,400.5],"latency":[500,936.25]})");
  const NetworkConfig net = network_from_json(j, "case A-1");
  ASSERT_EQ(net.dims, 2);
  EXPECT_EQ(net.topology[1], TopologyKind::Switch);
  EXPECT_EQ(net.npus_count[0], 4);
  EXPECT_DOUBLE_EQ(net.bandwidth_GBps[1], 400.5);
  EXPECT_DOUBLE_EQ(net.latency_ns[1], 936.25);
}

TEST(NetworkJson, RejectsWhatTheYamlReaderRejects) {
  auto error = [](const char* text) {
    return capture_input_error([&] { network_from_json(nlohmann::json::parse(text), "case"); });
  };
  EXPECT_EQ(error(R"({"topology":["Ring"],"npus_count":[4],"bandwidth":[50]})").field(), "latency");
  EXPECT_EQ(error(R"({"topology":"Ring","npus_count":[4],"bandwidth":[50],"latency":[1]})").field(), "topology");
  EXPECT_EQ(error(R"({"topology":[1],"npus_count":[4],"bandwidth":[50],"latency":[1]})").field(), "topology[0]");
  EXPECT_EQ(error(R"({"topology":["Ring"],"npus_count":[4.5],"bandwidth":[50],"latency":[1]})").field(), "npus_count[0]");
  EXPECT_EQ(error(R"({"topology":["Ring"],"npus_count":[true],"bandwidth":[50],"latency":[1]})").field(), "npus_count[0]");
  EXPECT_EQ(error(R"({"topology":["Ring"],"npus_count":[4],"bandwidth":[0],"latency":[1]})").field(), "bandwidth[0]");
  EXPECT_EQ(error(R"({"topology":["Ring"],"npus_count":[4,2],"bandwidth":[1],"latency":[1]})").field(), "npus_count");
  EXPECT_EQ(error(R"([1,2])").field(), "");
}

TEST(NetworkJson, EveryGoldenNetworkParses) {
  for (const char* cases : {"/golden/cases.jsonl", "/golden/text-workloads/cases.jsonl"}) {
    std::ifstream in(kShared + cases);
    ASSERT_TRUE(in) << cases;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      const auto c = nlohmann::json::parse(line);
      const NetworkConfig net = network_from_json(c.at("network"), c.at("id").get<std::string>());
      EXPECT_EQ(net.dims, static_cast<int>(c["network"]["npus_count"].size()));
      ++n;
    }
    EXPECT_GT(n, 0);
  }
}

}  // namespace
}  // namespace astra
