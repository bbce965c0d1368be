#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# libwarta as a user gets it: `cmake --install` of the build into a scratch
# prefix, examples/ built against the installed tree (find_package(warta)
# shared and static, and pkg-config), each run with the installed voices
# only, and every MP3 judged by ffprobe and a full decode by ffmpeg.
#   install_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
work=$build/install-test
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >"$work/install.log" || fail "cmake --install (see $work/install.log)"

libdir=$(dirname "$(find "$prefix" -name libwarta.so -print -quit)")
[ -n "$libdir" ] && [ -d "$libdir" ] || fail "no libwarta.so installed"
for f in include/warta/warta.h include/warta/error.h bin/warta share/warta/voices/id.yaml; do
  [ -e "$prefix/$f" ] || fail "$f not installed"
done
for f in libwarta.a libwarta.so.0 pkgconfig/warta.pc cmake/warta/wartaConfig.cmake cmake/warta/wartaConfigVersion.cmake \
         cmake/warta/wartaTargets.cmake cmake/warta/wartaStaticTargets.cmake; do
  [ -e "$libdir/$f" ] || fail "$libdir/$f not installed"
done
[ "$(readelf -d "$libdir/libwarta.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')" = libwarta.so.0 ] ||
  fail "the soname is not libwarta.so.0"

# The shared library exports the warta:: API and nothing of the rooms (warta::app) or other libraries' code.
exported=$(nm -D --defined-only "$libdir/libwarta.so" | awk '{print $3}' | c++filt)
echo "$exported" >"$work/exported.txt"
grep -q '^warta::Studio::prepare' <<<"$exported" || fail "warta::Studio::prepare is not exported"
if grep -q 'warta::app::' <<<"$exported"; then fail "internal warta::app symbols are exported (see $work/exported.txt)"; fi
stray=$(echo "$exported" | grep -v 'warta' | grep -v '^_init$\|^_fini$' || true)
[ -z "$stray" ] || fail "symbols outside the warta API are exported: $(echo "$stray" | head -5)"

# The source tree's voices must not be what the programs use: WARTA_VOICES is
# unset and a voice only the installed tree has is asked for.
unset WARTA_VOICES
cp "$prefix/share/warta/voices/id.yaml" "$prefix/share/warta/voices/installed-only.yaml"
# A short article keeps the four renders quick: the point is linking and finding the voices.
article=$work/hujan.txt
printf '%s\n\n%s\n' 'Hujan Deras Guyur Kota Blitar' \
  'Kota Blitar – Hujan deras turun sejak Rabu (11/6/2025) pagi. Sebanyak 120 rumah terendam air setinggi 40 sentimeter.' \
  >"$article"
export WARTA_CACHE=$work/cache

check_mp3() {  # FILE: decodes whole, longer than a second
  local seconds
  seconds=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$1") || fail "ffprobe cannot read $1"
  awk -v s="$seconds" 'BEGIN { exit !(s > 1.0) }' || fail "$1 lasts $seconds s"
  [ "$(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name -of default=nw=1:nk=1 "$1")" = mp3 ] ||
    fail "$1 is not MP3"
  ffmpeg -v error -xerror -i "$1" -f null - 2>"$work/decode.log" || fail "$1 does not decode: $(cat "$work/decode.log")"
  [ ! -s "$work/decode.log" ] || fail "$1 decodes with errors: $(cat "$work/decode.log")"
  echo "$1: $seconds s"
}

# 1. find_package(warta), shared and static.
for kind in shared static; do
  static=OFF
  [ $kind = static ] && static=ON
  cmake -S "$src/examples" -B "$work/examples-$kind" -DCMAKE_PREFIX_PATH="$prefix" -DWARTA_EXAMPLES_STATIC=$static \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$work/examples-$kind.log" || fail "configuring examples ($kind): $work/examples-$kind.log"
  cmake --build "$work/examples-$kind" >>"$work/examples-$kind.log" 2>&1 || fail "building examples ($kind): $work/examples-$kind.log"
  # Read whole before grep: with pipefail, grep -q closing the pipe early could fail ldd with SIGPIPE.
  loads=$(ldd "$work/examples-$kind/say_one")
  if [ $kind = static ]; then
    grep -q libwarta <<<"$loads" && fail "the static example loads libwarta.so"
  else
    grep -q "$libdir/libwarta.so.0" <<<"$loads" || fail "the shared example does not load the installed libwarta.so"
  fi
  # libwarta.so finds the voices and the worker beside itself; a static program installed anywhere is told where
  # they are (pkg-config's voicesdir and worker).
  voices= worker=
  if [ $kind = static ]; then
    voices=$(PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config --variable=voicesdir warta)
    worker=$(PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config --variable=worker warta)
  fi
  (cd "$work" && WARTA_VOICES=$voices WARTA_WORKER=$worker "$work/examples-$kind/say_one" "$article" "$work/say-$kind.mp3" installed-only \
     >"$work/say-$kind.out") || fail "say_one ($kind) failed"
  grep -q '^headline: ' "$work/say-$kind.out" || fail "say_one ($kind) printed no headline"
  check_mp3 "$work/say-$kind.mp3"
done

# 2. pkg-config.
export PKG_CONFIG_PATH=$libdir/pkgconfig
[ "$(pkg-config --modversion warta)" = "$(sed -n 's/^project(warta VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")" ] ||
  fail "warta.pc has the wrong version"
# shellcheck disable=SC2046
c++ -std=c++17 -O1 -o "$work/say_one_pc" "$src/examples/say_one.cpp" $(pkg-config --cflags --libs warta) ||
  fail "compiling say_one with pkg-config"
LD_LIBRARY_PATH=$libdir "$work/say_one_pc" "$article" "$work/say-pc.mp3" installed-only >/dev/null || fail "say_one (pkg-config) failed"
check_mp3 "$work/say-pc.mp3"
# The same article, voice and options: the same MP3 whichever way the library was linked.
cmp -s "$work/say-shared.mp3" "$work/say-pc.mp3" || fail "the shared and pkg-config builds made different MP3s"
cmp -s "$work/say-shared.mp3" "$work/say-static.mp3" || fail "the shared and static builds made different MP3s"

# 3. The installed program finds the installed voices too.
"$prefix/bin/warta" say "$article" -o "$work/cli.mp3" --voice installed-only --no-cache 2>/dev/null >/dev/null ||
  fail "the installed warta cannot use its installed voices"
check_mp3 "$work/cli.mp3"

# 4. Errors reach the user as warta::Error with their kind.
if "$work/examples-shared/say_one" "$work/missing.txt" "$work/x.mp3" 2>"$work/err.txt"; then fail "a missing article succeeded"; fi
grep -q 'input error: .*missing.txt' "$work/err.txt" || fail "a missing article: $(cat "$work/err.txt")"

echo "install test passed"
