// The collective models beyond ASTRA-sim (kernels/model/beyond_model.hpp): each formula against
// values computed by hand from docs/beyond_astra_sim_models.md, the opt-in rules, the input
// keys, and that the reference simulator refuses them instead of answering something else.
#include <gtest/gtest.h>

#include "host/calibration/fit_parameter.hpp"
#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"
#include "kernels/model/beyond_model.hpp"
#include "kernels/model/config_check.hpp"
#include "kernels/model/point_evaluator.hpp"
#include "host/reference/reference_simulator.hpp"
#include "host/sweep/spec/axis_field.hpp"
#include "host/workload/workload.hpp"

namespace astra {
namespace {

// One Switch dimension of 8 NPUs, 500 ns, 100 GB/s (107.3741824 bytes/ns), or [8, 4] with a
// second dimension of 5000 ns, 25 GB/s.
NetworkConfig network(int dims) {
  NetworkConfig n;
  n.dims = dims;
  n.topology[0] = TopologyKind::Switch;
  n.npus_count[0] = 8;
  n.latency_ns[0] = 500;
  n.bandwidth_GBps[0] = 100;
  if (dims > 1) {
    n.topology[1] = TopologyKind::Ring;
    n.npus_count[1] = 4;
    n.latency_ns[1] = 5000;
    n.bandwidth_GBps[1] = 25;
  }
  return n;
}

SystemConfig system(AlgorithmKind a, int dims, std::uint8_t protocols = 7) {
  SystemConfig s;
  s.preferred_dataset_splits = 4;
  s.local_mem_bw_GBps = 3350;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    s.implementation_count[c] = dims;
    for (int d = 0; d < dims; ++d)
      s.implementation[c][d].kind = (a == AlgorithmKind::NcclTree && c != 0) ? AlgorithmKind::NcclRing : a;
  }
  s.nccl.protocol_mask = protocols;  // defaults: LL 6800 ns / 0.25, LL128 14000 / 0.92, Simple 8400 / 1
  return s;
}

std::uint64_t time_ns(AlgorithmKind a, int dims, CollectiveKind c, std::uint64_t bytes, std::uint8_t protocols = 7,
                      NcclProtocol* chosen = nullptr, double floor_ns = 0) {
  SystemConfig s = system(a, dims, protocols);
  s.nccl.floor_ns = floor_ns;
  return beyond_collective_ns(make_network_view(network(dims)), s, c, bytes, chosen);
}

constexpr std::uint64_t kMiB = 1u << 20, kGiB = 1u << 30;
constexpr std::uint8_t kSimple = 4;

TEST(BeyondModel, RingAllReduceWorkedExample) {
  // 8400 + 14 x 500 + 1.75 x 1 MiB / 107.3741824 = 32489.8
  EXPECT_EQ(time_ns(AlgorithmKind::NcclRing, 1, CollectiveKind::AllReduce, kMiB, kSimple), 32490u);
}

TEST(BeyondModel, ProtocolRegimesPickTheFastestLine) {
  NcclProtocol q = NcclProtocol::Simple;
  // 1 KiB: LL 6800 + 7000 + 1792 / (0.25 x 107.374) = 13866.76; Simple 15416.7; LL128 21018.1
  EXPECT_EQ(time_ns(AlgorithmKind::NcclRing, 1, CollectiveKind::AllReduce, 1024, 7, &q), 13867u);
  EXPECT_EQ(q, NcclProtocol::LL);
  // 1 GiB: Simple 15400 + 1.75e7 exactly; LL128 21000 + 1.75e7 / 0.92 = 19042739
  EXPECT_EQ(time_ns(AlgorithmKind::NcclRing, 1, CollectiveKind::AllReduce, kGiB, 7, &q), 17515400u);
  EXPECT_EQ(q, NcclProtocol::Simple);
  EXPECT_EQ(time_ns(AlgorithmKind::NcclRing, 1, CollectiveKind::AllReduce, kGiB, 2), 19042739u);  // LL128 only
}

TEST(BeyondModel, NvlsAllReduceTakesTwoStepsAndHalfTheRingBytes) {
  // Simple: 8400 + 2 x 500 + 1 GiB / 107.3741824 = 10009400
  EXPECT_EQ(time_ns(AlgorithmKind::Nvls, 1, CollectiveKind::AllReduce, kGiB, kSimple), 10009400u);
  // NVLS has no LL: under LL the ring's line (13866.76 as above); with every protocol enabled
  // NVLS-Simple is faster even at 1 KiB: 8400 + 1000 + 1024 / 107.374 = 9409.5
  EXPECT_EQ(time_ns(AlgorithmKind::Nvls, 1, CollectiveKind::AllReduce, 1024, 1), 13867u);
  EXPECT_EQ(time_ns(AlgorithmKind::Nvls, 1, CollectiveKind::AllReduce, 1024), 9410u);
  // reduce-scatter: one step, 7/8 of 1 GiB: 8400 + 500 + 8750000
  EXPECT_EQ(time_ns(AlgorithmKind::Nvls, 1, CollectiveKind::ReduceScatter, kGiB, kSimple), 8758900u);
}

TEST(BeyondModel, TreeAcrossNodesIsAChainThenLogSteps) {
  // [8 chain, 4 tree], 2 D_k per port: 8400 + 14 x 500 + 4 x 5000 + max(2^31 / 107.374 = 2e7,
  // 2^28 / 26.8435 = 1e7)
  EXPECT_EQ(time_ns(AlgorithmKind::NcclTree, 2, CollectiveKind::AllReduce, kGiB, kSimple), 20035400u);
}

TEST(BeyondModel, HierarchicalRingAddsStageLatenciesAndTakesTheSlowestStage) {
  // stage 0: 14 steps, 1.75 GiB -> 1.75e7 ns; stage 1 on 1/8: 6 steps x 5000, 1.5 x 2^27 / 26.8435 = 7.5e6
  EXPECT_EQ(time_ns(AlgorithmKind::NcclRing, 2, CollectiveKind::AllReduce, kGiB, kSimple), 8400u + 7000u + 30000u + 17500000u);
}

TEST(BeyondModel, AllGatherWorksOnItsOutput) {
  // ASTRA-sim's size is each NPU's input (1 MiB); the ring moves 7/8 of the 8 MiB output:
  // 8400 + 7 x 500 + 7 MiB / 107.3741824 = 80259.375
  EXPECT_EQ(time_ns(AlgorithmKind::NcclRing, 1, CollectiveKind::AllGather, kMiB, kSimple), 80259u);
}

TEST(BeyondModel, LaunchFloor) {
  EXPECT_EQ(time_ns(AlgorithmKind::NcclRing, 1, CollectiveKind::AllReduce, 1024, 7, nullptr, 50000), 50000u);
  EXPECT_EQ(time_ns(AlgorithmKind::NcclRing, 1, CollectiveKind::AllReduce, kGiB, 7, nullptr, 50000), 17515400u);
}

TEST(BeyondModel, ProtocolChosenBySize) {
  SystemConfig s = system(AlgorithmKind::NcclRing, 1);
  s.nccl.ll_max_bytes = 4096;
  s.nccl.ll128_max_bytes = 1 << 20;
  const NetworkView v = make_network_view(network(1));
  NcclProtocol q = NcclProtocol::Simple;
  EXPECT_EQ(beyond_collective_ns(v, s, CollectiveKind::AllReduce, 1024, &q), 13867u);  // LL
  EXPECT_EQ(q, NcclProtocol::LL);
  // 64 KiB: LL128 (21000 + 1.75 x 65536 / 98.784 = 22160.99), although Simple (16468) is faster
  EXPECT_EQ(beyond_collective_ns(v, s, CollectiveKind::AllReduce, 65536, &q), 22161u);
  EXPECT_EQ(q, NcclProtocol::LL128);
  EXPECT_EQ(beyond_collective_ns(v, s, CollectiveKind::AllReduce, kGiB, &q), 17515400u);
  EXPECT_EQ(q, NcclProtocol::Simple);
  s.nccl.ll_max_bytes = 512;  // 1 KiB is now LL128's: 21000 + 1792 / 98.784 = 21018.14
  EXPECT_EQ(beyond_collective_ns(v, s, CollectiveKind::AllReduce, 1024), 21018u);
}

TEST(BeyondModel, FastEvaluatorUsesItAndAstraSimNamesDoNot) {
  const NetworkConfig net = network(1);
  const PointMetrics m =
      evaluate_collective(net, system(AlgorithmKind::NcclRing, 1, kSimple), NetworkBackend::CongestionUnaware,
                          CollectiveKind::AllReduce, kMiB);
  ASSERT_EQ(m.status, PointStatus::Ok);
  EXPECT_EQ(m.finish_ns, 32490u);
  SystemConfig ring = system(AlgorithmKind::Ring, 1);
  EXPECT_FALSE(system_uses_beyond_model(ring));
  EXPECT_NE(evaluate_collective(net, ring, NetworkBackend::CongestionUnaware, CollectiveKind::AllReduce, kMiB).finish_ns,
            32490u);
}

TEST(BeyondModel, OptInRules) {
  const NetworkConfig net = network(2);
  SystemConfig mixed = system(AlgorithmKind::NcclRing, 2);
  mixed.implementation[0][1].kind = AlgorithmKind::Ring;
  EXPECT_FALSE(check_collective(net, mixed, CollectiveKind::AllReduce, kMiB).ok());
  SystemConfig tree = system(AlgorithmKind::NcclTree, 2);
  tree.implementation[1][0].kind = AlgorithmKind::NcclTree;  // all_gather on a tree
  EXPECT_FALSE(check_collective(net, tree, CollectiveKind::AllGather, kMiB).ok());
  EXPECT_TRUE(check_collective(net, tree, CollectiveKind::AllReduce, kMiB).ok());
  SystemConfig nvls = system(AlgorithmKind::Nvls, 2);
  EXPECT_FALSE(check_collective(net, nvls, CollectiveKind::AllToAll, kMiB).ok());
  EXPECT_FALSE(check_network_system(net, nvls, NetworkBackend::CongestionAware).ok());
  SystemConfig bad = system(AlgorithmKind::NcclRing, 2);
  bad.nccl.protocol[1].efficiency = 1.5;
  EXPECT_FALSE(check_collective(net, bad, CollectiveKind::AllReduce, kMiB).ok());
  bad = system(AlgorithmKind::NcclRing, 2, 0);
  EXPECT_FALSE(check_collective(net, bad, CollectiveKind::AllReduce, kMiB).ok());
}

TEST(BeyondModel, ReferenceSimulatorRefusesInsteadOfAnswering) {
  const SimulationResult r = simulate_reference(network(1), system(AlgorithmKind::Nvls, 1),
                                                NetworkBackend::CongestionUnaware,
                                                Workload::single_collective(CollectiveKind::AllReduce, kMiB));
  EXPECT_EQ(r.status, SimStatus::Rejected);
  EXPECT_NE(r.message.find("beyond ASTRA-sim"), std::string::npos);
}

TEST(BeyondModel, SystemJsonKeys) {
  const SystemConfig s = parse_system_json(
      R"({"preferred-dataset-splits": 4, "all-reduce-implementation": ["nvls", "ncclTree"],
          "nccl-protocols": ["LL", "Simple"], "nccl-simple-latency-ns": 20000, "nccl-ll128-efficiency": 0.5,
          "nccl-floor-ns": 30000, "nccl-ll-max-bytes": 65536})",
      "s.json");
  EXPECT_EQ(s.implementation[0][0].kind, AlgorithmKind::Nvls);
  EXPECT_EQ(s.implementation[0][1].kind, AlgorithmKind::NcclTree);
  EXPECT_EQ(s.nccl.protocol_mask, 5);
  EXPECT_EQ(s.nccl.protocol[2].latency_ns, 20000);
  EXPECT_EQ(s.nccl.protocol[1].efficiency, 0.5);
  EXPECT_EQ(s.nccl.floor_ns, 30000);
  EXPECT_EQ(s.nccl.ll_max_bytes, 65536);
  EXPECT_THROW(parse_system_json(R"({"preferred-dataset-splits": 4, "nccl-ll-efficiency": 1.5})", "s.json"), InputError);
  EXPECT_THROW(parse_system_json(R"({"preferred-dataset-splits": 4, "nccl-protocols": ["LL256"]})", "s.json"),
               InputError);
}

