// SPDX-License-Identifier: GPL-3.0-or-later
// The offline parts of story sources: charsets, the page reader, feeds,
// dates and the normalisations that find duplicates.
#include "sources/charset.h"
#include "sources/feed_reader.h"
#include "sources/html_article.h"
#include "sources/sources.h"
#include "support/cli.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace warta::sources;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(warta::test::sourceDir() / "tests/data/sources" / name, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string joined(const PageArticle& a) {
  std::string all = a.headline;
  for (const auto& b : a.blocks) all += "\n" + std::string(b.subhead ? "## " : "") + b.text;
  return all;
}

}  // namespace

TEST_CASE("windows-1252 and ISO-8859-1 bytes become exact UTF-8", "[sources][charset]") {
  struct Row {
    std::string bytes, charset, utf8;
  };
  const Row rows[] = {
      {"caf\xe9", "windows-1252", "caf\xc3\xa9"},
      {"caf\xe9", "ISO-8859-1", "caf\xc3\xa9"},
      {"\x93kata\x94", "windows-1252", "\xe2\x80\x9ckata\xe2\x80\x9d"},                  // curly quotes U+201C U+201D
      {"\x93kata\x94 \x96", "iso-8859-1", "\xe2\x80\x9ckata\xe2\x80\x9d \xe2\x80\x93"},  // the web's latin1 is cp1252
      {"pi\xf1"
       "a",
       "latin1",
       "pi\xc3\xb1"
       "a"},
      {"caf\xc3\xa9", "utf-8", "caf\xc3\xa9"},
      {"caf\xc3\xa9", "", "caf\xc3\xa9"},  // valid UTF-8 without a label stays
      {"caf\xe9", "", "caf\xc3\xa9"},      // invalid UTF-8 without a label is cp1252
      {"\xef\xbb\xbf"
       "caf\xc3\xa9",
       "windows-1252", "caf\xc3\xa9"},               // a BOM outranks the label
      {"a\x81z", "windows-1252", "a\xef\xbf\xbdz"},  // 0x81 has no character in cp1252
  };
  for (const Row& r : rows) {
    INFO(r.charset << " " << r.bytes);
    CHECK(toUtf8(r.bytes, r.charset, "test") == r.utf8);
  }
  CHECK_THROWS_WITH(toUtf8("x", "klingon-8", "page.html"),
                    Catch::Contains("page.html: unknown character set 'klingon-8'"));
}

TEST_CASE("the charset comes from the header, the meta tag or the XML declaration", "[sources][charset]") {
  CHECK(charsetFromContentType("text/html; charset=Windows-1252") == "windows-1252");
  CHECK(charsetFromContentType("text/html;charset=\"utf-8\"") == "utf-8");
  CHECK(charsetFromContentType("text/html") == "");
  CHECK(sniffHtmlCharset("<html><head><meta charset=\"ISO-8859-1\">") == "iso-8859-1");
  CHECK(sniffHtmlCharset(fixture("pages/pasar-latin1.html")) == "iso-8859-1");
  CHECK(sniffHtmlCharset("<html><body>no meta</body></html>") == "");
  CHECK(sniffXmlEncoding("<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss/>") == "windows-1252");
  CHECK(sniffXmlEncoding("<rss/>") == "");
}

TEST_CASE("a news page becomes headline, paragraphs and subheads without the boilerplate", "[sources][html]") {
  const PageArticle a = extractArticle(fixture("pages/festival.html"));
  CHECK(a.headline == "Festival Kopi Kediri Dibuka");
  CHECK(a.published == "2026-11-29T23:00:00+07:00");
  REQUIRE(a.blocks.size() == 4);
  CHECK(a.blocks[0].text ==
        "Festival kopi tahunan di alun-alun Kediri dibuka pada Sabtu pagi dengan tiga puluh stan petani.");
  CHECK_FALSE(a.blocks[0].subhead);
  CHECK(a.blocks[1].text == "Kopi dari Lereng Kelud");
  CHECK(a.blocks[1].subhead);
  CHECK(a.blocks[2].text == "Sebagian besar kopi datang dari kebun di lereng Gunung Kelud, kata panitia.");
  CHECK(a.blocks[3].text == "Festival berlangsung sampai Minggu malam.");
  const std::string all = joined(a);
  for (const char* gone :
       {"tracker", "color", "Beranda", "Foto", "Bagikan", "Tweet", "Baca", "Hak cipta", "Berita lain"}) {
    INFO(gone);
    CHECK(all.find(gone) == std::string::npos);
  }
}

