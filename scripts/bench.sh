#!/usr/bin/env bash
# Renders the sample bulletin N times (default 3) under /usr/bin/time -v and
# prints the median wall time, the audio duration, the real-time factor
# (audio seconds per wall second) and the largest peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
./scripts/setup.sh
if [ ! -x /usr/bin/time ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -qq time >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
walls=(); rss=()
for i in $(seq "$runs"); do
  /usr/bin/time -v -o "$work/time.txt" build/warta build samples/rundown.yaml -o "$work/out" \
    --timeline "$work/timeline.tsv" >/dev/null
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time.txt")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  walls+=("$wall"); rss+=("$kb")
  echo "run $i: wall ${wall}s, peak RSS $((kb / 1024)) MB" >&2
done
audio=$(tail -n 1 "$work/timeline.tsv" | cut -f2)
median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -n 1)
printf '%-28s %s\n' "machine" "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
printf '%-28s %s\n' "runs" "$runs"
printf '%-28s %.2f s\n' "wall time (median)" "$median"
printf '%-28s %.2f s\n' "audio duration" "$audio"
printf '%-28s %s\n' "real-time factor" "$(awk -v a="$audio" -v m="$median" 'BEGIN {printf "%.1fx", a / m}')"
printf '%-28s %d MB\n' "peak RSS (max of runs)" "$((peak / 1024))"
