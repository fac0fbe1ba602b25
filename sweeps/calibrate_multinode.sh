#!/usr/bin/env bash
# Recipe: calibrate a multi-node H100 system (8 GPUs per node on NVSwitch x NODES nodes on
# InfiniBand / EFA / RoCE) to a published nccl-tests all-reduce table.
#   network  2-D: dimension 0 a Switch of 8 NPUs (NVLink), dimension 1 a Ring of NODES (the NICs)
#   system   the all-reduce model below, 4 splits, 2 active chunks, localBWAware, 3350 GB/s
#   search   a coarse grid on the sweep engine (--backend auto: the GPU where there is one),
#            Nelder-Mead from its best points, every 2nd size held out
# Models (--model NAME, before the calibrate options; default nvls-tree):
#   nvls-tree   beyond ASTRA-sim (docs/beyond_astra_sim_models.md): NVLS in the node, NCCL's tree
#               across nodes, LL / LL128 / Simple protocol regimes by size (NCCL's NVLSTree);
#               fitted: bandwidth of both dimensions, inter-node step latency, the protocols'
#               latencies and LL / LL128 efficiencies (8 parameters, grid 6, no size regimes)
#   nccl-ring   beyond ASTRA-sim: hierarchical NCCL ring with protocol regimes (same parameters)
#   astra-ring  ASTRA-sim's ring per dimension: latency_ns[0], bandwidth_GBps[0], latency_ns[1],
#               bandwidth_GBps[1] (4 parameters, grid 24) and 3 size regimes (NCCL changes
#               protocol and algorithm with size)
# Usage: sweeps/calibrate_multinode.sh TABLE NODES [OUT] [--model NAME] [extra calibrate options, e.g. --grid 64]
#   TABLE  nccl-tests output or CSV (e.g. ../shared/measured/aws_p5_2node_h100_allreduce_nccl2.22.3.csv)
#   OUT    folder for the fitted configs, calibration.csv and the plots (time_vs_size.png,
#          error_vs_size.png: the per-size error); default out/multinode_<table>
# The last two lines are the calibration's `overall holdout: ...` and `calibration: ...`.
# A --grid among the options replaces the default (nvls-tree / nccl-ring: 6 per parameter, 1.7 M
# points x 16 sizes, ~5 s on 2 cores; astra-ring: 24, on a GPU --grid 64).
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,25p "$0" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${ASTRA_SWEEP:-$repo/build/astra-sweep}
table=$1
nodes=$2
shift 2
out=$repo/out/multinode_$(basename "${table%.*}")
if [ $# -gt 0 ] && [[ $1 != --* ]]; then out=$1; shift; fi
model=nvls-tree
if [ $# -ge 2 ] && [ "$1" = --model ]; then model=$2; shift 2; fi
case $model in
  nvls-tree) impl='"nvls", "ncclTree"' ;;
  nccl-ring) impl='"ncclRing", "ncclRing"' ;;
  astra-ring) impl='"ring", "ring"' ;;
  *) echo "error: --model: '$model' is not nvls-tree, nccl-ring or astra-ring" >&2; exit 2 ;;
esac
[[ $nodes =~ ^[0-9]+$ ]] && [ "$nodes" -ge 2 ] || { echo "error: NODES: '$nodes' is not a node count >= 2" >&2; exit 2; }
[ -r "$table" ] || { echo "error: $table: cannot read the measured table" >&2; exit 2; }
mkdir -p "$out"

cat > "$out/base_network.yml" <<YAML
# 8 H100 per node on NVSwitch (dimension 0) x $nodes nodes on the scale-out network (dimension 1)
topology: [ Switch, Ring ]
npus_count: [ 8, $nodes ]
bandwidth: [ 400, 50 ]  # GB/s per link, the starting point only: both are fitted
latency: [ 936.25, 5000 ]  # ns
YAML
cat > "$out/base_system.json" <<JSON
{
  "scheduling-policy": "LIFO",
  "endpoint-delay": 10,
  "active-chunks-per-dimension": 2,
  "preferred-dataset-splits": 4,
  "all-reduce-implementation": [$impl],
  "all-gather-implementation": ["ring", "ring"],
  "reduce-scatter-implementation": ["ring", "ring"],
  "all-to-all-implementation": ["ring", "ring"],
  "collective-optimization": "localBWAware",
  "local-mem-bw": 3350
}
JSON

grid_default=true  # a --grid among the extra options replaces the default grid
for a in "$@"; do [ "$a" = --grid ] && grid_default=false; done
if [ $model = astra-ring ]; then
  $grid_default && set -- --grid 24 "$@"
  "$bin" calibrate "$table" --network "$out/base_network.yml" --system "$out/base_system.json" \
    --param "latency_ns[0]=100:3000:log" --param "bandwidth_GBps[0]=50:900:log" \
    --param "latency_ns[1]=500:50000:log" --param "bandwidth_GBps[1]=5:200:log" \
    --regimes 3 --objective mape --holdout every-2nd --out "$out" "$@" > "$out/calibration.log"
else
  $grid_default && set -- --grid 6 "$@"
  # step latency of dimension 0 stays at the base value: with one table the protocols' base
  # latencies absorb it (docs/beyond_astra_sim_models.md)
  "$bin" calibrate "$table" --network "$out/base_network.yml" --system "$out/base_system.json" \
    --param "bandwidth_GBps[0]=50:900:log" --param "bandwidth_GBps[1]=5:800:log" --param "latency_ns[1]=100:50000:log" \
    --param nccl_ll_latency_ns=100:100000:log --param nccl_ll_efficiency=0.01:1:log \
    --param nccl_ll128_latency_ns=100:200000:log --param nccl_ll128_efficiency=0.05:1:log \
    --param nccl_simple_latency_ns=100:400000:log \
    --objective mape --holdout every-2nd --out "$out" "$@" > "$out/calibration.log"
fi
grep -v '^overall holdout:\|^calibration:' "$out/calibration.log"
grep '^overall holdout:' "$out/calibration.log"
grep '^calibration:' "$out/calibration.log"
