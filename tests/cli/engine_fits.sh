#!/usr/bin/env bash
# End to end: `calibrate` and `sensitivity` on the sweep engine's backends. The same fit (every
# printed number, the fitted configs, calibration.csv) and the same indices come out of cpu,
# thrust-omp, thrust-omp on 3 stand-in devices and 3 MPI ranks; the search line names the
# backend; joint fits report every table; a bad --backend / --devices / --regimes is refused
# with exit 2.
# Usage: bash engine_fits.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"
measured=$repo/tests/cli/data/ring8_allreduce.csv
net=$repo/configs/network/HGX-H100-validated.yml
sys=$repo/configs/system/HGX-H100-validated.json
sens=$repo/sweeps/sensitivity_hgx_h100_allreduce.yml

calibrate() {  # calibrate NAME ARGS...: fit into $tmp/NAME, log in $tmp/NAME.txt
  local name=$1; shift
  "$bin" calibrate "$measured" --network "$net" --system "$sys" --param latency_ns=100:3000:log \
    --param bandwidth_GBps=50:900:log --param active_chunks=1:4 --grid 24 --regimes 2 --out "$tmp/$name" --no-plots \
    "$@" > "$tmp/$name.txt" 2> "$tmp/$name.err" || fail "calibrate $*: $(cat "$tmp/$name.err")"
}
calibrate cpu --backend cpu
grep -q "^search: .* on cpu (" "$tmp/cpu.txt" || fail "search line does not name the backend: $(grep '^search' "$tmp/cpu.txt")"
same_fit() {  # same_fit NAME: every line but the search timing, and every written file, equal cpu's
  diff <(grep -v '^search:\|^wrote:' "$tmp/cpu.txt") <(grep -v '^search:\|^wrote:' "$tmp/$1.txt") > /dev/null ||
    fail "$1 fits differently: $(diff <(grep -v '^search:\|^wrote:' "$tmp/cpu.txt") <(grep -v '^search:\|^wrote:' "$tmp/$1.txt") | head -5)"
  for f in calibration.csv network_regime1.yml system_regime2.json heatmap.dat; do
    cmp -s "$tmp/cpu/$f" "$tmp/$1/$f" || fail "$1: $f differs from cpu's"
  done
}
if "$bin" run "$repo/sweeps/mixed_backends_check.yaml" --backend thrust-omp --summary-only --no-progress 2>&1 |
    grep -q "no thrust-omp backend"; then
  echo "skip: this build has no thrust-omp backend (the cpu checks ran)"
else
  calibrate omp --backend thrust-omp
  grep -q "^search: .* on thrust-omp (" "$tmp/omp.txt" || fail "thrust-omp search line: $(grep '^search' "$tmp/omp.txt")"
  same_fit omp
  calibrate omp3 --backend thrust-omp --devices 3
  same_fit omp3

  for method in sobol morris oat; do
    "$bin" sensitivity "$sens" --method $method --samples 300 --bootstrap 40 --trajectories 6 --backend cpu \
      > "$tmp/s_cpu.txt" 2>&1 || fail "sensitivity $method cpu: $(cat "$tmp/s_cpu.txt")"
    "$bin" sensitivity "$sens" --method $method --samples 300 --bootstrap 40 --trajectories 6 --backend thrust-omp \
      --devices 2 > "$tmp/s_omp.txt" 2>&1 || fail "sensitivity $method thrust-omp: $(cat "$tmp/s_omp.txt")"
    grep -q "on thrust-omp (2 x " "$tmp/s_omp.txt" || fail "sensitivity does not name the devices: $(head -n 1 "$tmp/s_omp.txt")"
    diff <(tail -n +2 "$tmp/s_cpu.txt") <(tail -n +2 "$tmp/s_omp.txt") > /dev/null ||
      fail "sensitivity $method differs: $(diff "$tmp/s_cpu.txt" "$tmp/s_omp.txt" | head -6)"
  done
fi

# A joint fit of two tables: one parameter set, each table's errors, the collective per row.
"$bin" calibrate "$measured" "$repo/tests/cli/data/ring8_allgather.csv" --network "$net" --system "$sys" \
  --param latency_ns=100:3000:log --param bandwidth_GBps=50:900:log --grid 32 --backend cpu --out "$tmp/joint" \
  --no-plots > "$tmp/joint.txt" 2>&1 || fail "joint fit: $(cat "$tmp/joint.txt")"
