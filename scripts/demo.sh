#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and renders the sample bulletin into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mkdir -p out
build/warta build samples/rundown.yaml -o out --timeline out/timeline.tsv
