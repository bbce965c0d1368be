// SPDX-License-Identifier: GPL-3.0-or-later
// Chunks: pieces of one programme encoded on their own, so that they can be
// encoded at the same time (in worker processes) and kept in a cache, then
// joined into one file.
//
// An MP3 chunk holds the frames of a fresh LAME encoder: its first frame uses
// no bit reservoir, so frames of different chunks can follow one another.
// The encoder's delay means the decoded output of a chunk's first frame
// starts `initial_padding` samples before the chunk (and that stretch of the
// previous chunk decodes as this encoder's silence): cut only where the
// programme is silent for longer than that. joinChunks keeps samples /
// frame_size frames of every chunk but the last, and all of the last, so the
// joined stream is exactly the sum of the chunks' samples.
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
  std::int64_t samples = 0;  // samples per channel encoded
  std::int64_t packets = 0;
};

// The samples per channel a chunk that another chunk follows must be a
// multiple of: the MP3 frame length for `settings`' rate, 1 for PCM.
int chunkAlignment(const OutputSettings& settings, ChunkCodec codec);

// Encodes audio into a chunk file. The file is written to an AtomicFile and
// appears at `path` only on finish(); one destroyed unfinished leaves nothing.
class ChunkWriter : public audio::AudioSink {
 public:
  // Throws audio::AudioError (with av_err2str's text) if the encoder or file
  // cannot be set up.
  ChunkWriter(const std::filesystem::path& path, const OutputSettings& settings, ChunkCodec codec);
  ~ChunkWriter() override;
  ChunkWriter(const ChunkWriter&) = delete;
  ChunkWriter& operator=(const ChunkWriter&) = delete;

  // `chunk` must be at settings' rate and channels. Throws audio::AudioError.
  void write(const audio::Audio& chunk) override;

  // Bytes stored with the chunk for whoever reads it (e.g. a render report). Before finish().
  void setMeta(std::string meta);

  // Flushes the encoder, completes the file and moves it into place. Throws audio::AudioError.
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
