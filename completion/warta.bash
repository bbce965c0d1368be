# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for warta(1): commands, options, .yaml rundowns for build,
# articles (.txt, .md) for say, normalize and lexicon check, voices by name.
# Self-contained (needs only bash's compgen); installed as
# /usr/share/bash-completion/completions/warta.

# Voice profile names: the *.yaml in the voices folder holding an espeak_voice
# (ipa-espeak.yaml there is a table, not a voice).
_warta_voices() {
    local dir=${WARTA_VOICES:-}
    if [[ -z $dir ]]; then
        local bin
        bin=$(command -v warta 2>/dev/null) && dir=${bin%/*}/../share/warta/voices
        [[ -d $dir ]] || dir=/usr/share/warta/voices
    fi
    local f
    for f in "$dir"/*.yaml; do
        [[ -f $f ]] && grep -q '^espeak_voice:' "$f" 2>/dev/null && { f=${f##*/}; printf '%s\n' "${f%.yaml}"; }
    done
}

# Files with one of the given extensions (any case), and folders to walk into.
_warta_files() {
    local cur=$1; shift
    local ext
    compopt -o filenames 2>/dev/null
    compgen -d -- "$cur"
    for ext in "$@"; do
        compgen -f -X "!*.@(${ext}|${ext^^})" -- "$cur"
    done
}

_warta() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="say build fetch expire normalize lexicon"
    local say_opts="-o --output --each --shard --voice --rate --timeline --transcript --talking-book -j --jobs --cache --no-cache -h --help"
    local build_opts="-o --output --timeline --transcript --talking-book -j --jobs --cache --no-cache --refresh -h --help"
    local fetch_opts="-o --output --refresh -h --help"
    local expire_opts="-h --help"
    local normalize_opts="--voice --phonemes -h --help"
    local lexicon_opts="--voice --lexicon -h --help"
    local extra=""
    COMPREPLY=()
    shopt -s extglob

    if (( COMP_CWORD == 1 )); then
        mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
        return 0
    fi
    local command=${COMP_WORDS[1]}

    # The value of the option before the cursor.
    case $prev in
        --voice)
            mapfile -t COMPREPLY < <(compgen -W "$(_warta_voices)" -- "$cur"; _warta_files "$cur" yaml)
            return 0 ;;
        --transcript)
            # Its value is optional: offered beside what may come next.
            extra="spoken written" ;;
        --each|--cache)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            return 0 ;;
        -o|--output)
            compopt -o filenames 2>/dev/null
            if [[ $command == build || $command == fetch ]]; then
                mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            else
                mapfile -t COMPREPLY < <(_warta_files "$cur" mp3 wav bwf)
            fi
            return 0 ;;
        --timeline)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return 0 ;;
        --lexicon)
            mapfile -t COMPREPLY < <(_warta_files "$cur" yaml pls)
            return 0 ;;
        --rate|-j|--jobs|--shard)
            return 0 ;;  # a number: nothing to offer
    esac

    local opts
    case $command in
        say) opts=$say_opts ;;
        build) opts=$build_opts ;;
        fetch) opts=$fetch_opts ;;
        expire) opts=$expire_opts ;;
        normalize) opts=$normalize_opts ;;
        lexicon)
            if (( COMP_CWORD == 2 )); then
                mapfile -t COMPREPLY < <(compgen -W "check" -- "$cur")
                return 0
            fi
            opts=$lexicon_opts ;;
        *) return 0 ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    elif [[ $command == build || $command == fetch || $command == expire ]]; then
        mapfile -t COMPREPLY < <(_warta_files "$cur" yaml yml)
    else
        mapfile -t COMPREPLY < <(_warta_files "$cur" txt md)
    fi
    [[ -n $extra ]] && mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -W "$extra" -- "$cur")
    return 0
}
complete -F _warta warta
