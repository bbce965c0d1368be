// SPDX-License-Identifier: GPL-3.0-or-later
// MP3 chunks cut anywhere (encode/chunk.h, ChunkSpan): a programme of music
// cut at arbitrary frame boundaries, each chunk encoded with pre- and
// postroll and the bit reservoir emptied at its joins, joins to the packets
// of the one-piece encode that empties it at the same joins, and decodes (by the ffmpeg command-line tool, not our
// code) with joins no louder than the coding noise. The old way of cutting (a fresh encoder per chunk, no context)
// fails the same measure.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "audio/av_handles.h"
#include "encode/chunk.h"
#include "encode/writer.h"
#include "support/cli.h"
#include "support/ffmpeg.h"
#include "support/media.h"
#include "support/mp3_packets.h"

namespace fs = std::filesystem;
using warta::audio::Audio;
using warta::audio::AudioError;
using warta::encode::ChunkCodec;
using warta::encode::ChunkInfo;
using warta::encode::ChunkReader;
using warta::encode::ChunkSpan;
using warta::encode::ChunkWriter;
using warta::encode::joinChunks;
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

// `file` decoded by the ffmpeg command-line tool to interleaved float at
// `rate` Hz and `channels` (for an MP3 after the LAME tag's delay and
// padding), by way of the file `raw`.
Audio ffmpegDecode(const fs::path& file, int rate, int channels, const fs::path& raw) {
  const std::string command = "ffmpeg -v error -nostdin -y -i " + shellQuote(file.string()) + " -map 0:a:0 -ar " +
                              std::to_string(rate) + " -ac " + std::to_string(channels) + " -f f32le " +
                              shellQuote(raw.string());
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string bytes = readText(raw);
  REQUIRE(bytes.size() % (4 * static_cast<std::size_t>(channels)) == 0);
  Audio out{std::vector<float>(bytes.size() / 4), rate, channels};
  std::memcpy(out.samples.data(), bytes.data(), bytes.size());  // f32le on a little-endian host
  return out;
}

// A second-order Butterworth lowpass at `hz` (RBJ's cookbook biquad), per channel, in place.
void lowpass(Audio& a, double hz) {
  const double w = 2 * M_PI * hz / a.sample_rate, alpha = std::sin(w) / std::sqrt(2.0), a0 = 1 + alpha;
  const double b0 = (1 - std::cos(w)) / 2 / a0, b1 = (1 - std::cos(w)) / a0, b2 = b0;
  const double a1 = -2 * std::cos(w) / a0, a2 = (1 - alpha) / a0;
  const auto width = static_cast<std::size_t>(a.channels);
  for (std::size_t c = 0; c < width; ++c) {
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (std::size_t i = c; i < a.samples.size(); i += width) {
      const double x = a.samples[i], y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
      a.samples[i] = static_cast<float>(y);
    }
  }
}

// 24 s of programme that is nowhere silent: the music bed (samples/jingles,
// looped), a linear sweep from 100 Hz to 5 kHz, and 15 ms noise bursts
// every 370 ms (the transients that make LAME switch to short blocks),
// lowpassed at 7 kHz (6.6 kHz at 22.05 kHz), peak below 1.
Audio programme(int rate, int channels, const fs::path& dir) {
  const Audio bed = ffmpegDecode(sourceDir() / "samples/jingles/bed.flac", rate, channels, dir / "bed.f32");
  REQUIRE(bed.frames() > 0);
  const auto frames = static_cast<std::size_t>(24 * rate);
  const auto width = static_cast<std::size_t>(channels);
  Audio out{std::vector<float>(frames * width), rate, channels};
  std::uint32_t noise = 12345;
  const double top = 5000, seconds = 24.0;
  for (std::size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double sweep = 0.2 * std::sin(2 * M_PI * (100 * t + (top - 100) / (2 * seconds) * t * t));
    const bool burst = std::fmod(t, 0.37) < 0.015;
    for (std::size_t c = 0; c < width; ++c) {
      noise = noise * 1664525u + 1013904223u;
      const double n = burst ? 0.25 * (static_cast<double>(noise >> 8) / (1u << 24) - 0.5) : 0.0;
      out.samples[i * width + c] = static_cast<float>(0.5 * bed.samples[(i % bed.frames()) * width + c] + sweep + n);
    }
  }
  // Below LAME's lowpass (about 17 kHz at 128 kb/s stereo, 10 kHz at 64 kb/s
  // mono 22.05 kHz): what the encoder leaves out on purpose is not coding noise.
  lowpass(out, std::min(7000.0, 0.3 * rate));
  lowpass(out, std::min(7000.0, 0.3 * rate));
  const auto [lo, hi] = std::minmax_element(out.samples.begin(), out.samples.end());
  REQUIRE(std::max(-*lo, *hi) < 1.0f);
  return out;
}