TEST_CASE("the headline is og:title, else the first h1, else the title", "[sources][html]") {
  CHECK(extractArticle("<title>T</title><h1>H</h1><p>x</p>").headline == "H");
  CHECK(extractArticle("<title>T</title><p>x</p>").headline == "T");
  CHECK(extractArticle("<meta property='og:title' content='O'><title>T</title><h1>H</h1>").headline == "O");
  // entities, <br> and no-break spaces inside a paragraph are one line of text
  CHECK(extractArticle("<p>Satu&nbsp;dua<br>tiga &amp; empat</p>").blocks.at(0).text == "Satu dua tiga & empat");
}

TEST_CASE("the clean-up rules file is read, and a wrong line is named", "[sources][html]") {
  const Boilerplate& rules = defaultBoilerplate();
  CHECK(std::find(rules.elements.begin(), rules.elements.end(), "script") != rules.elements.end());
  CHECK(std::find(rules.markers.begin(), rules.markers.end(), "share") != rules.markers.end());
  const auto bad = std::filesystem::temp_directory_path() / "warta-bad-boilerplate.txt";
  std::ofstream(bad) << "# rules\nelement script\nremove everything\n";
  CHECK_THROWS_WITH(readBoilerplate(bad), Catch::Contains("warta-bad-boilerplate.txt:3:1: expected 'element NAME'"));
  std::filesystem::remove(bad);
}

TEST_CASE("RSS and Atom items come newest first with entities, CDATA and HTML titles resolved", "[sources][feed]") {
  auto dated = [](std::string xml) {
    // fixed dates for the placeholders the test server fills from the clock
    const std::pair<std::string, std::string> fill[] = {
        {"{{RFC822_AGO:2}}", "Mon, 30 Nov 2026 02:00:00 GMT"},   {"{{RFC822_AGO:5}}", "Sun, 29 Nov 2026 23:00:00 GMT"},
        {"{{RFC822_AGO:3}}", "Mon, 30 Nov 2026 08:00:00 +0700"}, {"{{RFC822_AGO:50}}", "Sat, 28 Nov 2026 02:00:00 GMT"},
        {"{{RFC822_AGO:6}}", "Sun, 29 Nov 2026 22:00:00 GMT"},   {"{{ISO_AGO:4}}", "2026-11-30T00:00:00Z"},
        {"{{ISO_AGO:1.5}}", "2026-11-30T09:30:00+07:00"},        {"{{ISO_AGO:1}}", "2026-11-30T03:00:00Z"}};
    for (const auto& [from, to] : fill)
      for (auto at = xml.find(from); at != std::string::npos; at = xml.find(from)) xml.replace(at, from.size(), to);
    return xml;
  };
  const auto rss = parseFeedEntries(dated(fixture("feed.xml")), "feed.xml");
  REQUIRE(rss.size() == 5);
  CHECK(rss[0].title == "Jembatan Kali Lahar & Jalan Desa Diresmikan");  // &amp; resolved
  CHECK(rss[0].link == "/files/pages/jembatan.html?utm_source=rss");
  CHECK(rss[0].published == 1796004000);                                       // 2026-11-30T02:00:00Z
  CHECK(rss[0].content_html.find("<h2>Dana Desa</h2>") != std::string::npos);  // CDATA kept as HTML
  CHECK(rss[1].title == "Lomba Layang-layang di Pantai Tambakrejo");           // 08:00 +0700 = 01:00Z
  CHECK(extractArticle(rss[1].content_html).blocks.at(0).text ==
        "Puluhan peserta dari Blitar \xe2\x80\x9cmenerbangkan\xe2\x80\x9d layang-layang raksasa di pantai.");
  CHECK(rss[2].title == "Festival Kopi Kediri Dibuka");
  CHECK(rss[2].content_html.empty());  // no content:encoded: the link is fetched
  CHECK(rss[4].title == "Pasar Lama Ditutup Sementara");

  const auto atom = parseFeedEntries(dated(fixture("atom.xml")), "atom.xml");
  REQUIRE(atom.size() == 2);
  CHECK(atom[0].title == "Petani Kediri Panen Nanas Lebih Awal");  // type="html": markup dropped
  CHECK(atom[0].link == "/files/pages/nanas.html");
  CHECK(extractArticle(atom[0].content_html).blocks.size() == 2);  // xhtml content
  CHECK(atom[1].title == "FESTIVAL KOPI KEDIRI DIBUKA!");
  CHECK(extractArticle(atom[1].content_html).blocks.at(0).text == "Salinan berita festival yang sama dari situs lain.");
}

