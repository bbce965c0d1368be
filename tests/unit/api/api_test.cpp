// SPDX-License-Identifier: GPL-3.0-or-later
// libwarta's public API (warta/warta.h), linked as libwarta.so like any
// user's program: this test sees no internal header. Outputs are judged by
// Indonesian number words known independently, by the `warta` CLI's own
// commands (the library must say what the CLI says), and by ffprobe.
#include <catch2/catch.hpp>

#include <warta/warta.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "support/cli.h"

namespace fs = std::filesystem;
using warta::test::runWarta;
using warta::test::sourceDir;

namespace {

const fs::path kArticle = "samples/articles/banjir-blitar.txt";

// A fresh folder under the build's temporary space, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string name = (fs::temp_directory_path() / "warta-api-test-XXXXXX").string();
    REQUIRE(::mkdtemp(name.data()) != nullptr);
    path = name;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// ffprobe's duration of a media file in seconds; -1 if it cannot read it.
double probedSeconds(const fs::path& file) {
  const std::string command =
      "ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 '" + file.string() + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) return -1;
  char buffer[128] = {};
  if (std::fgets(buffer, sizeof buffer, pipe.get()) == nullptr) return -1;
  try {
    return std::stod(buffer);
  } catch (...) {
    return -1;
  }
}

template <typename Fn>
warta::Error caught(Fn&& fn) {
  try {
    fn();
  } catch (const warta::Error& e) {
    return e;
  }
  FAIL("no warta::Error was thrown");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("prepare() gives the segments `warta normalize` prints: number words, phonemes, reasons", "[api]") {
  warta::Studio studio;
  const warta::Script script = studio.prepare(sourceDir() / kArticle);
  REQUIRE(script.segments.size() > 5);

  const auto& headline = script.segments.front();
  CHECK(headline.kind == warta::SegmentKind::Headline);
  CHECK(std::string(warta::kindName(headline.kind)) == "headline");
  CHECK(headline.line == 1);
  CHECK(headline.written == "Banjir Rendam Ratusan Rumah di Kelurahan Sumberjati, Warga Mengungsi");

  // "Sedikitnya 1.250 rumah" (line 3): 1.250 is one thousand two hundred fifty in Indonesian words.
  bool found_number = false;
  for (const auto& s : script.segments) {
    CHECK(s.spoken.find_first_of("0123456789") == std::string::npos);
    if (s.written.find("1.250 rumah") != std::string::npos) {
      found_number = true;
      CHECK(s.line == 3);
      CHECK(s.spoken.find("seribu dua ratus lima puluh rumah") != std::string::npos);
      bool reason = false;
      for (const auto& r : s.reasons)
        if (r.written == "1.250") {
          reason = true;
          CHECK(r.spoken == "seribu dua ratus lima puluh");
          CHECK_FALSE(r.why.empty());
        }
      CHECK(reason);
    }
    if (!s.spoken.empty()) {
      CHECK_FALSE(s.phonemes.empty());
      CHECK(s.phonemes.find("[[") == std::string::npos);
      CHECK_FALSE(s.said.empty());
    }
    CHECK(s.pause_after > 0);
  }
  CHECK(found_number);

  // The CLI's normalize and normalize --phonemes, line by line.
  const auto words = runWarta({"normalize", kArticle.string()});
  const auto phon = runWarta({"normalize", kArticle.string(), "--phonemes"});
  REQUIRE(words.exit_code == 0);
  REQUIRE(phon.exit_code == 0);
  const auto word_lines = lines(words.out);
  const auto phoneme_lines = lines(phon.out);
  REQUIRE(word_lines.size() == script.segments.size());
  REQUIRE(phoneme_lines.size() == script.segments.size());
  for (std::size_t i = 0; i < script.segments.size(); ++i) {
    INFO("segment " << i);
    CHECK(script.segments[i].spoken == word_lines[i]);
    CHECK(script.segments[i].phonemes == phoneme_lines[i]);
  }
}

TEST_CASE("check() lists what `warta lexicon check` lists", "[api]") {
  warta::Studio studio;
  const auto rows = studio.check(sourceDir() / kArticle);
  REQUIRE_FALSE(rows.empty());
  // Guesses first, as the CLI orders them.
  bool seen_sure = false;
  for (const auto& r : rows) {
    if (!r.guess) seen_sure = true;
    else CHECK_FALSE(seen_sure);
  }
  // BPBD is first written on line 5 of the article.
  bool bpbd = false;
  for (const auto& r : rows)
    if (r.written == "BPBD") {
      bpbd = true;
      CHECK(r.line == 5);
    }
  CHECK(bpbd);
  // Every row is one of the CLI's lines: "FILE:LINE  written  ->  spoken  (why)".
  const auto cli = runWarta({"lexicon", "check", kArticle.string()});
  REQUIRE(cli.exit_code == 0);
  std::size_t matched = 0;
  for (const auto& r : rows) {
    const std::regex line(":" + std::to_string(r.line) + " +" +
                          std::regex_replace(r.written, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") + " +-> +");
    if (std::regex_search(cli.out, line)) ++matched;
  }
  CHECK(matched == rows.size());
}

TEST_CASE("errors carry their kind and where", "[api]") {
  warta::Studio studio;
  SECTION("a missing article is an input error naming it") {
    const warta::Error e = caught([&] { studio.prepare("no/such/article.txt"); });
    CHECK(e.kind() == warta::ErrorKind::Input);
    CHECK(std::string(e.what()).find("no/such/article.txt") != std::string::npos);
  }
  SECTION("an unknown voice is a usage error") {
    const warta::Error e = caught([&] { studio.prepare(sourceDir() / kArticle, "no-such-voice"); });
    CHECK(e.kind() == warta::ErrorKind::Usage);
  }
  SECTION("a bad rundown is a config error with FILE:LINE:COL") {
    TempDir dir;
    const fs::path file = dir.path / "rundown.yaml";
    std::ofstream(file) << "show: Kabar Pagi\nstories:\n  - " << (sourceDir() / kArticle).string()
                        << "\nsoundtrack: x\n";
    const warta::Error e = caught([&] { warta::Rundown::load(file); });
    CHECK(e.kind() == warta::ErrorKind::Config);
    CHECK(std::string(e.what()).rfind(file.string() + ":4:1: ", 0) == 0);
    CHECK(std::string(e.what()).find("soundtrack") != std::string::npos);
  }
  SECTION("a missing rundown is an input error") {
    CHECK(caught([] { warta::Rundown::load("no-such-rundown.yaml"); }).kind() == warta::ErrorKind::Input);
  }
  SECTION("options are checked before any work") {
    warta::SayOptions o;
    o.output = "out.ogg";
    CHECK(caught([&] { o.validate(); }).kind() == warta::ErrorKind::Usage);
    o.output = "out.wav";
    o.talking_book = true;
    CHECK(caught([&] { o.validate(); }).kind() == warta::ErrorKind::Usage);
    o.talking_book = false;
    o.rate_wpm = 20;
    CHECK(caught([&] { studio.render(std::vector<fs::path>{sourceDir() / kArticle}, o); }).kind() ==
          warta::ErrorKind::Usage);
    CHECK_FALSE(fs::exists("out.wav"));
  }
  SECTION("an output onto an input is refused before anything is written") {
    TempDir dir;
    const fs::path article = dir.path / "a.wav";  // an article that happens to end in .wav
    fs::copy_file(sourceDir() / kArticle, article);
    warta::SayOptions o;
    o.output = article;
    const warta::Error e = caught([&] { studio.render({article}, o); });
    CHECK(e.kind() == warta::ErrorKind::Usage);
    std::ifstream in(article);
    std::string first;
    std::getline(in, first);
    CHECK(first.rfind("Banjir Rendam", 0) == 0);  // untouched
  }
  SECTION("a rundown built in code is checked like a file") {
    warta::RundownConfig c;
    c.show = "Kabar Pagi";
    c.stories = {{"no-such-story.txt", ""}};
    c.folder = sourceDir();
    const warta::Error missing = caught([&] { warta::Rundown::build(c); });
    CHECK(missing.kind() == warta::ErrorKind::Config);
    CHECK(std::string(missing.what()).find("no-such-story.txt") != std::string::npos);
    c.date = "2025-02-30";
    CHECK(caught([&] { warta::Rundown::build(c); }).kind() == warta::ErrorKind::Usage);
  }
}

TEST_CASE("render() of an edited script and of a rundown built in code, with progress", "[api]") {
  TempDir dir;
  warta::Studio studio;
  warta::Script script = studio.prepare(sourceDir() / kArticle);
  script.segments.resize(1);  // the headline alone
  warta::SayOptions o;
  o.output = dir.path / "headline.mp3";
  o.jobs = 1;
  o.timeline = dir.path / "headline.tsv";
  std::vector<warta::Progress> seen;
  const warta::RenderResult r = studio.render({script}, o, [&](const warta::Progress& p) { seen.push_back(p); });
  CHECK(r.output == o.output);
  REQUIRE(r.files.size() == 2);
  CHECK(fs::exists(o.timeline));
  const double seconds = probedSeconds(o.output);
  // Eleven words at the voice's pace: a few seconds, and what the result says within one MP3 frame.
  CHECK(seconds > 2.0);
  CHECK(seconds < 12.0);
  CHECK(std::abs(seconds - r.seconds) < 0.05);
  REQUIRE(r.chapters.size() == 1);
  CHECK(r.chapters[0].title == script.segments[0].written);
  // Progress: prepare, at least one chunk, done at 1; never backwards.
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.front().phase == "prepare");
  CHECK(seen.back().phase == "done");
  CHECK(seen.back().fraction == Approx(1.0));
  bool chunk = false;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (seen[i].phase == "render" && seen[i].done >= 1) chunk = true;
    if (i > 0) CHECK(seen[i].fraction >= seen[i - 1].fraction);
  }
  CHECK(chunk);

  // One story, the sample jingles: a bulletin with the show's chapter and the story's.
  warta::RundownConfig c;
  c.show = "Kabar Pagi";
  c.date = "2025-06-11";
  c.folder = sourceDir() / "samples";
  c.stories = {{"articles/festival-budaya.txt", ""}};
  c.output_file = "{show}-{date}.mp3";
  const warta::Rundown rundown = warta::Rundown::build(c);
  CHECK(rundown.outputName() == "Kabar Pagi-2025-06-11.mp3");
  CHECK_FALSE(rundown.publishes());
  warta::BuildOptions b;
  b.out_dir = dir.path / "out";
  b.jobs = 2;
  b.transcript = true;
  std::size_t calls = 0;
  const warta::RenderResult bulletin = studio.render(rundown, b, [&](const warta::Progress&) { ++calls; });
  CHECK(bulletin.output == b.out_dir / "Kabar Pagi-2025-06-11.mp3");
  CHECK(probedSeconds(bulletin.output) > 5.0);
  CHECK(bulletin.chapters.size() == 2);
  CHECK(fs::exists(b.out_dir / "Kabar Pagi-2025-06-11.vtt"));
  CHECK(calls >= 3);
  // No feed to update: publish() says so.
  CHECK(caught([&] { studio.publish(rundown, bulletin, b.out_dir); }).kind() == warta::ErrorKind::Usage);
}

TEST_CASE("publish() adds a bulletin rendered without publishing to the rundown's feed", "[api]") {
  TempDir dir;
  std::ofstream(dir.path / "hujan.txt") << "Hujan Deras Guyur Kota Blitar\n\nKota Blitar – Hujan deras turun sejak "
                                           "Rabu (11/6/2025) pagi. Sebanyak 120 rumah terendam air.\n";
  std::ofstream(dir.path / "rundown.yaml") << "show: Kabar Pagi\ndate: 2025-06-11\nstories:\n  - hujan.txt\n"
                                              "publish:\n  base_url: https://radio.example/kabar/\n";
  const warta::Rundown rundown = warta::Rundown::load(dir.path / "rundown.yaml");
  CHECK(rundown.publishes());
  warta::Studio studio;
  warta::BuildOptions b;
  b.publish = false;
  b.transcript = true;
  b.jobs = 2;
  const warta::RenderResult bulletin = studio.render(rundown, b);
  CHECK_FALSE(fs::exists(dir.path / "feed.xml"));
  studio.publish(rundown, bulletin);
  REQUIRE(fs::exists(dir.path / "feed.xml"));
  // Python's XML parser, not ours: one item whose enclosure is the bulletin, served from base_url.
  const std::string command =
      "python3 -c \"import sys, xml.etree.ElementTree as E; items = "
      "E.parse(sys.argv[1]).getroot().findall('channel/item'); "
      "print(len(items), items[0].find('enclosure').get('url'), items[0].find('enclosure').get('length'))\" '" +
      (dir.path / "feed.xml").string() + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  REQUIRE(pipe);
  char buffer[512] = {};
  REQUIRE(std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr);
  std::istringstream fields(buffer);
  int items = 0;
  std::string url, length;
  fields >> items >> url >> length;
  CHECK(items == 1);
  CHECK(url == "https://radio.example/kabar/Kabar%20Pagi-2025-06-11.mp3");
  CHECK(length == std::to_string(fs::file_size(bulletin.output)));
}

TEST_CASE("threads may render and prepare at once: eSpeak runs only in workers, so results match one thread's",
          "[api]") {
  TempDir dir;
  const fs::path article = sourceDir() / "samples/articles/panen-raya.txt";
  warta::Studio alone;
  const warta::Script expected = alone.prepare(article);
  // Four threads, each with its own Studio: two render the same article, two prepare it.
  std::string errors[4];
  warta::Script prepared[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      try {
        warta::Studio studio;
        if (t < 2) {
          warta::SayOptions o;
          o.output = dir.path / ("say-" + std::to_string(t) + ".mp3");
          o.jobs = 1;
          studio.render({article}, o);
        } else {
          prepared[t - 2] = studio.prepare(article);
        }
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors) CHECK(e == "");
  // The same article, voice and options: the same bytes from both threads, and a whole MP3.
  std::ifstream a(dir.path / "say-0.mp3", std::ios::binary), b(dir.path / "say-1.mp3", std::ios::binary);
  const std::string bytes_a((std::istreambuf_iterator<char>(a)), {}), bytes_b((std::istreambuf_iterator<char>(b)), {});
  CHECK(bytes_a.size() > 10000);
  CHECK(bytes_a == bytes_b);
  CHECK(probedSeconds(dir.path / "say-0.mp3") > 5.0);
  for (const auto& script : prepared) {
    REQUIRE(script.segments.size() == expected.segments.size());
    for (std::size_t i = 0; i < script.segments.size(); ++i) {
      CHECK(script.segments[i].spoken == expected.segments[i].spoken);
      CHECK(script.segments[i].phonemes == expected.segments[i].phonemes);
    }
  }
}
