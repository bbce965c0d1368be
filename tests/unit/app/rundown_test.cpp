// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <sys/stat.h>

#include "config/rundown.h"
#include "config/voice_loader.h"
#include "config/yaml_util.h"
#include "text/date.h"
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
  // Podcast artwork the loader refuses (publish/artwork.h judges it by content).
  warta::test::writeBytes(dir / "small.png", warta::test::makePng(1000, 1000));
  warta::test::writeBytes(dir / "wide.jpg", warta::test::makeJpeg(1600, 1400));
  warta::test::writeBytes(dir / "logo.png", "GIF89a\x78\x05\x78\x05");
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

TEST_CASE("reads loudness presets, levels, bed, overlap, cover and Broadcast WAV", "[rundown]") {
  const fs::path dir = scratch();
  auto load = [&](const std::string& extra) {
    return loadRundown(write(dir, "show: Kabar\nstation: Radio Warga\ndate: 2025-06-11\n" + extra +
                                      "stories: [stories/satu.txt, stories/satu.txt]\n"));
  };
  const auto plain = load("");
  CHECK(plain.loudness.name == "podcast");
  CHECK(plain.loudness.integrated == -16.0);
  CHECK(plain.loudness.true_peak == -1.0);
  CHECK_FALSE(plain.bed);
  const auto broadcast = load("loudness: broadcast\n");
  CHECK(broadcast.loudness.integrated == -23.0);
  CHECK(broadcast.loudness.true_peak == -1.0);
  const auto custom = load("loudness: { integrated: -18, true_peak: -1.5 }\nlevels: { jingles: -3, bed: -10 }\n");
  CHECK(custom.loudness.integrated == -18.0);
  CHECK(custom.loudness.true_peak == -1.5);
  CHECK(custom.jingle_level == -3.0);
  CHECK(custom.bed_level == -10.0);
  const auto bed =
      load("bed: { file: intro.flac, stories: [2], duck: 12, attack: 0.5, release: 1.5 }\nintro_overlap: 1.5\n");
  REQUIRE(bed.bed);
  CHECK(bed.bed->stories == std::vector<int>{1});
  CHECK(bed.bed->mix.duck_db == 12.0);
  CHECK(bed.bed->mix.attack == 0.5);
  CHECK(bed.bed->mix.release == 1.5);
  CHECK(bed.intro_overlap == 1.5);
  CHECK(load("bed: intro.flac\n").bed->stories.empty());
  const auto bwf = load("output: { file: \"{show}.wav\", format: bwf }\n");
  CHECK(bwf.output.container == warta::encode::Container::Bwf);
  CHECK(bwf.output.broadcast.originator == "Radio Warga");
  CHECK(bwf.output.broadcast.origination_date == "2025-06-11");
}

TEST_CASE("date defaults to today", "[rundown]") {
  const auto r = loadRundown(write(scratch(), "show: X\nstories: [stories/satu.txt]\n"));
  CHECK(r.date == warta::app::todayIso());
  CHECK(warta::text::parseIsoDate(r.date).has_value());
}

