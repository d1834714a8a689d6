#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Derive the call graph between libswmsi's source files from their objects
and fail if a cycle runs through the leaves (alloc, bitmap, idmap, the MSI
table in msi_map). Usage: check_layering.py OBJDIR [--print]

OBJDIR holds the objects of src/*.c (e.g.
build/default/CMakeFiles/swmsi_static.dir/src). Each object's undefined
symbols (nm -u) are matched to the object that defines them; calls through
function pointers (the object and scheme ops tables) do not appear, which is
the point of those seams. Exit 0: no such cycle; 1: a cycle; 2: usage."""
import glob
import os
import subprocess
import sys

LEAVES = {"alloc", "bitmap", "idmap", "msi_map"}


def symbols(obj, undefined):
    args = ["nm", "--defined-only", "-g"] if not undefined else ["nm", "-u"]
    out = subprocess.run(args + [obj], check=True, capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def sccs(graph):
    """Tarjan: the strongly connected components of graph."""
    index, low, stack, on, comps = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            comps.append(comp)

    for v in graph:
        if v not in index:
            visit(v)
    return comps


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    objs = sorted(glob.glob(os.path.join(sys.argv[1], "*.o")))
    if not objs:
        print(f"no objects in {sys.argv[1]}", file=sys.stderr)
        return 2
    name = {o: os.path.basename(o).split(".")[0] for o in objs}
    owner = {}
    for o in objs:
        for sym in symbols(o, False):
            owner[sym] = name[o]
    graph = {name[o]: set() for o in objs}
    for o in objs:
        for sym in symbols(o, True):
            dst = owner.get(sym)
            if dst and dst != name[o]:
                graph[name[o]].add(dst)
    if "--print" in sys.argv:
        for src in sorted(graph):
            print(f"{src:14} -> {' '.join(sorted(graph[src])) or '(nothing)'}")
    bad = 0
    for comp in sccs(graph):
        if len(comp) > 1 and comp & LEAVES:
            print(f"cycle through {sorted(comp & LEAVES)}: {sorted(comp)}", file=sys.stderr)
            bad = 1
    for leaf in sorted(LEAVES & graph.keys()):
        extra = graph[leaf] - LEAVES
        if extra:
            print(f"{leaf} calls up into {sorted(extra)}", file=sys.stderr)
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
