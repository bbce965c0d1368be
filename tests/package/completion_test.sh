#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The bash completion (completion/warta.bash), run the way bash runs it: words
# in COMP_WORDS, _warta called, COMPREPLY read. Usage: completion_test.sh WARTA
set -euo pipefail
warta=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
completion=$(cd "$(dirname "$0")/../.." && pwd)/completion/warta.bash
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/here/sub" "$work/voices"
cd "$work/here"
touch rundown.yaml LOUD.YAML story.txt other.md song.mp3 notes.pdf
printf 'espeak_voice: id\n' > "$work/voices/anchor.yaml"
printf 'symbols: {}\n' > "$work/voices/ipa-espeak.yaml"
failures=0

# complete WORD... : the completions for the last word, sorted, one per line.
complete_words() {
  WARTA_VOICES="$work/voices" bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _warta; printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$@" | sort
}
expect() {  # expect "WORDS" "expected lines" (exact set)
  local got want
  got=$(eval "complete_words $1" | tr '\n' ' ' | sed 's/ $//')
  want=$(printf '%s\n' $2 | sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$got" != "$want" ]; then
    echo "FAIL: $1 -> [$got], expected [$want]"
    failures=$((failures + 1))
  fi
}

expect "warta ''" "say build fetch expire normalize lexicon --help --version"
expect "warta b" "build"
expect "warta build ''" "rundown.yaml LOUD.YAML sub"
expect "warta say ''" "story.txt other.md sub"
expect "warta normalize s" "story.txt sub"
expect "warta lexicon ''" "check"
expect "warta lexicon check --lexicon ''" "rundown.yaml LOUD.YAML sub"
expect "warta say --voice ''" "anchor rundown.yaml LOUD.YAML sub"
expect "warta say --voice a" "anchor"
expect "warta say story.txt -o ''" "song.mp3 sub"
expect "warta build rundown.yaml -o ''" "sub"
expect "warta say --transcript sp" "spoken"
expect "warta say --rate ''" ""

# Every option `warta COMMAND --help` prints is offered after `warta COMMAND -`, and nothing else.
for command in say build fetch expire normalize "lexicon check"; do
  printed=$("$warta" $command --help | grep -oE '(^|[^[:alnum:]-])--?[A-Za-z][A-Za-z0-9-]*' | grep -oE -- '--?[A-Za-z][A-Za-z0-9-]*' | sort -u | tr '\n' ' ')
  offered=$(complete_words warta $command - | sort -u | tr '\n' ' ')
  if [ "$printed" != "$offered" ]; then
    echo "FAIL: warta $command -: completion offers [$offered], --help prints [$printed]"
    failures=$((failures + 1))
  fi
done
[ "$failures" -eq 0 ] && echo "completion: all cases pass"
exit "$failures"
