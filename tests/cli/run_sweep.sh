#!/usr/bin/env bash
# End to end: `astra-sweep run` on small specs: rows, output formats, the summary's last line,
# backends agreeing, and errors (exit 2, one line naming file, field and reason).
# Usage: bash run_sweep.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"

# the 8-NPU ring all-reduce of tests/cli/data/ring8_all_reduce_base.yaml, with axes
{ echo 'name: cli-test'; cat "$repo/tests/cli/data/ring8_all_reduce_base.yaml"; cat <<'YAML'
axes:
  npus: [4, 6, 8]
  all-reduce-implementation: [ring, halvingDoubling]
  size_bytes: {powers_of_two: [1024, 1048576]}
  latency_ns: {linspace: {start: 100, stop: 1000, num: 4}}
where: "npus * size_bytes <= 4194304"
YAML
} > "$tmp/spec.yaml"

# 3 x 2 x 11 x 4 = 264 points; where drops npus 6/8 with the largest sizes.
"$bin" run "$tmp/spec.yaml" --backend cpu --out "$tmp/out.csv" > "$tmp/stdout" 2> "$tmp/stderr" || fail "run exited $?: $(cat "$tmp/stderr")"
last=$(tail -n 1 "$tmp/stdout")
[[ "$last" =~ ^run:\ 264\ points\ in\ [0-9.]+\ s\ \([0-9]+\ points/s\),\ backend=cpu,\ device=.+$ ]] || fail "last line: $last"
rows=$(($(wc -l < "$tmp/out.csv") - 1))
expected=$(awk 'BEGIN{n=0; split("4 6 8",p," "); for(i=1;i<=3;i++) for(a=0;a<2;a++) for(e=10;e<=20;e++) for(l=0;l<4;l++) if (p[i]*2^e <= 4194304) n++; print n}')
[ "$rows" = "$expected" ] || fail "rows $rows, expected $expected"
grep -q "$((264 - expected)) dropped by where" "$tmp/stdout" || fail "dropped count: $(cat "$tmp/stdout")"
head -n 1 "$tmp/out.csv" | grep -q '^point_index,npus_count,all_reduce_implementation,size_bytes,latency_ns,status,collective_time_ns,algbw_GBps,busbw_GBps,nonphysical,evaluated_by,reason$' \
  || fail "header: $(head -n 1 "$tmp/out.csv")"
grep -q ',6,halvingDoubling,.*,rejected,.*power-of-two' "$tmp/out.csv" || fail "no rejected halvingDoubling row with its reason"
awk -F, 'NR>1 { if ($1 <= prev) exit 1; prev = $1 }' prev=-1 "$tmp/out.csv" || fail "rows not in point order"

# Same rows from the device path on the CPU (when built), and as CSV on stdout.
if "$bin" run "$tmp/spec.yaml" --backend thrust-omp --out "$tmp/omp.csv" > /dev/null 2> "$tmp/stderr"; then
  cmp -s "$tmp/out.csv" "$tmp/omp.csv" || fail "thrust-omp rows differ from cpu"
elif ! grep -q "no thrust-omp backend" "$tmp/stderr"; then
  fail "thrust-omp: $(cat "$tmp/stderr")"
fi
"$bin" run "$tmp/spec.yaml" --backend cpu > "$tmp/stdout.csv" 2> "$tmp/stderr" || fail "stdout run"
cmp -s "$tmp/out.csv" "$tmp/stdout.csv" || fail "CSV on stdout differs from --out"
tail -n 1 "$tmp/stderr" | grep -q '^run: 264 points' || fail "summary not on stderr with CSV on stdout"

# JSON Lines and SQLite hold the same number of rows.
"$bin" run "$tmp/spec.yaml" --backend cpu --out "$tmp/out.jsonl" > /dev/null || fail "jsonl run"
[ "$(wc -l < "$tmp/out.jsonl")" = "$expected" ] || fail "jsonl rows"
head -n 1 "$tmp/out.jsonl" | grep -q '^{"point_index":0,"npus_count":4,"all_reduce_implementation":"ring","size_bytes":1024,"latency_ns":100,"status":"ok"' \
  || fail "jsonl row: $(head -n 1 "$tmp/out.jsonl")"
"$bin" run "$tmp/spec.yaml" --backend cpu --out "$tmp/out.sqlite" > /dev/null || fail "sqlite run"
if command -v sqlite3 > /dev/null; then
  [ "$(sqlite3 "$tmp/out.sqlite" 'select count(*) from results')" = "$expected" ] || fail "sqlite rows"
fi

# Top-k: K rows, best busbw first.
"$bin" run "$tmp/spec.yaml" --backend cpu --top-k 3 --by busbw_GBps --columns point_index,busbw_GBps --out "$tmp/top.csv" > /dev/null || fail "top-k run"
[ "$(wc -l < "$tmp/top.csv")" = 4 ] || fail "top-k rows: $(cat "$tmp/top.csv")"
best=$(awk -F, 'NR>1 && $9 != "" { if ($9 > m) m = $9 } END { print m }' "$tmp/out.csv")
[ "$(sed -n 2p "$tmp/top.csv" | cut -d, -f2)" = "$best" ] || fail "top-k best $(sed -n 2p "$tmp/top.csv") vs $best"

# Errors: exit 2, one line `error: file: field: reason`, no output file left behind.
expect_error() {  # expect_error <grep pattern> <args...>
  local pattern=$1; shift
  "$bin" "$@" > "$tmp/err.out" 2> "$tmp/err.txt"
  local rc=$?
  [ $rc = 2 ] || fail "exit $rc (wanted 2) for $*: $(cat "$tmp/err.txt")"
  [ "$(wc -l < "$tmp/err.txt")" = 1 ] || fail "not one line: $(cat "$tmp/err.txt")"
  grep -q -- "$pattern" "$tmp/err.txt" || fail "message for $*: $(cat "$tmp/err.txt")"
}
expect_error "error: $tmp/spec.yaml: axes: the design has 264 points, more than the limit of 100" run "$tmp/spec.yaml" --limit 100 --out "$tmp/limited.csv"
[ ! -e "$tmp/limited.csv" ] || fail "output written despite the error"
sed 's/latency_ns: {linspace/latency_us: {linspace/' "$tmp/spec.yaml" > "$tmp/bad_field.yaml"
expect_error "bad_field.yaml: latency_us: unknown field" run "$tmp/bad_field.yaml"
sed 's/num: 4/num: 0/' "$tmp/spec.yaml" > "$tmp/bad_range.yaml"
expect_error "bad_range.yaml: axes.latency_ns.linspace.num: num must be a positive integer" run "$tmp/bad_range.yaml"
sed 's/^where: .*/where: "npus > 100"/' "$tmp/spec.yaml" > "$tmp/all_removed.yaml"
expect_error "where: the constraints remove every one of the 264 points" run "$tmp/all_removed.yaml"
sed 's/^where: .*/where: "npus >"/' "$tmp/spec.yaml" > "$tmp/bad_where.yaml"
expect_error "where\[0\]: column 7: expected a value" run "$tmp/bad_where.yaml"
expect_error "cannot open" run "$tmp/missing.yaml"
expect_error "unknown output format" run "$tmp/spec.yaml" --out "$tmp/out.parquet"
expect_error "--by: nope: not a metric" run "$tmp/spec.yaml" --top-k 2 --by nope
echo "run_sweep: ok"
