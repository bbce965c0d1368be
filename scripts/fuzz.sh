#!/usr/bin/env bash
# Fuzzes the normalizer with libFuzzer (clang, ASan + UBSan) for a bounded
# time: ./scripts/fuzz.sh [SECONDS] (default 60). Builds in build-fuzz/.
# Exits non-zero on any crash, sanitizer report or broken invariant.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (Debian package clang)" >&2; exit 1; }
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DWARTA_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target normalize_fuzz >/dev/null
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
# Seeds: every article we have, whole and split into paragraphs.
for f in samples/articles/* tests/data/articles/*.txt; do
  [ -f "$f" ] || continue
  cp "$f" "$corpus/$(basename "$f")"
  awk -v dir="$corpus" -v base="$(basename "$f")" 'BEGIN{RS=""} {print > (dir "/" base "." NR)}' "$f"
done
log="$corpus.log"
trap 'rm -rf "$corpus" "$log"' EXIT
status=0
ASAN_OPTIONS=detect_leaks=0 build-fuzz/tests/fuzz/normalize_fuzz -max_total_time="$seconds" -max_len=4096 \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build-fuzz/ "$corpus" >"$log" 2>&1 || status=$?
# Which invariant broke, with its input and output (a long report's tail alone would lose it).
grep -a -A2 "normalizer invariant broken" "$log" | cut -c1-4000 || true
tail -n 25 "$log"
[ "$status" -eq 0 ] || exit "$status"
echo "fuzz: normalizer ran ${seconds}s without a crash or broken invariant"