grep -q '^table 2 (.*ring8_allgather.csv, all_gather):' "$tmp/joint.txt" || fail "no per-table errors: $(cat "$tmp/joint.txt")"
[ "$(head -n 1 "$tmp/joint/calibration.csv")" = "size_bytes,measured_time_us,predicted_time_us,ape,split,regime,collective" ] ||
  fail "joint calibration.csv header: $(head -n 1 "$tmp/joint/calibration.csv")"
[ "$(grep -c ',all_gather$' "$tmp/joint/calibration.csv")" = 18 ] || fail "all_gather rows missing"
tail -n 1 "$tmp/joint.txt" | grep -q '^calibration: geomean_ape_fit=' || fail "joint last line: $(tail -n 1 "$tmp/joint.txt")"

# --mpi: three ranks share the grid; rank 0 prints the single process's fit and writes its files.
if command -v mpirun > /dev/null && ! "$bin" calibrate "$measured" --network "$net" --system "$sys" \
     --param latency_ns=100:3000:log --grid 4 --backend cpu --mpi 2>&1 | grep -q "this build has no MPI"; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_plm=isolated
  export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_rmaps_base_oversubscribe=1
  calibrate one --backend cpu --threads 1
  timeout 120 mpirun --oversubscribe --allow-run-as-root -np 3 "$bin" calibrate "$measured" --network "$net" \
    --system "$sys" --param latency_ns=100:3000:log --param bandwidth_GBps=50:900:log --param active_chunks=1:4 \
    --grid 24 --regimes 2 --out "$tmp/mpi" --no-plots --backend cpu --threads 1 --mpi > "$tmp/mpi.txt" 2> "$tmp/mpi.err" ||
    fail "mpirun calibrate: $(cat "$tmp/mpi.err")"
  [ "$(grep -c '^calibration:' "$tmp/mpi.txt")" = 1 ] || fail "more than rank 0 printed: $(cat "$tmp/mpi.txt")"
  cp "$tmp/one.txt" "$tmp/cpu.txt"; rm -rf "$tmp/cpu"; cp -r "$tmp/one" "$tmp/cpu"
  same_fit mpi
  "$bin" sensitivity "$sens" --method sobol --samples 400 --bootstrap 30 --backend cpu --threads 1 > "$tmp/s1.txt" 2>&1 ||
    fail "sensitivity: $(cat "$tmp/s1.txt")"
  timeout 120 mpirun --oversubscribe --allow-run-as-root -np 3 "$bin" sensitivity "$sens" --method sobol --samples 400 \
    --bootstrap 30 --backend cpu --threads 1 --mpi > "$tmp/s3.txt" 2> "$tmp/s3.err" || fail "mpirun sensitivity: $(cat "$tmp/s3.err")"
  diff <(tail -n +2 "$tmp/s1.txt") <(tail -n +2 "$tmp/s3.txt") > /dev/null ||
    fail "sensitivity --mpi differs: $(diff "$tmp/s1.txt" "$tmp/s3.txt" | head -5)"
else
  echo "skip: no mpirun or no MPI in this build (the --mpi check did not run)"
fi

refused() {  # refused WANT ARGS...
  local want=$1; shift
  "$bin" "$@" > "$tmp/out.txt" 2> "$tmp/err.txt"
  local code=$?
  [ "$code" = 2 ] || fail "$* exited $code, not 2: $(cat "$tmp/err.txt")"
  grep -q -e "$want" "$tmp/err.txt" || fail "$*: error does not say '$want': $(cat "$tmp/err.txt")"
}
refused "--backend" calibrate "$measured" --network "$net" --system "$sys" --param latency_ns=1:2 --backend gpu
refused "^error: --devices: " calibrate "$measured" --network "$net" --system "$sys" --param latency_ns=1:2 --backend cpu --devices 4
refused "^error: --devices: " sensitivity "$sens" --backend cpu --devices 0,1
refused "^error: --regimes: .*single measured table" calibrate "$measured" "$repo/tests/cli/data/ring8_allgather.csv" \
  --network "$net" --system "$sys" --param latency_ns=100:3000:log --regimes 2 --backend cpu
echo ok
