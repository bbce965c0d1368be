// SPDX-License-Identifier: GPL-3.0-or-later
// The decoded check taken chunk by chunk (encode/chunk_stats.h): every
// chunk's stretch decoded from its own packets after a warm-up, measured on
// its own and combined, gives what decoding the joined file whole gives
// (audio::decodeAndMeasure, the independent path: the demuxer's LAME tag, one
// decoder and one libebur128 meter over the whole). For MP3 chunks cut in
// silent gaps (a fresh encoder each), MP3 chunks cut anywhere (pre- and
// postroll, the bit reservoir emptied at the joins) and PCM chunks joined into a WAV.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "audio/decoded_check.h"
#include "encode/chunk.h"
#include "encode/chunk_stats.h"
#include "encode/writer.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::audio::Audio;
using warta::audio::DecodedStats;
using warta::audio::StretchStats;
using warta::encode::ChunkCodec;
using warta::encode::ChunkInfo;
using warta::encode::ChunkReader;
using warta::encode::ChunkSpan;
using warta::encode::ChunkWriter;
using warta::encode::OutputSettings;
using namespace warta::test;

namespace {

OutputSettings settings(int rate, int channels, int kbps) {
  OutputSettings s;
  s.sample_rate = rate;
  s.channels = channels;
  s.bitrate_kbps = kbps;
  return s;
}

// Something like speech: noise shaped into 180 ms syllables, at `db` dBFS
// (peak), with quieter syllables among them; `seconds` long.
void appendSpeech(Audio& a, double seconds, double db, std::uint32_t& seed) {
  const auto frames = static_cast<std::size_t>(seconds * a.sample_rate);
  const double amp = std::pow(10.0, db / 20.0);
  for (std::size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / a.sample_rate;
    const double syllable = std::fmod(t, 0.18) / 0.18;
    const double level = (static_cast<int>(t / 0.18) % 5 == 3) ? 0.05 : 1.0;  // every fifth one far quieter
    const double env = std::sin(M_PI * syllable) * level;
    for (int c = 0; c < a.channels; ++c) {
      seed = seed * 1664525u + 1013904223u;
      const double noise = static_cast<double>(seed >> 8) / (1u << 24) - 0.5;
      a.samples.push_back(static_cast<float>(amp * env * (0.6 * noise + 0.4 * std::sin(2 * M_PI * 220 * t))));
    }
  }
}

void appendSilence(Audio& a, std::size_t frames) {
  a.samples.insert(a.samples.end(), frames * static_cast<std::size_t>(a.channels), 0.0f);
}

// A decay from -30 dBFS to about -90 over `seconds` (a jingle's tail): where
// the tail rule puts cross_start_next before cue_out.
void appendDecay(Audio& a, double seconds) {
  const auto frames = static_cast<std::size_t>(seconds * a.sample_rate);
  for (std::size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / a.sample_rate;
    const double v = std::pow(10.0, (-30.0 - 60.0 * t / seconds) / 20.0) * std::sin(2 * M_PI * 330 * t);
    for (int c = 0; c < a.channels; ++c) a.samples.push_back(static_cast<float>(v));
  }
}

Audio slice(const Audio& audio, std::int64_t from, std::int64_t to) {
  const auto width = static_cast<std::ptrdiff_t>(audio.channels);
  return Audio{std::vector<float>(audio.samples.begin() + from * width, audio.samples.begin() + to * width),
               audio.sample_rate, audio.channels};
}

void writeChunk(const fs::path& path, const Audio& audio, std::int64_t from, std::int64_t to, const OutputSettings& s,
                ChunkCodec codec, const ChunkSpan* span) {
  std::optional<ChunkWriter> writer;
  if (span) writer.emplace(path, s, codec, *span);
  else writer.emplace(path, s, codec);
  for (std::int64_t at = from; at < to; at += 3001) writer->write(slice(audio, at, std::min(to, at + 3001)));
  writer->finish();
}

// The chunks' stretches, measured one by one (in reverse: each on its own),
// combined; and a check that they tile the programme.
DecodedStats byStretches(const std::vector<fs::path>& chunks, int rate, int channels) {
  std::vector<ChunkInfo> infos;
  for (const auto& c : chunks) infos.push_back(ChunkReader(c).info());
  std::vector<StretchStats> stretches(chunks.size());
  for (std::size_t i = chunks.size(); i-- > 0;) {
    const warta::audio::StretchCells cells = warta::encode::measureChunkStretch(chunks, infos, i);
    const auto where = warta::encode::chunkStretch(infos, i);
    CHECK(cells.start == where.start);
    CHECK(cells.end == where.end);
    CHECK(cells.cell == where.cell);
    stretches[i] = warta::audio::placeStretch(cells, rate);
  }
  return warta::audio::combineStretches(rate, channels, stretches);
}

void checkSame(const DecodedStats& got, const DecodedStats& whole) {
  CHECK(got.sample_rate == whole.sample_rate);
  CHECK(got.channels == whole.channels);
  CHECK(got.frames == whole.frames);
  // Exactly: the same samples. cross_start_next too: its block powers agree
  // to rounding (float cells), and no block here lies that near the floor.
  CHECK(got.cue_in == whole.cue_in);
  CHECK(got.cue_out == whole.cue_out);
  CHECK(got.cross_start_next == whole.cross_start_next);
  REQUIRE(std::isfinite(whole.integrated_lufs));
  CHECK(got.integrated_lufs == Approx(whole.integrated_lufs).margin(0.001));
}

// The programme's shape: pieces of speech between silent gaps, the last
// ending in a decay; pieces of 0.7 s to 6 s, so a warm-up reaches back over
// several chunks.
struct Cut {
  double lead, speech, db, trail;
};
constexpr Cut kCuts[] = {{0.31, 0.2, -12, 0.3}, {0.3, 1.5, -14, 0.3},   {0.28, 6.0, -10, 0.35}, {0.3, 0.3, -20, 0.3},
                         {0.3, 3.2, -11, 0.33}, {0.25, 0.45, -13, 0.3}, {0.3, 4.4, -12, 0.3}};

}  // namespace

