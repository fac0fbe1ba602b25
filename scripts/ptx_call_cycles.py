#!/usr/bin/env python3
"""Recursion in a PTX file: builds the call graph of its .entry/.func definitions and prints
every cycle's functions. Exit 0 when there is none, 1 when there is (scripts/check_device_stack.sh)."""
import re
import sys

HEADER = re.compile(r"^\s*(?:\.visible\s+|\.weak\s+|\.extern\s+)*\.(?:func|entry)\b")
CALL = re.compile(r"\bcall(?:\.uni)?\s+(?:\([^)]*\)\s*,\s*)?([A-Za-z_$][\w$]*)")


def function_name(header):
    """`.func (.param .b64 func_retval0) name(` or `.visible .entry name(`: the identifier after
    the directives and the optional return parameter list."""
    rest = re.sub(r"^\s*(?:\.visible\s+|\.weak\s+|\.extern\s+)*\.(?:func|entry)\s*", "", header)
    if rest.startswith("("):
        rest = rest[rest.index(")") + 1:]
    m = re.match(r"\s*([A-Za-z_$][\w$]*)", rest)
    return m.group(1) if m else None


def call_graph(lines):
    bodies = {}  # function -> its body's code (calls span lines: `call.uni (retval0),\n name,`)
    current, header, depth = None, None, 0
    for line in lines:
        code = line.split("//", 1)[0]
        if depth == 0:
            if HEADER.match(code):
                header = code
            elif header is not None and code.strip():
                header += " " + code
            if header is not None and ("{" in code or code.rstrip().endswith(";")):
                if "{" in code:  # a definition (a prototype ends with ';')
                    current = function_name(header)
                    if current:
                        bodies.setdefault(current, [])
                header = None
        if current is not None:
            bodies[current].append(code)
        depth += code.count("{") - code.count("}")
        if depth == 0:
            current = None
    return {f: set(CALL.findall("\n".join(body))) for f, body in bodies.items()}


def cycles(graph):
    """Strongly connected components with a cycle (Tarjan, iterative)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in graph:
                    continue
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or v in graph.get(v, ()):
                    out.append(sorted(comp))
    return out


def main():
    with open(sys.argv[1]) as f:
        graph = call_graph(f.read().splitlines())
    found = cycles(graph)
    print(f"ptx_call_cycles: {len(graph)} functions, {sum(len(c) for c in graph.values())} call edges")
    for comp in found:
        print("recursive: " + " <-> ".join(comp))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
