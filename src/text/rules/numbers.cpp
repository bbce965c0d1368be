// SPDX-License-Identifier: GPL-3.0-or-later
// Numbers: cardinals, separators, fractions, ranges, scores, phone numbers,
// ages, Roman numerals, neighbourhood numbers said with their zeros.
#include <algorithm>

#include "text/rules/rules.h"

namespace warta::text::rules {

using namespace detail;

// Longest chain of dashes or slashes read by the number rules ("1-2-3" ...).
constexpr long kMaxNumberChain = 8;
// Ages in parentheses after a name.
constexpr std::uint64_t kMaxAge = 130;

// The value of a Roman numeral written canonically ("IV", not "IIII"), else 0.
int romanValue(std::string_view s) {
  static const std::pair<int, const char*> table[] = {{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"},
                                                      {90, "XC"},  {50, "L"},   {40, "XL"}, {10, "X"},   {9, "IX"},
                                                      {5, "V"},    {4, "IV"},   {1, "I"}};
  if (s.empty() || s.size() > 15) return 0;
  int value = 0;
  std::string_view rest = s;
  for (const auto& [v, sym] : table) {
    const std::string_view symbol(sym);
    while (rest.substr(0, symbol.size()) == symbol) {
      value += v;
      rest.remove_prefix(symbol.size());
    }
  }
  if (!rest.empty() || value == 0 || value > 3999) return 0;
  std::string canonical;
  int n = value;
  for (const auto& [v, sym] : table)
    while (n >= v) canonical += sym, n -= v;
  return canonical == s ? value : 0;
}

// "1.000" or "77": a whole number, with dots only as thousand separators.
std::optional<std::uint64_t> wholeNumber(std::string_view s) {
  const std::vector<std::string_view> groups = split(s, '.');
  std::string joined;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (!allDigits(groups[i]) || (i > 0 && groups[i].size() != 3) ||
        (i == 0 && groups.size() > 1 && groups[0].size() > 3))
      return std::nullopt;
    joined.append(groups[i]);
  }
  return parseInteger(joined);
}

// The digits a token starts with: "02" of "02/RW".
std::string_view leadingDigits(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && isAsciiDigit(s[n])) ++n;
  return s.substr(0, n);
}

// "RW" of "02/RW": the word a slash leaves last.
std::string_view lastPart(std::string_view s) {
  const auto slash = s.rfind('/');
  return slash == std::string_view::npos ? s : s.substr(slash + 1);
}

std::string NormalizerImpl::number(std::string_view digits) const {
  if (auto n = numbers_.written(digits, symbol("."))) return *n;
  return numbers_.digits(digits);
}

// 1/2 -> setengah, 1/3 -> sepertiga, 3/4 -> tiga perempat.
std::optional<std::string> NormalizerImpl::fraction(std::string_view core) const {
  const auto slash = core.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto n = parseInteger(core.substr(0, slash)), d = parseInteger(core.substr(slash + 1));
  if (!n || !d || *n == 0 || *d < 2 || *n >= *d || *d > 1000 || core[slash + 1] == '0') return std::nullopt;
  const NumberWords& w = lang_.numbers;
  if (*n == 1 && *d == 2) return w.fraction_half;
  std::string denominator = w.fraction_prefix + numbers_.cardinal(*d);
  if (*n == 1) return w.fraction_one_prefix + denominator;
  return numbers_.cardinal(*n) + " " + denominator;
}

// "011" -> nol sebelas: the zeros, then the number.
std::string NormalizerImpl::zeroPadded(std::string_view digits) const {
  std::string out;
  std::size_t i = 0;
  while (i + 1 < digits.size() && digits[i] == '0') add(out, lang_.numbers.digits[0]), ++i;
  const auto n = parseInteger(digits.substr(i));
  add(out, n ? numbers_.cardinal(*n) : numbers_.digits(digits.substr(i)));
  return out;
}

// Unit codes: "1407" -> empat belas nol tujuh, "21" -> dua puluh satu, "509" -> lima nol sembilan.
std::string NormalizerImpl::pairs(std::string_view digits) const {
  if (digits.size() == 2 || digits.size() == 4) {
    std::string out;
    for (std::size_t i = 0; i < digits.size(); i += 2) add(out, zeroPadded(digits.substr(i, 2)));
    return out;
  }
  if (digits.size() == 1) return numbers_.digits(digits);
  return numbers_.digits(digits);
}

