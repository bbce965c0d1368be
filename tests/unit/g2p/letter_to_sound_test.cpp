// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include "config/yaml_util.h"
#include "g2p_fixture.h"

using namespace warta;
using test::markedForm;
using test::phonemesOf;

TEST_CASE("reads dengan with a pepet", "[g2p]") {
  CHECK(markedForm("dengan") == "dêngan");
  CHECK(phonemesOf("dengan") == "d@N'an");
}

TEST_CASE("tidak ends in a glottal stop", "[g2p]") {
  CHECK(markedForm("tidak") == "tidaʔ");
  CHECK(phonemesOf("tidak") == "t'ida?");
  CHECK(markedForm("rakyat") == "raʔyat");
}

TEST_CASE("masukkan has a glottal k, masukan a plain k", "[g2p]") {
  CHECK(markedForm("masukkan") == "masuʔkan");
  CHECK(markedForm("masukan") == "masukan");
}

TEST_CASE("a loan with keep-k keeps its k before a consonant", "[g2p]") {
  CHECK(markedForm("sektor") == "séktor");
  CHECK(phonemesOf("sektor") == "s'EktoR");
}

TEST_CASE("stresses the last syllable when the penultimate is a pepet", "[g2p]") {
  CHECK(phonemesOf("beras") == "b@R2'as");
  CHECK(phonemesOf("dengan") == "d@N'an");
  CHECK(phonemesOf("oleh") == "'olEh");
}

// The shipped rules with the engine's own word list only, so the roots are
// known and the derived forms are not listed.
const g2p::LetterToSound& engineListOnly() {
  static const g2p::LetterToSound g = [] {
    g2p::G2pData data = *app::loadLetterToSound(test::g2pLanguageDir());
    data.words = g2p::WordList();
    std::ifstream in(test::g2pLanguageDir() / "words" / "core-engine.txt");
    std::string line;
    while (std::getline(in, line)) data.words.addLine(line, "core-engine.txt");
    return g2p::LetterToSound(std::move(data));
  }();
  return g;
}

TEST_CASE("derived words are read from their listed root", "[g2p]") {
  const g2p::LetterToSound& g = engineListOnly();
  struct Row {
    const char* word;
    const char* marked;
  };
  const Row rows[] = {
      {"pemerintahan", "pêmêrintahan"}, {"memperkenalkan", "mêmpêrkênalkan"},
      {"menyerang", "mênyêrang"},       {"memukul", "mêmukul"},
      {"mengirim", "mêngirim"},         {"menulis", "mênulis"},
      {"kemerdekaan", "kêmêrdékaan"},   {"dengannya", "dêngannya"},
      {"seberas", "sêbêras"},           {"sepakbola", "sépakbola"},  // a compound of two listed words
  };
  for (const auto& row : rows) {
    const g2p::Reading r = g.readWord(row.word);
    INFO(row.word << " read by " << g2p::decidedByName(r.by) << " (" << r.why << ")");
    CHECK(r.spelling.marked() == row.marked);
    CHECK(r.by == g2p::DecidedBy::Morphology);
  }
}

TEST_CASE("each reading says what decided it", "[g2p]") {
  const g2p::LetterToSound& g = test::indonesianG2p();
  CHECK(g.readWord("dengan").by == g2p::DecidedBy::Lexicon);
  CHECK(engineListOnly().readWord("pemerintahan").by == g2p::DecidedBy::Morphology);
  CHECK(g.readWord("zqwertyvex").by == g2p::DecidedBy::Espeak);
  CHECK(g.readWord("kêdiri").by == g2p::DecidedBy::Respelling);
  CHECK(g.readWord("bempelang").by == g2p::DecidedBy::Fallback);
}

TEST_CASE("a respelling's é and ê are honoured over every list", "[g2p]") {
  CHECK(markedForm("kêdiri") == "kêdiri");
  CHECK(markedForm("mêréka") == "mêréka");
}

TEST_CASE("homographs are read by the words around them", "[g2p]") {
  const g2p::LetterToSound& g = test::indonesianG2p();
  const auto wordIn = [&](const std::string& sentence, const std::string& word) {
    for (const auto& r : g.read(sentence))
      if (r.spelling.letters == word) return r.spelling.marked();
    return std::string("(missing)");
  };
  CHECK(wordIn("Ibu membeli buah apel di pasar.", "apel") == "apêl");
  CHECK(wordIn("Polisi menggelar apel pagi di halaman.", "apel") == "apél");
  CHECK(wordIn("Warga Kota Serang berkumpul.", "serang") == "sérang");
  CHECK(wordIn("pasukan itu serang balik musuh", "serang") == "sêrang");
  CHECK(wordIn("harga naik lima ribu rupiah per kilogram", "per") == "pêr");
  CHECK(wordIn("para pejabat teras hadir", "teras") == "têras");
  CHECK(wordIn("duduk di teras rumah", "teras") == "téras");
  CHECK(wordIn("bunga mekar di musim semi", "semi") == "sêmi");
  CHECK(wordIn("bangunan semi permanen", "semi") == "sémi");
}

TEST_CASE("transcribe turns words into phoneme spans and keeps the rest", "[g2p]") {
  const g2p::LetterToSound& g = test::indonesianG2p();
  CHECK(g.transcribe("tidak, dengan [[p@mk'ot]] rakyat.") == "[[t'ida?]], [[d@N'an]] [[p@mk'ot]] [[R2'a?jat]].");
  CHECK(g.transcribe("anak-anak") == "[[" + phonemesOf("anak") + "-" + phonemesOf("anak") + "]]");
  CHECK(g.transcribe("the shop") == "the shop");                           // not Indonesian-looking: eSpeak's own rules
  CHECK(g.transcribe("hari Jum'at ini") == "[[h'aR2i]] Jum'at [['ini]]");  // an apostrophe: eSpeak's, whole
}

TEST_CASE("letter names of a spelled acronym are taling", "[g2p]") {
  CHECK(test::indonesianG2p().transcribe("de pe er de") == "[[d'e]] [[p'e]] [['ER]] [[d'e]]");
}

TEST_CASE("the word-list loader names FILE:LINE for a bare e or an unknown flag", "[g2p][loader]") {
  const auto dir = test::tempDir("g2p-lists");
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "a.txt") << "# comment\ndêngan\n\nbesar\n"; }
  g2p::WordList list;
  try {
    app::loadWordLists(dir, list);
    FAIL("no error");
  } catch (const app::ConfigError& e) {
    CHECK(std::string(e.what()).find("a.txt:4: bare e in 'besar'") != std::string::npos);
  }
  { std::ofstream(dir / "a.txt") << "séktor keep-c\n"; }
  try {
    app::loadWordLists(dir, list);
    FAIL("no error");
  } catch (const app::ConfigError& e) {
    CHECK(std::string(e.what()).find("a.txt:1: unknown flag 'keep-c'") != std::string::npos);
  }
  {
    std::ofstream(dir / "a.txt") << "séktor keep-k  # a loan\npaku-paku\n";
    std::ofstream(dir / "b.txt") << "sêktor\n";
  }
  g2p::WordList ok;
  app::loadWordLists(dir, ok);
  REQUIRE(ok.find("sektor") != nullptr);
  CHECK(ok.find("sektor")->spelling.marked() == "séktor");  // the first file's entry wins
  CHECK(ok.find("sektor")->spelling.keep_k);
  CHECK(ok.find("paku") != nullptr);
}
