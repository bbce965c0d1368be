// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: `say` and `build` with --talking-book write an EPUB 3 with Media
// Overlays that epubcheck (the W3C's validator) accepts without an error or a
// warning, whose clips start where each sentence is heard in the decoded MP3.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "support/cli.h"
#include "support/epub.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

struct Clip {
  std::string text_src;
  double begin = 0, end = 0;
};

// Every par of every overlay, in reading (spine) order.
std::vector<Clip> clipsOf(const std::vector<ZipEntry>& entries) {
  const std::string opf = zipEntry(entries, "EPUB/package.opf").data;
  std::vector<Clip> out;
  for (const auto& ref : xpath(opf, "//opf:spine/opf:itemref")) {
    const auto item = xpath(opf, "//opf:item[@id='" + ref.attributes.at("idref") + "']").at(0);
    const auto smil = xpath(opf, "//opf:item[@id='" + item.attributes.at("media-overlay") + "']").at(0);
    const std::string doc = zipEntry(entries, "EPUB/" + smil.attributes.at("href")).data;
    const auto texts = xpath(doc, "//smil:par/smil:text");
    const auto audios = xpath(doc, "//smil:par/smil:audio");
    REQUIRE(texts.size() == audios.size());
    for (std::size_t i = 0; i < texts.size(); ++i)
      out.push_back({texts[i].attributes.at("src"), smilClock(audios[i].attributes.at("clipBegin")),
                     smilClock(audios[i].attributes.at("clipEnd"))});
  }
  return out;
}

// epubcheck's verdict: "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos" (4.x), and its whole report.
struct EpubCheck {
  int exit_code = -1;
  int fatals = -1, errors = -1, warnings = -1;
  std::string report;
};

EpubCheck epubcheck(const fs::path& epub) {
  // Debian's /usr/bin/epubcheck is the jar itself (run through binfmt_misc where jarwrapper is set up);
  // java -jar runs it on any machine with the package.
  const fs::path jar = "/usr/share/java/epubcheck.jar";
  const std::string program = fs::exists(jar) ? "java -jar " + jar.string() : "epubcheck";
  const fs::path report = epub.parent_path() / "epubcheck.out";
  const std::string command = program + " '" + epub.string() + "' > '" + report.string() + "' 2>&1";
  EpubCheck r;
  const int status = std::system(command.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.report = readText(report);
  std::smatch m;
  if (std::regex_search(r.report, m, std::regex(R"(Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings?)"))) {
    r.fatals = std::stoi(m[1]);
    r.errors = std::stoi(m[2]);
    r.warnings = std::stoi(m[3]);
  } else if (r.report.find("No errors or warnings detected") != std::string::npos) {
    r.fatals = r.errors = r.warnings = 0;
  }
  return r;
}

// The clips are in order, never overlap, end inside the audio, and each starts where its sentence is heard:
// near silence just before clipBegin, speech within 100 ms after it (as the WebVTT cue test measures).
void checkClipsAgainstAudio(const std::vector<Clip>& clips, const fs::path& mp3, std::size_t at_least) {
  const auto audio = decodeFile(mp3).audio;
  REQUIRE(clips.size() >= at_least);
  double previous_end = 0;
  for (std::size_t i = 0; i < clips.size(); ++i) {
    const Clip& c = clips[i];
    INFO("clip " << i + 1 << " (" << c.text_src << ") " << c.begin << " - " << c.end << " s of " << audio.seconds());
    CHECK(c.begin >= previous_end - 0.0005);
    CHECK(c.end > c.begin);
    const double onset = soundOnset(audio, c.begin - 0.3, c.begin + 1.0);
    CHECK(std::abs(onset - c.begin) <= 0.100);
    CHECK(rmsDb(audio, c.begin, c.begin + 0.3) > rmsDb(audio, c.begin - 0.12, c.begin - 0.02) + 10.0);
    previous_end = c.end;
  }
  CHECK(clips.back().end <= audio.seconds() + 0.0005);
}

}  // namespace

TEST_CASE("epubcheck runs here", "[e2e][epub]") {
  const fs::path dir = tempDir("e2e-epubcheck-version");
  const std::string command =
      "java -jar /usr/share/java/epubcheck.jar --version > '" + (dir / "v.out").string() + "' 2>&1";
  INFO("scripts/setup.sh installs the Debian package epubcheck");
  const int status = std::system(command.c_str());  // exits 1 ("No file specified") after printing its version
  INFO("exit status " << status);
  CHECK(readText(dir / "v.out").find("EPUBCheck v4") != std::string::npos);
}

