#!/usr/bin/env bash
# The project's heartbeat: replay ASTRA-sim's recorded runs (../shared/golden) through the
# reference simulator and the fast evaluator (falling back to the reference where it must), both backends, and hold the issue's thresholds (>= 99% of ok cases within
# 1%, median relative error <= 0.1%, errors=0) plus exactness on every ok case. Workload cases
# are read from the Chakra traces ASTRA-sim ran (every one of them: none may fall back to the
# text file), and the text-workload set once more from the text files.
set -euo pipefail
source "$(dirname "$0")/support/preamble.sh" "$@"
cli=$bin
need_shared golden/cases.jsonl golden/text-workloads/cases.jsonl
cases="$shared/golden/cases.jsonl"
for engine in ${ASTRA_GOLDEN_ENGINES:-reference fast}; do
for backend in congestion_unaware congestion_aware; do
  out=$("$cli" golden --cases "$cases" --backend "$backend" --engine "$engine")
  echo "$out" | tail -3
  echo "$out" | grep -Eq "^workloads: [1-9][0-9]* cases read from Chakra traces \(\.et\), 0 from text files" \
    || { echo "FAIL: workload cases not all read from traces: $(echo "$out" | grep '^workloads')"; exit 1; }
  last=$(echo "$out" | tail -1)
  python3 - "$last" "$(echo "$out" | tail -2 | head -1)" <<'PY'
import re, sys
last, exact = sys.argv[1], sys.argv[2]
m = re.fullmatch(r"golden: (\d+) cases, (\d+) within 1%, max_rel_err=(\S+), median_rel_err=(\S+), errors=(\d+)", last)
assert m, "unexpected last line: " + last
n, k, mx, med, err = int(m[1]), int(m[2]), float(m[3]), float(m[4]), int(m[5])
assert n > 400, f"too few cases replayed: {n}"
assert k >= 0.99 * n, f"only {k} of {n} within 1%"
assert med <= 0.001, f"median relative error {med}"
assert err == 0, f"{err} errors"
m2 = re.search(r"identical\): (\d+) of (\d+)", exact)
assert m2 and m2[1] == m2[2], "not every ok case is exact: " + exact
PY
done
text_cases="$shared/golden/text-workloads/cases.jsonl"
if [ -f "$text_cases" ]; then
  for from in et text; do
    out=$("$cli" golden --cases "$text_cases" --engine "$engine" --workloads "$from")
    echo "$out" | grep '^workloads'
    echo "$out" | tail -1
    echo "$out" | tail -1 | grep -Eq "^golden: 48 cases, 48 within 1%, max_rel_err=0, median_rel_err=0, errors=0$"
    if [ "$from" = et ]; then want="48 cases read from Chakra traces (.et), 0 from text"; else want="0 cases read from Chakra traces (.et), 48 from text"; fi
    echo "$out" | grep -qF "workloads: $want" || { echo "FAIL: expected 'workloads: $want'"; exit 1; }
  done
fi
echo "golden replay OK ($engine)"
done
