// SPDX-License-Identifier: GPL-3.0-or-later
// The normalizer's rules, shared by its files (not a public header).
//
//   tokens.cpp       text -> tokens (typography, missing spaces, glued codes)
//   walk.cpp         the token cursor's walk and THE RULE TABLE (precedence)
//   words.cpp        one word without context; the lexicon and fallback rules
//   numbers.cpp      numbers, ranges, ages, Roman numerals, digit strings
//   money_units.cpp  currencies and units
//   dates_times.cpp  dates, times, time zones
//   acronyms.cpp     acronyms, abbreviations, initials, ranks, degrees
//   web_codes.cpp    addresses, hashtags, mentions, symbols, unit codes
//
// Two levels: NormalizerImpl reads one word without context (and is built
// once per Normalizer: its tables are the language data, folded for lookup);
// the walk's rules (kRules, walk.cpp) look at a token's neighbours through a
// Cursor and report what is said.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "text/normalizer.h"
#include "text/normalizer_detail.h"
#include "text/numbers.h"
#include "text/reasons.h"

namespace warta::text::rules {

using Source = TokenReport::Source;

// ---------------------------------------------------------------- tokens

struct Token {
  std::string lead;   // opening quotes and brackets: not spoken
  std::string core;   // the word, number, date ...
  std::string trail;  // closing quotes, brackets and punctuation
  bool parenthesised() const { return lead.find('(') != std::string::npos && trail.find(')') != std::string::npos; }
};

// Typography to plain ASCII, decoration to spaces, forgotten spaces put back.
std::string prepare(std::string_view s);
std::vector<Token> tokenize(const std::string& text);

// ---------------------------------------------------------------- readings

// What one word (or a run of tokens) is said as, and why.
struct SaidPart {
  std::string spoken;
  Source source = Source::Plain;
  const char* why = nullptr;  // a reason:: constant, or nullptr for none
};

inline SaidPart rule(std::string spoken, const char* why) { return {std::move(spoken), Source::Rule, why}; }
// Joins a part into a whole: the spoken words, and the most telling source.
void join(SaidPart& whole, const SaidPart& part);
// "Dinkes" -> "Dinkes", not "dinkes": a respelling keeps a starting capital.
std::string keepCapital(std::string_view written, std::string spoken);

// Values of written forms, without any language data.
int romanValue(std::string_view s);                            // "IV" -> 4, else 0
std::optional<std::uint64_t> wholeNumber(std::string_view s);  // "1.000" -> 1000
std::string_view leadingDigits(std::string_view s);            // "02" of "02/RW"
std::string_view lastPart(std::string_view s);                 // "RW" of "02/RW"

// One word without context, from the language data and the lexicon. Built
// once per Normalizer; every member is const after construction, so one
// instance serves any number of threads.
class NormalizerImpl {
 public:
  NormalizerImpl(LanguageData language, Lexicon lexicon, NormalizerOptions options);
  NormalizerImpl(const NormalizerImpl&) = delete;  // numbers_ refers into lang_
  NormalizerImpl& operator=(const NormalizerImpl&) = delete;

  std::vector<TokenReport> explain(std::string_view written) const;

  static bool in(const std::unordered_set<std::string>& set, std::string_view word) {
    return !word.empty() && set.count(utf8::toLower(word)) > 0;
  }
  std::string symbol(const std::string& key) const {
    const auto it = lang_.symbols.find(key);
    return it == lang_.symbols.end() ? std::string() : it->second;
  }
  const std::string* abbreviation(const std::string& core) const;
  const std::string* unit(std::string_view core) const {
    const auto it = lang_.units.find(std::string(core));
    return it == lang_.units.end() ? nullptr : &it->second;
  }
  const std::string* degree(std::string_view core) const;
  const std::string* rankWord(std::string_view core) const;

  // acronyms.cpp
  SaidPart spell(std::string_view letters) const;
  SaidPart acronym(std::string_view word, bool shouting) const;
  SaidPart mixedCase(std::string_view core, const char* why) const;
  // numbers.cpp
  std::string number(std::string_view digits) const;
  std::optional<std::string> fraction(std::string_view core) const;
  std::string zeroPadded(std::string_view digits) const;
  std::string pairs(std::string_view digits) const;
  SaidPart numeric(std::string_view core, bool date_context = false, bool score = false) const;
  SaidPart numberWithSuffix(std::string_view core) const;
  // dates_times.cpp
  std::optional<std::string> date(std::string_view core) const;
  std::optional<std::string> time(std::string_view core) const;
  // web_codes.cpp
  std::optional<SaidPart> domain(std::string_view core) const;
  SaidPart symbols(std::string_view core) const;
  // words.cpp
  // `after_symbol_word`: the word before already names the symbol ("tagar #BoneTangguh").
  // `looked_up`: the caller already found `core` missing from the lexicon.
  SaidPart word(std::string_view core, bool shouting = false, bool after_symbol_word = false,
                bool looked_up = false) const;
  SaidPart parts(std::string_view core, char sep, bool shouting) const;
  // tokens.cpp: "RT.003/RW.005" -> RT 003 RW 005.
  std::vector<Token> splitGlued(std::vector<Token> tokens) const;

