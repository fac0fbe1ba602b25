#!/usr/bin/env bash
# End to end: `astra-sweep run --devices`. Several devices give exactly one device's rows and
# summary (thrust-omp stand-ins on the CPU, as the GPUs of a node would), the run line names the
# devices, and bad selections are refused with a one-line error naming --devices (exit 2).
# Usage: bash run_devices.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"
spec=$repo/sweeps/mixed_backends_check.yaml

"$bin" run "$spec" --backend cpu --out "$tmp/cpu.csv" --no-progress > "$tmp/cpu.txt" 2>&1 || fail "cpu run: $(cat "$tmp/cpu.txt")"
if ! "$bin" run "$spec" --backend thrust-omp --devices 1 --out /dev/null --no-progress 2>&1 | grep -q "no thrust-omp backend"; then
  "$bin" run "$spec" --backend thrust-omp --devices 3 --out "$tmp/three.csv" --no-progress > "$tmp/three.txt" 2>&1 ||
    fail "thrust-omp --devices 3: $(cat "$tmp/three.txt")"
  cmp -s "$tmp/cpu.csv" "$tmp/three.csv" || fail "rows differ between cpu and 3 thrust-omp devices: $(diff "$tmp/cpu.csv" "$tmp/three.csv" | head -5)"
  grep -q 'backend=thrust-omp, device=3 x ' "$tmp/three.txt" || fail "run line does not name the devices: $(tail -n 1 "$tmp/three.txt")"
  "$bin" run "$spec" --backend thrust-omp --devices 0,1 --summary-only --no-progress > "$tmp/two.txt" 2>&1 ||
    fail "thrust-omp --devices 0,1 --summary-only: $(cat "$tmp/two.txt")"
  "$bin" run "$spec" --backend thrust-omp --summary-only --no-progress > "$tmp/one.txt" 2>&1 || fail "thrust-omp summary"
  # the summaries agree but for the run line (time, device names)
  diff <(grep -v '^run:' "$tmp/one.txt") <(grep -v '^run:' "$tmp/two.txt") > /dev/null ||
    fail "summary differs between one and two devices: $(diff <(grep -v '^run:' "$tmp/one.txt") <(grep -v '^run:' "$tmp/two.txt") | head -5)"
fi

refused() {  # refused EXPECTED-TEXT ARGS...: exit 2, one line naming --devices and the reason
  local want=$1; shift
  "$bin" run "$spec" --no-progress --summary-only "$@" > "$tmp/out.txt" 2> "$tmp/err.txt"
  local code=$?
  [ "$code" = 2 ] || fail "$* exited $code, not 2: $(cat "$tmp/err.txt")"
  grep -q "^error: --devices: .*$want" "$tmp/err.txt" || fail "$*: error does not say '$want': $(cat "$tmp/err.txt")"
}
refused "expected all, a device count" --backend cpu --devices 0
refused "listed twice" --backend cpu --devices 1,1
refused "need the cuda or thrust-omp backend" --backend cpu --devices 2
echo "run_devices: ok"
