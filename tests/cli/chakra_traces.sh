#!/usr/bin/env bash
# Chakra traces on the command line: `convert` writes a text workload as PREFIX.<rank>.et,
# `simulate --workload PREFIX` (or the folder) answers exactly what the text file answers (both
# engines, with per-node rows under --per-layer), and bad traces give one `error: FILE: ...` line
# and exit code 2.
source "$(dirname "$0")/support/preamble.sh" "$@"
set -o pipefail
net="$repo/configs/network/hgx_h100_8gpu.yml"
sys="$repo/configs/system/hgx_h100_8gpu__notrack_noroofline.json"
wl="$repo/configs/workload/Resnet50_DataParallel.txt"

mkdir -p "$tmp/et"
"$bin" convert --workload "$wl" --npus 8 --out "$tmp/et/resnet" >/dev/null || fail "convert"
[ "$(ls "$tmp/et" | wc -l)" -eq 8 ] || fail "convert wrote $(ls "$tmp/et" | wc -l) files, wanted 8"
for engine in reference fast; do
  for backend in congestion_unaware congestion_aware; do
    a=$("$bin" simulate --network "$net" --system "$sys" --workload "$wl" --engine $engine --backend $backend --json 2>/dev/null) || fail "text $engine"
    b=$("$bin" simulate --network "$net" --system "$sys" --workload "$tmp/et/resnet" --engine $engine --backend $backend --json 2>/dev/null) || fail "et $engine"
    c=$("$bin" simulate --network "$net" --system "$sys" --workload "$tmp/et" --engine $engine --backend $backend --json 2>/dev/null) || fail "et dir $engine"
    [ "$a" = "$b" ] && [ "$a" = "$c" ] || fail "$engine $backend: traces answer differently from the text file: $a | $b"
    echo "$a" | grep -q '"status":"ok"' || fail "not ok: $a"
  done
done
# the golden ResNet-50 traces ASTRA-sim ran, if present
golden="$shared/golden/inputs/workload/resnet50_8npus"
if [ ! -d "$golden" ]; then
  echo "SKIP (part): ASTRA-sim's ResNet-50 traces: needs ../shared/golden/inputs/workload/resnet50_8npus"
else
  a=$("$bin" simulate --network "$net" --system "$sys" --workload "$wl" --json 2>/dev/null) || fail "text"
  b=$("$bin" simulate --network "$net" --system "$sys" --workload "$golden/Resnet50_DataParallel" --json 2>/dev/null) || fail "golden traces"
  [ "$a" = "$b" ] || fail "ASTRA-sim's own ResNet-50 traces answer differently from the text file: $a | $b"
fi
# per-node rows: one per trace node (215 for ResNet-50), compute adding up to the total
rows=$("$bin" simulate --network "$net" --system "$sys" --workload "$tmp/et/resnet" --per-layer --json 2>/dev/null |
  python3 -c 'import json,sys; j=json.load(sys.stdin); r=j["per_layer"]; print(len(r), sum(x["forward_compute_ns"] for x in r) == j["stats"]["compute_ns"][0], r[0]["layer"])')
[ "$rows" = "215 True COMP_NODE_conv1_FWD" ] || fail "per-node rows: $rows"

# sweeps: `workload: {et: PREFIX}` gives the rows of the same spec over the text file (cpu and
# thrust-omp when built), `verify` compares it with the reference, `run --per-layer` has per-node rows
spec() {  # <workload line>
  cat <<YAML
network: $net
system: $sys
workload: $1
backend: congestion_unaware
axes:
  latency_ns: [500, 936.25, 2000]
  bandwidth_GBps: [100, 400]
  preferred-dataset-splits: [1, 4]
  backend: [congestion_unaware, congestion_aware]
YAML
}
spec "{et: $tmp/et/resnet}" > "$tmp/et.yaml"
spec "{file: $wl}" > "$tmp/text.yaml"
for backend in cpu thrust-omp; do
  "$bin" run "$tmp/et.yaml" --backend $backend --out "$tmp/et_$backend.csv" >/dev/null 2>"$tmp/err" || {
    [ $backend = thrust-omp ] && grep -q "thrust-omp" "$tmp/err" && continue; fail "run et $backend: $(cat "$tmp/err")"; }
  "$bin" run "$tmp/text.yaml" --backend $backend --out "$tmp/text_$backend.csv" >/dev/null 2>&1 || fail "run text $backend"
  [ "$(wc -l < "$tmp/et_$backend.csv")" -eq 25 ] || fail "$backend: $(wc -l < "$tmp/et_$backend.csv") lines, wanted 24 rows + header"
  python3 - "$tmp/et_$backend.csv" "$tmp/text_$backend.csv" <<'PY' || fail "$backend: trace rows differ from text rows"
