#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The longest functions (lines from signature to closing brace) under a
# directory, longest first: a reviewer's check that no rule chain grows back.
#   scripts/longest-functions.sh [DIR=src] [COUNT=10]
# Uses Universal Ctags (Debian package universal-ctags) for where each
# function starts and ends; lambdas are counted inside their function.
set -eu
dir=${1:-src}
count=${2:-10}
command -v ctags >/dev/null || { echo "longest-functions: needs ctags (apt install universal-ctags)" >&2; exit 1; }
ctags -R --languages=C++ --langmap=C++:+.h --kinds-C++=f --fields=+neS --extras=-F -o - "$dir" |
python3 -c '
import sys
rows = []
for line in sys.stdin:
    if line.startswith("!_"):
        continue
    cols = line.rstrip("\n").split("\t")
    name, path, fields = cols[0], cols[1], cols[3:]
    if name.startswith("__anon"):
        continue
    f = dict(c.split(":", 1) for c in fields if ":" in c)
    if "line" not in f or "end" not in f:
        continue
    scope = f.get("class") or f.get("struct") or ""
    scope = scope.split("::")[-1]
    qualified = (scope + "::" + name) if scope else name
    start, end = int(f["line"]), int(f["end"])
    rows.append((end - start + 1, path, start, qualified))
rows.sort(key=lambda r: (-r[0], r[1], r[2]))
for n, path, start, name in rows[: int(sys.argv[1])]:
    print(f"{n:5d}  {path}:{start}  {name}")
' "$count"