TEST(BeyondModel, SweepAxesNameTheProtocol) {
  SweepPoint base;
  base.network = network(1);
  const AxisField f = resolve_axis_field("nccl_simple_latency_ns", base, "spec.yml");
  EXPECT_EQ(f.target.field, SweepField::NcclLatencyNs);
  EXPECT_EQ(f.target.dim, 2);
  EXPECT_EQ(f.column, "nccl_simple_latency_ns");
  apply_axis_value(f.target, 1234.0, base);
  EXPECT_EQ(base.system.nccl.protocol[2].latency_ns, 1234.0);
  const AxisField e = resolve_axis_field("nccl-ll128-efficiency", base, "spec.yml");
  apply_axis_value(e.target, 0.5, base);
  EXPECT_EQ(base.system.nccl.protocol[1].efficiency, 0.5);
}


// The channel ramp (docs/beyond_astra_sim_models.md): c(S) = min(N, max(1, S / Q)) channels,
// the bandwidth term x N / c(S). 8 NPUs, ncclRing all_reduce, Simple only, Q = 256 KiB, N = 16.
SystemConfig ramp_system(AlgorithmKind a, double channel_bytes, double max_channels, std::uint8_t protocols = 7) {
  SystemConfig s = system(a, 1, protocols);
  s.nccl.channel_bytes = channel_bytes;
  s.nccl.max_channels = max_channels;
  return s;
}

