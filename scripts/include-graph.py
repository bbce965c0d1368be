#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The include graph of warta's rooms, and the check that data flows one way.

Usage: scripts/include-graph.py [--check] [--dot]
  (no option)  prints, per room, the rooms its files include, with counts
  --dot        prints the graph in Graphviz dot
  --check      exits 1 naming every #include of a room above the including one
  (WARTA_TREE=DIR checks another tree: the test plants an upward include in one)

A room is a folder under src/ (plus include/warta, the public headers, seen by
all). The order below is the flow: a room may include itself and any room
earlier in the list, never a later one.
"""
import os, re, sys
from collections import Counter, defaultdict

# audio/ holds the Audio value type every stage passes on, so it sits below
# speech/ (which makes Audio) although speech comes first in the flow.
ORDER = ['text', 'g2p', 'audio', 'speech', 'encode', 'publish', 'net', 'sources', 'station', 'deliver', 'config', 'render', 'api', 'cli']
# Front ends use libwarta only through its public header (include/warta).
FRONT_ENDS = {'cli'}
ROOT = os.environ.get('WARTA_TREE') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_0-9]+)/[^"]+"', re.M)

def main():
    edges = defaultdict(Counter)
    violations = []
    src = os.path.join(ROOT, 'src')
    for room in sorted(os.listdir(src)):
        folder = os.path.join(src, room)
        if not os.path.isdir(folder):
            continue
        for dirpath, _, files in os.walk(folder):
            for name in sorted(files):
                if not name.endswith(('.h', '.cpp')):
                    continue
                path = os.path.join(dirpath, name)
                text = open(path, encoding='utf-8').read()
                for m in INCLUDE.finditer(text):
                    target = m.group(1)
                    if target == 'warta':  # include/warta: the public contract, below everything
                        continue
                    if room in FRONT_ENDS and target != room:
                        line = text.count('\n', 0, m.start()) + 1
                        violations.append(f'{os.path.relpath(path, ROOT)}:{line}: {room}/ is a front end and includes {m.group(0).split(chr(34))[1]}; it may include only the public header warta/warta.h')
                    edges[room][target] += 1
                    if room not in ORDER or target not in ORDER:
                        violations.append(f'{os.path.relpath(path, ROOT)}: room "{room if room not in ORDER else target}" is not in the layer list of scripts/include-graph.py')
                    elif ORDER.index(target) > ORDER.index(room):
                        line = text.count('\n', 0, m.start()) + 1
                        violations.append(f'{os.path.relpath(path, ROOT)}:{line}: {room}/ includes {m.group(0).split(chr(34))[1]}, a room above it ({" -> ".join(ORDER)})')
    if '--check' in sys.argv:
        for v in violations:
            print(v)
        if violations:
            return 1
        print(f'layering ok: {sum(sum(c.values()) for c in edges.values())} includes across {len(edges)} rooms, all downward')
        return 0
    if '--dot' in sys.argv:
        print('digraph rooms {')
        for room, targets in sorted(edges.items()):
            for t, n in sorted(targets.items()):
                if t != room:
                    print(f'  "{room}" -> "{t}" [label={n}];')
        print('}')
        return 0
    for room in ORDER:
        if room in edges:
            others = ', '.join(f'{t} ({n})' for t, n in sorted(edges[room].items(), key=lambda x: ORDER.index(x[0]) if x[0] in ORDER else 99) if t != room)
            print(f'{room:8} -> {others or "(nothing)"}')
    return 0

sys.exit(main())
