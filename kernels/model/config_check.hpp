// Which configurations have defined semantics. ASTRA-sim crashes, hangs or rejects on some
// inputs (spec section 6); astra-sweep rejects those with a reason instead, in one place shared
// by the reference simulator and the fast evaluator so both always agree on what they answer.
#pragma once

#include <cstdint>

#include "kernels/model/beyond_model.hpp"
#include "kernels/model/config.hpp"

namespace astra {

struct ConfigProblem {
  const char* field = nullptr;   // nullptr: no problem
  const char* reason = nullptr;
  ASTRA_HD bool ok() const { return field == nullptr; }
};

[[nodiscard]] ASTRA_HD_INLINE bool is_power_of_two(std::int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

// halvingDoubling (spec 4.8.3) on a logical ring of p NPUs: at every step NPU index i sends to
// and receives from ONE peer, i + o when floor(i / o) is even and i - o when it is odd (mod p),
// where o is the step's rank offset. The receive matches only if that peer picks i back at the
// same step: message sizes differ from step to step (all-gather: D, 2D, 4D, ...; reduce-scatter
// and all-reduce: D/2, D/4, ... at least 1 B up to the first step that fails below), so a send
// of another step never matches it. (localBWAware all-reduce also runs an AG phase on the
// dimension of an RS phase; an AG message of the stuck receive's size from that peer would need
// floor(D/2^t) = floor(D/p) 2^(u-1), which no p <= 64 and D >= 2p meets.) Where the pairing
// breaks, some NPU waits forever and ASTRA-sim never finishes. The pairing holds for offset o
// exactly when
//
//     o < p:   2o divides p             (blocks of o pair up with no wrap round the ring)
//     o >= p:  every i takes +o mod p;  2o = 0 and o != 0 (mod p)
//
// e.g. p = 6, o = 2: 0<->2, 1<->3, but 4 -> 0 and 5 -> 1 (0 and 1 answer 2 and 3): never finishes.
[[nodiscard]] ASTRA_HD_INLINE bool halving_doubling_step_pairs_up(std::int64_t p, std::int64_t o) {
  if (o <= 0) return false;
  if (o < p) return p % (2 * o) == 0;
  return (2 * o) % p == 0 && o % p != 0;
}

// Whether every step of one halvingDoubling phase of `op` on p NPUs pairs up, walking the rank
// offsets as the algorithm does: S = floor(log2 p) steps (all-reduce: floor(2 log2 p) =
// floor(log2 p^2)); all-gather starts at p/2 and halves (truncating), reduce-scatter and
// all-reduce start at 1 and double, the all-reduce turning round when the offset reaches p.
// Powers of two always pair up. Otherwise:
//   reduce-scatter, all-reduce: never (p = 2^a m, m odd > 1: offset 2^a is reached by step
//     a + 1 <= S, and 2^(a+1) does not divide p);
//   all-gather: exactly p = 2^a (2^b + 1) with a >= b >= 1 (6, 12, 20, 24, 40, 48, 72, ...).
//     With p = 2^a m, m odd, the offsets are 2^(a-1) m, ..., 2m, m (exact halves: they pair up),
//     then floor(m/2), floor(m/4), ..., 1. 2 floor(m/2) = m - 1 must divide 2^a m, so
//     m = 2^b + 1; the rest are 2^(b-1), ..., 1, and 2^b must divide 2^a.
[[nodiscard]] ASTRA_HD_INLINE bool halving_doubling_completes(CollectiveKind op, std::int64_t p) {
  if (p <= 1) return true;  // a dimension of one NPU is skipped
  if (op == CollectiveKind::AllToAll) return false;
  std::int64_t lg = 0;
  while ((std::int64_t{1} << (lg + 1)) <= p) ++lg;
  std::int64_t steps = lg;
  if (op == CollectiveKind::AllReduce) {  // floor(log2 p^2)
    if (p > (std::int64_t{1} << 31)) return is_power_of_two(p);  // p^2 would overflow (networks stop at 2^20)
    steps = 0;
    while ((std::int64_t{1} << (steps + 1)) <= p * p) ++steps;
  }
  std::int64_t o = op == CollectiveKind::AllGather ? p / 2 : 1;
  bool doubling = op != CollectiveKind::AllGather;
  for (std::int64_t s = 0; s < steps; ++s) {
    if (!halving_doubling_step_pairs_up(p, o)) return false;
    if (doubling) {
      o *= 2;
      if (o == p && op == CollectiveKind::AllReduce) {  // turn round: undo the last doubling
        doubling = false;
        o /= 2;
      }
    } else {
      o /= 2;
    }
  }
  return true;
}

[[nodiscard]] ASTRA_HD_INLINE bool collective_reduces(CollectiveKind c) {
  return c == CollectiveKind::AllReduce || c == CollectiveKind::ReduceScatter;
}

// Structural checks of a network + system pair, independent of the workload.
[[nodiscard]] ASTRA_HD_INLINE ConfigProblem check_network_system(const NetworkConfig& net, const SystemConfig& sys,
                                                   NetworkBackend backend) {
  if (net.dims < 1 || net.dims > kMaxDims) return {"npus_count", "a network needs 1 to 8 dimensions"};
  for (int d = 0; d < net.dims; ++d) {
    if (net.npus_count[d] < 1) return {"npus_count", "every dimension needs at least 1 NPU"};
    if (!(net.bandwidth_GBps[d] > 0.0)) return {"bandwidth", "bandwidth must be > 0 GB/s"};
    if (!(net.latency_ns[d] >= 0.0)) return {"latency", "latency must be >= 0 ns"};
  }
  if (net.total_npus() < 2) return {"npus_count", "a network needs at least 2 NPUs in total"};
  if (net.total_npus() > (std::int64_t{1} << 20)) return {"npus_count", "more than 2^20 NPUs in total"};
  if (sys.preferred_dataset_splits < 1) return {"preferred-dataset-splits", "must be >= 1"};
  if (sys.active_chunks_per_dimension < 1) return {"active-chunks-per-dimension", "must be >= 1"};
  if (sys.endpoint_delay_ns < 0) return {"endpoint-delay", "must be >= 0 ns"};
  if (!(sys.local_mem_bw_GBps >= 0.0)) return {"local-mem-bw", "must be >= 0 GB/s"};
  if (backend == NetworkBackend::CongestionAware && system_uses_beyond_model(sys))
    return {"backend", "ncclRing / ncclTree / nvls are closed-form models beyond ASTRA-sim; use congestion_unaware"};
  return {};
}

// A collective timed by a model beyond ASTRA-sim (beyond_model.hpp): every list entry from that
// family, tree for all_reduce only, nvls not for all_to_all, sane protocol parameters.
[[nodiscard]] ASTRA_HD_INLINE ConfigProblem check_beyond_collective(const NetworkConfig& net, const SystemConfig& sys,
                                                      CollectiveKind c, const char* field) {
  const int count = sys.implementations_count(c);
  const AlgorithmChoice* impl = sys.implementations(c);
  bool active = false;
  for (int d = 0; d < count; ++d) {
    const AlgorithmKind a = impl[d].kind;
    if (!is_beyond_algorithm(a))
      return {field, "ncclRing / ncclTree / nvls (models beyond ASTRA-sim) cannot be mixed with ASTRA-sim's algorithms"};
    if (a == AlgorithmKind::NcclTree && c != CollectiveKind::AllReduce)
      return {field, "ncclTree models all_reduce only (NCCL's trees run all-reduce)"};
    if (a == AlgorithmKind::Nvls && c == CollectiveKind::AllToAll)
      return {field, "nvls cannot run all_to_all (in-switch reduction and multicast only)"};
    if (net.npus_count[d] > 1) active = true;
  }
  if (!active) return {field, "no dimension of the implementation list has more than 1 NPU"};
  if (!(sys.nccl.floor_ns >= 0.0)) return {"nccl-floor-ns", "must be >= 0 ns"};
  if (!(sys.nccl.ll_max_bytes >= 0.0)) return {"nccl-ll-max-bytes", "must be >= 0 bytes"};
  if (!(sys.nccl.ll128_max_bytes >= 0.0)) return {"nccl-ll128-max-bytes", "must be >= 0 bytes"};
  if (!(sys.nccl.channel_bytes >= 0.0)) return {"nccl-channel-bytes", "must be >= 0 bytes"};
  if (!(sys.nccl.max_channels >= 1.0)) return {"nccl-max-channels", "must be >= 1 channel"};
  if (!(sys.nccl.nvls_step_ns >= 0.0)) return {"nccl-nvls-step-ns", "must be >= 0 ns"};
  if (!(sys.nccl.nvls_fill_steps >= 0.0)) return {"nccl-nvls-fill-steps", "must be >= 0 steps"};
  if (!(sys.nccl.nvls_channels >= 1.0)) return {"nccl-nvls-channels", "must be >= 1 channel"};
  if (!(sys.nccl.nvls_chunk_bytes >= 1.0)) return {"nccl-nvls-chunk-bytes", "must be >= 1 byte"};
  if ((sys.nccl.protocol_mask & 7u) == 0) return {"nccl-protocols", "at least one protocol must be enabled"};
  for (int q = 0; q < kNcclProtocols; ++q) {
    if (!(sys.nccl.protocol[q].latency_ns >= 0.0)) return {"nccl-latency-ns", "must be >= 0 ns"};
    if (!(sys.nccl.protocol[q].efficiency > 0.0 && sys.nccl.protocol[q].efficiency <= 1.0))
      return {"nccl-efficiency", "must be in (0, 1]"};
  }
  return {};
}

// Checks that depend on which collective runs (and its size).
[[nodiscard]] ASTRA_HD_INLINE ConfigProblem check_collective(const NetworkConfig& net, const SystemConfig& sys,
                                               CollectiveKind c, std::uint64_t size_bytes) {
  const int count = sys.implementations_count(c);
  const AlgorithmChoice* impl = sys.implementations(c);
  const char* field = c == CollectiveKind::AllReduce       ? "all-reduce-implementation"
                      : c == CollectiveKind::AllGather     ? "all-gather-implementation"
                      : c == CollectiveKind::ReduceScatter ? "reduce-scatter-implementation"
                                                           : "all-to-all-implementation";
  if (count < 1) return {field, "the implementation list is empty"};
  if (count > net.dims) return {field, "the implementation list is longer than the network's dimensions"};
  if (uses_beyond_model(sys, c)) return check_beyond_collective(net, sys, c, field);
  bool active = false;
  bool reduces = collective_reduces(c);
  const std::int64_t total = net.total_npus();
  for (int d = 0; d < count; ++d) {
    const AlgorithmKind a = impl[d].kind;
    const bool global = a == AlgorithmKind::OneRing || a == AlgorithmKind::OneDirect ||
                        a == AlgorithmKind::OneHalvingDoubling;
    const std::int64_t n = global ? total : net.npus_count[d];
    if (n > 1) active = true;
    if (a == AlgorithmKind::HalvingDoubling || a == AlgorithmKind::OneHalvingDoubling) {
      // a dimension of 1 NPU is skipped, so ASTRA-sim never builds (nor refuses) its algorithm
      if (c == CollectiveKind::AllToAll && n > 1)
        return {field, "halvingDoubling cannot run all_to_all (ASTRA-sim exits)"};
      // every phase this dimension runs must pair up: all-gather runs AG phases; all-reduce runs
      // AR, or (localBWAware) RS and AG, and RS fails wherever AR does (both need a power of two)
      if (n > 1 && c == CollectiveKind::AllGather && !halving_doubling_completes(c, n))
        return {field, "halvingDoubling all_gather needs a power-of-two NPU count or 2^a*(2^b+1) with a >= b >= 1 "
                       "(6/12/20/24/40/...; otherwise its peers do not pair up and ASTRA-sim never finishes)"};
      if (n > 1 && c != CollectiveKind::AllGather && !halving_doubling_completes(c, n))
        return {field, "halvingDoubling needs a power-of-two NPU count (ASTRA-sim never finishes otherwise)"};
    }
    if (a == AlgorithmKind::DoubleBinaryTree) {
      if (n > 1 && !is_power_of_two(n))
        return {field, "doubleBinaryTree needs a power-of-two NPU count (ASTRA-sim segfaults otherwise)"};
      if (n > 1) reduces = true;  // it performs a full all-reduce whatever the collective
    }
    if ((a == AlgorithmKind::Direct || a == AlgorithmKind::OneDirect) && impl[d].window == 0)
      return {field, "a direct window must be >= 1"};
    if (global) break;  // one* algorithms take all NPUs; the rest of the list is ignored
  }
  if (!active) return {field, "no dimension of the implementation list has more than 1 NPU"};
  if (c == CollectiveKind::AllGather && size_bytes < static_cast<std::uint64_t>(sys.preferred_dataset_splits))
    return {"size_bytes", "an all_gather smaller than preferred-dataset-splits gives 0-byte chunks (ASTRA-sim loops forever)"};
  if (size_bytes > (std::uint64_t{1} << 50)) return {"size_bytes", "larger than 2^50 bytes"};
  if (reduces && !(sys.local_mem_bw_GBps > 0.0))
    return {"local-mem-bw", "must be > 0 GB/s for collectives that reduce"};
  return {};
}

}  // namespace astra
