// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <fstream>

#include "audio/audio_file.h"
#include "encode/writer.h"
#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::audio::Audio;
using warta::audio::AudioError;
using warta::encode::OutputSettings;
using warta::encode::WavWriter;
using namespace warta::test;

namespace {
OutputSettings settings(int rate = 44100, int channels = 2) {
  OutputSettings s;
  s.sample_rate = rate;
  s.channels = channels;
  s.tags = {"Kabar Pagi 2025-06-11", "Radio Komunitas", "Kabar Pagi", "2025-06-11", "News", "dibuat oleh warta"};
  return s;
}
}  // namespace

TEST_CASE("a WAV has exactly the frames written at 16 bits", "[encode][wav]") {
  struct Case {
    int rate, channels;
    std::size_t chunk;
  };
  const Case cases[] = {{44100, 2, 1000000}, {22050, 1, 333}, {48000, 2, 1}};
  const fs::path dir = tempDir("wav-frames");
  for (const auto& c : cases) {
    INFO(c.rate << " Hz x" << c.channels << " in chunks of " << c.chunk);
    const fs::path file = dir / ("out-" + std::to_string(c.rate) + ".wav");
    const Audio in = tone(440.0, c.chunk == 1 ? 0.05 : 1.234, c.rate, c.channels, 0.5);
    WavWriter writer(file, settings(c.rate, c.channels));
    const auto width = static_cast<std::size_t>(c.channels);
    for (std::size_t at = 0; at < in.frames(); at += c.chunk) {
      Audio chunk;
      chunk.sample_rate = c.rate;
      chunk.channels = c.channels;
      const std::size_t end = std::min(in.frames(), at + c.chunk);
      chunk.samples.assign(in.samples.begin() + static_cast<long>(at * width),
                           in.samples.begin() + static_cast<long>(end * width));
      writer.write(chunk);
    }
    writer.finish();

    const Decoded out = decodeFile(file);
    CHECK(out.codec == "pcm_s16le");
    CHECK(out.audio.sample_rate == c.rate);
    CHECK(out.audio.channels == c.channels);
    REQUIRE(out.audio.frames() == in.frames());
    float worst = 0;
    for (std::size_t i = 0; i < in.samples.size(); ++i)
      worst = std::max(worst, std::fabs(out.audio.samples[i] - in.samples[i]));
    CHECK(worst <= 1.0f / 32768);
    CHECK(warta::audio::readAudioFile(file).frames() == in.frames());  // and warta's own reader agrees
  }
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("a WAV carries its tags as RIFF INFO", "[encode][wav]") {
  const fs::path dir = tempDir("wav-tags");
  WavWriter writer(dir / "tags.wav", settings());
  writer.write(tone(440.0, 0.2, 44100, 2, 0.5));
  writer.finish();
  const auto tags = readTags(dir / "tags.wav");
  CHECK(tags.at("title") == "Kabar Pagi 2025-06-11");
  CHECK(tags.at("artist") == "Radio Komunitas");
  CHECK(tags.at("album") == "Kabar Pagi");
  CHECK(tags.at("date") == "2025-06-11");
  CHECK(tags.at("genre") == "News");
  CHECK(tags.at("comment") == "dibuat oleh warta");
}

TEST_CASE("WAV samples beyond full scale are clamped to full scale", "[encode][wav]") {
  const fs::path dir = tempDir("wav-clamp");
  Audio loud;
  loud.sample_rate = 8000;
  loud.channels = 1;
  loud.samples = {1.5f, -2.0f, 0.25f, 1.0f, -1.0f};
  WavWriter writer(dir / "loud.wav", settings(8000, 1));
  writer.write(loud);
  writer.finish();
  const Decoded out = decodeFile(dir / "loud.wav");
  REQUIRE(out.audio.samples.size() == 5);
  CHECK(out.audio.samples[0] == Approx(32767.0 / 32768));
  CHECK(out.audio.samples[1] == Approx(-1.0).margin(1.0 / 32768));
  CHECK(out.audio.samples[2] == Approx(0.25).margin(1.0 / 32768));
}

TEST_CASE("a WAV writer destroyed without finish leaves no file and an existing one untouched", "[encode][wav]") {
  const fs::path dir = tempDir("wav-abandon");
  std::ofstream(dir / "kept.wav") << "keep me";
  {
    WavWriter writer(dir / "kept.wav", settings());
    writer.write(tone(440.0, 0.5, 44100, 2, 0.5));
    WavWriter fresh(dir / "new.wav", settings());
    fresh.write(tone(440.0, 0.5, 44100, 2, 0.5));
    CHECK_THROWS_AS(fresh.write(tone(440.0, 0.5, 48000, 2, 0.5)), AudioError);
  }
  CHECK(readText(dir / "kept.wav") == "keep me");
  CHECK_FALSE(fs::exists(dir / "new.wav"));
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("openWriter picks the writer by extension case-insensitively", "[encode][writer]") {
  const fs::path dir = tempDir("open-writer");
  struct Case {
    const char* name;
    bool mp3;
  };
  for (const Case c : {Case{"a.mp3", true}, Case{"b.MP3", true}, Case{"c.wav", false}, Case{"d.Wav", false}}) {
    INFO(c.name);
    auto sink = warta::encode::openWriter(dir / c.name, settings());
    CHECK((dynamic_cast<warta::encode::Mp3Writer*>(sink.get()) != nullptr) == c.mp3);
    CHECK((dynamic_cast<WavWriter*>(sink.get()) != nullptr) == !c.mp3);
    sink->write(tone(440.0, 0.3, 44100, 2, 0.5));
    sink->finish();
    CHECK(std::abs(decodeFile(dir / c.name).audio.seconds() - 0.3) < 0.03);
  }
  for (const char* bad : {"x.ogg", "x", "x.mp3.txt"}) {
    INFO(bad);
    try {
      warta::encode::openWriter(dir / bad, settings());
      FAIL("accepted " << bad);
    } catch (const AudioError& e) {
      CHECK(std::string(e.what()).find(bad) != std::string::npos);
    }
  }
}
