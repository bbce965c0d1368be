// SPDX-License-Identifier: GPL-3.0-or-later
// Pronunciations that override every normalizer rule: a word or acronym ->
// a respelling eSpeak reads right, or eSpeak phoneme mnemonics.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warta::text {

struct LexiconEntry {
  std::string word;        // as written, e.g. "WhatsApp"
  std::string respelling;  // plain words, e.g. "wotsap"; empty when `phonemes` is set
  std::string phonemes;    // eSpeak mnemonics, e.g. "w'otsap"; spoken as "[[w'otsap]]"
  bool case_sensitive = false;
  std::string origin;  // where it was defined, "FILE:LINE" (empty when built in code)

  // What the normalizer emits: the respelling, or the phonemes in "[[...]]".
  std::string spoken() const;
};

class Lexicon {
 public:
  // Adds or replaces: an entry replaces an earlier one for the same word with
  // the same case sensitivity (ignoring case when not case-sensitive).
  void add(LexiconEntry entry);

  // Every entry of `later` is added, overriding this lexicon's.
  void merge(const Lexicon& later);

  // A case-sensitive entry matching `word` exactly wins; otherwise an entry
  // that ignores case. nullptr if none.
  const LexiconEntry* find(std::string_view word) const;

  // find(word)->spoken(), or nullopt.
  std::optional<std::string> lookup(std::string_view word) const;

  // The entry whose phonemes are `phonemes` (the inside of a "[[...]]" span
  // the normalizer emitted); nullptr if none. A linear search: for display.
  const LexiconEntry* findByPhonemes(std::string_view phonemes) const;

  // Every entry, case-sensitive ones first.
  std::vector<const LexiconEntry*> entries() const;

  std::size_t size() const { return exact_.size() + folded_.size(); }
  bool empty() const { return size() == 0; }

 private:
  std::map<std::string, LexiconEntry, std::less<>> exact_;   // case-sensitive entries, by word
  std::map<std::string, LexiconEntry, std::less<>> folded_;  // the others, by lower-cased word
};

// `spoken` for people to read: each "[[...]]" phoneme span replaced by the
// word its lexicon entry is for ("[[p@mk'ot]]" -> "Pemkot"); spans no entry
// claims are left as they are.
std::string displayForm(std::string_view spoken, const Lexicon& lexicon);

}  // namespace warta::text
