#!/usr/bin/env bash
# Every unit test that reads ../shared skips, visibly and the same way, when a clone has no
# ../shared beside it: runs the test suites of the files that include tests/support/shared_data.hpp
# with ASTRA_SHARED_DIR pointing at an empty folder, and fails on any failure, or when nothing
# skipped (the check itself would then be vacuous).
# Usage: run_without_shared.sh ASTRA_TESTS_BINARY REPO
set -euo pipefail
bin=$1; repo=$2
empty=$(mktemp -d); trap 'rm -rf "$empty"' EXIT
suites=$(grep -l 'support/shared_data.hpp' "$repo"/tests/*_test.cpp |
         xargs grep -ohE '^TEST(_F|_P)?\(\s*[A-Za-z0-9_]+' | sed -E 's/^TEST(_F|_P)?\(\s*//' | sort -u |
         sed 's/$/.*/' | paste -sd: -)
[ -n "$suites" ] || { echo "FAIL: no test file includes tests/support/shared_data.hpp"; exit 1; }
out=$(ASTRA_SHARED_DIR=$empty "$bin" --gtest_filter="$suites:*/$(echo "$suites" | sed 's/:/:*\//g')" --gtest_brief=1 2>&1) || {
  echo "$out" | tail -40; echo "FAIL: a test that needs ../shared failed instead of skipping"; exit 1; }
skipped=$(echo "$out" | grep -oE '\[  SKIPPED \] [0-9]+ tests?' | grep -oE '[0-9]+' | head -1)
echo "$out" | tail -3
[ "${skipped:-0}" -gt 0 ] || { echo "FAIL: nothing skipped without ../shared"; exit 1; }
echo "without ../shared: $skipped tests skipped, none failed"
