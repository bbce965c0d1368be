// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "config/language_loader.h"
#include "config/yaml_util.h"
#include "text_fixture.h"

namespace fs = std::filesystem;
using warta::app::ConfigError;
using warta::app::loadLanguage;
using warta::app::loadLexicon;

namespace {

// A copy of voices/id's files with `file` replaced by `yaml` (folders such as
// words/ are the letter-to-sound's, not loadLanguage's).
fs::path languageWith(const std::string& file, const std::string& yaml) {
  const fs::path dir = warta::test::scratchDir("language");
  for (const auto& entry : fs::directory_iterator(warta::test::languageDir()))
    if (entry.is_regular_file()) fs::copy_file(entry.path(), dir / entry.path().filename());
  warta::test::writeFile(dir / file, yaml);
  return dir;
}

std::string languageError(const std::string& file, const std::string& yaml) {
  const fs::path dir = languageWith(file, yaml);
  try {
    loadLanguage(dir);
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    const std::string prefix = (dir / file).string();
    return what.rfind(prefix, 0) == 0 ? file + what.substr(prefix.size()) : what;
  }
  return "(no error)";
}

std::string lexiconError(const std::string& yaml) {
  const fs::path file = warta::test::writeFile(warta::test::scratchDir("lexicon") / "lexicon.yaml", yaml);
  try {
    loadLexicon(file);
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    return what.substr(file.parent_path().string().size() + 1);
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("the shipped Indonesian data loads completely", "[text][loader]") {
  const warta::text::LanguageData lang = loadLanguage(warta::test::languageDir());
  CHECK(lang.numbers.digits.size() == 10);
  CHECK(lang.numbers.digits[9] == "sembilan");
  CHECK(lang.numbers.scales.size() == 4);
  CHECK(lang.numbers.scales[0].one == "seribu");
  CHECK(lang.numbers.scales[1].one.empty());
  CHECK(lang.calendar.months.at(5) == "Juni");
  CHECK(lang.calendar.weekdays.at(3) == "Rabu");
  CHECK(lang.letters.at("d") == "de");
  CHECK(lang.abbreviations.at("Jl") == "jalan");
  CHECK(lang.currencies.at("Rp") == "rupiah");
  CHECK(lang.units.at("%") == "persen");
  CHECK(lang.calendar.time_zones.at("WIB") == "waktu Indonesia barat");
  const warta::text::Lexicon lexicon = loadLexicon(warta::test::languageDir() / "lexicon.yaml");
  CHECK(lexicon.size() >= 60);
  CHECK(lexicon.lookup("whatsapp") == std::optional<std::string>("wotsap"));
}

TEST_CASE("language data mistakes are errors at their line and column", "[text][loader]") {
  const std::string numbers =
      "digits: [nol, satu, dua, tiga, empat, lima, enam, tujuh, delapan, sembilan]\nten: puluh\nteen: belas\n"
      "hundred: ratus\none_ten: sepuluh\none_teen: sebelas\none_hundred: seratus\n"
      "scales:\n  - { power: 3, word: ribu, one: seribu }\ndecimal_point: koma\nminus: minus\nrange: sampai\n"
      "ordinal_prefix: ke\nordinal_one: pertama\nplural_suffix: an\nroman_after: []\nroman_ordinal_after: []\n"
      "fraction_half: setengah\nfraction_prefix: per\nfraction_one_prefix: se\nage_word: tahun\n"
      "number_labels: []\ndigits_after: []\npairs_after: []\nzero_padded_after: []\nsay_padding_zeros: false\n"
      "score_after: []\nminus_before_days: []\n";
  REQUIRE(languageError("numbers.yaml", numbers) == "(no error)");
  struct Case {
    std::string file, yaml, error;
  };
  const Case cases[] = {
      {"numbers.yaml", numbers + "thousand: ribu\n",
       "numbers.yaml:29:1: unknown key 'thousand' (expected one of: digits, ten, teen, hundred, one_ten, one_teen, "
       "one_hundred, scales, decimal_point, minus, range, ordinal_prefix, ordinal_one, plural_suffix, roman_after, "
       "roman_ordinal_after, fraction_half, fraction_prefix, fraction_one_prefix, age_word, number_labels, "
       "digits_after, pairs_after, zero_padded_after, say_padding_zeros, score_after, minus_before_days)"},
      {"numbers.yaml", numbers.substr(0, numbers.find("age_word")) + numbers.substr(numbers.find("number_labels")),
       "numbers.yaml:1:1: missing key 'age_word'"},
      {"ranks.yaml", "ranks:\n  AKBP: ajun komisaris besar polisi\n  AKBP: lagi\n",
       "ranks.yaml:3:3: duplicate key 'AKBP' (first given at line 2, column 3): a key may appear once in a mapping"},
      {"abbreviations.yaml",
       "abbreviations:\n  Dr: doktor\nsentence_final: []\nshorthand: {}\ndegrees:\n  S.H: sarjana hukum\n",
       "abbreviations.yaml:6:3: degree 'S.H' must be written without dots"},
      {"numbers.yaml", "digits: [nol, satu]\n" + numbers.substr(numbers.find('\n') + 1),
       "numbers.yaml:1:9: 'digits' must list the 10 digits, zero first"},
      {"numbers.yaml",
       numbers.substr(0, numbers.find("scales:")) + "scales:\n  - { power: 4, word: ribu }\n" +
           numbers.substr(numbers.find("decimal_point")),
       "numbers.yaml:9:14: 'power' must be 3, 6, 9, 12 or 15 and increase down the list"},
      {"numbers.yaml", numbers.substr(0, numbers.find("ten: puluh\n")) + numbers.substr(numbers.find("teen:")),
       "numbers.yaml:1:1: missing key 'ten'"},
      {"letters.yaml", "letters:\n  a: a\n  B: be\n", "letters.yaml:3:3: 'B' is not one lower-case letter"},
      {"letters.yaml", "letters:\n  a: [a]\n", "letters.yaml:2:6: 'letters: a' must be text"},
      {"calendar.yaml", "months: [Januari]\nweekdays: []\ntime_zones: {}\n",
       "calendar.yaml:1:9: 'months' must list 12 months, January first"},
      {"abbreviations.yaml", "abbreviations:\n  Dr: doktor\nsentence_final: [dll]\n",
       "abbreviations.yaml:3:18: 'dll' is not in 'abbreviations'"},
      {"abbreviations.yaml", "abbreviations:\n  Dr: doktor\n  Dr: dokter\nsentence_final: []\n",
       "abbreviations.yaml:3:3: duplicate key 'Dr' (first given at line 2, column 3): a key may appear once in a "
       "mapping"},
      {"acronyms.yaml", "words: NATO\nspelled: []\nexpansion_skips: []\nspelled_after: []\n",
       "acronyms.yaml:1:8: 'words' must be a list"},
      {"units.yaml", "currencies: {}\nunits: {}\nper: per\ncurrency_scales: {}\ncurrency: Rp\n",
       "units.yaml:5:1: unknown key 'currency' (expected one of: currencies, units, per, currency_scales)"},
      {"symbols.yaml", "symbols: []\ndomain_suffixes: []\n",
       "symbols.yaml:1:10: 'symbols' must be a mapping of keys to values"},
      {"symbols.yaml", "symbols: {\n", "symbols.yaml:2:1: end of map flow not found"},
  };
  for (const Case& c : cases) {
    INFO(c.yaml);
    CHECK(languageError(c.file, c.yaml) == c.error);
  }
}

TEST_CASE("a missing language file is an error naming it", "[text][loader]") {
  const fs::path dir = languageWith("units.yaml", "");
  fs::remove(dir / "units.yaml");
  CHECK_THROWS_WITH(loadLanguage(dir), (dir / "units.yaml").string() + ": cannot open file");
}

TEST_CASE("lexicon mistakes are errors at their line and column", "[text][loader]") {
  struct Case {
    std::string yaml, error;
  };
  const Case cases[] = {
      {"entries:\n  Polri: polri\nwords: {}\n", "lexicon.yaml:3:1: unknown key 'words' (expected one of: entries)"},
      {"entries:\n  Covid: { respelling: kovid, stress: 1 }\n",
       "lexicon.yaml:2:31: unknown key 'stress' (expected one of: respelling, phonemes, case_sensitive)"},
      {"entries:\n  Covid: { respelling: kovid, phonemes: \"k'ovid\" }\n",
       "lexicon.yaml:2:10: entry 'Covid' needs exactly one of 'respelling' and 'phonemes'"},
      {"entries:\n  AS: { respelling: amerika serikat, case_sensitive: kadang }\n",
       "lexicon.yaml:2:54: 'case_sensitive' must be true or false, not 'kadang'"},
      {"entries:\n  Covid: kovid\n  covid: kofid\n", "lexicon.yaml:3:3: 'covid' is listed twice"},
      {"entries:\n  Covid: [kovid]\n", "lexicon.yaml:2:10: 'Covid' must be text"},
      {"entries: [Covid]\n", "lexicon.yaml:1:10: 'entries' must be a mapping of keys to values"},
  };
  for (const Case& c : cases) {
    INFO(c.yaml);
    CHECK(lexiconError(c.yaml) == c.error);
  }
}

TEST_CASE("a lexicon reads respellings, phonemes and case-sensitive entries", "[text][loader]") {
  const fs::path file = warta::test::writeFile(warta::test::scratchDir("lexicon-ok") / "station.yaml",
                                               "entries:\n  Covid: korona\n  Tiongkok: { phonemes: \"tiONk'Ok\" }\n"
                                               "  AS: { respelling: amerika serikat, case_sensitive: true }\n");
  const warta::text::Lexicon lexicon = loadLexicon(file);
  CHECK(lexicon.size() == 3);
  CHECK(lexicon.lookup("COVID") == std::optional<std::string>("korona"));
  CHECK(lexicon.lookup("Tiongkok") == std::optional<std::string>("[[tiONk'Ok]]"));
  CHECK(lexicon.lookup("AS") == std::optional<std::string>("amerika serikat"));
  CHECK_FALSE(lexicon.lookup("as").has_value());
  const fs::path empty = warta::test::writeFile(file.parent_path() / "empty.yaml", "");
  CHECK(loadLexicon(empty).empty());
}
