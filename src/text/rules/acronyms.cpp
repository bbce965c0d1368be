// SPDX-License-Identifier: GPL-3.0-or-later
// Acronyms and abbreviations: "DPRD" spelled, "BASARNAS" said, "(BPBD)" after
// its expansion, "Jl." and "AKBP." read out, initials, academic degrees.
#include <algorithm>
#include <functional>

#include "text/rules/rules.h"

namespace warta::text::rules {

using namespace detail;

// Below this length an all-capital word is spelled unless the data lists it as
// a word; from it on, a word with an Indonesian syllable shape is said.
constexpr std::size_t kAcronymWordMinLength = 4;
// How far back a "(BPBD)" looks for its expansion, in words.
constexpr std::size_t kExpansionMaxWords = 14;
// How much of one expansion word an acronym takes: "Kemen" of Kementerian.
constexpr std::size_t kExpansionMaxTake = 5;

namespace {

// Indonesian syllable shape: clusters a word may start, end and have inside.
bool validOnset(std::string_view c) {
  if (c.size() <= 1) return true;
  static const std::unordered_set<std::string_view> onsets = {
      "ng", "ny", "kh", "sy", "tr", "pr", "br", "kr", "gr", "dr",  "fr",  "bl",  "pl", "kl", "gl",
      "fl", "sl", "st", "sp", "sk", "sw", "tw", "kw", "dw", "str", "spr", "skr", "sr", "ps", "ts"};
  return onsets.count(c) > 0;
}
bool validCoda(std::string_view c) {
  if (c.size() <= 1) return true;
  return c == "ng" || c == "nk" || c == "ks" || c == "rs" || c == "ns";
}

// Whether a lower-case word of ASCII letters reads as an Indonesian word.
bool syllableShaped(std::string_view w) {
  const auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; };
  std::size_t i = 0;
  std::size_t start = 0;
  while (i < w.size() && !vowel(w[i])) ++i;
  if (i == w.size()) return false;
  if (!validOnset(w.substr(start, i))) return false;
  while (i < w.size()) {
    while (i < w.size() && vowel(w[i])) ++i;
    start = i;
    while (i < w.size() && !vowel(w[i])) ++i;
    const std::string_view cluster = w.substr(start, i - start);
    if (i == w.size()) return validCoda(cluster);
    if (cluster.size() <= 2) continue;
    if (cluster.size() == 3 &&
        (validOnset(cluster.substr(1)) || cluster.substr(0, 2) == "ng" || cluster.substr(0, 2) == "ny"))
      continue;
    return false;
  }
  return true;
}

// Splits a mixed-case word where its case changes: "KemenkumHAM" -> Kemenkum, HAM;
// "HariPahlawan" -> Hari, Pahlawan; "eKTP" -> e, KTP.
std::vector<std::string_view> caseParts(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  std::size_t pos = 0;
  char32_t prev = 0;
  std::size_t prev_at = 0;
  while (pos < s.size()) {
    const std::size_t at = pos;
    const char32_t cp = utf8::next(s, pos);
    if (at > start) {
      const bool lower_to_upper = utf8::isLower(prev) && utf8::isUpper(cp);
      bool upper_run_end = false;
      if (utf8::isUpper(prev) && utf8::isLower(cp) && prev_at > start) {
        // "HAMKemenkum": the run of capitals ends before the capital that opens the next word.
        parts.push_back(s.substr(start, prev_at - start));
        start = prev_at;
        upper_run_end = true;
      }
      if (lower_to_upper && !upper_run_end) {
        parts.push_back(s.substr(start, at - start));
        start = at;
      }
    }
    prev = cp;
    prev_at = at;
  }
  if (start < s.size()) parts.push_back(s.substr(start));
  return parts;
}

}  // namespace

const std::string* NormalizerImpl::abbreviation(const std::string& core) const {
  if (auto it = lang_.abbreviations.find(core); it != lang_.abbreviations.end()) return &it->second;
  if (auto it = folded_abbreviations_.find(utf8::toLower(core)); it != folded_abbreviations_.end()) return &it->second;
  return nullptr;
}

const std::string* NormalizerImpl::degree(std::string_view core) const {
  std::string key;
  for (char c : core)
    if (c != '.') key += c;
  const auto it = lang_.degrees.find(key);
  return it == lang_.degrees.end() ? nullptr : &it->second;
}

const std::string* NormalizerImpl::rankWord(std::string_view core) const {
  if (core.empty() || !isAsciiUpper(core[0])) return nullptr;
  const auto it = ranks_.find(utf8::toLower(core));
  return it == ranks_.end() ? nullptr : &it->second;
}

SaidPart NormalizerImpl::spell(std::string_view letters) const {
  std::string out;
  for (std::size_t pos = 0; pos < letters.size();) {
    std::string one;
    utf8::append(one, utf8::toLower(utf8::next(letters, pos)));
    const auto it = lang_.letters.find(one);
    add(out, it == lang_.letters.end() ? one : it->second);
  }
  return rule(std::move(out), reason::kSpelled);
}

