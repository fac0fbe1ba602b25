#!/usr/bin/env bash
# The `nonphysical` column and count (docs/physical_bounds.md) through every row writer and
# reader: CSV, JSON Lines, SQLite, shards merged, the run summary, `report` and `diff` (a run
# without the column, e.g. last night's, still compares). ASTRA-sim's numbers are unchanged.
# Usage: bash nonphysical.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"

# Direct all-reduce on a 16-NPU switch: ASTRA-sim's busbw reaches 18,779 GB/s on 820 GB/s links.
cat > "$tmp/spec.yaml" <<YAML
name: nonphysical-check
network: $repo/configs/network/hgx_h100_8gpu.yml
system: $repo/configs/system/hgx_h100_8gpu__notrack_noroofline.json
workload: {collective: all_reduce, size_bytes: 1048576}
axes:
  bandwidth_GBps: [100, 820]
  size_bytes: [1024, 1073741824]
  npus: [2, 16]
  all-reduce-implementation: [ring, direct]
YAML

"$bin" run "$tmp/spec.yaml" --backend cpu --out "$tmp/out.csv" > "$tmp/stdout" || fail "csv run"
head -n 1 "$tmp/out.csv" | grep -q ',busbw_GBps,nonphysical,evaluated_by,reason$' || fail "header: $(head -n 1 "$tmp/out.csv")"
marked=$(awk -F, 'NR>1 && $10 == 1' "$tmp/out.csv" | wc -l)
[ "$marked" -gt 0 ] || fail "no point marked: $(cat "$tmp/out.csv")"
# Every marked row has busbw above bandwidth * 2^30 / 1e9 (one link per NPU on a switch), every other not.
awk -F, 'NR>1 { bound = $2 * 1073741824 / 1e9; if (($9 > bound) != ($10 == 1)) { print; exit 1 } }' "$tmp/out.csv" \
  || fail "flag disagrees with busbw vs the injection bound"
grep -q "^nonphysical: $marked of 16 ok points (column nonphysical=1): busbw above what the NPU's links can inject.*use congestion_aware" \
  "$tmp/stdout" || fail "summary: $(cat "$tmp/stdout")"
grep -q '^15,820,1073741824,16,direct,ok,113762,.*,17697.17[0-9]*,1,fast,$' "$tmp/out.csv" \
  || fail "direct all-reduce at 17,697 GB/s busbw on 820 GB/s links not marked: $(grep '^15,' "$tmp/out.csv")"

# The same flags as JSON Lines, SQLite, and from two shards merged.
"$bin" run "$tmp/spec.yaml" --backend cpu --out "$tmp/out.jsonl" > /dev/null || fail "jsonl run"
[ "$(grep -c '"nonphysical":1' "$tmp/out.jsonl")" = "$marked" ] || fail "jsonl flags"
"$bin" run "$tmp/spec.yaml" --backend cpu --out "$tmp/out.sqlite" > /dev/null || fail "sqlite run"
if command -v sqlite3 > /dev/null; then
  [ "$(sqlite3 "$tmp/out.sqlite" 'select count(*) from results where nonphysical = 1')" = "$marked" ] || fail "sqlite flags"
fi
"$bin" run "$tmp/spec.yaml" --backend cpu --shard 0/2 --out "$tmp/s0.csv" > /dev/null || fail "shard 0"
"$bin" run "$tmp/spec.yaml" --backend cpu --shard 1/2 --out "$tmp/s1.csv" > /dev/null || fail "shard 1"
{ cat "$tmp/s0.csv"; tail -n +2 "$tmp/s1.csv"; } | cmp -s - "$tmp/out.csv" || fail "shards joined differ from one run"

# Reduced runs count the same points.
"$bin" run "$tmp/spec.yaml" --backend cpu --summary-only > "$tmp/summary" || fail "summary-only"
grep -q "^nonphysical: $marked of 16 ok points" "$tmp/summary" || fail "summary-only count: $(cat "$tmp/summary")"

# report: a section with the count and the reason; diff: the flag is not an axis or a metric.
"$bin" report "$tmp/out.sqlite" --out "$tmp/report" > /dev/null 2>&1 || fail "report"
grep -q "^## Physical bounds" "$tmp/report/report.md" || fail "no Physical bounds section"
grep -q "^$marked of 16 points with a busbw are marked \`nonphysical=1\`" "$tmp/report/report.md" \
  || fail "report count: $(grep -A2 'Physical bounds' "$tmp/report/report.md")"
cut -d, -f1-9,11- "$tmp/out.csv" > "$tmp/old.csv"   # a run from before the column existed
"$bin" diff "$tmp/old.csv" "$tmp/out.csv" > "$tmp/diff.out" || fail "diff old vs new exited $?: $(cat "$tmp/diff.out")"
grep -q "No regressions" "$tmp/diff.out" || fail "diff: $(cat "$tmp/diff.out")"
# simulate: a lone collective says its busbw, the bound and, beyond it, why (congestion_aware stays below).
args=(--network "$repo/configs/network/hgx_h100_8gpu.yml" --system "$repo/configs/system/hgx_h100_8gpu__notrack_noroofline.json"
      --collective all_reduce --size-bytes 1073741824)
"$bin" simulate "${args[@]}" > "$tmp/sim.txt" || fail "simulate"
grep -q '^busbw_GBps: 706.245 (the NPU.s links inject at most 429.497 GB/s)$' "$tmp/sim.txt" || fail "simulate busbw: $(cat "$tmp/sim.txt")"
grep -q "^nonphysical: busbw above what the NPU's links can inject" "$tmp/sim.txt" || fail "simulate: no nonphysical line"
"$bin" simulate "${args[@]}" --backend congestion_aware > "$tmp/aware.txt" || fail "simulate aware"
! grep -q "^nonphysical" "$tmp/aware.txt" || fail "congestion_aware marked nonphysical: $(cat "$tmp/aware.txt")"
"$bin" simulate "${args[@]}" --json | grep -q '"injection_bw_GBps":429.4967296,"max_finish_ns":2660618,"nonphysical":true' \
  || fail "simulate --json: $("$bin" simulate "${args[@]}" --json)"
exit 0
