// SPDX-License-Identifier: GPL-3.0-or-later
// audio/bed.h and StreamConverter: a music bed streamed from its file, looped
// and converted on the fly, sample for sample what the bed held in memory gives.
#include <catch2/catch.hpp>

#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "audio/audio_file.h"
#include "audio/bed.h"
#include "audio/convert.h"
#include "audio/edit.h"
#include "audio/leveler.h"
#include "audio/loudness.h"
#include "audio/mixer.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::audio::Audio;
using warta::audio::AudioError;
using warta::audio::BedFile;
using warta::audio::BedLevel;

namespace {

// Collects a stream.
struct Collector : warta::audio::AudioSink {
  Audio all;
  bool finished = false;
  Collector(int rate, int channels) : all{{}, rate, channels} {}
  void write(const Audio& chunk) override {
    REQUIRE(chunk.sample_rate == all.sample_rate);
    REQUIRE(chunk.channels == all.channels);
    all.samples.insert(all.samples.end(), chunk.samples.begin(), chunk.samples.end());
  }
  void finish() override { finished = true; }
};

// A 32-bit float WAV: the samples read back exactly.
void writeFloatWav(const fs::path& path, const Audio& a) {
  SF_INFO info{};
  info.samplerate = a.sample_rate;
  info.channels = a.channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  REQUIRE(f != nullptr);
  REQUIRE(sf_writef_float(f, a.samples.data(), static_cast<sf_count_t>(a.frames())) ==
          static_cast<sf_count_t>(a.frames()));
  sf_close(f);
}

// A ramp, channel c of frame k = (k + 1) / frames * (c ? -0.5 : 0.5): every
// frame of the loop is told apart, so a misplaced frame cannot pass.
Audio ramp(std::size_t frames, int rate, int channels) {
  Audio a{std::vector<float>(frames * static_cast<std::size_t>(channels)), rate, channels};
  for (std::size_t k = 0; k < frames; ++k)
    for (int c = 0; c < channels; ++c)
      a.samples[k * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] =
          static_cast<float>(static_cast<double>(k + 1) / static_cast<double>(frames) * (c ? -0.5 : 0.5));
  return a;
}

// `frames` frames of `bed` from frame `start` on, looped: the reference.
std::vector<float> looped(const Audio& bed, std::size_t start, std::size_t frames) {
  const auto width = static_cast<std::size_t>(bed.channels);
  std::vector<float> out;
  for (std::size_t k = 0; k < frames; ++k) {
    const std::size_t at = (start + k) % bed.frames();
    out.insert(out.end(), bed.samples.begin() + static_cast<std::ptrdiff_t>(at * width),
               bed.samples.begin() + static_cast<std::ptrdiff_t>((at + 1) * width));
  }
  return out;
}

// Reads `frames` frames from `bed` in reads of `piece` frames.
std::vector<float> readAll(warta::audio::BedStream& bed, std::size_t frames, std::size_t piece, int channels) {
  std::vector<float> out(frames * static_cast<std::size_t>(channels));
  for (std::size_t done = 0; done < frames; done += piece)
    bed.read(out.data() + done * static_cast<std::size_t>(channels), std::min(piece, frames - done));
  return out;
}

std::size_t firstDifference(const std::vector<float>& a, const std::vector<float>& b) {
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (a[i] != b[i]) return i;
  return a.size() == b.size() ? SIZE_MAX : std::min(a.size(), b.size());
}

}  // namespace

