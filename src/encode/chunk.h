// SPDX-License-Identifier: GPL-3.0-or-later
// Chunks: pieces of one programme encoded on their own, so that they can be
// encoded at the same time (in worker processes) and kept in a cache, then
// joined into one file.
//
// An MP3 chunk holds the frames of a fresh LAME encoder: its first frame uses
// no bit reservoir, so frames of different chunks can follow one another.
// LAME is driven directly (encode/lame_encoder.h), giving the packets
// FFmpeg's libmp3lame encoder would.
// Chunks cut where the programme is silent (the constructor without a span):
// the encoder's delay means the decoded output of a chunk's first frame
// starts `initial_padding` samples before the chunk (and that stretch of the
// previous chunk decodes as this encoder's silence): cut only where the
// programme is silent for longer than that. joinChunks keeps samples /
// frame_size frames of every chunk but the last, and all of the last, so the
// joined stream is exactly the sum of the chunks' samples.
//
// Chunks cut anywhere (a ChunkSpan, below): every chunk of the programme is
// encoded with chunkPreroll() samples of the programme before its own and
// chunkPostroll() after, and keeps only the packets that a one-piece encode
// of the programme has for its own samples: packet j covers the same input
// in both (the same encoder delay), so a chunk whose own samples are [S, E)
// keeps packets [S/F, E/F) (F the frame size), the first chunk from packet
// 0, the last to the end with LAME's flush. The encoder (LAME driven
// directly, encode/lame_encoder.h) uses its bit reservoir but empties it
// before the frame at each of the chunk's joins (ChunkSpan::joins), so a
// chunk's first kept frame takes no bits from the frame before it, which
// another chunk holds; the chunk before pads its last kept frames with
// ancillary data instead of lending them. Joined, the packets are a
// one-piece encode's in number, timestamps and side data; their bytes are
// not (the reservoir's contents differ at a join, and so the bits every
// later frame has), so the joins are judged on the decoded audio: per 50 ms window,
// the RMS of (joined decoded - input), in dBFS, in every window within 2
// frames of a join is at most the 99th percentile of the one-piece encode's
// (decoded - input) window RMS + 1 dB, and no sample near a join is further
// from the input than the one-piece encode's furthest sample anywhere
// (tests/unit/encode/chunk_anywhere_test.cpp, music at 44.1 kHz stereo and
// 22.05 kHz mono). The same cuts made the old way (no preroll, fresh encoder
// per chunk) fail it by 14 dB or more: the decoded first 1105 samples of
// each chunk are the encoder's start-up silence. joinChunks gives the
// stream's first packet the encoder delay for the LAME tag (the muxer reads
// it there), whichever packet a chunk starts with.
//
// Measured (LAME 3.100, FFmpeg 5.1 decoding; 24 s of the music bed with a
// sweep and 15 ms noise bursts every 370 ms, lowpassed at 7 kHz): one-piece
// coding noise per 50 ms window, median / 99th percentile -42.7 / -40.7
// dBFS at 44.1 kHz stereo 128 kb/s, -42.4 / -38.6 at 22.05 kHz mono 64
// kb/s; the joins' loudest windows -41.4 and -40.8; the old cut's joins -21
// to -22 and -16 to -21 dBFS.
//
// What emptying the reservoir costs: with a join every 2 s, whole-file
// coding noise +0.04 dB (44.1 kHz) and +0.11 dB (22.05 kHz), the 99th
// percentile window +0.7 dB; the bench bulletin's chunks are about 32 s.
// Keeping the reservoir is what this buys over turning it off in every
// chunk (as warta did before): off, the whole-file noise was +0.3 and +1.2
// dB and the 99th percentile window +2.1 and +4.6 dB (the bursts' short
// blocks want more bits than one frame has), and LAME took about 1% more
// CPU under a bed. Cutting anywhere adds per chunk the pre- and postroll
// (5 frames at 44.1 kHz, 7 at 22.05 kHz). LAME's CBR padding pattern (which
// frames carry a byte more) starts afresh in each chunk's encoder, so the
// joined frames' sizes differ from a one-piece encode's, its length in
// bytes by a byte or so per chunk.
//
// A PCM chunk holds 16-bit samples (little-endian, interleaved), reduced from
// float with TPDF dither seeded afresh per chunk (audio/pcm16.h), so a chunk's
// bytes depend on its audio alone; joining it is plain concatenation.
//
// File layout (little-endian): "WARTACK1"; packet records (pts, dts, duration
// int64; flags, size, side-data count uint32; bytes; per side datum type,
// size uint32 and bytes); the caller's meta bytes; the ChunkInfo fields, the
// meta and record lengths (uint64); a CRC-32 of everything before it;
// "WARTAEND". A truncated or altered file fails the check.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "audio/audio.h"
#include "encode/writer.h"

