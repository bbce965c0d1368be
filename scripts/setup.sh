#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by demo.sh, test.sh and bench.sh: installs the Debian packages warta
# needs (only those missing) and builds into build/. chromium (headless) and
# python3 run the episode page's browser test (tests/e2e/page_test.cpp).
# espeak-ng (the CLI), sox and time are for bench.sh: the shell pipeline it
# compares warta with (sox pulls in libsox-fmt-base, which reads FLAC) and
# /usr/bin/time -v. libzip-dev writes the talking book (EPUB); epubcheck (Java)
# validates it in tests/e2e/epub_test.cpp. libmp3lame-dev: LAME, the MP3
# encoder (driven directly: src/encode/lame_encoder.cpp). python3-mutagen:
# one of the MP3 readers tests/e2e/loudness_test.cpp checks the length with.
# libtag1-dev (TagLib): builds and reads the MP3's ID3v2.4 tag (src/encode/id3_tag.cpp).
# libcurl4-openssl-dev: fetching stories over HTTP(S) (src/net/http.cpp); libgumbo-dev: the
# HTML5 parser that reads fetched web pages (src/sources/html_article.cpp).
# Shipping checks (issue 19): debhelper, dpkg-dev and lintian build and check the
# Debian package (scripts/package-test.sh), clang-format the formatting check,
# groff-base renders the man pages, systemd's systemd-analyze verifies the units.
# zlib1g-dev: the PNG cover check (src/encode/cover_image.cpp) streams the picture data.
# libcli11-dev: the command line's option parser (src/cli/cli.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libespeak-ng-dev espeak-ng-data libsndfile1-dev
          libavcodec-dev libavformat-dev libswresample-dev libavutil-dev libyaml-cpp-dev
          catch2 libebur128-dev nlohmann-json3-dev clang ffmpeg python3 chromium espeak-ng sox time
          libzip-dev epubcheck libmp3lame-dev python3-mutagen libtag1-dev libcurl4-openssl-dev libgumbo-dev
          debhelper dpkg-dev lintian clang-format groff-base systemd zlib1g-dev libcli11-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "warta: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# WARTA_BUILD_TYPE: RelWithDebInfo by default; scripts/test.sh asks for
# Release (the same -O2, no debug information: a third less compile time and
# far smaller objects to link) when it makes build/ afresh, as CI does. An
# existing build/ keeps its type unless WARTA_BUILD_TYPE is given.
if [ -z "${WARTA_BUILD_TYPE:-}" ] && [ -f build/CMakeCache.txt ]; then
  cmake -S . -B build >&2
else
  cmake -S . -B build -DCMAKE_BUILD_TYPE="${WARTA_BUILD_TYPE:-RelWithDebInfo}" >&2
fi
cmake --build build -j"$(nproc)" >&2

# rss-parser and podcast-partytime (npm, the Podcast Index's parser, which reads the
# Podcasting 2.0 tags), real podcast feed parsers the feed e2e test checks feed.xml
# with (the test fails without them). Debian's npm only where the machine has none.
if ! command -v npm >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >&2
fi
# webvtt-parser (npm): the W3C validator's WebVTT parser, an independent check of our captions.
# axe-core (npm): the accessibility rules the episode page test runs in Chromium.
# music-metadata (npm): an MP3 reader the loudness test checks the LAME tag and ID3 tag with.
npm_packages=(rss-parser@3 podcast-partytime@5 webvtt-parser@2 axe-core@4 music-metadata@11)
if [ ! -d build/npm/node_modules/rss-parser ] || [ ! -d build/npm/node_modules/podcast-partytime ] ||
   [ ! -d build/npm/node_modules/webvtt-parser ] || [ ! -f build/npm/node_modules/axe-core/axe.min.js ] ||
   [ ! -d build/npm/node_modules/music-metadata ]; then
  npm install --prefix build/npm --no-audit --no-fund "${npm_packages[@]}" >&2 ||
    echo "warta: npm install of ${npm_packages[*]} failed; the feed, caption, page and loudness tests will fail" >&2
fi
