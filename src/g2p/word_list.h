// SPDX-License-Identifier: GPL-3.0-or-later
// The team's word lists (voices/<lang>/words/*.txt): word -> its spelling.
// One entry a line: "dêngan", "séktor keep-k"; '#' starts a comment.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "g2p/spelling.h"

namespace warta::g2p {

struct WordEntry {
  Spelling spelling;
  std::string origin;  // "FILE:LINE"
};

class WordList {
 public:
  // Reads one line of a word list; blank and comment lines add nothing; a
  // reduplicated entry ("paru-paru") adds each part.
  // Throws G2pError (a bare e, an unknown flag, a letter outside a-z, é, ê).
  // A word already listed keeps its first entry (files are read in name order);
  // returns false then.
  bool addLine(std::string_view line, std::string origin);

  void add(Spelling spelling, std::string origin);

  // The entry for `letters` (lower-case, e unmarked), or nullptr.
  const WordEntry* find(std::string_view letters) const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, WordEntry, Hash, std::equal_to<>> entries_;
};

}  // namespace warta::g2p
