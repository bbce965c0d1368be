#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tree-memory.sh CMD...: runs CMD and samples, every 20 ms, the memory of its
# whole process tree (warta's main process and its workers together), which
# /usr/bin/time -v does not show (it gives the largest single process).
# Prints "PSS_KB RSS_KB": the peak of the summed proportional set size
# (shared library pages counted once) and of the summed resident set size.
set -uo pipefail
"$@" >/dev/null 2>&1 &
root=$!
peak_pss=0; peak_rss=0
tree() { echo "$1"; local c; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$c"; done; }
while kill -0 "$root" 2>/dev/null; do
  pss=0; rss=0
  for p in $(tree "$root"); do
    read -r a b < <(awk '/^Pss:/ {p=$2} /^Rss:/ {r=$2} END {print p+0, r+0}' /proc/"$p"/smaps_rollup 2>/dev/null || echo "0 0")
    pss=$((pss + ${a:-0})); rss=$((rss + ${b:-0}))
  done
  [ "$pss" -gt "$peak_pss" ] && peak_pss=$pss
  [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
  sleep 0.02
done
wait "$root" || exit $?
echo "$peak_pss $peak_rss"
