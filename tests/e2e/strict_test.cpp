// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 14: config that parses but is wrong fails before anything is
// rendered (exit 2, FILE:LINE:COL), and `say --each` batches survive retries:
// empty shards succeed, shards come from a hash or the job array's index, and
// what is already made is skipped.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <sys/stat.h>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

std::map<fs::path, std::string> snapshot(const fs::path& dir) {
  std::map<fs::path, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[e.path()] = readText(e.path());
  return files;
}

// The samples with yesterday's bulletin in out/, which a failed build keeps.
struct Studio {
  fs::path dir;
  explicit Studio(const std::string& name) : dir(tempDir(name)) {
    fs::copy(sourceDir() / "samples", dir, fs::copy_options::recursive);
    fs::create_directories(dir / "out");
    std::ofstream(dir / "out" / "Kabar Pagi-2025-06-11.mp3") << "yesterday's bulletin";
  }
  fs::path rundown() const { return dir / "rundown.yaml"; }
  CliResult build() const { return runWarta({"build", rundown().string(), "-o", (dir / "out").string()}); }
};

// A config mistake: exit 2, the message at `position`, and every file as it was.
void expectConfigError(const Studio& s, const std::string& position, const std::string& says) {
  const auto before = snapshot(s.dir);
  const CliResult r = s.build();
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("warta: error: " + position + ": ") != std::string::npos);
  CHECK(r.err.find(says) != std::string::npos);
  CHECK(snapshot(s.dir) == before);  // inputs and yesterday's bulletin unchanged, nothing new
}

void makeSite(const fs::path& site, int articles) {
  fs::create_directories(site);
  for (int i = 0; i < articles; ++i)
    std::ofstream(site / ("berita-" + std::to_string(i) + ".txt"))
        << "Judul " << i << "\n\nKalimat pendek nomor " << i << ".\n";
}

}  // namespace

TEST_CASE("NaN, infinity and duplicate keys in a rundown are config errors before rendering", "[e2e][errors][strict]") {
  SECTION(".nan loudness") {
    Studio s("e2e-strict-nan");
    std::ofstream(s.rundown(), std::ios::app) << "loudness: { integrated: .nan }\n";
    expectConfigError(s, s.rundown().string() + ":13:25", "'integrated' must be a finite number, not '.nan'");
  }
  SECTION(".inf bed level") {
    Studio s("e2e-strict-inf");
    std::ofstream(s.rundown(), std::ios::app) << "levels: { bed: -.inf }\n";
    expectConfigError(s, s.rundown().string() + ":13:16", "'bed' must be a finite number");
  }
  SECTION("a second stories: list") {
    Studio s("e2e-strict-dup");
    std::ofstream(s.rundown(), std::ios::app) << "stories: [articles/panen-raya.txt]\n";
    expectConfigError(s, s.rundown().string() + ":13:1", "duplicate key 'stories' (first given at line 8, column 1)");
  }
  SECTION("a voice pause of .nan in a voice profile") {
    Studio s("e2e-strict-voice-nan");
    std::ofstream(s.dir / "slow.yaml") << "espeak_voice: id\nlanguage: id\npauses: { sentence: .nan }\n";
    std::ofstream(s.rundown(), std::ios::app) << "";
    std::string text = readText(s.rundown());
    text.replace(text.find("voice: id\n"), 10, "voice: ./slow.yaml\n");
    writeBytes(s.rundown(), text);
    expectConfigError(s, (s.dir / "./slow.yaml").string() + ":3:21", "must be a finite number");
  }
  SECTION("volume 0: the result would be silent") {
    Studio s("e2e-strict-silent");
    std::ofstream(s.dir / "quiet.yaml") << "espeak_voice: id\nlanguage: id\nvolume: 0\n";
    std::string text = readText(s.rundown());
    text.replace(text.find("voice: id\n"), 10, "voice: ./quiet.yaml\n");
    writeBytes(s.rundown(), text);
    expectConfigError(s, (s.dir / "./quiet.yaml").string() + ":3:9", "the rendered audio would be silent");
  }
  SECTION("a header-only PNG cover") {
    Studio s("e2e-strict-cover");
    writeBytes(s.dir / "cover.png", readText(s.dir / "cover.png").substr(0, 33));
    std::ofstream(s.rundown(), std::ios::app) << "cover: cover.png\n";
    expectConfigError(s, s.rundown().string() + ":13:8", "cover image " + (s.dir / "cover.png").string() + ": ");
  }
}

