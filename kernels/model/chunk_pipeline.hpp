// How the K chunks of one collective flow through the per-dimension queues (spec 4.5).
//
// Phase i of a chunk runs in the queue of its logical dimension; each queue runs at most
// a = active-chunks-per-dimension streams at once and keeps the others waiting in FIFO order
// (all chunks of one collective share one priority). All K chunks enter the first phase's
// queue when the collective is issued; a chunk that finishes a phase moves to the next queue in
// the same tick, and the first waiting chunk of the queue it left starts in that tick too.
// Every chunk carries the same bytes, so phase i lasts D_i for every chunk.
//
// Distinct queues per phase (every case but localBWAware all-reduce on >= 2 dimensions) make a
// plain flow shop:
//
//   queue 0:  [c0][c1]      [c2][c3]                start[k][i]  = max(finish[k][i-1], finish[k-a][i])
//   queue 1:        [c0][c1]      [c2][c3]          finish[k][i] = start[k][i] + D_i
//
// localBWAware all-reduce revisits queues (RS0 RS1 AR2 AG1 AG0: queue 0 serves RS0 and AG0),
// so an AG phase waits behind the RS phases queued before it. That case is replayed as a small
// event simulation of the queues. Chunks entering one queue in the same tick are ordered by when
// their completing Generals were registered (tick - tail); if two of them at different phases
// tie there, the order is not ours to know and the collective needs the reference simulator.
//
// Only one collective is in flight per NPU (spec 5.2), so priorities (LIFO/FIFO/EXPLICIT) never
// reorder anything here.
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"
#include "kernels/model/phase_plan.hpp"

