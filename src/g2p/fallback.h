// SPDX-License-Identifier: GPL-3.0-or-later
// The guess for a word no list knows and no affix explains, from
// voices/<lang>/fallback.yaml: whether it looks borrowed, each e by the
// first rule whose context matches, and whether its closing k stays /k/.
//
// A context is a short pattern, one character per letter: a lower-case
// letter is itself, C any consonant, V any vowel, '#' the word's edge.
// `before` patterns match the letters ending just before the e (or k),
// `after` patterns those starting just after it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "g2p/spelling.h"

namespace warta::g2p {

enum class Origin { Any, Loan, Native };  // which words a rule is for

struct ContextRule {
  std::string name;  // shown in reports: "final closed syllable"
  Origin origin = Origin::Any;
  std::vector<std::string> before;  // any may match; empty = anything
  std::vector<std::string> after;
  std::optional<EValue> next_e;  // the next e (to the right) must be said so
  EValue says = EValue::Pepet;   // for e rules
};

struct FallbackRules {
  std::vector<std::string> loan_endings;  // "si", "tif", "isme": the word ends so
  std::vector<std::string> loan_marks;    // "pr", "v": the word contains it; "#kr": begins with it
  std::vector<ContextRule> e_rules;       // first match wins; e's decided right to left
  EValue default_e = EValue::Pepet;
  std::vector<ContextRule> keep_k;  // a closing k matching one stays /k/ (the whole word keep-k)
};

struct Guess {
  Spelling spelling;
  bool loan = false;
  std::vector<std::string> rules;  // the rule that decided each e, left to right
};

class Fallback {
 public:
  explicit Fallback(FallbackRules rules = {});

  bool looksBorrowed(std::string_view letters) const;

  // Decides every Unknown e of `spelling` (marked ones stay) and keep_k.
  Guess guess(Spelling spelling) const;

 private:
  FallbackRules rules_;
};

// Whether `pattern` matches `letters` ending at `end` (backward) or starting at `start`.
bool matchesBefore(std::string_view pattern, std::string_view letters, std::size_t end);
bool matchesAfter(std::string_view pattern, std::string_view letters, std::size_t start);

}  // namespace warta::g2p
