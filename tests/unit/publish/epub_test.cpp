// SPDX-License-Identifier: GPL-3.0-or-later
// The talking book (publish/epub.h), read back with libzip and libxml2.
#include <catch2/catch.hpp>

#include <zip.h>

#include <cmath>
#include <filesystem>
#include <regex>
#include <set>

#include "publish/epub.h"
#include "support/cli.h"
#include "support/epub.h"
#include "support/media.h"

using namespace warta::publish;
using namespace warta::test;
namespace fs = std::filesystem;

namespace {

// A bulletin's cues: an opening, two stories (headline, dateline, sentences, a subhead), a close.
std::vector<Cue> sampleCues() {
  std::vector<Cue> c;
  auto add = [&](double s, double e, std::string text, int story, std::string kind, bool ends = false) {
    Cue q;
    q.start = s, q.end = e, q.text = std::move(text), q.story = story, q.kind = std::move(kind),
    q.ends_paragraph = ends;
    c.push_back(q);
  };
  add(2.5, 6.25, "Kabar Pagi, Rabu 11 Juni 2025.", -1, "opening", true);
  add(7.0, 9.5, "Banjir <besar> & \"deras\" di Blitar", 0, "headline");
  add(10.4, 11.2, "Kota Blitar", 0, "dateline");
  add(11.5, 15.75, "Pemerintah Kota Blitar (11/6/2025) menyiapkan Rp 1,5 miliar.", 0, "sentence");
  add(16.1, 19.0, "TNI dan Polri membantu.", 0, "sentence", true);
  add(19.8, 21.0, "Warga mengungsi", 0, "subhead");
  add(21.7, 25.123, "Sebanyak 300 warga mengungsi ke masjid.", 0, "sentence", true);
  add(27.0, 29.0, "Panen raya di Kediri", 1, "headline");
  add(30.0, 33.333, "Petani memanen padi.", 1, "sentence", true);
  add(35.0, 38.0, "Sekian Kabar Pagi.", -1, "closing", true);
  return c;
}

std::vector<ChapterMark> sampleChapters() {
  return {{6.9, "Banjir <besar> & \"deras\" di Blitar"}, {26.95, "Panen raya di Kediri"}};
}

BookInfo sampleInfo() {
  BookInfo info;
  info.title = "Kabar Pagi 2025-06-11";
  info.author = "Radio Warta";
  info.publisher = "Radio Warta";
  info.date = "2025-06-11";
  info.description = "Banjir; Panen";
  info.modified = "2025-06-11T06:00:00Z";
  return info;
}

fs::path fakeMp3(const fs::path& dir) {
  const fs::path mp3 = dir / "bulletin.mp3";
  std::string bytes = "ID3\x04";
  for (int i = 0; i < 5000; ++i) bytes += static_cast<char>(i * 7 % 251);
  writeBytes(mp3, bytes);
  return mp3;
}

struct Book {
  fs::path dir, mp3, epub;
  std::vector<ZipEntry> entries;
  std::string opf;
};

Book writeSample(const std::string& name) {
  Book b;
  b.dir = tempDir(name);
  b.mp3 = fakeMp3(b.dir);
  b.epub = talkingBookPathFor(b.mp3);
  writeTalkingBook(b.epub, sampleInfo(), b.mp3, sampleCues(), sampleChapters());
  b.entries = readZip(b.epub);
  b.opf = zipEntry(b.entries, "EPUB/package.opf").data;
  return b;
}

std::string meta(const std::string& opf, const std::string& property) {
  const auto nodes = xpath(opf, "//opf:meta[@property='" + property + "' and not(@refines)]");
  return nodes.size() == 1 ? nodes[0].text : "<" + std::to_string(nodes.size()) + " found>";
}

std::multiset<std::string> metas(const std::string& opf, const std::string& property) {
  std::multiset<std::string> out;
  for (const auto& n : xpath(opf, "//opf:meta[@property='" + property + "']")) out.insert(n.text);
  return out;
}

}  // namespace

TEST_CASE("the talking book is OUT.epub beside OUT.mp3", "[epub]") {
  CHECK(talkingBookPathFor("out/Kabar Pagi-2025-06-11.mp3") == fs::path("out/Kabar Pagi-2025-06-11.epub"));
  CHECK(talkingBookPathFor("x.MP3") == fs::path("x.epub"));
}

