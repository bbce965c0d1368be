// SPDX-License-Identifier: GPL-3.0-or-later
// Broadcast WAV (bext chunk) through WavWriter and openWriter, read back with
// libsndfile's SFC_GET_BROADCAST_INFO.
#include <catch2/catch.hpp>

#include <sndfile.h>

#include <cstring>
#include <fstream>
#include <optional>

#include "audio/sndfile_handle.h"
#include "encode/writer.h"
#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::audio::Audio;
using warta::audio::AudioError;
using warta::encode::Container;
using warta::encode::OutputSettings;
using warta::encode::WavWriter;
using namespace warta::test;

namespace {

OutputSettings settings() {
  OutputSettings s;
  s.sample_rate = 48000;
  s.channels = 2;
  s.tags = {"Kabar Pagi 2025-06-11", "Radio Komunitas", "Kabar Pagi", "2025-06-11", "News", "dibuat oleh warta"};
  return s;
}

// A fixed-width bext field as a string (NUL-padded, maybe not NUL-terminated).
template <std::size_t N>
std::string field(const char (&f)[N]) {
  return std::string(f, strnlen(f, N));
}

// The bext chunk, or nothing for a file without one.
std::optional<SF_BROADCAST_INFO> readBext(const fs::path& file) {
  SF_INFO info{};
  warta::audio::Sndfile sf(sf_open(file.c_str(), SFM_READ, &info));
  if (!sf) throw AudioError(file.string() + ": " + sf_strerror(nullptr));
  SF_BROADCAST_INFO bext;
  std::memset(&bext, 0, sizeof bext);
  if (sf_command(sf.get(), SFC_GET_BROADCAST_INFO, &bext, sizeof bext) != SF_TRUE) return std::nullopt;
  return bext;
}

void writeTone(warta::audio::AudioSink& sink, double seconds = 0.5) {
  sink.write(tone(440.0, seconds, 48000, 2, 0.4));
  sink.finish();
}

bool validUtf8Prefix(const std::string& cut, const std::string& whole) {
  if (whole.compare(0, cut.size(), cut) != 0) return false;
  return cut.size() == whole.size() || (static_cast<unsigned char>(whole[cut.size()]) & 0xC0) != 0x80;
}

}  // namespace

