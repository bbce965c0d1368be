// SPDX-License-Identifier: GPL-3.0-or-later
// Fitted to the slot (issue 16): `length:` (or `hard_out:` less `air_time:`)
// makes the decoded bulletin exactly length x sample rate samples, counted by
// the ffmpeg command-line decoder (which trims the MP3's encoder delay and
// padding as the LAME tag says); one rate in `rate_range` for all stories,
// then the least important stories dropped, then silence or the bed before
// the outro. Short bulletins (20-40 s) at 22.05 kHz mono keep this quick.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "support/cli.h"
#include "support/ffmpeg.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

// Invented stories, a headline and two or three sentences each.
const char* kStories[][2] = {
    {"sumur.txt",
     "Warga Desa Karangrejo Menggali Sumur Baru\n\n"
     "Warga Desa Karangrejo menggali sumur baru di dekat balai desa. "
     "Sumur itu diharapkan cukup untuk musim kemarau tahun ini.\n"},
    {"pasar.txt",
     "Pasar Pagi Dibuka Lebih Awal\n\n"
     "Pedagang pasar pagi kini membuka lapak mereka sebelum subuh. "
     "Pembeli dari desa tetangga datang membawa sayur dan buah.\n"},
    {"sekolah.txt",
     "Sekolah Dasar Menanam Pohon\n\n"
     "Murid sekolah dasar menanam pohon mangga di halaman sekolah. "
     "Guru mereka mengajak orang tua ikut merawat pohon itu.\n"},
};

fs::path storiesDir(const std::string& name) {
  const fs::path dir = tempDir(name);
  for (const auto& s : kStories) writeBytes(dir / s[0], s[1]);
  return dir;
}

// A rundown of the given story lines with `extra` keys, written to DIR/NAME.yaml.
std::string rundown(const std::string& name, const std::string& file, const std::string& extra,
                    const std::vector<std::string>& stories) {
  std::string y =
      "show: Kabar Sore\ndate: 2025-06-11\nvoice: id\n"
      "output: { file: \"" +
      file + "\", bitrate: 64, channels: 1, sample_rate: 22050 }\n" + extra + "stories:\n";
  for (const auto& s : stories) y += "  - " + s + "\n";
  (void)name;
  return y;
}

CliResult build(const fs::path& dir, const std::string& name, const std::string& yaml) {
  writeBytes(dir / (name + ".yaml"), yaml);
  return runWarta({"build", name + ".yaml", "-o", "out", "--cache", "cache"}, dir);
}

// The rate the summary line reports, in percent.
double summaryRate(const std::string& err) {
  std::smatch m;
  if (!std::regex_search(err, m, std::regex(R"(fitted at rate ([+-][0-9.]+)%)"))) return NAN;
  return std::stod(m[1]);
}

}  // namespace

TEST_CASE("length: the decoded bulletin is exactly length x sample rate samples", "[e2e][slot]") {
  const fs::path dir = storiesDir("e2e-slot-exact");
  struct Case {
    std::string name, file, extra;
    std::vector<std::string> stories;
    double seconds;
  };
  const std::vector<Case> cases = {
      // Natural lengths: 36.3 s, 48.7 s (and the outro), 22.1 s.
      {"two", "two.mp3", "length: \"0:40\"\n", {"sumur.txt", "pasar.txt"}, 40},
      {"three",
       "three.mp3",
       "length: \"1:00\"\noutro: " + (sourceDir() / "samples/jingles/outro.flac").string() + "\n",
       {"sumur.txt", "pasar.txt", "sekolah.txt"},
       60},
      {"clock", "clock.wav", "air_time: \"06:59:35\"\nhard_out: \"07:00:00\"\n", {"pasar.txt"}, 25},
  };
  for (const Case& c : cases) {
    const CliResult r = build(dir, c.name, rundown(c.name, c.file, c.extra, c.stories));
    INFO(c.name << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("dropped: none") != std::string::npos);
    CHECK(ffmpegDecodedSamples(dir / "out" / c.file) == static_cast<std::int64_t>(std::llround(c.seconds * 22050)));
  }
}

TEST_CASE("rate_range: one rate in the band fits a bulletin a little too long or too short", "[e2e][slot]") {
  const fs::path dir = storiesDir("e2e-slot-rate");
  const std::vector<std::string> stories = {"sumur.txt", "pasar.txt", "sekolah.txt"};
  // Its natural length, as ffmpeg decodes it.
  const CliResult natural = build(dir, "natural", rundown("natural", "natural.mp3", "", stories));
  REQUIRE(natural.exit_code == 0);
  const double seconds = static_cast<double>(ffmpegDecodedSamples(dir / "out" / "natural.mp3")) / 22050;
  INFO("natural length " << seconds << " s");

  // 3 % shorter: the stories' speech (most of it) must go some 4 % faster, within +8 %.
  const int shorter = static_cast<int>(std::floor(seconds * 0.97));
  const CliResult fast =
      build(dir, "fast",
            rundown("fast", "fast.mp3", "length: " + std::to_string(shorter) + "\nrate_range: [-8%, +8%]\n", stories));
  INFO(fast.err);
  REQUIRE(fast.exit_code == 0);
  CHECK(summaryRate(fast.err) > 2.0);
  CHECK(summaryRate(fast.err) <= 8.0);
  CHECK(fast.err.find("dropped: none") != std::string::npos);
  CHECK(ffmpegDecodedSamples(dir / "out" / "fast.mp3") == shorter * 22050);

  // 5 % longer: slower speech, within -8 %, the rest filled.
  const int longer = static_cast<int>(std::ceil(seconds * 1.05));
  const CliResult slow =
      build(dir, "slow",
            rundown("slow", "slow.mp3", "length: " + std::to_string(longer) + "\nrate_range: [-8%, +8%]\n", stories));
  INFO(slow.err);
  REQUIRE(slow.exit_code == 0);
  CHECK(summaryRate(slow.err) < -2.0);
  CHECK(summaryRate(slow.err) >= -8.0);
  CHECK(ffmpegDecodedSamples(dir / "out" / "slow.mp3") == longer * 22050);
}

