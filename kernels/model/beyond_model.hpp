// Collective models beyond ASTRA-sim: NCCL's ring, tree and NVLS (in-switch reduction)
// algorithms with its LL / LL128 / Simple protocol regimes, as one closed form per collective
// (docs/beyond_astra_sim_models.md has the derivation, units and NCCL's justification).
//
// Opt-in: a system JSON implementation list that names ncclRing, ncclTree or nvls (names
// ASTRA-sim does not have) selects it for that collective; every entry of that list must then
// be one of the three (config_check.hpp), and the congestion-aware backend refuses it.
//
// The list's active dimensions (n_k > 1, ascending k = 0..m-1) are the stages of a hierarchy.
// With P_k = n_0 ... n_{k-1} (P_0 = 1) and S the collective's bytes per NPU (all_gather: its
// output, p x the input ASTRA-sim is given), stage k moves D_k = S / P_k bytes per NPU:
//
//   stage kind (per protocol q)  steps_k                         wire_k (bytes per NPU link)
//   ring, all_reduce             2 (n_k - 1)                     2 (n_k - 1) / n_k * D_k
//   ring, other collectives      n_k - 1                         (n_k - 1) / n_k * D_k
//   tree (all_reduce only)       2 (n_k - 1) if k = 0 (a chain)  2 D_k (up to the parent, down
//                                2 ceil(log2 n_k) otherwise       to the children: one port)
//   nvls, q = Simple             2 (all_reduce), 1 (RS, AG)      D_k (all_reduce), (n_k-1)/n_k D_k
//   nvls, q = LL or LL128        as ring (NVLS has no LL protocols; NCCL falls back to ring)
//
//   T_q = alpha_q + sum_k steps_k * latency_ns[k] + max_k R_k(S) * wire_k / (eta_q * B_k)
//   R_k(S) = N / c(S), c(S) = min(N, max(1, S / Q))  (the channel ramp) for ring and tree
//          stages; R_k = 1 for an nvls Simple stage (NCCL runs NVLS on a fixed channel count)
//          and whenever Q <= 0 or N <= 1 (N = nccl.max_channels, Q = nccl.channel_bytes).
//          NCCL runs a small ring / tree collective on fewer channels (each drives 1/N of the
//          link), so between Q and N Q bytes the bandwidth term stays at its N Q value
//   an nvls Simple all_reduce stage's term is then replaced by the NVLS pipeline (off by
//   default): (L + f) x nccl.nvls_step_ns + (1 + f / L) x term, L = its loop steps per channel
//   (nvls_pipeline_ns below, with NCCL's chunk choice), f = nccl.nvls_fill_steps
//   T   = max(floor_ns, T_q*), rounded to the nearest ns, where q* is the fastest enabled
//         protocol, or, when size thresholds are set, LL below ll_max_bytes, LL128 below
//         ll128_max_bytes, Simple above (NCCL's tuner switches protocol at fixed sizes)
//
// where B_k is dimension k's bandwidth (bandwidth_bytes_per_ns, as ASTRA-sim converts it),
// alpha_q and eta_q are SystemConfig::nccl's. The stages pipeline (NCCL streams chunks through
// them), so their latencies add and the slowest stage sets the bandwidth term.
// Worked example: 8 NPUs, one Switch dimension, 500 ns, 100 GB/s, ncclRing all_reduce of
// 1 MiB, Simple only (alpha 8400 ns, eta 1): 8400 + 14 * 500 + 1.75 * 1048576 / 107.374 =
// 32489.8 -> 32490 ns.
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"
#include "kernels/model/host_device.hpp"
#include "kernels/model/network_delay.hpp"