TEST_CASE("a streamed conversion gives convert()'s samples bit for bit, whatever the piece sizes", "[audio][bed]") {
  struct Row {
    int in_rate, in_channels, out_rate, out_channels;
  };
  const Row rows[] = {
      {44100, 2, 48000, 2},  // resampled
      {22050, 1, 44100, 2},  // eSpeak's format to CD stereo: resampled, then spread
      {48000, 2, 44100, 1},  // averaged to mono, then resampled
      {44100, 2, 44100, 1},  // averaged only
      {44100, 1, 44100, 2},  // spread only
      {44100, 2, 44100, 2},  // passed through
      {32000, 6, 44100, 2},  // libswresample's matrix
  };
  for (const Row& r : rows) {
    // 3.3 s: more than two of the resampler's 64 Ki-frame pieces, and a partial one.
    Audio in = warta::test::tone(440, 3.3, r.in_rate, r.in_channels, 0.4);
    for (std::size_t i = 0; i < in.samples.size(); ++i) in.samples[i] += 0.1f * static_cast<float>(i % 7) / 7.0f;
    const Audio whole = warta::audio::convert(in, r.out_rate, r.out_channels);
    for (std::size_t piece : {std::size_t{1000}, std::size_t{65536}, std::size_t{70001}}) {
      INFO(r.in_rate << " Hz x" << r.in_channels << " -> " << r.out_rate << " Hz x" << r.out_channels << ", pieces of "
                     << piece);
      Collector out(r.out_rate, r.out_channels);
      warta::audio::StreamConverter stream(out, r.in_rate, r.in_channels, r.out_rate, r.out_channels);
      const auto width = static_cast<std::size_t>(r.in_channels);
      for (std::size_t k = 0; k < in.frames(); k += piece) {
        const std::size_t n = std::min(piece, in.frames() - k);
        stream.write(Audio{std::vector<float>(in.samples.begin() + static_cast<std::ptrdiff_t>(k * width),
                                              in.samples.begin() + static_cast<std::ptrdiff_t>((k + n) * width)),
                           r.in_rate, r.in_channels});
      }
      stream.finish();
      CHECK(out.finished);
      // The length a conversion must have: the input's duration at the new rate.
      CHECK(out.all.frames() == static_cast<std::size_t>(std::llround(3.3 * r.out_rate)));
      CHECK(firstDifference(out.all.samples, whole.samples) == SIZE_MAX);
    }
  }
}

TEST_CASE("a bed file loops sample-exact across its end, from any start", "[audio][bed]") {
  const fs::path dir = warta::test::tempDir("bed-loop");
  constexpr std::size_t kFrames = 1000;  // a 1000-frame loop: many loops per read, and reads across the loop point
  const Audio bed = ramp(kFrames, 44100, 2);
  writeFloatWav(dir / "ramp.wav", bed);
  struct Row {
    std::size_t start, frames, piece;
  };
  const Row rows[] = {
      {0, 5000, 5000},                 // five whole loops in one read
      {0, 3333, 7},                    // small reads straddling the loop point
      {995, 20, 3},                    // starts 5 frames before the end
      {3 * kFrames + 17, 2500, 1024},  // a start past several loops: modulo the length
      {0, 70000, 65536},               // longer than the reader's piece
  };
  for (const Row& r : rows) {
    INFO("start " << r.start << ", " << r.frames << " frames in reads of " << r.piece);
    BedFile stream(dir / "ramp.wav", BedLevel{}, 44100, 2, -1.0, r.start);
    const std::vector<float> got = readAll(stream, r.frames, r.piece, 2);
    CHECK(firstDifference(got, looped(bed, r.start, r.frames)) == SIZE_MAX);
  }
  // The loop's length is known once a loop has been read through.
  BedFile stream(dir / "ramp.wav", BedLevel{}, 44100, 2, -1.0);
  readAll(stream, 1500, 500, 2);
  REQUIRE(stream.loopFrames().has_value());
  CHECK(*stream.loopFrames() == kFrames);
}

