#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian packages (warta, libwarta0, libwarta-dev) with
# dpkg-buildpackage -us -uc -b, checks them with lintian (no errors), unpacks
# them with dpkg -x into a temporary root and uses them from there: the
# unpacked warta renders the sample bulletin and says an article with a voice
# only that root has (so the voices and worker can only be the root's), and
# examples/say_one.cpp is compiled against the unpacked -dev files with
# pkg-config and run. ffprobe checks every MP3.
#
# Two ways to build, the same checks:
#   scripts/package-test.sh [WORK_DIR]
#       a cold build of the whole tree, as a release is built (10-30 min on
#       2 cores; ctest -L package). Default WORK_DIR: build/package.
#   scripts/package-test.sh --prebuilt BUILD_DIR [WORK_DIR]
#       the package made from BUILD_DIR, a build of this tree made already
#       (debian/rules: WARTA_PREBUILT_DIR, nothing compiled; CI runs this
#       through ctest). Default WORK_DIR: BUILD_DIR/package-prebuilt.
# WARTA_PACKAGE_REUSE=1: check the .debs of the last run instead of building.
# The copy of the tree lives at a fixed place under WORK_DIR so that ccache
# (used when installed) finds the objects of the last cold package build.
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/.." && pwd)
prebuilt=
if [ "${1:-}" = --prebuilt ]; then
  prebuilt=$(cd "${2:?--prebuilt needs the build folder}" && pwd)
  shift 2
  default_work=$prebuilt/package-prebuilt
else
  default_work=$source_dir/build/package
fi
work=$(mkdir -p "${1:-$default_work}" && cd "${1:-$default_work}" && pwd)
tree=$work/warta
start=$(date +%s)
fail() { echo "FAIL: $*" >&2; exit 1; }

# ---- Build ----
if [ "${WARTA_PACKAGE_REUSE:-}" = 1 ] && ls "$work"/warta_*.deb >/dev/null 2>&1; then
  rm -rf "$work/root" "$work/render"
