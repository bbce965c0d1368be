// SPDX-License-Identifier: GPL-3.0-or-later
// The episode page in a real browser: headless Chromium (Debian's chromium,
// installed by scripts/setup.sh) driven over the DevTools protocol by
// tests/e2e/page_driver.py, which needs only Python's standard library, and
// checked by axe-core (npm, installed by scripts/setup.sh into build/npm). The
// page is opened from file://, as a listener opening the folder would; the
// whole browser run is bounded (the driver's own alarm, and timeout(1) around it).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "encode/writer.h"
#include "publish/page.h"
#include "support/cli.h"
#include "support/media.h"

using namespace warta::test;
namespace fs = std::filesystem;
namespace publish = warta::publish;

namespace {

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

// Every number in `attr="..."` attributes of `html`, rounded to the millisecond.
std::multiset<long> attributeTimes(const std::string& html, const std::string& attr) {
  std::multiset<long> out;
  const std::string key = attr + "=\"";
  for (auto at = html.find(key); at != std::string::npos; at = html.find(key, at + 1))
    out.insert(std::lround(std::stod(html.substr(at + key.size())) * 1000));
  return out;
}

// Runs the driver on `page` and returns its output; each check it made is one
// line, none may fail, and every line starting with one of `required` is there.
std::string drive(const fs::path& page, const std::vector<std::string>& required, int at_least) {
  const fs::path chromium = "/usr/bin/chromium";
  INFO("scripts/setup.sh installs Debian's chromium");
  REQUIRE(fs::exists(chromium));
  const fs::path axe = sourceDir() / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js";
  INFO("scripts/setup.sh installs axe-core with npm into build/npm");
  REQUIRE(fs::exists(axe));
  const fs::path log = page.parent_path() / (page.stem().string() + ".driver.log");
  const std::string command = "timeout -k 5 200 python3 '" + (sourceDir() / "tests/e2e/page_driver.py").string() +
                              "' '" + chromium.string() + "' '" + page.string() + "' 180 '" + axe.string() + "' >'" +
                              log.string() + "' 2>&1 </dev/null";
  const int status = std::system(command.c_str());
  const std::string out = readText(log);
  INFO(out);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  std::istringstream lines(out);
  std::string line;
  int passed = 0;
  while (std::getline(lines, line)) {
    INFO(line);
    CHECK(line.rfind("FAIL", 0) != 0);
    if (line.rfind("ok ", 0) == 0) ++passed;
  }
  for (const auto& name : required) {
    INFO(name);
    CHECK(out.find("\nok " + name) != std::string::npos);
  }
  CHECK(passed >= at_least);
  return out;
}

// Checks both pages must pass.
const std::vector<std::string> kCommon = {
    "audio.duration > 0",
    "duration shown",
    "lang is id",
    "axe-core finds no violations (page loaded)",
    "each story is a section under an h2",
    "chapter 1 click plays from",
    "chapter 2 click plays from",
    "Enter on chapter 2 plays from",
    "chapter buttons are named by their visible text",
    "Enter on sentence",
    "Space on sentence",
    "click on a sentence plays from it",
    "while playing, the sentence heard is highlighted",
    "reduced motion: no transitions",
    "Tab reaches every control",
    "Tab order is skip link, player, download, chapters, sentences (one stop each)",
    "the download link is within the first tab stops",
    "focused controls show an outline"};

// A sentence's words, evenly spread over [start, end) with a short gap after each.
std::vector<publish::TimedWord> spread(const std::string& text, double start, double end) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string w; in >> w;) parts.push_back(w);
  std::vector<publish::TimedWord> words;
  const double step = (end - start) / static_cast<double>(parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i)
    words.push_back({start + step * static_cast<double>(i), start + step * (static_cast<double>(i) + 0.8), parts[i]});
  return words;
}

publish::Cue cue(double start, double end, const std::string& text, int story, const std::string& kind,
                 bool ends_paragraph = false) {
  publish::Cue c;
  c.start = start;
  c.end = end;
  c.text = text;
  c.story = story;
  c.kind = kind;
  c.ends_paragraph = ends_paragraph;
  c.words = spread(text, start, end);
  return c;
}

}  // namespace

