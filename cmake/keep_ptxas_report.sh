#!/usr/bin/env bash
# CUDA compiler launcher (CMakeLists.txt: CUDA_COMPILER_LAUNCHER of astra_cuda): runs one nvcc
# command unchanged and keeps ptxas' resource report (`--resource-usage`: registers, stack frame,
# spill stores per kernel) beside the object as <object>.resource-usage.txt, where the ctest guard
# cuda.resource_budget reads it (tests/tools/check_resource_budget.py). The report's
# "ptxas info" lines stay out of the build log; warnings and errors pass through.
set -uo pipefail
object="" previous=""
for arg in "$@"; do
  if [ "$previous" = "-o" ]; then object=$arg; fi
  previous=$arg
done
if [ -z "$object" ]; then exec "$@"; fi
report="$object.resource-usage.txt"
"$@" 2>"$report.tmp"
status=$?
grep -v -e '^ptxas info' -e '^    [0-9]* bytes stack frame' -e '^$' "$report.tmp" >&2
mv -f "$report.tmp" "$report"
exit $status
