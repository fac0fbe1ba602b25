#!/usr/bin/env bash
# End to end: `astra-sweep run SPEC --per-layer FILE` (issue #7): the side table's rows add up
# exactly to every point's compute_ns / exposed_comm_ns / iteration_time_ns in the main output,
# --top-k limits it to the kept rows, one point's rows equal `simulate --per-layer` of the same
# configuration, and misuse is refused with exit 2.
# Usage: bash run_per_layer.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"
command -v jq > /dev/null || { echo "no jq"; exit 77; }

# 1. The ResNet-50 design space (576 points, 54 layers each): totals add up for every point.
"$bin" run "$repo/sweeps/resnet50_design_space.yaml" --backend cpu --out "$tmp/main.csv" \
  --columns point_index,status,iteration_time_ns,compute_ns,exposed_comm_ns --per-layer "$tmp/layers.csv" \
  > "$tmp/stdout" 2> "$tmp/stderr" || fail "run exited $?: $(cat "$tmp/stderr")"
grep -q "^per-layer: 31104 rows in $tmp/layers.csv$" "$tmp/stdout" || fail "summary: $(cat "$tmp/stdout")"
head -n 1 "$tmp/layers.csv" | grep -q '^point_index,layer,pass,forward_compute_ns,input_gradient_compute_ns,weight_gradient_compute_ns,comm_bytes,comm_ready_ns,comm_start_ns,comm_finish_ns,comm_duration_ns,comm_exposed_ns,evaluated_by$' \
  || fail "header: $(head -n 1 "$tmp/layers.csv")"
ls "$tmp" | grep -q tmp- && fail "temporary files left: $(ls "$tmp")"
awk -F, '
  FNR == 1 { next }
  FILENAME == ARGV[1] { if ($2 != "ok") fail = fail " " $1 " not ok"; iter[$1] = $3; comp[$1] = $4; exp_[$1] = $5; points++; next }
  { c[$1] += $4 + $5 + $6; e[$1] += $12; rows[$1]++
    if ($10 - $9 != $11 || $12 > $11 || $8 > $9) fail = fail " bad row " FNR }
  END {
    n = 0
    for (p in iter) {
      if (rows[p] != 54) { print "point " p ": " rows[p] " rows"; exit 1 }
      if (c[p] != comp[p] || e[p] != exp_[p] || c[p] + e[p] != iter[p]) {
        print "point " p ": compute " c[p] " vs " comp[p] ", exposed " e[p] " vs " exp_[p] ", iteration " iter[p]; exit 1 }
      if (e[p] > 0) n++
    }
    if (points != 576 || fail != "") { print points " points" fail; exit 1 }
    if (n == 0) { print "no point has exposed communication: the check proves little"; exit 1 }
  }' "$tmp/main.csv" "$tmp/layers.csv" || fail "totals do not add up"

# The device path (thrust-omp on the CPU, when built) gives the same side table.
if "$bin" run "$repo/sweeps/resnet50_design_space.yaml" --backend thrust-omp --out "$tmp/omp.csv" \
    --per-layer "$tmp/omp_layers.csv" > /dev/null 2> "$tmp/stderr"; then
  cmp -s "$tmp/layers.csv" "$tmp/omp_layers.csv" || fail "thrust-omp side table differs from cpu"
elif ! grep -q "no thrust-omp backend" "$tmp/stderr"; then
  fail "thrust-omp: $(cat "$tmp/stderr")"
fi

# 2. --top-k: only the kept rows, in their order (JSON Lines).
"$bin" run "$repo/sweeps/resnet50_design_space.yaml" --backend cpu --top-k 5 --by iteration_time_ns \
  --out "$tmp/top.csv" --per-layer "$tmp/top.jsonl" > /dev/null 2> "$tmp/stderr" || fail "top-k: $(cat "$tmp/stderr")"
[ "$(wc -l < "$tmp/top.jsonl")" = 270 ] || fail "top-k rows: $(wc -l < "$tmp/top.jsonl")"
main_order=$(tail -n +2 "$tmp/top.csv" | cut -d, -f1 | tr '\n' ' ')
side_order=$(jq -r '.point_index' "$tmp/top.jsonl" | uniq | tr '\n' ' ')
[ "$main_order" = "$side_order" ] || fail "top-k points: main [$main_order] side [$side_order]"

# 3. Each point of a compute-scale sweep (two passes) equals `simulate --per-layer`.
net="$repo/configs/network/hgx_h100_8gpu.yml"
sys="$repo/configs/system/hgx_h100_8gpu__notrack_noroofline.json"
wl="$repo/configs/workload/Resnet50_DataParallel.txt"
cat > "$tmp/scale.yaml" <<YAML
network: $net
system: $sys
workload: {file: $wl, passes: 2}
backend: congestion_unaware
axes:
  compute_scale: [1, 0.01, 0.001]
YAML
"$bin" run "$tmp/scale.yaml" --backend cpu --out "$tmp/scale.csv" --per-layer "$tmp/scale_layers.jsonl" \
  > /dev/null 2> "$tmp/stderr" || fail "scale run: $(cat "$tmp/stderr")"
k=0
for s in 1 0.01 0.001; do
  "$bin" simulate --network "$net" --system "$sys" --workload "$wl" --passes 2 --compute-scale "$s" --per-layer --json \
    > "$tmp/sim.json" 2> "$tmp/stderr" || fail "simulate: $(cat "$tmp/stderr")"
  jq -S '.per_layer' "$tmp/sim.json" > "$tmp/want"
  jq -S -s "[.[] | select(.point_index == $k) | del(.point_index, .evaluated_by)]" "$tmp/scale_layers.jsonl" > "$tmp/got"
  [ "$(jq length "$tmp/want")" = 108 ] || fail "simulate rows: $(jq length "$tmp/want")"
  cmp -s "$tmp/want" "$tmp/got" || fail "point $k (scale $s) differs from simulate --per-layer: $(diff "$tmp/want" "$tmp/got" | head -20)"
  k=$((k + 1))
done

# 4. Misuse: exit 2 and one line naming the option.
expect_error() {  # <pattern> <args...>
  local pattern=$1; shift
  "$bin" "$@" > /dev/null 2> "$tmp/err"; local rc=$?
  [ "$rc" = 2 ] || fail "exit $rc for $*: $(cat "$tmp/err")"
  grep -q -- "$pattern" "$tmp/err" || fail "message for $*: $(cat "$tmp/err")"
}
cat > "$tmp/coll.yaml" <<YAML
network: $net
system: $sys
workload: {collective: all_reduce, size_bytes: 1048576}
axes:
  npus: [2, 4]
YAML
expect_error "per-layer.*text workload" run "$tmp/coll.yaml" --out "$tmp/c.csv" --per-layer "$tmp/c_layers.csv"
expect_error "per-layer.*csv or .jsonl" run "$tmp/scale.yaml" --out "$tmp/s.csv" --per-layer "$tmp/s_layers.sqlite"
expect_error "per-layer-max-points" run "$repo/sweeps/resnet50_design_space.yaml" --out "$tmp/m.csv" \
  --per-layer "$tmp/m_layers.csv" --per-layer-max-points 100
expect_error "per-layer.*summary-only" run "$tmp/scale.yaml" --summary-only --per-layer "$tmp/so_layers.csv"
[ -e "$tmp/m_layers.csv" ] && fail "a refused run wrote the side table"
echo "ok"