// An all-capital word: listed as a word, listed as spelled, else spelled
// when short or when it cannot be said as an Indonesian word ("DPRD"),
// said when it has the shape of one ("BASARNAS", in a headline "KOTA").
SaidPart NormalizerImpl::acronym(std::string_view word, bool shouting) const {
  const std::string lower = utf8::toLower(word);
  if (acronym_words_.count(lower)) return rule(lower, reason::kAcronymSaidListed);
  if (acronym_spelled_.count(lower)) return rule(spell(word).spoken, reason::kAcronymSpelledListed);
  const bool ascii = std::all_of(lower.begin(), lower.end(), [](char c) { return isAsciiLower(c); });
  const std::size_t length = utf8::length(word);
  if (!ascii || length < 2) return rule(spell(word).spoken, reason::kAcronymSpelledShort);
  if (shouting) {
    if (syllableShaped(lower)) return {lower, Source::Plain, reason::kWordInCapitals};
    return {spell(word).spoken, Source::Guess, reason::kAcronymSpelledShape};
  }
  if (length < kAcronymWordMinLength) return {spell(word).spoken, Source::Guess, reason::kAcronymSpelledShort};
  if (syllableShaped(lower)) return {lower, Source::Guess, reason::kAcronymSaidShape};
  return {spell(word).spoken, Source::Guess, reason::kAcronymSpelledShape};
}

// KemenkumHAM -> kemenkum ham; #HariPahlawan -> hari pahlawan.
SaidPart NormalizerImpl::mixedCase(std::string_view core, const char* why) const {
  SaidPart out;
  for (auto part : caseParts(core)) {
    if (auto said = lexicon_.lookup(part)) {
      join(out, {*said, Source::Lexicon, reason::kLexicon});
    } else if (utf8::length(part) == 1) {
      join(out, spell(part));  // pH -> pe ha
    } else if (allUpper(part)) {
      join(out, acronym(part, false));
    } else {
      join(out, {utf8::toLower(part), Source::Plain, nullptr});
    }
  }
  if (out.source == Source::Plain) {
    out.source = Source::Guess;
    out.why = why;
  }
  return out;
}

// ---------------------------------------------------------------- rules

