// The NVLS pipeline term of the models beyond ASTRA-sim (kernels/model/beyond_model.hpp,
// docs/beyond_astra_sim_models.md "The NVLS pipeline"): NCCL's chunk choice, the worked examples
// computed by hand, that the neutral defaults leave every answer as it was, and the input keys,
// sweep axes, calibrate parameters and config checks of its four parameters.
#include <gtest/gtest.h>

#include "host/calibration/fit_parameter.hpp"
#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"
#include "host/sweep/spec/axis_field.hpp"
#include "kernels/model/beyond_model.hpp"
#include "kernels/model/config_check.hpp"
#include "support/config_builders.hpp"

namespace astra {
namespace {

constexpr double kKiB = 1024.0, kMiBd = 1024.0 * 1024.0;
constexpr std::uint64_t kMiB = 1u << 20, kGiB = 1u << 30;

// One Switch dimension of 8 NPUs, 500 ns, 100 GB/s (107.3741824 bytes/ns: 1 GiB in 1e7 ns).
NetworkConfig switch8() { return testing_support::one_dim(TopologyKind::Switch, 8, 100, 500); }

// nvls for every collective but all_to_all (ncclRing), protocols as given (4 = Simple only),
// NVLS pipeline step_ns / fill_steps on NCCL's H100 defaults (16 channels, 128 KiB chunks).
SystemConfig nvls_system(double step_ns, double fill_steps, std::uint8_t protocols = 4) {
  SystemConfig s;
  s.preferred_dataset_splits = 4;
  s.local_mem_bw_GBps = 3350;
  for (int c = 0; c < kCollectiveKinds; ++c) {
    s.implementation_count[c] = 1;
    s.implementation[c][0].kind = c == static_cast<int>(CollectiveKind::AllToAll) ? AlgorithmKind::NcclRing
                                                                                  : AlgorithmKind::Nvls;
  }
  s.nccl.protocol_mask = protocols;  // Simple: 8400 ns, efficiency 1
  s.nccl.nvls_step_ns = step_ns;
  s.nccl.nvls_fill_steps = fill_steps;
  return s;
}

std::uint64_t nvls_ns(const SystemConfig& s, CollectiveKind c, std::uint64_t bytes) {
  return beyond_collective_ns(make_network_view(switch8()), s, c, bytes);
}

TEST(NvlsPipeline, ChunkChoiceFollowsNcclThresholds) {
  // 8 heads, 128 KiB configured: 64 KiB below 64 steps of 8 x 128 KiB (64 MiB a channel),
  // 32 KiB below 8 steps of 8 x 64 KiB (4 MiB), 16 KiB below 2 steps of 8 x 32 KiB (512 KiB)
  EXPECT_EQ(nvls_chunk_bytes(128 * kKiB, 8, 64 * kMiBd), 128 * kKiB);
  EXPECT_EQ(nvls_chunk_bytes(128 * kKiB, 8, 64 * kMiBd - 1), 64 * kKiB);
  EXPECT_EQ(nvls_chunk_bytes(128 * kKiB, 8, 4 * kMiBd), 64 * kKiB);
  EXPECT_EQ(nvls_chunk_bytes(128 * kKiB, 8, 4 * kMiBd - 1), 32 * kKiB);
  EXPECT_EQ(nvls_chunk_bytes(128 * kKiB, 8, 512 * kKiB), 32 * kKiB);
  EXPECT_EQ(nvls_chunk_bytes(128 * kKiB, 8, 512 * kKiB - 1), 16 * kKiB);
  EXPECT_EQ(nvls_chunk_bytes(128 * kKiB, 8, 8), 16 * kKiB);
  // the thresholds scale with the heads: 4 heads halve them
  EXPECT_EQ(nvls_chunk_bytes(128 * kKiB, 4, 32 * kMiBd), 128 * kKiB);
  EXPECT_EQ(nvls_chunk_bytes(128 * kKiB, 4, 32 * kMiBd - 1), 64 * kKiB);
  // a larger configured chunk is tested against its own size first: 256 KiB x 8 x 64 = 128 MiB
  EXPECT_EQ(nvls_chunk_bytes(256 * kKiB, 8, 128 * kMiBd), 256 * kKiB);
  EXPECT_EQ(nvls_chunk_bytes(256 * kKiB, 8, 128 * kMiBd - 1), 64 * kKiB);
  // a configured chunk below a cap is never raised to it
  EXPECT_EQ(nvls_chunk_bytes(64 * kKiB, 8, 1e12), 64 * kKiB);
  EXPECT_EQ(nvls_chunk_bytes(8 * kKiB, 8, 8), 8 * kKiB);
}

TEST(NvlsPipeline, WorkedExamples) {
  const SystemConfig s = nvls_system(5000, 2);
  // Simple nvls all_reduce: 8400 + 2 x 500 = 9400 ns of latency, then the pipeline term
  // (L + 2) x 5000 + (1 + 2 / L) x wire_ns.
  // 16 MiB: 1 MiB a channel, 32 KiB chunks, steps of 256 KiB: L = 4, wire 156250 ns:
  // 30000 + 1.5 x 156250 = 264375
  EXPECT_EQ(nvls_ns(s, CollectiveKind::AllReduce, 16 * kMiB), 9400u + 264375u);
  // 512 MiB: 32 MiB a channel, 64 KiB chunks, steps of 512 KiB: L = 64, wire 5e6 ns:
  // 330000 + (1 + 2 / 64) x 5e6 = 5486250
  EXPECT_EQ(nvls_ns(s, CollectiveKind::AllReduce, 512 * kMiB), 9400u + 5486250u);
  // 1 GiB: 64 MiB a channel, the full 128 KiB chunks, steps of 1 MiB: L = 64, wire 1e7 ns:
  // 330000 + (1 + 2 / 64) x 1e7 = 10642500 (the larger chunk: fewer steps per byte)
  EXPECT_EQ(nvls_ns(s, CollectiveKind::AllReduce, kGiB), 9400u + 10642500u);
  // 1 MiB: 64 KiB a channel, less than one step of 8 x 16 KiB: L = 1, wire 9765.625 ns:
  // 3 x 5000 + 3 x 9765.625 = 44296.875 -> 53696.875 -> 53697
  EXPECT_EQ(nvls_ns(s, CollectiveKind::AllReduce, kMiB), 53697u);
  // fill alone (no step cost): 16 MiB, 9400 + 1.5 x 156250 = 243775
  EXPECT_EQ(nvls_ns(nvls_system(0, 2), CollectiveKind::AllReduce, 16 * kMiB), 243775u);
  // step cost alone: 16 MiB, 9400 + 4 x 5000 + 156250 = 185650
  EXPECT_EQ(nvls_ns(nvls_system(5000, 0), CollectiveKind::AllReduce, 16 * kMiB), 185650u);
  // the configured channels move L: 32 channels of 512 KiB (below 4 MiB: 32 KiB chunks; not
  // below 512 KiB: no further), steps of 256 KiB: L = 2: 9400 + 4 x 5000 + 2 x 156250 = 341900
  SystemConfig more = s;
  more.nccl.nvls_channels = 32;
  EXPECT_EQ(nvls_ns(more, CollectiveKind::AllReduce, 16 * kMiB), 341900u);
  // 256 KiB chunks configured at 1 GiB (64 MiB a channel < 128 MiB): 64 KiB, L = 128:
  // 9400 + 130 x 5000 + (1 + 2 / 128) x 1e7 = 10815650
  SystemConfig big = s;
  big.nccl.nvls_chunk_bytes = 256 * kKiB;
  EXPECT_EQ(nvls_ns(big, CollectiveKind::AllReduce, kGiB), 10815650u);
}

TEST(NvlsPipeline, NeutralDefaultsGiveTheModelWithoutIt) {
  const SystemConfig plain = nvls_system(0, 0, 7);
  EXPECT_EQ(plain.nccl.nvls_channels, 16.0);
  EXPECT_EQ(plain.nccl.nvls_chunk_bytes, 128 * kKiB);
  SystemConfig moved = plain;  // channels and chunk alone change nothing while the term is off
  moved.nccl.nvls_channels = 3;
  moved.nccl.nvls_chunk_bytes = 1000;
  for (const CollectiveKind c : {CollectiveKind::AllReduce, CollectiveKind::AllGather, CollectiveKind::ReduceScatter}) {
    for (std::uint64_t bytes = 8; bytes <= 16 * kGiB; bytes *= 2) {
      // the model without the term, written out: 9400 + wire / B for Simple
      EXPECT_EQ(nvls_ns(moved, c, bytes), nvls_ns(plain, c, bytes)) << bytes;
      EXPECT_EQ(nvls_pipeline_ns(plain.nccl, 8, static_cast<double>(bytes), 123.25), 123.25);
    }
  }
  EXPECT_EQ(nvls_ns(nvls_system(0, 0), CollectiveKind::AllReduce, kGiB), 9400u + 10000000u);
}

TEST(NvlsPipeline, OnlyTheNvlsSimpleAllReduceStage) {
  const SystemConfig on = nvls_system(5000, 2, 7);
  const SystemConfig off = nvls_system(0, 0, 7);
  for (std::uint64_t bytes = 8; bytes <= 16 * kGiB; bytes *= 4) {
    // NVLS reduce-scatter / all-gather run other kernels: left as they were
    EXPECT_EQ(nvls_ns(on, CollectiveKind::ReduceScatter, bytes), nvls_ns(off, CollectiveKind::ReduceScatter, bytes));
    EXPECT_EQ(nvls_ns(on, CollectiveKind::AllGather, bytes), nvls_ns(off, CollectiveKind::AllGather, bytes));
    // the LL / LL128 ring fallback is not NVLS
    SystemConfig ll_on = on, ll_off = off;
    ll_on.nccl.protocol_mask = ll_off.nccl.protocol_mask = 3;
    EXPECT_EQ(nvls_ns(ll_on, CollectiveKind::AllReduce, bytes), nvls_ns(ll_off, CollectiveKind::AllReduce, bytes));
    // and never faster than without it
    EXPECT_GE(nvls_ns(on, CollectiveKind::AllReduce, bytes), nvls_ns(off, CollectiveKind::AllReduce, bytes));
  }
  // a ring stage ignores it
  SystemConfig ring_on = on;
  ring_on.implementation[0][0].kind = AlgorithmKind::NcclRing;
  SystemConfig ring_off = off;
  ring_off.implementation[0][0].kind = AlgorithmKind::NcclRing;
  EXPECT_EQ(nvls_ns(ring_on, CollectiveKind::AllReduce, 64 * kMiB), nvls_ns(ring_off, CollectiveKind::AllReduce, 64 * kMiB));
}

TEST(NvlsPipeline, InputsAxesParametersAndChecks) {
  const SystemConfig s = parse_system_json(
      R"({"preferred-dataset-splits": 4, "all-reduce-implementation": ["nvls"],
          "nccl-nvls-step-ns": 5000, "nccl-nvls-fill-steps": 2.5, "nccl-nvls-channels": 24,
          "nccl-nvls-chunk-bytes": 65536})",
      "s.json");
  EXPECT_EQ(s.nccl.nvls_step_ns, 5000);
  EXPECT_EQ(s.nccl.nvls_fill_steps, 2.5);
  EXPECT_EQ(s.nccl.nvls_channels, 24);
  EXPECT_EQ(s.nccl.nvls_chunk_bytes, 65536);
  EXPECT_THROW(parse_system_json(R"({"all-reduce-implementation": ["nvls"], "nccl-nvls-step-ns": -1})", "s.json"),
               InputError);
  const NetworkConfig net = switch8();
  EXPECT_TRUE(check_collective(net, s, CollectiveKind::AllReduce, kMiB).ok());
  auto problem = [&](auto edit) {
    SystemConfig bad = s;
    edit(bad.nccl);
    return check_collective(net, bad, CollectiveKind::AllReduce, kMiB);
  };
  EXPECT_STREQ(problem([](NcclModelParams& m) { m.nvls_step_ns = -1; }).field, "nccl-nvls-step-ns");
  EXPECT_STREQ(problem([](NcclModelParams& m) { m.nvls_fill_steps = -0.5; }).field, "nccl-nvls-fill-steps");
  EXPECT_STREQ(problem([](NcclModelParams& m) { m.nvls_channels = 0.5; }).field, "nccl-nvls-channels");
  EXPECT_STREQ(problem([](NcclModelParams& m) { m.nvls_chunk_bytes = 0; }).field, "nccl-nvls-chunk-bytes");