// Frames [from, to) of `audio`.
Audio slice(const Audio& audio, std::int64_t from, std::int64_t to) {
  const auto width = static_cast<std::ptrdiff_t>(audio.channels);
  return Audio{std::vector<float>(audio.samples.begin() + from * width, audio.samples.begin() + to * width),
               audio.sample_rate, audio.channels};
}

// The span of chunk k of a programme of `total` samples cut at `bounds`
// (0, the cuts, total), as the render plan makes it: the full pre- and
// postroll where the programme has them, its start and end as joins.
ChunkSpan spanOf(const std::vector<std::int64_t>& bounds, std::size_t k, const OutputSettings& s) {
  const std::int64_t total = bounds.back();
  ChunkSpan span{std::min(warta::encode::chunkPreroll(s, ChunkCodec::Mp3), bounds[k]),
                 std::min(warta::encode::chunkPostroll(s, ChunkCodec::Mp3), total - bounds[k + 1]),
                 bounds[k],
                 {}};
  if (k > 0) span.joins.push_back(bounds[k]);
  if (k + 2 < bounds.size()) span.joins.push_back(bounds[k + 1]);
  return span;
}

// Writes `audio` [from, to) to a finished chunk in pieces of 3001 frames.
ChunkInfo writeChunk(const fs::path& path, const Audio& audio, std::int64_t from, std::int64_t to,
                     const OutputSettings& s, const ChunkSpan* span) {
  std::optional<ChunkWriter> writer;
  if (span) writer.emplace(path, s, ChunkCodec::Mp3, *span);
  else writer.emplace(path, s, ChunkCodec::Mp3);
  for (std::int64_t at = from; at < to; at += 3001) writer->write(slice(audio, at, std::min(to, at + 3001)));
  writer->finish();
  return writer->info();
}

std::vector<Packet> readPackets(const fs::path& chunk) {
  ChunkReader reader(chunk);
  std::vector<Packet> out;
  warta::av::Packet p(av_packet_alloc());
  REQUIRE(p);
  while (reader.next(*p)) out.push_back(copyPacket(*p));
  return out;
}

// ---- The measure (also stated in chunk.h) ----

constexpr double kWindowSeconds = 0.05;
// Margin over the coding noise's 99th percentile that a join may add: 1 dB,
// a quarter of the spread from the median window to the 99th percentile in
// these signals (4 dB at 44.1 kHz, 8 dB at 22.05 kHz), and well below the
// 3 dB of a doubled noise power. The old cut exceeds it by 14 dB or more.
constexpr double kMarginDb = 1.0;

// RMS in dBFS of (a - b) over all channels, per window of kWindowSeconds.
std::vector<double> windowErrorDb(const Audio& a, const Audio& b) {
  const auto width = static_cast<std::size_t>(a.channels);
  const auto window = static_cast<std::size_t>(kWindowSeconds * a.sample_rate);
  std::vector<double> out;
  for (std::size_t w = 0; (w + 1) * window <= std::min(a.frames(), b.frames()); ++w) {
    double sum = 0;
    for (std::size_t i = w * window * width; i < (w + 1) * window * width; ++i) {
      const double d = double{a.samples[i]} - b.samples[i];
      sum += d * d;
    }
    out.push_back(toDb(std::sqrt(sum / static_cast<double>(window * width))));
  }
  return out;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

double maxError(const Audio& a, const Audio& b, std::size_t from, std::size_t to) {
  const auto width = static_cast<std::size_t>(a.channels);
  double worst = 0;
  for (std::size_t i = from * width; i < std::min(to, a.frames()) * width; ++i)
    worst = std::max(worst, std::abs(double{a.samples[i]} - b.samples[i]));
  return worst;
}

struct JoinVerdict {
  double worst_window_db = -200;  // the loudest (joined - input) window near any join
  double worst_sample = 0;        // the largest |joined - input| near any join
  std::vector<double> per_join_db;
};

// (joined - input) near each join: the windows overlapping [cut - 2F, cut + 2F).
JoinVerdict judgeJoins(const Audio& joined, const Audio& input, const std::vector<std::int64_t>& cuts, int frame) {
  const std::vector<double> error = windowErrorDb(joined, input);
  const auto window = static_cast<std::int64_t>(kWindowSeconds * input.sample_rate);
  JoinVerdict v;
  for (const std::int64_t cut : cuts) {
    const std::int64_t from = cut - 2 * frame, to = cut + 2 * frame;
    double worst = -200;
    for (std::int64_t w = std::max<std::int64_t>(0, from / window);
         w <= (to - 1) / window && w < static_cast<std::int64_t>(error.size()); ++w)
      worst = std::max(worst, error[static_cast<std::size_t>(w)]);
    v.per_join_db.push_back(worst);
    v.worst_window_db = std::max(v.worst_window_db, worst);
    v.worst_sample =
        std::max(v.worst_sample, maxError(joined, input, static_cast<std::size_t>(std::max<std::int64_t>(0, from)),
                                          static_cast<std::size_t>(to)));
  }
  return v;
}

struct Setting {
  const char* what;
  int rate, channels, kbps;
};
constexpr Setting kSettings[] = {{"44.1 kHz stereo 128 kb/s", 44100, 2, 128}, {"22.05 kHz mono 64 kb/s", 22050, 1, 64}};

}  // namespace

