// SPDX-License-Identifier: GPL-3.0-or-later
// The decoded check (audio/decoded_check.h) of a joined output, taken from its
// chunks before (or while) they are joined: each chunk's stretch of the
// joined file's decode is decoded from the chunk's own packets, after a
// warm-up from the packets of the chunk(s) before, and measured apart; the
// stretches combined (audio::combineStretches) are what decodeAndMeasure of
// the joined file gives.
//
// Why the pieces decode as the whole does: the joined MP3 is the chunks'
// kept packets in order (join.cpp), and a decoder's state is short: the
// first packet of every chunk takes no bits from the bit reservoir (a fresh
// encoder's first frame, or a chunk cut anywhere, whose encoder empties the
// reservoir before it),
// and what else carries from packet to packet (one granule of IMDCT overlap,
// the synthesis filterbank's 512 samples) is rebuilt by the warm-up's first
// packets. Packet j decodes to samples [j F, (j + 1) F) before the encoder's
// delay (initial_padding) is trimmed, so chunk c, whose own samples are
// [S, E) of the programme, decodes to [S - delay, E - delay) of the joined
// file's decode: its stretch (the first from 0, the last to the end). PCM
// chunks are their samples: [S, E).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "audio/decoded_check.h"
#include "encode/chunk.h"

namespace warta::encode {

struct ChunkStretch {
  std::int64_t start = 0, end = 0;  // frames of the joined file's decode
  std::size_t first_chunk = 0;      // the first chunk whose packets measuring it decodes (the warm-up)
  bool last = false;                // ends the programme
  std::int64_t cell = 1;            // its cells' frames (audio::StretchCells)
  // Its measure depends only on its chunks' packets and where they lie from
  // its own (MP3, its warm-up not cut by the programme's start, cells that
  // divide the packet): moved by whole packets, its cells are kept. Else
  // (PCM, or near the start) it is measured again wherever it lies.
  bool movable = false;
};

// Where chunk `index`'s stretch lies, given every chunk's info (in order).
// Throws ChunkError if there is no such chunk.
ChunkStretch chunkStretch(const std::vector<ChunkInfo>& infos, std::size_t index);

// Decodes and measures chunk `index`'s stretch from the chunk files (all the
// output's, in order, with their infos). Throws ChunkError or
// audio::AudioError naming the chunk.
audio::StretchCells measureChunkStretch(const std::vector<std::filesystem::path>& chunks,
                                        const std::vector<ChunkInfo>& infos, std::size_t index);

}  // namespace warta::encode
