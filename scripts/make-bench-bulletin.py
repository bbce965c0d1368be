#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a long benchmark bulletin made only of the team's own invented text.

    make-bench-bulletin.py OUTDIR [--minutes 26] [--stories 13] [--format mp3|wav]
                           [--bed] [--single]
    make-bench-bulletin.py OUTDIR --change N

Writes OUTDIR/articles/NN-<slug>.txt (one per story) and OUTDIR/rundown.yaml,
output bench.mp3. The articles are written whatever the options, and are the
same; the options change only the rundown (and its output's name), so the
shapes of scripts/bench.sh never overwrite each other's:
  --format wav  rundown-wav.yaml, output bench.wav (16-bit PCM, for LAME);
  --bed         rundown-bed.yaml, output bench-bed.mp3: the same bulletin with
                samples/jingles/bed.flac (8 s, looped) under the whole of it
                (`bed:` without `stories:` plays under every story);
  --single      rundown-single.yaml, output bench-single.mp3: one story,
                OUTDIR/single/bench-single.txt, the text of all the articles
                in turn (their paragraphs, one editor code at the end, the
                first article's headline and dateline only); the intro and
                outro jingles are kept, as in the bulletin. Without 12
                headlines and the gaps between stories it reads shorter: the
                default 26 minutes' text made a 20:38 story (November 2026).
The options combine, in that order: --single --bed --format wav writes
rundown-single-bed-wav.yaml, output bench-single-bed.wav.

The paragraphs come from
samples/articles/* and tests/data/articles/0*.txt (never the *.expected.txt
files or a README), taken in turn until each article is about MINUTES /
STORIES minutes long. The pool is about 2,000 words, 20 minutes of speech: a
longer bulletin comes round to the first paragraphs again. Every article has a
headline of its own ("Berita Uji 3: <the headline of the article its first
paragraph comes from>") and that article's dateline, and ends with an editor
code, "(uji/red)". Output is deterministic.

--change N appends one sentence to the last paragraph of article N (1-based)
and touches nothing else: the "one story changed" rebuild of scripts/bench.sh.
Each call appends another sentence.

Length is calibrated against `warta build` with the default voice (id): the
pool's written words are read at about WORDS_PER_MINUTE words a minute once
numbers, dates and acronyms are expanded, and the frame around the stories
(jingles, spoken opening and close, pauses) takes about FRAME_SECONDS.
"""

import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Measured with build/warta on the generated bulletin (see scripts/bench.sh):
# written words per minute of finished audio, pauses between paragraphs included.
WORDS_PER_MINUTE = 98.0
# Intro and outro jingles, the spoken opening and close, the gaps between stories.
FRAME_SECONDS = 35.0

# A dateline: "Place, site.tld –" (en dash, em dash or hyphen) opening the first paragraph.
DATELINE = re.compile(r"^([^,.\n]{2,60}, [A-Za-z0-9.-]+\.[a-z.]+ [–—-]) (.*)$", re.S)
# A trailing editor code: (ant/red), [idr], (OL-8), (Adv/Novi/Kmf).
EDITOR_CODE = re.compile(r"\s*[(\[][A-Za-z0-9/ -]{1,20}[)\]]$")
REPORTER = re.compile(r"^Laporan\s*:")

CHANGE_SENTENCES = [
    "Perkembangan terbaru akan disampaikan pada siaran berikutnya.",
    "Redaksi masih menunggu keterangan resmi dari pihak terkait.",
    "Warga diminta terus memantau informasi dari pemerintah setempat.",
]


class Source:
    def __init__(self, path, headline, dateline, paragraphs):
        self.path, self.headline, self.dateline, self.paragraphs = path, headline, dateline, paragraphs


def read_source(path):
    text = path.read_text(encoding="utf-8")
    headline = None
    if path.suffix == ".md" and text.startswith("---\n"):
        front, text = text[4:].split("\n---\n", 1)
        for line in front.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "title":
                headline = value.strip().strip('"')
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if headline is None:
        headline = blocks.pop(0)
    dateline = None
    paragraphs = []
    for block in blocks:
        if REPORTER.match(block) or EDITOR_CODE.fullmatch(block) or block.startswith("#"):
            continue
        block = EDITOR_CODE.sub("", " ".join(block.split()))
        if not block.endswith((".", "!", "?", "”", '"')):
            continue  # a subheading: keep only real paragraphs
        if not paragraphs and dateline is None:
            m = DATELINE.match(block)
            if m:
                dateline, block = m.group(1), m.group(2)
        paragraphs.append(block)
    return Source(path, headline, dateline, paragraphs)


def sources():
    files = sorted((ROOT / "samples" / "articles").iterdir()) + sorted((ROOT / "tests" / "data" / "articles").glob("0*.txt"))
    files = [f for f in files if f.suffix in (".txt", ".md") and not f.name.endswith(".expected.txt") and f.name != "README.md"]
    return [read_source(f) for f in files]


def slug(text):
    words = re.sub(r"[^a-z0-9 ]", "", text.lower()).split()
    return "-".join(words[:4]) or "berita"


def words(text):
    return len(text.split())


def compose(minutes, stories):
    """Takes paragraphs from the pool in order (none repeats until the pool is
    used up). Each article's headline and dateline are those of the source its
    first paragraph comes from."""
    srcs = sources()
    pool = [(s, p) for s in srcs for p in s.paragraphs]
    budget = max(30.0, (minutes * 60.0 - FRAME_SECONDS) / stories) / 60.0 * WORDS_PER_MINUTE
    articles = []
    cursor = 0
    spent = 0.0
    for n in range(1, stories + 1):
        src = pool[cursor % len(pool)][0]
        headline = f"Berita Uji {n}: {src.headline}"
        # Carry the rounding over, so the bulletin's total stays on target.
        target = budget * n - spent
        body = []
        count = words(headline)
        while count < target - 25 or not body:
            paragraph = pool[cursor % len(pool)][1]
            cursor += 1
            body.append(paragraph)
            count += words(paragraph)
        spent += count
        place = src.dateline or "Jakarta, beritauji.id –"
        body[0] = f"{place} {body[0]}"
        text = headline + "\n\n" + "\n\n".join(body) + "\n\n(uji/red)\n"
        articles.append((f"{n:02d}-{slug(src.headline)}.txt", text))
    return articles


def single(articles):
    """All the articles' text as one article: the first one's headline and
    dateline (already in its first paragraph), every paragraph in turn (the
    other articles' datelines dropped: read mid-story, they would not be news
    copy), one editor code."""
    body = []
    for n, (_, text) in enumerate(articles):
        blocks = text.rstrip("\n").split("\n\n")[1:]  # without the headline
        if blocks and EDITOR_CODE.fullmatch(blocks[-1]):
            blocks.pop()
        m = DATELINE.match(blocks[0]) if n > 0 and blocks else None
        if m:
            blocks[0] = m.group(2)
        body += blocks
    headline = articles[0][1].split("\n", 1)[0].replace("Berita Uji 1: ", "Berita Uji: ", 1)
    return headline + "\n\n" + "\n\n".join(body) + "\n\n(uji/red)\n"


def shape_name(single_story, bed):
    return ("-single" if single_story else "") + ("-bed" if bed else "")


def write_rundown(outdir, names, wav, bed=False, single_story=False):
    shape = shape_name(single_story, bed)
    output = "bench" + shape + (".wav" if wav else ".mp3")
    lines = [
        "show: Bench",
        "date: 2025-06-11",
        "loudness: podcast",
        f"intro: {yaml_str(ROOT / 'samples' / 'jingles' / 'intro.flac')}",
        f"outro: {yaml_str(ROOT / 'samples' / 'jingles' / 'outro.flac')}",
        f'output: {{ file: "{output}", format: wav, channels: 2, sample_rate: 44100 }}' if wav
        else f'output: {{ file: "{output}", bitrate: 128, channels: 2, sample_rate: 44100 }}',
    ]
    if bed:
        # No `stories:`: the bed plays under the whole bulletin.
        lines.append(f"bed: {{ file: {yaml_str(ROOT / 'samples' / 'jingles' / 'bed.flac')} }}")
    lines += ["stories:"] + [f"  - {name}" for name in names]
    path = outdir / ("rundown" + shape + ("-wav" if wav else "") + ".yaml")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def yaml_str(path):
    return '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'


def change(outdir, n):
    matches = sorted((outdir / "articles").glob(f"{n:02d}-*.txt"))
    if len(matches) != 1:
        sys.exit(f"make-bench-bulletin: no article {n} in {outdir / 'articles'}")
    path = matches[0]
    blocks = path.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    last = len(blocks) - 1
    while last > 0 and EDITOR_CODE.fullmatch(blocks[last]):
        last -= 1
    done = sum(blocks[last].count(s) for s in CHANGE_SENTENCES)
    blocks[last] += " " + CHANGE_SENTENCES[done % len(CHANGE_SENTENCES)]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    print(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", type=pathlib.Path)
    ap.add_argument("--minutes", type=float, default=26.0)
    ap.add_argument("--stories", type=int, default=13)
    ap.add_argument("--format", choices=("mp3", "wav"), default="mp3")
    ap.add_argument("--bed", action="store_true", help="the music bed under the whole bulletin")
    ap.add_argument("--single", action="store_true", help="all the articles' text as one story")
    ap.add_argument("--change", type=int, metavar="N", help="append one sentence to article N and stop")
    args = ap.parse_args()
    if args.change is not None:
        change(args.outdir, args.change)
        return
    if args.stories < 1 or args.minutes <= 0:
        ap.error("--stories and --minutes must be positive")
    articles_dir = args.outdir / "articles"
    articles_dir.mkdir(parents=True, exist_ok=True)
    for old in articles_dir.glob("[0-9][0-9]-*.txt"):
        old.unlink()
    articles = compose(args.minutes, args.stories)
    for name, text in articles:
        (articles_dir / name).write_text(text, encoding="utf-8")
    names = [f"articles/{name}" for name, _ in articles]
    if args.single:
        single_dir = args.outdir / "single"  # not in articles/, which the shell pipeline reads whole
        single_dir.mkdir(exist_ok=True)
        (single_dir / "bench-single.txt").write_text(single(articles), encoding="utf-8")
        names = ["single/bench-single.txt"]
    print(write_rundown(args.outdir, names, args.format == "wav", args.bed, args.single))


if __name__ == "__main__":
    main()