TEST_CASE("MP3 chunks cut anywhere under music join inaudibly, the bit reservoir in use but at the joins",
          "[encode][chunk][anywhere]") {
  for (const Setting& setting : kSettings) {
    INFO(setting.what);
    const OutputSettings s = settings(setting.rate, setting.channels, setting.kbps);
    const fs::path dir = tempDir("chunk-anywhere");
    const Audio input = programme(setting.rate, setting.channels, dir);
    const auto total = static_cast<std::int64_t>(input.frames());
    const int frame = warta::encode::chunkAlignment(s, ChunkCodec::Mp3);
    const std::int64_t preroll = warta::encode::chunkPreroll(s, ChunkCodec::Mp3);
    const std::int64_t postroll = warta::encode::chunkPostroll(s, ChunkCodec::Mp3);
    CHECK(preroll % frame == 0);
    CHECK(postroll % frame == 0);
    CHECK(preroll >= 1105 + 576);  // at least LAME's delay and an MDCT granule
    CHECK(postroll >= frame);

    // Cut at frames 37, 120, 121 (a one-frame chunk) and 300; the last chunk
    // ends mid-frame. Also a cut whose preroll would reach before the programme.
    std::vector<std::int64_t> cuts;
    for (const std::int64_t f : {2, 37, 120, 121, 300}) cuts.push_back(f * frame);
    std::vector<std::int64_t> bounds = {0};
    bounds.insert(bounds.end(), cuts.begin(), cuts.end());
    bounds.push_back(total);
    REQUIRE(total % frame != 0);

    // The one-piece encode: one chunk, the reservoir never emptied.
    const ChunkInfo whole = writeChunk(dir / "whole.chunk", input, 0, total, s, nullptr);
    CHECK(whole.samples == total);
    const std::vector<Packet> expected = readPackets(dir / "whole.chunk");

    std::vector<fs::path> chunks;
    std::vector<Packet> joined_packets;
    std::size_t borrowing = 0;
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
      INFO("chunk " << k << " [" << bounds[k] << ", " << bounds[k + 1] << ")");
      const ChunkSpan span = spanOf(bounds, k, s);
      CHECK(span.preroll == std::min(preroll, bounds[k]));
      chunks.push_back(dir / ("c" + std::to_string(k) + ".chunk"));
      const ChunkInfo info =
          writeChunk(chunks.back(), input, bounds[k] - span.preroll, bounds[k + 1] + span.postroll, s, &span);
      CHECK(info.samples == bounds[k + 1] - bounds[k]);
      const bool last = k + 2 == bounds.size();
      if (!last) CHECK(info.packets == (bounds[k + 1] - bounds[k]) / frame);
      const std::vector<Packet> packets = readPackets(chunks.back());
      REQUIRE(!packets.empty());
      // A chunk's first kept frame takes no bits from the frame before it (another chunk's).
      CHECK(mainDataBegin(packets.front().data) == 0);
      for (Packet p : packets) {
        borrowing += mainDataBegin(p.data) > 0;
        p.pts += bounds[k];
        p.dts += bounds[k];
        joined_packets.push_back(std::move(p));
      }
    }
    // The one-piece encode's frames, timestamps and side data (the flush's end
    // padding), but not its bytes: the reservoir's contents differ at the joins,
    // and so the bits every later frame has (and LAME's ancillary padding
    // carries an alternating bit whose phase is the encoder's whole history);
    // nor quite its sizes, as each encoder starts LAME's pattern of padded frames afresh.
    REQUIRE(joined_packets.size() == expected.size());
    std::size_t differing = 0;
    for (std::size_t j = 0; j < expected.size(); ++j) {
      Packet a = joined_packets[j], b = expected[j];
      CHECK(a.data.size() + 1 >= b.data.size());  // CBR: a byte of padding more or less
      CHECK(a.data.size() <= b.data.size() + 1);
      a.data.clear();
      b.data.clear();
      differing += !(a == b);
    }
    CHECK(differing == 0);

    // Elsewhere the frames do use the reservoir: most of them borrow.
    INFO(borrowing << " of " << expected.size() << " frames borrow bits");
    CHECK(borrowing > expected.size() / 2);

    // Joined: the exact length, by ffmpeg's decoder and by the joined file itself.
    CHECK(joinChunks(dir / "joined.mp3", s, chunks, {}) == total);
    CHECK(joinChunks(dir / "one.mp3", s, {dir / "whole.chunk"}, {}) == total);
    CHECK(ffmpegDecodedSamples(dir / "joined.mp3") == total);

    const Audio one = ffmpegDecode(dir / "one.mp3", setting.rate, setting.channels, dir / "one.f32");
    const Audio joined = ffmpegDecode(dir / "joined.mp3", setting.rate, setting.channels, dir / "joined.f32");
    REQUIRE(static_cast<std::int64_t>(one.frames()) == total);
    REQUIRE(static_cast<std::int64_t>(joined.frames()) == total);

    // The measure: coding noise of the one-piece encode over the whole file...
    const std::vector<double> coding = windowErrorDb(one, input);
    const double p99 = percentile(coding, 0.99);
    const double loudest = maxError(one, input, 0, input.frames());
    INFO("coding noise: median window " << percentile(coding, 0.5) << " dBFS, 99th percentile " << p99
                                        << " dBFS, largest sample error " << loudest);
    CHECK(p99 < -20);  // MP3 at these rates is far below the music (the measure is not vacuous)
    // ...and (joined - input) near every join is no louder, no sample further off.
    const JoinVerdict good = judgeJoins(joined, input, cuts, frame);
    INFO("joins: loudest window " << good.worst_window_db << " dBFS, largest sample error " << good.worst_sample);
    CHECK(good.worst_window_db <= p99 + kMarginDb);
    CHECK(good.worst_sample <= loudest);

    // The old way (a fresh encoder per chunk, no context) fails the same
    // measure at every join: the measure can tell a bad join.
    std::vector<fs::path> old_chunks;
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
      old_chunks.push_back(dir / ("old" + std::to_string(k) + ".chunk"));
      writeChunk(old_chunks.back(), input, bounds[k], bounds[k + 1], s, nullptr);
    }
    CHECK(joinChunks(dir / "old.mp3", s, old_chunks, {}) == total);
    const Audio old = ffmpegDecode(dir / "old.mp3", setting.rate, setting.channels, dir / "old.f32");
    REQUIRE(static_cast<std::int64_t>(old.frames()) == total);
    const JoinVerdict bad = judgeJoins(old, input, cuts, frame);
    for (std::size_t k = 0; k < cuts.size(); ++k) {
      INFO("old join at " << cuts[k] << ": loudest window " << bad.per_join_db[k] << " dBFS");
      CHECK(bad.per_join_db[k] > p99 + kMarginDb);
    }
    CHECK(bad.worst_sample > loudest);
  }
}

