#!/usr/bin/env bash
# The ResNet-50 study end to end on a small spec: the default points equal ASTRA-sim's own runs
# exactly, every table and the report are written, and the neighbourhood has every point.
set -euo pipefail
cli=$1; repo=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
golden="$repo/../shared/golden/cases.jsonl"
args=()
[ -f "$golden" ] && args=(--golden "$golden")
out=$("$cli" study "$repo/tests/data/small_study.yaml" --out "$tmp/study" "${args[@]}")
echo "$out"
echo "$out" | tail -1 | grep -Eq '^study: 26 configurations in [0-9.]+ s \([0-9]+ by the reference simulator\), report=.*report.md$'
test -s "$tmp/study/report.md"
# 2 systems x 3 x 3 unaware + 2 systems x 1 x 2 aware = 22 points (+ header)
test "$(wc -l < "$tmp/study/points.csv")" -eq 23
test -s "$tmp/study/per_layer_4gpu_unaware.csv"
test "$(wc -l < "$tmp/study/per_layer_4gpu_unaware.csv")" -eq 55   # 54 layers + header
grep -q "^| 4 | congestion_unaware |" "$tmp/study/report.md"
if [ -f "$golden" ]; then
  # C-0001, C-0016 and C-0032 are ASTRA-sim's own runs of these default points
  test "$(grep -c 'identical' "$tmp/study/report.md")" -eq 3
  ! grep -q DIFFERENT "$tmp/study/report.md"
fi
if command -v gnuplot >/dev/null; then
  for png in scaling per_layer_stacked heatmap_4gpu heatmap_16gpu; do test -s "$tmp/study/$png.png"; done
else
  echo "gnuplot missing: plots not checked"
fi
echo "study OK"
