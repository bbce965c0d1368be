#include <catch2/catch.hpp>

#include "text/lexicon.h"
#include "text/normalizer.h"
#include "text_fixture.h"

using warta::text::Lexicon;
using warta::text::LexiconEntry;

namespace {
LexiconEntry entry(const char* word, const char* respelling, bool case_sensitive = false) {
  LexiconEntry e;
  e.word = word;
  e.respelling = respelling;
  e.case_sensitive = case_sensitive;
  return e;
}
}  // namespace

TEST_CASE("lexicon lookups ignore case unless the entry is case-sensitive", "[text][lexicon]") {
  Lexicon lexicon;
  lexicon.add(entry("WhatsApp", "wotsap"));
  lexicon.add(entry("AS", "amerika serikat", true));
  CHECK(lexicon.lookup("whatsapp") == std::optional<std::string>("wotsap"));
  CHECK(lexicon.lookup("WHATSAPP") == std::optional<std::string>("wotsap"));
  CHECK(lexicon.lookup("AS") == std::optional<std::string>("amerika serikat"));
  CHECK_FALSE(lexicon.lookup("As").has_value());
  CHECK_FALSE(lexicon.lookup("Telegram").has_value());
}

TEST_CASE("a case-sensitive entry wins over one that ignores case", "[text][lexicon]") {
  Lexicon lexicon;
  lexicon.add(entry("as", "as"));
  lexicon.add(entry("AS", "amerika serikat", true));
  CHECK(lexicon.lookup("AS") == std::optional<std::string>("amerika serikat"));
  CHECK(lexicon.lookup("As") == std::optional<std::string>("as"));
}

TEST_CASE("a later lexicon merged in overrides an earlier one", "[text][lexicon]") {
  Lexicon base;
  base.add(entry("Covid", "kovid"));
  base.add(entry("Bulog", "bulog"));
  Lexicon station;
  station.add(entry("COVID", "korona"));
  LexiconEntry phonemes;
  phonemes.word = "Bulog";
  phonemes.phonemes = "b'ulOg";
  station.add(phonemes);
  base.merge(station);
  CHECK(base.size() == 2);
  CHECK(base.lookup("covid") == std::optional<std::string>("korona"));
  CHECK(base.lookup("Bulog") == std::optional<std::string>("[[b'ulOg]]"));
}

TEST_CASE("a merged lexicon changes what the normalizer says", "[text][lexicon]") {
  Lexicon lexicon = warta::app::loadLexicon(warta::test::languageDir() / "lexicon.yaml");
  Lexicon station;
  station.add(entry("Kalijambu", "kali jambu"));
  station.add(entry("podcast", "siniar"));
  lexicon.merge(station);
  const warta::text::Normalizer normalizer(warta::app::loadLanguage(warta::test::languageDir()), lexicon);
  CHECK(normalizer.normalize("Sungai Kalijambu dalam podcast WhatsApp") == "Sungai Kali jambu dalam siniar Wotsap");
}