TEST(BeyondModelChannelRamp, WorkedExample) {
  const NetworkView v = make_network_view(network(1));
  const SystemConfig s = ramp_system(AlgorithmKind::NcclRing, 256 * 1024, 16, kSimple);
  // 1 MiB: 4 channels, x 4: 8400 + 7000 + 4 x 1.75 x 9765.625 = 83759.375
  EXPECT_EQ(beyond_collective_ns(v, s, CollectiveKind::AllReduce, kMiB), 83759u);
  // 4 MiB: 16 channels (all), x 1: 15400 + 1.75 x 39062.5 = 83759.375 -- between Q and N Q
  // bytes the bandwidth term stays at its N Q value
  EXPECT_EQ(beyond_collective_ns(v, s, CollectiveKind::AllReduce, 4 * kMiB), 83759u);
  // 128 KiB: below Q, 1 channel, x 16: 15400 + 16 x 1.75 x 1220.703125 = 49579.6875
  EXPECT_EQ(beyond_collective_ns(v, s, CollectiveKind::AllReduce, 128 * 1024), 49580u);
  // 16 MiB: past N Q, the full link: the model without a ramp
  EXPECT_EQ(beyond_collective_ns(v, s, CollectiveKind::AllReduce, 16 * kMiB),
            time_ns(AlgorithmKind::NcclRing, 1, CollectiveKind::AllReduce, 16 * kMiB, kSimple));
}

