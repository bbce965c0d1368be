// SPDX-License-Identifier: GPL-3.0-or-later
// Chunk files (encode/chunk.h): ChunkWriter -> ChunkReader round trips,
// damage detection, joinChunks into one MP3 or WAV, and the byte-for-byte
// determinism the chunk cache relies on.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "audio/av_handles.h"
#include "encode/chunk.h"
#include "encode/writer.h"
#include "support/cli.h"
#include "support/media.h"
#include "support/mp3_packets.h"

namespace fs = std::filesystem;
using warta::audio::Audio;
using warta::audio::AudioError;
using warta::encode::Chapter;
using warta::encode::ChunkCodec;
using warta::encode::ChunkError;
using warta::encode::ChunkInfo;
using warta::encode::ChunkReader;
using warta::encode::ChunkWriter;
using warta::encode::joinChunks;
using warta::encode::Mp3Writer;
using warta::encode::OutputSettings;
using namespace warta::test;

namespace {

constexpr std::size_t kTailBytes = 6 * 4 + 2 * 8 + 2 * 8 + 4 + 8;  // info, lengths, CRC-32, "WARTAEND" (chunk.h)
constexpr std::size_t kRecordHead = 3 * 8 + 3 * 4;                 // pts, dts, duration; flags, size, side count

OutputSettings settings(int rate = 44100, int channels = 2, int kbps = 128) {
  OutputSettings s;
  s.sample_rate = rate;
  s.channels = channels;
  s.bitrate_kbps = kbps;
  s.tags.title = "Kabar Pagi 2025-06-11";
  s.tags.artist = "Radio Komunitas";
  return s;
}

// Frames [from, from + count) of `audio`.
Audio slice(const Audio& audio, std::size_t from, std::size_t count) {
  const auto width = static_cast<std::size_t>(audio.channels);
  Audio out{{}, audio.sample_rate, audio.channels};
  out.samples.assign(audio.samples.begin() + static_cast<std::ptrdiff_t>(from * width),
                     audio.samples.begin() + static_cast<std::ptrdiff_t>((from + count) * width));
  return out;
}

void append(Audio& to, const Audio& more) {
  if (to.channels == 0) {
    to.sample_rate = more.sample_rate;
    to.channels = more.channels;
  }
  to.samples.insert(to.samples.end(), more.samples.begin(), more.samples.end());
}

// Writes `audio` in pieces of `piece` frames (the last shorter) to a finished chunk.
ChunkInfo writeChunk(const fs::path& path, const Audio& audio, ChunkCodec codec, const std::string& meta = {},
                     const OutputSettings& s = settings(), std::size_t piece = 4001) {
  ChunkWriter writer(path, s, codec);
  for (std::size_t at = 0; at < audio.frames(); at += piece)
    writer.write(slice(audio, at, std::min(piece, audio.frames() - at)));
  writer.setMeta(meta);
  writer.finish();
  return writer.info();
}

std::vector<Packet> readPackets(ChunkReader& reader) {
  std::vector<Packet> packets;
  warta::av::Packet p(av_packet_alloc());
  REQUIRE(p);
  while (reader.next(*p)) packets.push_back(copyPacket(*p));
  CHECK_FALSE(reader.next(*p));  // stays at the end
  return packets;
}

// The length in bytes an MPEG-1 Layer III frame header at the start of
// `frame` declares, or -1 if it is not one at 44.1 kHz, 128 kb/s.
int mp3FrameLength(const std::string& frame) {
  if (frame.size() < 4) return -1;
  const auto b = [&](int i) { return static_cast<unsigned char>(frame[static_cast<std::size_t>(i)]); };
  if (b(0) != 0xFF || (b(1) & 0xFE) != 0xFA) return -1;       // sync, MPEG-1, Layer III
  if ((b(2) >> 4) != 9 || ((b(2) >> 2) & 3) != 0) return -1;  // 128 kb/s, 44100 Hz
  return 144 * 128000 / 44100 + ((b(2) >> 1) & 1);
}

double peak(const Audio& a, std::size_t from, std::size_t to) {
  const auto width = static_cast<std::size_t>(a.channels);
  double p = 0;
  for (std::size_t i = from * width; i < std::min(to, a.frames()) * width; ++i)
    p = std::max(p, static_cast<double>(std::abs(a.samples[i])));
  return p;
}

// The first and last frame in [from, to) where any channel exceeds
// `threshold` in magnitude: where a tone starts and stops, to the sample.
std::pair<long, long> soundSpan(const Audio& a, std::size_t from, std::size_t to, float threshold = 0.1f) {
  const auto width = static_cast<std::size_t>(a.channels);
  long first = -1, last = -1;
  for (std::size_t i = from; i < std::min(to, a.frames()); ++i)
    for (std::size_t c = 0; c < width; ++c)
      if (std::abs(a.samples[i * width + c]) > threshold) {
        if (first < 0) first = static_cast<long>(i);
        last = static_cast<long>(i);
      }
  return {first, last};
}

// Normalised correlation of two clips over frames [from, to), at lag 0.
double correlation(const Audio& a, const Audio& b, std::size_t from, std::size_t to) {
  const auto width = static_cast<std::size_t>(a.channels);
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = from * width; i < to * width; ++i) {
    ab += double{a.samples[i]} * b.samples[i];
    aa += double{a.samples[i]} * a.samples[i];
    bb += double{b.samples[i]} * b.samples[i];
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

bool mentions(const std::string& message, const fs::path& file) {
  return message.find(file.string()) != std::string::npos;
}

// ---- A test programme: pieces of tone between stretches of digital silence ----

struct Piece {
  double freq, tone_seconds;
};
constexpr Piece kPieces[] = {{440.0, 1.3}, {660.0, 1.1}, {440.0, 1.45}, {660.0, 1.25}};
constexpr double kEdgeSilence = 0.25;

struct Programme {
  Audio whole;                        // every piece, padded, one after another
  std::vector<Audio> pieces;          // each piece as encoded into its chunk
  std::vector<std::size_t> starts;    // first frame of each piece in `whole`
  std::vector<std::size_t> tone_at;   // first frame of each piece's tone in `whole`
  std::vector<std::size_t> tone_len;  // its length in frames
};

// Every piece but the last padded with silence to a whole number of MP3 frames.
Programme makeProgramme(const OutputSettings& s) {
  const int align = warta::encode::chunkAlignment(s, ChunkCodec::Mp3);
  Programme p;
  for (std::size_t i = 0; i < std::size(kPieces); ++i) {
    Audio piece = Audio::silence(kEdgeSilence, s.sample_rate, s.channels);
    const std::size_t lead = piece.frames();
    const Audio t = tone(kPieces[i].freq, kPieces[i].tone_seconds, s.sample_rate, s.channels, 0.5);
    append(piece, t);
    append(piece, Audio::silence(kEdgeSilence, s.sample_rate, s.channels));
    if (i + 1 < std::size(kPieces)) {
      const std::size_t pad = (align - piece.frames() % align) % align;
      piece.samples.resize(piece.samples.size() + pad * static_cast<std::size_t>(s.channels), 0.0f);
    }
    p.starts.push_back(p.whole.frames());
    p.tone_at.push_back(p.whole.frames() + lead);
    p.tone_len.push_back(t.frames());
    append(p.whole, piece);
    p.pieces.push_back(std::move(piece));
  }
  return p;
}

// Encodes each piece into its own chunk in `dir`; returns the chunk files.
std::vector<fs::path> writeChunks(const fs::path& dir, const Programme& p, const OutputSettings& s) {
  std::vector<fs::path> chunks;
  for (std::size_t i = 0; i < p.pieces.size(); ++i) {
    chunks.push_back(dir / ("piece-" + std::to_string(i) + ".chunk"));
    writeChunk(chunks.back(), p.pieces[i], ChunkCodec::Mp3, "piece " + std::to_string(i), s, 3000 + 77 * i);
  }
  return chunks;
}

}  // namespace

// ---------------------------------------------------------------------------
// 1. Round trips

TEST_CASE("an MP3 chunk reads back with its format, length, meta and LAME's packets in order", "[encode][chunk]") {
  struct Case {
    const char* what;
    std::string meta;
  };
  const Case cases[] = {
      {"text meta", "{\"story\":3,\"judul\":\"Banjir di Jakarta \xe2\x80\x93 pagi\"}"},
      {"binary meta", std::string("\0\x01\xff\xfe"
                                  "WARTAEND\0\0\x80 tail",
                                  19)},
      {"empty meta", ""},
  };
  const OutputSettings s = settings();
  const Audio in = tone(523.25, 1.0, 44100, 2, 0.4);  // 44100 frames: 38.28 MP3 frames
  const std::vector<Packet> expected = ffmpegMp3Packets(in, 128);
  for (const Case& c : cases) {
    INFO(c.what);
    const fs::path dir = tempDir("chunk-mp3-roundtrip");
    const fs::path file = dir / "a.chunk";
    std::int64_t written = 0;
    ChunkInfo wrote;
    {
      ChunkWriter writer(file, s, ChunkCodec::Mp3);
      for (std::size_t at = 0; at < in.frames(); at += 1000) {
        writer.write(slice(in, at, std::min<std::size_t>(1000, in.frames() - at)));
        CHECK_FALSE(fs::exists(file));
      }
      writer.setMeta(c.meta);
      CHECK_FALSE(fs::exists(file));
      writer.finish();
      written = writer.bytes();
      wrote = writer.info();
    }
    REQUIRE(fs::exists(file));
    CHECK(leftoverTemps(dir).empty());
    CHECK(static_cast<std::int64_t>(fs::file_size(file)) == written);

    ChunkReader reader(file);
    const ChunkInfo& info = reader.info();
    CHECK(info.codec == ChunkCodec::Mp3);
    CHECK(info.sample_rate == 44100);
    CHECK(info.channels == 2);
    CHECK(info.bitrate_kbps == 128);
    CHECK(info.frame_size == 1152);
    CHECK(info.samples == 44100);
    CHECK(info.packets > 44100 / 1152);
    CHECK(info.packets == wrote.packets);
    CHECK(info.initial_padding == wrote.initial_padding);
    CHECK(info.initial_padding > 0);
    CHECK(reader.meta() == c.meta);
    CHECK(reader.meta().size() == c.meta.size());

    const std::vector<Packet> packets = readPackets(reader);
    REQUIRE(static_cast<std::int64_t>(packets.size()) == info.packets);
    std::size_t record_bytes = 0;
    for (std::size_t k = 0; k < packets.size(); ++k) {
      INFO("packet " << k);
      if (k > 0) CHECK(packets[k].pts - packets[k - 1].pts == 1152);  // in order, none lost or repeated
      CHECK(static_cast<int>(packets[k].data.size()) == mp3FrameLength(packets[k].data));  // one whole MP3 frame
      record_bytes += kRecordHead + packets[k].data.size();
      for (const auto& side : packets[k].side) record_bytes += 8 + side.second.size();
    }
    // Exactly the packets LAME gives for the same samples, bytes, timestamps and side data.
    REQUIRE(packets.size() == expected.size());
    for (std::size_t k = 0; k < packets.size(); ++k) {
      INFO("packet " << k);
      CHECK(packets[k].data.size() == expected[k].data.size());
      CHECK(packets[k] == expected[k]);
    }
    // The last packet carries the padding a gapless decoder trims (skip-samples).
    REQUIRE_FALSE(packets.back().side.empty());
    CHECK(packets.back().side[0].first == AV_PKT_DATA_SKIP_SAMPLES);
    // And the file is exactly magic + records + meta + tail: nothing else hides in it.
    CHECK(fs::file_size(file) == 8 + record_bytes + c.meta.size() + kTailBytes);
  }
}

TEST_CASE("a PCM chunk holds the dithered 16-bit samples, and joinChunks keeps them exactly in the WAV",
          "[encode][chunk]") {
  const fs::path dir = tempDir("chunk-pcm");
  // Left runs through every 16-bit value -32767..32767 as float (v / 32768,
  // audio/pcm16.h), right is its negation.
  Audio in{{}, 44100, 2};
  for (int k = -32767; k <= 32767; ++k) {
    in.samples.push_back(static_cast<float>(k) / 32768.0f);
    in.samples.push_back(static_cast<float>(-k) / 32768.0f);
  }
  REQUIRE(in.frames() == 65535);
  const std::size_t split = 40000;  // two chunks; PCM needs no alignment
  const std::string meta = std::string("pcm\0meta", 8);
  const ChunkInfo first = writeChunk(dir / "a.chunk", slice(in, 0, split), ChunkCodec::Pcm16, meta, settings(), 999);
  writeChunk(dir / "b.chunk", slice(in, split, in.frames() - split), ChunkCodec::Pcm16, "", settings(), 4096);
  CHECK(leftoverTemps(dir).empty());
  CHECK(first.samples == 40000);
  // Deterministic: the same audio makes the same bytes (what -j and the cache rely on).
  writeChunk(dir / "a2.chunk", slice(in, 0, split), ChunkCodec::Pcm16, meta, settings(), 999);
  CHECK(readText(dir / "a.chunk") == readText(dir / "a2.chunk"));

  std::vector<int> stored;  // the chunks' samples, interleaved
  for (const char* name : {"a.chunk", "b.chunk"}) {
    ChunkReader reader(dir / name);
    const ChunkInfo& info = reader.info();
    CHECK(info.codec == ChunkCodec::Pcm16);
    CHECK(info.sample_rate == 44100);
    CHECK(info.channels == 2);
    CHECK(warta::encode::chunkAlignment(settings(), ChunkCodec::Pcm16) == 1);
    if (std::string(name) == "a.chunk") {
      CHECK(info.samples == 40000);
      CHECK(info.packets == (40000 + 4095) / 4096);
      CHECK(reader.meta() == meta);
    }
    // The packets are the samples as little-endian int16, in order.
    std::int64_t at = 0;
    for (const Packet& p : readPackets(reader)) {
      CHECK(p.pts == at);
      REQUIRE(p.data.size() % 4 == 0);
      CHECK(p.duration == static_cast<std::int64_t>(p.data.size() / 4));
      for (std::size_t b = 0; b < p.data.size(); b += 2)
        stored.push_back(static_cast<std::int16_t>(static_cast<unsigned char>(p.data[b]) |
                                                   static_cast<unsigned char>(p.data[b + 1]) << 8));
      at += p.duration;
    }
    CHECK(at == info.samples);
  }
  REQUIRE(stored.size() == in.samples.size());
  // TPDF dither of +-1 LSB before rounding: each stored value is within 1 of
  // the exact one, 0 stays 0, the error has mean 0 and, for inputs on the
  // 16-bit grid, variance 1/4 LSB^2 (P(|t| > 1/2) for a triangular t on (-1, 1)).
  std::size_t beyond = 0, changed = 0;
  double sum = 0, sum2 = 0;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    const int exact = static_cast<int>(std::lrint(in.samples[i] * 32768.0f));
    const int e = stored[i] - exact;
    if (std::abs(e) > 1 || (exact == 0 && e != 0)) ++beyond;
    if (e != 0) ++changed;
    sum += e;
    sum2 += static_cast<double>(e) * e;
  }
  const double n = static_cast<double>(stored.size());
  CHECK(beyond == 0);
  CHECK(changed > 0);
  CHECK(std::fabs(sum / n) < 0.01);
  CHECK(sum2 / n == Approx(0.25).margin(0.01));

