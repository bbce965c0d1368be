// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "encode/writer.h"
#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::audio::Audio;
using warta::audio::AudioError;
using warta::encode::Mp3Writer;
using warta::encode::OutputSettings;
using namespace warta::test;

namespace {

OutputSettings settings(int rate = 44100, int channels = 2, int kbps = 128) {
  OutputSettings s;
  s.sample_rate = rate;
  s.channels = channels;
  s.bitrate_kbps = kbps;
  s.tags = {"Kabar Pagi 2025-06-11", "Radio Komunitas", "Kabar Pagi", "2025-06-11", "News", "dibuat oleh warta"};
  return s;
}

// Writes `audio` in chunks of the given frame counts, cycling through them.
void writeChunked(warta::audio::AudioSink& sink, const Audio& audio, std::initializer_list<std::size_t> sizes) {
  const auto width = static_cast<std::size_t>(audio.channels);
  std::size_t at = 0;
  for (auto size = sizes.begin(); at < audio.frames();
       size = std::next(size) == sizes.end() ? sizes.begin() : std::next(size)) {
    const std::size_t n = std::min(*size, audio.frames() - at);
    Audio chunk;
    chunk.sample_rate = audio.sample_rate;
    chunk.channels = audio.channels;
    chunk.samples.assign(audio.samples.begin() + static_cast<long>(at * width),
                         audio.samples.begin() + static_cast<long>((at + n) * width));
    sink.write(chunk);
    at += n;
  }
}

}  // namespace