TEST_CASE("MP3 chunks cut in silent gaps: their stretches measured apart are the joined file's decoded check",
          "[encode][chunk][cues]") {
  for (const auto& s : {settings(44100, 2, 128), settings(22050, 1, 64), settings(48000, 2, 96)}) {
    INFO(s.sample_rate << " Hz, " << s.channels << " channels");
    const fs::path dir = tempDir("chunk-stats-gaps");
    const int align = warta::encode::chunkAlignment(s, ChunkCodec::Mp3);
    Audio all{{}, s.sample_rate, s.channels};
    std::uint32_t seed = 7;
    std::vector<std::int64_t> bounds = {0};
    for (std::size_t k = 0; k < std::size(kCuts); ++k) {
      appendSilence(all, static_cast<std::size_t>(kCuts[k].lead * s.sample_rate));
      appendSpeech(all, kCuts[k].speech, kCuts[k].db, seed);
      if (k + 1 == std::size(kCuts)) appendDecay(all, 1.2);
      appendSilence(all, static_cast<std::size_t>(kCuts[k].trail * s.sample_rate));
      if (k + 1 < std::size(kCuts))  // cut on a frame boundary inside the silence
        appendSilence(all, (align - all.frames() % align) % align);
      bounds.push_back(static_cast<std::int64_t>(all.frames()));
    }
    std::vector<fs::path> chunks;
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
      chunks.push_back(dir / ("c" + std::to_string(k) + ".chunk"));
      writeChunk(chunks.back(), all, bounds[k], bounds[k + 1], s, ChunkCodec::Mp3, nullptr);
    }
    const fs::path joined = dir / "joined.mp3";
    CHECK(warta::encode::joinChunks(joined, s, chunks, {}) == bounds.back());
    const DecodedStats whole = warta::audio::decodeAndMeasure(joined);
    // The programme is what makes the comparison tell: speech from the first
    // chunk's lead, a tail that starts well before the end.
    CHECK(whole.frames == bounds.back());
    CHECK(whole.cue_in == Approx(0.31).margin(0.03));
    CHECK(whole.cross_start_next < whole.cue_out - 0.3);
    checkSame(byStretches(chunks, s.sample_rate, s.channels), whole);
    fs::remove_all(dir);
  }
}