namespace astra {

[[nodiscard]] ASTRA_HD_INLINE bool is_beyond_algorithm(AlgorithmKind a) {
  return a == AlgorithmKind::NcclRing || a == AlgorithmKind::NcclTree || a == AlgorithmKind::Nvls;
}

// Whether collective c of `sys` is timed by a model beyond ASTRA-sim (its first list entry
// decides; config_check refuses lists that mix the two families).
[[nodiscard]] ASTRA_HD_INLINE bool uses_beyond_model(const SystemConfig& sys, CollectiveKind c) {
  return sys.implementations_count(c) > 0 && is_beyond_algorithm(sys.implementations(c)[0].kind);
}

[[nodiscard]] ASTRA_HD_INLINE bool system_uses_beyond_model(const SystemConfig& sys) {
  for (int c = 0; c < kCollectiveKinds; ++c)
    if (uses_beyond_model(sys, static_cast<CollectiveKind>(c))) return true;
  return false;
}

[[nodiscard]] ASTRA_HD_INLINE std::int64_t ceil_log2(std::int64_t n) {
  std::int64_t k = 0;
  while ((std::int64_t{1} << k) < n) ++k;
  return k;
}

// One stage's step count and wire bytes (per NPU link) for protocol q.
struct BeyondStage {
  double steps = 0.0;
  double wire_bytes = 0.0;
};

[[nodiscard]] ASTRA_HD_INLINE BeyondStage beyond_stage(AlgorithmKind kind, CollectiveKind c, NcclProtocol q, std::int64_t n,
                                         bool first, double data_bytes) {
  const double nd = static_cast<double>(n);
  const double share = (nd - 1.0) / nd;
  BeyondStage s;
  if (kind == AlgorithmKind::Nvls && q == NcclProtocol::Simple) {
    const bool ar = c == CollectiveKind::AllReduce;
    s.steps = ar ? 2.0 : 1.0;
    s.wire_bytes = ar ? data_bytes : share * data_bytes;
    return s;
  }
  if (kind == AlgorithmKind::NcclTree) {
    s.steps = first ? 2.0 * (nd - 1.0) : 2.0 * static_cast<double>(ceil_log2(n));
    s.wire_bytes = 2.0 * data_bytes;  // the reduction up and the broadcast down leave by one port
    return s;
  }
  const bool ar = c == CollectiveKind::AllReduce;  // ring (and nvls under LL / LL128)
  s.steps = ar ? 2.0 * (nd - 1.0) : nd - 1.0;
  s.wire_bytes = (ar ? 2.0 : 1.0) * share * data_bytes;
  return s;
}

// R(S) >= 1: how much slower than the full link the bandwidth term runs because a collective
// of `bytes_per_npu` bytes is spread over fewer than max_channels channels (1 when off).
[[nodiscard]] ASTRA_HD_INLINE double beyond_channel_ramp(const NcclModelParams& m, double bytes_per_npu) {
  if (!(m.channel_bytes > 0.0) || !(m.max_channels > 1.0)) return 1.0;
  double channels = bytes_per_npu / m.channel_bytes;
  if (channels < 1.0) channels = 1.0;
  if (channels > m.max_channels) channels = m.max_channels;
  return m.max_channels / channels;
}

// NCCL's NVLS chunk (bytes) for one channel carrying `channel_bytes` of a single-node NVLS
// all-reduce over `heads` NVLS heads (one per NPU): it starts from the configured chunk and
// shrinks it while the channel would run too few loop steps of heads x chunk bytes to keep
// the pipeline busy: to 64 KiB below 64 steps, 32 KiB below 8, 16 KiB below 2 (each test with
// the chunk the previous one left; a configured chunk below a cap is kept).
[[nodiscard]] ASTRA_HD_INLINE double nvls_chunk_bytes(double max_chunk_bytes, double heads, double channel_bytes) {
  double k = max_chunk_bytes;
  if (k > 65536.0 && channel_bytes < 64.0 * heads * k) k = 65536.0;
  if (k > 32768.0 && channel_bytes < 8.0 * heads * k) k = 32768.0;
  if (k > 16384.0 && channel_bytes < 2.0 * heads * k) k = 16384.0;
  return k;
}

// The NVLS pipeline term of an nvls Simple all_reduce stage of n NPUs moving `data_bytes` per
// NPU whose bandwidth time is `wire_ns`: each of the nvls_channels channels runs L loop steps
// of n x chunk bytes (L = max(1, channel bytes / (n x chunk)), continuous), every step costs
// nvls_step_ns beyond its bytes, and fill + drain add nvls_fill_steps steps of the same size:
//   T = (L + f) x step_ns + (1 + f / L) x wire_ns
// wire_ns unchanged when both nvls_step_ns and nvls_fill_steps are 0 (the defaults).
[[nodiscard]] ASTRA_HD_INLINE double nvls_pipeline_ns(const NcclModelParams& m, std::int64_t n, double data_bytes,
                                                     double wire_ns) {
  if (!(m.nvls_step_ns > 0.0) && !(m.nvls_fill_steps > 0.0)) return wire_ns;
  const double heads = static_cast<double>(n);
  const double channel_bytes = data_bytes / m.nvls_channels;
  const double loop_bytes = heads * nvls_chunk_bytes(m.nvls_chunk_bytes, heads, channel_bytes);
  double loops = channel_bytes / loop_bytes;
  if (loops < 1.0) loops = 1.0;
  return (loops + m.nvls_fill_steps) * m.nvls_step_ns + (1.0 + m.nvls_fill_steps / loops) * wire_ns;
}

// T_q in ns for protocol q (no rounding), or a negative value when q is disabled.
[[nodiscard]] ASTRA_HD_INLINE double beyond_protocol_time_ns(const NetworkView& net, const SystemConfig& sys, CollectiveKind c,
                                               double bytes_per_npu, NcclProtocol q) {
  const int qi = static_cast<int>(q);
  if (((sys.nccl.protocol_mask >> qi) & 1u) == 0) return -1.0;
  const NcclProtocolParams& pq = sys.nccl.protocol[qi];
  const int count = sys.implementations_count(c);
  const AlgorithmChoice* impl = sys.implementations(c);
  const double ramp = beyond_channel_ramp(sys.nccl, bytes_per_npu);
  double latency = pq.latency_ns, slowest = 0.0, below = 1.0;
  bool first = true;
  ASTRA_DEVICE_NO_UNROLL
  for (int d = 0; d < count && d < net.dims; ++d) {
    const std::int64_t n = net.npus_count[d];
    if (n <= 1) continue;
    const BeyondStage s = beyond_stage(impl[d].kind, c, q, n, first, bytes_per_npu / below);
    latency += s.steps * net.latency_ns[d];
    // NCCL runs NVLS on a fixed channel count (nvlsChannels); ring and tree stages ramp theirs.
    const bool nvls_simple = impl[d].kind == AlgorithmKind::Nvls && q == NcclProtocol::Simple;
    double t = (nvls_simple ? 1.0 : ramp) * s.wire_bytes / (pq.efficiency * net.bytes_per_ns[d]);
    if (nvls_simple && c == CollectiveKind::AllReduce) t = nvls_pipeline_ns(sys.nccl, n, bytes_per_npu / below, t);
    if (t > slowest) slowest = t;
    below *= static_cast<double>(n);
    first = false;
  }
  return latency + slowest;
}

// The collective's duration in ns (all NPUs alike). `size_bytes` is ASTRA-sim's size (an
// all_gather's input per NPU); the model works on the bytes each NPU holds at the widest point.
[[nodiscard]] ASTRA_HD_INLINE std::uint64_t beyond_collective_ns(const NetworkView& net, const SystemConfig& sys, CollectiveKind c,
                                                   std::uint64_t size_bytes, NcclProtocol* chosen = nullptr) {
  double bytes = static_cast<double>(size_bytes);
  if (c == CollectiveKind::AllGather) {
    std::int64_t p = 1;
    for (int d = 0; d < sys.implementations_count(c) && d < net.dims; ++d) p *= net.npus_count[d];
    bytes *= static_cast<double>(p);
  }
  double best = -1.0;
  NcclProtocol best_q = NcclProtocol::Simple;
  const NcclModelParams& m = sys.nccl;
  if (m.ll_max_bytes > 0.0 || m.ll128_max_bytes > 0.0) {  // chosen by size
    const bool ll = (m.protocol_mask & 1u) != 0 && bytes < m.ll_max_bytes;
    const bool ll128 = !ll && (m.protocol_mask & 2u) != 0 && bytes < m.ll128_max_bytes;
    best_q = ll ? NcclProtocol::LL : ll128 ? NcclProtocol::LL128 : NcclProtocol::Simple;
    best = beyond_protocol_time_ns(net, sys, c, bytes, best_q);  // < 0 when Simple is disabled
  }
  if (best < 0.0) {  // the fastest enabled protocol
    for (int qi = 0; qi < kNcclProtocols; ++qi) {
      const double t = beyond_protocol_time_ns(net, sys, c, bytes, static_cast<NcclProtocol>(qi));
      if (t >= 0.0 && (best < 0.0 || t < best)) {
        best = t;
        best_q = static_cast<NcclProtocol>(qi);
      }
    }
  }
  if (chosen) *chosen = best_q;
  if (best < 0.0) return 0;  // no protocol enabled: config_check refuses this
  if (best < sys.nccl.floor_ns) best = sys.nccl.floor_ns;
  return static_cast<std::uint64_t>(best + 0.5);
}

}  // namespace astra