TEST_CASE("rundown mistakes are reported with file, line and column", "[rundown]") {
  struct Case {
    const char* yaml;
    const char* position;
    const char* says;
  };
  const Case cases[] = {
      {"show: X\nstories: [stories/satu.txt]\njingle: a.flac\n", ":3:1:", "unknown key 'jingle'"},
      {"show: X\nstories:\n  - stories/dua.txt\n", ":3:5:", "does not exist"},
      {"show: X\nintro: nope.flac\nstories: [stories/satu.txt]\n", ":2:8:", "does not exist"},
      {"show: X\ndate: 2025-02-30\nstories: [stories/satu.txt]\n", ":2:7:", "real date"},
      {"show: X\nvoice: robot\nstories: [stories/satu.txt]\n", ":2:8:", "unknown voice 'robot'"},
      {"show: X\noutput: { bitrate: loud }\nstories: [stories/satu.txt]\n", ":2:20:", "whole number"},
      {"show: X\noutput: { channels: 6 }\nstories: [stories/satu.txt]\n", ":2:21:", "1 or 2"},
      {"show: X\noutput: { file: out.ogg }\nstories: [stories/satu.txt]\n", ":2:17:", ".mp3, .wav or .bwf"},
      {"show: X\nstories: []\n", ":2:10:", "non-empty list"},
      {"stories: [stories/satu.txt]\n", ":1:1:", "missing required key 'show'"},
      {"show: X\nstories:\n  - { file: stories/satu.txt, speed: 2 }\n", ":3:31:", "unknown key 'speed'"},
      {"show: [X\nstories: []\n", ":2:8:", "end of sequence"},  // YAML syntax error
      {"show: X\nloudness: loud\nstories: [stories/satu.txt]\n", ":2:11:", "podcast, broadcast"},
      {"show: X\nloudness: { integrated: -3 }\nstories: [stories/satu.txt]\n", ":2:25:", "between -40 and -5 LUFS"},
      {"show: X\nloudness: { true_peak: 1 }\nstories: [stories/satu.txt]\n", ":2:24:", "between -9 and 0 dBTP"},
      {"show: X\nlevels: { voice: 0 }\nstories: [stories/satu.txt]\n", ":2:11:", "unknown key 'voice'"},
      {"show: X\nbed: nope.flac\nstories: [stories/satu.txt]\n", ":2:6:", "does not exist"},
      {"show: X\nbed: { file: intro.flac, stories: [2] }\nstories: [stories/satu.txt]\n",
       ":2:36:", "story 2 does not exist"},
      {"show: X\nbed: { file: intro.flac, duck: 90 }\nstories: [stories/satu.txt]\n", ":2:32:", "between 0 and 60 dB"},
      {"show: X\nintro_overlap: 9\nstories: [stories/satu.txt]\n", ":2:16:", "between 0 and 4 seconds"},
      {"show: X\ncover: cover.jpg\nstories: [stories/satu.txt]\n", ":2:8:", "does not exist"},
      {"show: X\noutput: { format: ogg }\nstories: [stories/satu.txt]\n", ":2:19:", "mp3, wav or bwf"},
      {"show: X\noutput: { format: bwf }\nstories: [stories/satu.txt]\n", ":2:19:", "ending in .wav or .bwf"},
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
    // At the value, not at the file's start.
    CHECK(std::string(e.what()).find("slow.yaml:2:7: invalid voice profile: rate") != std::string::npos);
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

TEST_CASE("reads the publish block with its defaults", "[rundown][publish]") {
  const fs::path dir = scratch();
  warta::test::writeBytes(dir / "art.png",
                          warta::test::makePng(1400, 1400));  // feed artwork: decoded, square, 1400-3000 px
  const auto plain = loadRundown(write(dir,
                                       "show: Kabar\nstation: Radio Warga\npublish: { base_url: https://x.id/pod }\n"
                                       "stories: [stories/satu.txt]\n"));
  REQUIRE(plain.publish);
  CHECK(plain.publish->base_url == "https://x.id/pod");
  CHECK(plain.publish->keep == 30);
  CHECK(plain.publish->category == "News");
  CHECK(plain.publish->description == "Kabar");
  CHECK(plain.publish->author == "Radio Warga");
  CHECK_FALSE(plain.publish->explicit_content);
  CHECK_FALSE(plain.publish->image);
  CHECK(plain.publish->feed.empty());
  CHECK(plain.output.cover_image.empty());

  const auto full = loadRundown(write(dir, R"(show: Kabar
publish:
  base_url: https://x.id/pod/
  keep: 5
  description: Berita pagi
  author: Tim Kabar
  email: redaksi@x.id
  category: Government
  image: art.png
  feed: public/podcast.xml
  explicit: true
stories: [stories/satu.txt]
)"));
  REQUIRE(full.publish);
  CHECK(full.publish->keep == 5);
  CHECK(full.publish->description == "Berita pagi");
  CHECK(full.publish->author == "Tim Kabar");
  CHECK(full.publish->email == "redaksi@x.id");
  CHECK(full.publish->category == "Government");
  REQUIRE(full.publish->image);
  CHECK(fs::equivalent(*full.publish->image, dir / "art.png"));
  CHECK(full.publish->feed == dir / "public" / "podcast.xml");
  CHECK(full.publish->explicit_content);
  CHECK(fs::equivalent(full.output.cover_image, dir / "art.png"));  // the image is the cover when `cover:` is not set

  warta::test::writeBytes(dir / "cover.jpg", warta::test::makeJpeg(8, 8));
  const auto both = loadRundown(write(dir,
                                      "show: K\ncover: cover.jpg\npublish: { base_url: u, image: art.png }\n"
                                      "stories: [stories/satu.txt]\n"));
  CHECK(fs::equivalent(both.output.cover_image, dir / "cover.jpg"));
}

TEST_CASE("publish block mistakes are reported with file, line and column", "[rundown][publish]") {
  const std::string head = "show: K\nstories: [stories/satu.txt]\n";
  struct Case {
    std::string yaml;
    const char* position;
    const char* says;
  } cases[] = {
      {head + "publish: { keep: 3 }\n", ":3:10:", "needs 'base_url'"},
      {head + "publish: { base_url: u, kep: 3 }\n", ":3:", "unknown key 'kep'"},
      {head + "publish: { base_url: u, keep: many }\n", ":3:31:", "keep"},
      {head + "publish: { base_url: u, keep: 0 }\n", ":3:31:", "at least 1"},
      {head + "publish: { base_url: u, explicit: maybe }\n", ":3:35:", "explicit"},
      {head + "publish: { base_url: u, image: nope.png }\n", ":3:32:", "does not exist"},
      {head + "publish: { base_url: u, image: small.png }\n", ":3:32:", "small.png: 1000x1000 pixels, too small"},
      {head + "publish: { base_url: u, image: wide.jpg }\n", ":3:32:", "wide.jpg: 1600x1400 pixels, not square"},
      {head + "publish:\n  base_url: u\n  image: logo.png\n", ":5:10:", "logo.png: a GIF image"},
      {head + "publish: [base_url]\n", ":3:10:", "'publish'"},
      {head + "output: { file: x.wav }\npublish: { base_url: u }\n", ":4:10:", "needs MP3 output"},
  };
  for (const auto& c : cases) {
    const std::string message = errorFor(c.yaml);
    INFO(c.yaml << "\n-> " << message);
    CHECK(message.find("rundown.yaml" + std::string(c.position)) != std::string::npos);
    CHECK(message.find(c.says) != std::string::npos);
  }
}

TEST_CASE("numbers must be finite: .nan and .inf are mistakes at their position", "[rundown][strict]") {
  const std::string head = "show: K\nstories: [stories/satu.txt]\n";
  struct Case {
    std::string yaml;
    const char* position;
  } cases[] = {
      {head + "loudness: { integrated: .nan }\n", ":3:25:"},
      {head + "loudness: { integrated: -16, true_peak: -.inf }\n", ":3:41:"},
      {head + "levels: { jingles: .NaN }\n", ":3:20:"},
      {head + "levels: { bed: .inf }\n", ":3:16:"},
      {head + "bed: { file: intro.flac, duck: .nan }\n", ":3:32:"},
      {head + "bed: { file: intro.flac, attack: .nan }\n", ":3:34:"},
      {head + "bed: { file: intro.flac, release: .inf }\n", ":3:35:"},
      {head + "intro_overlap: .nan\n", ":3:16:"},
  };
  for (const auto& c : cases) {
    const std::string message = errorFor(c.yaml);
    INFO(c.yaml << "\n-> " << message);
    CHECK(message.find("rundown.yaml" + std::string(c.position)) != std::string::npos);
    CHECK(message.find("must be a finite number") != std::string::npos);
  }
}

TEST_CASE("a duplicate key is a mistake naming both places, at any depth", "[rundown][strict]") {
  const std::string second_stories =
      "show: K\nstories: [stories/satu.txt]\nstories: [stories/satu.txt, stories/satu.txt]\n";
  std::string message = errorFor(second_stories);
  CHECK(message.find("rundown.yaml:3:1: duplicate key 'stories' (first given at line 2, column 1)") !=
        std::string::npos);
  message = errorFor("show: K\nbed:\n  file: intro.flac\n  duck: 6\n  duck: 12\nstories: [stories/satu.txt]\n");
  CHECK(message.find("rundown.yaml:5:3: duplicate key 'duck' (first given at line 4, column 3)") != std::string::npos);
  message = errorFor("show: K\nstories:\n  - { file: stories/satu.txt, file: stories/dua.txt }\n");
  CHECK(message.find("rundown.yaml:3:31: duplicate key 'file'") != std::string::npos);
}

TEST_CASE("limits that would fail after rendering are checked when the rundown is loaded", "[rundown][strict]") {
  std::string many = "show: K\nstories:\n";
  for (std::size_t i = 0; i < warta::app::kMaxStories; ++i) many += "  - stories/satu.txt\n";
  CHECK(loadRundown(write(scratch(), many)).stories.size() == 254);  // the limit itself is fine
  const std::string message = errorFor(many + "  - stories/satu.txt\n");
  CHECK(message.find("rundown.yaml:3:3: 'stories' lists 255 stories; at most 254") != std::string::npos);

  const std::string show(warta::app::kMaxOutputNameBytes - 15, 'k');  // "-2025-06-11.mp3" is 15 bytes
  CHECK(loadRundown(write(scratch(), "show: " + show + "\ndate: 2025-06-11\nstories: [stories/satu.txt]\n"))
            .outputName()
            .size() == warta::app::kMaxOutputNameBytes);
  const std::string too_long = errorFor("show: " + show + "k\ndate: 2025-06-11\nstories: [stories/satu.txt]\n");
  CHECK(too_long.find("rundown.yaml:1:7: the output file name is 214 bytes") != std::string::npos);
  CHECK(too_long.find("shorten 'show'") != std::string::npos);
  const std::string from_file =
      errorFor("show: K\noutput: { file: " + std::string(220, 'x') + ".mp3 }\nstories: [stories/satu.txt]\n");
  CHECK(from_file.find("rundown.yaml:2:17: the output file name is 224 bytes") != std::string::npos);
}

TEST_CASE("a story that is a folder or a named pipe is refused saying what it is", "[rundown][strict]") {
  const fs::path dir = scratch();
  fs::create_directories(dir / "folder.txt");
  REQUIRE(::mkfifo((dir / "pipe.txt").c_str(), 0600) == 0);
  const auto messageFor = [&](const std::string& story) {
    try {
      loadRundown(write(dir, "show: K\nstories: [" + story + "]\n"));
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string folder = messageFor("folder.txt");
  CHECK(folder.find("rundown.yaml:2:11: 'stories': ") != std::string::npos);
  CHECK(folder.find("folder.txt is a folder, not a regular file") != std::string::npos);
  const std::string pipe = messageFor("pipe.txt");  // must not hang: a FIFO is never opened
  CHECK(pipe.find("pipe.txt is a named pipe (FIFO), not a regular file") != std::string::npos);
  CHECK(messageFor("gone.txt").find("does not exist") != std::string::npos);
}

TEST_CASE("covers are checked whole when the rundown is loaded: type, size and the whole picture",
          "[rundown][strict]") {
  const fs::path dir = scratch();
  const auto messageFor = [&](const std::string& name, const std::string& bytes) {
    warta::test::writeBytes(dir / name, bytes);
    try {
      loadRundown(write(dir, "show: K\ncover: " + name + "\nstories: [stories/satu.txt]\n"));
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(messageFor("ok.png", warta::test::makePng(16, 16)) == "accepted");
  CHECK(messageFor("ok.jpg", warta::test::makeJpeg(16, 16)) == "accepted");
  const std::string png = warta::test::makePng(16, 16);
  // The signature and IHDR (33 bytes), no picture data.
  std::string message = messageFor("header.png", png.substr(0, 33));
  CHECK(message.find("rundown.yaml:2:8: 'cover': cover image " + (dir / "header.png").string() + ": ") !=
        std::string::npos);
  CHECK(message.find("ends before its IEND chunk (cut off?)") != std::string::npos);
  // A bomb: IHDR claims 60000 x 60000 pixels.
  std::string bomb = png;
  bomb.replace(16, 8, std::string("\x00\x00\xea\x60\x00\x00\xea\x60", 8));
  message = messageFor("bomb.png", bomb);
  CHECK(message.find("bomb.png: 60000x60000 pixels; at most 3000x3000") != std::string::npos);
  // Starts like a JPEG, with a frame header, but nothing decodable follows.
  message = messageFor(
      "fake.jpg", std::string("\xFF\xD8\xFF\xC0\x00\x11\x08\x00\x10\x00\x10\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
                              "garbage garbage garbage",
                              44));
  CHECK(message.find("fake.jpg: ") != std::string::npos);
  CHECK(message.find("rundown.yaml:2:8:") != std::string::npos);
  message = messageFor("big.png", std::string((4 << 20) + 1, 'x'));  // over kMaxCoverBytes (4 MiB)
  CHECK(message.find("big.png: ") != std::string::npos);
  CHECK(message.find("more than the 4 MiB a cover may be") != std::string::npos);
}

TEST_CASE("the rundown's date is a real calendar date, or an error at its line and column", "[rundown][date]") {
  for (const char* bad :
       {"2025-02-31", "2025-13-01", "2023-02-29", "2025-04-31", "2025-00-10", "2025-6-1", "11/06/2025"}) {
    INFO(bad);
    const std::string message = errorFor(std::string("show: X\ndate: ") + bad + "\nstories: [stories/satu.txt]\n");
    CHECK(message.find("rundown.yaml:2:7:") != std::string::npos);
    CHECK(message.find("real date written YYYY-MM-DD") != std::string::npos);
  }
  const auto leap = loadRundown(write(scratch(), "show: X\ndate: 2024-02-29\nstories: [stories/satu.txt]\n"));
  CHECK(leap.date == "2024-02-29");
  CHECK(leap.output.tags.date == "2024-02-29");
  CHECK(leap.output.broadcast.origination_date == "2024-02-29");
}

TEST_CASE("output extensions are matched without regard to case, and format: must agree", "[rundown][format]") {
  const fs::path dir = scratch();
  const auto load = [&](const std::string& output) {
    return loadRundown(write(dir, "show: X\ndate: 2025-06-11\noutput: " + output + "\nstories: [stories/satu.txt]\n"));
  };
  // Accepted: upper and mixed case, with and without a matching format.
  CHECK(load("{ file: X.MP3 }").outputName() == "X.MP3");
  CHECK(load("{ file: X.MP3, format: mp3 }").output.container == warta::encode::Container::Mp3);
  CHECK(load("{ file: X.Mp3, format: mp3 }").output.container == warta::encode::Container::Mp3);
  CHECK(load("{ file: X.WAV, format: wav }").output.container == warta::encode::Container::Wav);
  CHECK(load("{ file: X.BWF }").output.container == warta::encode::Container::Auto);
  CHECK(load("{ file: X.wav, format: bwf }").output.container == warta::encode::Container::Bwf);
  CHECK(load("{ file: \"{show}.Bwf\", format: bwf }").outputName() == "X.Bwf");
  // Refused, at the key that is wrong.
  struct Case {
    const char* yaml;
    const char* position;
    const char* says;
  };
  const Case cases[] = {
      {"show: X\noutput: { file: X.WAV, format: mp3 }\nstories: [stories/satu.txt]\n", ":2:32:", "ending in .mp3"},
      {"show: X\noutput: { file: X.MP3, format: wav }\nstories: [stories/satu.txt]\n",
       ":2:32:", "ending in .wav or .bwf"},
      {"show: X\noutput: { file: X.Mp3, format: bwf }\nstories: [stories/satu.txt]\n",
       ":2:32:", "ending in .wav or .bwf"},
      {"show: X\noutput: { file: X.OGG }\nstories: [stories/satu.txt]\n", ":2:17:", ".mp3, .wav or .bwf"},
      {"show: X\noutput: { file: X }\nstories: [stories/satu.txt]\n", ":2:17:", "no extension"},
      {"show: X\noutput: { file: X.WAV }\npublish: { base_url: u }\nstories: [stories/satu.txt]\n",
       ":3:10:", "needs MP3 output"},
  };
  for (const auto& c : cases) {
    INFO(c.yaml);
    const std::string message = errorFor(c.yaml);
    CHECK(message.find("rundown.yaml" + std::string(c.position)) != std::string::npos);
    CHECK(message.find(c.says) != std::string::npos);
  }
  // A podcast from an upper-case .MP3 is an MP3 and may be published.
  CHECK(load("{ file: X.MP3 }\npublish: { base_url: u }").publish.has_value());
}

TEST_CASE("the file-name template is filled once, left to right", "[rundown][template]") {
  const fs::path dir = scratch();
  // A show whose name holds "{date}" keeps it: a filled-in value is never filled again.
  const auto r =
      loadRundown(write(dir,
                        "show: \"A {date}\"\ndate: 2025-06-11\noutput: { file: \"{show}_{date}_{other}.mp3\" }\n"
                        "stories: [stories/satu.txt]\n"));
  CHECK(r.outputName() == "A {date}_2025-06-11_{other}.mp3");
}

TEST_CASE("feed, wordpress and url stories become source items beside files", "[rundown][sources]") {
  const fs::path dir = scratch();
  std::ofstream(dir / "mitra.xml") << "<rss/>";
  const auto r =
      loadRundown(write(dir,
                        "show: X\nskip_aired: 3\nstories:\n"
                        "  - { feed: https://kabar.example/feed/, take: 4, since: 24h, match: \"Blitar|Kediri\" }\n"
                        "  - stories/satu.txt\n"
                        "  - { feed: mitra.xml }\n"
                        "  - { wordpress: https://mitra.example, category: daerah, search: banjir, take: 2 }\n"
                        "  - { url: http://kabar.example/a }\n"));
  using Kind = warta::sources::SourceSpec::Kind;
  CHECK(r.skip_aired == 3);
  REQUIRE(r.stories.size() == 5);
  REQUIRE(r.stories[0].source);
  CHECK(r.stories[0].source->kind == Kind::Feed);
  CHECK(r.stories[0].source->location == "https://kabar.example/feed/");
  CHECK(r.stories[0].source->take == 4);
  CHECK(r.stories[0].source->since_seconds == 86400);
  CHECK(r.stories[0].source->match == "Blitar|Kediri");
  CHECK(r.stories[0].source->where.find("rundown.yaml:4:5") != std::string::npos);
  CHECK_FALSE(r.stories[1].source);
  CHECK(r.stories[1].file == dir / "stories" / "satu.txt");
  CHECK(r.stories[2].source->location == (dir / "mitra.xml").string());  // a feed file, resolved
  CHECK(r.stories[3].source->kind == Kind::WordPress);
  CHECK(r.stories[3].source->category == "daerah");
  CHECK(r.stories[3].source->search == "banjir");
  CHECK(r.stories[3].source->take == 2);
  CHECK(r.stories[4].source->kind == Kind::Page);
  CHECK_THROWS_WITH(loadRundown(write(dir, "show: X\nstories:\n  - { feed: nowhere.xml }\n")),
                    Catch::Contains("rundown.yaml:3:13:"));
  CHECK_THROWS_WITH(
      loadRundown(write(dir, "show: X\nstories:\n  - { url: http://a.example, feed: http://b.example }\n")),
      Catch::Contains("one of 'feed', 'wordpress' or 'url', not several"));
  CHECK_THROWS_WITH(loadRundown(write(dir, "show: X\nskip_aired: 99\nstories: [stories/satu.txt]\n")),
                    Catch::Contains("rundown.yaml:2:13: 'skip_aired' must be a number of bulletins from 0 to 50"));
}