TEST_CASE("MP3 chunks cut anywhere (under a bed): their stretches measured apart are the joined file's decoded check",
          "[encode][chunk][cues]") {
  for (const auto& s : {settings(44100, 2, 128), settings(22050, 1, 64)}) {
    INFO(s.sample_rate << " Hz, " << s.channels << " channels");
    const fs::path dir = tempDir("chunk-stats-anywhere");
    // Nowhere silent: a bed of two tones under speech, its own level changing.
    Audio all{{}, s.sample_rate, s.channels};
    std::uint32_t seed = 11;
    for (const Cut& c : kCuts) appendSpeech(all, c.lead + c.speech + c.trail, c.db, seed);
    appendDecay(all, 1.5);
    for (std::size_t i = 0; i < all.frames(); ++i) {
      const double t = static_cast<double>(i) / s.sample_rate;
      for (int c = 0; c < s.channels; ++c)
        all.samples[i * static_cast<std::size_t>(s.channels) + static_cast<std::size_t>(c)] +=
            static_cast<float>(0.03 * std::sin(2 * M_PI * 110 * t) * (t < 18 ? 1.0 : 0.0));
    }
    const auto total = static_cast<std::int64_t>(all.frames());
    const std::int64_t frame = warta::encode::chunkAlignment(s, ChunkCodec::Mp3);
    const std::int64_t preroll = warta::encode::chunkPreroll(s, ChunkCodec::Mp3);
    const std::int64_t postroll = warta::encode::chunkPostroll(s, ChunkCodec::Mp3);
    // Cuts anywhere on frame boundaries (1.0 and 1.026 s: a one-frame chunk).
    std::vector<std::int64_t> bounds = {0};
    for (const double at : {0.05, 1.0, 1.026, 2.5, 6.8, 13.0})
      bounds.push_back(static_cast<std::int64_t>(at * s.sample_rate) / frame * frame);
    bounds.push_back(total);
    REQUIRE(bounds[bounds.size() - 2] < total);
    std::vector<fs::path> chunks;
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
      ChunkSpan span{std::min(preroll, bounds[k]), std::min(postroll, total - bounds[k + 1]), bounds[k], {}};
      if (k > 0) span.joins.push_back(bounds[k]);
      if (k + 2 < bounds.size()) span.joins.push_back(bounds[k + 1]);
      chunks.push_back(dir / ("c" + std::to_string(k) + ".chunk"));
      writeChunk(chunks.back(), all, bounds[k] - span.preroll, bounds[k + 1] + span.postroll, s, ChunkCodec::Mp3,
                 &span);
    }
    const fs::path joined = dir / "joined.mp3";
    CHECK(warta::encode::joinChunks(joined, s, chunks, {}) == total);
    const DecodedStats whole = warta::audio::decodeAndMeasure(joined);
    CHECK(whole.frames == total);
    CHECK(whole.cross_start_next < whole.cue_out - 0.3);
    checkSame(byStretches(chunks, s.sample_rate, s.channels), whole);
    fs::remove_all(dir);
  }
}

TEST_CASE("PCM chunks: their stretches measured apart are the joined WAV's decoded check", "[encode][chunk][cues]") {
  const OutputSettings s = settings(44100, 2, 0);
  const fs::path dir = tempDir("chunk-stats-pcm");
  Audio all{{}, s.sample_rate, s.channels};
  std::uint32_t seed = 3;
  std::vector<std::int64_t> bounds = {0};
  for (const Cut& c : kCuts) {
    appendSilence(all, static_cast<std::size_t>(c.lead * s.sample_rate));
    appendSpeech(all, c.speech, c.db, seed);
    appendSilence(all, static_cast<std::size_t>(c.trail * s.sample_rate) + 17);  // no alignment for PCM
    bounds.push_back(static_cast<std::int64_t>(all.frames()));
  }
  appendDecay(all, 1.0);
  bounds.back() = static_cast<std::int64_t>(all.frames());
  std::vector<fs::path> chunks;
  for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
    chunks.push_back(dir / ("c" + std::to_string(k) + ".chunk"));
    writeChunk(chunks.back(), all, bounds[k], bounds[k + 1], s, ChunkCodec::Pcm16, nullptr);
  }
  const fs::path joined = dir / "joined.wav";
  CHECK(warta::encode::joinChunks(joined, s, chunks, {}) == bounds.back());
  const DecodedStats whole = warta::audio::decodeAndMeasure(joined);
  CHECK(whole.frames == bounds.back());
  checkSame(byStretches(chunks, s.sample_rate, s.channels), whole);
  fs::remove_all(dir);
}

