#!/usr/bin/env bash
# End to end: `astra-sweep calibrate` on the published 8x H100 ring all-reduce (as printed by
# nccl-tests) writes its outputs and ends with the exact summary line; bad input exits 2 with a
# line number; `astra-sweep sensitivity` writes its table.
set -euo pipefail
source "$(dirname "$0")/support/preamble.sh" "$@"
need_shared measured/raw
out=$tmp

"$bin" calibrate "$shared/measured/raw/together_H100_20260305_220043_all_reduce_ring.out" \
  --network "$repo/configs/network/HGX-H100-validated.yml" --system "$repo/configs/system/HGX-H100-validated.json" \
  --param latency_ns=100:3000:log --param bandwidth_GBps=50:900:log --grid 64 --out "$out/cal" --no-plots >"$out/log"
last=$(tail -n 1 "$out/log")
echo "$last"
[[ "$last" =~ ^calibration:\ geomean_ape_fit=[0-9.]+%\ geomean_ape_holdout=[0-9.]+%\ latency_ns=[0-9.e+]+\ bandwidth_GBps=[0-9.e+]+$ ]] \
  || { echo "bad last line: $last"; exit 1; }
for f in calibration.csv network.yml system.json heatmap.dat; do [ -s "$out/cal/$f" ] || { echo "missing $f"; exit 1; }; done
[ "$(head -n 1 "$out/cal/calibration.csv")" = "size_bytes,measured_time_us,predicted_time_us,ape,split,regime" ]
[ "$(grep -c ',holdout,' "$out/cal/calibration.csv")" = 15 ]
# The fitted configs are valid ASTRA-sim inputs: calibrating again from them starts at the fit.
"$bin" calibrate "$shared/measured/together_h100x8_all_reduce_ring.csv" --network "$out/cal/network.yml" \
  --system "$out/cal/system.json" --param latency_ns=100:3000:log --grid 8 --no-plots >/dev/null

# Bad input: exit 2 and a message naming the file and the line.
printf '# Collective test starting: all_reduce_perf\n#  size  count  type  redop  root  time  algbw  busbw  #wrong  time  algbw  busbw  #wrong\n  8  2  float  sum  -1  1.0  0  0  0  1.0  0  0  0\n  16  4  float  sum  -1  zz  0  0  0  1.0  0  0  0\n' >"$out/bad.txt"
set +e
"$bin" calibrate "$out/bad.txt" --network "$repo/configs/network/HGX-H100-validated.yml" \
  --system "$repo/configs/system/HGX-H100-validated.json" --param latency_ns=100:3000:log 2>"$out/err"
rc=$?
set -e
[ $rc = 2 ] || { echo "expected exit 2, got $rc"; exit 1; }
grep -q "bad.txt: line 4: time 'zz' is not a number" "$out/err" || { cat "$out/err"; exit 1; }

"$bin" sensitivity "$repo/sweeps/sensitivity_hgx_h100_allreduce.yml" --method morris --trajectories 4 \
  --out "$out/sens" --no-plots >"$out/slog"
tail -n 1 "$out/slog" | grep -q '^sensitivity: method=morris metric=collective_time_ns latency_ns.mu_star='
[ -s "$out/sens/sensitivity_morris.csv" ]
echo ok
