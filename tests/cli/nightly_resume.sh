#!/usr/bin/env bash
# --resume after SIGKILL or SIGTERM at a random moment: 20 rounds, each kills a run (sometimes
# twice), resumes it and checks that the final table equals an uninterrupted run's row for row
# (every point exactly once), for CSV, JSON Lines, the SQLite store and the .npy.d columns in turn. Also: SIGTERM
# exits 143 and marks the SQLite run interrupted; a key mismatch refuses to resume (exit 2).
# Usage: bash nightly_resume.sh <astra-sweep binary> <repo dir>   (ROUNDS=n to change the count)
source "$(dirname "$0")/support/preamble.sh" "$@"
rounds=${ROUNDS:-20}
spec=$repo/tests/cli/data/nightly_resume.yaml
have_sqlite3=1
command -v sqlite3 > /dev/null || have_sqlite3=0
# Small batches so that a run has many checkpoints; two threads like the CI machine.
common=(--backend cpu --threads 2 --batch 4000 --no-progress)

sqlite_table() {  # the last complete run's rows (the CSV output's columns), as CSV
  sqlite3 -csv "$1" "select $(head -n 1 "$tmp/ref.csv") from results where run_id = (select max(run_id) from runs where status = 'complete') order by point_index"
}

start=$(date +%s.%N)
"$bin" run "$spec" "${common[@]}" --out "$tmp/ref.csv" > /dev/null 2> "$tmp/err" || fail "reference run: $(cat "$tmp/err")"
"$bin" run "$spec" "${common[@]}" --out "$tmp/ref.jsonl" > /dev/null 2>&1 || fail "reference jsonl run"
"$bin" run "$spec" "${common[@]}" --out "$tmp/ref.npy.d" > /dev/null 2>&1 || fail "reference npy.d run"
ms=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%d", (e - s) * 500 }')  # one run, in ms
rows=$(($(wc -l < "$tmp/ref.csv") - 1))
[ "$rows" -gt 1000 ] || fail "reference has $rows rows"
if [ $have_sqlite3 = 1 ]; then
  "$bin" run "$spec" "${common[@]}" --out "$tmp/ref.sqlite" > /dev/null 2>&1 || fail "reference sqlite run"
  sqlite_table "$tmp/ref.sqlite" > "$tmp/ref.sqlite.csv"
  [ "$(wc -l < "$tmp/ref.sqlite.csv")" = "$rows" ] || fail "sqlite reference rows"
fi
echo "one run takes about $ms ms; $rows rows"

# kill_at <signal> <delay ms> <args...>: start a run, signal it after the delay, wait; echo its exit code
kill_at() {
  local sig=$1 delay=$2; shift 2
  "$bin" "$@" > "$tmp/run.out" 2> "$tmp/run.err" &
  local pid=$!
  sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
  kill -s "$sig" $pid 2> /dev/null
  wait $pid
  echo $?
}

interrupted=0
graceful=0
for ((round = 1; round <= rounds; round++)); do
  case $((round % 4)) in
    3) ext=npy.d ;;
    0) ext=csv ;;
    1) ext=jsonl ;;
    2) ext=sqlite; [ $have_sqlite3 = 1 ] || ext=csv ;;
  esac
  out=$tmp/out_$round.$ext
  checkpoint=$(( (round % 2) ? 0 : 1 ))
  kills=$((1 + RANDOM % 2))
  finished=0
  for ((k = 0; k < kills; k++)); do
    sig=KILL
    ((RANDOM % 2)) && sig=TERM
    delay=$((RANDOM % (ms + 1)))
    resume=()
    ((k > 0)) && resume=(--resume)
    rc=$(kill_at $sig $delay run "$spec" "${common[@]}" --checkpoint-seconds $checkpoint --out "$out" "${resume[@]}")
    case "$sig:$rc" in
      KILL:137 | TERM:143) interrupted=$((interrupted + 1)) ;;
      *:0) finished=1 ;;  # finished before the signal
      *) fail "round $round: SIG$sig after $delay ms: exit $rc: $(cat "$tmp/run.err")" ;;
    esac
    # (a SIGTERM before the handlers are installed, at start-up, ends the process plainly)
    if [ "$sig:$rc" = TERM:143 ] && grep -q "interrupted by SIGTERM" "$tmp/run.err"; then
      graceful=$((graceful + 1))
      if [ $ext = sqlite ]; then
        [ "$(sqlite3 "$out" 'select status from runs order by run_id desc limit 1')" = interrupted ] \
          || fail "round $round: sqlite run not marked interrupted"
      elif [ $finished = 0 ]; then
        [ ! -e "$out" ] || fail "round $round: $out exists after an interrupted run"
      fi
    fi
  done
  "$bin" run "$spec" "${common[@]}" --out "$out" --resume > /dev/null 2> "$tmp/resume.err" \
    || fail "round $round: resume exited $?: $(cat "$tmp/resume.err")"
  case $ext in
    csv) cmp -s "$out" "$tmp/ref.csv" || fail "round $round ($ext, SIG$sig after $delay ms): resumed table differs" ;;
    jsonl) cmp -s "$out" "$tmp/ref.jsonl" || fail "round $round ($ext, SIG$sig after $delay ms): resumed table differs" ;;
    npy.d) diff -r "$out" "$tmp/ref.npy.d" > /dev/null || fail "round $round ($ext, SIG$sig after $delay ms): resumed columns differ" ;;
    sqlite)
      sqlite_table "$out" | cmp -s - "$tmp/ref.sqlite.csv" || fail "round $round (sqlite, SIG$sig after $delay ms): resumed table differs"
      # one complete run, or two when the first attempt finished before its signal
      [ "$(sqlite3 "$out" "select count(*) from runs where status != 'complete'")" = 0 ] || fail "round $round: runs: $(sqlite3 "$out" 'select * from runs')"
      ;;
  esac
  [ ! -e "$out.parts" ] && [ ! -e "$out.partial" ] || fail "round $round: parts folder left behind"
  rm -rf "$out"
done
echo "$interrupted runs interrupted in $rounds rounds, $graceful of them by SIGTERM during the sweep"
[ "$interrupted" -gt 0 ] || fail "no run was ever interrupted: the spec is too small for this machine"

# An unfinished run of another spec is not continued.
out=$tmp/mismatch.csv
rc=$(kill_at KILL $((ms / 2)) run "$spec" "${common[@]}" --checkpoint-seconds 0 --out "$out")
# (a kill before run.txt exists leaves a folder with no run in it: that one is simply discarded)
if [ "$rc" = 137 ] && [ -f "$out.parts/run.txt" ]; then
  "$bin" run "$repo/tests/cli/data/nightly_small.yaml" --backend cpu --out "$out" --resume > /dev/null 2> "$tmp/err"
  [ $? = 2 ] || fail "resume with another spec did not exit 2"
  grep -q "^error: --resume: $out.parts: holds an unfinished run of another spec" "$tmp/err" || fail "mismatch message: $(cat "$tmp/err")"
  "$bin" run "$repo/tests/cli/data/nightly_small.yaml" --backend cpu --out "$out" > /dev/null 2> "$tmp/err" || fail "fresh run over stale parts"
  grep -q "discarded the unfinished run" "$tmp/err" || fail "no note about the discarded run"
fi
echo "nightly_resume: ok"
