#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Draws the sample show's cover art (samples/cover.png), made by the warta team.

A 1400x1400 PNG (the smallest square podcast apps accept): a dark teal
field with a band of waveform bars. Standard library only (zlib + struct);
deterministic, so the file can be regenerated at any time:

    python3 scripts/make-cover.py [OUT.png]
"""
import math
import os
import struct
import sys
import zlib

SIZE = 1400


def pixel(x, y):
    # Background: vertical teal gradient.
    t = y / SIZE
    r, g, b = int(10 + 20 * t), int(70 + 40 * t), int(80 + 30 * t)
    # Waveform bars across the middle.
    bar = x // 40
    if 100 <= x < SIZE - 100 and x % 40 < 26:
        height = 120 + 360 * abs(math.sin(bar * 0.7)) * (0.55 + 0.45 * math.cos(bar * 0.23))
        if abs(y - SIZE / 2) < height / 2:
            return 245, 196, 70
    return r, g, b


def png(path):
    rows = []
    for y in range(SIZE):
        row = bytearray(b"\x00")  # filter type 0
        for x in range(SIZE):
            row += bytes(pixel(x, y))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8-bit RGB
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "samples", "cover.png")
    png(out)
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")
