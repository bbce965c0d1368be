// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/language_loader.h"

#include <set>

#include "config/pls_loader.h"
#include "config/yaml_util.h"
#include "text/utf8.h"

namespace warta::app {
namespace fs = std::filesystem;
namespace {

YAML::Node required(const fs::path& file, const YAML::Node& root, const char* key) {
  const YAML::Node node = root[key];
  if (!node) fail(file, root, std::string("missing key '") + key + "'");
  return node;
}

std::string word(const fs::path& file, const YAML::Node& node, const std::string& key) {
  const std::string s = asString(file, node, key);
  if (s.empty()) fail(file, node, "'" + key + "' must not be empty");
  return s;
}

std::vector<std::string> wordList(const fs::path& file, const YAML::Node& node, const std::string& key) {
  if (!node.IsSequence()) fail(file, node, "'" + key + "' must be a list");
  std::vector<std::string> out;
  for (const auto& item : node) out.push_back(word(file, item, key));
  return out;
}

// A mapping of written form -> spoken words; keys must be unique.
std::map<std::string, std::string> wordMap(const fs::path& file, const YAML::Node& node, const std::string& key) {
  requireMap(file, node, "'" + key + "'");
  std::map<std::string, std::string> out;
  for (const auto& item : node) {
    const std::string written = word(file, item.first, key);
    if (!out.emplace(written, word(file, item.second, key + ": " + written)).second)
      fail(file, item.first, "'" + written + "' is listed twice in '" + key + "'");
  }
  return out;
}

YAML::Node loadMap(const fs::path& file, std::initializer_list<const char*> keys) {
  const YAML::Node root = loadYamlFile(file);
  requireMap(file, root, "a language data file");
  rejectUnknownKeys(file, root, keys);
  return root;
}

void readNumbers(const fs::path& file, text::NumberWords& n) {
  const YAML::Node root = loadMap(file, {"digits",
                                         "ten",
                                         "teen",
                                         "hundred",
                                         "one_ten",
                                         "one_teen",
                                         "one_hundred",
                                         "scales",
                                         "decimal_point",
                                         "minus",
                                         "range",
                                         "ordinal_prefix",
                                         "ordinal_one",
                                         "plural_suffix",
                                         "roman_after",
                                         "roman_ordinal_after",
                                         "fraction_half",
                                         "fraction_prefix",
                                         "fraction_one_prefix",
                                         "age_word",
                                         "number_labels",
                                         "digits_after",
                                         "pairs_after",
                                         "zero_padded_after",
                                         "say_padding_zeros",
                                         "score_after",
                                         "minus_before_days"});
  const YAML::Node digits = required(file, root, "digits");
  n.digits = wordList(file, digits, "digits");
  if (n.digits.size() != 10) fail(file, digits, "'digits' must list the 10 digits, zero first");
  n.ten = word(file, required(file, root, "ten"), "ten");
  n.teen = word(file, required(file, root, "teen"), "teen");
  n.hundred = word(file, required(file, root, "hundred"), "hundred");
  n.one_ten = word(file, required(file, root, "one_ten"), "one_ten");
  n.one_teen = word(file, required(file, root, "one_teen"), "one_teen");
  n.one_hundred = word(file, required(file, root, "one_hundred"), "one_hundred");
  n.decimal_point = word(file, required(file, root, "decimal_point"), "decimal_point");
  n.minus = word(file, required(file, root, "minus"), "minus");
  n.range = word(file, required(file, root, "range"), "range");
  n.ordinal_prefix = word(file, required(file, root, "ordinal_prefix"), "ordinal_prefix");
  n.ordinal_one = word(file, required(file, root, "ordinal_one"), "ordinal_one");
  n.plural_suffix = word(file, required(file, root, "plural_suffix"), "plural_suffix");
  n.roman_after = wordList(file, required(file, root, "roman_after"), "roman_after");
  n.roman_ordinal_after = wordList(file, required(file, root, "roman_ordinal_after"), "roman_ordinal_after");
  n.fraction_half = word(file, required(file, root, "fraction_half"), "fraction_half");
  n.fraction_prefix = word(file, required(file, root, "fraction_prefix"), "fraction_prefix");
  n.fraction_one_prefix = word(file, required(file, root, "fraction_one_prefix"), "fraction_one_prefix");
  n.age_word = word(file, required(file, root, "age_word"), "age_word");
  n.number_labels = wordList(file, required(file, root, "number_labels"), "number_labels");
  n.digits_after = wordList(file, required(file, root, "digits_after"), "digits_after");
  n.pairs_after = wordList(file, required(file, root, "pairs_after"), "pairs_after");
  n.zero_padded_after = wordList(file, required(file, root, "zero_padded_after"), "zero_padded_after");
  n.score_after = wordList(file, required(file, root, "score_after"), "score_after");
  n.minus_before_days = wordList(file, required(file, root, "minus_before_days"), "minus_before_days");
  n.say_padding_zeros = asBool(file, required(file, root, "say_padding_zeros"), "say_padding_zeros");
  const YAML::Node scales = required(file, root, "scales");
  if (!scales.IsSequence() || scales.size() == 0) fail(file, scales, "'scales' must be a list of {power, word, one}");
  int previous = 0;
  for (const auto& item : scales) {
    requireMap(file, item, "a scale");
    rejectUnknownKeys(file, item, {"power", "word", "one"});
    text::NumberWords::Scale s;
    if (!item["power"] || !item["word"]) fail(file, item, "a scale needs 'power' and 'word'");
    s.power = asInt(file, item["power"], "power");
    // Three digits per scale step is what the reader's arithmetic assumes.
    if (s.power <= previous || s.power % 3 != 0 || s.power > 15)
      fail(file, item["power"], "'power' must be 3, 6, 9, 12 or 15 and increase down the list");
    previous = s.power;
    s.word = word(file, item["word"], "word");
    if (item["one"]) s.one = word(file, item["one"], "one");
    n.scales.push_back(std::move(s));
  }
}

void readCalendar(const fs::path& file, text::CalendarWords& c) {
  const YAML::Node root = loadMap(file, {"months", "weekdays", "time_zones", "date_before"});
  const YAML::Node months = required(file, root, "months");
  c.months = wordList(file, months, "months");
  if (c.months.size() != 12) fail(file, months, "'months' must list 12 months, January first");
  const YAML::Node weekdays = required(file, root, "weekdays");
  c.weekdays = wordList(file, weekdays, "weekdays");
  if (c.weekdays.size() != 7) fail(file, weekdays, "'weekdays' must list 7 days, Sunday first");
  c.time_zones = wordMap(file, required(file, root, "time_zones"), "time_zones");
  c.date_before = wordList(file, required(file, root, "date_before"), "date_before");
}

}  // namespace

text::LanguageData loadLanguage(const fs::path& dir) {
  text::LanguageData lang;
  readNumbers(dir / "numbers.yaml", lang.numbers);
  readCalendar(dir / "calendar.yaml", lang.calendar);
  {
    const fs::path file = dir / "letters.yaml";
    const YAML::Node root = loadMap(file, {"letters"});
    const YAML::Node letters = required(file, root, "letters");
    lang.letters = wordMap(file, letters, "letters");
    for (const auto& item : letters) {
      const std::string key = item.first.Scalar();
      if (text::utf8::length(key) != 1 || text::utf8::toLower(key) != key)
        fail(file, item.first, "'" + key + "' is not one lower-case letter");
    }
  }
  {
    const fs::path file = dir / "abbreviations.yaml";
    const YAML::Node root = loadMap(file, {"abbreviations", "sentence_final", "shorthand", "degrees"});
    lang.abbreviations = wordMap(file, required(file, root, "abbreviations"), "abbreviations");
    const YAML::Node finals = required(file, root, "sentence_final");
    lang.sentence_final = wordList(file, finals, "sentence_final");
    for (std::size_t i = 0; i < lang.sentence_final.size(); ++i)
      if (!lang.abbreviations.count(lang.sentence_final[i]))
        fail(file, finals[i], "'" + lang.sentence_final[i] + "' is not in 'abbreviations'");
    lang.shorthand = wordMap(file, required(file, root, "shorthand"), "shorthand");
    // A shortened word is the same abbreviation when a dot follows it: "yg." as "yg".
    for (const auto& [written, spoken] : lang.shorthand) lang.abbreviations.emplace(written, spoken);
    lang.degrees = wordMap(file, required(file, root, "degrees"), "degrees");
    for (const auto& item : root["degrees"])
      if (item.first.Scalar().find('.') != std::string::npos)
        fail(file, item.first, "degree '" + item.first.Scalar() + "' must be written without dots");
  }
  {
    const fs::path file = dir / "acronyms.yaml";
    const YAML::Node root = loadMap(file, {"words", "spelled", "expansion_skips", "spelled_after"});
    lang.acronym_words = wordList(file, required(file, root, "words"), "words");
    lang.acronym_spelled = wordList(file, required(file, root, "spelled"), "spelled");
    lang.acronym_expansion_skips = wordList(file, required(file, root, "expansion_skips"), "expansion_skips");
    lang.acronym_spelled_after = wordList(file, required(file, root, "spelled_after"), "spelled_after");
  }
  {
    const fs::path file = dir / "ranks.yaml";
    const YAML::Node root = loadMap(file, {"ranks"});
    lang.ranks = wordMap(file, required(file, root, "ranks"), "ranks");
  }
  {
    const fs::path file = dir / "units.yaml";
    const YAML::Node root = loadMap(file, {"currencies", "units", "per", "currency_scales"});
    lang.currencies = wordMap(file, required(file, root, "currencies"), "currencies");
    lang.units = wordMap(file, required(file, root, "units"), "units");
    lang.per = word(file, required(file, root, "per"), "per");
    lang.currency_scales = wordMap(file, required(file, root, "currency_scales"), "currency_scales");
  }
  {
    const fs::path file = dir / "symbols.yaml";
    const YAML::Node root = loadMap(file, {"symbols", "domain_suffixes"});
    lang.symbols = wordMap(file, required(file, root, "symbols"), "symbols");
    lang.domain_suffixes = wordList(file, required(file, root, "domain_suffixes"), "domain_suffixes");
  }
  return lang;
}

text::Lexicon loadLexicon(const fs::path& file) {
  if (isPlsFile(file)) return loadPlsLexicon(file);  // W3C PLS: app/pls_loader.h
  const YAML::Node root = loadYamlFile(file);
  text::Lexicon lexicon;
  if (root.IsNull()) return lexicon;
  requireMap(file, root, "a lexicon");
  rejectUnknownKeys(file, root, {"entries"});
  const YAML::Node entries = root["entries"];
  if (!entries || entries.IsNull()) return lexicon;
  requireMap(file, entries, "'entries'");
  std::set<std::string> seen;
  for (const auto& item : entries) {
    text::LexiconEntry entry;
    entry.word = word(file, item.first, "entries");
    if (entry.word.find_first_of(" \t") != std::string::npos)
      fail(file, item.first, "'" + entry.word + "' is several words: warta looks words up one at a time");
    const YAML::Node value = item.second;
    if (value.IsMap()) {
      rejectUnknownKeys(file, value, {"respelling", "phonemes", "case_sensitive"});
      if (!value["respelling"] == !value["phonemes"])
        fail(file, value, "entry '" + entry.word + "' needs exactly one of 'respelling' and 'phonemes'");
      if (value["respelling"]) entry.respelling = word(file, value["respelling"], "respelling");
      if (value["phonemes"]) {
        entry.phonemes = word(file, value["phonemes"], "phonemes");
        if (const std::string problem = espeakPhonemeProblem(entry.phonemes); !problem.empty())
          fail(file, value["phonemes"], "eSpeak phonemes '" + entry.phonemes + "' " + problem);
      }
      if (value["case_sensitive"]) entry.case_sensitive = asBool(file, value["case_sensitive"], "case_sensitive");
    } else {
      entry.respelling = word(file, value, entry.word);
    }
    entry.origin = file.string() + ":" + std::to_string(item.first.Mark().line + 1);
    const std::string key = entry.case_sensitive ? entry.word : "\x01" + text::utf8::toLower(entry.word);
    if (!seen.insert(key).second) fail(file, item.first, "'" + entry.word + "' is listed twice");
    lexicon.add(std::move(entry));
  }
  return lexicon;
}

}  // namespace warta::app
