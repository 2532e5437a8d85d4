#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""The plugin's files call down, never up: no file may reach itself again
through the functions and data it uses (from the object files, with nm) or
through the headers it includes (from the sources).  Prints the files in
the order a frame travels them, from the top, and every circle it finds.

usage: layering.py PLUGIN_SOURCE_DIR OBJECT_DIR...
"""
import os
import re
import subprocess
import sys


def objects(dirs):
    out = {}
    for d in dirs:
        for f in sorted(os.listdir(d)):
            if f.endswith(".c.o"):
                out[f[:-4]] = os.path.join(d, f)
    return out


def symbols(path):
    """(defined global symbols, undefined symbols) of one object file."""
    text = subprocess.run(["nm", path], check=True, capture_output=True, text=True).stdout
    defined, used = set(), set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRC":
            defined.add(parts[2])
    return defined, used


def call_graph(objs):
    owner, uses = {}, {}
    for name, path in objs.items():
        d, u = symbols(path)
        for s in d:
            owner[s] = name
        uses[name] = u
    return {a: {owner[s] for s in u if s in owner and owner[s] != a} for a, u in uses.items()}


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def include_graph(src):
    """.c file -> the .c files whose headers it includes, directly or through
    other headers (a header without a .c of its own passes its includes on)."""
    def includes(f):
        with open(os.path.join(src, f), encoding="utf-8") as fh:
            return INCLUDE.findall(fh.read())

    def reach(header, seen):
        for h in includes(header) if os.path.exists(os.path.join(src, header)) else []:
            if h not in seen:
                seen.add(h)
                reach(h, seen)
        return seen

    graph = {}
    for f in sorted(os.listdir(src)):
        if not f.endswith(".c"):
            continue
        me = f[:-2]
        hs = set()
        for h in includes(f):
            hs.add(h)
            reach(h, hs)
        graph[me] = {h[:-2] for h in hs
                     if h.endswith(".h") and h[:-2] != me and os.path.exists(os.path.join(src, h[:-2] + ".c"))}
    return graph


def circles(graph):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def order(graph):
    """Files from the top (nobody calls them) down."""
    depth = {}

    def d(v, trail=()):
        if v in depth:
            return depth[v]
        if v in trail:
            return 0
        callers = [a for a, bs in graph.items() if v in bs]
        depth[v] = 1 + max([d(a, trail + (v,)) for a in callers], default=-1)
        return depth[v]

    for v in graph:
        d(v)
    return sorted(graph, key=lambda v: (depth[v], v))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    src, dirs = sys.argv[1], sys.argv[2:]
    calls = call_graph(objects(dirs))
    incs = include_graph(src)
    bad = 0
    for what, graph in (("calls", calls), ("includes", incs)):
        for c in circles(graph):
            bad += 1
            edges = ["%s -> %s" % (a, b) for a in c for b in sorted(graph[a]) if b in c]
            print("circle in %s: %s (%s)" % (what, ", ".join(c), "; ".join(edges)))
    print("files from the top down, by calls:")
    for v in order(calls):
        print("  %-24s calls %s" % (v, ", ".join(sorted(calls[v])) or "nothing of the plugin"))
    if bad:
        sys.exit("%d circle(s): a file reaches itself again through the files it uses" % bad)
    print("no circles in %d files" % len(calls))


if __name__ == "__main__":
    main()
