#!/usr/bin/env python3
"""Layers only point down: every quoted include in kernels/ and host/ is written from the
repository root ("host/sweep/spec/sweep_spec.hpp", so the path says the layer) and names a file of the
same folder or of a lower layer in LAYERS below. Prints each violation (file, line, the include,
both layers) and exits 1; exits 0 when the include graph follows the layers.

Usage: check_layers.py REPO_ROOT"""
import os
import re
import sys

# Lowest first. Folders on one line are peers: they may not include each other.
LAYERS = [
    ["kernels/model"],                 # the model: __host__ __device__, no host headers
    ["kernels/sweep"],                 # compiled sweeps, point evaluation, reductions (device side)
    ["kernels/cuda"],                  # device entry, dispatch, agents
    ["host", "host/common"],           # build info; atomic files, the thread pool
    ["host/workload"],                 # workload graphs
    ["host/input"],                    # parsers of every input file (one-line errors)
    ["host/reference", "host/plot"],   # the event-driven reference simulator; gnuplot
    ["host/engine"],                   # host-side point evaluation with per-thread scratch
    ["host/golden", "host/sweep/spec"],
    ["host/sweep/backends"],           # cpu / thrust-omp / cuda / several devices, reductions
    ["host/sweep/output"],             # rows and the files they go to
    ["host/sweep/run"],                # the run loop, verification
    ["host/nightly"],                  # nightly runs: shards, MPI, merge, reports
    ["host/calibration"],
    ["host/sensitivity", "host/study"],
    ["host/cli"],
]
RANK = {folder: rank for rank, peers in enumerate(LAYERS) for folder in peers}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def folder_of(path):
    """The deepest folder of `path` that LAYERS names (host/input/chakra/x.hpp -> host/input)."""
    parts = path.split("/")[:-1]
    while parts:
        candidate = "/".join(parts)
        if candidate in RANK:
            return candidate
        parts.pop()
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    problems = []
    checked = 0
    for top in ("kernels", "host"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith((".hpp", ".cpp", ".cu", ".cuh")):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root)
                own = folder_of(path)
                if own is None:
                    problems.append(f"{path}: its folder is in no layer of tests/tools/check_layers.py")
                    continue
                with open(os.path.join(root, path), encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        checked += 1
                        target = m.group(1)
                        if not target.startswith(("host/", "kernels/")):
                            problems.append(f'{path}:{number}: include "{target}" does not start at the '
                                            'repository root (host/... or kernels/...)')
                            continue
                        if not os.path.exists(os.path.join(root, target)):
                            problems.append(f"{path}:{number}: includes {target}, which does not exist")
                            continue
                        other = folder_of(target)
                        if other == own:
                            continue
                        if other is None or RANK[other] >= RANK[own]:
                            where = "a peer" if other and RANK[other] == RANK[own] else "a higher layer"
                            problems.append(f"{path}:{number}: {own} includes {target} ({other}, {where})")
    for p in problems:
        print(p)
    print(f"check_layers: {checked} includes, {len(problems)} against the layers")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
