#!/usr/bin/env bash
# Recipe: the single-node H100 nccl-tests tables in ../shared/measured fitted with the collective
# models beyond ASTRA-sim (docs/beyond_astra_sim_models.md), every 2nd size held out, next to
# ASTRA-sim's ring fitted the same way (2 parameters: latency, bandwidth). One line per table:
#   TABLE MODEL: holdout mape X% geomean Y% | ASTRA-sim ring: holdout mape X% geomean Y%
#   ncclRing   the Ring tables (NCCL_ALGO=RING); nccl-tests -g N drives all GPUs from one thread,
#              so the launch floor nccl_floor_ns is fitted with the protocols (7 parameters)
#   nvls       the NCCL-default tables of an NVSwitch node (NVLS for large all-reduces, ring with
#              LL / LL128 below); one process per GPU, so no floor, the step latency instead
#   the xxrjun tables (32 MiB .. 16 GiB, 5 fit sizes) fit only the bandwidth and Simple's latency
#   the channel ramp (nccl_channel_bytes, nccl_max_channels) is fitted with the ncclRing and
#   dgxc nvls tables (9 parameters, grid 6); --no-ramp (first option) leaves it off and fits
#   the 7 parameters on grid 7 as before the ramp existed (the "before" of bench/RESULTS.md)
#   the NVLS pipeline (nccl_nvls_step_ns, nccl_nvls_fill_steps: fill/drain and NCCL's chunk
#   size by message size, docs/beyond_astra_sim_models.md) is fitted with the dgxc nvls table
#   too: 11 parameters, grid 4 (grid 5 would be 48.8 M points, over calibrate's 16.7 M limit);
#   --no-nvls-pipeline (first option) fits dgxc as before it existed (9 parameters, grid 6)
# Usage: sweeps/calibrate_beyond_h100.sh [OUT] [--no-ramp | --no-nvls-pipeline] [extra calibrate options]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${ASTRA_SWEEP:-$repo/build/astra-sweep}
measured=${ASTRA_MEASURED_DIR:-$repo/../shared/measured}
out=$repo/out/beyond_h100
if [ $# -gt 0 ] && [[ $1 != --* ]]; then out=$1; shift; fi
# 9 parameters on grid 6 leave the refinement far from the best fit: Nelder-Mead restarts
# (--refine-restarts) bring it there (with or without the ramp, so before/after compare alike)
ramp="--param nccl_channel_bytes=1024:67108864:log --param nccl_max_channels=1:64:log --grid 6 --refine-restarts 8"
# fill and drain of a three-stage pipeline (scatter, reduce, gather) is about 2 steps: the range
# brackets it generously; the step cost is left wide (0.5-20 us)
nvls_fit="--param nccl_channel_bytes=1024:67108864:log --param nccl_max_channels=1:64:log
  --param nccl_nvls_step_ns=500:20000:log --param nccl_nvls_fill_steps=0.5:8:log --grid 4 --refine-restarts 8"
if [ $# -gt 0 ] && [ "$1" = --no-ramp ]; then ramp="--grid 7 --refine-restarts 8"; nvls_fit=$ramp; shift; fi
if [ $# -gt 0 ] && [ "$1" = --no-nvls-pipeline ]; then nvls_fit=$ramp; shift; fi
mkdir -p "$out"
n8=$repo/configs/network/HGX-H100-validated.yml
n4=$repo/configs/network/hgx_h100_4gpu.yml
ring=$repo/configs/beyond_astra_sim/h100_nccl_ring.json
nvls=$repo/configs/beyond_astra_sim/h100_nvls.json
protocols="--param nccl_ll_latency_ns=100:60000:log --param nccl_ll_efficiency=0.01:1:log
  --param nccl_ll128_latency_ns=100:100000:log --param nccl_ll128_efficiency=0.05:1:log
  --param nccl_simple_latency_ns=100:200000:log"
summary() { grep '^overall holdout:' "$1" | sed -E 's/^overall holdout: [0-9]+ sizes, geomean_ape ([0-9.]+%), mape ([0-9.]+%).*/holdout mape \2 geomean \1/'; }
fit() {  # NAME TABLE NETWORK SYSTEM MODEL-PARAMS...
  local name=$1 table=$2 network=$3 system=$4
  shift 4
  # shellcheck disable=SC2086
  "$bin" calibrate "$measured/$table.csv" --network "$network" --system "$system" "$@" \
    --objective mape --holdout every-2nd --no-plots --out "$out/$name" > "$out/$name.log" 2>&1
  "$bin" calibrate "$measured/$table.csv" --network "$network" --system "$repo/configs/system/HGX-H100-validated.json" \
    --param latency_ns=100:3000:log --param bandwidth_GBps=50:900:log --objective mape --holdout every-2nd \
    --no-plots --out "$out/${name}_astra_ring" > "$out/${name}_astra_ring.log" 2>&1
  echo "$table $(grep -o '\[[a-zA-Z]*\]' "$out/$name.log" | head -n 1): $(summary "$out/$name.log") | ASTRA-sim ring: $(summary "$out/${name}_astra_ring.log")"
}
for c in all_reduce all_gather reduce_scatter; do
  # shellcheck disable=SC2086
  fit together_$c together_h100x8_${c}_ring "$n8" "$ring" --param bandwidth_GBps=50:900:log $protocols \
    --param nccl_floor_ns=1000:60000:log $ramp "$@"
  # shellcheck disable=SC2086
  fit wh8_$c wh8_h100x4_$c "$n4" "$ring" --param bandwidth_GBps=50:900:log $protocols \
    --param nccl_floor_ns=1000:60000:log $ramp "$@"
done
# shellcheck disable=SC2086
fit dgxc_all_reduce nvidia_dgxc_h100x8_allreduce "$n8" "$nvls" --param bandwidth_GBps=50:900:log $protocols \
  --param latency_ns=10:3000:log $nvls_fit "$@"
for c in all_reduce all_gather reduce_scatter; do
  fit xxrjun_$c xxrjun_c01_h100x8_$c "$n8" "$nvls" --param bandwidth_GBps=50:900:log \
    --param nccl_simple_latency_ns=100:400000:log --grid 64 "$@"
done
