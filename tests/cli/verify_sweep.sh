#!/usr/bin/env bash
# End to end: `astra-sweep verify` on the bundled ResNet-50 design space and on a collective spec
# mixing fast, reference-only and rejected points: no mismatch, exit 0, a summary line.
# Usage: bash verify_sweep.sh <astra-sweep binary> <repo dir>
source "$(dirname "$0")/support/preamble.sh" "$@"

cat > "$tmp/spec.yaml" <<'YAML'
network: {topology: [Ring], npus_count: [8], bandwidth: [50], latency: [500]}
system: {scheduling-policy: LIFO, endpoint-delay: 10, active-chunks-per-dimension: 1,
         preferred-dataset-splits: 4, all-reduce-implementation: [ring], all-gather-implementation: [ring],
         reduce-scatter-implementation: [ring], all-to-all-implementation: [ring],
         collective-optimization: localBWAware, local-mem-bw: 1600}
workload: {collective: all_reduce, size_bytes: 65536}
axes:
  npus: [4, 6, 8]
  collective: [all_reduce, all_gather, reduce_scatter, all_to_all]
  all-reduce-implementation: [ring, direct, halvingDoubling, doubleBinaryTree]
  size_bytes: {powers_of_two: [1, 2^22]}
  backend: [congestion_unaware, congestion_aware]
YAML
"$bin" verify "$tmp/spec.yaml" --samples 40 --seed 3 > "$tmp/out" 2>&1 || fail "verify exited $?: $(cat "$tmp/out")"
last=$(tail -n 1 "$tmp/out")
[[ "$last" =~ ^verify:\ 40\ points\ \(seed\ 3\):\ [0-9]+\ compared.*\ 0\ mismatches$ ]] || fail "last line: $last"
"$bin" verify "$repo/sweeps/resnet50_design_space.yaml" --samples 8 > "$tmp/out" 2>&1 || fail "resnet verify: $(cat "$tmp/out")"
tail -n 1 "$tmp/out" | grep -q '0 mismatches$' || fail "resnet: $(tail -n 1 "$tmp/out")"
echo "verify_sweep: ok"
