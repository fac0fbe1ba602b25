#!/usr/bin/env bash
# End to end: `astra-sweep run --summary-only` and `--histogram METRIC[:BINS] --histogram-out`:
# the histogram lines come before the final `run:` line, its CSV has units in the column names,
# counts add up to the ok points and match binning every written row by hand, and cpu and
# thrust-omp print the same summary. Usage: bash run_reductions.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"

# the 8-NPU ring all-reduce of tests/cli/data/ring8_all_reduce_base.yaml, with axes
{ cat "$repo/tests/cli/data/ring8_all_reduce_base.yaml"; cat <<'YAML'
axes:
  npus: [4, 6, 8]
  all-reduce-implementation: [ring, halvingDoubling]
  size_bytes: {powers_of_two: [1024, 1048576]}
  latency_ns: {linspace: {start: 100, stop: 1000, num: 4}}
  backend: [congestion_unaware, congestion_aware]
where: "npus * size_bytes <= 4194304 and (backend == 'congestion_unaware' or size_bytes <= 4096)"
YAML
} > "$tmp/spec.yaml"

summary_run() {  # backend, output file
  "$bin" run "$tmp/spec.yaml" --backend "$1" --summary-only --histogram busbw_GBps:7 \
    --histogram-out "$tmp/hist_$1.csv" --no-progress > "$2" 2> "$tmp/stderr" || fail "$1 run exited $?: $(cat "$tmp/stderr")"
}
summary_run cpu "$tmp/cpu.txt"
last=$(tail -n 1 "$tmp/cpu.txt")
[[ "$last" =~ ^run:\ 528\ points\ in\ [0-9.]+\ s\ \([0-9]+\ points/s\),\ backend=cpu,\ device=.+$ ]] || fail "last line: $last"
grep -q ' 0 rows written' "$tmp/cpu.txt" || fail "summary-only wrote rows: $(cat "$tmp/cpu.txt")"
grep -q '^histogram of busbw_GBps: 7 bins over \[' "$tmp/cpu.txt" || fail "no histogram line: $(cat "$tmp/cpu.txt")"
[ "$(grep -c '^  \[' "$tmp/cpu.txt")" = 7 ] || fail "not 7 bin lines: $(cat "$tmp/cpu.txt")"
head -n 1 "$tmp/hist_cpu.csv" | grep -q '^bin_low_GBps,bin_high_GBps,count$' || fail "CSV header: $(head -n 1 "$tmp/hist_cpu.csv")"
[ "$(wc -l < "$tmp/hist_cpu.csv")" = 8 ] || fail "CSV rows: $(cat "$tmp/hist_cpu.csv")"
ok=$(sed -n 's/^status: \([0-9]*\) ok.*/\1/p' "$tmp/cpu.txt")
binned=$(awk -F, 'NR>1 { n += $3 } END { print n }' "$tmp/hist_cpu.csv")
[ -n "$ok" ] && [ "$ok" -gt 0 ] && [ "$binned" = "$ok" ] || fail "histogram counts $binned, ok points $ok"

# Every row written: bin busbw by hand with the edges in the summary (the metric's min and max).
"$bin" run "$tmp/spec.yaml" --backend cpu --out "$tmp/rows.csv" --histogram busbw_GBps:7 --no-progress > "$tmp/rows.txt" 2>&1 \
  || fail "row run: $(cat "$tmp/rows.txt")"
awk -F, 'NR==1 { for (i = 1; i <= NF; i++) if ($i == "busbw_GBps") c = i; next }
         $c != "" { v[NR] = $c + 0; if (n == 0 || $c + 0 < lo) lo = $c + 0; if (n == 0 || $c + 0 > hi) hi = $c + 0; n++ }
         END { for (r in v) { b = (v[r] > lo) ? int((v[r] - lo) / (hi - lo) * 7) : 0; if (b > 6) b = 6; cnt[b]++ }
               for (b = 0; b < 7; b++) print cnt[b] + 0 }' "$tmp/rows.csv" > "$tmp/by_hand"
awk -F, 'NR>1 { print $3 }' "$tmp/hist_cpu.csv" > "$tmp/by_run"
cmp -s "$tmp/by_hand" "$tmp/by_run" || fail "histogram $(paste -sd' ' "$tmp/by_run"), by hand $(paste -sd' ' "$tmp/by_hand")"
diff <(sed 1d "$tmp/cpu.txt" | grep -v '^run:') <(sed 1d "$tmp/rows.txt" | grep -v '^run:') > /dev/null \
  || fail "summary-only and row run differ: $(diff <(grep -v '^run:' "$tmp/cpu.txt") <(grep -v '^run:' "$tmp/rows.txt"))"

# thrust-omp (the device path's reductions on the CPU): the same summary.
if "$bin" run "$tmp/spec.yaml" --backend thrust-omp --summary-only --no-progress > /dev/null 2>&1; then
  summary_run thrust-omp "$tmp/omp.txt"
  # (which points go to the reference simulator may differ by backend; the results may not)
  same() { grep -v '^run:' "$1" | sed 's/; [0-9]* evaluated by the reference simulator//'; }
  diff <(same "$tmp/cpu.txt") <(same "$tmp/omp.txt") > /dev/null \
    || fail "cpu and thrust-omp summaries differ: $(diff "$tmp/cpu.txt" "$tmp/omp.txt")"
  cmp -s "$tmp/hist_cpu.csv" "$tmp/hist_thrust-omp.csv" || fail "histogram CSVs differ"
else
  echo "note: no thrust-omp backend in this build, cpu == thrust-omp not checked"
fi

# Bad input: exit 2, one error line.
expect_error() {  # expected text, arguments...
  local want=$1
  shift
  "$bin" run "$tmp/spec.yaml" --no-progress "$@" > "$tmp/err" 2>&1
  local rc=$?
  [ "$rc" = 2 ] || fail "$* exited $rc: $(cat "$tmp/err")"
  grep -q "^error: .*$want" "$tmp/err" || fail "$*: $(cat "$tmp/err")"
}
expect_error 'not a metric' --summary-only --histogram latency:5
expect_error 'BINS must be' --summary-only --histogram busbw_GBps:0
expect_error 'needs --histogram' --summary-only --histogram-out "$tmp/h.csv"
expect_error 'writes no rows' --summary-only --out "$tmp/x.csv"
echo "run_reductions: ok"