  SweepPoint base;
  base.network = switch8();
  const struct {
    const char* name;
    SweepField field;
    const char* column;
    double value;
    double NcclModelParams::*member;
  } axes[] = {
      {"nccl-nvls-step-ns", SweepField::NcclNvlsStepNs, "nccl_nvls_step_ns", 4000, &NcclModelParams::nvls_step_ns},
      {"nccl_nvls_fill_steps", SweepField::NcclNvlsFillSteps, "nccl_nvls_fill_steps", 1.5,
       &NcclModelParams::nvls_fill_steps},
      {"nccl-nvls-channels", SweepField::NcclNvlsChannels, "nccl_nvls_channels", 32, &NcclModelParams::nvls_channels},
      {"nccl-nvls-chunk-bytes", SweepField::NcclNvlsChunkBytes, "nccl_nvls_chunk_bytes", 262144,
       &NcclModelParams::nvls_chunk_bytes},
  };
  for (const auto& a : axes) {
    const AxisField f = resolve_axis_field(a.name, base, "spec.yml");
    EXPECT_EQ(f.target.field, a.field) << a.name;
    EXPECT_EQ(f.column, a.column);
    apply_axis_value(f.target, a.value, base);
    EXPECT_EQ(base.system.nccl.*a.member, a.value) << a.name;
  }

