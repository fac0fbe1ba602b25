// The text workload reader: the ResNet-50 graph of spec section 5.1 checked edge by edge, the
// other parallelism types on small hand-made files, and every rejected input.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "host/input/parsers.hpp"
#include "input_error_capture.hpp"

namespace astra {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::capture_input_error;

const std::string kShared = ASTRA_SHARED_DIR;
const std::string kSource = ASTRA_SOURCE_DIR;

std::vector<std::int32_t> deps_of(const Workload& w, std::size_t i) {
  const WorkloadNode& n = w.nodes.at(i);
  return {w.deps.begin() + n.deps_begin, w.deps.begin() + n.deps_begin + n.deps_count};
}

InputError text_error(const std::string& text, int passes = 1) {
  return capture_input_error([&] { parse_text_workload(text, "wl.txt", passes); });
}

const char* kLayer = "-1 5 NONE 0 6 NONE 0 7 ALLREDUCE 1024 1";

TEST(TextWorkload, Resnet50HasTheGraphOfSpecSection51) {
  const Workload w = read_text_workload(kShared + "/golden/inputs/Resnet50_DataParallel.txt");
  constexpr int L = 54;
  ASSERT_EQ(w.nodes.size(), 215u);  // 54 FWD + 54 BWD_WG + 54 all-reduces + 53 BWD_IG
  ASSERT_EQ(w.layer_names.size(), 54u);
  ASSERT_EQ(w.node_names.size(), 215u);
  EXPECT_EQ(w.layer_names.front(), "conv1");
  EXPECT_EQ(w.layer_names.back(), "fc1000");

  // forward: a chain over the layers, conv1 first with no parent
  EXPECT_EQ(w.node_names[0], "COMP_NODE_conv1_FWD");
  EXPECT_EQ(w.nodes[0].kind, NodeKind::Compute);
  EXPECT_EQ(w.nodes[0].role, NodeRole::Forward);
  EXPECT_EQ(w.nodes[0].duration_us, 13003u);
  EXPECT_TRUE(deps_of(w, 0).empty());
  for (int i = 1; i < L; ++i) {
    EXPECT_THAT(deps_of(w, i), ElementsAre(i - 1)) << w.node_names[i];
    EXPECT_EQ(w.nodes[i].layer, i);
  }
  // backward, last layer first: WG(fc1000) after the last forward node
  EXPECT_EQ(w.node_names[54], "COMP_NODE_fc1000_BWD_WG");
  EXPECT_EQ(w.nodes[54].duration_us, 9220u);
  EXPECT_THAT(deps_of(w, 54), ElementsAre(53));
  EXPECT_EQ(w.node_names[55], "COMM_COLL_NODE_fc1000_ALLREDUCE");
  EXPECT_EQ(w.nodes[55].kind, NodeKind::Collective);
  EXPECT_EQ(w.nodes[55].collective, CollectiveKind::AllReduce);
  EXPECT_EQ(w.nodes[55].role, NodeRole::WeightGradientComm);
  EXPECT_EQ(w.nodes[55].size_bytes, 8192000u);
  EXPECT_EQ(w.nodes[55].layer, 53);
  EXPECT_THAT(deps_of(w, 55), ElementsAre(54));  // all-reduce(L) after WG(L)
  EXPECT_EQ(w.node_names[56], "COMP_NODE_fc1000_BWD_IG");
  EXPECT_EQ(w.nodes[56].duration_us, 27708u);
  EXPECT_THAT(deps_of(w, 56), ElementsAre(54));  // IG(L) after WG(L)
  EXPECT_EQ(w.node_names[57], "COMP_NODE_layer_512_3_conv3_BWD_WG");
  EXPECT_THAT(deps_of(w, 57), ElementsAre(56));  // WG(L-1) after IG(L)
  // the last layer backward (conv1) has no IG node: WG, then its all-reduce ends the graph
  EXPECT_EQ(w.node_names[213], "COMP_NODE_conv1_BWD_WG");
  EXPECT_EQ(w.node_names[214], "COMM_COLL_NODE_conv1_ALLREDUCE");
  EXPECT_EQ(w.nodes[214].size_bytes, 37632u);
  EXPECT_THAT(deps_of(w, 214), ElementsAre(213));
  // no node depends on a collective: they overlap with the rest of the backward pass
  for (std::size_t i = 0; i < w.nodes.size(); ++i) {
    for (auto d : deps_of(w, i)) EXPECT_EQ(w.nodes[static_cast<std::size_t>(d)].kind, NodeKind::Compute);
  }
}

TEST(TextWorkload, SecondPassWaitsForTheFirstPassAllReduces) {
  const Workload w = read_text_workload(kSource + "/configs/workload/Resnet50_DataParallel.txt", 2);
  ASSERT_EQ(w.nodes.size(), 430u);
  EXPECT_EQ(w.node_names[215], "COMP_NODE_conv1_FWD");
  EXPECT_EQ(w.nodes[215].pass, 1);
  EXPECT_EQ(w.nodes[214].pass, 0);
  EXPECT_THAT(deps_of(w, 215), ElementsAre(214));       // conv1 FWD(pass 2) after conv1's all-reduce (pass 1)
  EXPECT_THAT(deps_of(w, 216), ElementsAre(215, 211));  // previous FWD, then own all-reduce of pass 1
  EXPECT_EQ(w.node_names[211], "COMM_COLL_NODE_layer_64_1_conv4_ALLREDUCE");
}

TEST(TextWorkload, MicroIsOneCollectivePerLayerAndNoneBecomesAllReduce) {
  const Workload w = parse_text_workload(
      "MICRO\r\n2\r\na -1 5 NONE 0 5 NONE 0 5  ALLTOALL 1048576 5\r\nb -1 1 X 0 1 Y 0 1 NONE 64 1\r\n", "m.txt", 2);
  ASSERT_EQ(w.nodes.size(), 4u);
  EXPECT_EQ(w.node_names[0], "COMM_COLL_NODE_a_ALLTOALL");
  EXPECT_EQ(w.nodes[0].collective, CollectiveKind::AllToAll);
  EXPECT_EQ(w.nodes[0].size_bytes, 1048576u);
  EXPECT_EQ(w.node_names[1], "COMM_COLL_NODE_b_NONE");
  EXPECT_EQ(w.nodes[1].collective, CollectiveKind::AllReduce);
  EXPECT_EQ(w.nodes[1].size_bytes, 64u);
  EXPECT_EQ(w.nodes[3].pass, 1);
  EXPECT_TRUE(w.deps.empty());
}

TEST(TextWorkload, ModelParallelChainsThroughTheCollectives) {
  const Workload w = parse_text_workload(
      "MODEL\n2\n"
      "l0 -1 10 ALLGATHER 100 11 ALLREDUCE 200 12 NONE 0 1\n"
      "l1 -1 20 REDUCESCATTER 300 21 ALLTOALL 400 22 NONE 0 1\n",
      "model.txt");
  // FWD l0, comm l0, FWD l1, comm l1, IG l1, IG-comm l1, WG l1, IG l0, WG l0 (no IG comm for l0)
  ASSERT_EQ(w.nodes.size(), 9u);
  EXPECT_EQ(w.node_names[1], "COMM_COLL_NODE_l0_ALLGATHER");
  EXPECT_EQ(w.nodes[1].role, NodeRole::ForwardComm);
  EXPECT_THAT(deps_of(w, 2), ElementsAre(1));
  EXPECT_EQ(w.nodes[3].collective, CollectiveKind::ReduceScatter);
  EXPECT_EQ(w.node_names[4], "COMP_NODE_l1_BWD_IG");
  EXPECT_THAT(deps_of(w, 4), ElementsAre(3));
  EXPECT_EQ(w.node_names[5], "COMM_COLL_NODE_l1_ALLTOALL");
  EXPECT_EQ(w.nodes[5].role, NodeRole::InputGradientComm);
  EXPECT_EQ(w.node_names[6], "COMP_NODE_l1_BWD_WG");
  EXPECT_THAT(deps_of(w, 6), ElementsAre(4));
  EXPECT_EQ(w.node_names[7], "COMP_NODE_l0_BWD_IG");
  EXPECT_THAT(deps_of(w, 7), ElementsAre(6, 5));
  EXPECT_EQ(w.node_names[8], "COMP_NODE_l0_BWD_WG");
}

TEST(TextWorkload, HybridDataModelNamesItsInputGradientCollectives) {
  const std::string body = std::string("2\na ") + kLayer + "\nb " + kLayer + "\n";
  const Workload dm = parse_text_workload("HYBRID_DATA_MODEL\n" + body, "h.txt");
  const Workload md = parse_text_workload("HYBRID_MODEL_DATA\n" + body, "h.txt");
  ASSERT_EQ(dm.nodes.size(), 11u);
  ASSERT_EQ(md.nodes.size(), dm.nodes.size());
  EXPECT_EQ(dm.node_names[5], "COMM_COLL_NODE_b_IG_COMM__NONE");
  EXPECT_EQ(md.node_names[5], "COMM_COLL_NODE_b_NONE");
  EXPECT_EQ(dm.deps, md.deps);
}

TEST(TextWorkload, DlrmSkipsNoneWeightGradientsAndLinksTheEmbedding) {
  const Workload w = parse_text_workload(
      "HYBRID_DLRM 1\n3\n"
      "emb -1 300 ALLTOALL 98304 300 ALLTOALL 98304 300 NONE 0 98\n"
      "bot -1 10 NONE 0 11 NONE 0 12 ALLREDUCE 512 1\n"
      "top -1 20 NONE 0 21 NONE 0 22 ALLREDUCE 1024 1\n",
      "dlrm.txt");
  std::vector<std::string> want = {
      "COMP_NODE_emb_FWD", "COMM_COLL_NODE_emb_ALLTOALL", "COMP_NODE_bot_FWD", "COMP_NODE_top_FWD",
      "COMP_NODE_top_BWD_WG", "COMM_COLL_NODE_top_ALLREDUCE", "COMP_NODE_top_BWD_IG",
      "COMM_COLL_NODE_emb_ALLTOALL",  // the embedding's IG all-to-all, after the first top layer's IG
      "COMP_NODE_bot_BWD_WG", "COMM_COLL_NODE_bot_ALLREDUCE", "COMP_NODE_bot_BWD_IG", "COMP_NODE_emb_BWD_WG"};
  ASSERT_EQ(w.node_names, want);
  EXPECT_THAT(deps_of(w, 3), ElementsAre(2));     // top FWD: previous FWD only (bottom index 1 != 2)
  EXPECT_THAT(deps_of(w, 2), ElementsAre(0, 1));  // last bottom layer waits for the embedding all-to-all
  EXPECT_EQ(w.nodes[7].role, NodeRole::InputGradientComm);
  EXPECT_EQ(w.nodes[7].layer, 0);
  EXPECT_THAT(deps_of(w, 7), ElementsAre(6));
  EXPECT_THAT(deps_of(w, 11), ElementsAre(10, 7));  // emb WG after bot IG and the embedding IG comm
}

TEST(TextWorkload, EveryGoldenTextWorkloadParses) {
  for (const char* f : {"DLRM_HybridParallel.txt", "MLP_HybridParallel_Data_Model.txt",
                        "MLP_HybridParallel_Model_Data.txt", "MLP_ModelParallel.txt", "Resnet50_DataParallel.txt",
                        "microAllReduce.txt", "microAllToAll.txt"}) {
    const Workload w = read_text_workload(kShared + "/golden/text-workloads/inputs/" + f);
    EXPECT_FALSE(w.nodes.empty()) << f;
  }
}

TEST(TextWorkload, UnsupportedParallelismIsAClearError) {
  for (const char* f : {"Transformer_HybridParallel.txt", "sample_per_layer_parallel_HybridCustomized.txt"}) {
    const std::string path = kShared + "/golden/text-workloads/inputs/" + f;
    const InputError e = capture_input_error([&] { read_text_workload(path); });
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.field(), "line 1");
    EXPECT_THAT(e.reason(), HasSubstr("unsupported parallelism type"));
  }
}

