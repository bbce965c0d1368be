// SPDX-License-Identifier: GPL-3.0-or-later
// No run writes onto a file it reads, and no two outputs of one run are one
// file: each clash stops the run with exit 2 before anything is written,
// naming both paths, and every input keeps its bytes.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

const char* kArticle =
    "Jembatan Baru Dibuka di Desa Sukamaju\n\n"
    "Warga Desa Sukamaju kini bisa menyeberang sungai tanpa perahu. Jembatan gantung sepanjang 40 meter itu "
    "dibuka kepala desa pada Senin pagi.\n";

// writeBytes into a folder made first.
void put(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  writeBytes(file, bytes);
}

// Every regular file under `dir` and its bytes.
std::map<fs::path, std::string> snapshot(const fs::path& dir) {
  std::map<fs::path, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[e.path()] = readText(e.path());
  return files;
}

// The run failed as a clash should: exit 2, both paths named, and the folder
// exactly as it was (no input changed, no output or temporary written).
void expectRefused(const CliResult& r, const fs::path& output, const fs::path& input,
                   const std::map<fs::path, std::string>& before, const fs::path& dir) {
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(output.string()) != std::string::npos);
  CHECK(r.err.find(input.string()) != std::string::npos);
  CHECK(r.err.find("nothing was written") != std::string::npos);
  CHECK(snapshot(dir) == before);
}

// A copy of the samples with the rundown, stories, jingles and an old
// bulletin in place, for `build` clashes.
struct Studio {
  fs::path dir;
  explicit Studio(const std::string& name) : dir(tempDir(name)) {
    fs::copy(sourceDir() / "samples", dir, fs::copy_options::recursive);
  }
  fs::path rundown() const { return dir / "rundown.yaml"; }
  void appendToRundown(const std::string& yaml) const { std::ofstream(rundown(), std::ios::app) << yaml; }
};

}  // namespace