TEST_CASE("an MP3 of a 3 s tone decodes to 3 s of that tone", "[encode][mp3]") {
  const fs::path dir = tempDir("mp3-tone");
  const Audio in = tone(440.0, 3.0, 44100, 2, 0.5);
  Mp3Writer writer(dir / "tone.mp3", settings());
  writer.write(in);
  writer.finish();

  const Decoded out = decodeFile(dir / "tone.mp3");
  CHECK(out.codec.rfind("mp3", 0) == 0);
  CHECK(out.audio.sample_rate == 44100);
  CHECK(out.audio.channels == 2);
  INFO("decoded " << out.audio.frames() << " frames (" << out.audio.seconds() << " s), container says "
                  << out.container_seconds << " s");
  CHECK(std::abs(out.audio.seconds() - 3.0) < 0.030);
  CHECK(rmsDb(out.audio, 0.2, 2.8) == Approx(rmsDb(in, 0.2, 2.8)).margin(1.0));
  // CBR at 128 kb/s: about 48 kB of audio plus the ID3 tag and the LAME frame.
  const auto size = static_cast<double>(fs::file_size(dir / "tone.mp3"));
  CHECK(size > 0.95 * 48000);
  CHECK(size < 1.05 * 48000 + 2000);
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("an MP3 carries its tags as ID3v2", "[encode][mp3]") {
  const fs::path dir = tempDir("mp3-tags");
  Mp3Writer writer(dir / "tags.mp3", settings());
  writer.write(tone(440.0, 0.5, 44100, 2, 0.5));
  writer.finish();
  const auto tags = readTags(dir / "tags.mp3");
  CHECK(tags.at("title") == "Kabar Pagi 2025-06-11");
  CHECK(tags.at("artist") == "Radio Komunitas");
  CHECK(tags.at("album") == "Kabar Pagi");
  CHECK(tags.at("date") == "2025-06-11");
  CHECK(tags.at("genre") == "News");
  CHECK(tags.at("comment") == "dibuat oleh warta");
  // Version 4 (the header's major version byte), so text is UTF-8 and the date is TDRC.
  const std::string bytes = readText(dir / "tags.mp3");
  REQUIRE(bytes.size() > 10);
  CHECK(bytes.substr(0, 3) == "ID3");
  CHECK(bytes[3] == 4);
  CHECK(bytes.find("TDRC") != std::string::npos);
}

TEST_CASE("non-ASCII tags survive", "[encode][mp3]") {
  const fs::path dir = tempDir("mp3-utf8");
  OutputSettings s = settings();
  s.tags.title = "Kabar Pagi \xe2\x80\x93 Edisi Khusus";  // en dash
  Mp3Writer writer(dir / "utf8.mp3", s);
  writer.write(tone(440.0, 0.2, 44100, 2, 0.5));
  writer.finish();
  CHECK(readTags(dir / "utf8.mp3").at("title") == s.tags.title);
}

TEST_CASE("writing in many odd-sized chunks gives the same audio as one chunk", "[encode][mp3]") {
  const fs::path dir = tempDir("mp3-chunks");
  const Audio in = tone(440.0, 3.0, 44100, 2, 0.5);
  {
    Mp3Writer whole(dir / "whole.mp3", settings());
    whole.write(in);
    whole.finish();
  }
  {
    Mp3Writer pieces(dir / "pieces.mp3", settings());
    writeChunked(pieces, in, {1, 577, 1151, 1152, 1153, 3, 4099});
    pieces.finish();
  }
  const Decoded whole = decodeFile(dir / "whole.mp3");
  const Decoded pieces = decodeFile(dir / "pieces.mp3");
  CHECK(pieces.audio.frames() == whole.audio.frames());
  CHECK(std::abs(pieces.audio.seconds() - 3.0) < 0.030);
  // Same encoder input, so the same encoded stream.
  CHECK(pieces.audio.samples == whole.audio.samples);
}

TEST_CASE("MP3 duration is right for every output format", "[encode][mp3]") {
  struct Case {
    int rate, channels, kbps;
    double seconds;
  };
  const Case cases[] = {
      {44100, 1, 96, 2.5}, {48000, 2, 192, 1.0}, {22050, 1, 64, 1.7}, {32000, 2, 128, 0.05}, {44100, 2, 128, 10.0},
  };
  const fs::path dir = tempDir("mp3-formats");
  for (const auto& c : cases) {
    INFO(c.rate << " Hz x" << c.channels << " at " << c.kbps << " kb/s, " << c.seconds << " s");
    const fs::path file = dir / ("out-" + std::to_string(c.rate) + "-" + std::to_string(c.channels) + ".mp3");
    const Audio in = tone(1000.0, c.seconds, c.rate, c.channels, 0.3);
    Mp3Writer writer(file, settings(c.rate, c.channels, c.kbps));
    writer.write(in);
    writer.finish();
    const Decoded out = decodeFile(file);
    CHECK(out.audio.sample_rate == c.rate);
    CHECK(out.audio.channels == c.channels);
    INFO("decoded " << out.audio.frames() << " frames, wrote " << in.frames());
    CHECK(std::abs(out.audio.seconds() - c.seconds) < 0.030);
  }
}

TEST_CASE("an MP3 writer destroyed without finish leaves no file and an existing one untouched", "[encode][mp3]") {
  const fs::path dir = tempDir("mp3-abandon");
  std::ofstream(dir / "kept.mp3") << "yesterday's bulletin";
  {
    Mp3Writer writer(dir / "kept.mp3", settings());
    writer.write(tone(440.0, 1.0, 44100, 2, 0.5));
    Mp3Writer fresh(dir / "new.mp3", settings());
    fresh.write(tone(440.0, 1.0, 44100, 2, 0.5));
  }
  CHECK(readText(dir / "kept.mp3") == "yesterday's bulletin");
  CHECK_FALSE(fs::exists(dir / "new.mp3"));
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("a chunk in the wrong format is refused and the output is not written", "[encode][mp3]") {
  const fs::path dir = tempDir("mp3-wrong-format");
  std::ofstream(dir / "out.mp3") << "keep";
  struct Case {
    int rate, channels;
  };
  for (const Case c : {Case{48000, 2}, Case{44100, 1}, Case{22050, 1}}) {
    INFO(c.rate << " Hz x" << c.channels);
    {
      Mp3Writer writer(dir / "out.mp3", settings(44100, 2));
      writer.write(tone(440.0, 0.1, 44100, 2, 0.5));
      try {
        writer.write(tone(440.0, 0.1, c.rate, c.channels, 0.5));
        FAIL("accepted a " << c.rate << " Hz chunk");
      } catch (const AudioError& e) {
        const std::string message = e.what();
        CHECK(message.find("out.mp3") != std::string::npos);
        CHECK(message.find(std::to_string(c.rate)) != std::string::npos);
      }
    }
    CHECK(readText(dir / "out.mp3") == "keep");
    CHECK(leftoverTemps(dir).empty());
  }
}

TEST_CASE("impossible MP3 settings are refused up front", "[encode][mp3]") {
  const fs::path dir = tempDir("mp3-settings");
  CHECK_THROWS_AS(Mp3Writer(dir / "a.mp3", settings(44100, 3)), AudioError);
  CHECK_THROWS_AS(Mp3Writer(dir / "a.mp3", settings(44100, 2, 0)), AudioError);
  try {
    Mp3Writer(dir / "a.mp3", settings(44123, 2));
    FAIL("accepted 44123 Hz");
  } catch (const AudioError& e) {  // the message says which rates MP3 can be
    CHECK(std::string(e.what()).find("44123 Hz") != std::string::npos);
    CHECK(std::string(e.what()).find("22050") != std::string::npos);
  }
  CHECK_THROWS_AS(Mp3Writer(dir / "missing" / "a.mp3", settings()), AudioError);
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 0);
}

TEST_CASE("MP3 samples beyond full scale are clamped rather than wrapped", "[encode][mp3]") {
  const fs::path dir = tempDir("mp3-clamp");
  Mp3Writer writer(dir / "loud.mp3", settings());
  writer.write(tone(440.0, 1.0, 44100, 2, 3.0));  // a square-ish wave once clamped
  writer.finish();
  const Decoded out = decodeFile(dir / "loud.mp3");
  // A clamped sine at 3x full scale is nearly a full-scale square: about 0 dBFS RMS.
  CHECK(rmsDb(out.audio, 0.2, 0.8) > -1.5);
  CHECK(rmsDb(out.audio, 0.2, 0.8) < 0.5);
}

TEST_CASE("finishing an MP3 with no audio is an error and writes nothing", "[encode][mp3]") {
  const fs::path dir = tempDir("mp3-empty");
  {
    Mp3Writer writer(dir / "empty.mp3", settings());
    try {
      writer.finish();
      FAIL("finished an empty MP3");
    } catch (const AudioError& e) {
      CHECK(std::string(e.what()).find("empty.mp3") != std::string::npos);
    }
  }
  CHECK_FALSE(fs::exists(dir / "empty.mp3"));
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("encoding and abandoning an MP3 print nothing to stderr", "[encode][mp3]") {
  // FFmpeg would log "frames left in the queue" for an abandoned encoder;
  // warta reports by exception only, so stderr must stay clean for the CLI.
  const fs::path dir = tempDir("mp3-quiet");
  const fs::path captured = dir / "stderr.txt";
  std::fflush(stderr);
  const int saved = ::dup(2);
  REQUIRE(saved >= 0);
  FILE* sink = std::fopen(captured.c_str(), "w");
  REQUIRE(sink);
  ::dup2(::fileno(sink), 2);
  {
    Mp3Writer abandoned(dir / "a.mp3", settings(22050, 1, 64));
    abandoned.write(tone(440.0, 1.0, 22050, 1, 0.5));
    Mp3Writer finished(dir / "b.mp3", settings(22050, 1, 64));
    finished.write(tone(440.0, 1.0, 22050, 1, 0.5));
    finished.finish();
    try {
      Mp3Writer(dir / "c.mp3", settings(44123, 2));
    } catch (const AudioError&) {
    }
    decodeFile(dir / "b.mp3");
  }
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::fclose(sink);
  CHECK(readText(captured).empty());
}
