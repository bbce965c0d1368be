#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package from the tree (dpkg-buildpackage -us -uc -b, no
# tests: DEB_BUILD_OPTIONS=nocheck), checks it with lintian (no errors),
# unpacks it with dpkg -x into a temporary root and renders the sample
# bulletin with the unpacked program, which must find its voices and worker
# inside that root; ffprobe checks what it wrote.
# Usage: scripts/package-test.sh [WORK_DIR]   (default build/package)
# WARTA_PACKAGE_REUSE=1: check the .deb of the last run instead of building.
# The copy of the tree lives at a fixed place under WORK_DIR so that ccache
# (used when installed) finds the objects of the last package build.
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mkdir -p "${1:-$source_dir/build/package}" && cd "${1:-$source_dir/build/package}" && pwd)
tree=$work/warta
start=$(date +%s)

# WARTA_PACKAGE_REUSE=1 checks the .deb the last run built (no rebuild).
if [ "${WARTA_PACKAGE_REUSE:-}" = 1 ] && ls "$work"/warta_*.deb >/dev/null 2>&1; then
  rm -rf "$work/root" "$work/render"
else
# A clean copy: dpkg-buildpackage writes ../warta_*.deb beside the tree it builds.
rm -rf "$tree" "$work"/warta_* "$work/root" "$work/render"
mkdir -p "$tree"
if git -C "$source_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$source_dir" && git ls-files -z --cached | grep -zv '^build' |
     xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' | tar --null -T - -cf -) | tar -xf - -C "$tree"
else
  tar -C "$source_dir" --exclude=./build --exclude='./build-*' --exclude=./debian/.debhelper -cf - . | tar -xf - -C "$tree"
fi

export DEB_BUILD_OPTIONS="nocheck parallel=${WARTA_PACKAGE_JOBS:-2}"
# debhelper runs the build with a HOME of its own inside the tree (wiped by
# the clean copy): the cache is named explicitly, the builder's own.
if command -v ccache >/dev/null; then
  export WARTA_CCACHE=ccache CCACHE_BASEDIR=$tree CCACHE_DIR=${CCACHE_DIR:-$(ccache -k cache_dir)}
fi
(cd "$tree" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || { tail -50 "$work/build.log"; echo "dpkg-buildpackage failed (log: $work/build.log)"; exit 1; }
fi
built=$(date +%s)
deb=$(ls "$work"/warta_*.deb)
echo "built $(basename "$deb") in $((built - start)) s"

# lintian: no errors (warnings are reported by the run, not failed on).
lintian --fail-on error "$deb" | tee "$work/lintian.log"
echo "lintian: $(grep -c '^E:' "$work/lintian.log" || true) errors, $(grep -c '^W:' "$work/lintian.log" || true) warnings"

# What the package must hold, and what the binary needs at run time.
dpkg-deb -f "$deb" Depends | grep -q 'libespeak-ng1' || { echo "Depends lacks libespeak-ng1 (\${shlibs:Depends})"; exit 1; }
dpkg-deb -f "$deb" Depends | grep -q 'espeak-ng-data' || { echo "Depends lacks espeak-ng-data"; exit 1; }
dpkg -x "$deb" "$work/root"
root=$work/root
for f in usr/bin/warta usr/libexec/warta/warta-worker usr/share/warta/voices/id.yaml usr/share/warta/voices/id/numbers.yaml \
         usr/share/man/man1/warta.1.gz usr/share/man/man5/warta-rundown.5.gz usr/share/bash-completion/completions/warta \
         lib/systemd/system/warta-bulletin@.service lib/systemd/system/warta-bulletin@.timer usr/share/doc/warta/copyright; do
  [ -e "$root/$f" ] || { echo "the package lacks /$f"; exit 1; }
done
for page in usr/share/man/man1/warta.1.gz usr/share/man/man5/warta-rundown.5.gz; do
  warnings=$(zcat "$root/$page" | groff -man -ww -z -Tutf8 2>&1)
  [ -z "$warnings" ] || { echo "/$page: $warnings"; exit 1; }
done
grep -q "ExecStart=/usr/bin/warta build /etc/warta/%i.yaml" "$root/lib/systemd/system/warta-bulletin@.service" ||
  { echo "warta-bulletin@.service does not run /usr/bin/warta on /etc/warta/%i.yaml"; exit 1; }

# The unpacked program renders the sample bulletin with its own data: no
# WARTA_VOICES or WARTA_WORKER, and nothing of warta installed on this
# machine, so the voices and worker can only be the ones under $root.
if [ -e /usr/share/warta/voices ] || [ -e /usr/libexec/warta/warta-worker ]; then
  echo "note: warta is installed on this machine; the run below names where it found its data"
fi
mkdir -p "$work/render"
cp -r "$source_dir/samples/." "$work/render/in"
(cd "$work/render" && env -u WARTA_VOICES -u WARTA_WORKER -u WARTA_CACHE \
   LD_LIBRARY_PATH="$root/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH):$root/usr/lib" \
   "$root/usr/bin/warta" build in/rundown.yaml -o out --no-cache -j 2 >printed 2>errors) ||
  { cat "$work/render/errors"; echo "the unpacked warta failed to render the sample bulletin"; exit 1; }
out=$(cat "$work/render/printed")
case $out in /*) ;; *) out=$work/render/$out ;; esac  # printed relative to where warta ran
[ -f "$out" ] || { echo "warta printed '$out', which is no file"; exit 1; }
"$root/usr/bin/warta" --version | tee "$work/render/version"
grep -q '^eSpeak NG [0-9]' "$work/render/version" || { echo "--version names no eSpeak NG version"; exit 1; }

# samples/rundown.yaml asks for MP3, 128 kb/s, 2 channels, 44.1 kHz; four stories
# with jingles last minutes, not seconds.
probe=$(ffprobe -v error -show_entries stream=codec_name,channels,sample_rate,bit_rate -show_entries format=duration \
          -of default=noprint_wrappers=1 "$out")
echo "$probe"
grep -qx 'codec_name=mp3' <<<"$probe" || { echo "not MP3"; exit 1; }
grep -qx 'channels=2' <<<"$probe" || { echo "not 2 channels"; exit 1; }
grep -qx 'sample_rate=44100' <<<"$probe" || { echo "not 44.1 kHz"; exit 1; }
grep -qx 'bit_rate=128000' <<<"$probe" || { echo "not 128 kb/s"; exit 1; }
duration=$(sed -n 's/^duration=//p' <<<"$probe")
awk -v d="$duration" 'BEGIN { exit !(d > 120 && d < 900) }' || { echo "duration $duration s is not a four-story bulletin"; exit 1; }
echo "package test passed in $(($(date +%s) - start)) s (package build $((built - start)) s)"