  const std::int64_t joined = joinChunks(dir / "out.wav", settings(), {dir / "a.chunk", dir / "b.chunk"}, {});
  CHECK(joined == 65535);
  const Decoded out = decodeFile(dir / "out.wav");
  CHECK(out.codec == "pcm_s16le");
  CHECK(out.audio.sample_rate == 44100);
  REQUIRE(out.audio.channels == 2);
  REQUIRE(out.audio.frames() == 65535);
  // Joining does not reduce again: the WAV holds the chunks' values exactly.
  std::size_t wrong = 0;
  long first_wrong = -1;
  for (std::size_t i = 0; i < out.audio.samples.size(); ++i)
    if (out.audio.samples[i] * 32768.0f != static_cast<float>(stored[i])) {
      if (first_wrong < 0) first_wrong = static_cast<long>(i);
      ++wrong;
    }
  INFO("first wrong sample " << first_wrong);
  CHECK(wrong == 0);
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("a chunk writer destroyed unfinished, or only completed, leaves nothing behind", "[encode][chunk]") {
  const fs::path dir = tempDir("chunk-abandon");
  for (const ChunkCodec codec : {ChunkCodec::Mp3, ChunkCodec::Pcm16}) {
    INFO("codec " << static_cast<int>(codec));
    fs::path temp;
    {
      ChunkWriter abandoned(dir / "abandoned.chunk", settings(), codec);
      abandoned.write(tone(440.0, 0.5, 44100, 2));
      ChunkWriter completed(dir / "completed.chunk", settings(), codec);
      completed.write(tone(440.0, 0.5, 44100, 2));
      completed.complete();
      temp = completed.tempPath();
      // complete() leaves a whole, readable chunk at tempPath() only.
      REQUIRE(fs::exists(temp));
      CHECK(ChunkReader(temp).info().samples == 22050);
      CHECK_FALSE(fs::exists(dir / "completed.chunk"));
    }
    CHECK_FALSE(fs::exists(dir / "abandoned.chunk"));
    CHECK_FALSE(fs::exists(dir / "completed.chunk"));
    CHECK_FALSE(fs::exists(temp));
    CHECK(leftoverTemps(dir).empty());
  }
}

// ---------------------------------------------------------------------------
// 2. Damage

TEST_CASE("a damaged chunk file is refused by ChunkReader with an error naming it", "[encode][chunk]") {
  const fs::path dir = tempDir("chunk-damage");
  const std::string meta = "laporan: 3 cerita, 2 suara";
  writeChunk(dir / "good.chunk", tone(440.0, 0.5, 44100, 2), ChunkCodec::Mp3, meta);
  const std::string good = readText(dir / "good.chunk");
  const std::size_t records = good.size() - 8 - meta.size() - kTailBytes;
  const std::size_t meta_at = 8 + records;
  REQUIRE(ChunkReader(dir / "good.chunk").meta() == meta);  // the original opens
  REQUIRE(records > 10 * kRecordHead);

  const auto flip = [](std::size_t at) {
    return [at](std::string b) {
      b[at] = static_cast<char>(b[at] ^ 0xFF);
      return b;
    };
  };
  struct Case {
    std::string what;
    std::function<std::string(std::string)> damage;
  };
  const std::vector<Case> cases = {
      {"first byte of the packet area (packet 0's pts)", flip(8)},
      {"packet 0's size field", flip(8 + 28)},
      {"packet 0's first payload byte (the MP3 sync)", flip(8 + kRecordHead)},
      {"a payload byte in the middle of the packets", flip(8 + records / 2)},
      {"the last byte of the packet area", flip(8 + records - 1)},
      {"bit 0 only, mid-packets",
       [&](std::string b) {
         b[8 + records / 3] ^= 1;
         return b;
       }},
      {"the first byte of the meta", flip(meta_at)},
      {"the last byte of the meta", flip(meta_at + meta.size() - 1)},
      {"truncated by 1 byte",
       [](std::string b) {
         b.pop_back();
         return b;
       }},
      {"truncated to half",
       [](std::string b) {
         b.resize(b.size() / 2);
         return b;
       }},
      {"truncated to 0 bytes", [](std::string) { return std::string(); }},
      {"one byte appended", [](std::string b) { return b + 'x'; }},
      {"a second end marker appended", [](std::string b) { return b + "WARTAEND"; }},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const fs::path file = dir / "damaged.chunk";
    const std::string bad = c.damage(good);
    REQUIRE(bad != good);
    writeBytes(file, bad);
    try {
      ChunkReader reader(file);
      FAIL("opened a chunk with " << c.what << " (" << reader.info().packets << " packets)");
    } catch (const ChunkError& e) {
      INFO(e.what());
      CHECK(mentions(e.what(), file));
    }
  }
  // A missing chunk too.
  try {
    ChunkReader reader(dir / "missing.chunk");
    FAIL("opened a missing chunk");
  } catch (const ChunkError& e) {
    CHECK(mentions(e.what(), dir / "missing.chunk"));
  }
}

TEST_CASE("flipping any single byte of a chunk file, wherever it is, is detected", "[encode][chunk]") {
  const fs::path dir = tempDir("chunk-every-byte");
  writeChunk(dir / "small.chunk", tone(660.0, 0.06, 44100, 2), ChunkCodec::Mp3, "meta\x01\x02");
  const std::string good = readText(dir / "small.chunk");
  const fs::path file = dir / "flipped.chunk";
  std::vector<std::size_t> opened, unnamed;
  for (std::size_t at = 0; at < good.size(); ++at) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x5A);
    writeBytes(file, bad);
    try {
      ChunkReader reader(file);
      opened.push_back(at);
    } catch (const ChunkError& e) {
      if (!mentions(e.what(), file)) unnamed.push_back(at);
    }
  }
  INFO(good.size() << " bytes; first undetected at " << (opened.empty() ? -1L : static_cast<long>(opened[0])));
  CHECK(opened.empty());
  CHECK(unnamed.empty());
}

