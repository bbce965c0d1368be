// SPDX-License-Identifier: GPL-3.0-or-later
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

Cue cue(double start, double end, std::string text, int story, std::string kind, bool ends_paragraph = false,
        std::vector<TimedWord> words = {}) {
  Cue c;
  c.start = start;
  c.end = end;
  c.text = std::move(text);
  c.story = story;
  c.kind = std::move(kind);
  c.ends_paragraph = ends_paragraph;
  c.words = std::move(words);
  return c;
}

EpisodeInfo episode(std::string title, std::string audio_file, double duration) {
  EpisodeInfo info;
  info.title = std::move(title);
  info.audio_file = std::move(audio_file);
  info.duration = duration;
  return info;
}

// Cues as a caller that knows only stories gives them: kind "sentence", no paragraph ends, no words.
const std::vector<Cue> kCues = {
    cue(0.5, 2.0, "Kabar Pagi, edisi Rabu.", -1, "sentence"),
    cue(2.4, 5.1, "Panen raya dimulai di Blitar.", 0, "sentence"),
    cue(5.5, 9.0, "Harga gabah naik lima persen.", 0, "sentence"),
    cue(9.6, 12.0, "Banjir surut di Kediri.", 1, "sentence"),
};
const std::vector<ChapterMark> kChapters = {{2.4, "Panen raya dimulai"}, {9.6, "Banjir surut"}};
const EpisodeInfo kInfo = episode("Panen raya dimulai", "kabar pagi.mp3", 3725.5);

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

TEST_CASE("episode page: every cue and chapter, in order, as controls", "[publish][page]") {
  const std::string html = episodePage(kInfo, kCues, kChapters);
  std::size_t last = 0;
  for (const auto& c : kCues) {
    const auto at = html.find(">" + c.text + "</span>");
    INFO(c.text);
    REQUIRE(at != std::string::npos);
    CHECK(at > last);
    last = at;
  }
  for (const auto& c : kChapters) CHECK(html.find("<span>" + c.title + "</span>") != std::string::npos);
  CHECK(html.find("role=\"button\" tabindex=\"0\" data-start=\"2.400\" data-end=\"5.100\"") != std::string::npos);
  // One tab stop per sentence, one button per chapter.
  CHECK(count(html, "<span class=\"cue\" role=\"button\" tabindex=\"0\"") == kCues.size());
  CHECK(count(html, "tabindex=\"0\"") == kCues.size());
  CHECK(count(html, "<button type=\"button\"") == kChapters.size());
  CHECK(html.find("<div") == std::string::npos);
  CHECK(html.find("<span id=\"duration\">1:02:05</span>") != std::string::npos);
  CHECK(html.find("<title>Panen raya dimulai</title>") != std::string::npos);
  CHECK(html.find("<h1>Panen raya dimulai</h1>") != std::string::npos);
}

TEST_CASE("chapter buttons are named by their visible text first", "[publish][page]") {
  const std::string html = episodePage(kInfo, kCues, kChapters);
  // No aria-label to disagree with what is shown (axe: label-content-name-mismatch): the
  // name is the content, "Banjir surut, mulai 0:09", and the title and time are visible.
  CHECK(html.find("<li><button type=\"button\" data-start=\"9.600\"><span>Banjir surut</span>"
                  "<span class=\"vh\">, mulai</span> <span class=\"time\">0:09</span></button></li>") !=
        std::string::npos);
  const auto nav = html.find("<nav");
  REQUIRE(nav != std::string::npos);
  CHECK(html.find("aria-label=", nav) > html.find("</nav>", nav));
}