namespace acronyms {
namespace {

// "(BPBD)" right after "Badan Penanggulangan Bencana Daerah", "(Pemkot)"
// after "Pemerintah Kota", "(PPPK)" after "pegawai pemerintah dengan
// perjanjian kerja": each word of the expansion gives the acronym the start
// of the word (a letter or a syllable), the data's small words may give
// nothing, and the expansion ends right before the bracket.
bool afterExpansion(const Walk& w) {
  const Cursor& c = w.cursor;
  const std::size_t i = c.pos();
  const Token& tok = c.current();
  if (!tok.parenthesised() || utf8::length(tok.core) < 2 || !allLetters(tok.core)) return false;
  std::size_t pos = 0;
  if (!utf8::isUpper(utf8::next(tok.core, pos))) return false;
  const std::string target = utf8::toLower(tok.core);
  // The words before, nearest last, within the sentence.
  std::vector<std::string> words;
  for (std::size_t k = i; k > 0 && words.size() < kExpansionMaxWords; --k) {
    const Token& before = c[k - 1];
    if (before.trail.find_first_of(".!?") != std::string::npos || !before.lead.empty()) {
      if (k != i) break;
    }
    if (before.core.empty() || !allLetters(before.core)) break;
    words.insert(words.begin(), utf8::toLower(before.core));
    if (!before.lead.empty()) break;
  }
  // match(k, j): words[k..] spell target[j..] exactly.
  const std::size_t n = words.size();
  std::vector<std::vector<signed char>> memo(n + 1, std::vector<signed char>(target.size() + 1, -1));
  const std::function<bool(std::size_t, std::size_t)> match = [&](std::size_t k, std::size_t j) -> bool {
    if (k == n) return j == target.size();
    signed char& m = memo[k][j];
    if (m >= 0) return m == 1;
    bool ok = false;
    if (NormalizerImpl::in(w.n.acronym_skips_, words[k])) ok = match(k + 1, j);
    const std::string& word = words[k];
    for (std::size_t take = 1; !ok && take <= kExpansionMaxTake && take <= word.size() && j + take <= target.size();
         ++take) {
      if (word[take - 1] != target[j + take - 1]) break;
      ok = match(k + 1, j + take);
    }
    m = ok ? 1 : 0;
    return ok;
  };
  // The expansion starts at some word that gives the acronym its first letter.
  for (std::size_t start = 0; start + 1 < n + 1; ++start) {
    if (n - start < 2 && target.size() > 3) continue;
    if (!words[start].empty() && words[start][0] == target[0] && match(start, 0)) return true;
  }
  return false;
}

// An academic degree after a name: "Budi, S.H., M.H." or "Rina, SH.,MH".
// Written without any dot it must stand in a row of degrees: "MA" alone
// after a comma is as likely the Mahkamah Agung.
bool isDegree(const Walk& w, std::size_t i) {
  const Cursor& c = w.cursor;
  const Token& tok = c[i];
  const Token* prev = i > 0 ? &c[i - 1] : nullptr;
  if (prev == nullptr || prev->core.empty() || prev->trail.empty() || !tok.lead.empty() || tok.core.empty() ||
      !isAsciiUpper(tok.core[0]) || w.n.degree(tok.core) == nullptr)
    return false;
  const bool after_degree = w.n.degree(prev->core) != nullptr &&
                            (prev->trail.find(',') != std::string::npos || prev->trail == ".") && w.degreeAt(i - 1);
  if (after_degree) return true;  // the next degree in a row
  std::size_t pos = 0;
  const bool name_before = utf8::isUpper(utf8::next(prev->core, pos));
  if (!name_before || prev->trail != ",") return false;
  if (tok.core.find('.') != std::string::npos || (!tok.trail.empty() && tok.trail[0] == '.')) return true;
  // Undotted: only when another degree follows ("SE, ME").
  return tok.trail.find(',') != std::string::npos && i + 1 < c.size() && c[i + 1].lead.empty() &&
         w.n.degree(c[i + 1].core) != nullptr;
}

// A word with a dot that belongs to it ("Jl.", "AKBP.", "B."): the dot is not a
// full stop, unless it also ends the text.
bool dotted(const Walk& w) {
  const std::string& trail = w.cursor.current().trail;
  return !trail.empty() && trail[0] == '.';
}
std::string_view withoutDot(const Walk& w) {
  const std::string_view trail = w.cursor.current().trail;
  return w.cursor.last() ? trail : trail.substr(1);
}

}  // namespace

// Degrees after a name: dropped (or read), with the comma before them.
bool academicDegree(Walk& w) {
  const Cursor& c = w.cursor;
  const std::size_t i = c.pos();
  if (!isDegree(w, i)) return false;
  const std::string& core = c.current().core;
  const bool read = w.n.options_.read_degrees;
  const bool first = w.previousRule() == nullptr || w.previousRule()->try_at != &academicDegree;
  w.markDegree(i);
  if (first && !read) w.dropPause();
  if (read) w.emit(core, rule(*w.n.degree(core), reason::kDegree));
  else w.emit(core, rule({}, reason::kDegreeDropped));
  const bool more = i + 1 < c.size() && isDegree(w, i + 1);
  // The dot closes the degree; before a capital it also ends the sentence: "..., M.Si. Ia menambahkan".
  std::string_view trail = c.current().trail;
  if (!c.last() && !trail.empty() && trail[0] == '.' && (more || !w.nextCapital())) trail.remove_prefix(1);
  if (!more || read) w.pause(trail, c.last());
  return true;
}

// "(BPBD)" right after its expansion: not read again, unless the voice asks.
bool repeatedAcronym(Walk& w) {
  if (w.n.options_.read_repeated_acronyms || !afterExpansion(w)) return false;
  const Token& tok = w.cursor.current();
  w.say(tok.lead + tok.core + tok.trail, rule({}, reason::kRepeatedAcronym), tok.trail);
  return true;
}

// "berinisial AS": initials after a word that announces them, whatever the
// lexicon says of "AS" (so before the lexicon).
bool initialsAfterCue(Walk& w) {
  const std::string& core = w.cursor.current().core;
  if (!allUpper(core) || !allLetters(core) || !NormalizerImpl::in(w.n.spelled_after_, w.cursor.previousCore()))
    return false;
  SaidPart said = w.n.spell(core);
  said.why = reason::kInitials;
  w.say(core, std::move(said), w.cursor.current().trail);
  return true;
}

// "Jl.", "dll.": the dot marks the abbreviation.
bool abbreviationWithDot(Walk& w) {
  const std::string& core = w.cursor.current().core;
  const std::string* a = dotted(w) ? w.n.abbreviation(core) : nullptr;
  if (a == nullptr) return false;
  w.say(core, rule(*a, reason::kAbbreviation), withoutDot(w));
  return true;
}

// "AKBP.", "Brigjen.": a rank.
bool rankWithDot(Walk& w) {
  const std::string& core = w.cursor.current().core;
  const std::string* r = dotted(w) ? w.n.rankWord(core) : nullptr;
  if (r == nullptr) return false;
  w.say(core, rule(*r, reason::kRank), withoutDot(w));
  return true;
}

// "B. J. Habibie": an initial.
bool initialWithDot(Walk& w) {
  const std::string& core = w.cursor.current().core;
  if (!dotted(w) || utf8::length(core) != 1 || !allUpper(core)) return false;
  SaidPart said = w.n.spell(core);
  said.why = reason::kInitial;
  w.say(core, std::move(said), withoutDot(w));
  return true;
}

}  // namespace acronyms
}  // namespace warta::text::rules
