// Parameters of the collective models beyond ASTRA-sim (beyond_model.hpp,
// docs/beyond_astra_sim_models.md): NCCL's three protocols, each with a base latency and a
// bandwidth efficiency, as plain data inside SystemConfig. ASTRA-sim's own algorithms never
// read them; they matter only when an implementation list names ncclRing, ncclTree or nvls.
#pragma once

#include <cstdint>

namespace astra {

// NCCL's protocols: LL (8-byte stores with a 4-byte flag), LL128 (128-byte lines, 120 of
// payload), Simple (bulk copies with fences).
enum class NcclProtocol : std::uint8_t { LL = 0, LL128 = 1, Simple = 2 };
inline constexpr int kNcclProtocols = 3;

struct NcclProtocolParams {
  double latency_ns = 0.0;  // alpha_q: fixed cost per collective call (launch, synchronisation)
  double efficiency = 1.0;  // eta_q in (0, 1]: the share of the link bandwidth the protocol moves
};

struct NcclModelParams {
  // Defaults after NCCL's own tuning model (src/graph/tuning.cc): ring base latencies 6.8 / 14 /
  // 8.4 us; LL moves 1/4 of the bus bandwidth for an all-reduce, LL128 about 0.92 (120/128).
  NcclProtocolParams protocol[kNcclProtocols] = {{6800.0, 0.25}, {14000.0, 0.92}, {8400.0, 1.0}};
  std::uint8_t protocol_mask = 7;  // bit q: protocol q may be chosen (NCCL_PROTO)
  // No collective finishes sooner than this (ns): the host-side launch of the collective on
  // every GPU (nccl-tests -g N: one thread launches N GPUs one after another). 0 = off.
  double floor_ns = 0.0;
  // Protocol chosen by size (NCCL's tuner switches at fixed sizes, not always where the true
  // times cross): when either threshold is > 0, a collective of S bytes takes LL if S <
  // ll_max_bytes, else LL128 if S < ll128_max_bytes, else Simple (disabled ones skipped).
  // Both 0 (the default): the fastest enabled protocol.
  double ll_max_bytes = 0.0;
  double ll128_max_bytes = 0.0;
  // Channel ramp (NCCL runs a collective on fewer channels, each a slice of the link bandwidth,
  // while it is small: it drops channels until every thread has a minimum share of the bytes).
  // A collective of S bytes uses c(S) = min(max_channels, max(1, S / channel_bytes)) channels
  // and moves at c(S) / max_channels of the protocol's bandwidth. channel_bytes <= 0 or
  // max_channels <= 1 (the defaults): every size at full bandwidth, the model without a ramp.
  double channel_bytes = 0.0;
  double max_channels = 1.0;
  // NVLS pipeline (an nvls Simple all_reduce stage, beyond_model.hpp): NCCL streams each of
  // nvls_channels channels through loop steps of (heads x chunk) bytes, the chunk picked from
  // nvls_chunk_bytes (NCCL_NVLS_CHUNKSIZE) by the per-channel size; every step costs
  // nvls_step_ns on top of its bytes and the scatter -> reduce -> gather pipeline adds
  // nvls_fill_steps steps of fill and drain. Both 0 (the defaults): the model without it.
  double nvls_step_ns = 0.0;
  double nvls_fill_steps = 0.0;
  double nvls_channels = 16.0;        // NCCL's NVLS channel count on H100 (sm90)
  double nvls_chunk_bytes = 131072.0; // NCCL_NVLS_CHUNKSIZE's default
};

}  // namespace astra