  using calibration::parse_fit_parameter;
  SystemConfig fitted = s;
  NetworkConfig fitted_net = net;
  const calibration::FitParameter step = parse_fit_parameter("nccl_nvls_step_ns=100:20000:log");
  EXPECT_TRUE(step.is_beyond_model());
  calibration::apply_parameter(step, 3000.0, fitted_net, fitted);
  EXPECT_EQ(fitted.nccl.nvls_step_ns, 3000.0);
  calibration::apply_parameter(parse_fit_parameter("nccl_nvls_fill_steps=0.1:8:log"), 3.5, fitted_net, fitted);
  EXPECT_EQ(fitted.nccl.nvls_fill_steps, 3.5);
  EXPECT_EQ(calibration::read_parameter(parse_fit_parameter("nccl_nvls_channels=1:64"), fitted_net, fitted), 24.0);
  EXPECT_EQ(calibration::read_parameter(parse_fit_parameter("nccl_nvls_chunk_bytes=16384:524288:log"), fitted_net, fitted),
            65536.0);
  EXPECT_THROW(parse_fit_parameter("nccl_nvls_channels=0.5:64"), InputError);
  EXPECT_THROW(parse_fit_parameter("nccl_nvls_chunk_bytes=0:65536"), InputError);
}

}  // namespace
}  // namespace astra
