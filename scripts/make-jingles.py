#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Synthesise the sample jingles used by the warta demo rundown.

The three jingles below are original sounds made by the warta team with
simple additive synthesis (sines plus a few harmonics, exponential decay
envelopes). Generation is fully deterministic -- no randomness -- so the
files can be regenerated at any time with:

    python3 scripts/make-jingles.py            # writes samples/jingles/*.flac
    python3 scripts/make-jingles.py OUTDIR     # writes OUTDIR/*.flac

Files produced (formats differ on purpose, to exercise resampling and
channel mixing in warta):

    intro.flac  ~4.0 s  44100 Hz  stereo  rising arpeggio over a soft pad
    outro.flac  ~3.5 s  48000 Hz  stereo  falling arpeggio, fade out
    sting.flac  ~1.2 s  32000 Hz  mono    short two-note chime
    bed.flac    ~8.0 s  44100 Hz  stereo  soft chord loop (C Am F G) for a music bed

Only the Python standard library is used; the FLAC files are written and
verified through libsndfile's C API (libsndfile.so.1) via ctypes.
"""

import ctypes
import ctypes.util
import math
import os
import sys

# --------------------------------------------------------------------------
# libsndfile binding
# --------------------------------------------------------------------------

SFM_READ = 0x10
SFM_WRITE = 0x20
SF_FORMAT_FLAC = 0x170000
SF_FORMAT_PCM_16 = 0x0002


class SF_INFO(ctypes.Structure):
    _fields_ = [
        ("frames", ctypes.c_int64),  # sf_count_t
        ("samplerate", ctypes.c_int),
        ("channels", ctypes.c_int),
        ("format", ctypes.c_int),
        ("sections", ctypes.c_int),
        ("seekable", ctypes.c_int),
    ]


def load_sndfile():
    names = ["libsndfile.so.1"]
    found = ctypes.util.find_library("sndfile")
    if found:
        names.append(found)
    last = None
    for name in names:
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError as exc:
            last = exc
    else:
        sys.exit(f"error: cannot load libsndfile: {last}")

    lib.sf_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(SF_INFO)]
    lib.sf_open.restype = ctypes.c_void_p
    lib.sf_close.argtypes = [ctypes.c_void_p]
    lib.sf_close.restype = ctypes.c_int
    lib.sf_strerror.argtypes = [ctypes.c_void_p]
    lib.sf_strerror.restype = ctypes.c_char_p
    lib.sf_error.argtypes = [ctypes.c_void_p]
    lib.sf_error.restype = ctypes.c_int
    lib.sf_format_check.argtypes = [ctypes.POINTER(SF_INFO)]
    lib.sf_format_check.restype = ctypes.c_int
    lib.sf_writef_float.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.c_int64]
    lib.sf_writef_float.restype = ctypes.c_int64
    lib.sf_readf_float.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.c_int64]
    lib.sf_readf_float.restype = ctypes.c_int64
    return lib


SF = load_sndfile()


def sf_err(handle=None):
    msg = SF.sf_strerror(handle)
    return msg.decode("utf-8", "replace") if msg else "unknown error"


def write_flac(path, frames, samplerate, channels):
    """frames: flat list of interleaved float samples in [-1, 1]."""
    info = SF_INFO()
    info.samplerate = samplerate
    info.channels = channels
    info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16
    if not SF.sf_format_check(ctypes.byref(info)):
        raise RuntimeError(f"{path}: libsndfile rejects format FLAC/PCM_16 "
                           f"{samplerate} Hz x{channels}")
    handle = SF.sf_open(os.fsencode(path), SFM_WRITE, ctypes.byref(info))
    if not handle:
        raise RuntimeError(f"{path}: sf_open failed: {sf_err(None)}")
    try:
        nframes = len(frames) // channels
        buf = (ctypes.c_float * len(frames))(*frames)
        written = SF.sf_writef_float(handle, buf, nframes)
        if written != nframes:
            raise RuntimeError(f"{path}: sf_writef_float wrote {written}/{nframes} "
                               f"frames: {sf_err(handle)}")
    finally:
        rc = SF.sf_close(handle)
    if rc != 0:
        raise RuntimeError(f"{path}: sf_close failed: {sf_err(None)}")


def read_back(path):
    info = SF_INFO()
    handle = SF.sf_open(os.fsencode(path), SFM_READ, ctypes.byref(info))
    if not handle:
        raise RuntimeError(f"{path}: sf_open (read) failed: {sf_err(None)}")
    try:
        n = info.frames * info.channels
        buf = (ctypes.c_float * n)()
        got = SF.sf_readf_float(handle, buf, info.frames)
        if got != info.frames:
            raise RuntimeError(f"{path}: read {got}/{info.frames} frames: {sf_err(handle)}")
        peak = max((abs(v) for v in buf), default=0.0)
    finally:
        SF.sf_close(handle)
    return info, peak


# --------------------------------------------------------------------------
# Synthesis helpers
# --------------------------------------------------------------------------

def midi_hz(note):
    return 440.0 * 2.0 ** ((note - 69) / 12.0)


def add_tone(buf, sr, start, dur, freq, amp, decay, harmonics, attack=0.005, pan=0.0):
    """Add a decaying additive tone to a stereo-or-mono float buffer.

    buf is a list of channel lists. harmonics: [(multiple, relative_amp), ...].
    decay: time constant (s) of the exponential envelope; higher partials
    decay faster so the tone mellows naturally.
    """
    channels = len(buf)
    if channels == 2:
        gains = (math.cos((pan + 1) * math.pi / 4), math.sin((pan + 1) * math.pi / 4))
    else:
        gains = (1.0,)
    s0 = int(start * sr)
    n = min(int(dur * sr), len(buf[0]) - s0)
    partials = [(2 * math.pi * freq * m / sr, a, decay / (1 + 0.6 * (m - 1)))
                for m, a in harmonics if freq * m < sr * 0.45]
    release = min(int(0.03 * sr), n)
    for i in range(n):
        t = i / sr
        env_a = min(1.0, t / attack) if attack > 0 else 1.0
        if i >= n - release:  # short release so notes never end with a click
            env_a *= (n - i) / release
        v = 0.0
        for w, a, d in partials:
            v += a * math.exp(-t / d) * math.sin(w * i)
        v *= amp * env_a
        for c in range(channels):
            buf[c][s0 + i] += v * gains[c]


def add_pad(buf, sr, start, dur, notes, amp):
    """Soft pad: slightly detuned sines per note with a slow swell."""
    s0 = int(start * sr)
    n = min(int(dur * sr), len(buf[0]) - s0)
    voices = []
    for k, note in enumerate(notes):
        f = midi_hz(note)
        for det, side in ((-0.0025, 0), (0.0025, 1)):
            voices.append((2 * math.pi * f * (1 + det) / sr, side, 1.0 / (1 + 0.3 * k)))
            voices.append((2 * math.pi * 2 * f * (1 + det) / sr, side, 0.15 / (1 + 0.3 * k)))
    for i in range(n):
        x = i / n
        env = math.sin(math.pi * x) ** 2  # slow swell in and out
        vals = [0.0, 0.0]
        for w, side, a in voices:
            vals[side] += a * math.sin(w * i)
        if len(buf) == 2:
            buf[0][s0 + i] += amp * env * (0.8 * vals[0] + 0.2 * vals[1])
            buf[1][s0 + i] += amp * env * (0.2 * vals[0] + 0.8 * vals[1])
        else:
            buf[0][s0 + i] += amp * env * 0.5 * (vals[0] + vals[1])


def apply_fades(buf, sr, fade_in, fade_out):
    n = len(buf[0])
    fi, fo = int(fade_in * sr), int(fade_out * sr)
    for ch in buf:
        for i in range(min(fi, n)):
            ch[i] *= 0.5 - 0.5 * math.cos(math.pi * i / fi)
        for i in range(min(fo, n)):
            ch[n - 1 - i] *= 0.5 - 0.5 * math.cos(math.pi * i / fo)


def normalise(buf, peak_dbfs):
    peak = max(max(abs(v) for v in ch) for ch in buf)
    if peak == 0:
        return
    g = 10 ** (peak_dbfs / 20.0) / peak
    for ch in buf:
        for i in range(len(ch)):
            ch[i] *= g


def interleave(buf):
    if len(buf) == 1:
        return buf[0]
    out = []
    for frame in zip(*buf):
        out.extend(frame)
    return out


BELL = [(1, 1.0), (2, 0.35), (3, 0.12), (4.2, 0.05)]
PLUCK = [(1, 1.0), (2, 0.5), (3, 0.25), (4, 0.12), (5, 0.06)]


# --------------------------------------------------------------------------
# Jingles
# --------------------------------------------------------------------------

def make_intro():
    sr, dur, ch = 44100, 4.0, 2
    buf = [[0.0] * int(sr * dur) for _ in range(ch)]
    # Soft pad: C major add9 voicing under the whole jingle.
    add_pad(buf, sr, 0.0, dur, [48, 55, 60, 64], amp=0.10)
    # Rising arpeggio C4 E4 G4 C5 E5 G5 C6, panned left to right.
    notes = [60, 64, 67, 72, 76, 79, 84]
    step = 0.28
    for k, note in enumerate(notes):
        pan = -0.6 + 1.2 * k / (len(notes) - 1)
        last = k == len(notes) - 1
        add_tone(buf, sr, 0.25 + k * step, 2.2 if last else 1.2, midi_hz(note),
                 amp=0.35, decay=0.9 if last else 0.45, harmonics=PLUCK, pan=pan)
    # Final chord shimmer.
    t_end = 0.25 + (len(notes) - 1) * step
    for note, pan in ((72, -0.3), (76, 0.0), (79, 0.3)):
        add_tone(buf, sr, t_end, 1.9, midi_hz(note), amp=0.18, decay=0.8,
                 harmonics=BELL, pan=pan)
    apply_fades(buf, sr, 0.15, 0.6)
    normalise(buf, -3.0)
    return sr, ch, buf


def make_outro():
    sr, dur, ch = 48000, 3.5, 2
    buf = [[0.0] * int(sr * dur) for _ in range(ch)]
    add_pad(buf, sr, 0.0, dur, [45, 52, 57, 60], amp=0.08)  # A minor-ish pad
    # Falling arpeggio A5 E5 C5 A4 E4 C4 A3, panned right to left.
    notes = [81, 76, 72, 69, 64, 60, 57]
    step = 0.30
    for k, note in enumerate(notes):
        pan = 0.6 - 1.2 * k / (len(notes) - 1)
        last = k == len(notes) - 1
        add_tone(buf, sr, 0.05 + k * step, 1.4 if last else 1.0, midi_hz(note),
                 amp=0.35, decay=0.7 if last else 0.4, harmonics=PLUCK, pan=pan)
    apply_fades(buf, sr, 0.02, 1.2)
    normalise(buf, -3.0)
    return sr, ch, buf


def make_sting():
    sr, dur, ch = 32000, 1.2, 1
    buf = [[0.0] * int(sr * dur)]
    # Two-note chime: E6 then C6 (a gentle descending major third).
    add_tone(buf, sr, 0.00, 1.2, midi_hz(88), amp=0.45, decay=0.35, harmonics=BELL)
    add_tone(buf, sr, 0.22, 0.98, midi_hz(84), amp=0.50, decay=0.40, harmonics=BELL)
    apply_fades(buf, sr, 0.003, 0.25)
    normalise(buf, -3.0)
    return sr, ch, buf


def make_bed():
    sr, dur, ch = 44100, 8.0, 2
    buf = [[0.0] * int(sr * dur) for _ in range(ch)]
    # Four two-second chords; each pad swells from and back to silence, so
    # the loop point is seamless when warta repeats the bed.
    chords = [[48, 55, 60, 64], [45, 52, 57, 60], [41, 48, 53, 57], [43, 50, 55, 59]]
    for k, notes in enumerate(chords):
        add_pad(buf, sr, 2.0 * k, 2.0, notes, amp=0.12)
        for j, note in enumerate(notes[1:]):
            add_tone(buf, sr, 2.0 * k + 0.1 + 0.45 * j, 1.2, midi_hz(note + 12), amp=0.10,
                     decay=0.5, harmonics=PLUCK, pan=-0.4 + 0.4 * j)
    normalise(buf, -6.0)
    return sr, ch, buf


JINGLES = [
    ("intro.flac", make_intro),
    ("outro.flac", make_outro),
    ("sting.flac", make_sting),
    ("bed.flac", make_bed),
]


def main(argv):
    if len(argv) > 2:
        sys.exit(f"usage: {argv[0]} [OUTDIR]")
    if len(argv) == 2:
        outdir = argv[1]
    else:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        outdir = os.path.join(root, "samples", "jingles")
    os.makedirs(outdir, exist_ok=True)

    ok = True
    for name, fn in JINGLES:
        sr, ch, buf = fn()
        path = os.path.join(outdir, name)
        try:
            write_flac(path, interleave(buf), sr, ch)
            info, peak = read_back(path)
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            ok = False
            continue
        expect = len(buf[0])
        good = (info.frames == expect and info.samplerate == sr and info.channels == ch
                and (info.format & 0xFFFF0000) == SF_FORMAT_FLAC and 0 < peak < 1.0)
        ok &= good
        peak_db = 20 * math.log10(peak) if peak > 0 else float("-inf")
        print(f"{'ok  ' if good else 'FAIL'} {path}: {info.frames} frames, "
              f"{info.frames / info.samplerate:.2f} s, {info.samplerate} Hz, "
              f"{info.channels} ch, peak {peak_db:.2f} dBFS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
