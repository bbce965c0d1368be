#!/usr/bin/env bash
# Benchmarks under /usr/bin/time -v, each command RUNS times (default 3),
# reporting medians and the largest peak RSS:
#  1. rendering the sample bulletin (wall time, audio duration, real-time factor);
#  2. normalizing a generated 5 MB article (target: under 2 s);
#  3. a generated ~30-minute bulletin: what measuring, leveling and limiting
#     cost next to the MP3 encode (warta's own per-stage timing; target < 15%).
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

# measure NAME CMD...: runs CMD $runs times; sets MEDIAN (s) and PEAK_MB.
measure() {
  local name=$1; shift
  local walls=() rss=() wall kb
  for i in $(seq "$runs"); do
    /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time.txt")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    walls+=("$wall"); rss+=("$kb")
    echo "$name run $i: wall ${wall}s, peak RSS $((kb / 1024)) MB" >&2
  done
  MEDIAN=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
  PEAK_MB=$(( $(printf '%s\n' "${rss[@]}" | sort -n | tail -n 1) / 1024 ))
}

measure bulletin build/warta build samples/rundown.yaml -o "$work/out" --timeline "$work/timeline.tsv"
bulletin_wall=$MEDIAN; bulletin_rss=$PEAK_MB
audio=$(tail -n 1 "$work/timeline.tsv" | cut -f2)

# A 5 MB article: the samples' paragraphs repeated.
{
  echo "Uji Kecepatan Normalisasi"; echo
  while [ "$(stat -c %s "$work/big.txt" 2>/dev/null || echo 0)" -lt 5242880 ]; do
    for f in samples/articles/*.txt; do awk 'NR > 2' "$f" | grep -v '^[[(]' >> "$work/big.txt"; echo >> "$work/big.txt"; done
  done
} > "$work/head.txt"
cat "$work/head.txt" "$work/big.txt" > "$work/article.txt"
size_mb=$(awk -v b="$(stat -c %s "$work/article.txt")" 'BEGIN {printf "%.1f", b / 1048576}')
measure normalize build/warta normalize "$work/article.txt"
norm_wall=$MEDIAN; norm_rss=$PEAK_MB

# A ~30-minute bulletin: every article we have, then the samples again; podcast loudness.
mkdir -p "$work/long"
{
  echo "show: Bench"; echo "date: 2025-06-11"; echo "loudness: podcast"
  echo "intro: $PWD/samples/jingles/intro.flac"; echo "outro: $PWD/samples/jingles/outro.flac"
  echo "stinger: $PWD/samples/jingles/sting.flac"; echo "stories:"
  for f in samples/articles/* tests/data/articles/0*.txt samples/articles/*; do
    case "$f" in *.expected.txt) continue ;; esac
    echo "  - $PWD/$f"
  done
} > "$work/long/rundown.yaml"
ratios=(); long_walls=()
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  line=$(build/warta build "$work/long/rundown.yaml" -o "$work/long" 2>&1 >/dev/null | tail -n 1)
  long_walls+=("$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')")
  m=$(sed -n 's/.*mastering \([0-9.]*\) s, encoding \([0-9.]*\) s.*/\1 \2/p' <<<"$line")
  ratios+=("$(awk -v m="${m% *}" -v e="${m#* }" 'BEGIN {printf "%.4f", m / e}')")
  echo "30-min run $i: $line" >&2
done
long_length=$(sed -n 's/.*: \([0-9]*:[0-9]*\), leveled.*/\1/p' <<<"$line")
ratio=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
long_wall=$(printf '%s\n' "${long_walls[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')

printf '%-36s %s\n' "machine" "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
printf '%-36s %s\n' "runs per measurement" "$runs"
printf '%-36s %.2f s\n' "bulletin: wall time (median)" "$bulletin_wall"
printf '%-36s %.2f s\n' "bulletin: audio duration" "$audio"
printf '%-36s %s\n' "bulletin: real-time factor" "$(awk -v a="$audio" -v m="$bulletin_wall" 'BEGIN {printf "%.1fx", a / m}')"
printf '%-36s %d MB\n' "bulletin: peak RSS (max of runs)" "$bulletin_rss"
printf '%-36s %.2f s\n' "normalize ${size_mb} MB: wall (median)" "$norm_wall"
printf '%-36s %d MB\n' "normalize: peak RSS (max of runs)" "$norm_rss"
printf '%-36s %s\n' "long bulletin: length" "$long_length"
printf '%-36s %.2f s\n' "long bulletin: wall (median)" "$long_wall"
printf '%-36s %.1f%%\n' "long: mastering / MP3 encode (median)" "$(awk -v r="$ratio" 'BEGIN {print r * 100}')"
