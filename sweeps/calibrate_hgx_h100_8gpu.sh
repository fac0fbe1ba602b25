#!/usr/bin/env bash
# Worked example: calibrate ASTRA-sim's HGX-H100 Switch model to published nccl-tests runs.
#   8 GPUs: together.ai 8x H100 SXM, NCCL Ring all-reduce (the like-for-like data for ASTRA-sim's
#           HGX-H100 validation), base configs HGX-H100-validated.{yml,json}
#   4 GPUs: 4 of 8 H100 SXM, Ring chosen by NCCL, base hgx_h100_4gpu.yml with the validated system
# The measured data live in ../shared/measured (the shared/ folder that sits beside the repo).
# Usage: sweeps/calibrate_hgx_h100_8gpu.sh [astra-sweep binary] [output folder]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$repo/build/astra-sweep}
out=${2:-$repo/out/calibration}
measured=${ASTRA_MEASURED_DIR:-$repo/../shared/measured}
mkdir -p "$out"

for backend in congestion_unaware congestion_aware; do
  # The congestion-aware backend goes through the reference simulator for every point
  # (about 1 ms each): a coarser grid keeps it to tens of seconds.
  grid=256
  [ $backend = congestion_aware ] && grid=24
  echo "== 8x H100 ring all-reduce, $backend"
  "$bin" calibrate "$measured/raw/together_H100_20260305_220043_all_reduce_ring.out" \
    --network "$repo/configs/network/HGX-H100-validated.yml" \
    --system "$repo/configs/system/HGX-H100-validated.json" --network-backend $backend \
    --param latency_ns=100:3000:log --param bandwidth_GBps=50:900:log --grid $grid \
    --holdout every-2nd --objective mape --out "$out/h100x8_$backend"
  echo "== 4x H100 all-reduce, $backend"
  "$bin" calibrate "$measured/raw/wh8_4xh100_all_reduce.txt" \
    --network "$repo/configs/network/hgx_h100_4gpu.yml" \
    --system "$repo/configs/system/HGX-H100-validated.json" --network-backend $backend \
    --param latency_ns=100:3000:log --param bandwidth_GBps=50:900:log --grid $grid \
    --holdout every-2nd --objective mape --out "$out/h100x4_$backend"
done
