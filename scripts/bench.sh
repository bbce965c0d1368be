#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmarks under /usr/bin/time -v, each command RUNS times (default 3),
# reporting medians of wall time and CPU time and the largest peak RSS.
#
# Main table: three shapes of bulletin made of our own articles
# (scripts/make-bench-bulletin.py), each built cold ("warta cold": an empty
# cache folder every run) and set against single-threaded LAME on the same
# audio (warta renders that shape to WAV, not timed, then ffmpeg -threads 1
# encodes it to 128 kb/s MP3: the encoder alone):
#  (a) a generated 26-minute, 13-story bulletin;
#  (b) the same with a music bed (samples/jingles/bed.flac, looped) under the
#      whole of it: every story under the bed;
#  (c) one story: all of (a)'s text as one article (about 20 minutes: no
#      headlines or gaps between stories), intro and outro jingles kept.
# For each: warta's and LAME's median wall time and their ratio (target at
# most 0.65), and CPU time: user + system of the whole process tree, as
# /usr/bin/time -v reports it (it counts the children that were waited for:
# warta's workers), medians, and their ratio (target at most 1.3). warta and
# LAME take turns, run by run, and each ratio is the median of the runs'
# pairs: on a shared machine whose speed drifts over minutes, a pair run
# back to back sees the same machine.
# Like for like: warta's WAV is 16-bit, dithered per channel, which costs
# LAME more than the undithered mix warta's own chunks encode (its near
# silences, fades and tails, are dither noise, and its mono speech differs
# between channels; digital silence stays 0). Each run also times
# LAME on warta's MP3 decoded to a float WAV, a proxy for the programme
# without dither, and reports those ratios on a line of their own.
# For (a) also:
#  - "warta, one story changed": after each cold build, one story gets one
#    more sentence and warta rebuilds with the same cache folder (target at
#    most 0.15 of cold);
#  - "shell pipeline": what a producer would script without warta
#    (scripts/shell-pipeline.sh: espeak-ng, sox, ffmpeg loudnorm + libmp3lame).
# For (a) and (b): the whole process tree's peak memory at -j 2
# (scripts/tree-memory.sh; target at most 64 MB PSS).
# Real-time factor = the length of warta's MP3 (ffprobe) / median wall time.
#
# Then the smaller measurements:
#  1. rendering the sample bulletin (wall time, audio duration, real-time factor);
#  2. normalizing a generated 5 MB article (target: under 2 s);
#  3. a generated ~30-minute bulletin: what measuring, leveling and limiting
#     cost next to the MP3 encode (warta's own per-stage timing; target < 15%).
#
# Environment:
#  WARTA_CACHE_FLAGS  extra `warta build` flags for the cold and the changed-story
#                     builds, {cache} standing for the bench's own cache folder
#                     (emptied before every cold run). Default: '--cache {cache}'
#                     when warta has --cache, else none. Set but empty: they
#                     build with --no-cache (when warta has it), so the
#                     changed-story row is a full render too.
#  BENCH_MD           also write the tables as Markdown to this file.
#  BENCH_SHAPES       the main table's shapes, of "a b c" (the default), e.g.
#                     BENCH_SHAPES=a for the 13-story bulletin alone; the
#                     changed-story and shell-pipeline rows come with (a).
#  BENCH_NO_SETUP     set to 1: skip scripts/setup.sh (packages, the whole build
#                     with its tests, npm) and time build/warta as it is.
# Every other build runs with --no-cache (when warta has it), WARTA_CACHE is unset
# and XDG_CACHE_HOME points into the bench's temporary folder, so nothing reads
# or fills ~/.cache/warta.
set -euo pipefail
md_out=""; [ -n "${BENCH_MD:-}" ] && md_out=$(realpath -m -- "$BENCH_MD")
cd "$(dirname "$0")/.."
runs="${1:-3}"
shapes=()
for s in ${BENCH_SHAPES-a b c}; do
  case "$s" in a | b | c) shapes+=("$s") ;; *) echo "bench: BENCH_SHAPES: unknown shape '$s' (a, b or c)" >&2; exit 2 ;; esac