TEST_CASE("a bulletin's page is titled with the show and the date", "[publish][page]") {
  EpisodeInfo info;
  info.show = "Kabar Pagi";
  info.date = "11 Juni 2025";
  info.audio_file = "kabar-pagi.mp3";
  CHECK(pageTitle(info) == "Kabar Pagi, 11 Juni 2025");
  const std::string html = episodePage(info, kCues, kChapters);
  CHECK(html.find("<title>Kabar Pagi, 11 Juni 2025</title>") != std::string::npos);
  CHECK(html.find("<h1>Kabar Pagi, 11 Juni 2025</h1>") != std::string::npos);
  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"id\">", 0) == 0);
  // An explicit title wins; without show or date, the file name.
  info.title = "Edisi <khusus>";
  CHECK(pageTitle(info) == "Edisi <khusus>");
  CHECK(episodePage(info, kCues, {}).find("<h1>Edisi &lt;khusus&gt;</h1>") != std::string::npos);
  CHECK(pageTitle(episode("", "a.mp3", 1)) == "a.mp3");
  EpisodeInfo show_only;
  show_only.show = "Kabar Pagi";
  CHECK(pageTitle(show_only) == "Kabar Pagi");
  info.language = "jv\"x";
  CHECK(episodePage(info, kCues, {}).rfind("<!DOCTYPE html>\n<html lang=\"jv&quot;x\">", 0) == 0);
}

namespace {

// The text of each element `tag` ("<h2>", "<p>", "<section") in order, tags included, up to its close.
std::vector<std::string> elements(const std::string& html, const std::string& open, const std::string& close) {
  std::vector<std::string> out;
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const auto end = html.find(close, at);
    out.push_back(html.substr(at, end == std::string::npos ? std::string::npos : end + close.size() - at));
  }
  return out;
}

// The transcript's sections: what follows its help note.
std::string transcriptOf(const std::string& html) {
  const auto at = html.find("<p class=\"help\"");
  return at == std::string::npos ? "" : html.substr(at);
}

// The visible text of some HTML: tags dropped.
std::string textOf(const std::string& html) { return std::regex_replace(html, std::regex("<[^>]*>"), ""); }

const std::vector<Cue> kBulletin = {
    cue(0.0, 2.0, "Kabar Pagi, Rabu 11 Juni.", -1, "opening", true),
    cue(2.0, 4.0, "Panen raya dimulai", 0, "headline"),
    cue(4.0, 5.0, "Kota Blitar, mitratoday.com \u2014", 0, "dateline"),
    cue(5.0, 7.0, "Panen dimulai Rabu (11/6/2025).", 0, "sentence"),
    cue(7.0, 9.0, "Harga gabah naik.", 0, "sentence", true),
    cue(9.0, 10.0, "Kata petani", 0, "subhead"),
    cue(10.0, 12.0, "Petani senang.", 0, "sentence"),
    cue(12.0, 14.0, "Mereka berharap harga bertahan.", 0, "sentence", true),
    cue(14.0, 16.0, "Banjir surut di Kediri", 1, "headline"),
    cue(16.0, 18.0, "Air surut pagi ini.", 1, "sentence", true),
    cue(18.0, 20.0, "Sekian Kabar Pagi.", -1, "closing", true),
};

}  // namespace

TEST_CASE("episode page: stories are sections under their headlines, paragraphs kept", "[publish][page]") {
  const std::string html = episodePage(kInfo, kBulletin, kChapters);
  const auto sections = elements(transcriptOf(html), "<section class=\"", "</section>");
  REQUIRE(sections.size() == 4);
  CHECK(sections[0].rfind("<section class=\"opening\">", 0) == 0);
  CHECK(textOf(sections[0]) == "\nKabar Pagi, Rabu 11 Juni.\n");
  CHECK(sections[1].rfind("<section class=\"story\" id=\"story-1\">\n<h2>", 0) == 0);
  CHECK(sections[2].rfind("<section class=\"story\" id=\"story-2\">\n<h2>", 0) == 0);
  CHECK(sections[3].rfind("<section class=\"closing\">", 0) == 0);
  CHECK(textOf(sections[3]) == "\nSekian Kabar Pagi.\n");

  // Headings: the two headlines are h2, the subhead h3, in the transcript.
  const auto h2 = elements(transcriptOf(html), "<h2>", "</h2>");
  REQUIRE(h2.size() == 2);
  CHECK(textOf(h2[0]) == "Panen raya dimulai");
  CHECK(textOf(h2[1]) == "Banjir surut di Kediri");
  const auto h3 = elements(html, "<h3>", "</h3>");
  REQUIRE(h3.size() == 1);
  CHECK(textOf(h3[0]) == "Kata petani");
  CHECK(count(html, "<h2") == 4);  // player, chapters, two stories

  // A paragraph's sentences share one <p>; the dateline opens the first paragraph.
  const auto paragraphs = elements(sections[1], "<p>", "</p>");
  REQUIRE(paragraphs.size() == 2);
  CHECK(textOf(paragraphs[0]) ==
        "Kota Blitar, mitratoday.com \u2014 Panen dimulai Rabu (11/6/2025). Harga gabah naik.");
  CHECK(textOf(paragraphs[1]) == "Petani senang. Mereka berharap harga bertahan.");
  CHECK(sections[1].find("<h3>") > sections[1].find(paragraphs[0]));
  CHECK(sections[1].find("<h3>") < sections[1].find(paragraphs[1]));
  CHECK(count(html, "class=\"cue\"") == kBulletin.size());
}