TEST_CASE("say --transcript writes an episode page that plays, is keyboard usable and passes axe-core in Chromium",
          "[e2e][say][page][browser]") {
  const fs::path dir = tempDir("e2e-page");
  // Two articles, so there are two chapters and the second starts well after 0.
  const auto r = runWarta({"say", "samples/articles/panen-raya.txt", "samples/articles/banjir-blitar.txt", "-o",
                           (dir / "a.mp3").string(), "--transcript"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(fs::exists(dir / "a.html"));
  CHECK(leftoverTemps(dir).empty());

  // The page plays the MP3 beside it; every sentence of it starts a caption of
  // the WebVTT file (a long sentence may be several captions).
  const std::string html = readText(dir / "a.html");
  const std::string vtt = readText(dir / "a.vtt");
  CHECK(html.find("src=\"./a.mp3\"") != std::string::npos);
  CHECK(html.find("http") == std::string::npos);
  const std::size_t sentences = count(html, "class=\"cue\"");
  CHECK(sentences >= 10);
  CHECK(sentences <= count(vtt, " --> "));
  std::vector<long> caption_starts;  // ms
  for (auto at = vtt.find(" --> "); at != std::string::npos; at = vtt.find(" --> ", at + 1)) {
    const std::string t = vtt.substr(vtt.rfind('\n', at) + 1, at - vtt.rfind('\n', at) - 1);  // HH:MM:SS.mmm
    caption_starts.push_back(std::stol(t.substr(0, 2)) * 3600000 + std::stol(t.substr(3, 2)) * 60000 +
                             std::stol(t.substr(6, 2)) * 1000 + std::stol(t.substr(9, 3)));
  }
  for (auto at = html.find("class=\"cue\""); at != std::string::npos; at = html.find("class=\"cue\"", at + 1)) {
    const long start = std::lround(std::stod(html.substr(html.find("data-start=\"", at) + 12)) * 1000);
    INFO(start);
    CHECK(std::any_of(caption_starts.begin(), caption_starts.end(), [&](long c) { return std::labs(c - start) <= 1; }));
  }
  CHECK(count(html, "<section class=\"story\"") == 2);
  CHECK(count(html, "<button type=\"button\" data-start=") == 2);  // 2 chapters

  drive(dir / "a.html", kCommon, 21);
}

TEST_CASE("an episode page with timed words: words highlight, play from the keyboard and a click, axe-core passes",
          "[e2e][page][browser]") {
  const fs::path dir = tempDir("e2e-page-words");
  // A tone stands in for speech: the page only needs audio of the right length.
  const double seconds = 16.0;
  {
    warta::encode::OutputSettings settings;
    settings.sample_rate = 44100;
    settings.channels = 1;
    warta::encode::Mp3Writer writer(dir / "kabar pagi.mp3", settings);
    writer.write(tone(440, seconds, 44100, 1, 0.2));
    writer.finish();
  }
  const std::vector<publish::Cue> cues = {
      cue(0.2, 1.8, "Kabar Pagi, Rabu (11/6/2025).", -1, "opening", true),
      cue(2.0, 3.5, "Panen raya dimulai di Blitar", 0, "headline"),
      cue(3.6, 4.6, "Kota Blitar, mitratoday.com \u2014", 0, "dateline"),
      cue(4.7, 7.5, "TNI, Polri dan <Pemkot> menyiapkan Rp 1,5 miliar.", 0, "sentence"),
      cue(7.6, 9.0, "Harga gabah naik \"lima\" persen.", 0, "sentence", true),
      cue(9.1, 10.0, "Kata petani", 0, "subhead"),
      cue(10.1, 11.5, "Petani menyambut baik.", 0, "sentence", true),
      cue(11.6, 12.6, "Banjir surut di Kediri", 1, "headline"),
      cue(12.7, 14.0, "Air surut sejak pagi tadi.", 1, "sentence", true),
      cue(14.1, 15.4, "Sekian Kabar Pagi & sampai besok.", -1, "closing", true),
  };
  const std::vector<publish::ChapterMark> chapters = {{2.0, "Panen raya dimulai di Blitar"},
                                                      {11.6, "Banjir surut di Kediri"}};
  publish::EpisodeInfo info;
  info.show = "Kabar Pagi";
  info.date = "11 Juni 2025";
  info.audio_file = "kabar pagi.mp3";
  info.duration = seconds;
  publish::writeEpisodePage(dir / "kabar pagi.html", info, cues, chapters);
  const std::string html = readText(dir / "kabar pagi.html");
  std::size_t words = 0;
  for (const auto& c : cues) words += c.words.size();
  CHECK(count(html, "<span class=\"w\"") == words);
  CHECK(attributeTimes(html, "data-start").size() == words + cues.size() + chapters.size());

  std::vector<std::string> required = kCommon;
  for (const char* name :
       {"the highlighted word follows currentTime", "axe-core finds no violations (sentence and word highlighted)",
        "arrow keys move from word to word and announce it", "Enter on word 2 of sentence",
        "Right after the last word goes on to the next sentence", "click on the word"})
    required.push_back(name);
  const std::string out = drive(dir / "kabar pagi.html", required, 27);
  CHECK(out.find("\"title\": \"Kabar Pagi, 11 Juni 2025\"") != std::string::npos);
}
