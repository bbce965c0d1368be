// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include "config/yaml_util.h"
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

namespace {
std::filesystem::path lexiconFile(const std::string& name, const std::string& yaml) {
  return warta::test::writeFile(warta::test::scratchDir("lexicon") / name, yaml);
}
std::string loadError(const std::filesystem::path& file) {
  try {
    warta::app::loadLexicon(file);
  } catch (const warta::app::ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a YAML lexicon: respellings, phonemes, case sensitivity and where each entry is", "[text][lexicon]") {
  const auto file = lexiconFile("station.yaml",
                                "entries:\n"
                                "  Kalijambu: kali jambu\n"
                                "  Sekar: { phonemes: \"s@k'aR\" }\n"
                                "  PAN: { respelling: pan, case_sensitive: true }\n");
  const Lexicon lexicon = warta::app::loadLexicon(file);
  CHECK(lexicon.size() == 3);
  CHECK(lexicon.lookup("KALIJAMBU") == std::optional<std::string>("kali jambu"));
  CHECK(lexicon.lookup("sekar") == std::optional<std::string>("[[s@k'aR]]"));
  CHECK(lexicon.lookup("PAN") == std::optional<std::string>("pan"));
  CHECK_FALSE(lexicon.lookup("Pan").has_value());
  REQUIRE(lexicon.find("Sekar") != nullptr);
  CHECK(lexicon.find("Sekar")->origin == file.string() + ":3");
  CHECK(warta::app::loadLexicon(lexiconFile("empty.yaml", "")).empty());
}

TEST_CASE("YAML lexicon mistakes name the file, line and column", "[text][lexicon]") {
  using Catch::Matchers::Contains;
  using Catch::Matchers::StartsWith;
  struct Row {
    const char* yaml;
    const char* at;
    const char* message;
  };
  const Row rows[] = {
      {"entries:\n  Covid: kovid\n  COVID: korona\n", ":3:3", "listed twice"},
      {"entries:\n  SEA Games: si gems\n", ":2:3", "several words"},
      {"entries:\n  Sekar: { respelling: sekar, phonemes: \"s@k'aR\" }\n", ":2:10", "exactly one of"},
      {"entries:\n  Sekar: { respeling: sekar }\n", ":2:12", "unknown key 'respeling'"},
      {"words:\n  Sekar: sekar\n", ":1:1", "unknown key 'words'"},
  };
  int n = 0;
  for (const Row& row : rows) {
    const auto file = lexiconFile("bad" + std::to_string(n++) + ".yaml", row.yaml);
    INFO(row.yaml);
    const std::string error = loadError(file);
    CHECK_THAT(error, StartsWith(file.string() + row.at));
    CHECK_THAT(error, Contains(row.message));
  }
  // Case-sensitive and case-insensitive entries for the same word may both be listed.
  CHECK(loadError(lexiconFile("both.yaml",
                              "entries:\n  as: as\n  AS: { respelling: amerika serikat, case_sensitive: true }\n"))
            .empty());
}

TEST_CASE("shows phoneme spans as the words their lexicon entries are for", "[lexicon]") {
  warta::text::Lexicon lexicon;
  lexicon.add({"Pemkot", "", "p@mk'ot", false, ""});
  lexicon.add({"online", "onlain", "", false, ""});
  CHECK(warta::text::displayForm("Bantuan [[p@mk'ot]] tiba.", lexicon) == "Bantuan Pemkot tiba.");
  CHECK(warta::text::displayForm("[[p@mk'ot]], [[p@mk'ot]]", lexicon) == "Pemkot, Pemkot");
  CHECK(warta::text::displayForm("tanpa fonem", lexicon) == "tanpa fonem");
  CHECK(warta::text::displayForm("[[x'yz]] tetap", lexicon) == "[[x'yz]] tetap");  // no entry claims it
  CHECK(warta::text::displayForm("rusak [[p@m", lexicon) == "rusak [[p@m");
}

TEST_CASE("phoneme entries with eSpeak's secondary stress comma reach eSpeak whole", "[lexicon]") {
  const auto dir = warta::test::languageDir();
  warta::text::Lexicon lexicon;
  lexicon.add({"Polrestabes", "", "p,olR2Est'abEs", false, ""});
  const warta::text::Normalizer n(warta::app::loadLanguage(dir), lexicon);
  CHECK(n.normalize("Kapolda dan Polrestabes tiba.").find("[[p,olR2Est'abEs]]") != std::string::npos);
}
