// SPDX-License-Identifier: GPL-3.0-or-later
// W3C Pronunciation Lexicon Specification 1.0 files (.pls) as warta lexicons,
// and the IPA -> eSpeak NG mnemonic table they need (voices/ipa-espeak.yaml).
// Every mistake is an app::ConfigError "FILE:LINE: message".
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/lexicon.h"

namespace warta::app {

// IPA symbols -> eSpeak phoneme mnemonics, read from a YAML file:
//   symbols: { a: a, ə: "@", tʃ: tS, ˈ: "'", ... }   # longest symbol matching wins
//   vowels: [a, E, "@", ...]                         # eSpeak vowels, for default stress
class IpaTable {
 public:
  static IpaTable load(const std::filesystem::path& file);  // throws ConfigError

  // `ipa` as eSpeak mnemonics, words separated by single spaces. A word with
  // no stress mark gets Indonesian stress: the second-last vowel, or the last
  // when the second-last is a schwa. On a symbol missing from the table,
  // returns nullopt and sets `unknown` to it.
  std::optional<std::string> convert(std::string_view ipa, std::string& unknown) const;

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  std::vector<std::pair<std::string, std::string>> symbols_;  // longest IPA first
  std::set<std::string> vowels_;
};

// The table shipped in the voices folder (voicesDir(), falling back to the
// folder this build was configured with), loaded once.
const IpaTable& defaultIpaTable();

// A PLS file: a ".pls" extension (any case), or content whose first
// non-blank character opens an XML element or declaration.
bool isPlsFile(const std::filesystem::path& file);

// Why `phonemes` (eSpeak mnemonics, without the "[[...]]") cannot be spoken
// as written, or "" if they can: they go into the text eSpeak reads between
// "[[" and "]]", so a "]]" would end the span early and markup or other text
// would reach the captions raw. Mnemonics are printable ASCII without < > & "
// (eSpeak's SSML delimiters) and without "[[" or "]]". Shared by PLS and YAML lexicons.
std::string espeakPhonemeProblem(const std::string& phonemes);

// Reads a PLS lexicon:
//   <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
//            alphabet="ipa" xml:lang="id">
//     <lexeme><grapheme>Kalijambu</grapheme><alias>kali jambu</alias></lexeme>
//     <lexeme><grapheme>Sumberjati</grapheme><phoneme>sumbərˈdʒati</phoneme></lexeme>
//   </lexicon>
// Each grapheme of a lexeme gets its pronunciation: the first <alias> or
// <phoneme> (or the first marked prefer="true"). <alias> is a respelling in
// plain words; <phoneme> is read in its alphabet (its own `alphabet`
// attribute, else the lexicon's): "ipa" through `ipa` (the default table when
// null), "x-espeak" or "x-espeak-ng" as eSpeak mnemonics. A grapheme written
// all in capitals ("AS") matches only that spelling; others ignore case.
// A grapheme listed again later in the file is ignored (PLS: the first wins).
text::Lexicon loadPlsLexicon(const std::filesystem::path& file, const IpaTable* ipa = nullptr);

}  // namespace warta::app
