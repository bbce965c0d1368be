// SPDX-License-Identifier: GPL-3.0-or-later
// Bad input: each mistake gives its exit code and a message naming the place,
// and leaves no output behind and an existing output untouched.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

// A copy of the samples where one thing can be broken, with an existing
// output file that must survive a failed build.
struct Studio {
  fs::path dir;
  fs::path output;
  explicit Studio(const std::string& name) {
    dir = tempDir(name);
    fs::copy(sourceDir() / "samples", dir, fs::copy_options::recursive);
    output = dir / "out" / "Kabar Pagi-2025-06-11.mp3";
    fs::create_directories(output.parent_path());
    std::ofstream(output) << "yesterday's bulletin";
  }
  CliResult build() const { return runWarta({"build", (dir / "rundown.yaml").string(), "-o", (dir / "out").string()}); }
  void expectOutputUntouched() const {
    CHECK(readText(output) == "yesterday's bulletin");
    CHECK(leftoverTemps(output.parent_path()).empty());
    CHECK(std::distance(fs::directory_iterator(output.parent_path()), fs::directory_iterator()) == 1);
  }
};

void replaceInFile(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = readText(file);
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  std::ofstream(file, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("a missing jingle is a configuration error at its line and column", "[e2e][errors]") {
  Studio s("e2e-missing-jingle");
  fs::remove(s.dir / "jingles" / "outro.flac");
  const auto r = s.build();
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("warta: error: " + (s.dir / "rundown.yaml").string() + ":5:8: 'outro': file ", 0) == 0);
  CHECK(r.err.find("outro.flac does not exist") != std::string::npos);
  s.expectOutputUntouched();
}

TEST_CASE("a corrupt jingle is an error naming the file", "[e2e][errors]") {
  Studio s("e2e-corrupt-jingle");
  std::mt19937 random(42);
  std::string noise(20000, '\0');
  for (char& c : noise) c = static_cast<char>(random() & 0xff);
  writeBytes(s.dir / "jingles" / "sting.flac", noise);
  const auto r = s.build();
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("warta: error: ", 0) == 0);
  CHECK(r.err.find("sting.flac") != std::string::npos);
  s.expectOutputUntouched();
}

TEST_CASE("an article that is not UTF-8 is an error at its line and column", "[e2e][errors]") {
  Studio s("e2e-latin1-article");
  // "Mataram" with a Latin-1 e-acute on line 3: not UTF-8.
  writeBytes(s.dir / "articles" / "panen-raya.txt", "Judul berita\n\nWarga Mataram caf\xe9 ramai.\n");
  const auto r = s.build();
  CHECK(r.exit_code == 1);
  CHECK(r.err.find((s.dir / "articles" / "panen-raya.txt").string() + ":3:") != std::string::npos);
  CHECK(r.err.find("UTF-8") != std::string::npos);
  s.expectOutputUntouched();
}

TEST_CASE("an empty article is an error naming the file", "[e2e][errors]") {
  Studio s("e2e-empty-article");
  writeBytes(s.dir / "articles" / "festival-budaya.txt", "\n  \n");
  const auto r = s.build();
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("festival-budaya.txt") != std::string::npos);
  CHECK(r.err.find("empty") != std::string::npos);
  s.expectOutputUntouched();
}

TEST_CASE("a rundown with an unknown key is an error at its line and column", "[e2e][errors]") {
  Studio s("e2e-unknown-key");
  replaceInFile(s.dir / "rundown.yaml", "voice: id", "voice: id\nmusic: bed.flac");
  const auto r = s.build();
  CHECK(r.exit_code == 2);
  CHECK(r.err.find((s.dir / "rundown.yaml").string() + ":4:1: unknown key 'music'") != std::string::npos);
  s.expectOutputUntouched();
}

TEST_CASE("say with a bad article leaves an existing output untouched", "[e2e][errors]") {
  const fs::path dir = tempDir("e2e-say-bad");
  writeBytes(dir / "bad.txt", "\xff\xfe\x00J\x00u\x00d\x00u\x00l");
  std::ofstream(dir / "keep.mp3") << "keep me";
  const auto r = runWarta({"say", (dir / "bad.txt").string(), "-o", (dir / "keep.mp3").string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad.txt:1:1") != std::string::npos);
  CHECK(readText(dir / "keep.mp3") == "keep me");
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("command-line mistakes exit 2 and help and version exit 0", "[e2e][cli]") {
  struct Case {
    std::vector<std::string> args;
    int code;
    const char* says;
  };
  const Case cases[] = {
      {{}, 2, "no command"},
      {{"fly"}, 2, "unknown command 'fly'"},
      {{"say", "samples/articles/panen-raya.txt"}, 2, "needs -o"},
      {{"say", "nope.txt", "-o", "x.mp3"}, 2, "nope.txt: no such file"},
      {{"say", "samples/articles/panen-raya.txt", "-o", "x.ogg"}, 2, "(use .mp3, .wav or .bwf)"},
      {{"say", "samples/articles/panen-raya.txt", "-o", "x.mp3", "--rate", "fast"}, 2, "--rate"},
      {{"say", "samples/articles/panen-raya.txt", "-o", "x.mp3", "--voice", "robot"}, 2, "unknown voice 'robot'"},
      {{"build"}, 2, "exactly one RUNDOWN"},
      {{"build", "samples/rundown.yaml", "--loud"}, 2, "no option '--loud'"},
      {{"--help"}, 0, "warta say ARTICLE"},
      {{"say", "--help"}, 0, "Usage: warta say"},
      {{"build", "--help"}, 0, "Usage: warta build"},
      {{"normalize", "--help"}, 0, "Usage: warta normalize"},
      {{"--version"}, 0, "warta 0."},
  };
  for (const auto& c : cases) {
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    INFO("warta " << joined);
    const auto r = runWarta(c.args);
    CHECK(r.exit_code == c.code);
    CHECK((c.code == 0 ? r.out : r.err).find(c.says) != std::string::npos);
  }
  CHECK_FALSE(fs::exists(sourceDir() / "x.mp3"));
}
