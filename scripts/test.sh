#!/usr/bin/env bash
# Sets up (packages + build) and runs the whole test suite: unit and property tests, the golden
# replay against ASTRA-sim's recorded answers, fuzz targets and CLI tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
cd build
ctest --output-on-failure -j "$jobs" "$@"
