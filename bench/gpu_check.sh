#!/usr/bin/env bash
# The device check of the GPU path (issue 11): correctness of every point type on the GPU, then
# throughput against this machine's own CPU, measured in the same run, with each ratio printed.
# Ends well inside 5 minutes on an H100/H200; everything it prints also goes to the log.
#
#   bash bench/gpu_check.sh [BIN_DIR]        BIN_DIR: build (default) or .gpu/bin
#
# On a GPU machine without the build tools (../shared/device/README.md): build here, bundle
#   bash ../shared/device/bundle.sh .gpu build/astra-sweep build/astra_tests build/astra_bench
# then on the GPU machine, from the repository root (with ../shared beside it):
#   export LD_LIBRARY_PATH=$PWD/.gpu/lib; bash bench/gpu_check.sh .gpu/bin
# Environment: OUT (log folder, default results/gpu_check), CPU_THREADS (default: every core),
# SCALE (multiplies the GPU grids; 1 = ~1e9 unaware points), DRY_RUN=1 (a rehearsal without a
# GPU: thrust-omp stands in for cuda, tiny grids, no compute-sanitizer; checks the script itself).
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$repo/build}" && pwd)
out=${OUT:-$repo/results/gpu_check}
mkdir -p "$out"
log=$out/gpu_check.log
cpu_threads=${CPU_THREADS:-$(nproc)}
scale=${SCALE:-1}
gpu=cuda
dry=${DRY_RUN:-0}
if [ "$dry" = 1 ]; then gpu=thrust-omp; fi
exec > >(tee "$log") 2>&1
cd "$repo"
failures=0
fail_file=$out/failures.txt
: >"$fail_file"
stage() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
check() {  # check NAME COMMAND...: runs it, counts a failure
  local name=$1; shift
  if "$@"; then echo "ok: $name"; else echo "FAIL: $name (exit $?)"; failures=$((failures + 1)); fi
}

stage "machine"
date -u +%Y-%m-%dT%H:%M:%SZ
git rev-parse --short HEAD 2>/dev/null || true
nvidia-smi --query-gpu=index,name,memory.total,driver_version,clocks.max.sm --format=csv || true
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) x $(nproc) threads; CPU runs use $cpu_threads"

stage "1. correctness on the GPU"
check "CUDA == CPU tests" timeout 240 "$bin/astra_tests" --gtest_filter='*Cuda*:DeviceBatching.*:*ThrustOmp*'
[ "$dry" = 1 ] || for spec in sweeps/hgx_h100_latency_bandwidth_size.yaml sweeps/resnet50_design_space.yaml sweeps/nightly.yaml \
            sweeps/mixed_backends_check.yaml; do
  check "verify $spec" timeout 120 "$bin/astra-sweep" verify "$spec" --samples 300
done
if [ "$dry" != 1 ] && command -v compute-sanitizer >/dev/null; then
  check "compute-sanitizer memcheck, mixed spec" timeout 240 compute-sanitizer --tool memcheck --error-exitcode 9 \
    "$bin/astra-sweep" run sweeps/mixed_backends_check.yaml --backend cuda --summary-only --no-progress
else
  echo "SKIP: compute-sanitizer not found"
fi

stage "2. throughput: $gpu vs the ${cpu_threads}-thread CPU of this machine (same run)"
specs=$out/specs
mkdir -p "$specs"
# grid NAME WORKLOAD BACKEND A B C: latency x bandwidth x size grid of A x B x C points
grid() {
  cat >"$specs/$1.yaml" <<SPEC
network: $repo/configs/network/hgx_h100_8gpu.yml
system: $repo/configs/system/hgx_h100_8gpu__notrack_noroofline.json
workload: $2
backend: $3
limit: 1e13
axes:
  latency_ns: {linspace: {start: 100, stop: 2000, num: $4}}
  bandwidth_GBps: {logspace: {start: 50, stop: 900, num: $5}}
  size_bytes: {logspace: {start: 1024, stop: 4294967296, num: $6}}
SPEC
}
resnet() {  # resnet NAME BACKEND A B: latency x bandwidth grid of the ResNet-50 workload, 16 NPUs
  cat >"$specs/$1.yaml" <<SPEC
network: $repo/configs/network/hgx_h100_16gpu.yml
system: $repo/configs/system/hgx_h100_16gpu__notrack_noroofline.json
workload: {file: $repo/configs/workload/Resnet50_DataParallel.txt}
backend: $2
limit: 1e13
axes:
  latency_ns: {linspace: {start: 100, stop: 2000, num: $3}}
  bandwidth_GBps: {logspace: {start: 50, stop: 900, num: $4}}
SPEC
}
ar='{collective: all_reduce, size_bytes: 1048576}'
if [ "$dry" = 1 ]; then  # rehearsal: every grid small, both sides on this CPU
  grid unaware_gpu "$ar" congestion_unaware 10 10 100; grid unaware_cpu "$ar" congestion_unaware 10 10 100
  resnet resnet_gpu congestion_unaware 4 5; resnet resnet_cpu congestion_unaware 4 5
  grid aware_gpu "$ar" congestion_aware 2 2 10; grid aware_cpu "$ar" congestion_aware 2 2 10
  resnet aware_resnet_gpu congestion_aware 1 2; resnet aware_resnet_cpu congestion_aware 1 2