TEST_CASE("the EPUB's mimetype comes first, stored, and the rest is deflated", "[epub]") {
  const Book b = writeSample("epub-zip");
  REQUIRE(b.entries.size() >= 8);
  CHECK(b.entries[0].name == "mimetype");
  CHECK(b.entries[0].method == ZIP_CM_STORE);
  CHECK(b.entries[0].data == "application/epub+zip");
  for (std::size_t i = 1; i < b.entries.size(); ++i) {
    INFO(b.entries[i].name);
    CHECK(b.entries[i].method == ZIP_CM_DEFLATE);
  }
  // OCF: the file's first bytes are a local header for "mimetype" with no extra field, then its content.
  const std::string raw = readText(b.epub);
  REQUIRE(raw.size() > 58);
  CHECK(raw.substr(0, 4) == std::string("PK\x03\x04", 4));
  CHECK(static_cast<unsigned char>(raw[28]) == 0);  // extra field length
  CHECK(static_cast<unsigned char>(raw[29]) == 0);
  CHECK(raw.substr(30, 8) == "mimetype");
  CHECK(raw.substr(38, 20) == "application/epub+zip");
  // The MP3 inside is the audio, byte for byte.
  CHECK(zipEntry(b.entries, "EPUB/audio.mp3").data == readText(b.mp3));
  // Written atomically: nothing left beside it.
  CHECK(leftoverTemps(b.dir).empty());
}

TEST_CASE("container.xml points at the package document", "[epub]") {
  const Book b = writeSample("epub-container");
  const auto roots = xpath(zipEntry(b.entries, "META-INF/container.xml").data, "/c:container/c:rootfiles/c:rootfile");
  REQUIRE(roots.size() == 1);
  CHECK(roots[0].attributes.at("full-path") == "EPUB/package.opf");
  CHECK(roots[0].attributes.at("media-type") == "application/oebps-package+xml");
  CHECK_NOTHROW(zipEntry(b.entries, roots[0].attributes.at("full-path")));
}

