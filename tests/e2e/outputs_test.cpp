// SPDX-License-Identifier: GPL-3.0-or-later
// Outputs stay where they belong (issue 14): a rundown cannot make warta
// write outside the output folder, and control characters from the show
// never reach a file name, the printed path or the page.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <vector>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

fs::path studio(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("warta-e2e-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "studio" / "out");
  return dir;
}

std::map<fs::path, std::string> snapshot(const fs::path& dir) {
  std::map<fs::path, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[e.path().lexically_relative(dir)] = readText(e.path());
  return files;
}

bool hasControl(const std::string& s, bool allow_newlines) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 || u == 0x7f) && !(allow_newlines && (c == '\n' || c == '\t'))) return true;
  }
  return false;
}

const char* kArticle = "Jembatan Baru Dibuka\n\nWarga Desa Sukamaju kini bisa menyeberang sungai tanpa perahu.\n";

}  // namespace

TEST_CASE("output.file that climbs out of the output folder or hides a NUL is refused before anything is written",
          "[e2e][outputs]") {
  const fs::path top = studio("outputs-refused");
  const fs::path dir = top / "studio";
  writeBytes(dir / "satu.txt", kArticle);
  writeBytes(top / "victim.conf", "keep me");
  for (const std::string& file :
       std::vector<std::string>{"../x.mp3", "../../victim.conf.mp3", top.string() + "/victim.mp3",
                                "\"" + top.string() + "/victim.conf\\0.mp3\"", "\"a\\tb.mp3\""}) {
    INFO(file);
    writeBytes(dir / "rundown.yaml",
               "show: Kabar\ndate: 2025-06-11\noutput:\n  file: " + file + "\nstories: [satu.txt]\n");
    const auto before = snapshot(top);
    const CliResult r = runWarta({"build", "rundown.yaml", "-o", "out", "--no-cache"}, dir);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("rundown.yaml:4:9: 'file' must") != std::string::npos);
    CHECK(snapshot(top) == before);  // rundown, article and victim unchanged; nothing written anywhere
    CHECK(r.out.empty());
  }
}

TEST_CASE("a show with slashes, dots and control characters is written inside the output folder with '-' for them",
          "[e2e][outputs]") {
  const fs::path top = studio("outputs-show");
  const fs::path dir = top / "studio";
  writeBytes(dir / "satu.txt", kArticle);
  writeBytes(dir / "rundown.yaml",
             "show: \"Kabar\\n\\x1b/../../Pagi\"\ndate: 2025-06-11\noutput:\n  file: \"{show}/{date}.mp3\"\n"
             "stories: [satu.txt]\n");
  const CliResult r = runWarta({"build", "rundown.yaml", "-o", "out", "--transcript"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(hasControl(r.out, true));
  CHECK_FALSE(hasControl(r.err, true));
  // Everything written is inside out/, under the one folder the show names.
  for (const auto& [path, bytes] : snapshot(top)) {
    INFO(path);
    const std::string p = path.string();
    CHECK((p == "studio/rundown.yaml" || p == "studio/satu.txt" || p.rfind("studio/out/Kabar---..-..-Pagi/", 0) == 0));
    CHECK_FALSE(hasControl(p, false));
    if (path.extension() == ".html") CHECK_FALSE(hasControl(bytes, true));
  }
  CHECK(fs::is_regular_file(dir / "out" / "Kabar---..-..-Pagi" / "2025-06-11.mp3"));
  CHECK(r.out.find("Kabar---..-..-Pagi/2025-06-11.mp3") != std::string::npos);
}
