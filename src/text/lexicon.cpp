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

}  // namespace warta::text