import csv, sys
a, b = (list(csv.DictReader(open(f))) for f in sys.argv[1:3])
assert len(a) == len(b) == 24
skip = {"wall_ms", "eval_ns", "evaluated_by_ms"}
for x, y in zip(a, b):
    for k in x:
        if "time_ms" in k or k in skip: continue
        assert x[k] == y[k], (k, x[k], y[k])
PY
done
"$bin" verify "$tmp/et.yaml" --samples 12 --seed 5 > "$tmp/out" 2>&1 || fail "verify et: $(cat "$tmp/out")"
tail -n 1 "$tmp/out" | grep -Eq "^verify: 12 points \(seed 5\): [0-9]+ compared.* 0 mismatches$" || fail "verify et: $(tail -n 1 "$tmp/out")"
"$bin" run "$tmp/et.yaml" --out "$tmp/et_rows.csv" --per-layer "$tmp/et_nodes.csv" >/dev/null 2>&1 || fail "run --per-layer on traces"
[ "$(wc -l < "$tmp/et_nodes.csv")" -eq $((24 * 215 + 1)) ] || fail "per-node rows: $(wc -l < "$tmp/et_nodes.csv")"
printf 'network: %s\nsystem: %s\nworkload: {et: %s}\naxes:\n  npus: [4, 8]\n' "$net" "$sys" "$tmp/et/resnet" > "$tmp/et_npus.yaml"

# bad traces: exit 2 and one line naming the file
expect_error() {  # <what> <needle> -- args...
  local what=$1 needle=$2; shift 3
  local out rc
  out=$("$bin" "$@" 2>&1 >/dev/null); rc=$?
  [ $rc -eq 2 ] || fail "$what: exit $rc, wanted 2: $out"
  [ "$(printf '%s\n' "$out" | grep -c '^error: ')" -eq 1 ] || fail "$what: not one error line: $out"
  printf '%s' "$out" | grep -qF -- "$needle" || fail "$what: '$needle' not in: $out"
  echo "ok: $what -> $out"
}
SIM=(simulate --network "$net" --system "$sys")
mkdir -p "$tmp/bad"
cp "$tmp/et/"resnet.*.et "$tmp/bad/"
head -c 5000 "$tmp/et/resnet.3.et" > "$tmp/bad/resnet.3.et"
expect_error "truncated rank" "error: $tmp/bad/resnet.3.et: byte " -- "${SIM[@]}" --workload "$tmp/bad/resnet"
rm "$tmp/bad/resnet.3.et"
expect_error "missing rank" "error: $tmp/bad/resnet.3.et: missing" -- "${SIM[@]}" --workload "$tmp/bad/resnet"
mv "$tmp/bad/resnet.0.et" "$tmp/resnet.0.et.away"
expect_error "missing rank 0" "error: $tmp/bad/resnet.0.et: missing" -- "${SIM[@]}" --workload "$tmp/bad/resnet"
mv "$tmp/resnet.0.et.away" "$tmp/bad/resnet.0.et"
gzip -c "$tmp/et/resnet.3.et" > "$tmp/bad/resnet.3.et"
expect_error "gzip" "gunzip" -- "${SIM[@]}" --workload "$tmp/bad/resnet"
expect_error "passes on traces" "--passes" -- "${SIM[@]}" --workload "$tmp/et/resnet" --passes 2
expect_error "convert into a missing folder" "does not exist" -- convert --workload "$wl" --npus 2 --out "$tmp/nowhere/x"
printf 'MICRO\n1\nl1 -1 5 NONE 0 5 NONE 0 5 ALLGATHER 0 5\n' > "$tmp/ag0.txt"
"$bin" convert --workload "$tmp/ag0.txt" --npus 8 --out "$tmp/ag0" >/dev/null || fail "convert ag0"
expect_error "0-byte all-gather in a trace names the trace" "error: $tmp/ag0: size_bytes" -- "${SIM[@]}" --workload "$tmp/ag0"
expect_error "npus axis on traces" "cannot vary with a trace workload" -- run "$tmp/et_npus.yaml" --out "$tmp/x.csv"
echo "chakra traces OK"
