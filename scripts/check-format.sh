#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a C++ file is not formatted as .clang-format says
# (clang-format --dry-run -Werror names each place). With --fix, formats them.
# Usage: scripts/check-format.sh [--fix] [TREE]
set -euo pipefail
mode=(--dry-run -Werror)
if [ "${1:-}" = "--fix" ]; then mode=(-i); shift; fi
tree=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$tree"
command -v clang-format >/dev/null || { echo "clang-format missing (Debian package clang-format)"; exit 1; }
[ -f .clang-format ] || { echo "$tree/.clang-format missing"; exit 1; }
find . \( -path ./.git -o -path './build*' -o -path ./npm -o -path '*/node_modules' -o -path ./tests/fuzz/corpus \
          -o -path ./tests/data -o -path './obj-*' \) -prune -o -type f \( -name '*.cpp' -o -name '*.h' \) -print0 |
  sort -z | xargs -0 -n 50 -P 2 clang-format "${mode[@]}" --style=file