TEST_CASE("a Broadcast WAV's bext chunk reads back through libsndfile", "[encode][wav][bwf]") {
  const fs::path dir = tempDir("bwf-bext");
  OutputSettings s = settings();
  s.broadcast.description = "Kabar Pagi, edisi 11 Juni 2025";
  s.broadcast.originator = "Radio Komunitas";
  s.broadcast.originator_reference = "KP-20250611-0600";
  s.broadcast.origination_date = "2025-06-11";
  s.broadcast.origination_time = "06:00:00";
  s.broadcast.time_reference = 0;
  WavWriter writer(dir / "kp.wav", s, true);
  const Audio in = tone(440.0, 1.5, 48000, 2, 0.4);
  writer.write(in);
  writer.finish();

  const auto bext = readBext(dir / "kp.wav");
  REQUIRE(bext);
  CHECK(field(bext->description) == "Kabar Pagi, edisi 11 Juni 2025");
  CHECK(field(bext->originator) == "Radio Komunitas");
  CHECK(field(bext->originator_reference) == "KP-20250611-0600");
  CHECK(field(bext->origination_date) == "2025-06-11");
  CHECK(field(bext->origination_time) == "06:00:00");
  CHECK(bext->time_reference_low == 0);
  CHECK(bext->time_reference_high == 0);

  // Still a WAV every reader plays, with its samples and tags.
  const Decoded out = decodeFile(dir / "kp.wav");
  CHECK(out.codec == "pcm_s16le");
  CHECK(out.audio.frames() == in.frames());
  CHECK(readTags(dir / "kp.wav").at("title") == "Kabar Pagi 2025-06-11");
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("empty bext fields come from the tags", "[encode][wav][bwf]") {
  const fs::path dir = tempDir("bwf-defaults");
  OutputSettings s = settings();
  s.broadcast.time_reference = (uint64_t{1} << 32) + 6 * 3600 * 48000ull;  // high word used too
  WavWriter writer(dir / "d.wav", s, true);
  writeTone(writer);
  const auto bext = readBext(dir / "d.wav");
  REQUIRE(bext);
  CHECK(field(bext->description) == "Kabar Pagi 2025-06-11");
  CHECK(field(bext->originator) == "Radio Komunitas");
  CHECK(field(bext->originator_reference).empty());
  CHECK(field(bext->origination_date) == "2025-06-11");
  const std::string time = field(bext->origination_time);  // now: only the shape is known
  REQUIRE(time.size() == 8);
  CHECK(time[2] == ':');
  CHECK(time[5] == ':');
  CHECK(bext->time_reference_high == 1);
  CHECK(bext->time_reference_low == 6 * 3600 * 48000u);
}

TEST_CASE("bext text is cut to its field widths on a character boundary", "[encode][wav][bwf]") {
  const fs::path dir = tempDir("bwf-widths");
  OutputSettings s = settings();
  std::string station = "Radio Suara Warga ";
  while (station.size() < 31) station += "\xc3\xa9";  // 2-byte letters straddle byte 32
  s.broadcast.originator = station + "xyz";
  s.broadcast.description = std::string(300, 'd');
  s.broadcast.origination_date = "2025-06-11";
  s.broadcast.origination_time = "23:59:59";
  WavWriter writer(dir / "w.wav", s, true);
  writeTone(writer);
  const auto bext = readBext(dir / "w.wav");
  REQUIRE(bext);
  const std::string originator = field(bext->originator);
  CHECK(originator.size() <= 32);
  CHECK(originator.size() >= 31);
  CHECK(validUtf8Prefix(originator, s.broadcast.originator));
  CHECK(field(bext->description) == std::string(256, 'd'));
}

TEST_CASE("a plain WAV has no bext chunk", "[encode][wav][bwf]") {
  const fs::path dir = tempDir("bwf-plain");
  WavWriter writer(dir / "p.wav", settings());
  writeTone(writer);
  CHECK_FALSE(readBext(dir / "p.wav"));
}

TEST_CASE("a bad origination date or time is refused before any file exists", "[encode][wav][bwf]") {
  const fs::path dir = tempDir("bwf-bad");
  std::ofstream(dir / "b.wav") << "keep";
  struct Case {
    const char* date;
    const char* time;
    const char* says;
  };
  for (const Case c : {Case{"11-06-2025", "", "11-06-2025"}, Case{"2025-13-01", "", "2025-13-01"},
                       Case{"", "6:00", "6:00"}, Case{"", "24:00:00", "24:00:00"}}) {
    INFO(c.says);
    OutputSettings s = settings();
    s.broadcast.origination_date = c.date;
    s.broadcast.origination_time = c.time;
    try {
      WavWriter writer(dir / "b.wav", s, true);
      FAIL("accepted " << c.says);
    } catch (const AudioError& e) {
      const std::string message = e.what();
      CHECK(message.find("b.wav") != std::string::npos);
      CHECK(message.find(c.says) != std::string::npos);
    }
  }
  CHECK(readText(dir / "b.wav") == "keep");
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("openWriter chooses MP3, WAV or Broadcast WAV from extension and container", "[encode][writer][bwf]") {
  const fs::path dir = tempDir("bwf-open");
  struct Case {
    const char* name;
    Container container;
    bool mp3;
    bool bext;
  };
  const Case cases[] = {
      {"a.wav", Container::Auto, false, false}, {"b.bwf", Container::Auto, false, true},
      {"c.BWF", Container::Auto, false, true},  {"d.wav", Container::Bwf, false, true},
      {"e.wav", Container::Wav, false, false},  {"f.bwf", Container::Wav, false, false},
      {"g.mp3", Container::Mp3, true, false},   {"h.MP3", Container::Auto, true, false},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    OutputSettings s = settings();
    s.container = c.container;
    auto sink = warta::encode::openWriter(dir / c.name, s);
    CHECK((dynamic_cast<warta::encode::Mp3Writer*>(sink.get()) != nullptr) == c.mp3);
    CHECK((dynamic_cast<WavWriter*>(sink.get()) != nullptr) == !c.mp3);
    sink->setChapters({{"Satu", 0.0, 0.25}});  // every writer takes them; WAV does not store them
    writeTone(*sink);
    if (!c.mp3) CHECK(readBext(dir / c.name).has_value() == c.bext);
    CHECK(std::abs(decodeFile(dir / c.name).audio.seconds() - 0.5) < 0.03);
  }
  struct Bad {
    const char* name;
    Container container;
  };
  for (const Bad b : {Bad{"x.wav", Container::Mp3}, Bad{"x.mp3", Container::Wav}, Bad{"x.mp3", Container::Bwf},
                      Bad{"x.ogg", Container::Bwf}}) {
    INFO(b.name);
    OutputSettings s = settings();
    s.container = b.container;
    try {
      warta::encode::openWriter(dir / b.name, s);
      FAIL("accepted " << b.name);
    } catch (const AudioError& e) {
      CHECK(std::string(e.what()).find(b.name) != std::string::npos);
    }
  }
  CHECK(leftoverTemps(dir).empty());
}