TEST_CASE("a bed file at another format is the in-memory bed converted, looped", "[audio][bed]") {
  const fs::path dir = warta::test::tempDir("bed-convert");
  // Mono 22.05 kHz to stereo 48 kHz: resampled and spread on the fly.
  const Audio bed = warta::test::tone(300, 1.7, 22050, 1, 0.3);
  writeFloatWav(dir / "tone.wav", bed);
  const Audio reference = warta::audio::convert(bed, 48000, 2);
  REQUIRE(reference.frames() == static_cast<std::size_t>(std::llround(1.7 * 48000)));
  for (std::size_t start : {std::size_t{0}, std::size_t{81000}, std::size_t{200000}}) {
    INFO("start " << start);
    BedFile stream(dir / "tone.wav", BedLevel{}, 48000, 2, -1.0, start);
    const std::vector<float> got = readAll(stream, 48000 * 4, 12345, 2);  // over two loop points
    CHECK(firstDifference(got, looped(reference, start, 48000 * 4)) == SIZE_MAX);
  }
}

TEST_CASE("a bed file is leveled as levelClip levels the whole bed in memory", "[audio][bed]") {
  const fs::path dir = warta::test::tempDir("bed-level");
  // A chord near full scale at 44.1 kHz stereo, played at 48 kHz: gain, limiter and resampler all act.
  Audio bed = warta::test::tone(220, 2.5, 44100, 2, 0.5);
  const Audio fifth = warta::test::tone(330, 2.5, 44100, 2, 0.45);
  for (std::size_t i = 0; i < bed.samples.size(); ++i) bed.samples[i] += fifth.samples[i];
  writeFloatWav(dir / "chord.wav", bed);
  const double target = -20.0, ceiling = -1.0;
  const BedLevel level = warta::audio::measureBed(dir / "chord.wav", 48000, 2, target, ceiling);
  CHECK(level.limited);
  // Today's path: the whole file leveled in memory, converted, looped.
  const Audio reference = warta::audio::convert(
      warta::audio::levelClip(warta::audio::readAudioFile(dir / "chord.wav"), 2, target, ceiling, 48000), 48000, 2);
  BedFile stream(dir / "chord.wav", level, 48000, 2, ceiling);
  const std::size_t frames = reference.frames() * 2 + 777;
  const std::vector<float> got = readAll(stream, frames, 4096, 2);
  CHECK(firstDifference(got, looped(reference, 0, frames)) == SIZE_MAX);
  // And it is at the target, from an independent reading of one loop.
  const Audio loop{std::vector<float>(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(reference.samples.size())),
                   48000, 2};
  CHECK(warta::audio::LoudnessMeter::integratedLoudness(loop) == Approx(target).margin(0.1));
  // A bed too quiet to measure plays as it is.
  writeFloatWav(dir / "hush.wav", warta::test::tone(220, 1.0, 44100, 2, 0.00001));
  const BedLevel hush = warta::audio::measureBed(dir / "hush.wav", 44100, 2, target, ceiling);
  CHECK_FALSE(hush.limited);
  CHECK(hush.gain_db == 0.0);
}

TEST_CASE("the mixer gives the same bulletin from a streamed bed as from the bed in memory", "[audio][bed][mixer]") {
  const fs::path dir = warta::test::tempDir("bed-mixer");
  const Audio bed = warta::test::tone(200, 0.7, 44100, 1, 0.1);
  writeFloatWav(dir / "bed.wav", bed);
  warta::audio::BedSettings settings;
  settings.attack = 0.2;
  settings.release = 0.5;
  auto run = [&](bool streamed) {
    Collector sink(48000, 2);
    warta::audio::Mixer mixer(sink, 48000, 2);
    mixer.appendSilence(0.3);
    if (streamed) mixer.startBed(std::make_unique<BedFile>(dir / "bed.wav", BedLevel{}, 48000, 2, -1.0), settings, 0.2);
    else mixer.startBed(bed, settings, 0.2);
    mixer.appendSilence(2.0);
    mixer.append(warta::test::tone(1000, 9.0, 22050, 1, 0.2), warta::audio::ClipRole::Voice);  // longer than a window
    mixer.appendSilence(1.0);
    mixer.stopBed(0.5);
    mixer.appendSilence(1.0);
    mixer.flush();
    return sink.all;
  };
  const Audio memory = run(false), streamed = run(true);
  REQUIRE(memory.frames() == streamed.frames());
  CHECK(firstDifference(memory.samples, streamed.samples) == SIZE_MAX);
  CHECK(warta::test::rmsDb(streamed, 1.0, 2.0) > -30);  // the bed is there
}

