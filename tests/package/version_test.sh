#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `warta --version` names the versions it runs with, each checked against an
# independent source: the espeak-ng and ffprobe programs (the same Debian
# libraries), dpkg for LAME, git for the revision.
# Usage: version_test.sh WARTA SOURCE_DIR
set -euo pipefail
warta=$1
source_dir=$2
out=$("$warta" --version)
echo "$out"
fail() { echo "FAIL: $*"; exit 1; }

version=$(sed -n 's/^project(warta VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")
grep -q "^warta $version (revision " <<<"$out" || fail "first line is not 'warta $version (revision ...)'"
revision=$(sed -n 's/^warta .* (revision \(.*\))$/\1/p' <<<"$out")
if [ "$revision" != unknown ]; then
  commit=$(sed -E 's/-dirty$//; s/.*-g([0-9a-f]+)$/\1/' <<<"$revision")
  git -C "$source_dir" cat-file -e "$commit^{commit}" 2>/dev/null || fail "revision '$revision' is no commit of $source_dir"
fi

espeak=$(espeak-ng --version | sed -n 's/^eSpeak NG text-to-speech: \([^ ]*\).*/\1/p')
[ -n "$espeak" ] || fail "espeak-ng --version printed no version"
grep -qx "eSpeak NG $espeak" <<<"$out" || fail "expected 'eSpeak NG $espeak' (espeak-ng --version)"

lame=$(dpkg-query -W -f '${Version}' libmp3lame0 | sed 's/-[^-]*$//')
grep -qx "LAME $lame" <<<"$out" || fail "expected 'LAME $lame' (dpkg: libmp3lame0)"

ffmpeg=$(ffprobe -version | sed -n 's/^ffprobe version \([^ ]*\).*/\1/p')
codec=$(ffprobe -version | sed -n 's/^libavcodec *[0-9. ]*\/ *\([0-9]*\)\. *\([0-9]*\)\. *\([0-9]*\)$/\1.\2.\3/p')
grep -qx "FFmpeg $ffmpeg (libavcodec $codec)" <<<"$out" || fail "expected 'FFmpeg $ffmpeg (libavcodec $codec)' (ffprobe -version)"
echo "version: all four match"
