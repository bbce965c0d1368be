// SPDX-License-Identifier: GPL-3.0-or-later
// The shipped Indonesian lexicon (voices/id/lexicon.yaml): its size, its
// respellings, and that its entries change what eSpeak says.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "speech/espeak_engine.h"
#include "text/utf8.h"
#include "text_fixture.h"

using warta::text::Lexicon;
using warta::text::LexiconEntry;

namespace {

// Every entry of the shipped file, in file order (the Lexicon keeps no order).
std::vector<LexiconEntry> shippedEntries() {
  const auto file = warta::test::languageDir() / "lexicon.yaml";
  const Lexicon lexicon = warta::app::loadLexicon(file);
  std::vector<LexiconEntry> out;
  std::ifstream in(file);
  std::string line;
  bool in_entries = false;
  while (std::getline(in, line)) {
    if (line.rfind("entries:", 0) == 0) in_entries = true;
    if (!in_entries || line.rfind("  ", 0) != 0 || line.size() < 3 || line[2] == '#' || line[2] == ' ') continue;
    std::string key = line.substr(2, line.find(": ") - 2);
    if (key.size() >= 2 && key.front() == '"') key = key.substr(1, key.size() - 2);
    const LexiconEntry* entry = lexicon.find(key);
    if (entry != nullptr) out.push_back(*entry);
  }
  return out;
}

std::string upper(std::string_view s) {
  std::string out;
  for (std::size_t pos = 0; pos < s.size();)
    warta::text::utf8::append(out, warta::text::utf8::toUpper(warta::text::utf8::next(s, pos)));
  return out;
}

std::string lettersOnly(std::string_view s) {
  std::string out;
  for (std::size_t pos = 0; pos < s.size();) {
    const std::size_t at = pos;
    if (warta::text::utf8::isLetter(warta::text::utf8::next(s, pos)))
      out += warta::text::utf8::toLower(s.substr(at, pos - at));
  }
  return out;
}

}  // namespace

TEST_CASE("the shipped lexicon has at least 400 entries and all of them load", "[text][lexicon][shipped]") {
  const Lexicon lexicon = warta::app::loadLexicon(warta::test::languageDir() / "lexicon.yaml");
  CHECK(lexicon.size() >= 400);
  const auto entries = shippedEntries();
  CHECK(entries.size() == lexicon.size());  // every line of the file is an entry the loader kept
}

TEST_CASE("shipped respellings are plain words and phonemes are bare mnemonics", "[text][lexicon][shipped]") {
  for (const LexiconEntry& e : shippedEntries()) {
    INFO(e.word << " (" << e.origin << ")");
    if (!e.phonemes.empty()) {
      CHECK(e.respelling.empty());
      CHECK(e.phonemes.find("[[") == std::string::npos);
      CHECK(e.phonemes.find("]]") == std::string::npos);
      CHECK(e.phonemes.find(' ') == std::string::npos);
      continue;
    }
    REQUIRE_FALSE(e.respelling.empty());
    // Nothing the normalizer would have had to read: no digits, no symbols.
    for (std::size_t pos = 0; pos < e.respelling.size();) {
      const char32_t cp = warta::text::utf8::next(e.respelling, pos);
      CHECK((warta::text::utf8::isLetter(cp) || cp == ' ' || cp == '-'));
    }
    CHECK(e.respelling.front() != ' ');
    CHECK(e.respelling.back() != ' ');
  }
}

TEST_CASE("shipped entries change what eSpeak says, or pin a choice", "[text][lexicon][shipped]") {
  const auto& language = warta::test::indonesian().language();
  const warta::text::Normalizer bare(language, Lexicon{});
  const warta::text::Normalizer& with = warta::test::indonesian();
  warta::speech::EspeakEngine engine;
  engine.setVoice(warta::speech::VoiceProfile{});

  std::size_t changed = 0, pinned = 0;
  for (const LexiconEntry& e : shippedEntries()) {
    INFO(e.word << " -> " << e.spoken() << " (" << e.origin << ")");
    // A pin says the word as written (an acronym said as a word) or spells
    // it letter by letter: it decides what the rules would only guess.
    const bool pin = e.phonemes.empty() && (lettersOnly(e.respelling) == lettersOnly(e.word) ||
                                            e.respelling == bare.normalize(upper(e.word)));
    if (pin) {
      ++pinned;
      continue;
    }
    const std::string as_written = engine.phonemes(with.normalize(e.word));
    const std::string in_capitals = engine.phonemes(with.normalize(upper(e.word)));
    const bool differs = as_written != engine.phonemes(bare.normalize(e.word)) ||
                         in_capitals != engine.phonemes(bare.normalize(upper(e.word)));
    CHECK(differs);
    changed += differs;
  }
  // Most of the file fixes pronunciations; the rest pins acronyms.
  CHECK(changed >= 250);
  CHECK(changed + pinned >= 400);
}

TEST_CASE("a sample of shipped entries says what Indonesians say", "[text][lexicon][shipped]") {
  const warta::text::Normalizer& n = warta::test::indonesian();
  CHECK(n.normalize("Kemenkes dan Pemkot") == "[[k@m@nk'Es]] dan [[p@mk'ot]]");
  CHECK(n.normalize("PDIP dan PAN") == "pe de i pe dan pan");
  CHECK(n.normalize("KOSTRAD") == "kostrad");
  CHECK(n.normalize("NTT") == "en te te");
  CHECK(n.normalize("BPOM") == "be pom");
  CHECK(n.normalize("Covid") == "Kovid");
  CHECK(n.normalize("online") == "onlain");
  // Case-sensitive: the acronym, not the word.
  CHECK(n.normalize("AS dan as") == "amerika serikat dan as");
  CHECK(n.normalize("pan") == "pan");
}
