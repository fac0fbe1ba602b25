#!/usr/bin/env bash
# `mpirun -np 2 astra-sweep run SPEC --mpi --out ...`: two ranks on localhost split the points,
# rank 0 merges their files (CSV, JSON Lines, SQLite, and --out DIR); the merged output equals
# the single-process run row for row, and the rank files are gone. Skips (77) without mpirun
# or when this build has no MPI.
# Usage: bash nightly_mpi.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"
spec=$repo/tests/cli/data/nightly_small.yaml
if ! command -v mpirun > /dev/null; then
  echo "SKIP: mpirun not found (Debian package openmpi-bin)"
  exit 77
fi
"$bin" run "$spec" --backend cpu --mpi --out "$tmp/probe.csv" > /dev/null 2> "$tmp/err"
if grep -q "this build has no MPI" "$tmp/err"; then
  echo "SKIP: astra-sweep was built without MPI"
  exit 77
fi
# OpenMPI refuses root without these; a container or CI runner has no ssh: local launches only.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_plm=isolated OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1
mpi=(mpirun --oversubscribe --allow-run-as-root -np 2)

for ext in csv jsonl; do
  "$bin" run "$spec" --backend cpu --threads 1 --out "$tmp/single.$ext" > /dev/null 2>&1 || fail "single-process $ext run"
  timeout 120 "${mpi[@]}" "$bin" run "$spec" --backend cpu --threads 1 --mpi --out "$tmp/mpi.$ext" > "$tmp/mpi.out" 2> "$tmp/mpi.err" \
    || fail "mpirun ($ext) exited $?: $(cat "$tmp/mpi.err")"
  cmp "$tmp/single.$ext" "$tmp/mpi.$ext" || fail "MPI $ext output differs from the single-process run"
  grep -q "^merged 2 ranks into $tmp/mpi.$ext" "$tmp/mpi.out" || fail "no merge line: $(cat "$tmp/mpi.out")"
  grep -q "^run: 264 points in" "$tmp/mpi.out" || fail "summary is not over all 264 points: $(cat "$tmp/mpi.out")"
  [ "$(grep -c '^run: ' "$tmp/mpi.out")" = 1 ] || fail "more than one summary (only rank 0 prints)"
  ! ls "$tmp"/mpi.rank-* > /dev/null 2>&1 || fail "rank files left: $(ls "$tmp")"
done
# the combined summary equals the single process's (apart from the timing line)
"$bin" run "$spec" --backend cpu --out "$tmp/single2.csv" | grep -v '^run: ' > "$tmp/single.summary"
grep -v -e '^run: ' -e '^merged ' "$tmp/mpi.out" > "$tmp/mpi.summary"
diff "$tmp/single.summary" "$tmp/mpi.summary" || fail "summaries differ"

# --out DIR: DIR/results.csv
timeout 120 "${mpi[@]}" "$bin" run "$spec" --backend cpu --threads 1 --mpi --out "$tmp/outdir/" > /dev/null 2> "$tmp/mpi.err" \
  || fail "mpirun (dir) exited $?: $(cat "$tmp/mpi.err")"
cmp "$tmp/single.csv" "$tmp/outdir/results.csv" || fail "DIR/results.csv differs"

if command -v sqlite3 > /dev/null; then
  timeout 120 "${mpi[@]}" "$bin" run "$spec" --backend cpu --threads 1 --mpi --out "$tmp/mpi.sqlite" > /dev/null 2> "$tmp/mpi.err" \
    || fail "mpirun (sqlite) exited $?: $(cat "$tmp/mpi.err")"
  [ "$(sqlite3 "$tmp/mpi.sqlite" "select status, points, shard from runs")" = "complete|264|mpi:2" ] \
    || fail "runs: $(sqlite3 "$tmp/mpi.sqlite" 'select * from runs')"
  sqlite3 -csv -header "$tmp/mpi.sqlite" "select $(head -n 1 "$tmp/single.csv") from results order by point_index" \
    | tr -d '\r' > "$tmp/mpi_sqlite.csv"
  "$bin" run "$spec" --backend cpu --out "$tmp/single.sqlite" > /dev/null 2>&1 || fail "single sqlite"
  sqlite3 -csv -header "$tmp/single.sqlite" "select $(head -n 1 "$tmp/single.csv") from results order by point_index" \
    | tr -d '\r' > "$tmp/single_sqlite.csv"
  cmp "$tmp/single_sqlite.csv" "$tmp/mpi_sqlite.csv" || fail "MPI sqlite rows differ"
  [ "$(wc -l < "$tmp/mpi_sqlite.csv")" = "$(wc -l < "$tmp/single.csv")" ] || fail "sqlite row count"
fi
echo "nightly_mpi: ok"
