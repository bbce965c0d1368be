#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The daily bulletin units pass `systemd-analyze verify` without a single
# warning (it exits 0 on unknown keys and bad values, so any output fails),
# and hold what the issue asks: KillMode=mixed, a start timeout, the journal,
# one output folder per rundown, /etc/warta/NAME.yaml.
# Usage: systemd_test.sh SOURCE_DIR WARTA_BINARY [UNIT_TEMPLATE]
set -euo pipefail
source_dir=$1
warta=$2
template=${3:-$source_dir/systemd/warta-bulletin@.service.in}
command -v systemd-analyze >/dev/null || { echo "systemd-analyze missing (Debian package systemd)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|@WARTA_RUNDOWN_DIR@|/etc/warta|g; s|@CMAKE_INSTALL_FULL_BINDIR@/warta|$warta|g" "$template" > "$work/warta-bulletin@.service"
cp "$source_dir/systemd/warta-bulletin@.timer" "$work/"
out=$(cd "$work" && systemd-analyze verify --man=no ./warta-bulletin@.service ./warta-bulletin@.timer 2>&1) || { echo "$out"; exit 1; }
if [ -n "$out" ]; then echo "systemd-analyze verify reported:"; echo "$out"; exit 1; fi
for line in "KillMode=mixed" "TimeoutStartSec=" "StandardOutput=journal" "StandardError=journal" \
            "StateDirectory=warta/%i" "build /etc/warta/%i.yaml -o %S/warta/%i"; do
  grep -qF -- "$line" "$work/warta-bulletin@.service" || { echo "warta-bulletin@.service lacks $line"; exit 1; }
done
for line in "OnCalendar=" "Persistent=true" "WantedBy=timers.target"; do
  grep -qF -- "$line" "$work/warta-bulletin@.timer" || { echo "warta-bulletin@.timer lacks $line"; exit 1; }
done
echo "systemd units verified"
