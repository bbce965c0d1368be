// SPDX-License-Identifier: GPL-3.0-or-later
#include "g2p/word_list.h"

#include <algorithm>

#include "g2p/g2p_error.h"

namespace warta::g2p {
namespace {

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

bool WordList::addLine(std::string_view line, std::string origin) {
  line = trim(line.substr(0, line.find('#')));
  if (line.empty()) return false;
  const std::size_t gap = line.find_first_of(" \t");
  const std::string_view word = line.substr(0, gap);
  bool keep_k = false;
  if (gap != std::string_view::npos) {
    const std::string_view flag = trim(line.substr(gap));
    if (flag != "keep-k") throw G2pError("unknown flag '" + std::string(flag) + "' (the only flag is keep-k)");
    keep_k = true;
  }
  // A reduplicated entry (paru-paru, kupu-kupu) lists its parts: the text's
  // hyphenated words are read part by part.
  bool added = false;
  std::size_t start = 0;
  while (start <= word.size()) {
    const std::size_t hyphen = std::min(word.find('-', start), word.size());
    const std::string_view part = word.substr(start, hyphen - start);
    std::optional<Spelling> spelling = readMarked(part, false);
    if (!spelling) throw G2pError("'" + std::string(word) + "' is not a word of letters a-z, é and ê");
    spelling->keep_k = keep_k;
    if (find(spelling->letters) == nullptr) {
      add(std::move(*spelling), origin);
      added = true;
    }
    start = hyphen + 1;
  }
  return added;
}

void WordList::add(Spelling spelling, std::string origin) {
  std::string key = spelling.letters;
  entries_.insert_or_assign(std::move(key), WordEntry{std::move(spelling), std::move(origin)});
}

const WordEntry* WordList::find(std::string_view letters) const {
  const auto it = entries_.find(letters);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace warta::g2p
