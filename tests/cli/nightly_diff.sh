#!/usr/bin/env bash
# `astra-sweep diff`: identical runs exit 0 (CSV, JSONL, SQLite[:id], .npy.d, across formats); an injected
# regression (one row's metric edited) is found, named and exits 1; a change within the
# tolerance is not; bad input exits 2.
# Usage: bash nightly_diff.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"
spec=$repo/tests/cli/data/nightly_small.yaml

for ext in csv jsonl sqlite npy.d; do
  "$bin" run "$spec" --backend cpu --out "$tmp/a.$ext" > /dev/null 2>&1 || fail "run a.$ext"
  "$bin" run "$spec" --backend cpu --out "$tmp/b.$ext" > /dev/null 2>&1 || fail "run b.$ext"
done
expect() {  # expect <exit code> <args...>
  local want=$1; shift
  "$bin" diff "$@" > "$tmp/diff.out" 2> "$tmp/diff.err"
  local rc=$?
  [ $rc = "$want" ] || fail "diff $* exited $rc, wanted $want: $(cat "$tmp/diff.out" "$tmp/diff.err")"
}
expect 0 "$tmp/a.csv" "$tmp/b.csv"
grep -q "No regressions" "$tmp/diff.out" || fail "no 'No regressions': $(cat "$tmp/diff.out")"
expect 0 "$tmp/a.jsonl" "$tmp/b.jsonl"
expect 0 "$tmp/a.sqlite" "$tmp/b.sqlite"
expect 0 "$tmp/a.csv" "$tmp/b.sqlite:1"
expect 0 "$tmp/a.jsonl" "$tmp/a.csv"
expect 0 "$tmp/a.npy.d" "$tmp/b.csv"  # the columns read back as the CSV's cells
expect 0 "$tmp/a.csv" "$tmp/b.npy.d/"
cp -r "$tmp/a.npy.d" "$tmp/cut.npy.d" && truncate -s -8 "$tmp/cut.npy.d/point_index.npy"
expect 2 "$tmp/cut.npy.d" "$tmp/a.csv"
grep -q "point_index.npy: size does not match its header" "$tmp/diff.err" || fail "cut .npy message: $(cat "$tmp/diff.err")"

# Inject a regression: point 17's collective time +5% (a slower point).
col=$(head -n 1 "$tmp/a.csv" | tr ',' '\n' | grep -n '^collective_time_ns$' | cut -d: -f1)
[ -n "$col" ] || fail "no collective_time_ns column"
awk -F, -v OFS=, -v c="$col" 'NR > 1 && $1 == 17 { $c = $c * 1.05 } { print }' "$tmp/a.csv" > "$tmp/slow.csv"
cmp -s "$tmp/a.csv" "$tmp/slow.csv" && fail "the edit changed nothing"
expect 1 "$tmp/a.csv" "$tmp/slow.csv"
grep -q "Regressions found" "$tmp/diff.out" || fail "no 'Regressions found'"
grep -q "^| 17 | collective_time_ns | .* | worse |$" "$tmp/diff.out" || fail "point 17 not listed: $(cat "$tmp/diff.out")"
grep -q "1 changed (1 worse" "$tmp/diff.out" || fail "counts: $(grep changed "$tmp/diff.out")"
grep -q "^| npus_count | " "$tmp/diff.out" || fail "no per-axis summary"
# the same edit within a 10% tolerance is no regression
expect 0 "$tmp/a.csv" "$tmp/slow.csv" --tolerance 0.1
# a regression in the SQLite store (another run in the same file, by run id)
"$bin" run "$spec" --backend cpu --out "$tmp/b.sqlite" > /dev/null 2>&1 || fail "second run into b.sqlite"
sqlite3 "$tmp/b.sqlite" "update results set collective_time_ns = collective_time_ns * 2 where run_id = 2 and point_index = 3" 2> /dev/null \
  || { command -v sqlite3 > /dev/null && fail "sqlite3 update"; }
if command -v sqlite3 > /dev/null; then
  expect 1 "$tmp/b.sqlite:1" "$tmp/b.sqlite:2"
  grep -q "^| 3 | collective_time_ns | " "$tmp/diff.out" || fail "sqlite point 3 not listed"
  expect 0 "$tmp/b.sqlite:1" "$tmp/a.sqlite"
fi
# a missing point is a regression too
grep -v '^17,' "$tmp/a.csv" > "$tmp/missing.csv"
expect 1 "$tmp/a.csv" "$tmp/missing.csv"
grep -q "1 only in $tmp/a.csv" "$tmp/diff.out" || fail "missing point not counted: $(head -n 3 "$tmp/diff.out")"

# Bad input: exit 2 with one line.
expect 2 "$tmp/a.csv" "$tmp/nope.csv"
grep -q "^error: $tmp/nope.csv: cannot open" "$tmp/diff.err" || fail "message: $(cat "$tmp/diff.err")"
expect 2 "$tmp/a.sqlite:9" "$tmp/a.csv"
echo "garbage" > "$tmp/bad.jsonl"
expect 2 "$tmp/bad.jsonl" "$tmp/a.csv"
sed 's/^\([0-9]*\),4,/\1,5,/' "$tmp/a.csv" > "$tmp/other_sweep.csv"
expect 2 "$tmp/a.csv" "$tmp/other_sweep.csv"
grep -q "different sweeps" "$tmp/diff.err" || fail "other sweep message: $(cat "$tmp/diff.err")"
echo "nightly_diff: ok"