TEST_CASE("a feed with a DOCTYPE, or not a feed at all, is refused by name", "[sources][feed]") {
  CHECK_THROWS_WITH(parseFeedEntries(fixture("doctype-feed.xml"), "bom.xml"),
                    Catch::Contains("bom.xml: has a DOCTYPE"));
  CHECK_THROWS_WITH(parseFeedEntries("<html><body>x</body></html>", "page"),
                    Catch::Contains("neither an RSS 2.0 feed"));
  CHECK_THROWS_WITH(parseFeedEntries("<rss><channel>", "broken"), Catch::Contains("broken: not well-formed XML"));
  CHECK_THROWS_WITH(parseFeedEntries(std::string(kMaxFeedBytes + 1, ' '), "huge"),
                    Catch::Contains("huge: the feed is larger"));
}

TEST_CASE("web dates in RFC 822 and RFC 3339 are read to UTC seconds", "[sources][feed]") {
  // expected values: Python's calendar.timegm / datetime.fromisoformat
  const std::pair<const char*, std::int64_t> rows[] = {
      {"Sun, 29 Nov 2026 06:00:00 +0700", 1795906800},
      {"29 Nov 2026 06:00:00 WIB", 1795906800},
      {"Sun, 29 Nov 2026 06:00:00 GMT", 1795932000},
      {"Fri, 31 Dec 99 23:59:59 GMT", 946684799},
      {"2026-11-29T06:00:00.250+07:00", 1795906800},
      {"2026-11-29T06:00:00", 1795932000},  // WordPress date_gmt: no zone is UTC
      {"2024-02-29T12:30:00-05:30", 1709229600},
  };
  for (const auto& [text, seconds] : rows) {
    INFO(text);
    CHECK(parseWebDate(text) == seconds);
  }
  for (const char* bad :
       {"", "kemarin", "2026-02-30T00:00:00Z", "Sun, 31 Feb 2026 06:00:00 GMT", "29 Nov 2026 06:00 XYZ"}) {
    INFO(bad);
    CHECK_FALSE(parseWebDate(bad).has_value());
  }
}

TEST_CASE("the same story is found by normalised URL and headline", "[sources][dedupe]") {
  CHECK(normaliseUrl("https://www.Kabar.example/berita/a/?utm_source=rss&utm_medium=x#atas") ==
        "kabar.example/berita/a");
  CHECK(normaliseUrl("http://kabar.example/berita/a") == "kabar.example/berita/a");
  CHECK(normaliseUrl("https://wp.example/?p=101&fbclid=abc") == "wp.example?p=101");
  CHECK(normaliseUrl("https://wp.example/?p=101") != normaliseUrl("https://wp.example/?p=102"));
  CHECK(normaliseHeadline("FESTIVAL KOPI  Kediri Dibuka!") == normaliseHeadline("Festival Kopi Kediri Dibuka"));
  CHECK(normaliseHeadline("Kafé Baru") == "kafé baru");
  CHECK(normaliseHeadline("Festival Kopi Kediri Dibuka") != normaliseHeadline("Festival Kopi Blitar Dibuka"));
}