TEST_CASE("the package metadata says what the book is, in Indonesian, and how it can be read", "[epub]") {
  const Book b = writeSample("epub-opf");
  const std::string& opf = b.opf;
  const auto package = xpath(opf, "/opf:package");
  REQUIRE(package.size() == 1);
  CHECK(package[0].attributes.at("version") == "3.0");
  const auto ids = xpath(opf, "//dc:identifier[@id='" + package[0].attributes.at("unique-identifier") + "']");
  REQUIRE(ids.size() == 1);
  CHECK(std::regex_match(ids[0].text,
                         std::regex("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  CHECK(xpath(opf, "//dc:title")[0].text == "Kabar Pagi 2025-06-11");
  CHECK(xpath(opf, "//dc:language")[0].text == "id");
  CHECK(xpath(opf, "//dc:creator")[0].text == "Radio Warta");
  CHECK(xpath(opf, "//dc:date")[0].text == "2025-06-11");
  CHECK(meta(opf, "dcterms:modified") == "2025-06-11T06:00:00Z");
  CHECK(meta(opf, "media:active-class") == "-epub-media-overlay-active");
  CHECK(metas(opf, "schema:accessMode") == std::multiset<std::string>{"auditory", "textual"});
  CHECK(metas(opf, "schema:accessModeSufficient") == std::multiset<std::string>{"auditory", "textual"});
  const auto features = metas(opf, "schema:accessibilityFeature");
  CHECK(features.count("synchronizedAudioText") == 1);
  CHECK(features.count("structuralNavigation") == 1);
  CHECK(features.count("readingOrder") == 1);
  CHECK(meta(opf, "schema:accessibilityHazard") == "none");
  CHECK(meta(opf, "schema:accessibilitySummary").size() > 40);
  // The stylesheet has the active class, so the sentence being read is highlighted.
  CHECK(zipEntry(b.entries, "EPUB/style.css").data.find(".-epub-media-overlay-active") != std::string::npos);

  // The audio is in the manifest as MP3; every chapter has its overlay, and the spine reads them in order.
  const auto audio = xpath(opf, "//opf:item[@href='audio.mp3']");
  REQUIRE(audio.size() == 1);
  CHECK(audio[0].attributes.at("media-type") == "audio/mpeg");
  const auto spine = xpath(opf, "//opf:spine/opf:itemref");
  CHECK(spine.size() == 4);  // opening, two stories, close
  double sum = 0;
  for (const auto& ref : spine) {
    const auto item = xpath(opf, "//opf:item[@id='" + ref.attributes.at("idref") + "']");
    REQUIRE(item.size() == 1);
    const std::string mo = item[0].attributes.at("media-overlay");
    const auto smil = xpath(opf, "//opf:item[@id='" + mo + "']");
    REQUIRE(smil.size() == 1);
    CHECK(smil[0].attributes.at("media-type") == "application/smil+xml");
    const auto duration = xpath(opf, "//opf:meta[@property='media:duration' and @refines='#" + mo + "']");
    REQUIRE(duration.size() == 1);
    sum += smilClock(duration[0].text);
  }
  // The total is the sum of the overlays: every cue's clip (3.75 + 2.5 + 0.8 + 4.25 + 2.9 + 1.2 + 3.423 + 2 + 3.333 +
  // 3).
  CHECK(smilClock(meta(opf, "media:duration")) == Approx(sum).margin(0.0005));
  CHECK(sum == Approx(27.156).margin(0.0005));
}

TEST_CASE("every cue is a SMIL par whose clip is the cue's time and whose text is the cue's text", "[epub]") {
  const Book b = writeSample("epub-smil");
  const std::vector<Cue> cues = sampleCues();
  std::size_t next = 0;
  for (const auto& ref : xpath(b.opf, "//opf:spine/opf:itemref")) {
    const auto item = xpath(b.opf, "//opf:item[@id='" + ref.attributes.at("idref") + "']")[0];
    const std::string xhtml_name = item.attributes.at("href");
    const auto smil_item = xpath(b.opf, "//opf:item[@id='" + item.attributes.at("media-overlay") + "']")[0];
    const std::string xhtml = zipEntry(b.entries, "EPUB/" + xhtml_name).data;
    const std::string smil = zipEntry(b.entries, "EPUB/" + smil_item.attributes.at("href")).data;
    const auto texts = xpath(smil, "//smil:par/smil:text");
    const auto clips = xpath(smil, "//smil:par/smil:audio");
    REQUIRE(texts.size() == clips.size());
    for (std::size_t i = 0; i < texts.size(); ++i, ++next) {
      REQUIRE(next < cues.size());
      const Cue& cue = cues[next];
      INFO("cue " << next << ": " << cue.text);
      CHECK(clips[i].attributes.at("src") == "audio.mp3");
      CHECK(smilClock(clips[i].attributes.at("clipBegin")) == Approx(cue.start).margin(0.0005));
      CHECK(smilClock(clips[i].attributes.at("clipEnd")) == Approx(cue.end).margin(0.0005));
      const std::string src = texts[i].attributes.at("src");
      REQUIRE(src.rfind(xhtml_name + "#", 0) == 0);
      const auto target = xpath(xhtml, "//*[@id='" + src.substr(xhtml_name.size() + 1) + "']");
      REQUIRE(target.size() == 1);
      CHECK(target[0].text == cue.text);  // escaped in the file, the same text once parsed
      if (cue.kind == "headline") CHECK(target[0].name == "h1");
      if (cue.kind == "subhead") CHECK(target[0].name == "h2");
      if (cue.kind == "sentence" || cue.kind == "dateline") CHECK(target[0].name == "span");
    }
  }
  CHECK(next == cues.size());
  // Paragraphs follow ends_paragraph: the dateline and the two sentences of story 1 share the first paragraph.
  const std::string ch2 = zipEntry(b.entries, "EPUB/chapter-002.xhtml").data;
  const auto paragraphs = xpath(ch2, "//xhtml:p");
  REQUIRE(paragraphs.size() == 2);
  CHECK(paragraphs[0].text ==
        "Kota Blitar Pemerintah Kota Blitar (11/6/2025) menyiapkan Rp 1,5 miliar. TNI dan Polri membantu.");
  CHECK(paragraphs[1].text == "Sebanyak 300 warga mengungsi ke masjid.");  // no indentation inside a paragraph
  CHECK(xpath(ch2, "/xhtml:html")[0].attributes.at("lang") == "id");
}

TEST_CASE("the navigation lists the opening, every story by its title, and the close", "[epub]") {
  const Book b = writeSample("epub-nav");
  const auto nav = xpath(b.opf, "//opf:item[@properties='nav']");
  REQUIRE(nav.size() == 1);
  const std::string doc = zipEntry(b.entries, "EPUB/" + nav[0].attributes.at("href")).data;
  const auto links = xpath(doc, "//xhtml:nav[@epub:type='toc']/xhtml:ol/xhtml:li/xhtml:a");
  REQUIRE(links.size() == 4);
  CHECK(links[0].text == "Pembuka");
  CHECK(links[1].text == "Banjir <besar> & \"deras\" di Blitar");
  CHECK(links[2].text == "Panen raya di Kediri");
  CHECK(links[3].text == "Penutup");
  for (const auto& l : links) CHECK_NOTHROW(zipEntry(b.entries, "EPUB/" + l.attributes.at("href")));
}

TEST_CASE("the identifier is the same for the same bulletin and new for a changed one", "[epub]") {
  const std::vector<Cue> cues = sampleCues();
  const std::string id = talkingBookIdentifier(sampleInfo(), cues);
  CHECK(id == talkingBookIdentifier(sampleInfo(), cues));
  std::vector<Cue> edited = cues;
  edited[3].text = "Pemerintah Kota Blitar menyiapkan Rp 2 miliar.";
  CHECK(talkingBookIdentifier(sampleInfo(), edited) != id);
  std::vector<Cue> moved = cues;
  moved[5].start += 0.01;
  CHECK(talkingBookIdentifier(sampleInfo(), moved) != id);
  BookInfo other = sampleInfo();
  other.date = "2025-06-12";
  CHECK(talkingBookIdentifier(other, cues) != id);
  // And two writes of the same book are the same bytes.
  const Book a = writeSample("epub-same-a"), b = writeSample("epub-same-b");
  CHECK(readText(a.epub) == readText(b.epub));
}

TEST_CASE("a story without a headline cue is headed by its chapter title", "[epub]") {
  const fs::path dir = tempDir("epub-no-headline");
  const fs::path mp3 = fakeMp3(dir);
  std::vector<Cue> cues(2);
  cues[0].start = 1.0, cues[0].end = 2.0, cues[0].text = "Kalimat pertama.", cues[0].story = 0;
  cues[1].start = 2.5, cues[1].end = 3.5, cues[1].text = "Kalimat kedua.", cues[1].story = 0;
  writeTalkingBook(dir / "b.epub", sampleInfo(), mp3, cues, {{0.9, "Judul & berita"}});
  const auto entries = readZip(dir / "b.epub");
  const std::string ch = zipEntry(entries, "EPUB/chapter-001.xhtml").data;
  const auto h1 = xpath(ch, "//xhtml:h1");
  REQUIRE(h1.size() == 1);
  CHECK(h1[0].text == "Judul & berita");
  CHECK(xpath(ch, "//xhtml:span[@id]").size() == 2);
}

TEST_CASE("a talking book refuses WAV audio, no cues, and a missing folder, writing nothing", "[epub]") {
  const fs::path dir = tempDir("epub-refuse");
  const fs::path mp3 = fakeMp3(dir);
  writeBytes(dir / "x.wav", "RIFF....WAVE");
  CHECK_THROWS_AS(writeTalkingBook(dir / "x.epub", sampleInfo(), dir / "x.wav", sampleCues(), {}),
                  std::invalid_argument);
  CHECK_THROWS_AS(writeTalkingBook(dir / "y.epub", sampleInfo(), mp3, {}, {}), std::invalid_argument);
  CHECK_THROWS(writeTalkingBook(dir / "no" / "z.epub", sampleInfo(), mp3, sampleCues(), {}));
  CHECK_THROWS(writeTalkingBook(dir / "w.epub", sampleInfo(), dir / "missing.mp3", sampleCues(), {}));
  CHECK_FALSE(fs::exists(dir / "x.epub"));
  CHECK_FALSE(fs::exists(dir / "y.epub"));
  CHECK_FALSE(fs::exists(dir / "w.epub"));
  CHECK(leftoverTemps(dir).empty());
}