// A token starting with a digit (or "-" and a digit).
SaidPart NormalizerImpl::numeric(std::string_view core, bool date_context, bool score) const {
  // A long chain of numbers joined by dashes or slashes: each run by itself
  // (the rules below recurse along the chain).
  if (std::count_if(core.begin(), core.end(), [](char c) { return c == '-' || c == '/'; }) > kMaxNumberChain)
    return symbols(core);
  if (core.front() == '-') {
    SaidPart out = rule(lang_.numbers.minus, reason::kNegativeNumber);
    join(out, numeric(core.substr(1), date_context));
    return out;
  }
  if (core.find_first_of("/-") != std::string_view::npos) {
    const bool slash_pair = std::count(core.begin(), core.end(), '/') == 1 && core.find('-') == std::string_view::npos;
    if (slash_pair && !date_context)
      if (auto f = fraction(core)) return rule(*f, reason::kFraction);
    if (auto d = date(core)) return rule(*d, reason::kDate);
    if (slash_pair)
      if (auto f = fraction(core)) return rule(*f, reason::kFraction);
    // A school or budget year: 2025/2026 -> dua ribu dua puluh lima dua ribu dua puluh enam.
    if (slash_pair && core.size() == 9 && core[4] == '/') {
      const auto first = parseInteger(core.substr(0, 4)), second = parseInteger(core.substr(5));
      if (first && second && *second == *first + 1 && *first >= 1000)
        return rule(numbers_.cardinal(*first) + " " + numbers_.cardinal(*second), reason::kPairOfYears);
    }
  }
  if (auto t = time(core)) return rule(*t, reason::kTime);
  // Digit groups with a leading zero or more than two: a phone number, said digit by digit.
  if (const auto groups = split(core, '-');
      groups.size() > 1 && std::all_of(groups.begin(), groups.end(), [](auto g) { return allDigits(g); }) &&
      (groups.size() > 2 ||
       std::any_of(groups.begin(), groups.end(), [](auto g) { return g.size() > 1 && g[0] == '0'; }))) {
    std::string out;
    for (auto g : groups) out += (out.empty() ? "" : ", ") + numbers_.digits(g);
    return rule(out, reason::kPhoneNumber);
  }
  // A score after the words that announce one: "berakhir 2-1" -> dua satu.
  if (score) {
    const auto dash = core.find('-');
    if (dash != std::string_view::npos && allDigits(core.substr(0, dash)) && allDigits(core.substr(dash + 1)) &&
        dash <= 2 && core.size() - dash - 1 <= 2) {
      SaidPart out = rule(numbers_.cardinal(*parseInteger(core.substr(0, dash))), reason::kScore);
      add(out.spoken, numbers_.cardinal(*parseInteger(core.substr(dash + 1))));
      return out;
    }
  }
  // A range of numbers or times: "40-80", "2019-2022", "08.00-14.00".
  if (const auto dash = core.find('-'); dash != std::string_view::npos && dash > 0 && dash + 1 < core.size() &&
                                        isAsciiDigit(core[dash - 1]) && isAsciiDigit(core[dash + 1])) {
    SaidPart out = numeric(core.substr(0, dash));
    add(out.spoken, lang_.numbers.range);
    join(out, numeric(core.substr(dash + 1)));
    out.source = Source::Rule;
    out.why = reason::kRange;
    return out;
  }
  return numberWithSuffix(core);
}

// The number itself (digits with '.' and ',' inside, not at its end) and what
// is written after it: "1990-an", "4G", "6.500/kg", "1x24", "10.00-selesai".
SaidPart NormalizerImpl::numberWithSuffix(std::string_view core) const {
  std::size_t end = 0;
  while (end < core.size() && (isAsciiDigit(core[end]) || core[end] == '.' || core[end] == ',')) ++end;
  while (end > 0 && !isAsciiDigit(core[end - 1])) --end;
  const std::string_view digits = core.substr(0, end);
  const std::optional<std::string> as_time = end < core.size() ? time(digits) : std::nullopt;
  SaidPart out = as_time ? rule(*as_time, reason::kTime)
                         : rule(number(digits), allDigits(digits) ? reason::kNumber : reason::kNumberWithSeparators);
  const std::string_view rest = core.substr(end);
  if (as_time && rest.size() > 1 && rest[0] == '-' && !isAsciiDigit(rest[1])) {
    add(out.spoken, lang_.numbers.range);  // 10.00-selesai -> sepuluh sampai selesai
    join(out, word(rest.substr(1)));
    return out;
  }
  if (rest.empty()) return out;
  if (rest == ",-" || rest == ".-" || rest == ",--" || rest == ",00" || rest == ",00,-") return out;  // Rp750.000,-
  if (rest[0] == '-' && rest.size() > 1) {
    const std::string_view after = rest.substr(1);
    if (after == lang_.numbers.plural_suffix) {
      out.spoken += lang_.numbers.plural_suffix;  // 1990-an
      return out;
    }
    join(out, word(after));
    return out;
  }
  if (rest.size() > 1 && (rest[0] == 'x' || rest[0] == 'X') && isAsciiDigit(rest[1])) {
    if (const std::string* times = unit("x")) {  // 1x24 jam -> satu kali dua puluh empat jam
      add(out.spoken, *times);
      join(out, numeric(rest.substr(1)));
      return out;
    }
  }
  if (rest[0] == '/' && rest.size() > 1) {
    const std::string_view after = rest.substr(1);
    if (const std::string* u = unit(after)) {
      add(out.spoken, lang_.per);  // 6.500/kg
      add(out.spoken, *u);
      out.why = reason::kNumberWithUnit;
    } else if (isAsciiDigit(after[0])) {
      add(out.spoken, symbol("/"));
      join(out, numeric(after));
    } else {
      join(out, word(after));
    }
    return out;
  }
  if (const std::string* u = unit(rest)) {
    add(out.spoken, *u);
    out.why = reason::kNumberWithUnit;
    return out;
  }
  join(out, word(rest));  // 4G, 3D
  return out;
}