TEST_CASE("emptying LAME's bit reservoir at joins costs little coding noise", "[encode][chunk][anywhere]") {
  // Joins every 2 s, each emptying the reservoir before five frames, against
  // none: the whole file's coding noise and its loudest windows.
  for (const Setting& setting : kSettings) {
    INFO(setting.what);
    const OutputSettings s = settings(setting.rate, setting.channels, setting.kbps);
    const fs::path dir = tempDir("chunk-reservoir");
    const Audio input = programme(setting.rate, setting.channels, dir);
    const auto total = static_cast<std::int64_t>(input.frames());
    const int frame = warta::encode::chunkAlignment(s, ChunkCodec::Mp3);
    ChunkSpan joins{0, 0, 0, {}};
    for (std::int64_t at = 2 * setting.rate / frame * frame; at < total; at += 2 * setting.rate / frame * frame)
      joins.joins.push_back(at);
    writeChunk(dir / "on.chunk", input, 0, total, s, nullptr);
    writeChunk(dir / "joins.chunk", input, 0, total, s, &joins);
    std::size_t fresh = 0;
    for (const Packet& p : readPackets(dir / "joins.chunk")) fresh += mainDataBegin(p.data) == 0;
    CHECK(fresh >= joins.joins.size());  // the joins are there
    CHECK(joinChunks(dir / "on.mp3", s, {dir / "on.chunk"}, {}) == total);
    CHECK(joinChunks(dir / "joins.mp3", s, {dir / "joins.chunk"}, {}) == total);
    const Audio on_audio = ffmpegDecode(dir / "on.mp3", setting.rate, setting.channels, dir / "on.f32");
    const Audio joins_audio = ffmpegDecode(dir / "joins.mp3", setting.rate, setting.channels, dir / "joins.f32");
    const auto noiseDb = [&](const Audio& decoded) {
      std::vector<float> d(input.samples.size());
      for (std::size_t i = 0; i < d.size(); ++i) d[i] = decoded.samples[i] - input.samples[i];
      return rmsDb(Audio{std::move(d), input.sample_rate, input.channels});
    };
    const double on_db = noiseDb(on_audio), joins_db = noiseDb(joins_audio);
    const double on_p99 = percentile(windowErrorDb(on_audio, input), 0.99);
    const double joins_p99 = percentile(windowErrorDb(joins_audio, input), 0.99);
    INFO("coding noise RMS: no joins " << on_db << " dBFS, joins " << joins_db
                                       << " dBFS; 99th percentile window: no joins " << on_p99 << ", joins "
                                       << joins_p99);
    CHECK(joins_db <= on_db + 0.5);
    CHECK(joins_p99 <= on_p99 + 1);
    CHECK(on_db < -30);  // both are encodes of the music (not, e.g., of silence)
  }
}

