// SPDX-License-Identifier: GPL-3.0-or-later
#include "g2p/fallback.h"

namespace warta::g2p {
namespace {

bool matchesLetter(char p, char c) {
  if (p == 'C') return !isVowel(c);
  if (p == 'V') return isVowel(c);
  return p == c;
}

bool anyMatches(const std::vector<std::string>& patterns, bool before, std::string_view w, std::size_t at) {
  if (patterns.empty()) return true;
  for (const auto& p : patterns)
    if (before ? matchesBefore(p, w, at) : matchesAfter(p, w, at)) return true;
  return false;
}

}  // namespace

bool matchesBefore(std::string_view pattern, std::string_view letters, std::size_t end) {
  std::size_t at = end;  // letters[at - 1] is matched against the pattern's last character
  for (std::size_t k = pattern.size(); k-- > 0;) {
    if (pattern[k] == '#') {
      if (at != 0) return false;
      continue;
    }
    if (at == 0 || !matchesLetter(pattern[k], letters[at - 1])) return false;
    --at;
  }
  return true;
}

bool matchesAfter(std::string_view pattern, std::string_view letters, std::size_t start) {
  std::size_t at = start;
  for (char p : pattern) {
    if (p == '#') {
      if (at != letters.size()) return false;
      continue;
    }
    if (at >= letters.size() || !matchesLetter(p, letters[at])) return false;
    ++at;
  }
  return true;
}

Fallback::Fallback(FallbackRules rules) : rules_(std::move(rules)) {}

bool Fallback::looksBorrowed(std::string_view w) const {
  for (const auto& end : rules_.loan_endings)
    if (w.size() > end.size() + 1 && w.ends_with(end)) return true;
  for (const auto& mark : rules_.loan_marks) {
    if (!mark.empty() && mark[0] == '#') {  // at the word's start only
      if (w.starts_with(std::string_view(mark).substr(1))) return true;
    } else if (w.find(mark) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

Guess Fallback::guess(Spelling s) const {
  Guess g;
  g.loan = looksBorrowed(s.letters);
  const auto applies = [&](const ContextRule& r, std::size_t i, const Spelling& sp) {
    if (r.origin == Origin::Loan && !g.loan) return false;
    if (r.origin == Origin::Native && g.loan) return false;
    if (!anyMatches(r.before, true, sp.letters, i) || !anyMatches(r.after, false, sp.letters, i + 1)) return false;
    if (r.next_e) {
      const std::size_t next = sp.letters.find('e', i + 1);
      if (next == std::string::npos || sp.eAt(next) != *r.next_e) return false;
    }
    return true;
  };
  std::vector<std::string> decided;
  for (std::size_t i = s.letters.size(); i-- > 0;) {
    if (s.letters[i] != 'e' || s.eAt(i) != EValue::Unknown) continue;
    EValue v = rules_.default_e;
    std::string why = "default";
    for (const auto& r : rules_.e_rules)
      if (applies(r, i, s)) {
        v = r.says;
        why = r.name;
        break;
      }
    s.setE(i, v);
    decided.insert(decided.begin(), why);
  }
  if (!s.keep_k)
    for (std::size_t i = 0; i < s.letters.size() && !s.keep_k; ++i)
      if (s.glottalK(i))
        for (const auto& r : rules_.keep_k)
          if (applies(r, i, s)) {
            s.keep_k = true;
            decided.push_back("k: " + r.name);
            break;
          }
  g.spelling = std::move(s);
  g.rules = std::move(decided);
  return g;
}

}  // namespace warta::g2p
