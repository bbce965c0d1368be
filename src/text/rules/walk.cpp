// SPDX-License-Identifier: GPL-3.0-or-later
// The walk over one text's tokens, and the rule table that decides, token by
// token, which rule reads it.
#include "text/rules/rules.h"

namespace warta::text::rules {

using namespace detail;

// In a line written in capitals (a headline) shorter capital words are said
// when they have the shape of a word.
constexpr std::size_t kShoutingMinWords = 3;

// ---------------------------------------------------------------- punctuation

namespace punctuation {

static bool dashesOnly(const std::string& core) {
  return !core.empty() && core.find_first_not_of('-') == std::string::npos;
}

// A dash standing alone between two amounts, times or days: said as the range
// word ("10.00 - 12.00", "Senin - Jumat").
bool rangeDash(Walk& w) {
  const Cursor& c = w.cursor;
  const Token& tok = c.current();
  const Token* prev = c.previous();
  const Token* next = c.peek();
  if (!dashesOnly(tok.core) || prev == nullptr || next == nullptr || !tok.trail.empty() || !prev->trail.empty())
    return false;
  const std::string& before = prev->core;
  const std::string& after = next->core;
  if (before.empty() || after.empty()) return false;
  const auto amount = [&](const std::string& s) {
    if (isAsciiDigit(s[0])) return true;
    for (const std::string& cur : w.n.currency_order_)
      if (s.compare(0, cur.size(), cur) == 0 &&
          (s.size() == cur.size() || isAsciiDigit(s[cur.size()]) || s[cur.size()] == '.'))
        return true;
    return false;
  };
  const auto day = [&](const std::string& s) { return NormalizerImpl::in(w.n.days_and_months_, s); };
  if (!(amount(before) && amount(after)) && !(day(before) && day(after))) return false;
  w.emit(tok.core, rule(w.n.lang_.numbers.range, reason::kRange));
  return true;
}

// Any other dash between clauses: a short pause.
bool dashPause(Walk& w) {
  if (!dashesOnly(w.cursor.current().core)) return false;
  w.pause(",", w.cursor.last());
  w.showPause();
  return true;
}

// Brackets, quotes or punctuation with no word: their pause, if they make one.
bool marksOnly(Walk& w) {
  const Token& tok = w.cursor.current();
  if (!tok.core.empty()) return false;
  if (!tok.lead.empty() || !tok.trail.empty()) w.pause(tok.lead + tok.trail, w.cursor.last());
  w.showPause();
  return true;
}

}  // namespace punctuation

// ---------------------------------------------------------------- the table

// The rules in precedence order: the first that reads a token wins. Why some
// stand where they do:
//  - punctuation first: every later rule may assume a token with a word;
//  - degrees, a repeated "(BPBD)" and ages before the lexicon: they are about
//    where a word stands (after a name, after its expansion), and "MA" after a
//    name is a degree even though the lexicon knows the Mahkamah Agung;
//  - initials after "berinisial" before the lexicon: "AS" is spelled there
//    whatever the lexicon says of the country;
//  - the lexicon before every other rule: an editor's entry overrides rules;
//  - the readings a word's own dot decides ("Jl.", "AKBP.", "B.") before
//    money and the number cues, where they always stood;
//  - money before the Roman numerals and number cues: "Rp" may follow any word;
//  - the reading of last resort (a number or a word as written) last.
constexpr Rule kRules[] = {
    {"range dash", Family::Punctuation, &punctuation::rangeDash},
    {"dash pause", Family::Punctuation, &punctuation::dashPause},
    {"marks only", Family::Punctuation, &punctuation::marksOnly},
    {"academic degree", Family::Acronyms, &acronyms::academicDegree},
    {"repeated acronym", Family::Acronyms, &acronyms::repeatedAcronym},
    {"age", Family::Numbers, &numbers::age},
    {"initials after cue", Family::Acronyms, &acronyms::initialsAfterCue},
    {"lexicon", Family::Words, &words::lexicon},
    {"abbreviation with dot", Family::Acronyms, &acronyms::abbreviationWithDot},
    {"rank with dot", Family::Acronyms, &acronyms::rankWithDot},
    {"initial with dot", Family::Acronyms, &acronyms::initialWithDot},
    {"money", Family::MoneyUnits, &money_units::money},
    {"roman numeral after cue", Family::Numbers, &numbers::romanAfterCue},
    {"roman numeral after name", Family::Numbers, &numbers::romanAfterName},
    {"digits after cue", Family::Numbers, &numbers::digitsAfterCue},
    {"neighbourhood number", Family::Numbers, &numbers::neighbourhoodNumber},
    {"unit after per", Family::MoneyUnits, &money_units::unitAfterPer},
    {"unit code", Family::WebCodes, &web_codes::unitCode},
    {"word or number", Family::Words, &words::wordOrNumber},  // always reads: the table never runs out
};

// ---------------------------------------------------------------- the walk

Walk::Walk(const NormalizerImpl& impl, std::vector<Token> tokens) : n(impl), cursor(std::move(tokens)) {
  std::size_t capitals = 0, lower = 0;
  for (std::size_t k = 0; k < cursor.size(); ++k) {
    const std::string& core = cursor[k].core;
    if (!hasLetter(core)) continue;
    if (allUpper(core) || !hasLower(core)) ++capitals;
    else ++lower;
  }
  shouting_ = capitals >= kShoutingMinWords && lower == 0;
  degree_.assign(cursor.size(), false);
}

std::vector<TokenReport> Walk::run() {
  for (; !cursor.done(); cursor.advance()) {
    for (const Rule& r : kRules) {
      if (!r.try_at(*this)) continue;
      // A lone dash or bracket does not end what the word before began (a row of degrees).
      if (r.family != Family::Punctuation) previous_rule_ = &r;
      break;
    }
  }
  return std::move(out_);
}

void Walk::emit(std::string written, SaidPart said) {
  TokenReport r;
  r.written = std::move(written);
  r.shown = shownUpTo(cursor.pos());
  r.spoken = std::move(said.spoken);
  r.source = said.source;
  if (said.why != nullptr && *said.why != '\0') r.why = said.why;
  else r.why = r.source == Source::Plain ? reason::kPlainWord : reason::kRule;
  out_.push_back(std::move(r));
}

void Walk::pause(std::string_view trail, bool last) {
  char mark = 0;
  if (trail.find('?') != std::string_view::npos) mark = '?';
  else if (trail.find('!') != std::string_view::npos) mark = '!';
  else if (trail.find("...") != std::string_view::npos) mark = last || nextCapital() ? '.' : ',';
  else if (trail.find('.') != std::string_view::npos) mark = '.';
  else if (trail.find_first_of(",;:") != std::string_view::npos) mark = ',';
  if (mark == 0) return;
  TokenReport r;
  r.written = std::string(trail);
  r.spoken = std::string(1, mark);
  r.source = Source::Plain;
  r.why = reason::kPause;
  out_.push_back(std::move(r));
}

// The raw tokens after the last one shown, through `last`, as written.
std::string Walk::shownUpTo(std::size_t last) {
  std::string shown;
  for (; shown_next_ <= last && shown_next_ < cursor.size(); ++shown_next_) {
    const Token& t = cursor[shown_next_];
    if (!shown.empty()) shown += ' ';
    shown += t.lead + t.core + t.trail;
  }
  return shown;
}

bool Walk::nextCapital() const {
  const Token* next = cursor.peek();
  if (next == nullptr || next->core.empty()) return false;
  return isAsciiUpper(static_cast<unsigned char>(next->core[0]));
}

void Walk::showPause() {
  const std::string shown = shownUpTo(cursor.pos());
  if (shown.empty()) return;
  if (!out_.empty() && out_.back().why == reason::kPause && out_.back().shown.empty()) {
    out_.back().shown = shown;
    return;
  }
  TokenReport r;
  r.written = shown;
  r.shown = shown;
  r.why = reason::kPause;
  out_.push_back(std::move(r));
}

void Walk::dropPause() {
  if (!out_.empty() && out_.back().why == reason::kPause && out_.back().spoken == ",") out_.pop_back();
}

}  // namespace warta::text::rules
