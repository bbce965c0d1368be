// SPDX-License-Identifier: GPL-3.0-or-later
// Words: one written word without context (NormalizerImpl::word, which hands
// numbers, addresses and acronyms to their families), and the walk's two
// word rules: the lexicon first of all, and the reading of last resort.
#include "text/rules/rules.h"

namespace warta::text::rules {

using namespace detail;

static int rank(Source s) {
  switch (s) {
    case Source::Guess:
      return 3;
    case Source::Lexicon:
      return 2;
    case Source::Rule:
      return 1;
    case Source::Plain:
      return 0;
  }
  return 0;
}

void join(SaidPart& whole, const SaidPart& part) {
  if (part.spoken.empty()) return;
  add(whole.spoken, part.spoken);
  if (rank(part.source) > rank(whole.source)) {
    whole.source = part.source;
    whole.why = part.why;
  }
}

// "Dinkes" -> "Dinkes", not "dinkes": a respelling keeps a capital that
// starts a capitalised word, so the spoken text still reads as names.
std::string keepCapital(std::string_view written, std::string spoken) {
  std::size_t pos = 0;
  const char32_t first = utf8::next(written, pos);
  const bool title = utf8::isUpper(first) && pos < written.size() && !utf8::isUpper(utf8::next(written, pos));
  if (title && !spoken.empty() && spoken[0] >= 'a' && spoken[0] <= 'z') spoken[0] = static_cast<char>(spoken[0] - 32);
  return spoken;
}

// Parts of a word split at `sep`, each read as a word. Hyphenated plain words
// keep their hyphen ("anak-anak"); anything read differently is spaced.
SaidPart NormalizerImpl::parts(std::string_view core, char sep, bool shouting) const {
  SaidPart out;
  bool plain = sep == '-';
  std::vector<SaidPart> spoken;
  for (auto part : split(core, sep)) {
    if (part.empty()) continue;
    spoken.push_back(word(part, shouting));
    plain = plain && spoken.back().spoken == part;
  }
  for (const SaidPart& s : spoken) {
    if (plain && !out.spoken.empty()) out.spoken += '-' + s.spoken;
    else join(out, s);
  }
  return out;
}

// One written word without surrounding punctuation, no context.
SaidPart NormalizerImpl::word(std::string_view view, bool shouting, bool after_symbol_word, bool looked_up) const {
  if (view.empty()) return {};
  const std::string core(view);
  if (!looked_up)
    if (auto said = lexicon_.lookup(core)) return {keepCapital(core, *said), Source::Lexicon, reason::kLexicon};
  if (auto tz = lang_.calendar.time_zones.find(core); tz != lang_.calendar.time_zones.end())
    return rule(tz->second, reason::kTimeZone);  // WIB
  const std::string& prefix = lang_.numbers.ordinal_prefix;
  if (!prefix.empty() && core.size() > prefix.size() + 1 && equalsIgnoringCase(core.substr(0, prefix.size()), prefix) &&
      core[prefix.size()] == '-' && isAsciiDigit(core[prefix.size() + 1])) {
    if (auto n = wholeNumber(core.substr(prefix.size() + 1)); n && *n > 0 && *n <= numbers_.limit())
      return rule(numbers_.ordinal(*n), reason::kOrdinal);  // ke-3, ke-1.000
  }
  if (isAsciiDigit(core[0]) || (core.size() > 1 && core[0] == '-' && isAsciiDigit(core[1]))) return numeric(core);
  if (core[0] == '#' && core.size() > 1 && hasLetter(core)) {
    SaidPart out = rule(after_symbol_word ? std::string() : symbol("#"), reason::kHashtag);
    join(out, mixedCase(core.substr(1), reason::kHashtag));
    out.source = Source::Rule;
    out.why = reason::kHashtag;
    return out;
  }
  if (core[0] == '@' && core.size() > 1 && core.find('.') == std::string::npos) {
    SaidPart out = rule(after_symbol_word ? std::string() : symbol("@"), reason::kMention);
    join(out, word(utf8::toLower(core.substr(1))));
    out.source = Source::Rule;
    out.why = reason::kMention;
    return out;
  }
  if (auto it = lang_.shorthand.find(core); it != lang_.shorthand.end()) return rule(it->second, reason::kAbbreviation);
  if (core.find_first_of(".@:") != std::string::npos)
    if (auto d = domain(core)) return *d;
  if (core.find('.') != std::string::npos) {
    // S.H, S.Pd, a.n: letters in short groups.
    bool dotted = true;
    for (auto g : split(core, '.')) dotted = dotted && allLetters(g) && utf8::length(g) <= 3;
    if (dotted) {
      std::string letters;
      for (char c : core)
        if (c != '.') letters += c;
      SaidPart out = spell(letters);
      out.why = reason::kDottedLetters;
      return out;
    }
    return parts(core, '.', shouting);
  }
  if (const auto dash = core.find('-'); dash != std::string::npos) {
    // H-7 Lebaran: days before a day, said with minus.
    if (dash > 0 && dash + 1 < core.size() && allDigits(core.substr(dash + 1)) &&
        contains(lang_.numbers.minus_before_days, core.substr(0, dash))) {
      SaidPart out = spell(core.substr(0, dash));
      add(out.spoken, lang_.numbers.minus);
      join(out, numeric(core.substr(dash + 1)));
      out.why = reason::kDaysBefore;
      return out;
    }
    return parts(core, '-', shouting);
  }
  if (core.find('/') != std::string::npos) return parts(core, '/', shouting);  // dan/atau
  if (allLetters(core)) {
    if (const std::string* r = rankWord(core)) return rule(*r, reason::kRank);
    if (allUpper(core)) return acronym(core, shouting);
    std::size_t capitals = 0;
    for (std::size_t pos = 0; pos < core.size();) capitals += utf8::isUpper(utf8::next(core, pos));
    std::size_t first = 0;
    const bool title = utf8::isUpper(utf8::next(core, first));
    if (capitals >= 2 || (!title && capitals == 1)) return mixedCase(core, reason::kMixedCase);
    return {core, Source::Plain, nullptr};
  }
  if (hasDigit(core) && hasLetter(core)) {
    // G20, SS1, 4G: letters and digits apart.
    SaidPart out;
    std::string run;
    bool digits = false;
    for (std::size_t pos = 0; pos < core.size();) {
      const std::size_t at = pos;
      const char32_t cp = utf8::next(core, pos);
      // A decimal comma or a dot between digits stays in the number: M5,2.
      const bool inner =
          (cp == ',' || cp == '.') && digits && !run.empty() && pos < core.size() && isAsciiDigit(core[pos]);
      const bool d = utf8::isDigit(cp) || inner;
      if (!run.empty() && (d != digits || !(d || utf8::isLetter(cp)))) {
        join(out, word(run));
        run.clear();
      }
      digits = d;
      if (d || utf8::isLetter(cp)) run.append(core.substr(at, pos - at));
      else join(out, symbols(core.substr(at, pos - at)));
    }
    if (!run.empty()) join(out, word(run));
    if (out.source == Source::Rule) out.why = reason::kLettersAndDigits;
    return out;
  }
  return symbols(core);
}

// ---------------------------------------------------------------- rules

namespace words {

// An entry of the lexicon overrides every rule below it.
bool lexicon(Walk& w) {
  const std::string& core = w.cursor.current().core;
  auto said = w.n.lexicon_.lookup(core);
  if (!said) return false;
  w.say(core, {keepCapital(core, *said), Source::Lexicon, reason::kLexicon}, w.cursor.current().trail);
  return true;
}

// What no rule with context took: a number (a date where the context says
// so, a score after the words that announce one) or a word as it is written.
bool wordOrNumber(Walk& w) {
  const NormalizerImpl& n = w.n;
  const std::string& core = w.cursor.current().core;
  const std::string_view prev_core = w.cursor.previousCore();
  std::string written = core;
  std::string trail = w.cursor.current().trail;
  SaidPart said;
  if (isAsciiDigit(core[0])) {
    said = n.numeric(core, dates_times::dateContext(w), NormalizerImpl::in(n.score_after_, prev_core));
  } else {
    const bool named = (core[0] == '#' && equalsIgnoringCase(prev_core, n.symbol("#"))) ||
                       (core[0] == '@' && equalsIgnoringCase(prev_core, n.symbol("@")));
    said = n.word(core, w.shouting(), named, /*looked_up=*/true);  // the lexicon rule came first
  }
  if (isAsciiDigit(core[0]) && isAsciiDigit(core.back())) money_units::unitAfterNumber(w, said, written, trail);
  w.say(std::move(written), std::move(said), trail);
  return true;
}

}  // namespace words
}  // namespace warta::text::rules
