// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "encode/chunk.h"
#include "encode/writer.h"
#include "support/ffmpeg.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::audio::AudioError;
using warta::encode::Container;
using warta::encode::OutputFormat;
using warta::encode::outputFormat;
using warta::encode::OutputSettings;
using namespace warta::test;

TEST_CASE("outputFormat decides by extension, case-insensitively", "[encode][format]") {
  struct Case {
    const char* name;
    OutputFormat format;
  };
  for (const Case c :
       {Case{"a.mp3", OutputFormat::Mp3}, Case{"a.MP3", OutputFormat::Mp3}, Case{"a.Mp3", OutputFormat::Mp3},
        Case{"a.wav", OutputFormat::Wav}, Case{"a.WAV", OutputFormat::Wav}, Case{"dir.x/a.Wav", OutputFormat::Wav},
        Case{"a.bwf", OutputFormat::Bwf}, Case{"a.BWF", OutputFormat::Bwf}}) {
    INFO(c.name);
    CHECK(outputFormat(c.name, Container::Auto) == c.format);
    CHECK(warta::encode::outputFormatProblem(c.name, Container::Auto).empty());
  }
  for (const char* bad : {"a.ogg", "a.mp3.txt", "a", "a.mp", ".mp3x"}) {
    INFO(bad);
    CHECK_THROWS_AS(outputFormat(bad, Container::Auto), AudioError);
    CHECK_THROWS_WITH(outputFormat(bad, Container::Auto), Catch::Contains(bad));
  }
}

TEST_CASE("outputFormat refuses a format: that contradicts the extension", "[encode][format]") {
  CHECK(outputFormat("a.MP3", Container::Mp3) == OutputFormat::Mp3);
  CHECK(outputFormat("a.WAV", Container::Wav) == OutputFormat::Wav);
  CHECK(outputFormat("a.wav", Container::Bwf) == OutputFormat::Bwf);  // a Broadcast WAV named .wav
  CHECK(outputFormat("a.BWF", Container::Wav) == OutputFormat::Wav);
  CHECK_THROWS_WITH(outputFormat("a.WAV", Container::Mp3), Catch::Contains("needs the extension .mp3"));
  CHECK_THROWS_WITH(outputFormat("a.bwf", Container::Mp3), Catch::Contains("needs the extension .mp3"));
  CHECK_THROWS_WITH(outputFormat("a.Mp3", Container::Wav), Catch::Contains("needs the extension .wav or .bwf"));
  CHECK_THROWS_WITH(outputFormat("a.MP3", Container::Bwf), Catch::Contains("needs the extension .wav or .bwf"));
  CHECK(warta::encode::containerNamed("mp3") == Container::Mp3);
  CHECK(warta::encode::containerNamed("wav") == Container::Wav);
  CHECK(warta::encode::containerNamed("bwf") == Container::Bwf);
  CHECK_FALSE(warta::encode::containerNamed("ogg"));
  CHECK_FALSE(warta::encode::containerNamed(""));
}

TEST_CASE("openWriter writes what outputFormat decided, whatever the case", "[encode][format]") {
  const fs::path dir = tempDir("output-format");
  OutputSettings s;
  s.sample_rate = 44100;
  s.channels = 1;
  struct Case {
    const char* name;
    Container container;
    const char* codec;
    bool bext;
  };
  for (const Case c :
       {Case{"a.Mp3", Container::Auto, "mp3float", false}, Case{"b.WAV", Container::Auto, "pcm_s16le", false},
        Case{"c.BWF", Container::Auto, "pcm_s16le", true}, Case{"d.wav", Container::Bwf, "pcm_s16le", true}}) {
    INFO(c.name);
    s.container = c.container;
    auto writer = warta::encode::openWriter(dir / c.name, s);
    writer->write(tone(440.0, 0.3, 44100, 1, 0.5));
    writer->finish();
    CHECK(decodeFile(dir / c.name).codec == c.codec);
    CHECK((readText(dir / c.name).find("bext") != std::string::npos) == c.bext);
  }
}

TEST_CASE("a date that is not a real one never reaches a tag", "[encode][format][date]") {
  const fs::path dir = tempDir("tag-date");
  OutputSettings s;
  s.channels = 1;
  for (const char* bad : {"2025-02-31", "2025-13-01", "2023-02-29", "31/12/2025"}) {
    INFO(bad);
    s.tags.date = bad;
    s.broadcast = {};
    CHECK_THROWS_WITH(warta::encode::Mp3Writer(dir / "a.mp3", s), Catch::Contains("real date"));
    CHECK_THROWS_WITH(warta::encode::WavWriter(dir / "a.wav", s), Catch::Contains("real date"));
    CHECK_THROWS_WITH(warta::encode::ChunkWriter(dir / "a.chunk", s, warta::encode::ChunkCodec::Pcm16),
                      Catch::Contains("real date"));
    s.tags.date = "2025-06-11";
    s.broadcast.origination_date = bad;
    CHECK_THROWS_WITH(warta::encode::WavWriter(dir / "b.wav", s, true), Catch::Contains("real date"));
  }
  CHECK_FALSE(fs::exists(dir / "a.mp3"));
  CHECK_FALSE(fs::exists(dir / "a.wav"));
  CHECK_FALSE(fs::exists(dir / "b.wav"));
  // 29 February of a leap year is a date; its TDRC reads back as written.
  s.tags.date = "2024-02-29";
  s.broadcast = {};
  warta::encode::Mp3Writer mp3(dir / "leap.mp3", s);
  mp3.write(tone(440.0, 0.3, 44100, 1, 0.5));
  mp3.finish();
  CHECK(ffprobeTags(dir / "leap.mp3").at("date") == "2024-02-29");
}