TEST_CASE("a bed file that is missing, not audio, or holds NaN is an error naming it", "[audio][bed][strict]") {
  const fs::path dir = warta::test::tempDir("bed-bad");
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const AudioError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const fs::path missing = dir / "missing.wav";
  CHECK(message([&] { BedFile b(missing, BedLevel{}, 44100, 2, -1.0); }).find(missing.string()) != std::string::npos);
  const fs::path text = dir / "text.wav";
  warta::test::writeBytes(text, "not audio at all");
  CHECK(message([&] { warta::audio::measureBed(text, 44100, 2, -20, -1); }).find(text.string()) != std::string::npos);
  // NaN 0.5 s into a 1 s bed: found when the bed plays there, named with the time.
  Audio nan = warta::test::tone(220, 1.0, 44100, 2, 0.3);
  nan.samples[2 * 22050] = std::numeric_limits<float>::quiet_NaN();
  const fs::path bad = dir / "nan.wav";
  writeFloatWav(bad, nan);
  const std::string played = message([&] {
    BedFile b(bad, BedLevel{}, 44100, 2, -1.0);
    std::vector<float> out(2 * 44100);
    b.read(out.data(), 44100);
  });
  CHECK(played.find(bad.string()) != std::string::npos);
  CHECK(played.find("sample 22050 (at 0.5") != std::string::npos);
  CHECK(message([&] { warta::audio::measureBed(bad, 44100, 2, -20, -1); }).find("not a number") != std::string::npos);
}

// A jingle streamed (measureJingle, BedFile played Once, Mixer::append of a
// ClipStream) against today's path: levelClip on the file decoded whole, then
// Mixer::append of the clip in memory, behind a clip it overlaps.
TEST_CASE("a streamed jingle mixes to the samples of the jingle decoded and leveled whole", "[audio][bed][jingle]") {
  const fs::path dir = warta::test::tempDir("bed-jingle");
  const double target = -18.0, ceiling = -1.0;
  struct Case {
    const char* name;
    double seconds;
    int rate, channels;
    double level;    // the chord's amplitude
    double overlap;  // seconds back over the clip before
    double join;     // the mixer's join fade
  };
  const Case cases[] = {
      {"loud-stereo-44k", 2.3, 44100, 2, 0.5, 0.5, 0.005},  // limited, resampled, several kStep blocks
      {"mono-22k", 1.7, 22050, 1, 0.3, 0.0, 0.005},         // spread to stereo, resampled
      {"same-rate", 1.1, 48000, 2, 0.2, 1.0, 0.005},        // no conversion
      {"tiny", 0.004, 44100, 2, 0.4, 0.0, 0.005},           // shorter than two join fades
      {"long-fades", 1.5, 48000, 2, 0.4, 0.3, 0.6},         // fades longer than a block
      {"hush", 0.8, 44100, 2, 0.00001, 0.2, 0.005},         // too quiet to level: played as it is
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      Audio clip = warta::test::tone(440, c.seconds, c.rate, c.channels, c.level);
      const Audio fifth = warta::test::tone(660, c.seconds, c.rate, c.channels, c.level * 0.9);
      for (std::size_t i = 0; i < clip.samples.size(); ++i) clip.samples[i] += fifth.samples[i];
      const fs::path file = dir / (std::string(c.name) + ".wav");
      writeFloatWav(file, clip);
      double whole_lufs = 0;
      const Audio whole =
          warta::audio::levelClip(warta::audio::readAudioFile(file), 2, target, ceiling, 48000, &whole_lufs);
      const BedLevel level = warta::audio::measureJingle(file, 48000, 2, target, ceiling);
      if (std::isfinite(whole_lufs)) CHECK(level.measured_lufs == whole_lufs);
      else CHECK_FALSE(std::isfinite(level.measured_lufs));
      auto run = [&](bool streamed, double& start, double& seconds) {
        Collector sink(48000, 2);
        warta::audio::Mixer mixer(sink, 48000, 2, c.join);
        mixer.append(warta::test::tone(300, 1.5, 22050, 1, 0.2), warta::audio::ClipRole::Voice);
        if (streamed) {
          BedFile jingle(file, level, 48000, 2, ceiling, 0, BedFile::Repeat::Once);
          start = mixer.append(jingle, warta::audio::ClipRole::Music, c.overlap);
          seconds = jingle.sourceSeconds();
          CHECK(jingle.readSome(nullptr, 10) == 0);  // played once
        } else {
          start = mixer.append(whole, warta::audio::ClipRole::Music, c.overlap);
          seconds = whole.seconds();
        }
        mixer.appendSilence(0.2);
        mixer.flush();
        return sink.all;
      };
      double start_whole = 0, start_streamed = 0, seconds_whole = 0, seconds_streamed = 0;
      const Audio memory = run(false, start_whole, seconds_whole);
      const Audio streamed = run(true, start_streamed, seconds_streamed);
      CHECK(start_streamed == start_whole);
      CHECK(seconds_streamed == seconds_whole);
      // The length the file has, from what was written (not from our reader).
      CHECK(seconds_streamed == Approx(c.seconds).margin(1.0 / c.rate));
      REQUIRE(memory.frames() == streamed.frames());
      CHECK(firstDifference(memory.samples, streamed.samples) == SIZE_MAX);
    }
  }
}

