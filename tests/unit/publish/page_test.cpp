#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "publish/page.h"
#include "support/media.h"

using namespace warta::publish;
namespace fs = std::filesystem;

namespace {

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

const std::vector<Cue> kCues = {
    {0.5, 2.0, "Kabar Pagi, edisi Rabu.", -1},
    {2.4, 5.1, "Panen raya dimulai di Blitar.", 0},
    {5.5, 9.0, "Harga gabah naik lima persen.", 0},
    {9.6, 12.0, "Banjir surut di Kediri.", 1},
};
const std::vector<ChapterMark> kChapters = {{2.4, "Panen raya dimulai"}, {9.6, "Banjir surut"}};
const EpisodeInfo kInfo{"Panen raya dimulai", "kabar pagi.mp3", 3725.5};

}  // namespace

TEST_CASE("clockTime shows minutes and seconds, hours only when needed", "[publish][page]") {
  CHECK(clockTime(0) == "0:00");
  CHECK(clockTime(9.99) == "0:09");
  CHECK(clockTime(62.5) == "1:02");
  CHECK(clockTime(3725.5) == "1:02:05");
  CHECK(clockTime(-3) == "0:00");
}

TEST_CASE("htmlEscape escapes markup and attribute quotes", "[publish][page]") {
  CHECK(htmlEscape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(htmlEscape("Rp 1,5 miliar") == "Rp 1,5 miliar");
}

TEST_CASE("episode page: every cue and chapter, in order, as buttons", "[publish][page]") {
  const std::string html = episodePage(kInfo, kCues, kChapters);
  std::size_t last = 0;
  for (const auto& c : kCues) {
    const auto at = html.find(">" + c.text + "</button>");
    INFO(c.text);
    REQUIRE(at != std::string::npos);
    CHECK(at > last);
    last = at;
  }
  for (const auto& c : kChapters) CHECK(html.find("<span>" + c.title + "</span>") != std::string::npos);
  CHECK(html.find("data-start=\"2.400\" data-end=\"5.100\"") != std::string::npos);
  CHECK(html.find("data-start=\"9.600\" aria-label=\"Banjir surut, mulai 0:09\"") != std::string::npos);
  CHECK(count(html, "<button type=\"button\"") == kCues.size() + kChapters.size());
  CHECK(html.find("<div") == std::string::npos);  // nothing clickable that is not a control
  CHECK(html.find("<span id=\"duration\">1:02:05</span>") != std::string::npos);
  CHECK(html.find("<title>Panen raya dimulai</title>") != std::string::npos);
  CHECK(html.find("<h1>Panen raya dimulai</h1>") != std::string::npos);
}

TEST_CASE("episode page escapes every text it shows", "[publish][page]") {
  const std::vector<Cue> cues = {{0, 1, "<script>alert('x')</script> & \"kutip\"", 0}};
  const std::vector<ChapterMark> chapters = {{0, "A < B & \"C\""}};
  const EpisodeInfo info{"Judul <b>tebal</b> & 'miring'", "x\"><img src=y>.mp3", 10};
  const std::string html = episodePage(info, cues, chapters);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;kutip&quot;") != std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("<h1>Judul &lt;b&gt;tebal&lt;/b&gt; &amp; &#39;miring&#39;</h1>") != std::string::npos);
  CHECK(html.find("A &lt; B &amp; &quot;C&quot;") != std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  // The audio's name is a relative URL, percent-encoded.
  CHECK(html.find("src=\"./x%22%3E%3Cimg%20src%3Dy%3E.mp3\"") != std::string::npos);
  CHECK(count(html, "<script>") == 1);  // the page's own script only
}

TEST_CASE("episode page has no external assets", "[publish][page]") {
  const std::string html = episodePage(kInfo, kCues, kChapters);
  CHECK(html.find("http") == std::string::npos);
  const std::regex attr(R"re((src|href)\s*=\s*"([^"]*)")re");
  int refs = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), attr); it != std::sregex_iterator(); ++it) {
    const std::string url = (*it)[2];
    INFO(url);
    CHECK(url.rfind("//", 0) == std::string::npos);
    CHECK(url.find(':') == std::string::npos);
    CHECK((url == "#main" || url == "./kabar%20pagi.mp3"));
    ++refs;
  }
  CHECK(refs == 4);  // skip link, the audio, its fallback link, the download link
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("<audio id=\"audio\" controls") != std::string::npos);
}

TEST_CASE("episode page: landmarks, language, labels, skip link, focus and motion styles", "[publish][page]") {
  const std::string html = episodePage(kInfo, kCues, kChapters);
  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"id\">", 0) == 0);
  CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
  for (const char* tag : {"<header>", "<main id=\"main\"", "<nav aria-label=\"Bab\">", "<footer>"}) {
    INFO(tag);
    CHECK(count(html, tag) == 1);
  }
  CHECK(html.find("<a class=\"skip\" href=\"#main\">") < html.find("<header>"));
  CHECK(html.find("<ol class=\"chapters\" aria-label=\"Daftar bab\">") != std::string::npos);
  CHECK(html.find("<ol class=\"transcript\" aria-label=\"") != std::string::npos);
  CHECK(html.find("aria-label=\"Pemutar audio: Panen raya dimulai\"") != std::string::npos);
  CHECK(count(html, "<h1>") == 1);
  CHECK(count(html, "<h2 ") == 3);  // player, chapters, transcript
  CHECK(html.find(":focus-visible { outline: 3px solid") != std::string::npos);
  CHECK(html.find("@media (prefers-reduced-motion: reduce)") != std::string::npos);
  CHECK(html.find("aria-current") != std::string::npos);
  CHECK(html.find("timeupdate") != std::string::npos);
}

TEST_CASE("episode page without chapters has no empty chapter list", "[publish][page]") {
  const std::string html = episodePage(kInfo, kCues, {});
  CHECK(html.find("<nav") == std::string::npos);
  CHECK(html.find("class=\"chapters\"") == std::string::npos);
  CHECK(count(html, "<button type=\"button\"") == kCues.size());
}

TEST_CASE("writeEpisodePage writes the page atomically", "[publish][page]") {
  const fs::path dir = warta::test::tempDir("page-write");
  writeEpisodePage(dir / "a.html", kInfo, kCues, kChapters);
  CHECK(warta::test::readText(dir / "a.html") == episodePage(kInfo, kCues, kChapters));
  CHECK(fs::directory_iterator(dir) != fs::directory_iterator());
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  CHECK(files == 1);
  CHECK_THROWS_WITH(writeEpisodePage(dir / "missing" / "a.html", kInfo, kCues, kChapters),
                    Catch::Contains("a.html"));
}
