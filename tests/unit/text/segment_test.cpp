// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "text/segment.h"
#include "text_fixture.h"

using namespace warta::text;
using Sentences = std::vector<std::string>;

namespace {
const std::vector<std::string>& abbreviations() { return warta::test::indonesian().abbreviations(); }
}  // namespace

TEST_CASE("sentences end at . ! ? followed by a space and a capital", "[text][segment]") {
  struct Case {
    std::string paragraph;
    Sentences sentences;
  };
  const Case cases[] = {
      {"Hujan turun. Warga mengungsi! Siapa peduli? Tidak ada.",
       {"Hujan turun.", "Warga mengungsi!", "Siapa peduli?", "Tidak ada."}},
      // Abbreviations and titles do not end a sentence.
      {"Ketua panitia, Dr. Bambang Setyo, hadir. Ia senang.",
       {"Ketua panitia, Dr. Bambang Setyo, hadir.", "Ia senang."}},
      {"Hadir pula H. Darmanto dan Hj. Sri di Jl. Merdeka No. 5 kemarin.",
       {"Hadir pula H. Darmanto dan Hj. Sri di Jl. Merdeka No. 5 kemarin."}},
      {"Kepala Dinas Kesehatan, dr. Ahmad Fauzan, datang.", {"Kepala Dinas Kesehatan, dr. Ahmad Fauzan, datang."}},
      // Initials and dotted degrees.
      {"Jalan Jend. A. Yani ramai. Macet.", {"Jalan Jend. A. Yani ramai.", "Macet."}},
      {"Pengacara Budi S.H. hadir. Sidang dimulai.", {"Pengacara Budi S.H. hadir.", "Sidang dimulai."}},
      // Numbers and domains keep their dots and commas.
      {"Pukul 10.00 WIB ada 1.250 rumah dan 2,5 ton beras. Lalu hujan.",
       {"Pukul 10.00 WIB ada 1.250 rumah dan 2,5 ton beras.", "Lalu hujan."}},
      {"Menurut mitratoday.com, air naik. Warga siaga.", {"Menurut mitratoday.com, air naik.", "Warga siaga."}},
      // "dll." may close a sentence when a capital follows, not otherwise.
      {"Ada sayur, buah, dll. Semua gratis.", {"Ada sayur, buah, dll.", "Semua gratis."}},
      {"Ada sayur, buah, dll. yang gratis.", {"Ada sayur, buah, dll. yang gratis."}},
      // Closing quotes and brackets stay with their sentence.
      {"\"Kami siap.\" Ia lalu pergi.", {"\"Kami siap.\"", "Ia lalu pergi."}},
      {"“Kami siap!” Ia lalu pergi.", {"“Kami siap!”", "Ia lalu pergi."}},
      {"Semua hadir (kecuali satu.) Rapat dimulai.", {"Semua hadir (kecuali satu.)", "Rapat dimulai."}},
      {"Tunggu… Ternyata benar.", {"Tunggu…", "Ternyata benar."}},
      {"Tanpa titik di akhir", {"Tanpa titik di akhir"}},
  };
  for (const Case& c : cases) {
    INFO(c.paragraph);
    CHECK(splitSentences(c.paragraph, abbreviations()) == c.sentences);
  }
}

TEST_CASE("an article becomes headline, dateline, subheads and sentences with their pauses", "[text][segment]") {
  const Article article = parseArticle(
      "Judul Berita\n\nKota Blitar, mitratoday.com – Hujan turun. Warga mengungsi.\n\nBantuan Disalurkan\n\n"
      "Bantuan tiba pukul 10.00 WIB.\n",
      "a.txt");
  Pauses pauses;
  pauses.headline = 1.0;
  pauses.dateline = 0.2;
  pauses.subhead = 0.6;
  pauses.sentence = 0.3;
  pauses.paragraph = 0.8;
  const std::vector<Segment> segments = segmentArticle(article, pauses, abbreviations());
  struct Expected {
    SegmentKind kind;
    const char* text;
    double pause;
    bool ends_paragraph;
    std::size_t line;
  };
  const Expected expected[] = {
      {SegmentKind::Headline, "Judul Berita", 1.0, false, 1},
      {SegmentKind::Dateline, "Kota Blitar", 0.2, false, 3},
      {SegmentKind::Sentence, "Hujan turun.", 0.3, false, 3},
      {SegmentKind::Sentence, "Warga mengungsi.", 0.8, true, 3},
      {SegmentKind::Subhead, "Bantuan Disalurkan", 0.6, false, 5},
      {SegmentKind::Sentence, "Bantuan tiba pukul 10.00 WIB.", 0.8, true, 7},
  };
  REQUIRE(segments.size() == std::size(expected));
  for (std::size_t i = 0; i < segments.size(); ++i) {
    INFO(i << ": " << segments[i].text);
    CHECK(segments[i].kind == expected[i].kind);
    CHECK(segments[i].text == expected[i].text);
    CHECK(segments[i].pause_after == Approx(expected[i].pause));
    CHECK(segments[i].ends_paragraph == expected[i].ends_paragraph);
    CHECK(segments[i].line == expected[i].line);
    CHECK(segments[i].spoken.empty());
  }
}

TEST_CASE("the dateline source is spoken only when asked for", "[text][segment]") {
  const Article article = parseArticle("Judul\n\nJAKARTA, site.id - Isi berita.\n", "a.txt");
  CHECK(segmentArticle(article, {}, abbreviations()).at(1).text == "JAKARTA");
  CHECK(segmentArticle(article, {}, abbreviations(), true).at(1).text == "JAKARTA, site.id");
}

TEST_CASE("kind names are the words used in voice profiles", "[text][segment]") {
  CHECK(std::string(kindName(SegmentKind::Headline)) == "headline");
  CHECK(std::string(kindName(SegmentKind::Dateline)) == "dateline");
  CHECK(std::string(kindName(SegmentKind::Subhead)) == "subhead");
  CHECK(std::string(kindName(SegmentKind::Sentence)) == "sentence");
}
