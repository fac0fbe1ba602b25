#!/usr/bin/env bash
# --shard K/N: the shards' rows, concatenated in shard order, equal the unsharded run row for
# row (CSV and JSON Lines; N = 1, 3, 7; the unit test covers more shards than points); the same spec gives
# byte-identical files on every run; bad --shard values are errors (exit 2).
# Usage: bash nightly_shard.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"
spec=$repo/tests/cli/data/nightly_small.yaml

"$bin" run "$spec" --backend cpu --out "$tmp/all.csv" > /dev/null 2> "$tmp/err" || fail "unsharded run: $(cat "$tmp/err")"
"$bin" run "$spec" --backend cpu --out "$tmp/again.csv" > /dev/null 2>&1 || fail "second run"
cmp "$tmp/all.csv" "$tmp/again.csv" || fail "two runs of the same spec differ"
[ "$(wc -l < "$tmp/all.csv")" -gt 100 ] || fail "too few rows: $(wc -l < "$tmp/all.csv")"
[ ! -e "$tmp/all.csv.parts" ] || fail "parts folder left behind"

for n in 1 3 7; do
  for ((k = 0; k < n; k++)); do
    "$bin" run "$spec" --backend cpu --shard "$k/$n" --out "$tmp/s$k.csv" > /dev/null 2> "$tmp/err" \
      || fail "shard $k/$n: $(cat "$tmp/err")"
  done
  { head -n 1 "$tmp/s0.csv"; for ((k = 0; k < n; k++)); do tail -n +2 "$tmp/s$k.csv"; done; } > "$tmp/joined.csv"
  cmp "$tmp/all.csv" "$tmp/joined.csv" || fail "$n shards joined differ from the unsharded run"
  # sorted by point index (the first column) gives the same table too
  { head -n 1 "$tmp/s0.csv"; for ((k = n - 1; k >= 0; k--)); do tail -n +2 "$tmp/s$k.csv"; done | sort -t, -k1,1n; } > "$tmp/sorted.csv"
  cmp "$tmp/all.csv" "$tmp/sorted.csv" || fail "$n shards sorted differ"
  rm -f "$tmp"/s*.csv
done

"$bin" run "$spec" --backend cpu --out "$tmp/all.jsonl" > /dev/null 2>&1 || fail "jsonl run"
"$bin" run "$spec" --backend cpu --threads 1 --out "$tmp/again.jsonl" > /dev/null 2>&1 || fail "jsonl rerun"
cmp "$tmp/all.jsonl" "$tmp/again.jsonl" || fail "two jsonl runs differ"

# A seeded random design: the same seed gives the same file, sharded or not.
sed 's/^axes:/axes:\n  random: {n: 300, seed: 11, axes: {bandwidth_GBps: {min: 10, max: 900, log: true}, endpoint-delay: {min: 1, max: 100}}}/' "$spec" > "$tmp/random.yaml"
"$bin" run "$tmp/random.yaml" --backend cpu --out "$tmp/r1.csv" > /dev/null 2> "$tmp/err" || fail "random run: $(cat "$tmp/err")"
"$bin" run "$tmp/random.yaml" --backend cpu --threads 1 --out "$tmp/r2.csv" > /dev/null 2>&1 || fail "random rerun"
cmp "$tmp/r1.csv" "$tmp/r2.csv" || fail "two runs of a seeded random design differ"
"$bin" run "$tmp/random.yaml" --backend cpu --shard 0/2 --out "$tmp/r_0.csv" > /dev/null 2>&1 || fail "random shard 0"
"$bin" run "$tmp/random.yaml" --backend cpu --shard 1/2 --out "$tmp/r_1.csv" > /dev/null 2>&1 || fail "random shard 1"
{ cat "$tmp/r_0.csv"; tail -n +2 "$tmp/r_1.csv"; } | cmp - "$tmp/r1.csv" || fail "random shards differ"
for k in 0 1; do
  "$bin" run "$spec" --backend cpu --shard "$k/2" --out "$tmp/j$k.jsonl" > /dev/null 2>&1 || fail "jsonl shard $k"
done
cat "$tmp/j0.jsonl" "$tmp/j1.jsonl" | cmp - "$tmp/all.jsonl" || fail "jsonl shards differ"
[ -s "$tmp/j0.jsonl" ] && [ -s "$tmp/j1.jsonl" ] || fail "an empty jsonl shard"

# The two shards' point ranges are contiguous blocks: shard 0 ends where shard 1 starts.
last0=$(tail -n 1 "$tmp/j0.jsonl" | sed 's/^{"point_index":\([0-9]*\),.*/\1/')
first1=$(head -n 1 "$tmp/j1.jsonl" | sed 's/^{"point_index":\([0-9]*\),.*/\1/')
[ "$last0" -lt "$first1" ] && [ "$first1" -le 132 ] && [ "$last0" -lt 132 ] || fail "shard blocks: $last0 / $first1"

for bad in 2/2 3 a/b 1/0 /2 1/2/3; do
  "$bin" run "$spec" --shard "$bad" --out "$tmp/bad.csv" > /dev/null 2> "$tmp/err"
  rc=$?
  [ $rc = 2 ] || fail "--shard $bad exited $rc"
  grep -q "^error: --shard: $bad: " "$tmp/err" || fail "--shard $bad message: $(cat "$tmp/err")"
done
echo "nightly_shard: ok"