TEST_CASE(
    "a short bed held as one loop plays what the bed decoded as it plays gives, from any start; a long one is not held",
    "[audio][bed]") {
  const fs::path dir = warta::test::tempDir("bed-held");
  // A chord near full scale at 44.1 kHz, played at 48 kHz: gain, limiter and resampler all act.
  Audio bed = warta::test::tone(220, 2.5, 44100, 2, 0.5);
  const Audio fifth = warta::test::tone(330, 2.5, 44100, 2, 0.45);
  for (std::size_t i = 0; i < bed.samples.size(); ++i) bed.samples[i] += fifth.samples[i];
  writeFloatWav(dir / "chord.wav", bed);
  const double ceiling = -1.0;
  const BedLevel level = warta::audio::measureBed(dir / "chord.wav", 48000, 2, -20.0, ceiling);
  REQUIRE(level.limited);
  const std::shared_ptr<const Audio> loop = warta::audio::holdBedLoop(dir / "chord.wav", level, 48000, 2, ceiling);
  REQUIRE(loop != nullptr);
  CHECK(loop->sample_rate == 48000);
  CHECK(loop->channels == 2);
  CHECK(loop->frames() == 120000);  // 2.5 s at 48 kHz
  for (std::size_t start : {std::size_t{0}, std::size_t{1}, std::size_t{119999}, std::size_t{250001}}) {
    INFO("start " << start);
    BedFile stream(dir / "chord.wav", level, 48000, 2, ceiling, start);
    warta::audio::MemoryBed held(loop, start);
    const std::size_t frames = 48000 * 6;  // over two loop points
    CHECK(firstDifference(readAll(held, frames, 4096, 2), readAll(stream, frames, 5000, 2)) == SIZE_MAX);
  }
  // Over kHeldBedSeconds a loop: streamed, whatever it costs to find out.
  writeFloatWav(dir / "long.wav", warta::test::tone(220, warta::audio::kHeldBedSeconds + 0.5, 44100, 2, 0.1));
  CHECK(warta::audio::holdBedLoop(dir / "long.wav", BedLevel{}, 44100, 2, ceiling) == nullptr);
  writeFloatWav(dir / "just.wav", warta::test::tone(220, warta::audio::kHeldBedSeconds, 44100, 2, 0.1));
  CHECK(warta::audio::holdBedLoop(dir / "just.wav", BedLevel{}, 44100, 2, ceiling) != nullptr);
}