TEST_CASE("say --each: an empty shard succeeds and writes nothing", "[e2e][batch][strict]") {
  const fs::path dir = tempDir("e2e-strict-empty-shard");
  makeSite(dir / "site", 2);
  const auto before = snapshot(dir);
  // 2 articles over 10 shards: at least 8 shards are empty, and each must succeed.
  int empty = 0;
  for (int i = 1; i <= 10; ++i) {
    const std::string shard = std::to_string(i) + "/10";
    const CliResult r = runWarta({"say", "--each", "site", "-o", "out", "--shard", shard, "--no-cache"}, dir);
    INFO(shard << ": " << r.err);
    CHECK(r.exit_code == 0);
    if (r.out.empty()) {
      ++empty;
      CHECK(r.err.find("nothing to do") != std::string::npos);
    }
  }
  CHECK(empty >= 8);
  CHECK(snapshot(dir / "site") == before);
  CHECK(fs::is_regular_file(dir / "out" / "berita-0.mp3"));
  CHECK(fs::is_regular_file(dir / "out" / "berita-1.mp3"));
}

TEST_CASE("say --each --shard auto/N reads JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID", "[e2e][batch][strict]") {
  const fs::path dir = tempDir("e2e-strict-auto-shard");
  makeSite(dir / "site", 1);
  ::unsetenv("JOB_COMPLETION_INDEX");
  ::unsetenv("SLURM_ARRAY_TASK_ID");
  CliResult r = runWarta({"say", "--each", "site", "-o", "out", "--shard", "auto/2", "--no-cache"}, dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));
  // Over both indexes of a 2-shard job the one article is made exactly once.
  std::string outs;
  for (const char* index : {"0", "1"}) {
    ::setenv("JOB_COMPLETION_INDEX", index, 1);
    r = runWarta({"say", "--each", "site", "-o", "out", "--shard", "auto/2", "--no-cache"}, dir);
    ::unsetenv("JOB_COMPLETION_INDEX");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    outs += r.out;
  }
  CHECK(outs == "out/berita-0.mp3\n");
}

TEST_CASE("say --each skips what is up to date and redoes only what changed", "[e2e][batch][strict]") {
  const fs::path dir = tempDir("e2e-strict-skip");
  makeSite(dir / "site", 2);
  const std::vector<std::string> args = {"say", "--each", "site", "-o", "out", "--transcript", "--no-cache"};
  CliResult r = runWarta(args, dir);
  REQUIRE(r.exit_code == 0);
  const auto made = snapshot(dir / "out");
  const auto site = snapshot(dir / "site");
  const auto first_time = fs::last_write_time(dir / "out" / "berita-0.mp3");

  // The rerun (a retried job): nothing rendered, every file as it was.
  r = runWarta(args, dir);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "out/berita-0.mp3\nout/berita-1.mp3\n");
  CHECK(r.err.find("out/berita-0.mp3: skipped (up to date)") != std::string::npos);
  CHECK(r.err.find("0 of 2 articles written to out, 2 skipped (up to date)") != std::string::npos);
  CHECK(snapshot(dir / "out") == made);
  CHECK(fs::last_write_time(dir / "out" / "berita-0.mp3") == first_time);
  CHECK(leftoverTemps(dir / "out").empty());

  // One article edited, one transcript lost: both made again, nothing else.
  std::ofstream(dir / "site" / "berita-1.txt") << "Judul baru\n\nKalimat yang lain sama sekali.\n";
  fs::remove(dir / "out" / "berita-0.vtt");
  r = runWarta(args, dir);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("2 of 2 articles written") != std::string::npos);
  CHECK(fs::is_regular_file(dir / "out" / "berita-0.vtt"));
  CHECK(readText(dir / "out" / "berita-1.transcript.txt").find("Judul baru") == 0);

  // Other options make other files: without --transcript the key differs.
  r = runWarta({"say", "--each", "site", "-o", "out", "--no-cache"}, dir);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("2 of 2 articles written") != std::string::npos);
  CHECK(snapshot(dir / "site").size() == site.size());
}

TEST_CASE("say refuses more articles than one file has chapters for, and a folder or FIFO as an article",
          "[e2e][errors][strict]") {
  const fs::path dir = tempDir("e2e-strict-say-args");
  makeSite(dir / "site", 1);
  const auto before = snapshot(dir);
  std::vector<std::string> args = {"say", "-o", "all.mp3", "--no-cache"};
  for (int i = 0; i < 256; ++i) args.push_back("site/berita-0.txt");
  CliResult r = runWarta(args, dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("at most 255 articles into one file (one chapter each), not 256") != std::string::npos);
  fs::create_directories(dir / "folder.txt");
  REQUIRE(::mkfifo((dir / "pipe.txt").c_str(), 0600) == 0);
  r = runWarta({"say", "folder.txt", "-o", "x.mp3"}, dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("folder.txt: is a folder, not a regular file") != std::string::npos);
  r = runWarta({"say", "pipe.txt", "-o", "x.mp3"}, dir);  // must not hang reading the pipe
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("pipe.txt: is a named pipe (FIFO), not a regular file") != std::string::npos);
  fs::remove(dir / "pipe.txt");
  fs::remove(dir / "folder.txt");
  CHECK(snapshot(dir) == before);
}