extern "C" {
#include <libavcodec/packet.h>
}

namespace warta::encode {

enum class ChunkCodec : std::uint32_t { Mp3 = 1, Pcm16 = 2 };

// A chunk file that is missing, truncated or corrupt.
class ChunkError : public audio::AudioError {
 public:
  using audio::AudioError::AudioError;
};

struct ChunkInfo {
  ChunkCodec codec = ChunkCodec::Mp3;
  int sample_rate = 0;       // Hz
  int channels = 0;          // 1 or 2
  int bitrate_kbps = 0;      // MP3 only
  int frame_size = 0;        // samples per channel in one packet (MP3: 1152, or 576 below 32 kHz)
  int initial_padding = 0;   // MP3: samples of decoder delay before the first input sample
  std::int64_t samples = 0;  // samples per channel of the chunk's own (without a span's pre- and postroll)
  std::int64_t packets = 0;
};

// The samples per channel a chunk that another chunk follows must be a
// multiple of: the MP3 frame length for `settings`' rate, 1 for PCM.
int chunkAlignment(const OutputSettings& settings, ChunkCodec codec);

// Where a chunk lies in its programme when chunks are cut anywhere (all in
// samples per channel). The caller writes preroll + own + postroll samples.
struct ChunkSpan {
  std::int64_t preroll = 0;   // written before the chunk's own: encoded, then dropped (0 for the first chunk)
  std::int64_t postroll = 0;  // written after them: encoded, then dropped (0 for the last chunk)
  // The chunk's own first sample in the programme. MP3: a multiple of the
  // frame size, as are the preroll and (but in the last chunk) the chunk's
  // own length; the postroll is chunkPostroll() or, where the programme
  // ends sooner, all the rest of it (LAME then pads and flushes as the
  // one-piece encode does).
  std::int64_t start = 0;
  // MP3: the programme's samples (whole frames) where one chunk's kept
  // frames end and the next's begin. The encoder empties its bit reservoir
  // before the frame there, so that frame takes no bits from the one before
  // it, which the other chunk holds. A chunk lists its own start (but the
  // first chunk's) and end (but the last's), whether or not they fall in
  // what it encodes; the rest of the time the reservoir is LAME's to use.
  std::vector<std::int64_t> joins;
};

// Samples per channel of context a chunk cut anywhere needs before / after
// its own (0 for PCM), multiples of the frame size. MP3 (LAME 3.100):
//  - preroll: a frame's decoded output starts LAME's delay (1105 samples)
//    before its input frame, its MDCT window reaches a granule (576) further
//    back, and the psychoacoustic model carries masking and block-type
//    memory from the two granules before that (1152): 2833 samples, rounded
//    up to whole frames, plus one frame of margin (the quantizer's search
//    starts from the previous frame's step). Measured on music with noise
//    bursts (~170 cuts each at 8 to 48 kHz, 16 to 320 kb/s) when chunks
//    had the reservoir off, byte-identical packets needed 3 frames of 1152
//    and 4 of 576; this gives 4 and 6. With the reservoir, a chunk's frames
//    match the one-piece encode's in what they hold of the programme, not
//    in their bits: LAME's state (its quantizer's steps, the phase of the
//    alternating bit in its ancillary padding) carries the whole history.
//  - postroll: LAME encodes frame j once it holds input up to (j + 1) * F +
//    224 (its 1024-point FFT window past the frame, less the 272-sample FFT
//    offset): one frame; without it the last kept frame sees the flush's
//    zeros instead of the programme.
std::int64_t chunkPreroll(const OutputSettings& settings, ChunkCodec codec);
std::int64_t chunkPostroll(const OutputSettings& settings, ChunkCodec codec);

// Encodes audio into a chunk file. The file is written to an AtomicFile and
// appears at `path` only on finish(); one destroyed unfinished leaves nothing.
// A chunk is a cache entry (Flush::CacheEntry): renamed into place, not
// waited onto the disk; ChunkReader checks it whole when it is looked up.
class ChunkWriter : public audio::AudioSink {
 public:
  // Throws audio::AudioError (with av_err2str's text) if the encoder or file
  // cannot be set up.
  ChunkWriter(const std::filesystem::path& path, const OutputSettings& settings, ChunkCodec codec);
  // A chunk cut anywhere: `span` says how much context comes before and
  // after its own samples, which alone it keeps (see above). Also throws
  // audio::AudioError for a span that is negative or, for MP3, whose start
  // or preroll is not whole frames or whose preroll reaches before the programme.
  ChunkWriter(const std::filesystem::path& path, const OutputSettings& settings, ChunkCodec codec,
              const ChunkSpan& span);
  ~ChunkWriter() override;
  ChunkWriter(const ChunkWriter&) = delete;
  ChunkWriter& operator=(const ChunkWriter&) = delete;

