#!/usr/bin/env bash
# The include graph follows the layers of tests/tools/check_layers.py (kernels/model at the
# bottom, host/cli at the top; no cycles between folders, no kernel file including a host
# header), and the checker really refuses an upward include and a bare include.
# Usage: bash include_layers.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"
check=$repo/tests/tools/check_layers.py

python3 "$check" "$repo" > "$tmp/repo.txt" || { cat "$tmp/repo.txt"; fail "the repository's includes break the layers"; }
grep -q "0 against the layers" "$tmp/repo.txt" || fail "checker summary missing: $(cat "$tmp/repo.txt")"

# a model header reaching up into the CLI, and a bare include: both refused, each named
mkdir -p "$tmp/t/kernels/model" "$tmp/t/host/cli"
echo '#pragma once' > "$tmp/t/host/cli/commands.hpp"
printf '#pragma once\n#include "host/cli/commands.hpp"\n#include "config.hpp"\n' > "$tmp/t/kernels/model/up.hpp"
if python3 "$check" "$tmp/t" > "$tmp/bad.txt"; then fail "an upward include passed: $(cat "$tmp/bad.txt")"; fi
grep -q 'kernels/model/up.hpp:2: kernels/model includes host/cli/commands.hpp (host/cli, a higher layer)' "$tmp/bad.txt" ||
  fail "upward include not named: $(cat "$tmp/bad.txt")"
grep -q 'kernels/model/up.hpp:3: include "config.hpp" does not start at the repository root' "$tmp/bad.txt" ||
  fail "bare include not named: $(cat "$tmp/bad.txt")"
echo "include layers: ok"
