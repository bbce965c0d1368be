#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and runs every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
# A fresh build/ (CI's clean clone) is built without debug information.
[ -f build/CMakeCache.txt ] || export WARTA_BUILD_TYPE=${WARTA_BUILD_TYPE:-Release}
./scripts/setup.sh
cd build
# The Debian packages are built from this build and checked (label deb,
# about a minute); the cold package build (label package, 10-30 min: a
# second whole build) is the release check: ./scripts/package-test.sh (README).
ctest --output-on-failure -j"$(nproc)" -LE package "$@"
