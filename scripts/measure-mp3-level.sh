#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Measures the level change of warta's MP3 encoder (LAME through FFmpeg's
# libmp3lame, CBR, default settings: what src/encode/chunk.cpp uses) on
# warta's own speech, for the table in src/encode/writer.cpp
# (mp3LevelLossDb). Renders the sample articles as a WAV with warta, encodes
# that WAV with `ffmpeg -c:a libmp3lame -b:a N` (mono as it is, stereo as the
# same speech on both channels, as warta places a voice), and prints the
# integrated loudness of the WAV minus that of the decoded MP3 (FFmpeg's
# ebur128), per channel count, sample rate and bit rate.
# Usage: scripts/measure-mp3-level.sh [WARTA_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
warta=${1:-build/warta}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$warta" say samples/articles/*.txt -o "$tmp/speech.wav" --no-cache 2>/dev/null >/dev/null
lufs() { ffmpeg -hide_banner -nostats -i "$1" -af ebur128 -f null - 2>&1 | awk '/^ +I:/ {v=$2} END {print v}'; }
echo "channels rate kbps wav_LUFS mp3_LUFS loss_LU"
for rate in 44100 48000; do
  for channels in 1 2; do
    ffmpeg -v error -y -i "$tmp/speech.wav" -ac "$channels" -ar "$rate" -c:a pcm_s16le "$tmp/in.wav"
    wav=$(lufs "$tmp/in.wav")
    for kbps in 32 40 48 56 64 80 96 112 128 160 192 224 256 320; do
      ffmpeg -v error -y -i "$tmp/in.wav" -c:a libmp3lame -b:a "${kbps}k" "$tmp/out.mp3"
      mp3=$(lufs "$tmp/out.mp3")
      echo "$channels $rate $kbps $wav $mp3 $(echo "$wav - $mp3" | bc -l)"
    done
  done
done