TEST_CASE("episode page without kinds: each story's first segment is its heading, one paragraph", "[publish][page]") {
  // What a caller that only knows stories gives (the CLI before kinds were filled).
  const std::string html = episodePage(kInfo, kCues, kChapters);
  const auto sections = elements(transcriptOf(html), "<section class=\"", "</section>");
  REQUIRE(sections.size() == 3);
  CHECK(sections[0].rfind("<section class=\"opening\">", 0) == 0);
  CHECK(textOf(elements(sections[1], "<h2>", "</h2>").at(0)) == "Panen raya dimulai di Blitar.");
  CHECK(textOf(elements(sections[1], "<p>", "</p>").at(0)) == "Harga gabah naik lima persen.");
  CHECK(textOf(elements(sections[2], "<h2>", "</h2>").at(0)) == "Banjir surut di Kediri.");
  CHECK(elements(sections[2], "<p>", "</p>").empty());
}

TEST_CASE("episode page: words are spans with their times, in the written text", "[publish][page]") {
  const std::vector<Cue> cues = {
      cue(1.0, 4.0, "TNI dan <Polri> (11/6/2025) \"hadir\".", 0, "sentence", true,
          {{1.0, 1.4, "TNI"},
           {1.5, 1.7, "dan"},
           {1.8, 2.4, "<Polri>"},
           {2.5, 3.3, "(11/6/2025)"},
           {3.4, 3.9, "\"hadir\"."}}),
      // Words not found in the text are shown as they are, joined by spaces.
      cue(4.0, 5.0, "Rp 1,5 miliar.", 0, "sentence", true, {{4.0, 4.5, "Rp"}, {4.5, 5.0, "1,5 juta"}}),
  };
  const std::string html = episodePage(kInfo, cues, {});
  CHECK(html.find("<span class=\"w\" data-start=\"1.000\" data-end=\"1.400\">TNI</span> "
                  "<span class=\"w\" data-start=\"1.500\" data-end=\"1.700\">dan</span> "
                  "<span class=\"w\" data-start=\"1.800\" data-end=\"2.400\">&lt;Polri&gt;</span> "
                  "<span class=\"w\" data-start=\"2.500\" data-end=\"3.300\">(11/6/2025)</span> "
                  "<span class=\"w\" data-start=\"3.400\" data-end=\"3.900\">&quot;hadir&quot;.</span></span>") !=
        std::string::npos);
  CHECK(html.find("<Polri>") == std::string::npos);
  CHECK(html.find(">Rp</span> <span class=\"w\" data-start=\"4.500\" data-end=\"5.000\">1,5 juta</span></span>") !=
        std::string::npos);
  CHECK(count(html, "class=\"w\"") == 7);
  // Words are not tab stops: one per sentence.
  CHECK(count(html, "tabindex=\"0\"") == 2);
  // The keys are explained on the page, the word keys only when there are words.
  CHECK(html.find("panah kiri dan kanan memilih kata") != std::string::npos);
  CHECK(episodePage(kInfo, kCues, {}).find("panah kiri") == std::string::npos);
  CHECK(html.find("id=\"word-status\" role=\"status\"") != std::string::npos);
}

TEST_CASE("episode page: the download link comes right after the player", "[publish][page]") {
  const std::string html = episodePage(kInfo, kBulletin, kChapters);
  const auto audio = html.find("</audio>");
  const auto link = html.find("<a class=\"download-link\" href=\"./kabar%20pagi.mp3\" download>Unduh audio (MP3)</a>");
  REQUIRE(link != std::string::npos);
  CHECK(link > audio);
  CHECK(link < html.find("<nav"));
  CHECK(link < html.find("class=\"cue\""));
}

