// SPDX-License-Identifier: GPL-3.0-or-later
// Outputs stay where they belong (issue 14): `output.file` may not climb out
// of the output folder or carry control characters (refused, FILE:LINE:COL),
// and what {show} and {date} fill in never makes a path (replaced by '-').
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "render/pipeline.h"
#include "config/rundown.h"
#include "config/yaml_util.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::app::ConfigError;
using warta::app::loadRundown;

namespace {

fs::path write(const std::string& yaml) {
  const fs::path dir = warta::test::tempDir("rundown-outputs");
  fs::create_directories(dir);
  const fs::path file = dir / "rundown.yaml";
  std::ofstream(file, std::ios::binary) << yaml;
  return file;
}

std::string errorFor(const std::string& yaml) {
  try {
    loadRundown(write(yaml));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("output.file outside the output folder or with control characters is a config error at its position",
          "[app][rundown][outputs]") {
  const std::string head = "show: Kabar\ndate: 2025-06-11\noutput:\n  file: ";
  CHECK(errorFor(head + "../x.mp3\n").find("rundown.yaml:4:9: 'file' must not contain '..'") != std::string::npos);
  CHECK(errorFor(head + "a/../../x.mp3\n").find("must not contain '..'") != std::string::npos);
  CHECK(errorFor(head + "/etc/x.mp3\n").find("rundown.yaml:4:9: 'file' must be a name inside the output folder") !=
        std::string::npos);
  CHECK(errorFor(head + "\"/abs/victim.conf\\0.mp3\"\n").find("rundown.yaml:4:9: 'file' must not contain NUL") !=
        std::string::npos);
  CHECK(errorFor(head + "\"a\\nb.mp3\"\n").find("must not contain NUL or control characters") != std::string::npos);
  CHECK(errorFor(head + "\"{show}-{date}.mp3\"\n").find("'file'") == std::string::npos);
}

TEST_CASE("slashes, dots, NUL and control characters in show and date become '-' in the file name",
          "[app][rundown][outputs]") {
  warta::app::Rundown r;
  r.date = "2025-06-11";
  r.output_file = "{show}-{date}.mp3";
  r.show = std::string("Kabar\0Pagi", 10);
  CHECK(r.outputName() == "Kabar-Pagi-2025-06-11.mp3");
  r.show = "Kabar\n\x1b[31mPagi/../..\\x";
  CHECK(r.outputName() == "Kabar--[31mPagi-..-..-x-2025-06-11.mp3");
  r.output_file = "{show}.mp3";
  r.show = "..";
  CHECK(r.outputName() == "--.mp3");
  r.output_file = "{show}/{date}.mp3";
  CHECK(r.outputName() == "--/2025-06-11.mp3");
  r.show = "/dev/null";
  r.output_file = "{show}.mp3";
  CHECK(r.outputName() == "-dev-null.mp3");
}

TEST_CASE("a bulletin path is checked to lie inside the output folder, symlinks resolved", "[app][outputs]") {
  const fs::path dir = warta::test::tempDir("inside-folder");
  fs::create_directories(dir / "out");
  CHECK(warta::app::insideFolder(dir / "out" / "a.mp3", dir / "out"));
  CHECK(warta::app::insideFolder(dir / "out" / "sub" / "a.mp3", dir / "out"));
  CHECK_FALSE(warta::app::insideFolder(dir / "out" / ".." / "a.mp3", dir / "out"));
  CHECK_FALSE(warta::app::insideFolder(dir / "out", dir / "out"));
  CHECK_FALSE(warta::app::insideFolder("/dev/null.mp3", dir / "out"));
  fs::remove(dir / "out" / "link");
  fs::create_directory_symlink("/tmp", dir / "out" / "link");
  CHECK_FALSE(warta::app::insideFolder(dir / "out" / "link" / "a.mp3", dir / "out"));
}