// ---------------------------------------------------------------------------
// 3. Joining MP3 chunks

TEST_CASE("joined MP3 chunks decode to exactly the sum of the chunks' samples", "[encode][chunk][join]") {
  const fs::path dir = tempDir("chunk-join-length");
  const OutputSettings s = settings();
  const Programme p = makeProgramme(s);
  const std::vector<fs::path> chunks = writeChunks(dir, p, s);
  std::int64_t sum = 0;
  for (const auto& chunk : chunks) sum += ChunkReader(chunk).info().samples;
  REQUIRE(sum == static_cast<std::int64_t>(p.whole.frames()));
  for (std::size_t i = 0; i + 1 < chunks.size(); ++i) CHECK(ChunkReader(chunks[i]).info().samples % 1152 == 0);
  CHECK(ChunkReader(chunks.back()).info().samples % 1152 != 0);  // the last may end anywhere

  CHECK(joinChunks(dir / "joined.mp3", s, chunks, {}) == sum);
  CHECK(static_cast<std::int64_t>(countDecodedFrames(dir / "joined.mp3")) == sum);
  const Decoded out = decodeFile(dir / "joined.mp3");
  CHECK(out.codec.rfind("mp3", 0) == 0);
  CHECK(out.audio.sample_rate == 44100);
  CHECK(out.audio.channels == 2);
  CHECK(static_cast<std::int64_t>(out.audio.frames()) == sum);
  CHECK(leftoverTemps(dir).empty());
  // The chunks are inputs: joining leaves them as they were.
  for (const auto& chunk : chunks) CHECK_NOTHROW(ChunkReader(chunk));

  // Two chunks and one chunk join to exact lengths too.
  CHECK(joinChunks(dir / "two.mp3", s, {chunks[0], chunks[3]}, {}) ==
        static_cast<std::int64_t>(p.pieces[0].frames() + p.pieces[3].frames()));
  CHECK(countDecodedFrames(dir / "two.mp3") == p.pieces[0].frames() + p.pieces[3].frames());
  CHECK(joinChunks(dir / "one.mp3", s, {chunks[1]}, {}) == static_cast<std::int64_t>(p.pieces[1].frames()));
  CHECK(countDecodedFrames(dir / "one.mp3") == p.pieces[1].frames());
}

