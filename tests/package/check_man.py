#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The man pages never drift from the program.

check_man.py help WARTA MAN1: every command and option `WARTA --help` and
`WARTA COMMAND --help` print is in MAN1 (options in the command's .SS
section), and every option and command MAN1 lists is printed by the program.
Names are parsed, not layout, so any help formatter (hand-written, CLI11) passes.

check_man.py rundown RUNDOWN_CPP MAN5: every key the rundown loader accepts
(the key lists given to rejectUnknownKeys in RUNDOWN_CPP, plus EXTRA_KEYS
for keys checked another way) is a .TP/.B entry of MAN5, and every such
entry is a key the loader accepts.
"""
import re
import subprocess
import sys

# Keys the loader reads without listing them in a rejectUnknownKeys(...) call.
EXTRA_KEYS = set()

OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][A-Za-z0-9-]*)")


def help_text(warta, *args):
    run = subprocess.run([warta, *args, "--help"], capture_output=True, text=True, check=True)
    return run.stdout


def options(text):
    return set(OPTION.findall(text))


def commands(main_help):
    """First words of the lines under 'Commands:' or 'Subcommands:' (CLI11)."""
    found, inside = [], False
    for line in main_help.splitlines():
        if re.match(r"^(Sub)?[Cc]ommands:\s*$", line):
            inside = True
        elif inside and line.strip() == "":
            inside = False
        elif inside:
            found.append(line.split()[0])
    return found


def man_text(source):
    """The man source as words: escapes dropped, font changes removed."""
    text = source.replace("\\-", "-").replace("\\(en", "-")
    return re.sub(r"\\f[BIRP]", "", text)


def man_sections(source):
    """{'': everything outside .SS 'warta CMD', 'CMD': that section, 'OPTIONS': .SH OPTIONS}."""
    sections, name = {"": [], "OPTIONS": []}, ""
    for line in man_text(source).splitlines():
        if line.startswith(".SS "):
            m = re.match(r'\.SS "?warta (\S+?)"?$', line)
            name = m.group(1) if m else ""
            sections.setdefault(name, [])
            continue
        if line.startswith(".SH "):
            name = "OPTIONS" if line.strip() == ".SH OPTIONS" else ""
            continue
        sections[name].append(line)
    return {k: "\n".join(v) for k, v in sections.items()}


def listed_options(section):
    """Options a .TP entry introduces (the line after .TP)."""
    lines = section.splitlines()
    return {o for i, l in enumerate(lines) if l.startswith(".TP") and i + 1 < len(lines)
            for o in OPTION.findall(lines[i + 1])}


def check_help(warta, man1):
    source = open(man1, encoding="utf-8").read()
    sections = man_sections(source)
    whole = man_text(source)
    problems = []
    main = subprocess.run([warta, "--help"], capture_output=True, text=True, check=True).stdout
    cmds = commands(main)
    if not cmds:
        problems.append("no commands found in `warta --help` (no 'Commands:' list)")
    for opt in sorted(options(main)):
        if not re.search(r"(?<![\w-])" + re.escape(opt) + r"(?![\w-])", whole):
            problems.append(f"`warta --help` prints {opt}; {man1} never mentions it")
    for opt in sorted(listed_options(sections["OPTIONS"]) - options(main)):
        problems.append(f"{man1} OPTIONS lists {opt}; `warta --help` does not print it")
    man_cmds = {k for k in sections if k not in ("", "OPTIONS")}
    for cmd in cmds:
        if cmd not in man_cmds:
            problems.append(f"`warta --help` lists command {cmd}; {man1} has no .SS \"warta {cmd}\"")
            continue
        printed = options(help_text(warta, cmd))
        listed = listed_options(sections[cmd])
        for opt in sorted(printed - listed):
            problems.append(f"`warta {cmd} --help` prints {opt}; {man1} section 'warta {cmd}' lists no {opt}")
        for opt in sorted(listed - printed):
            problems.append(f"{man1} section 'warta {cmd}' lists {opt}; `warta {cmd} --help` does not print it")
    for cmd in sorted(man_cmds - set(cmds)):
        problems.append(f"{man1} documents command {cmd}; `warta --help` does not list it")
    return problems


def loader_keys(rundown_cpp):
    source = open(rundown_cpp, encoding="utf-8").read()
    keys = set(EXTRA_KEYS)
    for block in re.findall(r"rejectUnknownKeys\s*\([^{;]*\{([^}]*)\}", source):
        keys.update(re.findall(r'"([^"]+)"', block))
    return keys


def man_keys(man5):
    lines = man_text(open(man5, encoding="utf-8").read()).splitlines()
    keys = set()
    for i, line in enumerate(lines):
        if line.startswith(".TP") and i + 1 < len(lines):
            entry = lines[i + 1]
            if entry.startswith(".BR "):  # .BR a ", " b ", " c
                keys.update(w for w in re.findall(r'"[^"]*"|\S+', entry[4:]) if not w.startswith('"'))
            elif entry.startswith(".B "):
                keys.add(entry[3:].strip())
    return keys


def check_rundown(rundown_cpp, man5):
    accepted, documented = loader_keys(rundown_cpp), man_keys(man5)
    problems = [f"the loader accepts '{k}' ({rundown_cpp}); {man5} has no .TP entry for it"
                for k in sorted(accepted - documented)]
    problems += [f"{man5} documents '{k}'; the loader ({rundown_cpp}) does not accept it"
                 for k in sorted(documented - accepted)]
    if len(accepted) < 10:
        problems.append(f"only {len(accepted)} keys found in {rundown_cpp}: is rejectUnknownKeys still how keys are listed?")
    return problems


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("help", "rundown"):
        sys.exit("usage: check_man.py help WARTA MAN1 | rundown RUNDOWN_CPP MAN5")
    problems = check_help(*sys.argv[2:]) if sys.argv[1] == "help" else check_rundown(*sys.argv[2:])
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
