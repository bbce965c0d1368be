// SPDX-License-Identifier: GPL-3.0-or-later
// Affixed words -> their root in the word lists, and the spelling of the
// whole: pemerintahan = pe(N)-perintah-an (pêmêrintahan), memperkenalkan =
// mem-per-kenal-kan. Affixes, their e's and the nasal mutations of me(N)- and
// pe(N)- come from voices/<lang>/morphology.yaml.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "g2p/spelling.h"

namespace warta::g2p {

struct Affix {
  Spelling says;  // "mêng": letters and how their e's are said
  // Letters the root began with that the affix swallowed (meN- + kirim ->
  // mengirim: "k"); "" = the root follows as written. Prefixes only.
  std::vector<std::string> restores = {""};
  bool short_roots = false;  // may stand before a one-syllable root (menge-bom)
  // May stand before a root no list knows (see MorphologyRules). Off for
  // prefixes that look like a root's first syllable (bê, mê, sê: béda, mékanik).
  bool guesses_roots = true;
};

struct MorphologyRules {
  std::vector<Affix> prefixes;
  std::vector<Affix> suffixes;
  std::vector<Affix> infixes;  // after a root's first consonant: gêmêtar = g-êm-etar
  int max_prefixes = 2;
  int max_suffixes = 3;
  std::size_t min_root_letters = 3;
  // A root no list knows is accepted only when it has no e (so only the
  // affixes' e's are decided, and its k's are a native word's: di-lantik)
  // and at least this many vowels: menyampaikan.
  std::size_t min_unknown_root_vowels = 2;
  // How a root no list knows may begin besides a vowel or one consonant and a
  // vowel: ng, ny, pr, st... (so te-knologi and me-ksiko are no analyses).
  std::vector<std::string> root_onsets;
};

struct Analysis {
  Spelling spelling;  // of the whole word
  std::string parts;  // "pê-merintah-an": affixes and root, for reports
  bool known_root = false;
};

class Morphology {
 public:
  explicit Morphology(MorphologyRules rules = {});

  // How `letters` splits into affixes around a root that `lookup` knows (or
  // an e-less root, see MorphologyRules), or else into two listed words (a
  // compound: sepak+bola). Prefers a known root, then fewer affixes, then the
  // longer root. nullopt: no analysis.
  using Lookup = std::function<const Spelling*(std::string_view root)>;
  std::optional<Analysis> analyze(std::string_view letters, const Lookup& lookup) const;

  const MorphologyRules& rules() const { return rules_; }

 private:
  MorphologyRules rules_;
};

}  // namespace warta::g2p
