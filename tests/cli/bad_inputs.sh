#!/usr/bin/env bash
# Every malformed input gives a one-line error naming the file, the field and the reason, and
# exit code 2; never a crash or a silent answer.
set -uo pipefail
cli=$1; repo=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
net="$repo/configs/network/hgx_h100_8gpu.yml"
sys="$repo/configs/system/hgx_h100_8gpu__notrack_noroofline.json"
wl="$repo/configs/workload/Resnet50_DataParallel.txt"
fail=0

# expect_error <what> <substring that must appear> -- <args...>
expect_error() {
  local what=$1 needle=$2; shift 3
  local out rc
  out=$("$cli" "$@" 2>&1 >/dev/null); rc=$?
  local lines; lines=$(printf '%s\n' "$out" | grep -c '^error: ')
  if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || ! printf '%s' "$out" | grep -q -- "$needle"; then
    echo "FAIL: $what: rc=$rc, wanted 2 and one 'error:' line containing '$needle'; got:"; printf '%s\n' "$out" | head -5
    fail=1
  else
    echo "ok: $what -> $(printf '%s\n' "$out" | grep '^error: ')"
  fi
}

printf 'topology: [ Torus ]\nnpus_count: [ 8 ]\nbandwidth: [ 400 ]\nlatency: [ 936 ]\n' > "$tmp/unknown_topo.yml"
printf 'topology: [ Switch ]\nnpus_count: [ 8 ]\nbandwidth: [ 0 ]\nlatency: [ 936 ]\n' > "$tmp/zero_bw.yml"
printf 'topology: [ Switch ]\nnpus_count: [ 8 ]\nbandwidth: [ -5 ]\nlatency: [ 936 ]\n' > "$tmp/neg_bw.yml"
printf 'topology: [ Switch ]\nnpus_count: [ 8 ]\nlatency: [ 936 ]\n' > "$tmp/missing_bw.yml"
printf 'topology: [ Switch ]\nnpus_count: [ eight ]\nbandwidth: [ 400 ]\nlatency: [ 936 ]\n' > "$tmp/wrong_type.yml"
printf 'topology: [ Switch, Ring ]\nnpus_count: [ 8 ]\nbandwidth: [ 400 ]\nlatency: [ 936 ]\n' > "$tmp/mismatch.yml"
head -c 40 "$net" > "$tmp/truncated.yml"
head -c 60 "$sys" > "$tmp/truncated.json"
printf '{"scheduling-policy": "LIFO", "endpoint-delay": "ten", "preferred-dataset-splits": 4}' > "$tmp/wrong_type.json"
: > "$tmp/empty.txt"
printf 'DATA\n3\nconv1 -1 5 NONE 0 5 NONE 0 5 ALLREDUCE 100 5\n' > "$tmp/short.txt"

S=(simulate --collective all_reduce --size-bytes 1048576)
expect_error "unknown topology" "unknown_topo.yml" -- "${S[@]}" --network "$tmp/unknown_topo.yml" --system "$sys"
expect_error "zero bandwidth" "bandwidth" -- "${S[@]}" --network "$tmp/zero_bw.yml" --system "$sys"
expect_error "negative bandwidth" "bandwidth" -- "${S[@]}" --network "$tmp/neg_bw.yml" --system "$sys"
expect_error "missing key" "bandwidth" -- "${S[@]}" --network "$tmp/missing_bw.yml" --system "$sys"
expect_error "wrong type" "npus_count" -- "${S[@]}" --network "$tmp/wrong_type.yml" --system "$sys"
expect_error "list lengths differ" "mismatch.yml" -- "${S[@]}" --network "$tmp/mismatch.yml" --system "$sys"
expect_error "truncated yaml" "truncated.yml" -- "${S[@]}" --network "$tmp/truncated.yml" --system "$sys"
expect_error "truncated json" "truncated.json" -- "${S[@]}" --network "$net" --system "$tmp/truncated.json"
expect_error "wrong json type" "endpoint-delay" -- "${S[@]}" --network "$net" --system "$tmp/wrong_type.json"
expect_error "npus disagree with topology" "npus_count" -- "${S[@]}" --npus 16 --network "$net" --system "$sys"
expect_error "empty workload" "empty.txt" -- simulate --network "$net" --system "$sys" --workload "$tmp/empty.txt"
expect_error "layer count disagrees" "short.txt" -- simulate --network "$net" --system "$sys" --workload "$tmp/short.txt"
expect_error "missing file" "nope.yml" -- "${S[@]}" --network "$tmp/nope.yml" --system "$sys"
expect_error "unknown collective" "--collective" -- simulate --collective all_scatter --size-bytes 8 --network "$net" --system "$sys"
expect_error "undefined semantics" "--size-bytes: size_bytes" -- simulate --collective all_gather --size-bytes 2 --network "$net" --system "$sys"
printf '{"scheduling-policy": "LIFO", "endpoint-delay": 10, "preferred-dataset-splits": 4, "local-mem-bw": 50,
 "all-reduce-implementation": ["doubleBinaryTree"], "all-gather-implementation": ["ring"],
 "reduce-scatter-implementation": ["ring"], "all-to-all-implementation": ["ring"]}' > "$tmp/dbt.json"
printf 'topology: [ Switch ]\nnpus_count: [ 6 ]\nbandwidth: [ 400 ]\nlatency: [ 936 ]\n' > "$tmp/six.yml"
expect_error "doubleBinaryTree on 6 NPUs" "dbt.json: all-reduce-implementation" -- simulate --collective all_reduce --size-bytes 4096 --network "$tmp/six.yml" --system "$tmp/dbt.json"
exit $fail