TEST(BeyondModelChannelRamp, NeutralParametersGiveTheModelWithoutIt) {
  const NetworkView v = make_network_view(network(1));
  for (const AlgorithmKind a : {AlgorithmKind::NcclRing, AlgorithmKind::Nvls}) {
    for (const CollectiveKind c : {CollectiveKind::AllReduce, CollectiveKind::AllGather, CollectiveKind::ReduceScatter}) {
      for (std::uint64_t bytes = 8; bytes <= 4 * kGiB; bytes *= 4) {
        const std::uint64_t plain = time_ns(a, 1, c, bytes);
        EXPECT_EQ(beyond_collective_ns(v, ramp_system(a, 0, 32), c, bytes), plain) << bytes;      // Q = 0: off
        EXPECT_EQ(beyond_collective_ns(v, ramp_system(a, 65536, 1), c, bytes), plain) << bytes;  // N = 1: off
        EXPECT_EQ(beyond_channel_ramp(ramp_system(a, 0, 32).nccl, static_cast<double>(bytes)), 1.0);
      }
    }
  }
}

TEST(BeyondModelChannelRamp, NvlsSimpleKeepsItsChannelsItsRingFallbackRamps) {
  const NetworkView v = make_network_view(network(1));
  // NCCL runs NVLS on a fixed channel count: Simple (the in-switch path) has no ramp ...
  EXPECT_EQ(beyond_collective_ns(v, ramp_system(AlgorithmKind::Nvls, 256 * 1024, 16, kSimple), CollectiveKind::AllReduce,
                                 kMiB),
            time_ns(AlgorithmKind::Nvls, 1, CollectiveKind::AllReduce, kMiB, kSimple));
  // ... LL falls back to the ring, which ramps: 1 MiB on 4 of 16 channels:
  // 6800 + 7000 + 4 x 1.75 x 9765.625 / 0.25 = 287237.5
  EXPECT_EQ(beyond_collective_ns(v, ramp_system(AlgorithmKind::Nvls, 256 * 1024, 16, 1), CollectiveKind::AllReduce, kMiB),
            287238u);
}

