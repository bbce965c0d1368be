// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/language_loader.h"
#include "config/pls_loader.h"
#include "config/yaml_util.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::app::ConfigError;
using warta::app::IpaTable;
using warta::app::loadPlsLexicon;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const char* kHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<lexicon version=\"1.0\" xmlns=\"http://www.w3.org/2005/01/pronunciation-lexicon\"\n"
    "         alphabet=\"ipa\" xml:lang=\"id\">\n";

fs::path writePls(const std::string& name, const std::string& body, bool with_head = true) {
  const fs::path file = warta::test::tempDir("pls-test") / name;
  std::ofstream(file, std::ios::binary) << (with_head ? kHead : "") << body << (with_head ? "</lexicon>\n" : "");
  return file;
}

const IpaTable& shippedTable() {
  static const IpaTable table = IpaTable::load(fs::path(WARTA_SOURCE_DIR) / "voices" / "ipa-espeak.yaml");
  return table;
}

std::string spoken(const warta::text::Lexicon& lexicon, const std::string& word) {
  return lexicon.lookup(word).value_or("<none>");
}

// The message of the ConfigError loading `file` throws ("" if none).
std::string errorOf(const fs::path& file) {
  try {
    loadPlsLexicon(file, &shippedTable());
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("PLS: alias, x-espeak and IPA pronunciations", "[app][pls]") {
  const fs::path file = writePls("kinds.pls",
                                 "  <lexeme><grapheme>Kalijambu</grapheme><alias>kali jambu</alias></lexeme>\n"
                                 "  <lexeme><grapheme>Sekar</grapheme>\n"
                                 "    <phoneme alphabet=\"x-espeak\">s@k'aR</phoneme></lexeme>\n"
                                 "  <lexeme><grapheme>Ndaru</grapheme>\n"
                                 "    <phoneme alphabet=\"x-espeak-ng\">[[nd'aru]]</phoneme></lexeme>\n"
                                 "  <lexeme><grapheme>Kenes</grapheme><phoneme>ˈkenes</phoneme></lexeme>\n");
  const auto lexicon = loadPlsLexicon(file, &shippedTable());
  CHECK(lexicon.size() == 4);
  CHECK(spoken(lexicon, "kalijambu") == "kali jambu");
  CHECK(spoken(lexicon, "Sekar") == "[[s@k'aR]]");
  CHECK(spoken(lexicon, "Ndaru") == "[[nd'aru]]");
  CHECK(spoken(lexicon, "Kenes") == "[[k'EnEs]]");
  const auto* entry = lexicon.find("Kalijambu");
  REQUIRE(entry != nullptr);
  CHECK(entry->origin == file.string() + ":4");
}

TEST_CASE("PLS: IPA symbols Indonesian needs become eSpeak mnemonics", "[app][pls]") {
  struct Row {
    const char* ipa;
    const char* espeak;
  };
  // Stress marks kept; length, ŋ, ɲ, ʃ, tʃ, dʒ, ʔ, ə, ɛ, ɔ, diphthongs.
  const Row rows[] = {
      {"ˈbaɲak", "b'an^ak"},
      {"təˈŋah", "t@N'ah"},
      {"ʃaˈrat", "SaR2'at"},
      {"ˈtʃinta", "tS'inta"},
      {"ˈdʒalan", "dZ'alan"},
      {"ˈraʔjat", "R2'a?jat"},
      {"ˈsɛsɔk", "s'EsOk"},
      {"ˌpuˈlau̯", "p,ul'aU"},
      {"ˈbaːpak", "b'a:pak"},
      {"ˈmu.sim", "m'usim"},
      {"t͡ʃiˈtra", "tSitR2'a"},
      // No stress mark: the second-last vowel, or the last after a schwa.
      {"rumah", "R2'umah"},
      {"bəˈras", "b@R2'as"},
      {"bəras", "b@R2'as"},
      {"kəpandʒən kidul", "k@p'andZ@n k'idul"},
  };
  for (const Row& row : rows) {
    std::string unknown;
    const auto out = shippedTable().convert(row.ipa, unknown);
    INFO(row.ipa);
    REQUIRE(out.has_value());
    CHECK(*out == row.espeak);
  }
  std::string unknown;
  CHECK_FALSE(shippedTable().convert("ˈbaʁu", unknown).has_value());
  CHECK(unknown == "ʁ");
}

TEST_CASE("PLS: several graphemes share one pronunciation, and capitals are case-sensitive", "[app][pls]") {
  const fs::path file = writePls("graphemes.pls",
                                 "  <lexeme>\n"
                                 "    <grapheme>Gendhis</grapheme>\n"
                                 "    <grapheme>Gendis</grapheme>\n"
                                 "    <phoneme>gənˈdis</phoneme>\n"
                                 "  </lexeme>\n"
                                 "  <lexeme><grapheme>RKSB</grapheme><alias>radio kota santri</alias></lexeme>\n"
                                 "  <lexeme><grapheme>Gendis</grapheme><alias>later ignored</alias></lexeme>\n");
  const auto lexicon = loadPlsLexicon(file, &shippedTable());
  CHECK(spoken(lexicon, "Gendhis") == "[[g@nd'is]]");
  CHECK(spoken(lexicon, "gendis") == "[[g@nd'is]]");
  CHECK(spoken(lexicon, "RKSB") == "radio kota santri");
  CHECK_FALSE(lexicon.lookup("Rksb").has_value());
}

TEST_CASE("PLS: entities, CDATA, comments and prefer are read as XML says", "[app][pls]") {
  const fs::path file = writePls("xml.pls",
                                 "  <!-- a comment -->\n"
                                 "  <lexeme><grapheme>B&amp;B</grapheme><alias>bi en bi</alias></lexeme>\n"
                                 "  <lexeme><grapheme><![CDATA[R&D]]></grapheme><alias>riset</alias></lexeme>\n"
                                 "  <lexeme><grapheme>Ratu</grapheme>\n"
                                 "    <alias>ratu</alias><alias prefer=\"true\">ratu ayu</alias></lexeme>\n");
  const auto lexicon = loadPlsLexicon(file, &shippedTable());
  CHECK(spoken(lexicon, "B&B") == "bi en bi");
  CHECK(spoken(lexicon, "R&D") == "riset");
  CHECK(spoken(lexicon, "Ratu") == "ratu ayu");
}

TEST_CASE("PLS: mistakes are ConfigErrors with file and line", "[app][pls]") {
  struct Row {
    const char* name;
    std::string content;
    bool with_head;
    const char* line;
    const char* message;
  };
  const Row rows[] = {
      {"broken.pls", "  <lexeme><grapheme>Rusak</grapheme><alias>rusak</lexeme>\n", true, ":4:", "not well-formed XML"},
      {"root.pls", "<?xml version=\"1.0\"?>\n<lexikon>\n</lexikon>\n", false, ":2:", "root element must be <lexicon>"},
      {"nograph.pls", "  <lexeme>\n    <alias>tanpa</alias>\n  </lexeme>\n", true, ":4:", "without a <grapheme>"},
      {"nopron.pls", "  <lexeme><grapheme>Kosong</grapheme></lexeme>\n", true, ":4:", "has no <alias> or <phoneme>"},
      {"ipa.pls",
       "  <lexeme><grapheme>A</grapheme><alias>a</alias></lexeme>\n  <lexeme><grapheme>Baru</grapheme>\n"
       "    <phoneme>ˈbaʁu</phoneme></lexeme>\n",
       true, ":6:", "IPA symbol 'ʁ'"},
      {"alpha.pls", "  <lexeme><grapheme>Baru</grapheme><phoneme alphabet=\"x-sampa\">baru</phoneme></lexeme>\n", true,
       ":4:", "alphabet 'x-sampa' is not supported"},
      {"words.pls", "  <lexeme><grapheme>Suara Rakyat</grapheme><alias>suara rakyat</alias></lexeme>\n", true,
       ":4:", "several words"},
      {"digits.pls", "  <lexeme><grapheme>G20</grapheme><alias>G 20</alias></lexeme>\n", true,
       ":4:", "must be plain words"},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    const fs::path file = writePls(row.name, row.content, row.with_head);
    const std::string error = errorOf(file);
    CHECK_THAT(error, StartsWith(file.string() + row.line));
    CHECK_THAT(error, Contains(row.message));
  }
}

TEST_CASE("loadLexicon reads PLS by extension or by an XML root", "[app][pls]") {
  const fs::path pls =
      writePls("station.pls", "  <lexeme><grapheme>Kalijambu</grapheme><alias>kali jambu</alias></lexeme>\n");
  CHECK(warta::app::isPlsFile(pls));
  CHECK(warta::app::loadLexicon(pls).lookup("Kalijambu") == std::optional<std::string>("kali jambu"));
  const fs::path xml = writePls("station.xml", "  <lexeme><grapheme>Sekar</grapheme><alias>sekar</alias></lexeme>\n");
  CHECK(warta::app::isPlsFile(xml));
  CHECK(warta::app::loadLexicon(xml).lookup("sekar") == std::optional<std::string>("sekar"));
  const fs::path yaml = warta::test::tempDir("pls-test") / "station.yaml";
  std::ofstream(yaml) << "entries:\n  Sekar: sekar\n";
  CHECK_FALSE(warta::app::isPlsFile(yaml));
}

TEST_CASE("the sample station PLS parses", "[app][pls]") {
  const auto lexicon = warta::app::loadLexicon(fs::path(WARTA_SOURCE_DIR) / "samples" / "lexicon" / "stasiun.pls");
  CHECK(lexicon.size() >= 8);
  CHECK(spoken(lexicon, "Sumberjati") == "[[sumb@R2dZ'ati]]");
  CHECK(spoken(lexicon, "Tanjungsari") == "tanjung sari");
  CHECK(spoken(lexicon, "Gendhis") == "[[g@nd'is]]");
}

TEST_CASE("PLS: a DOCTYPE (an entity bomb) is refused with its line, fast", "[app][pls]") {
  // "Billion laughs": &l9; is 3 GB of "lol" if anything expands it.
  std::string bomb = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE lexicon [\n  <!ENTITY l0 \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    bomb += "  <!ENTITY l" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) bomb += "&l" + std::to_string(i - 1) + ";";
    bomb += "\">\n";
  }
  bomb +=
      "]>\n<lexicon version=\"1.0\" xmlns=\"http://www.w3.org/2005/01/pronunciation-lexicon\" alphabet=\"ipa\" "
      "xml:lang=\"id\">\n  <lexeme><grapheme>Bom</grapheme><alias>&l9;</alias></lexeme>\n</lexicon>\n";
  const fs::path file = writePls("bomb.pls", bomb, false);
  const auto started = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(loadPlsLexicon(file, &shippedTable()),
                    StartsWith(file.string() + ":2: has a DOCTYPE") && Contains("needs none"));
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() < 2.0);
  // A DOCTYPE without entities is refused just the same: a lexicon needs no DTD.
  const fs::path plain = writePls("dtd.pls",
                                  "<?xml version=\"1.0\"?>\n<!DOCTYPE lexicon>\n<lexicon version=\"1.0\" "
                                  "xmlns=\"http://www.w3.org/2005/01/pronunciation-lexicon\" alphabet=\"ipa\">\n"
                                  "  <lexeme><grapheme>Baru</grapheme><alias>baru</alias></lexeme>\n</lexicon>\n",
                                  false);
  CHECK_THROWS_WITH(loadPlsLexicon(plain, &shippedTable()), StartsWith(plain.string() + ":2: has a DOCTYPE"));
}
