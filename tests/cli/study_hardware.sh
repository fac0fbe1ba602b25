#!/usr/bin/env bash
# `study` against hardware (docs/hardware_validation.md) on a small spec: the last line is
# `hardware: N comparisons, median_abs_err=x%, max_abs_err=y%`, the report has the inputs, the
# profile check and one row per system, and hardware.csv agrees with the last line; without the
# measured data the comparison is skipped visibly. Also `profile-workload` and its errors.
# Usage: bash study_hardware.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"
measured="$repo/../shared/measured"

out=$("$bin" study "$repo/tests/data/small_study_hardware.yaml" --out "$tmp/study") || fail "study exited $?"
last=$(echo "$out" | tail -n 1)
if [ ! -f "$measured/resnet50_h200_profile.json" ]; then
  [[ "$last" == "hardware: 0 comparisons (skipped: "*"not found"* ]] || fail "no visible skip: $last"
  echo "measured data missing: hardware comparison skipped visibly"
  exit 0
fi
[[ "$last" =~ ^hardware:\ 2\ comparisons,\ median_abs_err=[0-9.]+%,\ max_abs_err=[0-9.]+%$ ]] || fail "last line: $last"
echo "$out" | tail -n 2 | head -n 1 | grep -Eq '^hardware \(compute anchored on one node\): 1 comparisons, ' \
  || fail "anchored line: $(echo "$out" | tail -n 2)"
report="$tmp/study/report.md"
grep -q '^## Against hardware' "$report" || fail "no hardware section"
grep -q '^| intra-node links .*nvidia_dgxc_h100x8_allreduce.csv.*https://' "$report" || fail "intra-node input without source"
grep -q '^| inter-node links .*issue309_dell_xe9680_2node_h100_allreduce.csv' "$report" || fail "inter-node input"
# The profile check: simulated compute equals the measured step at every measured batch.
grep -Eq '^\| 256 \| 54\.523 \| 54\.523 \| ' "$report" || fail "profile check: $(grep -A5 'measured step' "$report")"
grep -Eq '^\| one node \| 8 \| 400 \| 56074 \| 57\.06[0-9] \| ' "$report" || fail "one-node row"
grep -Eq '^\| two nodes \| 16 \| 200 \| 96499 \| ' "$report" || fail "two-node row"
# hardware.csv: the median and max |error| of the last line.
stats=$(awk -F, 'NR>1 { e = $11 < 0 ? -$11 : $11; v[NR-1] = e; if (e > m) m = e } END {
  n = NR - 1; if (v[1] > v[2]) { t = v[1]; v[1] = v[2]; v[2] = t }
  printf "median_abs_err=%.1f%%, max_abs_err=%.1f%%", 100 * (v[1] + v[2]) / 2, 100 * m }' "$tmp/study/hardware.csv")
[[ "$last" == *"$stats" ]] || fail "hardware.csv gives $stats, last line $last"

# profile-workload: a text workload whose compute adds up to the measured step.
"$bin" profile-workload --profile "$measured/resnet50_h200_profile.json" \
  --workload "$repo/configs/workload/Resnet50_DataParallel.txt" --batch 128 --out "$tmp/w128.txt" > "$tmp/pw.out" \
  || fail "profile-workload"
grep -q "^profile-workload: batch 128: step 29621.7 us (measured), .* compute 29622 us" "$tmp/pw.out" || fail "$(cat "$tmp/pw.out")"
"$bin" simulate --network "$repo/configs/network/hgx_h100_8gpu.yml" --system "$repo/configs/system/HGX-H100-validated.json" \
  --workload "$tmp/w128.txt" --json > "$tmp/sim.json" || fail "simulate the measured workload"
# Errors: one line naming file, field and reason, exit 2.
echo '{"iterations": {}}' > "$tmp/bad.json"
"$bin" profile-workload --profile "$tmp/bad.json" --workload "$repo/configs/workload/Resnet50_DataParallel.txt" \
  --batch 128 --out "$tmp/x.txt" 2> "$tmp/err"
rc=$?
[ $rc = 2 ] || fail "bad profile exited $rc"
grep -q "^error: $tmp/bad.json: iterations: missing or empty" "$tmp/err" || fail "error: $(cat "$tmp/err")"
[ ! -e "$tmp/x.txt" ] || fail "an output was written for a bad profile"
# A bad hardware section: exit 2 naming the field.
sed -e "s|\.\./\.\./\.\./shared|$repo/../shared|; s|\.\./\.\./|$repo/|" -e 's/^  grid: 16$/  grid: 16\n  bogus: 1/' \
  "$repo/tests/data/small_study_hardware.yaml" > "$tmp/bad.yaml"
"$bin" study "$tmp/bad.yaml" --out "$tmp/bad" > /dev/null 2> "$tmp/err"
rc=$?
[ $rc = 2 ] || fail "bad hardware section exited $rc: $(cat "$tmp/err")"
grep -q "^error: $tmp/bad.yaml: hardware.bogus: unknown field$" "$tmp/err" || fail "error: $(cat "$tmp/err")"
echo "study_hardware OK"