TEST_CASE("a chunk span must be whole frames within the programme, and PCM chunks drop their pre- and postroll",
          "[encode][chunk][anywhere]") {
  const fs::path dir = tempDir("chunk-span");
  const OutputSettings s = settings(44100, 2, 128);
  struct Bad {
    const char* what;
    ChunkSpan span;
  };
  const Bad bad[] = {{"preroll not whole frames", {1000, 0, 2304, {}}},
                     {"a join not whole frames", {2304, 1152, 2304, {2304, 5000}}},
                     {"start not whole frames", {0, 0, 1000, {}}},
                     {"preroll before the programme", {2304, 0, 1152, {}}},
                     {"negative postroll", {0, -1152, 1152, {}}}};
  for (const Bad& b : bad) {
    INFO(b.what);
    try {
      ChunkWriter writer(dir / "bad.chunk", s, ChunkCodec::Mp3, b.span);
      FAIL("accepted " << b.what);
    } catch (const AudioError& e) {
      CHECK(std::string(e.what()).find((dir / "bad.chunk").string()) != std::string::npos);
    }
  }
  const Audio music = tone(440.0, 0.2, 44100, 2, 0.4);  // 8820 frames
  {
    INFO("fewer samples than preroll and postroll");
    ChunkWriter writer(dir / "short.chunk", s, ChunkCodec::Mp3, ChunkSpan{4608, 1152, 4608, {4608}});
    writer.write(slice(music, 0, 5000));
    CHECK_THROWS_AS(writer.finish(), AudioError);
  }
  {
    INFO("a chunk with a postroll whose own samples are not whole frames");
    ChunkWriter writer(dir / "odd.chunk", s, ChunkCodec::Mp3, ChunkSpan{0, 1152, 0, {}});
    writer.write(slice(music, 0, 1152 * 3 + 100));
    CHECK_THROWS_AS(writer.finish(), AudioError);
  }
  CHECK_FALSE(fs::exists(dir / "short.chunk"));
  CHECK_FALSE(fs::exists(dir / "odd.chunk"));

  // PCM: the chunk holds its own samples exactly as a chunk of them alone does (dither seeded per chunk).
  {
    ChunkWriter writer(dir / "span.chunk", s, ChunkCodec::Pcm16, ChunkSpan{1000, 777, 5000, {}});
    for (std::int64_t at = 0; at < 8820; at += 999)
      writer.write(slice(music, at, std::min<std::int64_t>(8820, at + 999)));
    writer.finish();
    CHECK(writer.info().samples == 8820 - 1000 - 777);
  }
  {
    ChunkWriter writer(dir / "own.chunk", s, ChunkCodec::Pcm16);
    writer.write(slice(music, 1000, 8820 - 777));
    writer.finish();
  }
  CHECK(warta::encode::chunkPreroll(s, ChunkCodec::Pcm16) == 0);
  CHECK(warta::encode::chunkPostroll(s, ChunkCodec::Pcm16) == 0);
  std::string span_bytes, own_bytes;
  for (const Packet& p : readPackets(dir / "span.chunk")) span_bytes += p.data;
  for (const Packet& p : readPackets(dir / "own.chunk")) own_bytes += p.data;
  CHECK(span_bytes.size() == (8820 - 1000 - 777) * 4);
  CHECK(span_bytes == own_bytes);
}