TEST_CASE("say --talking-book writes an EPUB 3 talking book epubcheck passes, clips where sentences are heard",
          "[e2e][epub]") {
  const fs::path dir = tempDir("e2e-say-epub");
  const auto r =
      runWarta({"say", "samples/articles/banjir-blitar.txt", "-o", (dir / "x.mp3").string(), "--talking-book"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const fs::path epub = dir / "x.epub";
  REQUIRE(fs::is_regular_file(epub));
  CHECK(leftoverTemps(dir).empty());

  const EpubCheck check = epubcheck(epub);
  INFO(check.report);
  CHECK(check.exit_code == 0);
  CHECK(check.fatals == 0);
  CHECK(check.errors == 0);
  CHECK(check.warnings == 0);

  const auto entries = readZip(epub);
  CHECK(entries.at(0).name == "mimetype");
  CHECK(zipEntry(entries, "EPUB/audio.mp3").data == readText(dir / "x.mp3"));
  const std::string opf = zipEntry(entries, "EPUB/package.opf").data;
  CHECK(xpath(opf, "//dc:language").at(0).text == "id");
  // One article, one chapter: its title is the article's headline, the ID3 chapter's title.
  const auto chapters = readChapters(dir / "x.mp3");
  REQUIRE(chapters.size() == 1);
  CHECK(xpath(opf, "//dc:title").at(0).text == chapters[0].title);
  checkClipsAgainstAudio(clipsOf(entries), dir / "x.mp3", 10);
}

TEST_CASE("build --talking-book makes a chapter per story, plus the opening and close, epubcheck passes",
          "[e2e][epub]") {
  const fs::path dir = tempDir("e2e-build-epub");
  const auto r = runWarta({"build", "samples/rundown.yaml", "-o", dir.string(), "--talking-book"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const fs::path mp3 = dir / "Kabar Pagi-2025-06-11.mp3";
  const fs::path epub = dir / "Kabar Pagi-2025-06-11.epub";
  REQUIRE(fs::is_regular_file(epub));

  const EpubCheck check = epubcheck(epub);
  INFO(check.report);
  CHECK(check.exit_code == 0);
  CHECK(check.fatals == 0);
  CHECK(check.errors == 0);
  CHECK(check.warnings == 0);

  const auto entries = readZip(epub);
  const std::string opf = zipEntry(entries, "EPUB/package.opf").data;
  CHECK(xpath(opf, "//dc:title").at(0).text == "Kabar Pagi, Rabu, 11 Juni 2025");
  CHECK(xpath(opf, "//dc:date").at(0).text == "2025-06-11");
  const auto nav_item = xpath(opf, "//opf:item[@properties='nav']").at(0);
  const auto links =
      xpath(zipEntry(entries, "EPUB/" + nav_item.attributes.at("href")).data, "//xhtml:nav[@epub:type='toc']//xhtml:a");
  // The stories' titles are the bulletin's ID3 chapters after the show's own (the intro and
  // opening), between the book's opening and close.
  const auto chapters = readChapters(mp3);
  REQUIRE(chapters.size() == 5);
  CHECK(chapters[0].title == "Kabar Pagi, Rabu, 11 Juni 2025");
  REQUIRE(links.size() == chapters.size() + 1);
  CHECK(links.front().text == "Pembuka");
  CHECK(links.back().text == "Penutup");
  for (std::size_t i = 1; i < chapters.size(); ++i) CHECK(links[i].text == chapters[i].title);
  checkClipsAgainstAudio(clipsOf(entries), mp3, 30);
}

TEST_CASE("the talking book refuses a WAV output and an output that clashes with the book", "[e2e][epub]") {
  const fs::path dir = tempDir("e2e-epub-refuse");
  const auto wav =
      runWarta({"say", "samples/articles/banjir-blitar.txt", "-o", (dir / "x.wav").string(), "--talking-book"});
  CHECK(wav.exit_code == 2);
  CHECK(wav.err.find("--talking-book") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "x.wav"));
  // The timeline asked for at x.epub would be the talking book: stopped before any work.
  const auto clash = runWarta({"say", "samples/articles/banjir-blitar.txt", "-o", (dir / "x.mp3").string(),
                               "--talking-book", "--timeline", (dir / "x.epub").string()});
  CHECK(clash.exit_code == 2);
  CHECK(clash.err.find("talking book") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "x.mp3"));
}

TEST_CASE("say --each --talking-book writes a talking book beside each article's MP3", "[e2e][epub]") {
  const fs::path dir = tempDir("e2e-each-epub");
  fs::create_directories(dir / "in" / "sub");
  fs::copy_file(sourceDir() / "samples/articles/banjir-blitar.txt", dir / "in" / "banjir.txt");
  fs::copy_file(sourceDir() / "samples/articles/panen-raya.txt", dir / "in" / "sub" / "panen.txt");
  const auto r = runWarta({"say", "--each", (dir / "in").string(), "-o", (dir / "out").string(), "--talking-book"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const fs::path& name : {fs::path("banjir"), fs::path("sub") / "panen"}) {
    const fs::path mp3 = dir / "out" / (name.string() + ".mp3"), epub = dir / "out" / (name.string() + ".epub");
    INFO(epub);
    REQUIRE(fs::is_regular_file(epub));
    const auto entries = readZip(epub);
    CHECK(zipEntry(entries, "EPUB/audio.mp3").data == readText(mp3));
    const auto clips = clipsOf(entries);
    REQUIRE(clips.size() >= 5);
    CHECK(clips.back().end <= decodeFile(mp3).audio.seconds() + 0.0005);
  }
}