  // The data, read-only once built (declaration order matters: numbers_ reads lang_).
  const LanguageData lang_;
  const Lexicon lexicon_;
  const NormalizerOptions options_;
  const NumberReader numbers_;
  std::map<std::string, std::string> folded_abbreviations_;
  std::unordered_map<std::string, std::string> ranks_;
  std::vector<std::string> currency_order_;  // longest first: "US$" before "$"
  std::unordered_set<std::string> acronym_words_, acronym_spelled_, roman_cardinal_, roman_ordinal_, number_labels_,
      digits_after_, acronym_skips_, score_after_, days_and_months_, spelled_after_, pairs_after_, zero_padded_after_,
      date_before_, domain_suffixes_, scale_words_;
};

// ---------------------------------------------------------------- the walk

// The tokens of one text and the one being read. Rules look around it
// (previous, peek) and may take following tokens into their reading
// (consume: "Rp" "5.000" "miliar"); the walk then goes on after them.
class Cursor {
 public:
  explicit Cursor(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  bool done() const { return pos_ >= t_.size(); }
  std::size_t pos() const { return pos_; }
  std::size_t size() const { return t_.size(); }
  const Token& current() const { return t_[pos_]; }
  const Token& operator[](std::size_t k) const { return t_[k]; }
  bool last() const { return pos_ + 1 == t_.size(); }
  const Token* previous() const { return pos_ > 0 ? &t_[pos_ - 1] : nullptr; }
  // The token `ahead` places on, or nullptr past the end.
  const Token* peek(std::size_t ahead = 1) const { return pos_ + ahead < t_.size() ? &t_[pos_ + ahead] : nullptr; }
  // The next token's word when nothing opens it (a bracket, a quote): the phrase goes on.
  const std::string* nextCore() const {
    const Token* next = peek();
    return next != nullptr && next->lead.empty() ? &next->core : nullptr;
  }
  // The previous word when nothing (a comma, a bracket) closed it, else empty.
  std::string_view previousCore() const {
    const Token* prev = previous();
    return prev != nullptr && prev->trail.empty() ? std::string_view(prev->core) : std::string_view();
  }
  // Takes the next token into the current reading and returns it.
  const Token& consume() { return t_[++pos_]; }
  void advance() { ++pos_; }

 private:
  std::vector<Token> t_;
  std::size_t pos_ = 0;
};

class Walk;

enum class Family { Punctuation, Words, Numbers, MoneyUnits, DatesTimes, Acronyms, WebCodes };

// A named rule: reads the cursor's current token (and what it consumes),
// reports it and returns true, or returns false and leaves everything as it was.
struct Rule {
  const char* name;
  Family family;
  bool (*try_at)(Walk&);
};

// The walk over one text's tokens: the cursor, the reports made so far and
// the little state rules share (a headline in capitals, a row of degrees).
class Walk {
 public:
  Walk(const NormalizerImpl& n, std::vector<Token> tokens);
  std::vector<TokenReport> run();

  const NormalizerImpl& n;
  Cursor cursor;

  // The line is written in capitals (a headline): short capital words are said.
  bool shouting() const { return shouting_; }
  // The rule that read the word before this one (punctuation not counted), or nullptr.
  const Rule* previousRule() const { return previous_rule_; }

  // Reports the tokens read so far as `written`, said as `said`.
  void emit(std::string written, SaidPart said);
  // The pause that punctuation `trail` makes, if any.
  void pause(std::string_view trail, bool last);
  // emit, then the pause of `trail`: how most readings end.
  void say(std::string written, SaidPart said, std::string_view trail) {
    emit(std::move(written), std::move(said));
    pause(trail, cursor.last());
  }
  // A token that is only a pause (a dash, a lone bracket) is shown as written.
  void showPause();
  // Takes back a comma's pause just reported ("Budi, S.H." drops the comma with the degree).
  void dropPause();
  // Whether the token after the current one opens with a capital: "datang... Bantuan".
  bool nextCapital() const;

  // Which tokens were read (or dropped) as academic degrees.
  bool degreeAt(std::size_t i) const { return i < degree_.size() && degree_[i]; }
  void markDegree(std::size_t i) { degree_[i] = true; }

 private:
  std::string shownUpTo(std::size_t last);

  std::vector<TokenReport> out_;
  std::vector<bool> degree_;
  std::size_t shown_next_ = 0;  // the first token not yet in a report's `shown`
  bool shouting_ = false;
  const Rule* previous_rule_ = nullptr;
};

// The rules, by family; their precedence is the table in walk.cpp.
namespace punctuation {
bool rangeDash(Walk& w);
bool dashPause(Walk& w);
bool marksOnly(Walk& w);
}  // namespace punctuation
namespace words {
bool lexicon(Walk& w);
bool wordOrNumber(Walk& w);
}  // namespace words
namespace numbers {
bool age(Walk& w);
bool romanAfterCue(Walk& w);
bool romanAfterName(Walk& w);
bool digitsAfterCue(Walk& w);
bool neighbourhoodNumber(Walk& w);
}  // namespace numbers
namespace money_units {
bool money(Walk& w);
bool unitAfterPer(Walk& w);
// "80 km", "12,5 %": takes a unit written after a number into its reading.
void unitAfterNumber(Walk& w, SaidPart& said, std::string& written, std::string& trail);
}  // namespace money_units
namespace dates_times {
// Whether a number here is likely a date: "(1/10)", "tanggal 1/10", "Senin, 1/10".
bool dateContext(const Walk& w);
}  // namespace dates_times
namespace acronyms {
bool academicDegree(Walk& w);
bool repeatedAcronym(Walk& w);
bool initialsAfterCue(Walk& w);
bool abbreviationWithDot(Walk& w);
bool rankWithDot(Walk& w);
bool initialWithDot(Walk& w);
}  // namespace acronyms
namespace web_codes {
bool unitCode(Walk& w);
}  // namespace web_codes

}  // namespace warta::text::rules
