// SPDX-License-Identifier: GPL-3.0-or-later
// One place for each fact (issue 15): the output format (extension in any
// case, and `format:`), the calendar date, and the 16-bit reduction, as the
// command line sees them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "support/cli.h"
#include "support/ffmpeg.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

const char* kArticle = "Jembatan Baru Dibuka\n\nWarga Desa Sukamaju kini bisa menyeberang sungai tanpa perahu.\n";
const char* kArticle2 = "Pasar Murah Digelar\n\nPemerintah kota menggelar pasar murah di alun-alun selama tiga hari.\n";

fs::path studio(const std::string& name) {
  const fs::path dir = tempDir(name);
  writeBytes(dir / "satu.txt", kArticle);
  writeBytes(dir / "dua.txt", kArticle2);
  return dir;
}

bool hasBext(const fs::path& wav) { return readText(wav).find("bext") != std::string::npos; }

}  // namespace

TEST_CASE("say writes MP3, WAV or Broadcast WAV by the extension in any case", "[e2e][outputs]") {
  const fs::path dir = studio("facts-say-ext");
  struct Case {
    const char* name;
    const char* codec;
    bool bext;
  };
  for (const Case c :
       {Case{"a.MP3", "mp3float", false}, Case{"b.Wav", "pcm_s16le", false}, Case{"c.BWF", "pcm_s16le", true}}) {
    INFO(c.name);
    const CliResult r = runWarta({"say", "satu.txt", "-o", c.name, "--no-cache"}, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(decodeFile(dir / c.name).codec == c.codec);
    if (std::string(c.codec) != "mp3float") CHECK(hasBext(dir / c.name) == c.bext);
  }
  // The upper-case MP3 is an MP3 in every way: it carries its source key like a.mp3 would.
  CHECK(ffprobeTags(dir / "a.MP3").count("warta_source") == 1);
}

TEST_CASE("say refuses an unknown extension, and a talking book of a WAV, whatever the case", "[e2e][outputs]") {
  const fs::path dir = studio("facts-say-refused");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"say", "satu.txt", "-o", "a.ogg"},
                                               {"say", "satu.txt", "-o", "a"},
                                               {"say", "satu.txt", "-o", "b.WAV", "--talking-book"},
                                               {"say", "satu.txt", "-o", "b.bwf", "--talking-book"}}) {
    INFO(args[3]);
    const CliResult r = runWarta(args, dir);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(args[3]) != std::string::npos);
    CHECK_FALSE(fs::exists(dir / args[3]));
  }
  // An upper-case MP3 may hold a talking book.
  const CliResult ok = runWarta({"say", "satu.txt", "-o", "book.MP3", "--talking-book", "--no-cache"}, dir);
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(fs::exists(dir / "book.epub"));
}

TEST_CASE("build: format: and an upper-case extension agree, and a conflict is refused at format:",
          "[e2e][outputs][build]") {
  const fs::path dir = studio("facts-build-format");
  writeBytes(dir / "rundown.yaml",
             "show: Kabar\ndate: 2025-06-11\noutput: { file: \"{show}.MP3\", format: mp3 }\nstories: [satu.txt]\n");
  const CliResult r = runWarta({"build", "rundown.yaml", "-o", "out", "--no-cache"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(decodeFile(dir / "out" / "Kabar.MP3").codec == "mp3float");
  writeBytes(dir / "rundown.yaml",
             "show: Kabar\ndate: 2025-06-11\noutput: { file: \"{show}.MP3\", format: wav }\nstories: [satu.txt]\n");
  const CliResult bad = runWarta({"build", "rundown.yaml", "-o", "bad", "--no-cache"}, dir);
  INFO(bad.err);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("rundown.yaml:3:39:") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "bad" / "Kabar.MP3"));
}

TEST_CASE("31 February is refused in a rundown and in an article's front matter, at its line and column",
          "[e2e][strict]") {
  const fs::path dir = studio("facts-dates");
  writeBytes(dir / "rundown.yaml", "show: Kabar\ndate: 2025-02-31\nstories: [satu.txt]\n");
  const CliResult r = runWarta({"build", "rundown.yaml", "-o", "out", "--no-cache"}, dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("rundown.yaml:2:7:") != std::string::npos);
  CHECK(r.err.find("real date") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));

  writeBytes(dir / "berita.md", "---\ntitle: Jembatan Baru\ndate: 2025-02-31\n---\n\nWarga kini bisa menyeberang.\n");
  const CliResult a = runWarta({"say", "berita.md", "-o", "berita.mp3", "--no-cache"}, dir);
  CHECK(a.exit_code != 0);
  CHECK(a.err.find("berita.md:3:7:") != std::string::npos);
  CHECK(a.err.find("real date") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "berita.mp3"));
  // 29 February of a leap year is a date like any other.
  writeBytes(dir / "rundown.yaml", "show: Kabar\ndate: 2024-02-29\nstories: [satu.txt]\n");
  const CliResult leap = runWarta({"build", "rundown.yaml", "-o", "out", "--no-cache"}, dir);
  INFO(leap.err);
  REQUIRE(leap.exit_code == 0);
  CHECK(ffprobeTags(dir / "out" / "Kabar-2024-02-29.mp3").at("date") == "2024-02-29");
}

TEST_CASE("a dithered WAV is byte for byte the same whatever -j and whether the cache was cold or warm",
          "[e2e][parallel][outputs]") {
  const fs::path dir = studio("facts-wav-identical");
  writeBytes(
      dir / "rundown.yaml",
      "show: Kabar\ndate: 2025-06-11\noutput: { file: \"{show}.wav\", format: bwf }\nstories: [satu.txt, dua.txt]\n");
  const std::vector<std::vector<std::string>> runs = {
      {"-j", "1", "--cache", "cache"}, {"-j", "2", "--no-cache"}, {"-j", "2", "--cache", "cache"}};
  std::string first;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::vector<std::string> args = {"build", "rundown.yaml", "-o", "out" + std::to_string(i)};
    args.insert(args.end(), runs[i].begin(), runs[i].end());
    const CliResult r = runWarta(args, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // The bext chunk holds the time of day it was written: compare the samples' bytes.
    const std::string bytes = readText(dir / ("out" + std::to_string(i)) / "Kabar.wav");
    const std::size_t data = bytes.find("data");
    REQUIRE(data != std::string::npos);
    if (i == 0) first = bytes.substr(data);
    else CHECK(bytes.substr(data) == first);
  }
  // The speech is dithered, not truncated: decoded, it still measures as speech.
  const Decoded d = decodeFile(dir / "out0" / "Kabar.wav");
  CHECK(d.codec == "pcm_s16le");
  CHECK(rmsDb(d.audio) > -40.0);
}