else
  grid unaware_gpu "$ar" congestion_unaware 1000 1000 $((1000 * scale))
  grid unaware_cpu "$ar" congestion_unaware 100 100 1000
  resnet resnet_gpu congestion_unaware 2000 $((5000 * scale))
  resnet resnet_cpu congestion_unaware 200 500
  grid aware_gpu "$ar" congestion_aware 20 20 $((100 * scale))
  grid aware_cpu "$ar" congestion_aware 10 10 100
  resnet aware_resnet_gpu congestion_aware 10 $((20 * scale))
  resnet aware_resnet_cpu congestion_aware 4 5
fi

# rate BACKEND SPEC [run options...]: prints the points/s of `run` (its summary line); its whole
# output goes to $out/run<N>.<spec>.<backend>.txt
rate() {
  local backend=$1 spec=$2; shift 2
  local threads=()
  [ "$backend" = cpu ] && threads=(--threads "$cpu_threads")
  local file
  file=$out/run$(ls "$out" | grep -c '^run').$spec.$backend.txt
  timeout 200 "$bin/astra-sweep" run "$specs/$spec.yaml" --backend "$backend" "${threads[@]}" --no-progress "$@" \
    >"$file" 2>&1
  local r
  r=$(sed -n 's/^run: .*(\([0-9.e+]*\) points\/s).*/\1/p' "$file" | tail -1)
  if [ -z "$r" ]; then echo "FAIL: run $spec on $backend (see $file)" | tee -a "$fail_file" >&2; r=0; fi
  echo "$r"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else printf "n/a" }'; }
row() {  # row LABEL GPU_RATE CPU_RATE TARGET
  printf '| %s | %.4g | %.4g | %sx | %s |\n' "$1" "$2" "$3" "$(ratio "$2" "$3")" "$4"
}
echo "| work | $gpu points/s | cpu points/s | ratio | target |"
echo "|---|---|---|---|---|"
g=$(rate "$gpu" unaware_gpu --summary-only); c=$(rate cpu unaware_cpu --summary-only)
row "unaware 8-GPU all-reduce grid, --summary-only" "$g" "$c" ">= 2e9 points/s, >= 60x"
summary_rate=$g
gk=$(rate "$gpu" unaware_gpu --top-k 20 --by busbw_GBps --out "$out/top20.csv")
row "same, --top-k 20 (vs --summary-only)" "$gk" "$summary_rate" "within 2x"
gh=$(rate "$gpu" unaware_gpu --summary-only --histogram busbw_GBps:40)
row "same, --histogram 40 bins, two passes (vs --summary-only)" "$gh" "$summary_rate" "within 2x"
g=$(rate "$gpu" resnet_gpu --summary-only); c=$(rate cpu resnet_cpu --summary-only)
row "ResNet-50 unaware, 16 NPUs, --summary-only" "$g" "$c" ">= 5e7 points/s, >= 25x"
g=$(rate "$gpu" aware_gpu --summary-only); c=$(rate cpu aware_cpu --summary-only)
row "congestion-aware 8-GPU all-reduce grid" "$g" "$c" ">= 1e6 points/s, >= 10x"
g=$(rate "$gpu" aware_resnet_gpu --summary-only); c=$(rate cpu aware_resnet_cpu --summary-only)
row "congestion-aware ResNet-50, 16 NPUs" "$g" "$c" "> 1x"
if [ "$(nvidia-smi -L 2>/dev/null | wc -l)" -gt 1 ]; then
  g1=$(rate "$gpu" unaware_gpu --summary-only); ga=$(rate "$gpu" unaware_gpu --summary-only --devices all)
  row "unaware grid, --devices all vs one GPU" "$ga" "$g1" "~ GPU count"
fi

stage "3. calibration and sensitivity on the engine (issue 16): $gpu vs cpu backends, same run"
# The same fit on both backends (every printed number but the search line), then the benches:
# 2 parameters x 256^2 x 30 sizes, 4 parameters x 16^4 / 64^4 x 31 sizes, Sobol 1e5 samples.
m=$repo/tests/cli/data/ring8_allreduce.csv
for b in cpu "$gpu"; do
  timeout 120 "$bin/astra-sweep" calibrate "$m" --network configs/network/HGX-H100-validated.yml \
    --system configs/system/HGX-H100-validated.json --param latency_ns=100:3000:log --param bandwidth_GBps=50:900:log \
    --param active_chunks=1:4 --backend "$b" --no-plots >"$out/calibrate.$b.txt" 2>&1
done
check "calibrate: $gpu fit == cpu fit" diff <(grep -v '^search:' "$out/calibrate.cpu.txt") <(grep -v '^search:' "$out/calibrate.$gpu.txt")
grep '^search:' "$out/calibrate.cpu.txt" "$out/calibrate.$gpu.txt" || true
check "calibration + sensitivity benchmarks" timeout 240 "$bin/astra_bench" --benchmark_filter='FitGrid|Sobol'

stage "resource usage of the kernels (what ptxas promised)"
if command -v cuobjdump >/dev/null; then cuobjdump --dump-resource-usage "$bin/astra-sweep" 2>/dev/null | grep -E "Function|REG" | head -40; fi

failures=$((failures + $(grep -c . "$fail_file")))
stage "done: $failures failure(s); log: $log"
exit $((failures > 0))