TEST_CASE("say --transcript keeps the article and writes berita.transcript.txt", "[e2e][inputs]") {
  const fs::path dir = tempDir("e2e-keep-article");
  put(dir / "berita.txt", kArticle);
  const CliResult r = runWarta({"say", "berita.txt", "-o", "berita.mp3", "--transcript", "--no-cache"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(readText(dir / "berita.txt") == kArticle);
  const std::string transcript = readText(dir / "berita.transcript.txt");
  CHECK(transcript.find("Jembatan Baru Dibuka di Desa Sukamaju") == 0);
  CHECK(decodeFile(dir / "berita.mp3").audio.seconds() > 5.0);
  // The same command again: the article is still there to be read.
  const CliResult again = runWarta({"say", "berita.txt", "-o", "berita.mp3", "--transcript", "--no-cache"}, dir);
  CHECK(again.exit_code == 0);
  CHECK(readText(dir / "berita.txt") == kArticle);
  CHECK(readText(dir / "berita.transcript.txt") == transcript);
}

TEST_CASE("say refuses a timeline, output or transcript that is the article, by path, symlink or hard link",
          "[e2e][inputs]") {
  const fs::path dir = tempDir("e2e-say-clash");
  put(dir / "berita.txt", kArticle);
  put(dir / "kedua.txt", kArticle);
  fs::create_symlink("berita.txt", dir / "tautan.mp3");
  fs::create_hard_link(dir / "berita.txt", dir / "salinan.wav");
  const auto before = snapshot(dir);
  SECTION("--timeline onto the article") {
    expectRefused(runWarta({"say", "berita.txt", "-o", "out.mp3", "--timeline", "berita.txt"}, dir), "berita.txt",
                  "berita.txt", before, dir);
  }
  SECTION("--timeline onto the article by another path") {
    expectRefused(runWarta({"say", "berita.txt", "-o", "out.mp3", "--timeline", "./sub/../berita.txt"}, dir),
                  "./sub/../berita.txt", "berita.txt", before, dir);
  }
  SECTION("-o a symlink to the article") {
    expectRefused(runWarta({"say", "berita.txt", "-o", "tautan.mp3"}, dir), "tautan.mp3", "berita.txt", before, dir);
  }
  SECTION("-o a hard link to the article") {
    expectRefused(runWarta({"say", "berita.txt", "-o", "salinan.wav"}, dir), "salinan.wav", "berita.txt", before, dir);
  }
  SECTION("the text transcript onto the second article") {
    fs::rename(dir / "kedua.txt", dir / "out.transcript.txt");
    const auto renamed = snapshot(dir);
    expectRefused(runWarta({"say", "berita.txt", "out.transcript.txt", "-o", "out.mp3", "--transcript"}, dir),
                  "out.transcript.txt", "out.transcript.txt", renamed, dir);
  }
}

TEST_CASE("say refuses an output onto its voice profile or language data", "[e2e][inputs]") {
  const fs::path dir = tempDir("e2e-say-voice-clash");
  put(dir / "berita.txt", kArticle);
  fs::create_directories(dir / "voices");
  fs::copy(sourceDir() / "voices" / "id", dir / "voices" / "id", fs::copy_options::recursive);
  std::string profile = readText(sourceDir() / "voices" / "id.yaml");
  profile.replace(profile.find("language: id"), 12, "language: ./id");  // the copy's own language folder
  put(dir / "voices" / "suara.yaml", profile);
  const auto before = snapshot(dir);
  SECTION("the profile") {
    expectRefused(runWarta({"say", "berita.txt", "-o", "out.mp3", "--voice", "voices/suara.yaml", "--timeline",
                            "voices/suara.yaml"},
                           dir),
                  "voices/suara.yaml", "voice profile", before, dir);
  }
  SECTION("the language's lexicon") {
    expectRefused(runWarta({"say", "berita.txt", "-o", "out.mp3", "--voice", "voices/suara.yaml", "--timeline",
                            "voices/id/lexicon.yaml"},
                           dir),
                  "voices/id/lexicon.yaml", "language data", before, dir);
  }
}

TEST_CASE("say refuses two outputs that are one file", "[e2e][inputs]") {
  const fs::path dir = tempDir("e2e-say-two-outputs");
  put(dir / "berita.txt", kArticle);
  const auto before = snapshot(dir);
  SECTION("the timeline is the audio") {
    expectRefused(runWarta({"say", "berita.txt", "-o", "out.wav", "--timeline", "out.wav"}, dir), "out.wav", "out.wav",
                  before, dir);
  }
  SECTION("the timeline is the captions") {
    expectRefused(runWarta({"say", "berita.txt", "-o", "out.mp3", "--transcript", "--timeline", "out.vtt"}, dir),
                  "out.vtt", "out.vtt", before, dir);
  }
}

TEST_CASE("say --each over its own output folder keeps the articles and never reads its transcripts", "[e2e][inputs]") {
  const fs::path dir = tempDir("e2e-each-same-folder");
  put(dir / "site" / "jembatan.txt", kArticle);
  put(dir / "site" / "kota" / "pasar.md", "Pasar Murah\n\nPemerintah kota menggelar pasar murah di alun-alun.\n");
  const std::string site = (dir / "site").string();
  for (int run = 0; run < 2; ++run) {
    const CliResult r = runWarta({"say", "--each", site, "-o", site, "--transcript", "--no-cache"});
    INFO("run " << run << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out ==
          (dir / "site" / "jembatan.mp3").string() + "\n" + (dir / "site" / "kota" / "pasar.mp3").string() + "\n");
    CHECK(readText(dir / "site" / "jembatan.txt") == kArticle);
    CHECK(readText(dir / "site" / "jembatan.transcript.txt").find("Jembatan Baru") == 0);
    CHECK(readText(dir / "site" / "kota" / "pasar.transcript.txt").find("Pasar Murah") == 0);
    CHECK_FALSE(fs::exists(dir / "site" / "jembatan.transcript.mp3"));
  }
}

TEST_CASE("say --each refuses two articles whose outputs collide, writing nothing", "[e2e][inputs]") {
  const fs::path dir = tempDir("e2e-each-collide");
  put(dir / "site" / "berita.txt", kArticle);
  put(dir / "site" / "berita.md", kArticle);
  put(dir / "site" / "lain.txt", kArticle);
  const auto before = snapshot(dir);
  // Even a shard that holds only one of the two is refused: the other shard would write the same file.
  for (const char* shard : {"1/1", "1/3", "2/3"}) {
    INFO("shard " << shard);
    const CliResult r =
        runWarta({"say", "--each", (dir / "site").string(), "-o", (dir / "out").string(), "--shard", shard});
    expectRefused(r, dir / "out" / "berita.mp3", dir / "site" / "berita.md", before, dir);
    CHECK(r.err.find((dir / "site" / "berita.txt").string()) != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out"));
  }
}

TEST_CASE("say --each refuses an output folder whose transcripts would land on articles", "[e2e][inputs]") {
  const fs::path dir = tempDir("e2e-each-onto-article");
  put(dir / "site" / "berita.txt", kArticle);
  // A Markdown article named like the page another article's run would write.
  put(dir / "site" / "catatan.md", kArticle);
  fs::create_symlink(dir / "site" / "catatan.md", dir / "site" / "berita.html");
  const auto before = snapshot(dir);
  expectRefused(runWarta({"say", "--each", (dir / "site").string(), "-o", (dir / "site").string(), "--transcript"}),
                dir / "site" / "berita.html", dir / "site" / "catatan.md", before, dir);
}

TEST_CASE("build refuses an output onto its rundown, stories, jingles, cover or lexicon", "[e2e][inputs]") {
  Studio s("e2e-build-clash");
  const fs::path out = s.dir / "out";
  const fs::path bulletin = out / "Kabar Pagi-2025-06-11.mp3";
  SECTION("--timeline onto the rundown") {
    const auto before = snapshot(s.dir);
    expectRefused(runWarta({"build", s.rundown().string(), "-o", out.string(), "--timeline", s.rundown().string()}),
                  s.rundown(), s.rundown(), before, s.dir);
  }
  SECTION("the bulletin onto the intro jingle") {
    // Yesterday's bulletin used as today's intro, in the output folder.
    put(bulletin, "yesterday's bulletin");
    const std::string yaml = readText(s.rundown());
    put(s.rundown(), yaml.substr(0, yaml.find("intro:")) + "intro: out/Kabar Pagi-2025-06-11.mp3\n" +
                         yaml.substr(yaml.find("outro:")));
    const auto before = snapshot(s.dir);
    expectRefused(runWarta({"build", s.rundown().string(), "-o", out.string()}), bulletin, "intro jingle", before,
                  s.dir);
  }
  SECTION("the text transcript onto a story") {
    fs::create_directories(out);
    fs::copy_file(s.dir / "articles" / "panen-raya.txt", out / "Kabar Pagi-2025-06-11.transcript.txt");
    s.appendToRundown("  - out/Kabar Pagi-2025-06-11.transcript.txt\n");
    const auto before = snapshot(s.dir);
    expectRefused(runWarta({"build", s.rundown().string(), "-o", out.string(), "--transcript"}),
                  out / "Kabar Pagi-2025-06-11.transcript.txt", "story", before, s.dir);
  }
  SECTION("the feed onto a story") {
    s.appendToRundown("publish: { base_url: \"https://radio.example/kabar\", feed: articles/panen-raya.txt }\n");
    const auto before = snapshot(s.dir);
    expectRefused(runWarta({"build", s.rundown().string(), "-o", out.string()}), s.dir / "articles" / "panen-raya.txt",
                  "podcast feed", before, s.dir);
  }
  SECTION("the artwork's copy onto a story") {
    // The artwork is copied into the output folder, where a link named like it points at a story.
    fs::create_directories(out);
    fs::create_symlink(s.dir / "articles" / "panen-raya.txt", out / "cover.png");
    s.appendToRundown("publish: { base_url: \"https://radio.example/kabar\", image: cover.png }\n");
    const auto before = snapshot(s.dir);
    expectRefused(runWarta({"build", s.rundown().string(), "-o", out.string()}), out / "cover.png", "story", before,
                  s.dir);
  }
  SECTION("--timeline onto a station lexicon") {
    put(s.dir / "stasiun.yaml", "entries:\n  Sukamaju: suka maju\n");
    s.appendToRundown("lexicons: [stasiun.yaml]\n");
    const auto before = snapshot(s.dir);
    expectRefused(
        runWarta({"build", s.rundown().string(), "-o", out.string(), "--timeline", (s.dir / "stasiun.yaml").string()}),
        s.dir / "stasiun.yaml", "lexicon", before, s.dir);
  }
}