// ---------------------------------------------------------------- rules

namespace numbers {

// An age after a name: "Yuyun (39)" -> Yuyun, tiga puluh sembilan tahun.
bool age(Walk& w) {
  const Token& tok = w.cursor.current();
  const Token* prev = w.cursor.previous();
  if (!tok.parenthesised() || !allDigits(tok.core) || prev == nullptr || !prev->trail.empty() ||
      !hasLetter(prev->core) || !isAsciiUpper(prev->core[0]) || NormalizerImpl::in(w.n.number_labels_, prev->core) ||
      NormalizerImpl::in(w.n.date_before_, prev->core))
    return false;
  const auto years = parseInteger(tok.core);
  if (!years || *years == 0 || *years > kMaxAge) return false;
  w.pause(",", false);
  w.say(tok.lead + tok.core + ")", rule(w.n.numbers_.cardinal(*years) + " " + w.n.lang_.numbers.age_word, reason::kAge),
        tok.trail);
  return true;
}

// "Pasal III", "abad XXI": a Roman numeral after a word that announces one.
bool romanAfterCue(Walk& w) {
  const std::string& core = w.cursor.current().core;
  const std::string_view prev_core = w.cursor.previousCore();
  if (prev_core.empty() || !allUpper(core)) return false;
  const int roman = romanValue(core);
  const bool ordinal = NormalizerImpl::in(w.n.roman_ordinal_, prev_core);
  if (roman <= 0 || !(ordinal || NormalizerImpl::in(w.n.roman_cardinal_, prev_core))) return false;
  const auto value = static_cast<std::uint64_t>(roman);
  w.say(core,
        ordinal ? rule(w.n.numbers_.ordinal(value), reason::kRomanOrdinal)
                : rule(w.n.numbers_.cardinal(value), reason::kRomanNumeral),
        w.cursor.current().trail);
  return true;
}

// "Jembatan Suramadu II": a numeral of I, V and X after a name is a number.
bool romanAfterName(Walk& w) {
  const std::string& core = w.cursor.current().core;
  const std::string_view prev_core = w.cursor.previousCore();
  if (core.size() < 2 || core.find_first_not_of("IVX") != std::string::npos || romanValue(core) <= 0 ||
      prev_core.empty() || !isAsciiUpper(static_cast<unsigned char>(prev_core[0])) || !hasLower(prev_core))
    return false;
  w.say(core,
        {w.n.numbers_.cardinal(static_cast<std::uint64_t>(romanValue(core))), Source::Guess, reason::kRomanAfterName},
        w.cursor.current().trail);
  return true;
}

// "hubungi 112", "(0341) 551234": digits after a word (or an area code) that announces them.
bool digitsAfterCue(Walk& w) {
  const std::string& core = w.cursor.current().core;
  const Token* prev = w.cursor.previous();
  if (!allDigits(core)) return false;
  const bool area_code = prev != nullptr && prev->parenthesised() && prev->core.size() > 2 && prev->core[0] == '0' &&
                         allDigits(prev->core);
  if (!area_code && !NormalizerImpl::in(w.n.digits_after_, w.cursor.previousCore())) return false;
  w.say(core, rule(w.n.numbers_.digits(core), reason::kDigitByDigit), w.cursor.current().trail);
  return true;
}

// RT 011 RW 04, RT 02/RW 05: a neighbourhood number, zeros and all.
bool neighbourhoodNumber(Walk& w) {
  const std::string& core = w.cursor.current().core;
  const std::string_view digits = leadingDigits(core);
  if (digits.size() <= 1 || digits.size() >= 5 || (digits.size() != core.size() && core[digits.size()] != '/') ||
      !NormalizerImpl::in(w.n.zero_padded_after_, lastPart(w.cursor.previousCore())))
    return false;
  SaidPart said =
      rule(w.n.lang_.numbers.say_padding_zeros ? w.n.zeroPadded(digits) : w.n.numbers_.cardinal(*parseInteger(digits)),
           reason::kNeighbourhoodNumber);
  if (digits.size() < core.size()) join(said, w.n.word(core.substr(digits.size() + 1)));
  said.source = Source::Rule;
  w.say(core, std::move(said), w.cursor.current().trail);
  return true;
}

}  // namespace numbers
}  // namespace warta::text::rules
