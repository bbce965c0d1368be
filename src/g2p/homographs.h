// SPDX-License-Identifier: GPL-3.0-or-later
// Words written alike and said differently, told apart by the words around
// them (voices/<lang>/homographs.yaml): "buah apel" apêl, "apel pagi" apél.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "g2p/spelling.h"

namespace warta::g2p {

// One way of saying a homograph and the context that selects it. Every
// condition given must hold; a reading with none never matches (use default).
struct HomographReading {
  Spelling says;
  std::vector<std::string> previous;  // the word right before is one of these
  std::vector<std::string> next;      // the word right after
  std::vector<std::string> near;      // one of these within `window` words either side
  std::optional<bool> capitalized;    // written with a capital, not first in the segment
  std::string origin;                 // "FILE:LINE"
};

struct Homograph {
  Spelling fallback;                       // `default:` when no reading matches
  std::vector<HomographReading> readings;  // first match wins
};

struct HomographRules {
  std::unordered_map<std::string, Homograph> words;  // by letters (e unmarked)
  std::size_t window = 3;
};

// The words of a segment as the G2P sees them: lower-case letters, and
// whether each was capitalized where a sentence does not start.
struct WordInContext {
  std::string letters;
  bool capitalized = false;
};

class Homographs {
 public:
  explicit Homographs(HomographRules rules = {});

  bool contains(std::string_view letters) const;

  // The reading of words[index] (a homograph) in its segment; nullptr if it is none.
  const Spelling* choose(const std::vector<WordInContext>& words, std::size_t index) const;

  std::vector<std::string> names() const;  // the homographs handled, sorted

 private:
  HomographRules rules_;
};

}  // namespace warta::g2p