done
[ ${#shapes[@]} -gt 0 ] || { echo "bench: BENCH_SHAPES names no shape (a, b or c)" >&2; exit 2; }
[ "${BENCH_NO_SETUP:-}" = 1 ] || ./scripts/setup.sh
[ -x build/warta ] || { echo "bench: no build/warta: run scripts/setup.sh" >&2; exit 2; }
# Timings on 2 cores are only comparable on a quiet machine: wait (at most
# 2 minutes) for the 1-minute load average to settle after the build.
for _ in $(seq 24); do
  awk -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {exit !(l > 0.3)}' || break
  sleep 5
done
load_before=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load_before" 'BEGIN {exit !(l > 0.5)}'; then
  echo "bench: load average $load_before before starting: the machine is busy, timings will be high" >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset WARTA_CACHE
export XDG_CACHE_HOME=$work/xdg-cache
no_cache=()
default_cache_flags=""
build_help=$(build/warta build --help 2>&1 || true)
if grep -q -- '--no-cache' <<<"$build_help"; then
  no_cache=(--no-cache)
  default_cache_flags="--cache {cache}"
fi
cache_flags=()
read -r -a cache_flags <<<"${WARTA_CACHE_FLAGS-$default_cache_flags}"
if [ ${#cache_flags[@]} -gt 0 ]; then
  cache_flags=("${cache_flags[@]//\{cache\}/$work/cache}")
  flags_note="\`${cache_flags[*]//$work/\$work}\`"
else
  cache_flags=("${no_cache[@]}")
  flags_note="none, so both warta rows are full renders"
fi
changed_story=7

# measure_once NAME CMD...: runs CMD once; sets WALL (s), CPU (user + system s
# of CMD and the children it waited for), KB (peak RSS of the largest process)
# and LAST (the last line CMD wrote to stderr: warta's summary).
measure_once() {
  local name=$1; shift
  /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; return 1; }
  cat "$work/stderr.txt" >&2
  LAST=$(tail -n 1 "$work/stderr.txt")
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time.txt")
  CPU=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {s += $2} END {print s}' "$work/time.txt")
  KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  echo "$name: wall ${WALL}s, CPU ${CPU}s, peak RSS $((KB / 1024)) MB" >&2
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
max_mb() { echo $(( $(printf '%s\n' "$@" | sort -n | tail -n 1) / 1024 )); }

# measure NAME CMD...: runs CMD $runs times; sets MEDIAN (s), CPU_MEDIAN (s)
# and PEAK_MB.
measure() {
  local name=$1; shift
  local walls=() cpus=() rss=()
  for i in $(seq "$runs"); do
    measure_once "$name run $i" "$@"
    walls+=("$WALL"); cpus+=("$CPU"); rss+=("$KB")
  done
  MEDIAN=$(median "${walls[@]}")
  CPU_MEDIAN=$(median "${cpus[@]}")
  PEAK_MB=$(max_mb "${rss[@]}")
}
mmss() { awk -v s="$1" 'BEGIN {s = int(s + 0.5); printf "%d:%02d", s / 60, s % 60}'; }
duration() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"; }

# --- The main table: three shapes, cold, against single-threaded LAME ---
bench=$work/bench
# (c) is (a)'s text as one article: without 12 headlines, the gaps between
# stories and their pauses, it reads in about 20 minutes.
gen() { python3 scripts/make-bench-bulletin.py "$bench" "$@" >/dev/null; }
declare -A shape_flags=([a]="" [b]="--bed" [c]="--single")
declare -A shape_file=([a]="" [b]="-bed" [c]="-single")  # rundown$file.yaml, bench$file.mp3
declare -A shape_what=([a]="13 stories" [b]="13 stories, bed under all" [c]="one article")
declare -A audio cold_wall cold_cpu cold_mb lame_wall lame_cpu lame_mb tree_pss tree_rss wall_ratio cpu_ratio
declare -A proxy_wall proxy_cpu proxy_wall_ratio proxy_cpu_ratio
changed_walls=(); changed_rss=(); changed_ratios=()
has_a=false
for s in "${shapes[@]}"; do
  [ "$s" = a ] && has_a=true
  read -r -a flags <<<"${shape_flags[$s]}"
  f=${shape_file[$s]}
  # The same audio as WAV for LAME (not timed).
  gen "${flags[@]}" --format wav
  build/warta build "$bench/rundown$f-wav.yaml" -o "$bench/out" "${no_cache[@]}" >/dev/null
  cp "$bench/out/bench$f.wav" "$work/lame-in.wav"
  # warta and LAME take turns, so a machine that speeds up or slows down
  # over the minutes of a shape weighs on both; each run gives a pair.
  walls=(); cpus=(); rss=(); l_walls=(); l_cpus=(); l_rss=(); wall_ratios=(); cpu_ratios=()
  p_walls=(); p_cpus=(); p_wall_ratios=(); p_cpu_ratios=()
  for i in $(seq "$runs"); do
    gen "${flags[@]}"         # the same articles every run (the last (a) run changed one)
    rm -rf "$work/cache"; mkdir -p "$work/cache"
    measure_once "($s) warta cold run $i" build/warta build "$bench/rundown$f.yaml" -o "$bench/out" "${cache_flags[@]}"
    walls+=("$WALL"); cpus+=("$CPU"); rss+=("$KB")
    w=$WALL; c=$CPU
    [ "$i" -eq 1 ] && audio[$s]=$(duration "$bench/out/bench$f.mp3")
    measure_once "($s) single-threaded LAME run $i" ffmpeg -nostdin -hide_banner -loglevel error -y -threads 1 \
      -i "$work/lame-in.wav" -c:a libmp3lame -b:a 128k "$work/lame.mp3"
    l_walls+=("$WALL"); l_cpus+=("$CPU"); l_rss+=("$KB")
    wall_ratios+=("$(awk -v a="$w" -v b="$WALL" 'BEGIN {print a / b}')")
    cpu_ratios+=("$(awk -v a="$c" -v b="$CPU" 'BEGIN {print a / b}')")
    # Like for like (see the top): warta writes no float WAV, so the proxy
    # is its MP3 decoded to float (the mix after one MP3 coding; not timed).
    [ "$i" -eq 1 ] && ffmpeg -nostdin -v error -y -i "$bench/out/bench$f.mp3" -c:a pcm_f32le "$work/lame-proxy.wav"
    measure_once "($s) single-threaded LAME, undithered proxy, run $i" ffmpeg -nostdin -hide_banner -loglevel error -y \
      -threads 1 -i "$work/lame-proxy.wav" -c:a libmp3lame -b:a 128k "$work/lame.mp3"
    p_walls+=("$WALL"); p_cpus+=("$CPU")
    p_wall_ratios+=("$(awk -v a="$w" -v b="$WALL" 'BEGIN {print a / b}')")
    p_cpu_ratios+=("$(awk -v a="$c" -v b="$CPU" 'BEGIN {print a / b}')")
    if [ "$s" = a ]; then
      gen --change "$changed_story"
      measure_once "(a) warta, one story changed run $i" build/warta build "$bench/rundown.yaml" -o "$bench/out" "${cache_flags[@]}"
      changed_walls+=("$WALL"); changed_rss+=("$KB"); changed_summary=$LAST
      changed_ratios+=("$(awk -v a="$WALL" -v b="$w" 'BEGIN {print a / b}')")
    fi
  done
  cold_wall[$s]=$(median "${walls[@]}"); cold_cpu[$s]=$(median "${cpus[@]}"); cold_mb[$s]=$(max_mb "${rss[@]}")
  lame_wall[$s]=$(median "${l_walls[@]}"); lame_cpu[$s]=$(median "${l_cpus[@]}"); lame_mb[$s]=$(max_mb "${l_rss[@]}")
  wall_ratio[$s]=$(median "${wall_ratios[@]}"); cpu_ratio[$s]=$(median "${cpu_ratios[@]}")
  proxy_wall[$s]=$(median "${p_walls[@]}"); proxy_cpu[$s]=$(median "${p_cpus[@]}")
  proxy_wall_ratio[$s]=$(median "${p_wall_ratios[@]}"); proxy_cpu_ratio[$s]=$(median "${p_cpu_ratios[@]}")

  # The whole tree's memory once (main process and two workers at the same time).
  if [ "$s" != c ]; then
    gen "${flags[@]}"
    read -r "tree_pss[$s]" "tree_rss[$s]" < <(scripts/tree-memory.sh build/warta build "$bench/rundown$f.yaml" \
      -o "$bench/out" -j 2 "${no_cache[@]}")
  fi
  rm -rf "$bench/out" "$work/lame-in.wav" "$work/lame-proxy.wav"
done

if $has_a; then
  gen
  measure "shell pipeline" scripts/shell-pipeline.sh "$work/shell" "$bench"/articles/*.txt
  shell_wall=$MEDIAN; shell_rss=$PEAK_MB
  shell_audio=$(duration "$work/shell/out.mp3")
  rm -rf "$work/shell"
fi

# --- The smaller measurements ---
measure bulletin build/warta build samples/rundown.yaml -o "$work/out" --timeline "$work/timeline.tsv" "${no_cache[@]}"
bulletin_wall=$MEDIAN; bulletin_rss=$PEAK_MB
sample_audio=$(tail -n 1 "$work/timeline.tsv" | cut -f2)

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
  line=$(build/warta build "$work/long/rundown.yaml" -o "$work/long" "${no_cache[@]}" 2>&1 >/dev/null | tail -n 1)
  long_walls+=("$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')")
  m=$(sed -n 's/.*mastering \([0-9.]*\) s, encoding \([0-9.]*\) s.*/\1 \2/p' <<<"$line")
  ratios+=("$(awk -v m="${m% *}" -v e="${m#* }" 'BEGIN {printf "%.4f", m / e}')")
  echo "30-min run $i: $line" >&2
done
long_length=$(sed -n 's/.*: \([0-9]*:[0-9]*\), leveled.*/\1/p' <<<"$line")
ratio=$(median "${ratios[@]}")
long_wall=$(median "${long_walls[@]}")

# --- Report (Markdown, padded so it also reads as plain text) ---
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
ram=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
os=""; [ -r /etc/debian_version ] && os=", Debian $(cat /etc/debian_version)"
row() { printf '| %-44s | %-18s | %-14s | %-16s |\n' "$@"; }
shape_row() { printf '| %-36s | %-10s | %-10s | %-20s | %-10s | %-10s | %-18s | %-14s | %-11s |\n' "$@"; }
rtf() { awk -v a="$1" -v w="$2" 'BEGIN {printf "%.0fx", a / w}'; }
secs() { awk -v w="$1" 'BEGIN {printf "%.2f s", w}'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
ratio() { div "$1" 1; }
# "(a) 0.61, (b) 0.64, (c) 0.58": NAME of an associative array over the
# shapes, each value written by FORMAT (default ratio; secs for times).
per_shape() {
  local -n num=$1; local format=${2:-ratio} out=() s
  for s in "${shapes[@]}"; do out+=("($s) $("$format" "${num[$s]}")"); done
  local IFS=,; sed 's/,/, /g' <<<"${out[*]}"
}
report=$(
  echo "Machine: $(nproc) cores (nproc), $ram RAM, $cpu$os. Load average before: $load_before. Runs per row: $runs."
  echo
  shape_row "shape (warta's audio), cold" "warta wall" "LAME wall" "warta / LAME wall" "warta CPU" "LAME CPU" "warta / LAME CPU" "warta peak RSS" "real time"
  shape_row "---" "---" "---" "---" "---" "---" "---" "---" "---"
  for s in "${shapes[@]}"; do
    shape_row "($s) $(mmss "${audio[$s]}"), ${shape_what[$s]}" "$(secs "${cold_wall[$s]}")" "$(secs "${lame_wall[$s]}")" \
      "$(div "${wall_ratio[$s]}" 1)" "$(secs "${cold_cpu[$s]}")" "$(secs "${lame_cpu[$s]}")" \
      "$(div "${cpu_ratio[$s]}" 1)" "${cold_mb[$s]} MB" "$(rtf "${audio[$s]}" "${cold_wall[$s]}")"
  done
  echo
  echo "Ratios: warta cold / single-threaded LAME, the median of each run's pair (warta, then LAME at once)," \
    "wall time: $(per_shape wall_ratio) (target at most 0.65); CPU time: $(per_shape cpu_ratio) (target at most 1.3)."
  echo "Like for like, against LAME on the programme without dither (warta's MP3 decoded to a float WAV, a proxy: warta's WAV" \
    "is dithered per channel, which costs LAME more where the audio is near silent or the same on both channels): LAME wall" \
    "$(per_shape proxy_wall secs), CPU $(per_shape proxy_cpu secs); warta / LAME wall $(per_shape proxy_wall_ratio)," \
    "CPU $(per_shape proxy_cpu_ratio)."
  if $has_a; then
    cold=${cold_wall[a]}; changed=$(median "${changed_walls[@]}")
    echo "(a): one story changed / cold $(div "$(median "${changed_ratios[@]}")" 1) (each rebuild against its own cold build; target at most 0.15);" \
      "warta cold / shell pipeline $(awk -v a="$cold" -v b="$shell_wall" 'BEGIN {printf "%.3f", a / b}') (target at most 1/6 = 0.167)."
  fi
  tree=()
  for s in "${shapes[@]}"; do
    [ -n "${tree_pss[$s]:-}" ] && tree+=("($s) $((tree_pss[$s] / 1024)) MB PSS, $((tree_rss[$s] / 1024)) MB summed RSS")
  done
  if [ ${#tree[@]} -gt 0 ]; then
    echo "warta at -j 2, the whole process tree at once (main process and 2 workers), peak: $(IFS=';'; sed 's/;/; /g' <<<"${tree[*]}")" \
      "(target at most 64 MB PSS; PSS counts shared pages once)."
  fi
  echo "Wall and CPU times are medians; the ratios are medians of each run's pair. CPU is user + system time of the whole process tree (/usr/bin/time -v: warta and"
  echo "the workers it waited for; LAME is ffmpeg -threads 1). Peak RSS is that of the largest single process (warta: the"
  echo "main process or one worker)."
  if $has_a; then
    echo
    row "(a) $(mmss "${audio[a]}") bulletin, 13 stories" "wall time (median)" "peak RSS (max)" "real-time factor"
    row "---" "---" "---" "---"
    row "warta cold" "$(secs "$cold")" "${cold_mb[a]} MB" "$(rtf "${audio[a]}" "$cold")"
    row "warta, one story changed" "$(secs "$changed")" "$(max_mb "${changed_rss[@]}") MB" "$(rtf "${audio[a]}" "$changed")"
    row "shell pipeline (espeak-ng + sox + ffmpeg)" "$(secs "$shell_wall")" "$shell_rss MB" "$(rtf "${audio[a]}" "$shell_wall")"
    row "single-threaded LAME, same audio" "$(secs "${lame_wall[a]}")" "${lame_mb[a]} MB" "$(rtf "${audio[a]}" "${lame_wall[a]}")"
    echo
    chunks=$(sed -n 's/.*; \([0-9]* chunks[^;]*\)$/\1/p' <<<"$changed_summary")
    echo "warta cache flags: $flags_note. Story $changed_story changed${chunks:+ (warta: $chunks)}."
    echo "The shell pipeline's own MP3 is $(mmss "$shell_audio") long (espeak-ng reads the raw text); every real-time factor"
    echo "uses warta's $(mmss "${audio[a]}")."
  fi
  echo
  printf '| %-44s | %-50s |\n' "measurement" "result"
  printf '| %-44s | %-50s |\n' "---" "---"
  printf '| %-44s | %-50s |\n' "sample bulletin ($(mmss "$sample_audio") of audio): wall time" \
    "$(secs "$bulletin_wall") ($(awk -v a="$sample_audio" -v w="$bulletin_wall" 'BEGIN {printf "%.0fx", a / w}') real time), peak RSS $bulletin_rss MB"
  printf '| %-44s | %-50s |\n' "normalizing a $size_mb MB article" "$(secs "$norm_wall"), peak RSS $norm_rss MB"
  printf '| %-44s | %-50s |\n' "$long_length bulletin: mastering vs. MP3 encode" \
    "$(awk -v r="$ratio" 'BEGIN {printf "%.1f%%", r * 100}') (wall $(secs "$long_wall"))"
)
printf '%s\n' "$report"
if [ -n "$md_out" ]; then
  printf '%s\n' "$report" > "$md_out"
  echo "bench: wrote $md_out" >&2
fi
