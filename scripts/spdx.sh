#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Gives every source file of the tree its license line, idempotently:
#   // SPDX-License-Identifier: GPL-3.0-or-later   C++ (.cpp, .h)
#   # SPDX-License-Identifier: GPL-3.0-or-later    shell, Python, CMake (after a #! line)
# Usage: scripts/spdx.sh [--check] [TREE]
# --check changes nothing, lists the files lacking it and fails if there are any.
set -euo pipefail
check=false
if [ "${1:-}" = "--check" ]; then check=true; shift; fi
tree=${1:-$(cd "$(dirname "$0")/.." && pwd)}
id="SPDX-License-Identifier: GPL-3.0-or-later"

# Source files: not build trees, installed npm packages, fuzz corpora or test data.
files() {
  (cd "$tree" && find . \( -path ./.git -o -path './build*' -o -path ./npm -o -path '*/node_modules' -o -path ./tests/fuzz/corpus \
                          -o -path ./tests/data -o -path ./debian/.debhelper -o -path './obj-*' \) -prune -o -type f \
       \( -name '*.cpp' -o -name '*.h' -o -name '*.sh' -o -name '*.py' -o -name '*.bash' -o -name '*.cmake' -o -name CMakeLists.txt \) \
       -print | sed 's|^\./||' | sort)
}

# The files whose first three lines hold no license line (one awk for all: fast).
lacking() {
  files | (cd "$tree" && tr '\n' '\0' | xargs -0 -r awk '
    FNR == 1 { if (NR > 1 && !found) print name; found = 0; name = FILENAME }
    FNR <= 3 && /SPDX-License-Identifier:/ { found = 1 }
    END { if (NR > 0 && !found) print name }')
}

missing=0
while IFS= read -r f; do
  [ -n "$f" ] || continue
  path=$tree/$f
  if $check; then echo "$f: no SPDX-License-Identifier line"; missing=$((missing + 1)); continue; fi
  case $f in
    *.cpp|*.h) line="// $id" ;;
    *) line="# $id" ;;
  esac
  tmp=$(mktemp "$path.XXXXXX")
  if head -n 1 "$path" | grep -q '^#!'; then
    { head -n 1 "$path"; echo "$line"; tail -n +2 "$path"; } > "$tmp"
  else
    { echo "$line"; cat "$path"; } > "$tmp"
  fi
  chmod --reference="$path" "$tmp"
  mv "$tmp" "$path"
  echo "spdx: $f"
done < <(lacking)
if $check && [ "$missing" -gt 0 ]; then echo "$missing files lack the license line (run scripts/spdx.sh)"; exit 1; fi
exit 0