  // `chunk` must be at settings' rate and channels. Throws audio::AudioError.
  void write(const audio::Audio& chunk) override;

  // Bytes stored with the chunk for whoever reads it (e.g. a render report). Before finish().
  void setMeta(std::string meta);

  // Flushes the encoder, completes the file and moves it into place. Throws
  // audio::AudioError, also if fewer samples than the span's preroll and
  // postroll were written, or (MP3) a chunk with a postroll holds no whole
  // number of frames of its own.
  void finish() override;

  // Like finish() but leaves the complete file at tempPath() (removed when
  // the writer is destroyed): for a writer's private spool.
  void complete();

  const ChunkInfo& info() const;
  std::int64_t bytes() const;  // written so far
  const std::filesystem::path& tempPath() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a chunk file. The constructor checks its length and markers, and
// with `verify` (the default) reads it whole for the CRC-32, so a chunk that
// opens is intact.
class ChunkReader {
 public:
  // Throws ChunkError naming the file and what is wrong with it.
  explicit ChunkReader(const std::filesystem::path& path, bool verify = true);
  ~ChunkReader();
  ChunkReader(ChunkReader&&) noexcept;
  ChunkReader& operator=(ChunkReader&&) = delete;

  const ChunkInfo& info() const;
  const std::string& meta() const;

  // The next packet, in order (unreferenced first); false after the last.
  // Throws ChunkError.
  bool next(AVPacket& packet);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Joins `chunks` (all of one codec and format, matching `settings`) into
// `output`, atomically: MP3 with the LAME/Xing header for the whole stream,
// ID3v2.4 tags, chapters and cover as Mp3Writer writes them; PCM as WAV or
// Broadcast WAV (by settings.container and the extension, as openWriter).
// Every chunk but the last must hold a multiple of its frame_size samples.
// Streams packet by packet (constant memory). Returns the samples per channel
// in the joined file. Throws ChunkError or audio::AudioError naming the file.
std::int64_t joinChunks(const std::filesystem::path& output, const OutputSettings& settings,
                        const std::vector<std::filesystem::path>& chunks, const std::vector<Chapter>& chapters);

}  // namespace warta::encode