TEST_CASE("a joined MP3 decodes to exactly the sum of the chunks' samples whatever the last chunk's length",
          "[encode][chunk][join]") {
  // LAME's delay is 1105 samples at 44.1 kHz, so how the last chunk's samples
  // fall into 1152-sample frames depends on length % 1152; every remainder
  // must come out exact (the rows around 1152 - 1105 = 47 are the edge where
  // LAME's flush adds a frame that is all padding).
  const fs::path dir = tempDir("chunk-join-last-length");
  const OutputSettings s = settings();
  const std::size_t remainders[] = {0, 1, 2, 23, 45, 46, 47, 48, 100, 576, 1104, 1105, 1106, 1151};
  writeChunk(dir / "before.chunk", tone(330.0, 2 * 1152 / 44100.0, 44100, 2, 0.3), ChunkCodec::Mp3);
  REQUIRE(ChunkReader(dir / "before.chunk").info().samples == 2 * 1152);
  for (const std::size_t r : remainders) {
    const std::size_t last = 2 * 1152 + r;
    const Audio in = slice(tone(550.0, 1.0, 44100, 2, 0.3), 0, last);
    writeChunk(dir / "last.chunk", in, ChunkCodec::Mp3);
    {
      INFO("one chunk of " << last << " samples (" << r << " past a whole frame)");
      CHECK(joinChunks(dir / "one.mp3", s, {dir / "last.chunk"}, {}) == static_cast<std::int64_t>(last));
      CHECK(countDecodedFrames(dir / "one.mp3") == last);
    }
    {
      INFO("2304 samples, then a last chunk of " << last << " samples (" << r << " past a whole frame)");
      CHECK(joinChunks(dir / "two.mp3", s, {dir / "before.chunk", dir / "last.chunk"}, {}) ==
            static_cast<std::int64_t>(2 * 1152 + last));
      CHECK(countDecodedFrames(dir / "two.mp3") == 2 * 1152 + last);
    }
    {
      INFO("Mp3Writer (a one-chunk join) of " << last << " samples (" << r << " past a whole frame)");
      Mp3Writer writer(dir / "writer.mp3", s);
      writer.write(in);
      writer.finish();
      CHECK(countDecodedFrames(dir / "writer.mp3") == last);
    }
  }
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("joined MP3 chunks have no click at the joins", "[encode][chunk][join]") {
  const fs::path dir = tempDir("chunk-join-clicks");
  const OutputSettings s = settings();
  const Programme p = makeProgramme(s);
  joinChunks(dir / "joined.mp3", s, writeChunks(dir, p, s), {});
  const Audio out = decodeFile(dir / "joined.mp3").audio;
  REQUIRE(out.frames() == p.whole.frames());

  double tone_jump = 0;  // the largest sample-to-sample step the tones themselves make
  for (std::size_t i = 0; i < p.pieces.size(); ++i)
    tone_jump = std::max(tone_jump, maxJump(out, p.tone_at[i] + 2205, p.tone_at[i] + p.tone_len[i] - 2205));
  REQUIRE(tone_jump > 0.02);  // 0.5 x sin at 440-660 Hz: about 0.03-0.047

  for (std::size_t i = 1; i < p.pieces.size(); ++i) {
    const std::size_t join = p.starts[i];
    INFO("join " << i << " at frame " << join);
    const double jump = maxJump(out, join - 1152, join + 1152);
    INFO("largest jump " << jump << " (tones: " << tone_jump << "), peak " << peak(out, join - 1152, join + 1152));
    CHECK(jump <= tone_jump);
    CHECK(jump < 0.001);  // -60 dBFS
  }
}

TEST_CASE("joined MP3 chunks sound like the same programme encoded in one piece", "[encode][chunk][join]") {
  const fs::path dir = tempDir("chunk-join-vs-whole");
  const OutputSettings s = settings();
  const Programme p = makeProgramme(s);
  joinChunks(dir / "joined.mp3", s, writeChunks(dir, p, s), {});
  {
    Mp3Writer whole(dir / "whole.mp3", s);
    whole.write(p.whole);
    whole.finish();
  }
  const Audio joined = decodeFile(dir / "joined.mp3").audio;
  const Audio whole = decodeFile(dir / "whole.mp3").audio;
  REQUIRE(joined.frames() == p.whole.frames());
  REQUIRE(whole.frames() == p.whole.frames());
  const double rate = 44100.0;
  const long two_ms = std::lround(0.002 * rate);

  for (std::size_t i = 0; i < p.pieces.size(); ++i) {
    INFO("piece " << i << " (" << kPieces[i].freq << " Hz)");
    const std::size_t from = p.starts[i];
    const std::size_t to = from + p.pieces[i].frames();
    const double t0 = static_cast<double>(p.tone_at[i]) / rate + 0.05;
    const double t1 = static_cast<double>(p.tone_at[i] + p.tone_len[i]) / rate - 0.05;
    // The same level: nothing dropped, doubled or attenuated.
    CHECK(std::abs(rmsDb(joined, t0, t1) - rmsDb(whole, t0, t1)) < 1.0);
    CHECK(std::abs(rmsDb(joined, t0, t1) - rmsDb(p.whole, t0, t1)) < 1.0);
    // In the same place: the tone starts and stops where it does in the
    // one-piece decode and in the input, to 2 ms.
    const auto [in_on, in_off] = soundSpan(p.whole, from, to);
    const auto [j_on, j_off] = soundSpan(joined, from, to);
    const auto [w_on, w_off] = soundSpan(whole, from, to);
    INFO("onset: input " << in_on << ", joined " << j_on << ", whole " << w_on << "; end: input " << in_off
                         << ", joined " << j_off << ", whole " << w_off);
    REQUIRE(j_on >= 0);
    CHECK(std::abs(j_on - w_on) <= two_ms);
    CHECK(std::abs(j_on - in_on) <= two_ms);
    CHECK(std::abs(j_off - w_off) <= two_ms);
    CHECK(std::abs(j_off - in_off) <= two_ms);
    // And in phase: a shift of even a few samples would lower this.
    const auto a = static_cast<std::size_t>(t0 * rate), b = static_cast<std::size_t>(t1 * rate);
    CHECK(correlation(joined, whole, a, b) > 0.99);
    CHECK(correlation(joined, p.whole, a, b) > 0.99);
    // The silence around the tone stays silent (nothing from a neighbouring chunk leaks in).
    CHECK(peak(joined, from + 1200, p.tone_at[i] - 1200) < 0.001);
  }
}

TEST_CASE("joinChunks writes chapters and tags into the joined MP3", "[encode][chunk][join]") {
  const fs::path dir = tempDir("chunk-join-chapters");
  const OutputSettings s = settings();
  const Programme p = makeProgramme(s);
  const char* titles[] = {"Pembukaan", "Banjir di Jakarta \xe2\x80\x93 laporan pagi", "Ekonomi", "Cuaca"};
  std::vector<Chapter> chapters;
  for (std::size_t i = 0; i < p.pieces.size(); ++i)
    chapters.push_back({titles[i], static_cast<double>(p.starts[i]) / 44100.0,
                        static_cast<double>(p.starts[i] + p.pieces[i].frames()) / 44100.0});
  joinChunks(dir / "bulletin.mp3", s, writeChunks(dir, p, s), chapters);

  const auto read = readChapters(dir / "bulletin.mp3");
  REQUIRE(read.size() == chapters.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    INFO("chapter " << i);
    CHECK(read[i].title == chapters[i].title);
    CHECK(std::abs(read[i].start_ms - std::llround(chapters[i].start * 1000)) <= 1);
    CHECK(std::abs(read[i].end_ms - std::llround(chapters[i].end * 1000)) <= 1);
  }
  // A second opinion from the ID3v2 reader written from the specification.
  const Id3Tag tag = readId3v2(dir / "bulletin.mp3");
  CHECK(tag.version == 4);
  CHECK(tag.all("CHAP").size() == chapters.size());
  REQUIRE(tag.find("CTOC"));
  CHECK(id3Toc(*tag.find("CTOC"), 4).children.size() == chapters.size());
  REQUIRE(tag.find("TIT2"));
  CHECK(id3Text(*tag.find("TIT2")) == "Kabar Pagi 2025-06-11");
  CHECK(readTags(dir / "bulletin.mp3").at("artist") == "Radio Komunitas");
  // The audio is still all there behind the tag.
  CHECK(countDecodedFrames(dir / "bulletin.mp3") == p.whole.frames());
  CHECK(leftoverTemps(dir).empty());
}

// ---------------------------------------------------------------------------
// 4. Bad input

TEST_CASE("joinChunks refuses bad input naming the file, and leaves the output alone", "[encode][chunk][join]") {
  const fs::path dir = tempDir("chunk-join-refuse");
  const OutputSettings s = settings();
  const Audio aligned = tone(440.0, 3 * 1152 / 44100.0, 44100, 2);
  REQUIRE(aligned.frames() == 3 * 1152);
  writeChunk(dir / "a.chunk", aligned, ChunkCodec::Mp3);
  writeChunk(dir / "b.chunk", aligned, ChunkCodec::Mp3);
  writeChunk(dir / "odd.chunk", tone(440.0, (3 * 1152 + 100) / 44100.0, 44100, 2), ChunkCodec::Mp3);
  REQUIRE(ChunkReader(dir / "odd.chunk").info().samples == 3 * 1152 + 100);
  writeChunk(dir / "48k.chunk", tone(440.0, 3 * 1152 / 48000.0, 48000, 2), ChunkCodec::Mp3, "", settings(48000));
  writeChunk(dir / "mono.chunk", tone(440.0, 3 * 1152 / 44100.0, 44100, 1), ChunkCodec::Mp3, "", settings(44100, 1));
  writeChunk(dir / "pcm.chunk", aligned, ChunkCodec::Pcm16);
  std::string damaged = readText(dir / "b.chunk");
  damaged.resize(damaged.size() - 1);
  writeBytes(dir / "damaged.chunk", damaged);

  struct Case {
    std::string what;
    std::vector<fs::path> chunks;
    std::string output;
    fs::path named;    // the file the message must name
    std::string also;  // and a word it must contain
    bool chunk_error;  // a ChunkError, not just an AudioError
    OutputSettings with = settings();
  };
  const std::vector<Case> cases = {
      {"a middle chunk not a whole number of frames",
       {dir / "a.chunk", dir / "odd.chunk", dir / "b.chunk"},
       "out.mp3",
       dir / "odd.chunk",
       "1152",
       true},
      {"a chunk at another sample rate",
       {dir / "a.chunk", dir / "48k.chunk"},
       "out.mp3",
       dir / "48k.chunk",
       "48000",
       true},
      {"chunks at another rate than the output's",
       {dir / "48k.chunk"},
       "out.mp3",
       dir / "48k.chunk",
       "48000",
       true,
       settings(44100)},
      {"a chunk with another channel count",
       {dir / "a.chunk", dir / "mono.chunk"},
       "out.mp3",
       dir / "mono.chunk",
       "1 channels",
       true},
      {"a PCM chunk among MP3 chunks", {dir / "a.chunk", dir / "pcm.chunk"}, "out.mp3", dir / "pcm.chunk", "", true},
      {"a damaged chunk", {dir / "a.chunk", dir / "damaged.chunk"}, "out.mp3", dir / "damaged.chunk", "", true},
      {"a missing chunk", {dir / "a.chunk", dir / "missing.chunk"}, "out.mp3", dir / "missing.chunk", "", true},
      {"no chunks at all", {}, "out.mp3", dir / "out.mp3", "", false},
      {"MP3 chunks into an output named .wav",
       {dir / "a.chunk", dir / "b.chunk"},
       "out.wav",
       dir / "out.wav",
       ".mp3",
       false},
  };
  for (const Case& c : cases) {
    for (const bool existing : {false, true}) {
      INFO(c.what << (existing ? ", over an existing output" : ", no output yet"));
      const fs::path output = dir / c.output;
      fs::remove(output);
      if (existing) writeBytes(output, "yesterday's bulletin");
      try {
        joinChunks(output, c.with, c.chunks, {});
        FAIL("joined " << c.what);
      } catch (const AudioError& e) {
        const std::string message = e.what();
        INFO(message);
        CHECK(mentions(message, c.named));
        CHECK(message.find(c.also) != std::string::npos);
        CHECK((dynamic_cast<const ChunkError*>(&e) != nullptr) == c.chunk_error);
      }
      if (existing) CHECK(readText(output) == "yesterday's bulletin");
      else CHECK_FALSE(fs::exists(output));
      CHECK(leftoverTemps(dir).empty());
    }
  }
  // The same chunks, properly ordered, do join (so each refusal above is for its stated reason).
  CHECK(joinChunks(dir / "ok.mp3", s, {dir / "a.chunk", dir / "b.chunk", dir / "odd.chunk"}, {}) == 3 * 1152 * 3 + 100);
  CHECK(countDecodedFrames(dir / "ok.mp3") == 3 * 1152 * 3 + 100);
}

// ---------------------------------------------------------------------------
// 5. Determinism

TEST_CASE("the same content encoded twice gives byte-identical chunk files", "[encode][chunk][cache]") {
  const fs::path dir = tempDir("chunk-deterministic");
  const Audio in = tone(440.0, 0.8, 44100, 2, 0.4);
  for (const ChunkCodec codec : {ChunkCodec::Mp3, ChunkCodec::Pcm16}) {
    INFO("codec " << static_cast<int>(codec));
    const std::string meta = "sha:5f1c";
    writeChunk(dir / "first.chunk", in, codec, meta, settings(), 4001);
    writeChunk(dir / "second.chunk", in, codec, meta, settings(), 4001);
    writeChunk(dir / "other-pieces.chunk", in, codec, meta, settings(), 577);  // however it was handed over
    const std::string first = readText(dir / "first.chunk");
    CHECK(first.size() > 8 + kTailBytes);
    CHECK(readText(dir / "second.chunk") == first);
    CHECK(readText(dir / "other-pieces.chunk") == first);
    // Not vacuous: other samples give other bytes.
    Audio louder = in;
    louder.samples[1000] += 0.25f;
    writeChunk(dir / "different.chunk", louder, codec, meta, settings(), 4001);
    CHECK(readText(dir / "different.chunk") != first);
  }
}
