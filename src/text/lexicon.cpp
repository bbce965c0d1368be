// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/lexicon.h"

#include "text/utf8.h"

namespace warta::text {

std::string LexiconEntry::spoken() const { return phonemes.empty() ? respelling : "[[" + phonemes + "]]"; }

void Lexicon::add(LexiconEntry entry) {
  if (entry.case_sensitive) {
    const std::string key = entry.word;
    exact_.insert_or_assign(key, std::move(entry));
  } else {
    const std::string key = utf8::toLower(entry.word);
    folded_.insert_or_assign(key, std::move(entry));
  }
}

void Lexicon::merge(const Lexicon& later) {
  for (const auto& [key, entry] : later.exact_) add(entry);
  for (const auto& [key, entry] : later.folded_) add(entry);
}

const LexiconEntry* Lexicon::find(std::string_view word) const {
  if (auto it = exact_.find(word); it != exact_.end()) return &it->second;
  if (folded_.empty()) return nullptr;
  if (auto it = folded_.find(utf8::toLower(word)); it != folded_.end()) return &it->second;
  return nullptr;
}

std::optional<std::string> Lexicon::lookup(std::string_view word) const {
  const LexiconEntry* entry = find(word);
  if (entry == nullptr) return std::nullopt;
  return entry->spoken();
}

std::vector<const LexiconEntry*> Lexicon::entries() const {
  std::vector<const LexiconEntry*> out;
  for (const auto* map : {&exact_, &folded_})
    for (const auto& [key, entry] : *map) out.push_back(&entry);
  return out;
}

const LexiconEntry* Lexicon::findByPhonemes(std::string_view phonemes) const {
  for (const auto* map : {&exact_, &folded_})
    for (const auto& [key, entry] : *map)
      if (!entry.phonemes.empty() && entry.phonemes == phonemes) return &entry;
  return nullptr;
}

std::string displayForm(std::string_view spoken, const Lexicon& lexicon) {
  std::string out;
  std::size_t at = 0;
  while (at < spoken.size()) {
    const std::size_t open = spoken.find("[[", at);
    const std::size_t close = open == std::string_view::npos ? open : spoken.find("]]", open + 2);
    if (close == std::string_view::npos) break;
    out.append(spoken.substr(at, open - at));
    const LexiconEntry* entry = lexicon.findByPhonemes(spoken.substr(open + 2, close - open - 2));
    out.append(entry != nullptr ? std::string_view(entry->word) : spoken.substr(open, close + 2 - open));
    at = close + 2;
  }
  out.append(spoken.substr(std::min(at, spoken.size())));
  return out;
}

}  // namespace warta::text