TEST(TextWorkload, FileLevelErrors) {
  EXPECT_THAT(text_error("").reason(), HasSubstr("empty file"));
  EXPECT_THAT(text_error("\n").reason(), HasSubstr("empty file"));
  InputError e = text_error("   \n1\n");
  EXPECT_EQ(e.field(), "line 1");
  e = text_error("DATA\n");
  EXPECT_EQ(e.field(), "line 2");
  e = text_error("DATA\nmany\n");
  EXPECT_EQ(e.field(), "line 2");
  EXPECT_THAT(e.reason(), HasSubstr("number of layers"));
  e = text_error(std::string("DATA\n3\na ") + kLayer + "\nb " + kLayer + "\n");
  EXPECT_EQ(e.file(), "wl.txt");
  EXPECT_EQ(e.field(), "line 2");
  EXPECT_THAT(e.reason(), HasSubstr("says 3 layers but the file has 2"));
  EXPECT_THAT(e.reason(), HasSubstr("converter"));
  e = text_error("DATA\n0\n");
  EXPECT_THAT(e.reason(), HasSubstr("no layer"));
  e = text_error(std::string("DATA\n1\na ") + kLayer, 0);
  EXPECT_EQ(e.field(), "passes");
  e = text_error(std::string("\xef\xbb\xbf" "DATA\n1\na ") + kLayer);
  EXPECT_EQ(e.field(), "line 1");
  EXPECT_THAT(e.reason(), HasSubstr("byte order mark"));
  e = capture_input_error([] { read_text_workload(kSource + "/configs/workload"); });
  EXPECT_THAT(e.reason(), HasSubstr("is a directory"));
  e = capture_input_error([] { read_text_workload("/nonexistent/wl.txt"); });
  EXPECT_EQ(e.file(), "/nonexistent/wl.txt");
  EXPECT_THAT(e.reason(), HasSubstr("cannot open"));
}

