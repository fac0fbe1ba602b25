#!/usr/bin/env python3
"""Checks ptxas' resource report of the CUDA kernels against a stated budget (ctest: cuda.resource_budget).

A GPU thread's stack frame, spill stores and registers decide whether a kernel runs at all (a frame
the driver cannot size statically overflows: the first H200 run crashed that way on every
congestion-aware point) and how fast (registers and local memory set the occupancy). nvcc prints
them at build time, so this guard needs no GPU: cmake/keep_ptxas_report.sh keeps the report beside
each object, this script compares it with kernels/cuda/resource_budget.txt.

usage: check_resource_budget.py BUDGET REPORT...    exit 0 within budget, 1 over, 77 no report (skip)
"""
import re
import subprocess
import sys

ENTRY = re.compile(r"Compiling entry function '([^']+)'")
PROPS = re.compile(r"Function properties for (\S+)")
FRAME = re.compile(r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads")
USED = re.compile(r"Used (\d+) registers")
CUMULATIVE = re.compile(r"(\d+) bytes cumulative stack size")


def demangle(names):
    try:
        out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True, check=True).stdout
        return dict(zip(names, out.splitlines()))
    except (OSError, subprocess.CalledProcessError):
        return {n: n for n in names}


def parse_report(path):
    """{name: {entry, registers, frame, spill_stores, cumulative}} for every function ptxas described."""
    functions, current, entry = {}, None, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = ENTRY.search(line)
            if m:
                entry = m.group(1)
                continue
            m = PROPS.search(line)
            if m:
                current = m.group(1)
                functions.setdefault(current, {"entry": current == entry, "registers": 0, "frame": 0,
                                               "spill_stores": 0, "cumulative": None})
                continue
            m = FRAME.search(line)
            if m and current:
                fn = functions[current]
                fn["frame"], fn["spill_stores"] = int(m.group(1)), int(m.group(2))
                continue
            m = USED.search(line)
            if m and entry in functions:
                functions[entry]["registers"] = int(m.group(1))
                c = CUMULATIVE.search(line)
                if c:
                    functions[entry]["cumulative"] = int(c.group(1))
    return functions


def parse_budget(path):
    """Entry budgets [(pattern, registers, stack, spill_stores)] in file order and the allowed calls."""
    entries, calls = [], []
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if fields[0] == "call" and len(fields) == 2:
                calls.append(fields[1])
            elif fields[0] == "kernel" and len(fields) == 5:
                entries.append((fields[1], int(fields[2]), int(fields[3]), int(fields[4])))
            else:
                sys.exit(f"error: {path}:{number}: expected 'kernel PATTERN REGISTERS STACK_BYTES SPILL_STORE_BYTES' "
                         f"or 'call PATTERN', got: {line}")
    return entries, calls


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    budget_path, reports = sys.argv[1], sys.argv[2:]
    if not reports:
        print("SKIP: no ptxas resource report (this build has no CUDA backend: nvcc not found)")
        return 77
    entries, calls = parse_budget(budget_path)
    functions = {}
    for report in reports:
        functions.update(parse_report(report))
    if not any(fn["entry"] for fn in functions.values()):
        print(f"FAIL: no kernel in {' '.join(reports)} (was the CUDA code built with --resource-usage?)")
        return 1
    readable = demangle(list(functions))
    failures, checked = [], 0
    print(f"{'registers':>9} {'stack_B':>8} {'spill_B':>8}  kernel (budget pattern)")
    for name, fn in sorted(functions.items(), key=lambda kv: readable[kv[0]]):
        short = readable[name][:150]
        if not fn["entry"]:
            if not any(p in name or p in readable[name] for p in calls):
                failures.append(f"device function compiled as a real call (recursion or noinline: its stack is "
                                f"not sized statically): {short} ({fn['frame']} bytes frame)")
            continue
        rule = next((r for r in entries if r[0] == "*" or r[0] in name or r[0] in readable[name]), None)
        if rule is None:
            failures.append(f"kernel without a budget line: {short}")
            continue
        checked += 1
        stack = fn["cumulative"] if fn["cumulative"] is not None else fn["frame"]
        print(f"{fn['registers']:>9} {stack:>8} {fn['spill_stores']:>8}  {short} ({rule[0]})")
        if fn["registers"] > rule[1]:
            failures.append(f"{short}: {fn['registers']} registers > budget {rule[1]}")
        if stack > rule[2]:
            failures.append(f"{short}: {stack} bytes stack > budget {rule[2]}")
        if fn["spill_stores"] > rule[3]:
            failures.append(f"{short}: {fn['spill_stores']} bytes spill stores > budget {rule[3]}")
    for f in failures:
        print("FAIL:", f)
    print(f"resource budget: {checked} kernels checked, {len(failures)} over budget ({budget_path})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
