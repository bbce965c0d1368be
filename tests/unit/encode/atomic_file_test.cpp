// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <fstream>

#include "encode/atomic_file.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::audio::AudioError;
using warta::encode::AtomicFile;
using warta::test::readText;
using warta::test::tempDir;

namespace {
std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}
}  // namespace

TEST_CASE("the temporary file is hidden in the same folder and not created up front", "[encode][atomic]") {
  const fs::path dir = tempDir("atomic-name");
  const AtomicFile file(dir / "out.mp3");
  CHECK(file.finalPath() == dir / "out.mp3");
  CHECK(file.tempPath().parent_path() == dir);
  const std::string name = file.tempPath().filename().string();
  CHECK(name.rfind(".out.mp3.tmp-", 0) == 0);
  CHECK(entries(dir) == 0);
  const AtomicFile second(dir / "out.mp3");
  CHECK(second.tempPath() != file.tempPath());  // two writers never share a temporary
}

TEST_CASE("commit renames the temporary over the final path", "[encode][atomic]") {
  const fs::path dir = tempDir("atomic-commit");
  std::ofstream(dir / "out.txt") << "old";
  {
    AtomicFile file(dir / "out.txt");
    std::ofstream(file.tempPath()) << "new";
    CHECK(readText(dir / "out.txt") == "old");  // untouched until commit
    file.commit();
    CHECK_FALSE(fs::exists(file.tempPath()));
  }
  CHECK(readText(dir / "out.txt") == "new");
  CHECK(entries(dir) == 1);
}

TEST_CASE("destroying without commit removes the temporary and keeps the existing file", "[encode][atomic]") {
  const fs::path dir = tempDir("atomic-abandon");
  std::ofstream(dir / "out.txt") << "yesterday";
  fs::path temp;
  {
    AtomicFile file(dir / "out.txt");
    temp = file.tempPath();
    std::ofstream(temp) << "half written";
    REQUIRE(fs::exists(temp));
  }
  CHECK_FALSE(fs::exists(temp));
  CHECK(readText(dir / "out.txt") == "yesterday");
  CHECK(entries(dir) == 1);
}

TEST_CASE("destroying without commit when nothing was written is harmless", "[encode][atomic]") {
  const fs::path dir = tempDir("atomic-nothing");
  { AtomicFile file(dir / "out.txt"); }
  CHECK(entries(dir) == 0);
}

TEST_CASE("a moved AtomicFile hands over the temporary", "[encode][atomic]") {
  const fs::path dir = tempDir("atomic-move");
  AtomicFile first(dir / "out.txt");
  std::ofstream(first.tempPath()) << "content";
  const fs::path temp = first.tempPath();
  {
    AtomicFile second(std::move(first));
    CHECK(second.tempPath() == temp);
    { AtomicFile gone(std::move(first)); }  // NOLINT(bugprone-use-after-move): the moved-from owns nothing
    CHECK(fs::exists(temp));
    second.commit();
  }
  CHECK(readText(dir / "out.txt") == "content");
}

TEST_CASE("a missing folder is an AudioError naming it", "[encode][atomic]") {
  const fs::path dir = tempDir("atomic-missing");
  try {
    AtomicFile file(dir / "nope" / "out.mp3");
    FAIL("accepted a missing folder");
  } catch (const AudioError& e) {
    CHECK(std::string(e.what()).find((dir / "nope").string()) != std::string::npos);
  }
}

TEST_CASE("commit without a written temporary fails with a message naming the file", "[encode][atomic]") {
  const fs::path dir = tempDir("atomic-commit-nothing");
  AtomicFile file(dir / "out.txt");
  try {
    file.commit();
    FAIL("committed nothing");
  } catch (const AudioError& e) {
    CHECK(std::string(e.what()).find("out.txt") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir / "out.txt"));
}
