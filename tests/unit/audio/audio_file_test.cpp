// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "audio/audio_file.h"
#include "audio/sndfile_handle.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::audio::Audio;
using warta::audio::AudioError;
using warta::audio::readAudioFile;
using warta::test::tempDir;
using warta::test::tone;

namespace {

// Writes `audio` with libsndfile in `format` (independently of warta's writers).
void writeWithSndfile(const fs::path& path, const Audio& audio, int format) {
  SF_INFO info{};
  info.samplerate = audio.sample_rate;
  info.channels = audio.channels;
  info.format = format;
  warta::audio::Sndfile file(sf_open(path.c_str(), SFM_WRITE, &info));
  REQUIRE(file);
  REQUIRE(sf_writef_float(file.get(), audio.samples.data(), static_cast<sf_count_t>(audio.frames())) ==
          static_cast<sf_count_t>(audio.frames()));
}

std::string messageOf(const fs::path& path) {
  try {
    readAudioFile(path);
  } catch (const AudioError& e) {
    return e.what();
  }
  FAIL("readAudioFile accepted " << path);
  return {};
}

}  // namespace

TEST_CASE("readAudioFile decodes WAV and FLAC at their own rate and channel count", "[audio][file]") {
  struct Case {
    const char* name;
    int format;
    int rate;
    int channels;
  };
  const Case cases[] = {
      {"mono.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 22050, 1},
      {"stereo.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, 2},
      {"float.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 2},
      {"mono.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 1},
      {"stereo.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 48000, 2},
  };
  const fs::path dir = tempDir("audio-read");
  for (const auto& c : cases) {
    INFO(c.name);
    const Audio original = tone(440.0, 1.25, c.rate, c.channels, 0.5);
    writeWithSndfile(dir / c.name, original, c.format);
    const Audio read = readAudioFile(dir / c.name);
    CHECK(read.sample_rate == c.rate);
    CHECK(read.channels == c.channels);
    REQUIRE(read.frames() == original.frames());
    float worst = 0;
    for (std::size_t i = 0; i < read.samples.size(); ++i)
      worst = std::max(worst, std::fabs(read.samples[i] - original.samples[i]));
    CHECK(worst < 2.0f / 32768);  // 16-bit quantisation at worst
  }
}

TEST_CASE("readAudioFile names the file and libsndfile's reason when it cannot read it", "[audio][file]") {
  const fs::path dir = tempDir("audio-read-errors");

  SECTION("missing file") {
    const std::string message = messageOf(dir / "absent.flac");
    CHECK(message.find((dir / "absent.flac").string()) != std::string::npos);
    CHECK(message.find("No such file") != std::string::npos);
  }
  SECTION("random bytes") {
    std::mt19937 random(7);
    std::string noise(20000, '\0');
    for (char& c : noise) c = static_cast<char>(random() & 0xff);
    warta::test::writeBytes(dir / "noise.flac", noise);
    const std::string message = messageOf(dir / "noise.flac");
    CHECK(message.find((dir / "noise.flac").string()) != std::string::npos);
    CHECK(message.size() > (dir / "noise.flac").string().size() + 5);  // a reason follows the name
  }
  SECTION("text file") {
    warta::test::writeBytes(dir / "notes.wav", "these are not samples\n");
    CHECK(messageOf(dir / "notes.wav").find("notes.wav") != std::string::npos);
  }
  SECTION("a valid file with no frames") {
    writeWithSndfile(dir / "empty.wav", Audio::silence(0.0, 44100, 2), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const std::string message = messageOf(dir / "empty.wav");
    CHECK(message.find("empty.wav") != std::string::npos);
    CHECK(message.find("no audio") != std::string::npos);
  }
}

TEST_CASE("a jingle cut short, with NaN or infinite samples, or at 1 Hz is an error naming the file",
          "[audio][file][strict]") {
  const fs::path dir = tempDir("audio-strict");
  // FLAC states its length in STREAMINFO: a file cut in half decodes short.
  const Audio jingle = tone(440.0, 2.0, 44100, 2, 0.5);
  writeWithSndfile(dir / "whole.flac", jingle, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  CHECK(readAudioFile(dir / "whole.flac").frames() == jingle.frames());
  const std::string whole = warta::test::readText(dir / "whole.flac");
  warta::test::writeBytes(dir / "cut.flac", whole.substr(0, whole.size() / 2));
  std::string message = messageOf(dir / "cut.flac");
  CHECK(message.rfind((dir / "cut.flac").string() + ": ", 0) == 0);
  CHECK(message.find("cut short") != std::string::npos);

  for (const float bad : {std::nanf(""), INFINITY, -INFINITY}) {
    Audio poisoned = tone(440.0, 0.5, 48000, 1, 0.5);
    poisoned.samples[1000] = bad;
    writeWithSndfile(dir / "poisoned.wav", poisoned, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    message = messageOf(dir / "poisoned.wav");
    CHECK(message.rfind((dir / "poisoned.wav").string() + ": sample 1000 ", 0) == 0);
    CHECK(message.find("not a number") != std::string::npos);
  }

  writeWithSndfile(dir / "one-hertz.wav", tone(0.1, 5.0, 1, 1, 0.5), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  message = messageOf(dir / "one-hertz.wav");
  CHECK(message.rfind((dir / "one-hertz.wav").string() + ": invalid audio format (1 Hz", 0) == 0);
}
