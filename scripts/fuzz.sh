#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fuzzes warta's readers with libFuzzer (clang, ASan + UBSan) for a bounded
# time: ./scripts/fuzz.sh [SECONDS] [TARGET...] (default 60 s, every target,
# each for SECONDS). Targets: normalize_fuzz rundown_fuzz article_fuzz
# lexicon_yaml_fuzz lexicon_pls_fuzz feed_fuzz. Builds in build-fuzz/.
# Seeds come from tests/fuzz/corpus/TARGET/ (kept in the tree: every input
# that once crashed a target stays there as a regression seed) and, for the
# normalizer and the article reader, the sample articles. New inputs the
# fuzzer finds go to a scratch folder, never into the tree.
# Exits non-zero on any crash, timeout, memory blow-up, sanitizer report or
# broken invariant; the crashing input is build-fuzz/crash-* (copy it into
# the target's corpus folder once it is fixed).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(normalize_fuzz rundown_fuzz article_fuzz lexicon_yaml_fuzz lexicon_pls_fuzz feed_fuzz)
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (Debian package clang)" >&2; exit 1; }
# Line tables only: ASan's reports keep FILE:LINE at a fraction of full debug information's compile time.
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-gline-tables-only -DCMAKE_CXX_COMPILER=clang++ \
  -DWARTA_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}" >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in "${targets[@]}"; do
  corpus="$scratch/$target"
  mkdir -p "$corpus"
  case "$target" in
    normalize_fuzz|article_fuzz)
      # Every article we have, whole and split into paragraphs.
      for f in samples/articles/* tests/data/articles/*.txt; do
        [ -f "$f" ] || continue
        cp "$f" "$corpus/$(basename "$f")"
        awk -v dir="$corpus" -v base="$(basename "$f")" 'BEGIN{RS=""} {print > (dir "/" base "." NR)}' "$f"
      done ;;
  esac
  seeds="tests/fuzz/corpus/$target"
  log="$scratch/$target.log"
  status=0
  # -rss_limit_mb: ASan triples warta's own 64 MB bound; past it is a blow-up.
  # quarantine_size_mb: ASan holds freed memory this long (256 MB by
  # default) to catch use after free; with it a fast machine ran
  # rundown_fuzz 90,000 times in its 12 s and passed 512 MB on the
  # quarantine and allocator caches alone (64 MB: peak 254 MB in 101,000 runs).
  ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=64 "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -max_len=8192 \
    -timeout=10 -rss_limit_mb=512 -print_final_stats=1 -artifact_prefix="build-fuzz/$target-" \
    "$corpus" $( [ -d "$seeds" ] && echo "$seeds" ) >"$log" 2>&1 || status=$?
  # Which invariant broke, with its input and output (a long report's tail alone would lose it).
  grep -a -A2 "invariant broken" "$log" | cut -c1-4000 || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log"
    echo "fuzz: $target failed (exit $status); the input is in build-fuzz/$target-*" >&2
    exit "$status"
  fi
  grep -a "stat::number_of_executed_units" "$log" || true
  echo "fuzz: $target ran ${seconds}s without a crash or broken invariant"
done