TEST(TextWorkload, LayerLineErrorsNameLineAndColumn) {
  InputError e = text_error("DATA\n1\nconv1 -1 13003 NONE 0 12864 NONE\n");
  EXPECT_EQ(e.field(), "line 3");
  EXPECT_THAT(e.reason(), HasSubstr("12 columns"));
  EXPECT_THAT(e.reason(), HasSubstr("found 7"));
  e = text_error("DATA\n1\nconv1 -1 13003 NONE zero 12864 NONE 0 1 ALLREDUCE 10 1\n");
  EXPECT_EQ(e.field(), "line 3, column 5 (forward comm size)");
  EXPECT_THAT(e.reason(), HasSubstr("'zero' is not an integer"));
  e = text_error("DATA\n1\nconv1 -1 -13003 NONE 0 12864 NONE 0 1 ALLREDUCE 10 1\n");
  EXPECT_EQ(e.field(), "line 3, column 3 (forward compute time)");
  EXPECT_THAT(e.reason(), HasSubstr("negative compute time"));
  e = text_error("DATA\n1\nconv1 -1 1 NONE 0 1 NONE 0 1 ALLREDUCE -10 1\n");
  EXPECT_EQ(e.field(), "line 3, column 11 (weight-gradient comm size)");
  e = text_error(std::string("DATA\n2\na ") + kLayer + "\n\nb " + kLayer + "\n");
  EXPECT_EQ(e.field(), "line 4");
}

