// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <string>

#include "text/article.h"
#include "text_fixture.h"

using warta::text::Article;
using warta::text::Block;
using warta::text::parseArticle;
using warta::text::TextError;

namespace {

std::string errorFor(const std::string& content, const std::string& path = "berita.txt") {
  try {
    parseArticle(content, path);
  } catch (const TextError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("the first non-empty line of plain text is the headline", "[text][article]") {
  const Article a = parseArticle("\n\n  Banjir Rendam Ratusan Rumah  \n\nHujan deras turun.\n", "a.txt");
  CHECK(a.headline == "Banjir Rendam Ratusan Rumah");
  CHECK(a.headline_line == 3);
  REQUIRE(a.blocks.size() == 1);
  CHECK(a.blocks[0].text == "Hujan deras turun.");
  CHECK(a.blocks[0].line == 5);
}

TEST_CASE("a dateline opening the body is split into place and source", "[text][article]") {
  struct Case {
    const char* opening;
    const char* place;
    const char* source;
    const char* rest;
  };
  const Case cases[] = {
      {"Kota Blitar, mitratoday.com – Hujan deras turun.", "Kota Blitar", "mitratoday.com", "Hujan deras turun."},
      {"JAKARTA, site.id - Hujan deras turun.", "JAKARTA", "site.id", "Hujan deras turun."},
      {"Kabupaten Ngawi, berita-lumbung.com — Hujan deras turun.", "Kabupaten Ngawi", "berita-lumbung.com",
       "Hujan deras turun."},
      {"JAKARTA (ANTARA) - Hujan deras turun.", "JAKARTA", "ANTARA", "Hujan deras turun."},
      {"Magetan, lensabudaya.co.id – Hujan deras turun.", "Magetan", "lensabudaya.co.id", "Hujan deras turun."},
  };
  for (const Case& c : cases) {
    INFO(c.opening);
    const Article a = parseArticle(std::string("Judul\n\n") + c.opening + "\n", "a.txt");
    CHECK(a.dateline_place == c.place);
    CHECK(a.dateline_source == c.source);
    REQUIRE(a.blocks.size() == 1);
    CHECK(a.blocks[0].text == c.rest);
  }
}

TEST_CASE("a first sentence with a comma and a dash is not taken for a dateline", "[text][article]") {
  const char* openings[] = {
      "Menurut warga, hujan - yang deras - turun sejak malam.",
      "Hujan deras turun sejak malam - warga mengungsi.",
      "Pada 11 Juni, 2025 - warga mengungsi.",
  };
  for (const char* opening : openings) {
    INFO(opening);
    const Article a = parseArticle(std::string("Judul\n\n") + opening + "\n", "a.txt");
    CHECK(a.dateline_place.empty());
    CHECK(a.blocks.at(0).text == opening);
  }
}

TEST_CASE("lines of a paragraph are joined and short unpunctuated lines are subheads", "[text][article]") {
  const Article a = parseArticle(
      "Judul Berita\n\nBaris pertama\nberlanjut di sini.\n\nBantuan Pemkot Disalurkan\n\nIsi sesudah subjudul.\n"
      "\nSiapa yang bertanggung jawab?\n\nPenutup berita.\n",
      "a.txt");
  REQUIRE(a.blocks.size() == 5);
  CHECK(a.blocks[0].text == "Baris pertama berlanjut di sini.");
  CHECK(a.blocks[0].kind == Block::Kind::Paragraph);
  CHECK(a.blocks[1].text == "Bantuan Pemkot Disalurkan");
  CHECK(a.blocks[1].kind == Block::Kind::Subhead);
  CHECK(a.blocks[1].line == 6);
  CHECK(a.blocks[3].kind == Block::Kind::Paragraph);  // ends with '?'
}

TEST_CASE("trailing editor codes and bylines are dropped", "[text][article]") {
  const char* endings[] = {"\n\n(ant/red)", "\n\n(Adv/Novi/Kmf)", "\n\n[idr]",          "\n\n(OL-8)", "\n\n(Cha)",
                           " (ant/red)",    "\n\n[Red/Dwi]\n\n",  "\n\n(ant)\n\n(red)", "\n\n(*)"};
  for (const char* ending : endings) {
    INFO(ending);
    const Article a = parseArticle(std::string("Judul\n\nWarga kembali ke rumah.") + ending, "a.txt");
    REQUIRE(a.blocks.size() == 1);
    CHECK(a.blocks[0].text == "Warga kembali ke rumah.");
  }
}

TEST_CASE("parentheses that are part of the news are kept", "[text][article]") {
  const char* texts[] = {"Banjir melanda Jakarta Utara (Jakut)", "Ia tiba pada Rabu (11/6/2025).",
                         "Kata Kepala BPBD (Badan Penanggulangan Bencana Daerah)."};
  for (const char* text : texts) {
    INFO(text);
    const Article a = parseArticle(std::string("Judul\n\n") + text + "\n", "a.txt");
    CHECK(a.blocks.back().text == text);
  }
}

TEST_CASE("Markdown front matter gives the headline, date, source and author", "[text][article]") {
  const Article a = parseArticle(
      "---\ntitle: \"Dinkes Targetkan 95 Persen\"\ndate: 2025-06-10\nsource: kabarsehatnusa.id\n"
      "author: Rina Septiani\ntags: [kesehatan]\n---\n\nParagraf **pertama** dengan _tekanan_ dan "
      "[tautan](https://contoh.id) serta `kode`.\n\n## Sekolah Jadi Lokasi\n\n- butir satu\n- butir dua\n",
      "a.md");
  CHECK(a.headline == "Dinkes Targetkan 95 Persen");
  CHECK(a.date == "2025-06-10");
  CHECK(a.source == "kabarsehatnusa.id");
  CHECK(a.author == "Rina Septiani");
  REQUIRE(a.blocks.size() == 4);
  CHECK(a.blocks[0].text == "Paragraf pertama dengan tekanan dan tautan serta kode.");
  CHECK(a.blocks[0].line == 9);
  CHECK(a.blocks[1].kind == Block::Kind::Subhead);
  CHECK(a.blocks[1].text == "Sekolah Jadi Lokasi");
  CHECK(a.blocks[2].text == "butir satu");
  CHECK(a.blocks[3].text == "butir dua");
}

TEST_CASE("without a title the first Markdown heading is the headline", "[text][article]") {
  const Article a = parseArticle("# Judul Utama #\n\nIsi berita.\n\n# Bagian Lain\n\nLagi.\n", "a.md");
  CHECK(a.headline == "Judul Utama");
  CHECK(a.headline_line == 1);
  REQUIRE(a.blocks.size() == 3);
  CHECK(a.blocks[1].kind == Block::Kind::Subhead);
  CHECK(a.blocks[1].text == "Bagian Lain");
}

TEST_CASE("a byte order mark and CRLF line ends are taken in stride", "[text][article]") {
  const Article a = parseArticle("\xEF\xBB\xBFJudul\r\n\r\nBaris satu\r\nbaris dua.\r\n", "a.txt");
  CHECK(a.headline == "Judul");
  REQUIRE(a.blocks.size() == 1);
  CHECK(a.blocks[0].text == "Baris satu baris dua.");
}

TEST_CASE("invalid UTF-8 is an error naming file, line, column and byte", "[text][article]") {
  CHECK(errorFor("Judul berita\n\nWarga Mataram caf\xE9 ramai.\n") ==
        "berita.txt:3:18: invalid UTF-8 (byte 0xE9); save the file as UTF-8");
  CHECK(errorFor("\xFF\xFEJ\x00u\x00", "bad.txt").rfind("bad.txt:1:1: invalid UTF-8 (byte 0xFF)", 0) == 0);
}

TEST_CASE("an article with no headline or no body is an error naming the file", "[text][article]") {
  CHECK(errorFor("\n  \n") == "berita.txt: article is empty: there is no text in it");
  CHECK(errorFor("Hanya judul\n\n(ant/red)\n") == "berita.txt: article is empty: there is no text after the headline");
  CHECK(errorFor("---\ntitle: Judul\n---\n", "a.md") == "a.md: article is empty: there is no text after the headline");
  CHECK(errorFor("---\ntitle: Judul\n", "a.md") == "a.md:1:1: front matter opened with '---' is never closed");
}

TEST_CASE("readArticle reads a file and reports one it cannot read", "[text][article]") {
  const auto dir = warta::test::scratchDir("article");
  const auto file = warta::test::writeFile(dir / "berita.txt", "Judul\n\nIsi.\n");
  CHECK(warta::text::readArticle(file).headline == "Judul");
  CHECK_THROWS_WITH(warta::text::readArticle(dir / "tidak-ada.txt"),
                    Catch::StartsWith((dir / "tidak-ada.txt").string() + ": cannot read article"));
}

TEST_CASE("the sample articles read with headline, dateline and no editor code", "[text][article]") {
  const auto samples = std::filesystem::path(WARTA_SOURCE_DIR) / "samples" / "articles";
  const Article a = warta::text::readArticle(samples / "banjir-blitar.txt");
  CHECK(a.dateline_place == "Kota Blitar");
  CHECK(a.dateline_source == "wartasentana.id");
  CHECK(a.blocks.back().text.find("(ant/red)") == std::string::npos);
  const Article md = warta::text::readArticle(samples / "vaksinasi.md");
  CHECK(md.headline == "Dinkes Targetkan 95 Persen Anak Terima Imunisasi Campak Bulan Ini");
  CHECK(md.blocks.at(2).kind == Block::Kind::Subhead);
}

TEST_CASE("a reporter or editor line of its own at the top or the end is not read", "[text][article]") {
  const char* texts[] = {
      "Judul Berita\n\nLaporan: Maria Goreti Nenobais\n\nKota Kupang, suarasasando.id – Warga kembali ke rumah.",
      "Judul Berita\nReporter: Budi Santoso\n\nKota Kupang, suarasasando.id – Warga kembali ke rumah.",
      "Judul Berita\n\nPenulis: Ani\n\nKota Kupang, suarasasando.id – Warga kembali ke rumah.\n\nEditor: Dwi Rahmat",
      "Judul Berita\n\nKota Kupang, suarasasando.id – Warga kembali ke rumah. (ant/red)\n\nEditor: Dwi",
  };
  for (const char* text : texts) {
    INFO(text);
    const Article a = parseArticle(text, "a.txt");
    CHECK(a.headline == "Judul Berita");
    CHECK(a.dateline_place == "Kota Kupang");
    REQUIRE(a.blocks.size() == 1);
    CHECK(a.blocks[0].text == "Warga kembali ke rumah.");
  }
}

TEST_CASE("a line with a colon inside the news is kept", "[text][article]") {
  const Article a =
      parseArticle("Judul\n\nWarga berkata: kami siap.\n\nCatatan: data sementara per pukul 10.00.", "a.txt");
  REQUIRE(a.blocks.size() == 2);
  CHECK(a.blocks[0].text == "Warga berkata: kami siap.");
  CHECK(a.blocks[1].text == "Catatan: data sementara per pukul 10.00.");
}

TEST_CASE("a front matter date in the ISO shape must be a real one", "[text][article][date]") {
  const auto front = [](const std::string& date) {
    return "---\ntitle: Judul\ndate: " + date + "\n---\n\nIsi berita.\n";
  };
  for (const char* bad : {"2025-02-31", "2025-13-01", "2023-02-29", "\"2025-02-31\"", "2025-02-31T06:00:00+07:00"}) {
    INFO(bad);
    const std::string message = errorFor(front(bad), "a.md");
    CHECK(message.find("a.md:3:7:") != std::string::npos);
    CHECK(message.find("real date written YYYY-MM-DD") != std::string::npos);
  }
  // Real dates, date-times other tools write, and dates in words are kept as written.
  for (const char* good : {"2024-02-29", "2025-06-11T06:00:00+07:00", "2025-06-11 06:00", "11 Juni 2025"}) {
    INFO(good);
    CHECK(parseArticle(front(good), "a.md").date == good);
  }
}
