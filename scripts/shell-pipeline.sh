#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The bulletin a producer would script without warta, from Debian's command-line
# tools, for scripts/bench.sh to compare against:
#   shell-pipeline.sh OUTDIR ARTICLE...
# espeak-ng reads each article as it is (headline, dateline, digits, editor codes
# and all: no normalization, which is the point), one after another; sox converts
# each to 44.1 kHz stereo and joins intro + 0.5 s + the articles with 1.2 s between
# them + outro; ffmpeg levels the whole to -16 LUFS / -1 dBTP (loudnorm, one pass)
# and encodes 128 kb/s MP3. Writes OUTDIR/out.mp3 (intermediate WAVs stay in OUTDIR).
# INTRO and OUTRO (environment) replace samples/jingles/intro.flac and outro.flac.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 OUTDIR ARTICLE..." >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
intro=${INTRO:-$root/samples/jingles/intro.flac}
outro=${OUTRO:-$root/samples/jingles/outro.flac}
out=$1; shift
mkdir -p "$out"

# One format for everything sox joins: 44.1 kHz, stereo, 16-bit.
fmt=(-r 44100 -c 2 -b 16)
sox "$intro" "${fmt[@]}" "$out/intro.wav"
sox "$outro" "${fmt[@]}" "$out/outro.wav"
sox -n "${fmt[@]}" "$out/gap-0.5.wav" trim 0 0.5
sox -n "${fmt[@]}" "$out/gap-1.2.wav" trim 0 1.2

parts=("$out/intro.wav" "$out/gap-0.5.wav")
i=0
for article in "$@"; do
  i=$((i + 1))
  espeak-ng -v id -s 160 -w "$out/a_$i.wav" -f "$article"
  sox "$out/a_$i.wav" "${fmt[@]}" "$out/a_${i}_44.wav"
  if [ "$i" -gt 1 ]; then parts+=("$out/gap-1.2.wav"); fi
  parts+=("$out/a_${i}_44.wav")
done
parts+=("$out/outro.wav")
sox "${parts[@]}" "$out/joined.wav"

ffmpeg -nostdin -hide_banner -loglevel error -y -i "$out/joined.wav" \
  -af loudnorm=I=-16:TP=-1:LRA=11 -ar 44100 -c:a libmp3lame -b:a 128k "$out/out.mp3"