else
  # A clean copy (so dpkg-buildpackage -nc: nothing to clean first); it
  # writes ../*.deb beside the tree it builds.
  rm -rf "$tree" "$work"/*.deb "$work"/*.ddeb "$work"/*.buildinfo "$work"/*.changes "$work/root" "$work/render"
  mkdir -p "$tree"
  if git -C "$source_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # The tracked files as they are in the worktree (edits included, deletions left out).
    (cd "$source_dir" && git ls-files -z --cached | grep -zv '^build' |
       while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
       tar --null -T - -cf -) | tar -xf - -C "$tree"
  else
    tar -C "$source_dir" --exclude=./build --exclude='./build-*' --exclude=./debian/.debhelper -cf - . | tar -xf - -C "$tree"
  fi
  if [ -n "$prebuilt" ]; then
    # No debug-symbol packages: the CI build's debug info is large and not shipped from CI.
    export DEB_BUILD_OPTIONS="nocheck noautodbgsym" WARTA_PREBUILT_DIR=$prebuilt
  else
    export DEB_BUILD_OPTIONS="nocheck parallel=${WARTA_PACKAGE_JOBS:-2}"
    # debhelper runs the build with a HOME of its own inside the tree (wiped by
    # the clean copy): the cache is named explicitly, the builder's own.
    if command -v ccache >/dev/null; then
      export WARTA_CCACHE=ccache CCACHE_BASEDIR=$tree CCACHE_DIR=${CCACHE_DIR:-$(ccache -k cache_dir)}
    fi
  fi
  (cd "$tree" && nice -n 10 dpkg-buildpackage -us -uc -b -nc >"$work/build.log" 2>&1) ||
    { tail -50 "$work/build.log"; fail "dpkg-buildpackage failed (log: $work/build.log)"; }
fi
built=$(date +%s)
debs=("$work"/warta_*.deb "$work"/libwarta0_*.deb "$work"/libwarta-dev_*.deb)
for deb in "${debs[@]}"; do [ -f "$deb" ] || fail "no $(basename "$deb")"; done
echo "built $(cd "$work" && echo *.deb) in $((built - start)) s"

# ---- lintian: no errors (warnings are listed, not failed on) ----
# It runs beside the checks below (its verdict is read at the end): half the
# time of the prebuilt test otherwise.
lintian --fail-on error "${debs[@]}" >"$work/lintian.log" 2>&1 &
lintian_pid=$!
trap 'kill "$lintian_pid" 2>/dev/null || true' EXIT

# ---- What each package holds and depends on ----
version=$(dpkg-deb -f "$work"/warta_*.deb Version)
declare -A depends
for pkg in warta libwarta0 libwarta-dev; do depends[$pkg]=$(dpkg-deb -f "$work/$pkg"_*.deb Depends); done
grep -q 'libespeak-ng1' <<<"${depends[warta]}" || fail "warta's Depends lack libespeak-ng1 (\${shlibs:Depends})"
grep -q 'espeak-ng-data' <<<"${depends[warta]}" || fail "warta's Depends lack espeak-ng-data"
grep -q 'libespeak-ng1' <<<"${depends[libwarta0]}" || fail "libwarta0's Depends lack libespeak-ng1 (\${shlibs:Depends})"
grep -qF "warta (= $version)" <<<"${depends[libwarta0]}" || fail "libwarta0 does not depend on its worker's package warta (= $version)"
grep -qF "libwarta0 (= $version)" <<<"${depends[libwarta-dev]}" || fail "libwarta-dev does not depend on libwarta0 (= $version)"
grep -qF "libwarta 0 libwarta0 (>= ${version%%-*})" <<<"$(dpkg-deb --ctrl-tarfile "$work"/libwarta0_*.deb | tar -xOf - ./shlibs)" ||
  fail "libwarta0's shlibs file does not give libwarta.so.0 as libwarta0 (>= ${version%%-*})"

ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
root=$work/root
mkdir -p "$root"
declare -A holds=(
  [warta]="usr/bin/warta usr/libexec/warta/warta-worker usr/share/warta/voices/id.yaml usr/share/warta/voices/id/numbers.yaml
           usr/share/man/man1/warta.1.gz usr/share/man/man5/warta-rundown.5.gz usr/share/bash-completion/completions/warta
           lib/systemd/system/warta-bulletin@.service lib/systemd/system/warta-bulletin@.timer usr/share/doc/warta/copyright"
  [libwarta0]="usr/lib/$ma/libwarta.so.0 usr/share/doc/libwarta0/copyright"
  [libwarta-dev]="usr/include/warta/warta.h usr/include/warta/error.h usr/lib/$ma/libwarta.so usr/lib/$ma/libwarta.a
                  usr/lib/$ma/pkgconfig/warta.pc usr/lib/$ma/cmake/warta/wartaConfig.cmake
                  usr/lib/$ma/cmake/warta/wartaConfigVersion.cmake usr/lib/$ma/cmake/warta/wartaTargets.cmake
                  usr/lib/$ma/cmake/warta/wartaStaticTargets.cmake"
)
for pkg in warta libwarta0 libwarta-dev; do
  dpkg-deb -c "$work/$pkg"_*.deb | awk '{print $6}' | sed 's|^\./||' >"$work/$pkg.contents"
  for f in ${holds[$pkg]}; do grep -qx "$f" "$work/$pkg.contents" || fail "$pkg lacks /$f"; done
  dpkg -x "$work/$pkg"_*.deb "$root"
done
grep -q '^usr/lib/' "$work/warta.contents" && fail "warta holds library files: $(grep '^usr/lib/' "$work/warta.contents" | head -3)"
[ "$(readlink "$root/usr/lib/$ma/libwarta.so")" = libwarta.so.0 ] || fail "libwarta.so does not link to libwarta.so.0"
[ "$(readelf -d "$root/usr/lib/$ma/libwarta.so.0" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')" = libwarta.so.0 ] ||
  fail "the soname is not libwarta.so.0"
for page in usr/share/man/man1/warta.1.gz usr/share/man/man5/warta-rundown.5.gz; do
  warnings=$(zcat "$root/$page" | groff -man -ww -z -Tutf8 2>&1)
  [ -z "$warnings" ] || fail "/$page: $warnings"
done
grep -q "ExecStart=/usr/bin/warta build /etc/warta/%i.yaml" "$root/lib/systemd/system/warta-bulletin@.service" ||
  fail "warta-bulletin@.service does not run /usr/bin/warta on /etc/warta/%i.yaml"

# ---- The unpacked warta renders the sample bulletin ----
# No WARTA_VOICES or WARTA_WORKER: the program finds its data relative to
# itself. Nothing of warta may be installed on this machine.
[ ! -e /usr/share/warta/voices ] && [ ! -e /usr/libexec/warta/warta-worker ] ||
  fail "warta is installed on this machine (/usr/share/warta or /usr/libexec/warta): the run could use it"
unset WARTA_VOICES WARTA_WORKER
export WARTA_CACHE=$work/render/cache
mkdir -p "$work/render"
cp -r "$source_dir/samples/." "$work/render/in"
(cd "$work/render" && "$root/usr/bin/warta" build in/rundown.yaml -o out --no-cache -j 2 >printed 2>errors) ||
  { cat "$work/render/errors"; fail "the unpacked warta failed to render the sample bulletin"; }
out=$(cat "$work/render/printed")
case $out in /*) ;; *) out=$work/render/$out ;; esac  # printed relative to where warta ran
[ -f "$out" ] || fail "warta printed '$out', which is no file"
"$root/usr/bin/warta" --version | tee "$work/render/version"
grep -q '^eSpeak NG [0-9]' "$work/render/version" || fail "--version names no eSpeak NG version"

# samples/rundown.yaml asks for MP3, 128 kb/s, 2 channels, 44.1 kHz; four stories
# with jingles last minutes, not seconds.
probe=$(ffprobe -v error -show_entries stream=codec_name,channels,sample_rate,bit_rate -show_entries format=duration \
          -of default=noprint_wrappers=1 "$out")
echo "$probe"
grep -qx 'codec_name=mp3' <<<"$probe" || fail "the bulletin is not MP3"
grep -qx 'channels=2' <<<"$probe" || fail "the bulletin is not 2 channels"
grep -qx 'sample_rate=44100' <<<"$probe" || fail "the bulletin is not 44.1 kHz"
grep -qx 'bit_rate=128000' <<<"$probe" || fail "the bulletin is not 128 kb/s"
duration=$(sed -n 's/^duration=//p' <<<"$probe")
awk -v d="$duration" 'BEGIN { exit !(d > 120 && d < 900) }' || fail "duration $duration s is not a four-story bulletin"

check_mp3() {  # FILE: an MP3 longer than a second that decodes whole
  local seconds
  seconds=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$1") || fail "ffprobe cannot read $1"
  [ "$(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name -of default=nw=1:nk=1 "$1")" = mp3 ] ||
    fail "$1 is not MP3"
  awk -v s="$seconds" 'BEGIN { exit !(s > 1.0) }' || fail "$1 lasts $seconds s"
  ffmpeg -v error -xerror -i "$1" -f null - 2>"$work/render/decode.log" || fail "$1 does not decode: $(cat "$work/render/decode.log")"
  echo "$(basename "$1"): $seconds s"
}

# A voice only the unpacked root has: found there or nowhere (in a build of
# the tree, the source's voices/ is compiled in as the last fallback).
cp "$root/usr/share/warta/voices/id.yaml" "$root/usr/share/warta/voices/root-only.yaml"
# A short article: the point is where the voice and worker come from.
article=$work/render/hujan.txt
printf '%s\n\n%s\n' 'Hujan Deras Guyur Kota Blitar' \
  'Kota Blitar – Hujan deras turun sejak Rabu (11/6/2025) pagi. Sebanyak 120 rumah terendam air setinggi 40 sentimeter.' \
  >"$article"
"$root/usr/bin/warta" say "$article" -o "$work/render/say.mp3" --voice root-only --no-cache >/dev/null 2>"$work/render/errors" ||
  { cat "$work/render/errors"; fail "the unpacked warta cannot use the voices beside it"; }
check_mp3 "$work/render/say.mp3"

# ---- examples/say_one.cpp against the unpacked libwarta-dev (pkg-config) ----
export PKG_CONFIG_PATH=$root/usr/lib/$ma/pkgconfig
[ "$(pkg-config --variable=libdir warta)" -ef "$root/usr/lib/$ma" ] ||
  fail "warta.pc's libdir is $(pkg-config --variable=libdir warta), not the unpacked /usr/lib/$ma"
# shellcheck disable=SC2046
c++ -std=c++17 -O1 -o "$work/render/say_one" "$source_dir/examples/say_one.cpp" $(pkg-config --cflags --libs warta) ||
  fail "compiling examples/say_one.cpp with pkg-config against the unpacked libwarta-dev"
loads=$(LD_LIBRARY_PATH=$root/usr/lib/$ma ldd "$work/render/say_one")
grep -q "$root/usr/lib/$ma/libwarta.so.0" <<<"$loads" || fail "say_one does not load the unpacked libwarta.so.0"
(cd "$work/render" && LD_LIBRARY_PATH=$root/usr/lib/$ma ./say_one "$article" say_one.mp3 root-only >say_one.out 2>errors) ||
  { cat "$work/render/errors"; fail "say_one (unpacked libwarta) failed"; }
grep -q '^headline: ' "$work/render/say_one.out" || fail "say_one printed no headline"
check_mp3 "$work/render/say_one.mp3"

# ---- The release check also builds examples/ with find_package(warta) ----
# (the CMake package in /usr/lib/<multiarch>/cmake/warta; CI's install test
# covers find_package for a `cmake --install` of its build.)
if [ -z "$prebuilt" ]; then
  cmake -S "$source_dir/examples" -B "$work/render/examples" -DCMAKE_PREFIX_PATH="$root/usr" -DCMAKE_BUILD_TYPE=Release \
    >"$work/render/examples.log" 2>&1 && cmake --build "$work/render/examples" >>"$work/render/examples.log" 2>&1 ||
    fail "building examples/ with find_package(warta) against the unpacked libwarta-dev (see $work/render/examples.log)"
  loads=$(LD_LIBRARY_PATH=$root/usr/lib/$ma ldd "$work/render/examples/say_one")
  grep -q "$root/usr/lib/$ma/libwarta.so.0" <<<"$loads" || fail "the CMake-built say_one does not load the unpacked libwarta.so.0"
  (cd "$work/render" && LD_LIBRARY_PATH=$root/usr/lib/$ma examples/say_one "$article" say_one_cmake.mp3 root-only >/dev/null 2>errors) ||
    { cat "$work/render/errors"; fail "say_one (find_package) failed"; }
  check_mp3 "$work/render/say_one_cmake.mp3"
fi

echo "checks done at $(($(date +%s) - start)) s"
if ! wait "$lintian_pid"; then cat "$work/lintian.log"; fail "lintian found errors"; fi
trap - EXIT
grep -v 'running with root privileges' "$work/lintian.log" || true
echo "lintian: $(grep -c '^E:' "$work/lintian.log" || true) errors, $(grep -c '^W:' "$work/lintian.log" || true) warnings (done at $(($(date +%s) - start)) s)"
echo "package test passed in $(($(date +%s) - start)) s (package build $((built - start)) s)"
