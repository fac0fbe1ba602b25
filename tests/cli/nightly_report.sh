#!/usr/bin/env bash
# `astra-sweep report RUN --against RUN --out DIR`: report.md and a self-contained report.html
# (plots embedded as data URIs when gnuplot exists, else a note saying it is missing); headless
# Chromium renders the page (--dump-dom keeps the headings and <img> tags) and takes a
# screenshot. Skips (77) the browser part only when chromium is absent, saying so.
# Usage: bash nightly_report.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"
spec=$repo/tests/cli/data/nightly_small.yaml

"$bin" run "$spec" --backend cpu --out "$tmp/base.sqlite" > /dev/null 2>&1 || fail "base run"
"$bin" run "$spec" --backend cpu --out "$tmp/new.csv" > /dev/null 2>&1 || fail "new run"
col=$(head -n 1 "$tmp/new.csv" | tr ',' '\n' | grep -n '^collective_time_ns$' | cut -d: -f1)
awk -F, -v OFS=, -v c="$col" 'NR > 1 && $1 == 5 { $c = $c * 3 } { print }' "$tmp/new.csv" > "$tmp/new_slow.csv"
"$bin" report "$tmp/new_slow.csv" --against "$tmp/base.sqlite" --out "$tmp/report" > "$tmp/out" 2> "$tmp/err" \
  || fail "report exited $?: $(cat "$tmp/err")"
html=$tmp/report/report.html
md=$tmp/report/report.md
[ -s "$html" ] && [ -s "$md" ] || fail "no report files: $(ls -R "$tmp/report")"
for heading in "# astra-sweep run report" "## Run" "## Status" "## Summary by axis" "### latency_ns" "## Plots" "## Diff: "; do
  grep -q "^$heading" "$md" || fail "report.md lacks '$heading'"
done
grep -q "Regressions found" "$md" || fail "the diff section misses the injected regression"
grep -q "^| 5 | collective_time_ns | " "$md" || fail "point 5 not listed in the diff"
grep -q "regressions against the baseline" "$tmp/out" || fail "stdout: $(cat "$tmp/out")"
grep -q "src=\"file:\|src=\"plots/" "$html" && fail "report.html refers to outside files"
if command -v gnuplot > /dev/null; then
  plots=$(grep -c '<img alt=".*" src="data:image/png;base64,' "$html")
  [ "$plots" -ge 3 ] || fail "$plots embedded plots (wanted one per axis, 4)"
  [ -s "$tmp/report/plots/collective_time_ns_by_latency_ns.gp" ] || fail "no generated gnuplot script"
else
  grep -q "gnuplot was not found" "$md" || fail "no note about the missing gnuplot"
fi
# Readable pages (issue 14): on the nightly grid (times from ~1 us to ~12 ms, sizes 1 KiB..1 GiB)
# times go on a log axis in a readable unit, sizes are ticked in KiB/MiB/GiB, no time axis runs
# negative, lines per algorithm, and the tables print units and sensible digits.
"$bin" run "$repo/sweeps/nightly.yaml" --backend cpu --out "$tmp/grid.csv" > /dev/null 2>&1 || fail "nightly grid run"
"$bin" report "$tmp/grid.csv" --out "$tmp/grid_report" > /dev/null 2> "$tmp/err" || fail "grid report: $(cat "$tmp/err")"
gmd=$tmp/grid_report/report.md
grep -qE '[0-9]\.[0-9]{7,}|e\+0' "$gmd" && fail "report.md prints raw floats: $(grep -mE1 '[0-9]\.[0-9]{7,}|e\+0' "$gmd")"
grep -q "^| 1 MiB | " "$gmd" || fail "size axis values not in MiB"
grep -qE "^\| 117 ns \| 942 ns \| [0-9.]+ us \| [0-9.]+ ms \| " "$gmd" || fail "latency row without readable times"
if command -v gnuplot > /dev/null; then
  gp=$tmp/grid_report/plots/collective_time_ns_by_size_bytes.gp
  grep -q "set logscale y" "$gp" || fail "time spanning decades not on a log axis"
  grep -q 'set ylabel "collective time (ms)"' "$gp" || fail "time axis unit: $(grep ylabel "$gp")"
  grep -q 'set xtics ("1 KiB" 1024, ' "$gp" && grep -q '"1 GiB"\|"256 MiB"' "$gp" || fail "size ticks: $(grep xtics "$gp")"
  grep -q 'title "ring"' "$gp" && grep -q 'title "direct"' "$gp" || fail "no line per algorithm"
  for f in "$tmp"/grid_report/plots/*_ns_by_*.gp; do
    grep -q "set logscale y\|set yrange \[0:\*\]" "$f" || fail "$(basename "$f"): a time axis that may go negative"
    grep -q "set offsets graph [0-9.]*, graph [0-9.]*, 0, 0" "$f" || fail "$(basename "$f"): y offsets"
  done
fi

# Without gnuplot: a note instead of plots.
PATH=/nonexistent "$bin" report "$tmp/new.csv" --out "$tmp/noplot" > /dev/null 2>&1 || fail "report without gnuplot"
grep -q "gnuplot was not found" "$tmp/noplot/report.md" || fail "no missing-gnuplot note"
grep -q "<img" "$tmp/noplot/report.html" && fail "images without gnuplot?"
# Bad input: exit 2.
"$bin" report "$tmp/none.csv" --out "$tmp/bad" > /dev/null 2>&1
[ $? = 2 ] || fail "report of a missing run did not exit 2"

browser=""
for b in chromium chromium-browser google-chrome; do
  command -v "$b" > /dev/null && browser=$b && break
done
if [ -z "$browser" ]; then
  echo "SKIP: chromium not found (Debian package chromium): the report was checked without a browser"
  exit 77
fi
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir="$tmp/profile")
timeout 90 "$browser" "${flags[@]}" --dump-dom "file://$html" > "$tmp/dom.html" 2> "$tmp/chromium.err" \
  || fail "chromium --dump-dom exited $?: $(tail -n 5 "$tmp/chromium.err")"
for heading in "<h1>astra-sweep run report</h1>" "<h2>Run</h2>" "<h2>Summary by axis</h2>" "<h2>Plots</h2>" "<h2>Diff: "; do
  grep -q "$heading" "$tmp/dom.html" || fail "rendered DOM lacks $heading"
done
if command -v gnuplot > /dev/null; then
  [ "$(grep -o '<img ' "$tmp/dom.html" | wc -l)" -ge 3 ] || fail "rendered DOM lacks the <img> tags"
fi
shot=${REPORT_SCREENSHOT:-$tmp/screenshot.png}
rm -rf "$tmp/profile"
timeout 90 "$browser" "${flags[@]}" --screenshot="$shot" --window-size=1200,2000 "file://$html" > /dev/null 2> "$tmp/chromium.err" \
  || fail "chromium --screenshot exited $?: $(tail -n 5 "$tmp/chromium.err")"
[ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG"
[ "$(stat -c %s "$shot")" -gt 20000 ] || fail "the screenshot is suspiciously small ($(stat -c %s "$shot") bytes)"
echo "nightly_report: ok"