TEST_CASE("a last MP3 chunk shorter than a frame: the chunk before takes all the rest as its postroll",
          "[encode][chunk][anywhere]") {
  const fs::path dir = tempDir("chunk-short-last");
  for (const Setting& setting : kSettings) {
    INFO(setting.what);
    const OutputSettings s = settings(setting.rate, setting.channels, setting.kbps);
    const int frame = warta::encode::chunkAlignment(s, ChunkCodec::Mp3);
    // 3 s of two tones and white noise: nowhere silent.
    Audio input = tone(440.0, 3.0, setting.rate, setting.channels, 0.3);
    const Audio other = tone(1234.5, 3.0, setting.rate, setting.channels, 0.2);
    std::uint32_t noise = 777;
    for (std::size_t i = 0; i < input.samples.size(); ++i) {
      noise = noise * 1664525u + 1013904223u;
      input.samples[i] += other.samples[i] + 0.1f * (static_cast<float>(noise >> 8) / (1u << 24) - 0.5f);
    }
    const auto total = static_cast<std::int64_t>(input.frames());
    const std::vector<std::int64_t> bounds = {0, 50 * frame, total / frame * frame, total};
    REQUIRE(bounds[3] - bounds[2] < frame);
    REQUIRE(bounds[3] - bounds[2] > 0);
    writeChunk(dir / "whole.chunk", input, 0, total, s, nullptr);
    std::vector<fs::path> chunks;
    std::vector<Packet> packets;
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
      const ChunkSpan span = spanOf(bounds, k, s);
      chunks.push_back(dir / ("c" + std::to_string(k) + ".chunk"));
      CHECK(
          writeChunk(chunks.back(), input, bounds[k] - span.preroll, bounds[k + 1] + span.postroll, s, &span).samples ==
          bounds[k + 1] - bounds[k]);
      const std::vector<Packet> own = readPackets(chunks.back());
      REQUIRE(!own.empty());
      CHECK(mainDataBegin(own.front().data) == 0);  // no bits from the chunk before
      for (Packet p : own) {
        p.pts += bounds[k];
        p.dts += bounds[k];
        p.data.clear();
        packets.push_back(std::move(p));
      }
    }
    // The one-piece encode's frames, timestamps and side data (the last
    // frames' end padding) included; their bytes differ after the first join.
    std::vector<Packet> whole = readPackets(dir / "whole.chunk");
    for (Packet& p : whole) p.data.clear();
    CHECK(packets == whole);
    CHECK(joinChunks(dir / "joined.mp3", s, chunks, {}) == total);
    CHECK(joinChunks(dir / "one.mp3", s, {dir / "whole.chunk"}, {}) == total);
    CHECK(ffmpegDecodedSamples(dir / "joined.mp3") == total);
    const Audio one = ffmpegDecode(dir / "one.mp3", setting.rate, setting.channels, dir / "one.f32");
    const Audio joined = ffmpegDecode(dir / "joined.mp3", setting.rate, setting.channels, dir / "joined.f32");
    REQUIRE(static_cast<std::int64_t>(joined.frames()) == total);
    const double p99 = percentile(windowErrorDb(one, input), 0.99);
    const JoinVerdict v = judgeJoins(joined, input, {bounds[1], bounds[2]}, frame);
    INFO("coding noise 99th percentile " << p99 << " dBFS, joins' loudest window " << v.worst_window_db);
    CHECK(v.worst_window_db <= p99 + kMarginDb);
  }
}