TEST_CASE("an MP3 chunk that moves by whole packets keeps its measured cells, placed where it now lies",
          "[encode][chunk][cues]") {
  for (const auto& s : {settings(44100, 2, 128), settings(48000, 1, 96)}) {
    INFO(s.sample_rate << " Hz, " << s.channels << " channels");
    const fs::path dir = tempDir("chunk-stats-moved");
    const std::int64_t frame = warta::encode::chunkAlignment(s, ChunkCodec::Mp3);
    // The same three chunks after a first one of two lengths (a story that
    // grew by 37 packets): 6 s of speech, 4 s, then 3 s and a decay.
    std::uint32_t seed = 5;
    const auto piece = [&](double seconds, double db) {
      Audio a{{}, s.sample_rate, s.channels};
      appendSilence(a, static_cast<std::size_t>(0.3 * s.sample_rate));
      appendSpeech(a, seconds, db, seed);
      if (seconds < 3.5) appendDecay(a, 1.0);
      appendSilence(a, (frame - a.frames() % frame) % frame + static_cast<std::size_t>(frame));
      return a;
    };
    const Audio shared[] = {piece(6.0, -12), piece(4.0, -10), piece(3.0, -14)};
    Audio story = piece(5.0, -11), longer = story;
    appendSilence(longer, static_cast<std::size_t>(37 * frame));
    std::vector<std::vector<fs::path>> programmes;
    for (const Audio* first : {&story, &longer}) {
      std::vector<fs::path> chunks;
      Audio all{{}, s.sample_rate, s.channels};
      std::size_t k = 0;
      for (const Audio* a : {first, &shared[0], &shared[1], &shared[2]}) {
        chunks.push_back(dir / ("p" + std::to_string(programmes.size()) + "c" + std::to_string(k++) + ".chunk"));
        writeChunk(chunks.back(), *a, 0, static_cast<std::int64_t>(a->frames()), s, ChunkCodec::Mp3, nullptr);
      }
      programmes.push_back(chunks);
    }
    std::vector<std::vector<ChunkInfo>> infos(2);
    for (std::size_t p = 0; p < 2; ++p)
      for (const auto& c : programmes[p]) infos[p].push_back(ChunkReader(c).info());
    // The last two chunks' stretches: their warm-up (2 s) does not reach the first chunk.
    for (const std::size_t i : {std::size_t{2}, std::size_t{3}}) {
      INFO("chunk " << i);
      const auto before = warta::encode::chunkStretch(infos[0], i), after = warta::encode::chunkStretch(infos[1], i);
      REQUIRE(before.movable);
      REQUIRE(after.movable);
      CHECK(before.first_chunk >= 1);
      CHECK(after.start - before.start == 37 * frame);
      warta::audio::StretchCells kept = warta::encode::measureChunkStretch(programmes[0], infos[0], i);
      const warta::audio::StretchCells fresh = warta::encode::measureChunkStretch(programmes[1], infos[1], i);
      REQUIRE(kept.first >= 0);
      kept.moveTo(after.start);
      CHECK(kept.start == fresh.start);
      CHECK(kept.end == fresh.end);
      CHECK(kept.first == fresh.first);
      CHECK(kept.last == fresh.last);
      CHECK(kept.cell == fresh.cell);
      CHECK(kept.power == fresh.power);  // bit for bit
      CHECK(kept.energy == fresh.energy);
      CHECK_THROWS_AS(kept.moveTo(kept.start + 1), warta::audio::AudioError);
    }
    // The moved programme's check from its kept cells is its joined file's.
    std::vector<StretchStats> stretches;
    for (std::size_t i = 0; i < 4; ++i) {
      warta::audio::StretchCells c =
          warta::encode::measureChunkStretch(programmes[i < 2 ? 1 : 0], infos[i < 2 ? 1 : 0], i);
      c.moveTo(warta::encode::chunkStretch(infos[1], i).start);
      stretches.push_back(warta::audio::placeStretch(c, s.sample_rate));
    }
    const fs::path joined = dir / "joined.mp3";
    REQUIRE(warta::encode::joinChunks(joined, s, programmes[1], {}) > 0);
    checkSame(warta::audio::combineStretches(s.sample_rate, s.channels, stretches),
              warta::audio::decodeAndMeasure(joined));
    fs::remove_all(dir);
  }
}

TEST_CASE("stretch cells: placed on the 100 ms grids, a cell that divides neither is refused",
          "[encode][chunk][cues]") {
  // 44.1 kHz: 100 ms is 4410 frames. Cells of 18 frames from frame 4401 (cell
  // 244 holds 4401..4409 of block 0; the rest belongs to block 1 and later).
  warta::audio::StretchCells c;
  c.start = 4401, c.end = 4401 + 9 + 18 * 245 + 5, c.cell = 18;
  for (std::int64_t at = 244 * 18; at < c.end; at += 18) c.power.push_back(1.0f), c.energy.push_back(2.0f);
  const StretchStats s = warta::audio::placeStretch(c, 44100);
  CHECK(s.first_block == 0);
  CHECK(s.first_step == 0);
  // Block 0 gets one cell, block 1 all its 245, block 2 the last (partial) one.
  CHECK(s.tail_power == std::vector<double>{1.0, 245.0, 1.0});
  CHECK(s.step_energy == std::vector<double>{2.0, 490.0, 2.0});
  c.cell = 4;  // 4410 is not a multiple of 4
  CHECK_THROWS_AS(warta::audio::placeStretch(c, 44100), warta::audio::AudioError);
  CHECK_THROWS_AS(warta::audio::StretchMeter(44100, 2, 0, 100, 4), warta::audio::AudioError);
}
