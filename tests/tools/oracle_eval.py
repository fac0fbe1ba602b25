#!/usr/bin/env python3
"""TEST TOOL: evaluates golden-format cases (JSON lines on stdin) with the shared oracle
(../shared/oracle/astra_model.py) and prints one result line per case, in input order.

Used only by tests and development checks of the fast evaluator; the product never calls it.
Usage: python3 tests/tools/oracle_eval.py [--oracle PATH] [--base-dir DIR] < cases.jsonl
A case may carry "all_npus": true in its result to ask for every NPU's finish time (default)."""
import argparse
import importlib.util
import json
import os
import sys


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.environ.get("ASTRA_SHARED_DIR") or os.path.join(here, "..", "..", "..", "shared")
    default_oracle = os.path.normpath(os.path.join(shared, "oracle", "astra_model.py"))
    ap = argparse.ArgumentParser()
    ap.add_argument("--oracle", default=default_oracle)
    ap.add_argument("--base-dir", default=os.path.normpath(os.path.join(shared, "golden")))
    a = ap.parse_args()
    spec = importlib.util.spec_from_file_location("astra_model", a.oracle)
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        print(json.dumps(model.run_case(case, a.base_dir)), flush=True)


if __name__ == "__main__":
    main()
