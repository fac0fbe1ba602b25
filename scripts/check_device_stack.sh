#!/usr/bin/env bash
# Device-code check of the sweep-point kernel (needs nvcc, no GPU): compiles a kernel of the
# sweep launcher's shape (evaluate_sweep_point per thread, congestion-aware scratch included) to
# PTX and fails if any device function can reach itself through calls. Recursion makes a
# thread's stack size statically unknown; the driver then sizes the stack too small and
# congestion-aware points die with "Stack overflow" (issue 11).
#
#   scripts/check_device_stack.sh            call-graph check only (cicc, seconds)
#   scripts/check_device_stack.sh --ptxas    also ptxas: registers, stack frame, spills, time
#
# Exit: 0 no recursion, 1 recursion found (the cycle is printed), 77 nvcc not found (skipped).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
nvcc="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
if [[ ! -x "$nvcc" ]]; then
  echo "check_device_stack: skipped: nvcc not found (set NVCC)" >&2
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/probe.cu" <<'EOF'
#include "kernels/sweep/sweep_point_evaluation.hpp"
using namespace astra;
__global__ void probe_slot_point(CompiledSweep s, WorkloadGraphView g, std::uint64_t first, std::uint64_t n,
    EvaluatorScratch* scratch, aware::CongestionAwareScratch* aw, SweepPointResult* out) {
  std::uint64_t i = blockIdx.x * (std::uint64_t)blockDim.x + threadIdx.x;
  if (i < n) out[i] = evaluate_sweep_point(s, g, first + i, scratch ? scratch + i : nullptr, aw ? aw + i : nullptr);
}
EOF
flags=(-arch=sm_90 -std=c++20 --expt-relaxed-constexpr -fmad=false -I"$root")
"$nvcc" "${flags[@]}" -ptx -o "$work/probe.ptx" "$work/probe.cu"
python3 "$root/scripts/ptx_call_cycles.py" "$work/probe.ptx"
if [[ "${1:-}" == "--ptxas" ]]; then
  start=$(date +%s)
  "$nvcc" "${flags[@]}" -cubin --resource-usage -o "$work/probe.cubin" "$work/probe.cu" 2>&1 | grep -v '^$'
  echo "check_device_stack: nvcc -cubin took $(($(date +%s) - start)) s"
fi
