#!/usr/bin/env python3
"""Dumps the node graphs that the oracle's TextConverter (../shared/oracle/astra_model.py, the
executable spec of Chakra's text converter) builds for text workloads, as one JSON object on
stdout, keyed by workload path and then by pass count:

  {"<path>": {"<K>": {"npus": N, "passes": K, "same_graph_on_every_npu": true|false,
                      "nodes": [{"id", "name", "type": "comp"|"coll", "dur_us", "coll", "size",
                                 "deps"}, ...]}
                     or {"error": "<message>"} when the converter rejects the file}}

The nodes are NPU 0's; same_graph_on_every_npu says whether every other NPU's graph is the same
once its ids are shifted back to 0. One process for all files (python3 can be slow to start).
A TEST tool only: astra-sweep itself never runs the oracle.

usage: dump_text_workload_graph.py <oracle dir> <workload.txt>... [--npus N] [--passes K [K ...]]
"""
import argparse
import json
import sys


def shifted(graph, base):
    out = []
    for nid in sorted(graph):
        n = dict(graph[nid])
        n["id"] = nid - base
        n["deps"] = [d - base for d in n["deps"]]
        out.append(n)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("oracle_dir")
    ap.add_argument("workloads", nargs="+")
    ap.add_argument("--npus", type=int, default=2)
    ap.add_argument("--passes", type=int, nargs="+", default=[1])
    a = ap.parse_args()
    sys.path.insert(0, a.oracle_dir)
    import astra_model  # noqa: E402  (the oracle, imported by test tooling only)

    out = {}
    for path in a.workloads:
        out[path] = {str(k): dump(astra_model, path, a.npus, k) for k in a.passes}
    print(json.dumps(out))
    return 0


def dump(astra_model, path, npus, passes):
    try:
        graphs = astra_model.TextConverter(npus, passes).convert(path)
    except (ValueError, astra_model.SimFailure) as e:
        return {"error": str(e)}
    first = shifted(graphs[0], 0)
    same = True
    for g in graphs[1:]:
        base = min(g) if g else 0
        if shifted(g, base) != first:
            same = False
    nodes = []
    for n in first:
        nodes.append({"id": n["id"], "name": n["name"], "type": n["type"], "dur_us": n.get("dur_us"),
                      "coll": n.get("coll"), "size": n.get("size"), "deps": n["deps"]})
    return {"npus": npus, "passes": passes, "same_graph_on_every_npu": same, "nodes": nodes}


if __name__ == "__main__":
    sys.exit(main())
