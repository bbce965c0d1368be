#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and runs every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
# A fresh build/ (CI's clean clone) is built without debug information.
[ -f build/CMakeCache.txt ] || export WARTA_BUILD_TYPE=${WARTA_BUILD_TYPE:-Release}
./scripts/setup.sh
cd build
# The Debian package build (label package, 10-30 min: a second whole build)
# runs on its own: ./scripts/package-test.sh build/package (see README).
ctest --output-on-failure -j"$(nproc)" -LE package "$@"