TEST(TextWorkload, TrailingBlankLinesAndExtraColumnsAreAccepted) {
  const Workload w = parse_text_workload(std::string("DATA\n1\na ") + kLayer + " extra\n\n  \n", "wl.txt");
  EXPECT_EQ(w.nodes.size(), 3u);
}

TEST(TextWorkload, DlrmNeedsAValidLastBottomLayer) {
  const std::string layers = std::string("2\nemb -1 1 ALLTOALL 8 1 ALLTOALL 8 1 NONE 0 1\ntop ") + kLayer + "\n";
  EXPECT_EQ(text_error("HYBRID_DLRM\n" + layers).field(), "line 1");
  EXPECT_EQ(text_error("HYBRID_DLRM x\n" + layers).field(), "line 1, column 2 (last bottom layer)");
  // bottom layer 0: the embedding's all-to-all is read before it exists, as the converter does
  InputError e = text_error("HYBRID_DLRM 0\n" + layers);
  EXPECT_EQ(e.field(), "graph");
  EXPECT_THAT(e.reason(), HasSubstr("last bottom layer"));
  // -1: the embedding IG collective would need the IG node of layer 0, which is never created
  EXPECT_EQ(text_error("HYBRID_DLRM_ENHANCED -1\n" + layers).field(), "graph");
  EXPECT_EQ(parse_text_workload("HYBRID_DLRM_ENHANCED 5\n" + layers, "d").nodes.size(), 7u);
}

}  // namespace
}  // namespace astra