TEST(BeyondModelChannelRamp, NeverFasterAndMonotoneInSize) {
  const NetworkView v1 = make_network_view(network(1));
  const NetworkView v2 = make_network_view(network(2));
  for (const AlgorithmKind a : {AlgorithmKind::NcclRing, AlgorithmKind::Nvls, AlgorithmKind::NcclTree}) {
    for (const double q : {4096.0, 262144.0, 4194304.0}) {
      for (const double n : {2.0, 16.0, 24.5}) {
        SystemConfig s = ramp_system(a, q, n);
        SystemConfig s2 = s;
        for (int c = 0; c < kCollectiveKinds; ++c) s2.implementation_count[c] = 2;
        for (int c = 0; c < kCollectiveKinds; ++c)
          for (int d = 0; d < 2; ++d)
            s2.implementation[c][d].kind = (a == AlgorithmKind::NcclTree && c != 0) ? AlgorithmKind::NcclRing : a;
        std::uint64_t last = 0, last2 = 0;
        for (double b = 8; b < 64.0 * kGiB; b *= 1.37) {
          const auto bytes = static_cast<std::uint64_t>(b);
          const std::uint64_t t = beyond_collective_ns(v1, s, CollectiveKind::AllReduce, bytes);
          const std::uint64_t t2 = beyond_collective_ns(v2, s2, CollectiveKind::AllReduce, bytes);
          // between Q and N Q bytes the ramped term is flat in exact arithmetic: floating point
          // may put it 1 ulp either side of a half ns, so allow the 1 ns of rounding there
          EXPECT_GE(t + 1, last) << bytes;
          EXPECT_GE(t2 + 1, last2) << bytes;
          EXPECT_GE(t, time_ns(a, 1, CollectiveKind::AllReduce, bytes)) << bytes;
          EXPECT_GE(t2, time_ns(a, 2, CollectiveKind::AllReduce, bytes)) << bytes;
          last = t;
          last2 = t2;
        }
      }
    }
  }
}

TEST(BeyondModelChannelRamp, InputsAxesAndParameters) {
  const SystemConfig s = parse_system_json(
      R"({"preferred-dataset-splits": 4, "all-reduce-implementation": ["ncclRing"],
          "nccl-channel-bytes": 262144, "nccl-max-channels": 16})",
      "s.json");
  EXPECT_EQ(s.nccl.channel_bytes, 262144);
  EXPECT_EQ(s.nccl.max_channels, 16);
  const NetworkConfig net = network(1);
  EXPECT_TRUE(check_collective(net, s, CollectiveKind::AllReduce, kMiB).ok());
  SystemConfig bad = s;
  bad.nccl.max_channels = 0.5;
  const ConfigProblem few = check_collective(net, bad, CollectiveKind::AllReduce, kMiB);
  ASSERT_FALSE(few.ok());
  EXPECT_STREQ(few.field, "nccl-max-channels");
  bad = s;
  bad.nccl.channel_bytes = -1;
  EXPECT_FALSE(check_collective(net, bad, CollectiveKind::AllReduce, kMiB).ok());

  SweepPoint base;
  base.network = network(1);
  const AxisField q = resolve_axis_field("nccl-channel-bytes", base, "spec.yml");
  EXPECT_EQ(q.target.field, SweepField::NcclChannelBytes);
  EXPECT_EQ(q.column, "nccl_channel_bytes");
  apply_axis_value(q.target, 65536.0, base);
  const AxisField n = resolve_axis_field("nccl_max_channels", base, "spec.yml");
  apply_axis_value(n.target, 24.0, base);
  EXPECT_EQ(base.system.nccl.channel_bytes, 65536.0);
  EXPECT_EQ(base.system.nccl.max_channels, 24.0);

  using calibration::parse_fit_parameter;
  const calibration::FitParameter p = parse_fit_parameter("nccl_max_channels=1:64:log");
  SystemConfig fitted = s;
  NetworkConfig fitted_net = net;
  calibration::apply_parameter(p, 32.0, fitted_net, fitted);
  EXPECT_EQ(fitted.nccl.max_channels, 32.0);
  EXPECT_EQ(calibration::read_parameter(parse_fit_parameter("nccl_channel_bytes=1024:67108864:log"), fitted_net, fitted),
            262144.0);
  EXPECT_THROW(parse_fit_parameter("nccl_max_channels=0.5:64"), InputError);
}

}  // namespace
}  // namespace astra