TEST_CASE("episode page escapes every text it shows", "[publish][page]") {
  const std::vector<Cue> cues = {cue(0, 1, "<script>alert('x')</script> & \"kutip\"", 0, "headline"),
                                 cue(1, 2, "a <b>c</b>", 0, "sentence", true, {{1, 1.5, "a"}, {1.5, 2, "<b>c</b>"}})};
  const std::vector<ChapterMark> chapters = {{0, "A < B & \"C\""}};
  EpisodeInfo info = episode("Judul <b>tebal</b> & 'miring'", "x\"><img src=y>.mp3", 10);
  const std::string html = episodePage(info, cues, chapters);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;kutip&quot;") != std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("<h1>Judul &lt;b&gt;tebal&lt;/b&gt; &amp; &#39;miring&#39;</h1>") != std::string::npos);
  CHECK(html.find("<span>A &lt; B &amp; &quot;C&quot;</span>") != std::string::npos);
  CHECK(html.find("data-end=\"2.000\">&lt;b&gt;c&lt;/b&gt;</span>") != std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  // The audio's name is a relative URL, percent-encoded.
  CHECK(html.find("src=\"./x%22%3E%3Cimg%20src%3Dy%3E.mp3\"") != std::string::npos);
  CHECK(count(html, "<script>") == 1);  // the page's own script only
  // Show, date and language are escaped too.
  info.title.clear();
  info.show = "<i>Kabar</i>";
  info.date = "\"11\" Juni";
  info.language = "id\"><x";
  const std::string bulletin = episodePage(info, cues, chapters);
  CHECK(bulletin.find("<title>&lt;i&gt;Kabar&lt;/i&gt;, &quot;11&quot; Juni</title>") != std::string::npos);
  CHECK(bulletin.find("<html lang=\"id&quot;&gt;&lt;x\">") != std::string::npos);
  CHECK(bulletin.find("<i>") == std::string::npos);
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
  for (const char* tag : {"<header>", "<main id=\"main\"", "<nav aria-labelledby=\"chapters-heading\">", "<footer>",
                          "<section class=\"transcript\" aria-label=\"Transkrip\">"}) {
    INFO(tag);
    CHECK(count(html, tag) == 1);
  }
  CHECK(html.find("<a class=\"skip\" href=\"#main\">") < html.find("<header>"));
  CHECK(html.find("<ol class=\"chapters\">") != std::string::npos);
  CHECK(html.find("aria-label=\"Pemutar audio: Panen raya dimulai\"") != std::string::npos);
  CHECK(count(html, "<h1>") == 1);
  CHECK(count(html, "<h2 ") == 2);  // player, chapters (and one <h2> per story)
  CHECK(html.find(":focus-visible { outline: 3px solid") != std::string::npos);
  CHECK(html.find("@media (prefers-reduced-motion: reduce)") != std::string::npos);
  CHECK(html.find("aria-current") != std::string::npos);
  CHECK(html.find("timeupdate") != std::string::npos);
  // Reduced motion: no smooth scrolling either.
  CHECK(html.find("behavior: reduced ? \"auto\" : \"smooth\"") != std::string::npos);
  // Choosing plays, not only seeks.
  CHECK(html.find("audio.play()") != std::string::npos);
}

TEST_CASE("episode page without chapters has no empty chapter list", "[publish][page]") {
  const std::string html = episodePage(kInfo, kCues, {});
  CHECK(html.find("<nav") == std::string::npos);
  CHECK(html.find("class=\"chapters\"") == std::string::npos);
  CHECK(count(html, "<button type=\"button\"") == 0);
  CHECK(count(html, "class=\"cue\"") == kCues.size());
}

TEST_CASE("writeEpisodePage writes the page atomically", "[publish][page]") {
  const fs::path dir = warta::test::tempDir("page-write");
  writeEpisodePage(dir / "a.html", kInfo, kCues, kChapters);
  CHECK(warta::test::readText(dir / "a.html") == episodePage(kInfo, kCues, kChapters));
  CHECK(fs::directory_iterator(dir) != fs::directory_iterator());
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  CHECK(files == 1);
  CHECK_THROWS_WITH(writeEpisodePage(dir / "missing" / "a.html", kInfo, kCues, kChapters), Catch::Contains("a.html"));
}
