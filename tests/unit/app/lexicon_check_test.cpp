// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "render/lexicon_check.h"
#include "config/voice_loader.h"
#include "support/media.h"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using warta::app::LexiconCheckRow;
using Source = warta::text::TokenReport::Source;

namespace {

warta::speech::VoiceProfile voice() {
  return warta::app::loadVoiceProfile(fs::path(WARTA_SOURCE_DIR) / "voices" / "id.yaml");
}

fs::path article(const std::string& name, const std::string& text) {
  const fs::path file = warta::test::tempDir("lexicon-check") / name;
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

const LexiconCheckRow* row(const std::vector<LexiconCheckRow>& rows, const std::string& written) {
  for (const auto& r : rows)
    if (r.written == written) return &r;
  return nullptr;
}

const char* kArticle =
    "Banjir Rendam Sumberjati\n"
    "\n"
    "Warga Sumberjati mengungsi ke balai desa. Tim dari Polri dan BPBD datang.\n"
    "\n"
    "Petugas Pemkot mencatat warga Kalijambu yang mengungsi. Kalijambu berada di tepi sungai.\n"
    "\n"
    "Pada Rabu, petugas BPBD dan Polri membagikan 1.500 bungkus nasi lewat WhatsApp.\n";

}  // namespace

TEST_CASE("lexicon check lists each token once, at its first line, guesses first", "[app][lexicon-check]") {
  warta::app::Narrator narrator;
  const auto rows = warta::app::lexiconCheckRows(article("satu.txt", kArticle), narrator, voice());
  REQUIRE_FALSE(rows.empty());

  // Unknown names: a guess, at the first line the article writes them (the headline's).
  const auto* sumberjati = row(rows, "Sumberjati");
  REQUIRE(sumberjati != nullptr);
  CHECK(sumberjati->line == 1);
  CHECK(sumberjati->spoken == "Sumberjati");
  CHECK_THAT(sumberjati->why, Contains("guess"));
  const auto* kalijambu = row(rows, "Kalijambu");
  REQUIRE(kalijambu != nullptr);
  CHECK(kalijambu->line == 5);

  // Lexicon words name their entry; acronyms say how they are read.
  const auto* pemkot = row(rows, "Pemkot");
  REQUIRE(pemkot != nullptr);
  CHECK(pemkot->source == Source::Lexicon);
  CHECK_THAT(pemkot->why, Contains("lexicon") && Contains("lexicon.yaml:"));
  const auto* bpbd = row(rows, "BPBD");
  REQUIRE(bpbd != nullptr);
  CHECK(bpbd->line == 3);
  CHECK(bpbd->spoken == "be pe be de");
  CHECK(row(rows, "1.500") != nullptr);

  // Each token once.
  std::size_t polri = 0;
  for (const auto& r : rows) polri += r.written == "Polri";
  CHECK(polri == 1);

  // Plain words, sentence starts, weekdays and the headline's common words stay out.
  CHECK(row(rows, "mengungsi") == nullptr);
  CHECK(row(rows, "Warga") == nullptr);
  CHECK(row(rows, "Petugas") == nullptr);
  CHECK(row(rows, "Rabu") == nullptr);
  CHECK(row(rows, "Banjir") == nullptr);
  CHECK(row(rows, "Rendam") == nullptr);

  // Guesses come before rules, rules before lexicon words.
  auto group = [](Source s) { return s == Source::Guess || s == Source::Plain ? 0 : s == Source::Rule ? 1 : 2; };
  for (std::size_t i = 1; i < rows.size(); ++i) CHECK(group(rows[i - 1].source) <= group(rows[i].source));
}

TEST_CASE("lexicon check prints FILE:LINE  written  ->  spoken  (why)", "[app][lexicon-check]") {
  const fs::path file = article("dua.txt", kArticle);
  std::ostringstream out;
  CHECK(warta::app::lexiconCheck({file.string()}, voice(), out) == 0);
  const std::string text = out.str();
  INFO(text);
  CHECK_THAT(text, Contains("# guesses: check these first"));
  CHECK_THAT(text, Contains(file.string() + ":1  Sumberjati"));
  CHECK_THAT(text, Contains("->  be pe be de"));
  CHECK(text.find("guesses") < text.find("Pemkot"));
}

TEST_CASE("lexicon check reads extra lexicons, PLS included", "[app][lexicon-check]") {
  const fs::path file = article("tiga.txt", kArticle);
  std::ostringstream out;
  warta::app::lexiconCheck({file.string()}, voice(), out,
                           {fs::path(WARTA_SOURCE_DIR) / "samples" / "lexicon" / "stasiun.pls"});
  const std::string text = out.str();
  INFO(text);
  CHECK_THAT(text, Contains("Sumberjati  ->  [[sumb@R2dZ'ati]]"));
  CHECK_THAT(text, Contains("stasiun.pls:"));
}
