#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "app/rundown.h"
#include "app/voice_loader.h"
#include "app/yaml_util.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::app::ConfigError;
using warta::app::loadRundown;

namespace {

// A scratch folder with an article and a jingle-named file so paths resolve.
fs::path scratch() {
  const fs::path dir = warta::test::tempDir("rundown-test");
  fs::create_directories(dir / "stories");
  std::ofstream(dir / "stories" / "satu.txt") << "Judul\n\nIsi berita.\n";
  std::ofstream(dir / "intro.flac") << "not really audio; the loader only checks it exists";
  return dir;
}

fs::path write(const fs::path& dir, const std::string& yaml) {
  const fs::path file = dir / "rundown.yaml";
  std::ofstream(file) << yaml;
  return file;
}

// The error message for `yaml`, which must be rejected.
std::string errorFor(const std::string& yaml) {
  const fs::path dir = scratch();
  try {
    loadRundown(write(dir, yaml));
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL("rundown was accepted:\n" << yaml);
  return {};
}

}  // namespace

TEST_CASE("loads a complete rundown with paths relative to it", "[rundown]") {
  const fs::path dir = scratch();
  const auto r = loadRundown(write(dir, R"(show: Kabar Pagi
date: 2025-06-11
voice: id
intro: intro.flac
output: { file: "{show}-{date}.mp3", bitrate: 96, channels: 1, sample_rate: 48000 }
stories:
  - stories/satu.txt
  - { file: stories/satu.txt, voice: id-f }
)"));
  CHECK(r.show == "Kabar Pagi");
  CHECK(r.date == "2025-06-11");
  REQUIRE(r.intro);
  CHECK(fs::equivalent(*r.intro, dir / "intro.flac"));
  CHECK_FALSE(r.outro);
  CHECK(r.output.bitrate_kbps == 96);
  CHECK(r.output.channels == 1);
  CHECK(r.output.sample_rate == 48000);
  REQUIRE(r.stories.size() == 2);
  CHECK(r.stories[0].voice.name == "id");
  CHECK(r.stories[1].voice.name == "id-f");
  CHECK(r.outputName() == "Kabar Pagi-2025-06-11.mp3");
  CHECK(r.output.tags.artist == "Kabar Pagi");
  CHECK(r.output.tags.date == "2025-06-11");
}

TEST_CASE("date defaults to today", "[rundown]") {
  const auto r = loadRundown(write(scratch(), "show: X\nstories: [stories/satu.txt]\n"));
  CHECK(r.date == warta::app::todayIso());
  CHECK(warta::app::isIsoDate(r.date));
}

TEST_CASE("rundown mistakes are reported with file, line and column", "[rundown]") {
  struct Case { const char* yaml; const char* position; const char* says; };
  const Case cases[] = {
      {"show: X\nstories: [stories/satu.txt]\njingle: a.flac\n", ":3:1:", "unknown key 'jingle'"},
      {"show: X\nstories:\n  - stories/dua.txt\n", ":3:5:", "does not exist"},
      {"show: X\nintro: nope.flac\nstories: [stories/satu.txt]\n", ":2:8:", "does not exist"},
      {"show: X\ndate: 2025-02-30\nstories: [stories/satu.txt]\n", ":2:7:", "real date"},
      {"show: X\nvoice: robot\nstories: [stories/satu.txt]\n", ":2:8:", "unknown voice 'robot'"},
      {"show: X\noutput: { bitrate: loud }\nstories: [stories/satu.txt]\n", ":2:20:", "whole number"},
      {"show: X\noutput: { channels: 6 }\nstories: [stories/satu.txt]\n", ":2:21:", "1 or 2"},
      {"show: X\noutput: { file: out.ogg }\nstories: [stories/satu.txt]\n", ":2:17:", ".mp3 or .wav"},
      {"show: X\nstories: []\n", ":2:10:", "non-empty list"},
      {"stories: [stories/satu.txt]\n", ":1:1:", "missing required key 'show'"},
      {"show: X\nstories:\n  - { file: stories/satu.txt, speed: 2 }\n", ":3:31:", "unknown key 'speed'"},
      {"show: [X\nstories: []\n", ":2:8:", "end of sequence"},  // YAML syntax error
  };
  for (const auto& c : cases) {
    INFO(c.yaml);
    const std::string message = errorFor(c.yaml);
    CHECK(message.find("rundown.yaml" + std::string(c.position)) != std::string::npos);
    CHECK(message.find(c.says) != std::string::npos);
  }
}

TEST_CASE("a voice profile's mistakes name the profile file and position", "[rundown]") {
  const fs::path dir = scratch();
  std::ofstream(dir / "slow.yaml") << "espeak_voice: id\nrate: 20\n";
  std::ofstream(dir / "typo.yaml") << "espeak_voice: id\npauses: { sentense: 0.3 }\n";
  try {
    warta::app::loadVoiceProfile(dir / "slow.yaml");
    FAIL("rate 20 accepted");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find("slow.yaml:1:1: invalid voice profile: rate") != std::string::npos);
  }
  try {
    warta::app::loadVoiceProfile(dir / "typo.yaml");
    FAIL("unknown pause kind accepted");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find("typo.yaml:2:11: unknown key 'sentense'") != std::string::npos);
  }
}

TEST_CASE("a story may name a voice profile by path relative to the rundown", "[rundown]") {
  const fs::path dir = scratch();
  std::ofstream(dir / "cepat.yaml") << "espeak_voice: id\nrate: 200\n";
  const auto r = loadRundown(write(dir, "show: X\nstories:\n  - { file: stories/satu.txt, voice: ./cepat.yaml }\n"));
  CHECK(r.stories[0].voice.rate_wpm == 200);
  CHECK(r.stories[0].voice.name == "cepat");
}