namespace astra {

inline constexpr int kMaxReentrantChunks = 256;   // chunks of a queue-revisiting (localBWAware) collective

struct PipelineResult {
  std::uint64_t finish_ns = 0;  // from issue (0) to the last chunk leaving its last phase
  bool needs_reference = false;
};

// Distinct queues: the flow shop above, in closed form, O(phases), no state per chunk.
//
// Chunk k only ever waits for chunk k - a (the queue's slots free in FIFO order and every chunk
// holds phase i equally long), so the residue classes k mod a never interact: class r is a flow
// shop of identical jobs m = 0, 1, 2, ... (chunk r + m*a) with ONE server per phase:
//
//   C(m, i) = max(C(m, i-1), C(m-1, i)) + D_i        C(m, -1) = 0 (all enter at 0), C(-1, i) = 0
//
// Claim: C(m, i) = S_i + m * M_i with S_i = D_0 + ... + D_i and M_i = max(D_0 .. D_i)
// (S_-1 = M_-1 = 0). Induction on i (i = -1 holds), then on m (m = 0: C(0, i) = S_i holds):
//   C(m, i-1) + D_i = S_i + m * M_{i-1}
//   C(m-1, i) + D_i = S_i + (m-1) * M_i + D_i
//   if D_i <= M_{i-1}: M_i = M_{i-1}, the second is <= S_i + m * M_i = the first;
//   if D_i >  M_{i-1}: M_i = D_i, the second is S_i + m * M_i >= the first.
// C grows with m, so the collective ends with the last job of the largest class, m = floor((K-1)/a):
//
//   finish = S_last + floor((K - 1) / a) * M_last
//
// e.g. D = (3, 5, 2), K = 5, a = 2: chunks 0, 2, 4 form class 0 and end phase 2 at 10, 15, 20;
// S = 10, M = 5, floor(4 / 2) = 2 -> 10 + 2 * 5 = 20. No limit on a or K, and no array.
[[nodiscard]] ASTRA_HD_INLINE std::uint64_t flow_shop_finish_ns(std::uint64_t sum_ns, std::uint64_t max_ns, std::uint64_t chunks,
                                                  std::uint64_t a) {
  return chunks <= a ? sum_ns : sum_ns + (chunks - 1) / a * max_ns;  // (K = 0, never asked: S_last, as before)
}

[[nodiscard]] ASTRA_HD_INLINE PipelineResult flow_shop_finish(const std::uint64_t* phase_ns, int phases, std::uint64_t chunks,
                                                std::uint64_t a) {
  std::uint64_t sum = 0, max = 0;
  for (int i = 0; i < phases; ++i) {
    sum += phase_ns[i];
    if (phase_ns[i] > max) max = phase_ns[i];
  }
  PipelineResult out;
  out.finish_ns = flow_shop_finish_ns(sum, max, chunks, a < 1 ? 1 : a);
  return out;
}

// Event replay of queues that several phases share.
[[nodiscard]] ASTRA_HD_INLINE PipelineResult reentrant_queues_finish(const std::uint64_t* phase_ns, const std::uint64_t* tail_ns,
                                                       const std::int32_t* queue, int phases, std::uint64_t chunks,
                                                       std::uint64_t a) {
  PipelineResult out;
  if (chunks > static_cast<std::uint64_t>(kMaxReentrantChunks)) {
    out.needs_reference = true;
    return out;
  }
  for (int i = 0; i < phases; ++i)
    if (phase_ns[i] == 0) {  // same-tick chains: beyond this model
      out.needs_reference = true;
      return out;
    }
  const int k_count = static_cast<int>(chunks);
  std::uint64_t end[kMaxReentrantChunks];
  std::int16_t next_waiting[kMaxReentrantChunks];
  std::int8_t phase_of[kMaxReentrantChunks];
  std::uint8_t running_flag[kMaxReentrantChunks];
  std::int32_t head[kMaxDims], tail[kMaxDims];
  std::uint64_t running[kMaxDims];
  for (int q = 0; q < kMaxDims; ++q) {
    head[q] = tail[q] = -1;
    running[q] = 0;
  }
  auto push = [&](int q, int k) {
    next_waiting[k] = -1;
    if (tail[q] < 0) head[q] = k; else next_waiting[tail[q]] = static_cast<std::int16_t>(k);
    tail[q] = k;
  };
  auto fill = [&](int q, std::uint64_t now) {
    while (head[q] >= 0 && running[q] < a) {
      const int k = head[q];
      head[q] = next_waiting[k];
      if (head[q] < 0) tail[q] = -1;
      ++running[q];
      running_flag[k] = 1;
      end[k] = now + phase_ns[phase_of[k]];
    }
  };
  for (int k = 0; k < k_count; ++k) {
    phase_of[k] = 0;
    running_flag[k] = 0;
    push(queue[0], k);
    fill(queue[0], 0);
  }
  int done = 0;
  std::uint64_t now = 0;
  while (done < k_count) {
    // the next tick with completions
    bool any = false;
    for (int k = 0; k < k_count; ++k)
      if (running_flag[k] && (!any || end[k] < now)) {
        now = end[k];
        any = true;
      }
    if (!any) {
      out.needs_reference = true;
      return out;
    }
    // completions of this tick, in registration order (tick - tail), chunk order within a phase
    for (;;) {
      int pick = -1;
      std::uint64_t pick_reg = 0;
      for (int k = 0; k < k_count; ++k) {
        if (!running_flag[k] || end[k] != now) continue;
        const std::uint64_t reg = now - tail_ns[phase_of[k]];
        if (pick < 0 || reg < pick_reg) {
          pick = k;
          pick_reg = reg;
        } else if (reg == pick_reg && phase_of[k] != phase_of[pick]) {
          const int pn = phase_of[pick] + 1, kn = phase_of[k] + 1;
          if (pn < phases && kn < phases && queue[pn] == queue[kn]) {
            out.needs_reference = true;
            return out;
          }
        }
      }
      if (pick < 0) break;
      const int old_q = queue[phase_of[pick]];
      running_flag[pick] = 0;
      const int next_phase = phase_of[pick] + 1;
      if (next_phase >= phases) {
        ++done;
        --running[old_q];
        fill(old_q, now);
        continue;
      }
      phase_of[pick] = static_cast<std::int8_t>(next_phase);
      push(queue[next_phase], pick);
      --running[old_q];
      fill(old_q, now);
      fill(queue[next_phase], now);
    }
  }
  out.finish_ns = now;
  return out;
}

}  // namespace astra