TEST_CASE(
    "a bulletin too long at the fastest rate drops its least important stories, and an impossible length is an error",
    "[e2e][slot]") {
  const fs::path dir = storiesDir("e2e-slot-drop");
  // The first story is the least important (priority 9): it goes, the others stay.
  const std::vector<std::string> stories = {"{ file: sumur.txt, priority: 9 }", "pasar.txt", "sekolah.txt"};
  const CliResult two = build(dir, "two", rundown("two", "two.mp3", "", {"pasar.txt", "sekolah.txt"}));
  REQUIRE(two.exit_code == 0);
  const double seconds = static_cast<double>(ffmpegDecodedSamples(dir / "out" / "two.mp3")) / 22050;
  const int length = static_cast<int>(std::ceil(seconds)) + 1;

  const CliResult r =
      build(dir, "drop", rundown("drop", "drop.mp3", "length: " + std::to_string(length) + "\n", stories));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("dropped: story 1 (Warga Desa Karangrejo Menggali Sumur Baru)") != std::string::npos);
  CHECK(ffmpegDecodedSamples(dir / "out" / "drop.mp3") == length * 22050);
  std::vector<std::string> titles;
  for (const auto& c : ffprobeChapters(dir / "out" / "drop.mp3")) titles.push_back(c.title);
  CHECK(titles == std::vector<std::string>{"Kabar Sore, Rabu, 11 Juni 2025", "Pasar Pagi Dibuka Lebih Awal",
                                           "Sekolah Dasar Menanam Pohon"});

  // Five seconds hold not even one story: a clear error, nothing written.
  const CliResult none = build(dir, "none", rundown("none", "none.mp3", "length: \"0:05\"\n", stories));
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("cannot be fitted to 0:05") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out" / "none.mp3"));
}

TEST_CASE("the station's own segments: time check, prayer times, announcement and weather, each its chapter",
          "[e2e][station]") {
  const fs::path dir = storiesDir("e2e-station");
  fs::copy_file(sourceDir() / "tests/data/station/bmkg-blitar.json", dir / "cuaca.json");
  const std::string yaml =
      "show: Kabar Pagi\ndate: 2025-06-11\nvoice: id\nair_time: \"06:50:00\"\n"
      "output: { file: pagi.mp3, bitrate: 64, channels: 1, sample_rate: 22050 }\n"
      "stories:\n"
      "  - { time_check: true }\n"
      "  - { prayer_times: { city: Blitar, lat: -8.1, lon: 112.2, tz: +7 } }\n"
      "  - { text: \"Pengumuman: kerja bakti di balai desa hari Minggu.\" }\n"
      "  - { weather: cuaca.json }\n"
      "  - pasar.txt\n";
  writeBytes(dir / "pagi.yaml", yaml);
  const CliResult r = runWarta({"build", "pagi.yaml", "-o", "out", "--cache", "cache", "--transcript"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> titles;
  for (const auto& c : ffprobeChapters(dir / "out" / "pagi.mp3")) titles.push_back(c.title);
  CHECK(titles == std::vector<std::string>{"Kabar Pagi, Rabu, 11 Juni 2025", "Waktu", "Jadwal Salat Blitar",
                                           "Pengumuman", "Prakiraan Cuaca", "Pasar Pagi Dibuka Lebih Awal"});
  const std::string transcript = readText(dir / "out" / "pagi.transcript.txt");
  INFO(transcript);
  for (const char* said :
       {"Pukul enam lewat lima puluh menit.", "Jadwal salat untuk wilayah Blitar dan sekitarnya hari ini.",
        "Subuh pukul 04.", "dan Isya pukul 18.", "Pengumuman: kerja bakti di balai desa hari Minggu.",
        "Sananwetan, pagi: cerah berawan, suhu 23 sampai 27 derajat Celsius.",
        "Kepanjenkidul, malam: hujan es, suhu 24 derajat Celsius.", "Pasar Pagi Dibuka Lebih Awal"})
    CHECK(transcript.find(said) != std::string::npos);
  // The titles are chapters, not speech; the night before 06:50 is over.
  CHECK(transcript.find("Prakiraan Cuaca") == std::string::npos);
  CHECK(transcript.find("dini hari") == std::string::npos);
}
