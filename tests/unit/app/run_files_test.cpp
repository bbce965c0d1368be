// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "warta/error.h"
#include "render/run_files.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::app::RunFiles;

namespace {

fs::path folder() {
  const fs::path dir = warta::test::tempDir("run-files");
  warta::test::writeBytes(dir / "berita.txt", "Judul\n\nIsi.\n");
  warta::test::writeBytes(dir / "kedua.txt", "Judul\n\nIsi.\n");
  return dir;
}

// The message of the usage error check() throws, or "" when it passes.
std::string clash(const RunFiles& files) {
  try {
    files.check();
  } catch (const warta::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("an output is refused when it is an input by path, by another spelling, by symlink or by hard link",
          "[run_files]") {
  const fs::path dir = folder();
  fs::create_symlink(dir / "berita.txt", dir / "tautan.mp3");
  fs::create_hard_link(dir / "berita.txt", dir / "salinan.mp3");
  fs::create_directories(dir / "sub");
  for (const fs::path& out : {dir / "berita.txt", dir / "sub" / ".." / "berita.txt", dir / "." / "berita.txt",
                              dir / "tautan.mp3", dir / "salinan.mp3"}) {
    INFO(out);
    RunFiles files;
    files.reads(dir / "berita.txt", "article");
    files.writes(out, "timeline");
    const std::string message = clash(files);
    CHECK(message.find("timeline '" + out.string() + "' is the article '" + (dir / "berita.txt").string()) == 0);
    CHECK(message.find("nothing was written") != std::string::npos);
  }
}

TEST_CASE("an output through a symlinked folder is the input it reaches", "[run_files]") {
  const fs::path dir = folder();
  fs::create_directory_symlink(dir, dir / "cermin");
  RunFiles files;
  files.reads(dir / "berita.txt", "article");
  files.writes(dir / "cermin" / "berita.txt", "text transcript");
  CHECK_FALSE(clash(files).empty());
}

TEST_CASE("two outputs that are one file are refused, even when neither exists yet", "[run_files]") {
  const fs::path dir = folder();
  RunFiles files;
  files.writes(dir / "baru.mp3", "audio output");
  files.writes(dir / "sub" / ".." / "baru.mp3", "timeline");
  CHECK(clash(files).find("are the same file") != std::string::npos);
}

TEST_CASE("distinct outputs, and an input read twice, pass", "[run_files]") {
  const fs::path dir = folder();
  RunFiles files;
  files.reads(dir / "berita.txt", "article");
  files.reads(dir / "berita.txt", "story");
  files.reads(dir / "kedua.txt", "article");
  files.writes(dir / "berita.mp3", "audio output");
  files.writes(dir / "berita.transcript.txt", "text transcript");
  files.writes(dir / "baru" / "berita.mp3", "audio output");
  CHECK(clash(files).empty());
}

TEST_CASE("an input inside a folder the run deletes in is refused", "[run_files]") {
  const fs::path dir = folder();
  RunFiles files;
  files.reads(dir / "berita.txt", "article");
  files.deletesUnder(dir / "cache" / "chunks", "chunk cache");
  CHECK(clash(files).empty());
  files.deletesUnder(dir, "chunk cache");
  CHECK(clash(files).find("article '" + (dir / "berita.txt").string() + "' lies inside the chunk cache") == 0);
}

TEST_CASE("the talking book beside the audio is an output: it may not be an input or another output",
          "[run_files][epub]") {
  const fs::path dir = folder();
  warta::test::writeBytes(dir / "berita.epub", "PK");
  RunFiles files;
  files.reads(dir / "berita.epub", "article");
  files.writes(dir / "berita.mp3", "audio output");
  warta::app::addTalkingBookOutput(files, dir / "berita.mp3");
  CHECK(clash(files).find("talking book '" + (dir / "berita.epub").string() + "' is the article") == 0);

  RunFiles two;
  two.writes(dir / "x.mp3", "audio output");
  warta::app::addTalkingBookOutput(two, dir / "x.mp3");
  two.writes(dir / "x.epub", "timeline");
  CHECK_FALSE(clash(two).empty());

  RunFiles fine;
  fine.reads(dir / "berita.txt", "article");
  fine.writes(dir / "berita.mp3", "audio output");
  warta::app::addTalkingBookOutput(fine, dir / "berita.mp3");
  warta::app::addTranscriptOutputs(fine, dir / "berita.mp3");
  CHECK(clash(fine).empty());
}
