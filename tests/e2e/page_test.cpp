// The episode page in a real browser: headless Chromium (Debian's chromium,
// installed by scripts/setup.sh) driven over the DevTools protocol by
// tests/e2e/page_driver.py, which needs only Python's standard library. The
// page is opened from file://, as a listener opening the folder would; the
// whole browser run is bounded (the driver's own alarm, and timeout(1) around it).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "support/cli.h"
#include "support/media.h"

using namespace warta::test;
namespace fs = std::filesystem;

namespace {

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("say --transcript writes an episode page that plays, seeks and is keyboard usable in Chromium",
          "[e2e][say][page][browser]") {
  const fs::path dir = tempDir("e2e-page");
  // Two articles, so there are two chapters and the second starts well after 0.
  const auto r = runWarta({"say", "samples/articles/panen-raya.txt", "samples/articles/banjir-blitar.txt", "-o",
                           (dir / "a.mp3").string(), "--transcript"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(fs::exists(dir / "a.html"));
  CHECK(leftoverTemps(dir).empty());

  // The page holds every cue of the WebVTT file, and plays the MP3 beside it.
  const std::string html = readText(dir / "a.html");
  const std::string vtt = readText(dir / "a.vtt");
  CHECK(count(html, "data-end=") == count(vtt, " --> "));
  CHECK(html.find("src=\"./a.mp3\"") != std::string::npos);
  CHECK(html.find("http") == std::string::npos);
  CHECK(count(html, "<li><button type=\"button\" data-start=") == count(vtt, " --> ") + 2);  // + 2 chapters

  const fs::path chromium = "/usr/bin/chromium";
  INFO("scripts/setup.sh installs Debian's chromium");
  REQUIRE(fs::exists(chromium));
  const fs::path log = dir / "driver.log";
  const std::string command = "timeout -k 5 150 python3 '" + (sourceDir() / "tests/e2e/page_driver.py").string() + "' '" +
                              chromium.string() + "' '" + (dir / "a.html").string() + "' 120 >'" + log.string() +
                              "' 2>&1 </dev/null";
  const int status = std::system(command.c_str());
  const std::string out = readText(log);
  INFO(out);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // Each check the driver made, one line each.
  std::istringstream lines(out);
  std::string line;
  int passed = 0;
  while (std::getline(lines, line)) {
    INFO(line);
    CHECK(line.rfind("FAIL", 0) != 0);
    if (line.rfind("ok ", 0) == 0) ++passed;
  }
  for (const char* name : {"ok audio.duration > 0", "ok duration shown", "ok chapter 1 click seeks",
                           "ok chapter 2 click seeks",
                           "ok Enter on sentence", "ok while playing, the sentence heard is highlighted", "ok Tab reaches every control", "ok Tab order is",
                           "ok focused controls show an outline"})
    CHECK(out.find(name) != std::string::npos);
  CHECK(passed >= 12);
}
