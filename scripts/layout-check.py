#!/usr/bin/env python3
"""Checks the code's layout (docs/architecture.md, "Layout"), for tests/cli/test_layout.sh.

  layout-check.py includes         no circle of #include "..." among the project's files
  layout-check.py links OBJDIR...  no circle of symbol references among the objects
                                   of each folder, and none between the folders'
                                   libraries except downwards (programs -> core)

Prints one line per finding and exits 1 when there is any."""
import collections, glob, os, re, subprocess, sys


def cycles(graph):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
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
            if len(comp) > 1 or v in graph.get(v, ()):
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def includes():
    files = [f for f in glob.glob('src/**/*.[ch]', recursive=True) + glob.glob('screens/**/*.[ch]', recursive=True)]
    by_name = collections.defaultdict(list)
    for f in files:
        by_name[os.path.basename(f)].append(f)
    graph = {}
    # A module is its .c and .h together: a.c -> b.h -> a.h is a circle of modules.
    # An internal header (policy_int.h) belongs to its module (policy).
    mod = lambda f: re.sub(r"_int$", "", os.path.splitext(f)[0])
    for f in files:
        for line in open(f, encoding='utf-8'):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m:
                continue
            name = os.path.basename(m.group(1))
            same_dir = os.path.join(os.path.dirname(f), m.group(1))
            target = same_dir if os.path.exists(same_dir) else (by_name[name][0] if by_name[name] else None)
            if target and mod(target) != mod(f):
                graph.setdefault(mod(f), set()).add(mod(target))
    return cycles(graph)


def symbols(obj):
    out = subprocess.run(['nm', '--defined-only', '-g', obj], capture_output=True, text=True, check=True).stdout
    defined = {l.split()[-1] for l in out.splitlines() if l.strip() and l.split()[-2] not in ('U', 'w')}
    out = subprocess.run(['nm', '-u', obj], capture_output=True, text=True, check=True).stdout
    used = {l.split()[-1] for l in out.splitlines() if l.strip()}
    return defined, used


def links(dirs):
    defs, uses, folder = {}, {}, {}
    for d in dirs:
        for o in glob.glob(os.path.join(d, '**/*.o'), recursive=True):
            defs[o], uses[o] = symbols(o)
            folder[o] = d
    owner = {}
    for o, ds in defs.items():
        for s in ds:
            owner[s] = o
    graph = {o: {owner[s] for s in uses[o] if s in owner and owner[s] != o} for o in defs}
    found = ['circle of references: ' + ' -> '.join(c) for c in cycles(graph)]
    # Folders: the first one given is the core; nothing in it may use the others.
    core = dirs[0]
    for o in sorted(graph):
        if folder[o] == core:
            for t in sorted(graph[o]):
                if folder[t] != core:
                    found.append(f'{o} (the core) uses {t}')
    return found


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    if sys.argv[1] == 'includes':
        found = ['circle of includes: ' + ' -> '.join(c) for c in includes()]
    elif sys.argv[1] == 'links':
        found = links(sys.argv[2:])
    else:
        print(__doc__)
        return 2
    for f in found:
        print(f)
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
