#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer: a CPU-only build in build-sanitize/ (no CUDA, no
# benchmarks, no MPI, no Python module: an instrumented module needs libasan preloaded into
# python3) that runs the unit, golden, CLI and fuzz tests (ctest) under both sanitizers. CI runs
# it after the test command (.ci/run). UBSan stops at the first finding (halt_on_error); Thrust's own idiom at
# thrust/detail/reference.h ("reference binding to null pointer of type execution_policy") is
# suppressed, nothing else (scripts/ubsan.supp).
#
#   bash scripts/sanitize.sh [ctest args...]       e.g. -R 'DeviceBatching|cli\.'
#
# Not part of scripts/test.sh (the README's test command stays well under 20 minutes); .ci/run
# runs both. -O1 -g1: line tables for the reports at a fraction of full debug info's build time.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
# UBSan in recoverable mode with halt_on_error=1: every finding still stops the test, but a
# suppressed one can be skipped (with -fno-sanitize-recover the runtime dies even on a
# suppressed report, so Thrust's idiom below could not be suppressed at all)
flags="-fsanitize=address,undefined -fno-omit-frame-pointer"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=None -DASTRA_WITH_CUDA=OFF -DASTRA_BUILD_BENCH=OFF \
  -DASTRA_WITH_MPI=OFF -DASTRA_WITH_PYTHON=OFF "${launcher[@]}" -DCMAKE_CXX_FLAGS="-O1 -g1 $flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
cmake --build build-sanitize -j "$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$PWD/scripts/ubsan.supp
cd build-sanitize
ctest --output-on-failure -j "$jobs" "$@"
