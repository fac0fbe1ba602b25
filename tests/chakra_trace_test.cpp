// Chakra execution traces: the reader gives the same graph as the text converter on every trace
// ASTRA-sim ran in ../shared/golden, the writer reproduces Chakra's converter byte for byte and
// round-trips through simulation, and bad traces are refused with one line naming file and node.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "host/cli/engines.hpp"
#include "host/golden/golden_cases.hpp"
#include "host/input/chakra/chakra_trace_writer.hpp"
#include "host/input/chakra/chakra_workload.hpp"
#include "host/input/file_text.hpp"
#include "host/input/parsers.hpp"
#include "host/sweep/output/run_record.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/sweep/spec/sweep_spec.hpp"
#include "support/chakra_trace_builder.hpp"
#include "support/shared_data.hpp"

namespace astra {
namespace {

namespace fs = std::filesystem;
using namespace astra::test;

const fs::path kGolden = fs::path(astra::testing_support::shared_dir()) / "golden";

struct TraceDir {
  fs::path prefix;  // <dir>/<stem>
  fs::path text;    // the text workload it was converted from
  std::int64_t npus = 0;
};

// Every trace set in the golden data, with its text workload.
std::vector<TraceDir> golden_trace_dirs() {
  std::vector<TraceDir> out;
  for (const fs::path& root : {kGolden / "inputs" / "workload", kGolden / "text-workloads" / "inputs" / "workload"}) {
    if (!fs::is_directory(root)) continue;
    for (const auto& dir : fs::directory_iterator(root)) {
      TraceDir t;
      for (const auto& f : fs::directory_iterator(dir.path())) {
        const std::string name = f.path().filename().string();
        if (name.size() > 5 && name.substr(name.size() - 5) == ".0.et") t.prefix = dir.path() / name.substr(0, name.size() - 5);
        if (f.path().extension() == ".et") ++t.npus;
      }
      t.text = kGolden / "text-workloads" / "inputs" / (t.prefix.filename().string() + ".txt");
      out.push_back(t);
    }
  }
  std::sort(out.begin(), out.end(), [](const TraceDir& a, const TraceDir& b) { return a.prefix < b.prefix; });
  return out;
}

// Same nodes and parents; `ordered`: parents also listed in the same order.
void expect_same_graph(const Workload& a, const Workload& b, const std::string& what, bool ordered = true) {
  ASSERT_EQ(a.nodes.size(), b.nodes.size()) << what;
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    const WorkloadNode &x = a.nodes[i], &y = b.nodes[i];
    EXPECT_EQ(x.kind, y.kind) << what << " node " << i;
    EXPECT_EQ(x.duration_us, y.duration_us) << what << " node " << i;
    EXPECT_EQ(x.size_bytes, y.size_bytes) << what << " node " << i;
    if (x.kind == NodeKind::Collective) EXPECT_EQ(x.collective, y.collective) << what << " node " << i;
    ASSERT_EQ(x.deps_count, y.deps_count) << what << " node " << i;
    std::vector<std::int32_t> pa(a.deps.begin() + x.deps_begin, a.deps.begin() + x.deps_begin + x.deps_count);
    std::vector<std::int32_t> pb(b.deps.begin() + y.deps_begin, b.deps.begin() + y.deps_begin + y.deps_count);
    if (!ordered) {
      std::sort(pa.begin(), pa.end());
      std::sort(pb.begin(), pb.end());
    }
    EXPECT_EQ(pa, pb) << what << " node " << i;
    EXPECT_EQ(a.node_names[i], b.node_names[i]) << what;
  }
}

TEST(ChakraTrace, EveryGoldenTraceSetReadsAsTheGraphOfItsTextWorkload) {
  const auto dirs = golden_trace_dirs();
  if (dirs.empty()) ASTRA_NEEDS_SHARED("golden/inputs/workload");
  EXPECT_EQ(dirs.size(), 15u);  // ResNet-50 at 4, 8, 16 NPUs; 6 text workloads at 8 and 16
  for (const auto& d : dirs) {
    const Workload et = chakra::read_chakra_workload(d.prefix.string(), d.npus);
    const Workload text = read_text_workload(d.text.string());
    expect_same_graph(et, text, d.prefix.string());
    // the folder names the same set as the prefix
    EXPECT_EQ(chakra::read_chakra_workload(d.prefix.parent_path().string(), d.npus).nodes.size(), et.nodes.size());
  }
}

TEST(ChakraTrace, ConvertWritesChakrasConverterOutputByteForByte) {
  const auto dirs = golden_trace_dirs();
  if (dirs.empty()) ASTRA_NEEDS_SHARED("golden/inputs/workload");
  for (const auto& d : dirs) {
    const std::string text = read_input_file(d.text.string());
    const Workload w = parse_text_workload(text, d.text.string());
    for (std::int64_t r = 0; r < d.npus; ++r) {
      const std::string want = read_input_file(chakra::chakra_rank_file(d.prefix.string(), r));
      EXPECT_TRUE(chakra::chakra_trace_bytes(w, chakra::text_as_python_reads_it(text), r) == want) << d.prefix << " rank " << r;
    }
  }
}

void expect_same_result(const SimulationResult& a, const SimulationResult& b, const std::string& what) {
  ASSERT_EQ(a.status, b.status) << what << ": " << a.message << " | " << b.message;
  EXPECT_EQ(a.finish_ns, b.finish_ns) << what;
  ASSERT_EQ(a.stats.size(), b.stats.size()) << what;
  for (std::size_t i = 0; i < a.stats.size(); ++i) {
    ASSERT_EQ(a.stats[i].has_value(), b.stats[i].has_value()) << what;
    if (!a.stats[i]) continue;
    EXPECT_EQ(a.stats[i]->wall_ns, b.stats[i]->wall_ns) << what;
    EXPECT_EQ(a.stats[i]->comm_ns, b.stats[i]->comm_ns) << what;
    EXPECT_EQ(a.stats[i]->gpu_ns, b.stats[i]->gpu_ns) << what;
    EXPECT_EQ(a.stats[i]->exposed_comm_ns, b.stats[i]->exposed_comm_ns) << what;
  }
}

// Round trip: every text workload of golden/text-workloads that converts, written as traces at the
// NPU count of each golden case and read back, simulates (both engines, both backends) exactly as
// the text file does - and as ASTRA-sim did.
TEST(ChakraTrace, ConvertedTracesSimulateLikeTheTextWorkload) {
  const fs::path cases = kGolden / "text-workloads" / "cases.jsonl";
  ASTRA_NEEDS_SHARED("golden/text-workloads/cases.jsonl");
  const fs::path tmp = fs::temp_directory_path() / ("chakra_roundtrip_" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  std::set<std::string> converted;
  int compared = 0;
  for (const auto& c : golden::load_golden_cases(cases.string(), golden::GoldenWorkloads::Text)) {
    if (c.workload_source != "text" || c.expected_status != "ok") continue;
    const fs::path text = kGolden / "text-workloads" / "inputs" / c.collective;
    const std::string prefix = (tmp / (text.stem().string() + "_" + std::to_string(c.network.total_npus()))).string();
    chakra::write_chakra_traces(*c.workload, read_input_file(text.string()), prefix, c.network.total_npus());
    const Workload back = chakra::read_chakra_workload(prefix, c.network.total_npus());
    converted.insert(text.filename().string());
    for (const char* engine : {"reference", "fast"}) {
      const auto run = cli::make_engine(engine);
      const auto from_text = run(c.network, c.system, c.backend, *c.workload, 1.0);
      const auto from_et = run(c.network, c.system, c.backend, back, 1.0);
      expect_same_result(from_text, from_et, c.id + " " + engine);
      EXPECT_EQ(from_et.finish_ns, c.expected_finish_ns) << c.id << " " << engine;
      ++compared;
    }
  }
  fs::remove_all(tmp);
  // every text workload of the folder Chakra's converter can convert
  for (const auto& f : fs::directory_iterator(kGolden / "text-workloads" / "inputs")) {
    if (f.path().extension() != ".txt") continue;
    bool convertible = true;
    try {
      read_text_workload(f.path().string());
    } catch (const InputError&) {
      convertible = false;
    }
    if (convertible && f.path().filename() != "Resnet50_DataParallel.txt")
      EXPECT_TRUE(converted.count(f.path().filename().string())) << f.path() << " not round-tripped";
  }
  EXPECT_GE(compared, 96);  // 48 cases x 2 engines
}

// Property: a random DAG written as a trace the way other tools may write it (nodes in shuffled
// file order, ids with gaps and a per-rank offset, each parent as a data or a control dependency or
// both, a METADATA node nobody waits for) reads back as the same graph, and the simulators answer
// for it exactly what they answer for the original (NPUs 0 and 1 of a 2-NPU set).
TEST(ChakraTrace, RandomGraphsSurviveAnyFileOrderIdGapsAndDependencyKinds) {
  std::mt19937_64 rng(20261130);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  NetworkConfig net;
  net.dims = 1;
  net.topology[0] = TopologyKind::Ring;
  net.npus_count[0] = 2;
  net.bandwidth_GBps[0] = 50;
  net.latency_ns[0] = 500;
  SystemConfig sys;
  sys.endpoint_delay_ns = 10;
  sys.preferred_dataset_splits = 4;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    sys.implementation_count[c] = 1;
    sys.implementation[c][0] = {AlgorithmKind::Ring, -1};
  }
  const auto reference = cli::make_engine("reference");
  const auto fast = cli::make_engine("fast");
  for (int sample = 0; sample < 200; ++sample) {
    Workload w;
    const int n = pick(1, 40);
    for (int i = 0; i < n; ++i) {
      WorkloadNode node;
      node.kind = pick(0, 1) ? NodeKind::Compute : NodeKind::Collective;
      if (node.kind == NodeKind::Compute) node.duration_us = static_cast<std::uint64_t>(pick(0, 50));
      else node.collective = static_cast<CollectiveKind>(pick(0, 3)), node.size_bytes = std::uint64_t{1} << pick(6, 20);
      node.deps_begin = static_cast<std::int32_t>(w.deps.size());
      for (int k = 0, parents = i ? pick(0, std::min(4, i)) : 0; k < parents; ++k) {
        const int par = pick(0, i - 1);
        if (std::find(w.deps.begin() + node.deps_begin, w.deps.end(), par) == w.deps.end()) w.deps.push_back(par);
      }
      node.deps_count = static_cast<std::int32_t>(w.deps.size()) - node.deps_begin;
      w.nodes.push_back(node);
      w.node_names.push_back("n" + std::to_string(i));
    }
    w.index_children();
    std::vector<std::uint64_t> ids(static_cast<std::size_t>(n)), rank0_ids;
    std::vector<chakra::ChakraTrace> ranks;
    for (int r = 0; r < 2; ++r) {
      std::uint64_t id = static_cast<std::uint64_t>(pick(0, 1000)) * static_cast<std::uint64_t>(r + 1);
      for (auto& x : ids) x = id += static_cast<std::uint64_t>(pick(1, 3));
      if (r == 0) rank0_ids = ids;
      std::vector<BuiltNode> built;
      for (int i = 0; i < n; ++i) {
        const WorkloadNode& node = w.nodes[static_cast<std::size_t>(i)];
        BuiltNode b = node.kind == NodeKind::Compute
                          ? comp(ids[static_cast<std::size_t>(i)], node.duration_us)
                          : coll(ids[static_cast<std::size_t>(i)], static_cast<std::int64_t>(std::vector<int>{0, 2, 7, 6}[static_cast<std::size_t>(node.collective)]),
                                 static_cast<std::int64_t>(node.size_bytes));
        for (std::int32_t k = 0; k < node.deps_count; ++k) {
          const std::uint64_t parent = ids[static_cast<std::size_t>(w.deps[static_cast<std::size_t>(node.deps_begin + k)])];
          const int how = pick(0, 2);
          if (how != 1) b.data_deps.push_back(parent);
          if (how != 0) b.ctrl_deps.push_back(parent);
        }
        built.push_back(b);
      }
      BuiltNode meta;
      meta.id = ids.back() + 1;
      meta.type = chakra::kMetadataNode;
      built.push_back(meta);
      std::shuffle(built.begin(), built.end(), rng);
      ranks.push_back(chakra::parse_chakra_trace(encode_trace(built), "random." + std::to_string(r) + ".et"));
    }
    const Workload back = chakra::chakra_workload_from_traces(ranks, "random");
    for (std::size_t i = 0; i < back.node_names.size(); ++i) EXPECT_EQ(back.node_names[i], (w.nodes[i].kind == NodeKind::Compute ? "comp" : "coll") + std::to_string(rank0_ids[i]));
    Workload named = w;
    named.node_names = back.node_names;
    expect_same_graph(back, named, "sample " + std::to_string(sample), /*ordered=*/false);
    for (const auto backend : {NetworkBackend::CongestionUnaware, NetworkBackend::CongestionAware}) {
      const auto want = reference(net, sys, backend, w, 1.0);
      expect_same_result(want, reference(net, sys, backend, back, 1.0), "reference sample " + std::to_string(sample));
      expect_same_result(want, fast(net, sys, backend, back, 1.0), "fast sample " + std::to_string(sample));
    }
    if (HasFailure()) break;
  }
}

// A sweep spec over traces: the workload is the trace set's graph, and a resumed run notices when
// a rank file changed (the rank files are hashed with the spec).
TEST(ChakraTrace, SweepSpecReadsTracesAndHashesEveryRankFile) {
  const fs::path dir = fs::temp_directory_path() / ("chakra_spec_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string text = "MICRO\n1\nl1 -1 5 NONE 0 5 NONE 0 5 ALLREDUCE 4096 5\n";
  chakra::write_chakra_traces(parse_text_workload(text, "micro.txt"), text, (dir / "m").string(), 4);
  const std::string yaml =
      "network: {topology: [Ring], npus_count: [4], bandwidth: [50], latency: [500]}\n"
      "system: {scheduling-policy: LIFO, endpoint-delay: 10, active-chunks-per-dimension: 1, preferred-dataset-splits: 4,\n"
      "         all-reduce-implementation: [ring], all-gather-implementation: [ring],\n"
      "         reduce-scatter-implementation: [ring], all-to-all-implementation: [ring]}\n"
      "workload: {et: m}\naxes:\n  latency_ns: [100, 200]\n";
  std::ofstream(dir / "spec.yaml") << yaml;
  const SweepSpec spec = load_sweep_spec((dir / "spec.yaml").string());
  ASSERT_EQ(spec.workload->nodes.size(), 1u);
  EXPECT_EQ(spec.workload->nodes[0].size_bytes, 4096u);
  EXPECT_FALSE(spec.inline_collective);
  EXPECT_EQ(spec.workload_trace_files.size(), 4u);
  const std::string before = make_run_record(spec, 0, 2, "", "c").spec_hash;
  const std::string other = "MICRO\n1\nl1 -1 5 NONE 0 5 NONE 0 5 ALLREDUCE 8192 5\n";
  std::ofstream(chakra::chakra_rank_file((dir / "m").string(), 3), std::ios::binary)
      << chakra::chakra_trace_bytes(parse_text_workload(other, "micro.txt"), other, 3);
  EXPECT_NE(make_run_record(spec, 0, 2, "", "c").spec_hash, before);
  fs::remove_all(dir);
}

// ---- bad traces

class ChakraBadTrace : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("chakra_bad_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string prefix() const { return (dir_ / "t").string(); }
  void write(std::int64_t rank, const std::string& bytes) const {
    std::ofstream(chakra::chakra_rank_file(prefix(), rank), std::ios::binary) << bytes;
  }
  void write_all(std::int64_t npus, const std::vector<BuiltNode>& nodes) const {
    for (std::int64_t r = 0; r < npus; ++r) write(r, encode_trace(nodes));
  }
  // The one-line error for reading `npus` ranks; empty if it reads.
  std::string error(std::int64_t npus) const {
    try {
      chakra::read_chakra_workload(prefix(), npus);
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
      return what;
    }
    return {};
  }
  void expect_error(std::int64_t npus, std::int64_t rank, const std::string& field, const std::string& part) const {
    const std::string e = error(npus);
    EXPECT_EQ(e.rfind(chakra::chakra_rank_file(prefix(), rank) + ": " + field, 0), 0u) << e;
    EXPECT_NE(e.find(part), std::string::npos) << e;
  }
  fs::path dir_;
};

const std::vector<BuiltNode> kGood = {comp(0, 5), coll(1, chakra::kAllReduce, 1024, {0}), comp(2, 7, {0}), comp(3, 1, {1, 2})};

TEST_F(ChakraBadTrace, AGoodTraceReads) {
  write_all(4, kGood);
  EXPECT_EQ(error(4), "");
  const Workload w = chakra::read_chakra_workload(prefix(), 4);
  ASSERT_EQ(w.nodes.size(), 4u);
  EXPECT_EQ(w.nodes[1].collective, CollectiveKind::AllReduce);
  EXPECT_EQ(w.nodes[1].size_bytes, 1024u);
  EXPECT_EQ(w.nodes[3].deps_count, 2);
}

// COMP nodes with num_ops / tensor_size: ASTRA-sim times them by its roofline model when the
// system enables it; astra-sweep refuses that pairing (naming the system file) and reads them
// by duration_micros otherwise.
TEST_F(ChakraBadTrace, RooflineTimedNodesAreRefusedWithTheRooflineOn) {
  std::vector<BuiltNode> nodes = kGood;
  nodes[0].attrs = {int_attr("num_ops", 1000000), int_attr("tensor_size", 4096)};
  write_all(2, nodes);
  const Workload w = chakra::read_chakra_workload(prefix(), 2);
  EXPECT_TRUE(w.roofline_inputs);
  EXPECT_FALSE(chakra::read_chakra_workload(prefix(), 2).nodes.empty());
  const std::string on = (dir_ / "on.json").string(), off = (dir_ / "off.json").string();
  std::ofstream(on) << R"({"roofline-enabled": 1})";
  std::ofstream(off) << R"({"roofline-enabled": 0})";
  EXPECT_NO_THROW(chakra::check_roofline_off(w, off));
  try {
    chakra::check_roofline_off(w, on);
    FAIL() << "roofline on with num_ops nodes was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(on + ": roofline-enabled", 0), 0u) << e.what();
  }
  write_all(2, kGood);  // no roofline inputs: nothing to refuse
  EXPECT_NO_THROW(chakra::check_roofline_off(chakra::read_chakra_workload(prefix(), 2), on));
}

TEST_F(ChakraBadTrace, TruncatedAndCorruptFiles) {
  const std::string good = encode_trace(kGood);
  write_all(2, kGood);
  write(1, good.substr(0, good.size() - 3));
  expect_error(2, 1, "byte ", "truncated or corrupt");
  std::string corrupt = good;
  corrupt[corrupt.size() - 2] = '\x07';  // wire type 7 does not exist
  write(1, corrupt);
  expect_error(2, 1, "byte ", "truncated or corrupt");
  write(1, std::string("\x1f\x8b\x08\x00", 4) + good);
  expect_error(2, 1, "gzip", "gunzip");
  write(1, "");
  expect_error(2, 1, "empty", "GlobalMetadata");
  write(1, good.substr(0, 1 + static_cast<std::size_t>(good[0])));  // metadata only
  expect_error(2, 1, "no nodes", "");
}

TEST_F(ChakraBadTrace, MissingRank) {
  write_all(3, kGood);
  expect_error(4, 3, "missing", "4 NPUs");
}

TEST_F(ChakraBadTrace, DanglingDependencyDuplicateIdAndCycle) {
  write_all(1, {comp(0, 1), comp(1, 1, {7})});
  expect_error(1, 0, "node 1: ", "depends on node 7, which is not in the file");
  write_all(1, {comp(0, 1), comp(0, 1)});
  expect_error(1, 0, "node 0: ", "duplicate node id");
  write_all(1, {comp(0, 1), comp(1, 1, {0, 3}), comp(2, 1, {1}), comp(3, 1, {2})});
  expect_error(1, 0, "node ", "dependency cycle");
  write_all(1, {comp(0, 1, {0})});
  expect_error(1, 0, "node 0: ", "dependency cycle");
}

TEST_F(ChakraBadTrace, UnmatchedSendRecvAndPointToPointRefused) {
  auto p2p = [](std::uint64_t id, bool send, std::int64_t peer, std::int64_t tag) {
    BuiltNode n;
    n.id = id;
    n.type = send ? chakra::kCommSendNode : chakra::kCommRecvNode;
    n.attrs = {int_attr(send ? "comm_dst" : "comm_src", peer), int_attr("comm_size", 64), int_attr("comm_tag", tag)};
    return n;
  };
  write(0, encode_trace({comp(0, 1), p2p(1, true, 1, 5)}));
  write(1, encode_trace({comp(0, 1), p2p(1, false, 0, 6)}));
  expect_error(2, 0, "node 1: ", "COMM_SEND to rank 1 with comm_tag 5 has no matching COMM_RECV");
  write(1, encode_trace({comp(0, 1), p2p(1, false, 0, 5)}));
  expect_error(2, 0, "node 1: ", "not modelled");
  write(0, encode_trace({comp(0, 1), p2p(1, true, 9, 5)}));
  expect_error(2, 0, "node 1: ", "the trace set has 2 ranks");
}

TEST_F(ChakraBadTrace, UnsupportedNodesAndAttributesAreRefused) {
  BuiltNode n = coll(0, chakra::kBroadcast, 8);
  write_all(1, {n});
  expect_error(1, 0, "node 0: ", "BROADCAST");
  n = coll(0, 3, 8);
  write_all(1, {n});
  expect_error(1, 0, "node 0: ", "comm_type 3");
  n = coll(0, chakra::kAllGather, 8);
  n.attrs.push_back(str_attr("pg_name", "3"));
  write_all(1, {n});
  expect_error(1, 0, "node 0: ", "communicator group");
  n = coll(0, chakra::kAllGather, 8);
  n.attrs.push_back(bools_attr("involved_dim", {true, false, true, true}));
  write_all(1, {n});
  expect_error(1, 0, "node 0: ", "involved_dim");
  n = coll(0, chakra::kAllGather, 8);
  n.attrs.push_back(int_attr("comm_priority", 2));
  write_all(1, {n});
  expect_error(1, 0, "node 0: ", "comm_priority");
  n = coll(0, chakra::kAllGather, 8);
  n.attrs = {int_attr("comm_type", 0), double_attr("comm_size")};
  write_all(1, {n});
  expect_error(1, 0, "node 0: ", "double_val");
  n = coll(0, chakra::kAllGather, 8);
  n.attrs = {int_attr("comm_type", 0)};
  write_all(1, {n});
  expect_error(1, 0, "node 0: ", "missing attribute comm_size");
  n = comp(0, 1);
  n.attrs.push_back(int_attr("is_cpu_op", 1));
  write_all(1, {n});
  expect_error(1, 0, "node 0: ", "is_cpu_op");
  for (std::uint32_t type : {0u, 2u, 42u}) {  // INVALID_NODE, MEM_LOAD_NODE, unknown
    n = comp(0, 1);
    n.type = type;
    write_all(1, {n});
    expect_error(1, 0, "node 0: ", "");
    EXPECT_NE(error(1), "");
  }
}

TEST_F(ChakraBadTrace, AcceptedOptionsAndMetadataNodes) {
  BuiltNode c = coll(2, chakra::kReduceScatter, 4096, {1});
  c.attrs.push_back(str_attr("pg_name", "0"));
  c.attrs.push_back(bools_attr("involved_dim", {true, true, true, true}));
  c.attrs.push_back(int_attr("comm_priority", 0));
  c.ctrl_deps = {1, 1};  // merged with the data dependency, listed once
  BuiltNode meta;
  meta.id = 0;
  meta.type = chakra::kMetadataNode;
  // ids out of file order: read in id order
  write_all(2, {c, meta, comp(1, 3)});
  ASSERT_EQ(error(2), "");
  const Workload w = chakra::read_chakra_workload(prefix(), 2);
  ASSERT_EQ(w.nodes.size(), 2u);  // the METADATA node nobody depends on is dropped
  EXPECT_EQ(w.nodes[0].kind, NodeKind::Compute);
  EXPECT_EQ(w.nodes[1].collective, CollectiveKind::ReduceScatter);
  ASSERT_EQ(w.nodes[1].deps_count, 1);
  EXPECT_EQ(w.deps[static_cast<std::size_t>(w.nodes[1].deps_begin)], 0);
  // a METADATA node with dependents is refused
  write_all(2, {meta, comp(1, 3, {0})});
  expect_error(2, 0, "node 0: ", "METADATA_NODE");
}

TEST_F(ChakraBadTrace, RanksWithDifferentGraphsAreRefused) {
  write_all(2, kGood);
  std::vector<BuiltNode> other = kGood;
  other[1] = coll(1, chakra::kAllReduce, 2048, {0});
  write(1, encode_trace(other));
  expect_error(2, 1, "node 1: ", "rank 0's node 1");
  // ids offset per rank, as Chakra's converter writes them, are fine
  for (auto& n : other) {
    n.id += 100;
    for (auto& d : n.data_deps) d += 100;
  }
  other[1] = kGood[1];
  other[1].id = 101;
  other[1].data_deps = {100};
  write(1, encode_trace(other));
  EXPECT_EQ(error(2), "");
}

}  // namespace
}  // namespace astra
