// The normalizer: written Indonesian news text -> the words a newsreader says.
//
// One code path: NormalizerImpl::explain() walks the tokens and records, for
// each, what is said and why (a TokenReport); normalize() is those reports'
// spoken parts joined and tidied. The words all come from LanguageData
// (voices/<lang>/*.yaml) and the lexicon; this file holds only the rules.
#include "text/normalizer.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "text/normalizer_detail.h"
#include "text/numbers.h"
#include "text/utf8.h"

namespace warta::text {
namespace {

using Source = TokenReport::Source;
using namespace detail;

// Below this length an all-capital word is spelled unless the data lists it as
// a word; from it on, a word with an Indonesian syllable shape is said.
constexpr std::size_t kAcronymWordMinLength = 4;
// In a line written in capitals (a headline) shorter capital words are said
// when they have the shape of a word.
constexpr std::size_t kShoutingMinWords = 3;
// How far back a "(BPBD)" looks for its expansion, in words.
constexpr std::size_t kExpansionMaxWords = 14;
// How much of one expansion word an acronym takes: "Kemen" of Kementerian.
constexpr std::size_t kExpansionMaxTake = 5;
// Longest chain of dashes or slashes read by the number rules ("1-2-3" ...).
constexpr long kMaxNumberChain = 8;
// Longest word glued to a number that splitGlued looks at ("RT" of "RT.003").
constexpr std::size_t kGluedWordMaxChars = 16;
// Ages in parentheses after a name.
constexpr std::uint64_t kMaxAge = 130;

struct Token {
  std::string lead;   // opening quotes and brackets: not spoken
  std::string core;   // the word, number, date ...
  std::string trail;  // closing quotes, brackets and punctuation
  bool parenthesised() const {
    return lead.find('(') != std::string::npos && trail.find(')') != std::string::npos;
  }
};

bool isLeadChar(char c) { return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{' || c == '*' || c == '`'; }
bool isTrailChar(char c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == ',' || c == '.' || c == ';' ||
         c == ':' || c == '!' || c == '?' || c == '*' || c == '`';
}

std::vector<Token> tokenize(const std::string& text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i == text.size()) break;
    std::size_t end = text.find(' ', i);
    if (end == std::string::npos) end = text.size();
    std::string_view raw(text.data() + i, end - i);
    Token t;
    std::size_t a = 0, b = raw.size();
    while (a < b && isLeadChar(raw[a])) ++a;
    while (b > a && isTrailChar(raw[b - 1])) --b;
    // "Rp750.000,-" keeps its ",-"; "(1/10)." its date.
    t.lead = std::string(raw.substr(0, a));
    t.core = std::string(raw.substr(a, b - a));
    t.trail = std::string(raw.substr(b));
    tokens.push_back(std::move(t));
    i = end;
  }
  return tokens;
}

// Typography to plain ASCII punctuation, invalid bytes and symbols that only
// decorate (bullets) to spaces, and the spaces that writers forget after a
// comma or a full stop put back.
std::string prepare(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 16);
  bool space = false;
  auto put = [&](std::string_view piece) {
    if (space && !out.empty()) out += ' ';
    space = false;
    out.append(piece);
  };
  for (std::size_t pos = 0; pos < s.size();) {
    const std::size_t at = pos;
    const char32_t cp = utf8::next(s, pos);
    if (utf8::isZeroWidth(cp)) continue;
    // Invalid or overlong bytes ("\xC0\xB2" is no '2'), controls and bullets separate words.
    const bool well_formed = cp < 0x80 ? pos == at + 1 : [&] {
      std::string canonical;
      utf8::append(canonical, cp);
      return s.substr(at, pos - at) == canonical && !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
    }();
    if (!well_formed || utf8::isSpace(cp) || cp < 0x20 || cp == 0x7F || cp == 0xFFFD || isBullet(cp)) {
      space = true;
      continue;
    }
    if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F || cp == 0xAB || cp == 0xBB) put("\"");
    else if (cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x201B || cp == 0x2039 || cp == 0x203A ||
             cp == 0x2032 || cp == 0xB4 || cp == '`')
      put("'");
    else if (utf8::isDash(cp) || cp == 0x2010 || cp == 0x2011) put("-");
    else if (cp == 0x2026) put("...");
    else if ((cp == '[' || cp == ']') && !out.empty() && out.back() == static_cast<char>(cp)) {
      space = true;  // "[[" and "]]" belong to the lexicon's phoneme spans, never to the article
      put(s.substr(at, pos - at));
    } else put(s.substr(at, pos - at));
  }
  // Missing spaces: "kata,lalu" and "selesai.Kemudian", "SH.,MH".
  std::string fixed;
  fixed.reserve(out.size() + 16);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    fixed += c;
    if (i + 1 >= out.size() || i == 0) continue;
    const unsigned char next = static_cast<unsigned char>(out[i + 1]);
    const unsigned char prev = static_cast<unsigned char>(out[i - 1]);
    const bool next_letter = isAsciiLetter(next) || next >= 0x80;
    if (c == ',' && next_letter && prev != ' ') {
      fixed += ' ';
    } else if ((c == '?' || c == '!' || c == ';') && next_letter && prev != ' ') {
      fixed += ' ';
    } else if (c == '.' && prev == '.' && i >= 2 && out[i - 2] == '.' && next_letter) {
      fixed += ' ';  // "datang...Bantuan"
      fixed += ' ';
    } else if (c == '.' && i >= 2 && isAsciiUpper(next) && i + 2 < out.size() && isAsciiLower(out[i + 2]) &&
               isAsciiLower(prev) && isAsciiLower(out[i - 2])) {
      fixed += ' ';  // "selesai.Kemudian", not "S.Pd" or "detik.com"
    }
  }
  return fixed;
}

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
    if (!allDigits(groups[i]) || (i > 0 && groups[i].size() != 3) || (i == 0 && groups.size() > 1 && groups[0].size() > 3))
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

int daysInMonth(int month, std::optional<long> year) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && year) {
    const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
    return leap ? 29 : 28;
  }
  return days[month - 1];
}

// Indonesian syllable shape: clusters a word may start, end and have inside.
bool validOnset(std::string_view c) {
  if (c.size() <= 1) return true;
  static const std::unordered_set<std::string_view> onsets = {
      "ng", "ny", "kh", "sy", "tr", "pr", "br", "kr", "gr", "dr", "fr", "bl", "pl", "kl", "gl", "fl",
      "sl", "st", "sp", "sk", "sw", "tw", "kw", "dw", "str", "spr", "skr", "sr", "ps", "ts"};
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
    if (cluster.size() == 3 && (validOnset(cluster.substr(1)) || cluster.substr(0, 2) == "ng" ||
                                cluster.substr(0, 2) == "ny"))
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

// ---------------------------------------------------------------------------

struct SaidPart {
  std::string spoken;
  Source source = Source::Plain;
  std::string why;
};

static int rank(Source s) {
  switch (s) {
    case Source::Guess: return 3;
    case Source::Lexicon: return 2;
    case Source::Rule: return 1;
    case Source::Plain: return 0;
  }
  return 0;
}

// Joins a part into a whole: the spoken words, and the most telling source.
static void join(SaidPart& whole, const SaidPart& part, const std::string& glue = {}) {
  if (part.spoken.empty()) return;
  if (!whole.spoken.empty() && !glue.empty()) add(whole.spoken, glue);
  add(whole.spoken, part.spoken);
  if (rank(part.source) > rank(whole.source)) {
    whole.source = part.source;
    whole.why = part.why;
  }
}

static SaidPart rule(std::string spoken, std::string why) { return {std::move(spoken), Source::Rule, std::move(why)}; }

class NormalizerImpl {
 public:
  NormalizerImpl(const LanguageData& lang, const Lexicon& lexicon, const NormalizerOptions& options)
      : lang_(lang), lexicon_(lexicon), options_(options), numbers_(lang.numbers) {
    // Case-insensitive abbreviation matches only where the case does not decide (dr/Dr).
    std::map<std::string, int> count;
    for (const auto& [written, spoken] : lang.abbreviations) ++count[utf8::toLower(written)];
    for (const auto& [written, spoken] : lang.abbreviations)
      if (count[utf8::toLower(written)] == 1) folded_abbreviations_[utf8::toLower(written)] = spoken;
    for (const auto& [written, spoken] : lang.currencies) currency_order_.push_back(written);
    std::sort(currency_order_.begin(), currency_order_.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (const auto& [written, spoken] : lang.ranks) ranks_[utf8::toLower(written)] = spoken;
    const auto fold = [](const std::vector<std::string>& list, std::unordered_set<std::string>& set) {
      for (const std::string& w : list) set.insert(utf8::toLower(w));
    };
    fold(lang.acronym_words, acronym_words_);
    fold(lang.acronym_spelled, acronym_spelled_);
    fold(lang.numbers.roman_after, roman_cardinal_);
    fold(lang.numbers.roman_ordinal_after, roman_ordinal_);
    fold(lang.numbers.number_labels, number_labels_);
    fold(lang.numbers.digits_after, digits_after_);
    fold(lang.numbers.pairs_after, pairs_after_);
    fold(lang.numbers.zero_padded_after, zero_padded_after_);
    fold(lang.numbers.score_after, score_after_);
    fold(lang.calendar.date_before, date_before_);
    fold(lang.calendar.weekdays, date_before_);
    fold(lang.calendar.weekdays, days_and_months_);
    fold(lang.calendar.months, days_and_months_);
    fold(lang.domain_suffixes, domain_suffixes_);
    fold(lang.acronym_expansion_skips, acronym_skips_);
    fold(lang.acronym_spelled_after, spelled_after_);
    for (const auto& s : lang.numbers.scales) scale_words_.insert(utf8::toLower(s.word));
  }

  std::vector<TokenReport> explain(std::string_view written) const;

 private:
  std::vector<Token> splitGlued(std::vector<Token> tokens) const;
  friend class TokenWalk;
  std::string symbol(const std::string& key) const {
    const auto it = lang_.symbols.find(key);
    return it == lang_.symbols.end() ? std::string() : it->second;
  }
  const std::string* abbreviation(const std::string& core) const {
    if (auto it = lang_.abbreviations.find(core); it != lang_.abbreviations.end()) return &it->second;
    if (auto it = folded_abbreviations_.find(utf8::toLower(core)); it != folded_abbreviations_.end())
      return &it->second;
    return nullptr;
  }
  const std::string* unit(std::string_view core) const {
    const auto it = lang_.units.find(std::string(core));
    return it == lang_.units.end() ? nullptr : &it->second;
  }
  const std::string* degree(std::string_view core) const {
    std::string key;
    for (char c : core)
      if (c != '.') key += c;
    const auto it = lang_.degrees.find(key);
    return it == lang_.degrees.end() ? nullptr : &it->second;
  }
  const std::string* rankWord(std::string_view core) const {
    if (core.empty() || !isAsciiUpper(core[0])) return nullptr;
    const auto it = ranks_.find(utf8::toLower(core));
    return it == ranks_.end() ? nullptr : &it->second;
  }
  static bool in(const std::unordered_set<std::string>& set, std::string_view word) {
    return !word.empty() && set.count(utf8::toLower(word)) > 0;
  }

  SaidPart spell(std::string_view letters) const;
  SaidPart acronym(std::string_view word, bool shouting) const;
  std::string number(std::string_view digits) const {
    if (auto n = numbers_.written(digits, symbol("."))) return *n;
    return numbers_.digits(digits);
  }
  std::optional<std::string> date(std::string_view core) const;
  std::optional<std::string> fraction(std::string_view core) const;
  std::optional<std::string> time(std::string_view core) const;
  std::string zeroPadded(std::string_view digits) const;
  std::string pairs(std::string_view digits) const;
  SaidPart numeric(std::string_view core, bool date_context = false, bool score = false) const;
  std::optional<SaidPart> domain(std::string_view core) const;
  // `after_symbol_word`: the word before already names the symbol ("tagar #BoneTangguh").
  // `looked_up`: the caller already found `core` missing from the lexicon.
  SaidPart word(std::string_view core, bool shouting = false, bool after_symbol_word = false,
                bool looked_up = false) const;
  SaidPart parts(std::string_view core, char sep, bool shouting) const;
  SaidPart symbols(std::string_view core) const;
  SaidPart mixedCase(std::string_view core, const char* why) const;

  const LanguageData& lang_;
  const Lexicon& lexicon_;
  const NormalizerOptions& options_;
  NumberReader numbers_;
  std::map<std::string, std::string> folded_abbreviations_;
  std::unordered_map<std::string, std::string> ranks_;
  std::vector<std::string> currency_order_;  // longest first: "US$" before "$"
  std::unordered_set<std::string> acronym_words_, acronym_spelled_, roman_cardinal_, roman_ordinal_,
      number_labels_, digits_after_, acronym_skips_, score_after_, days_and_months_, spelled_after_, pairs_after_, zero_padded_after_, date_before_, domain_suffixes_, scale_words_;
};

// "Dinkes" -> "Dinkes", not "dinkes": a respelling keeps a capital that
// starts a capitalised word, so the spoken text still reads as names.
static std::string keepCapital(std::string_view written, std::string spoken) {
  std::size_t pos = 0;
  const char32_t first = utf8::next(written, pos);
  const bool title = utf8::isUpper(first) && pos < written.size() && !utf8::isUpper(utf8::next(written, pos));
  if (title && !spoken.empty() && spoken[0] >= 'a' && spoken[0] <= 'z') spoken[0] = static_cast<char>(spoken[0] - 32);
  return spoken;
}

SaidPart NormalizerImpl::spell(std::string_view letters) const {
  std::string out;
  for (std::size_t pos = 0; pos < letters.size();) {
    std::string one;
    utf8::append(one, utf8::toLower(utf8::next(letters, pos)));
    const auto it = lang_.letters.find(one);
    add(out, it == lang_.letters.end() ? one : it->second);
  }
  return rule(std::move(out), "spelled");
}

// An all-capital word: listed as a word, listed as spelled, else spelled
// when short or when it cannot be said as an Indonesian word ("DPRD"),
// said when it has the shape of one ("BASARNAS", in a headline "KOTA").
SaidPart NormalizerImpl::acronym(std::string_view word, bool shouting) const {
  const std::string lower = utf8::toLower(word);
  if (acronym_words_.count(lower)) return rule(lower, "acronym said: listed");
  if (acronym_spelled_.count(lower)) return rule(spell(word).spoken, "acronym spelled: listed");
  const bool ascii = std::all_of(lower.begin(), lower.end(), [](char c) { return isAsciiLower(c); });
  const std::size_t length = utf8::length(word);
  if (!ascii || length < 2) return rule(spell(word).spoken, "acronym spelled: short");
  if (shouting) {
    if (syllableShaped(lower)) return {lower, Source::Plain, "word in capitals"};
    return {spell(word).spoken, Source::Guess, "acronym spelled: syllable shape"};
  }
  if (length < kAcronymWordMinLength) return {spell(word).spoken, Source::Guess, "acronym spelled: short"};
  if (syllableShaped(lower)) return {lower, Source::Guess, "acronym said: syllable shape"};
  return {spell(word).spoken, Source::Guess, "acronym spelled: syllable shape"};
}

// d/m/yyyy, d/m/yy, d/m, d-m-yyyy, yyyy-mm-dd. Only real dates: 35/13/2025 is not one.
std::optional<std::string> NormalizerImpl::date(std::string_view core) const {
  const char sep = core.find('/') != std::string_view::npos ? '/' : '-';
  const std::vector<std::string_view> p = split(core, sep);
  if (p.size() < 2 || p.size() > 3 || !std::all_of(p.begin(), p.end(), [](auto s) { return allDigits(s); }))
    return std::nullopt;
  if (sep == '-' && p.size() == 2) return std::nullopt;  // a range: 40-80
  std::string_view d = p[0], m = p[1], y = p.size() == 3 ? p[2] : std::string_view();
  if (p.size() == 3 && p[0].size() == 4) d = p[2], y = p[0];  // ISO
  if (d.size() > 2 || m.size() > 2 || !(y.empty() || y.size() == 2 || y.size() == 4)) return std::nullopt;
  const int day = static_cast<int>(*parseInteger(d)), month = static_cast<int>(*parseInteger(m));
  std::optional<long> year;
  if (!y.empty()) {
    year = static_cast<long>(*parseInteger(y));
    if (y.size() == 2) *year += *year < 70 ? 2000 : 1900;  // 16/11/23: two thousand twenty-three
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(month, year)) return std::nullopt;
  std::string out = numbers_.cardinal(static_cast<std::uint64_t>(day));
  add(out, lang_.calendar.months[static_cast<std::size_t>(month - 1)]);
  if (year) add(out, numbers_.cardinal(static_cast<std::uint64_t>(*year)));
  return out;
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

// 10.00 -> "sepuluh", 08.30 -> "delapan tiga puluh", 08.05 -> "delapan nol lima".
std::optional<std::string> NormalizerImpl::time(std::string_view core) const {
  const auto sep = core.find_first_of(".:");
  if (sep == std::string_view::npos || sep == 0 || sep > 2 || core.size() != sep + 3) return std::nullopt;
  const std::string_view h = core.substr(0, sep), m = core.substr(sep + 1);
  if (!allDigits(h) || !allDigits(m)) return std::nullopt;
  const auto hour = *parseInteger(h), minute = *parseInteger(m);
  if (hour > 24 || minute > 59 || (hour == 24 && minute > 0)) return std::nullopt;
  std::string out = numbers_.cardinal(hour);
  if (minute >= 10) add(out, numbers_.cardinal(minute));
  else if (minute > 0) add(out, numbers_.digits(m));
  return out;
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
    SaidPart out = rule(lang_.numbers.minus, "negative number");
    join(out, numeric(core.substr(1), date_context));
    return out;
  }
  if (core.find_first_of("/-") != std::string_view::npos) {
    const bool slash_pair = std::count(core.begin(), core.end(), '/') == 1 && core.find('-') == std::string_view::npos;
    if (slash_pair && !date_context)
      if (auto f = fraction(core)) return rule(*f, "fraction");
    if (auto d = date(core)) return rule(*d, "date");
    if (slash_pair)
      if (auto f = fraction(core)) return rule(*f, "fraction");
    // A school or budget year: 2025/2026 -> dua ribu dua puluh lima dua ribu dua puluh enam.
    if (slash_pair && core.size() == 9 && core[4] == '/') {
      const auto first = parseInteger(core.substr(0, 4)), second = parseInteger(core.substr(5));
      if (first && second && *second == *first + 1 && *first >= 1000)
        return rule(numbers_.cardinal(*first) + " " + numbers_.cardinal(*second), "pair of years");
    }
  }
  if (auto t = time(core)) return rule(*t, "time");
  // Digit groups with a leading zero or more than two: a phone number, said digit by digit.
  if (const auto groups = split(core, '-'); groups.size() > 1 &&
      std::all_of(groups.begin(), groups.end(), [](auto g) { return allDigits(g); }) &&
      (groups.size() > 2 || std::any_of(groups.begin(), groups.end(), [](auto g) { return g.size() > 1 && g[0] == '0'; }))) {
    std::string out;
    for (auto g : groups) out += (out.empty() ? "" : ", ") + numbers_.digits(g);
    return rule(out, "phone number: digits");
  }
  // A score after the words that announce one: "berakhir 2-1" -> dua satu.
  if (score) {
    const auto dash = core.find('-');
    if (dash != std::string_view::npos && allDigits(core.substr(0, dash)) && allDigits(core.substr(dash + 1)) &&
        dash <= 2 && core.size() - dash - 1 <= 2) {
      SaidPart out = rule(numbers_.cardinal(*parseInteger(core.substr(0, dash))), "score");
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
    out.why = "range";
    return out;
  }
  // The number itself: digits with '.' and ',' inside, not at its end.
  std::size_t end = 0;
  while (end < core.size() && (isAsciiDigit(core[end]) || core[end] == '.' || core[end] == ',')) ++end;
  while (end > 0 && !isAsciiDigit(core[end - 1])) --end;
  const std::string_view digits = core.substr(0, end);
  const std::optional<std::string> as_time = end < core.size() ? time(digits) : std::nullopt;
  SaidPart out = as_time ? rule(*as_time, "time")
                         : rule(number(digits), allDigits(digits) ? "number" : "number with separators");
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
      out.why = "number with unit";
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
    out.why = "number with unit";
    return out;
  }
  join(out, word(rest));  // 4G, 3D
  return out;
}

// mitratoday.com, www.site.co.id, https://site.id/path, redaksi@site.id
std::optional<SaidPart> NormalizerImpl::domain(std::string_view core) const {
  std::string_view s = core;
  bool url = false, scheme = false;
  if (const auto at = s.find("://"); at != std::string_view::npos) {
    s.remove_prefix(at + 3);
    url = scheme = true;
  }
  if (const auto slash = s.find('/'); slash != std::string_view::npos) {
    if (!url && s.substr(0, slash).find('.') == std::string_view::npos) return std::nullopt;
    s = s.substr(0, slash);  // the path is an address, not something to read
    url = true;
  }
  if (const auto colon = s.find(':'); colon != std::string_view::npos) s = s.substr(0, colon);  // a port
  std::string_view user;
  if (const auto at = s.find('@'); at != std::string_view::npos) {
    user = s.substr(0, at);
    s.remove_prefix(at + 1);
  }
  const std::vector<std::string_view> labels = split(s, '.');
  if (labels.size() < 2) return std::nullopt;
  for (auto l : labels)
    if (l.empty() || (!hasLetter(l) && !allDigits(l))) return std::nullopt;
  // Without a scheme only a known ending makes a name an address ("RT.003/RW.005" is not one).
  if (!scheme && !in(domain_suffixes_, labels.back())) return std::nullopt;
  SaidPart out = rule({}, user.empty() ? (url ? "web address" : "domain") : "e-mail address");
  if (!user.empty()) {
    for (auto part : split(user, '.')) {
      if (!out.spoken.empty()) add(out.spoken, symbol("."));
      join(out, word(utf8::toLower(part)));
    }
    add(out.spoken, symbol("@"));
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) add(out.spoken, symbol("."));
    // Lower case: "KOMPAS.com" is a name, not letters to spell; a label
    // without a vowel is letters: www, bnpb.
    const std::string label = utf8::toLower(labels[i]);
    if (!lexicon_.find(label) && label.find_first_of("aeiou") == std::string::npos && allLetters(label))
      join(out, spell(label));
    else
      join(out, word(label));
  }
  out.source = Source::Rule;
  out.why = user.empty() ? (url ? "web address" : "domain") : "e-mail address";
  return out;
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

// Letters and digits with symbols between them: each symbol by its name, if
// it has one; the runs as words.
SaidPart NormalizerImpl::symbols(std::string_view core) const {
  SaidPart out;
  std::string run;
  auto flush = [&] {
    // A run that is the whole token has no symbol to split at: read as written.
    if (run.size() == core.size()) join(out, {run, Source::Plain, ""});
    else if (!run.empty()) join(out, word(run));
    run.clear();
  };
  for (std::size_t pos = 0; pos < core.size();) {
    const std::size_t at = pos;
    const char32_t cp = utf8::next(core, pos);
    if (utf8::isLetter(cp) || utf8::isDigit(cp)) {
      run.append(core.substr(at, pos - at));
      continue;
    }
    if (cp == '\'' && !run.empty()) continue;  // Jum'at: one word
    flush();
    const std::string name = symbol(std::string(core.substr(at, pos - at)));
    if (!name.empty()) join(out, rule(name, "symbol"));
  }
  flush();
  return out;
}

// KemenkumHAM -> kemenkum ham; #HariPahlawan -> hari pahlawan.
SaidPart NormalizerImpl::mixedCase(std::string_view core, const char* why) const {
  SaidPart out;
  for (auto part : caseParts(core)) {
    if (auto said = lexicon_.lookup(part)) {
      join(out, {*said, Source::Lexicon, "lexicon"});
    } else if (utf8::length(part) == 1) {
      join(out, spell(part));  // pH -> pe ha
    } else if (allUpper(part)) {
      join(out, acronym(part, false));
    } else {
      join(out, {utf8::toLower(part), Source::Plain, ""});
    }
  }
  if (out.source == Source::Plain) {
    out.source = Source::Guess;
    out.why = why;
  }
  return out;
}

// One written word without surrounding punctuation, no context.
SaidPart NormalizerImpl::word(std::string_view view, bool shouting, bool after_symbol_word, bool looked_up) const {
  if (view.empty()) return {};
  const std::string core(view);
  if (!looked_up)
    if (auto said = lexicon_.lookup(core)) return {keepCapital(core, *said), Source::Lexicon, "lexicon"};
  if (auto tz = lang_.calendar.time_zones.find(core); tz != lang_.calendar.time_zones.end())
    return rule(tz->second, "time zone");  // WIB
  const std::string& prefix = lang_.numbers.ordinal_prefix;
  if (!prefix.empty() && core.size() > prefix.size() + 1 && equalsIgnoringCase(core.substr(0, prefix.size()), prefix) &&
      core[prefix.size()] == '-' && isAsciiDigit(core[prefix.size() + 1])) {
    if (auto n = wholeNumber(core.substr(prefix.size() + 1)); n && *n > 0 && *n <= numbers_.limit())
      return rule(numbers_.ordinal(*n), "ordinal");  // ke-3, ke-1.000
  }
  if (isAsciiDigit(core[0]) || (core.size() > 1 && core[0] == '-' && isAsciiDigit(core[1]))) return numeric(core);
  if (core[0] == '#' && core.size() > 1 && hasLetter(core)) {
    SaidPart out = rule(after_symbol_word ? std::string() : symbol("#"), "hashtag");
    join(out, mixedCase(core.substr(1), "hashtag"));
    out.source = Source::Rule;
    out.why = "hashtag";
    return out;
  }
  if (core[0] == '@' && core.size() > 1 && core.find('.') == std::string::npos) {
    SaidPart out = rule(after_symbol_word ? std::string() : symbol("@"), "mention");
    join(out, word(utf8::toLower(core.substr(1))));
    out.source = Source::Rule;
    out.why = "mention";
    return out;
  }
  if (auto it = lang_.shorthand.find(core); it != lang_.shorthand.end()) return rule(it->second, "abbreviation");
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
      out.why = "dotted letters spelled";
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
      out.why = "days before";
      return out;
    }
    return parts(core, '-', shouting);
  }
  if (core.find('/') != std::string::npos) return parts(core, '/', shouting);  // dan/atau
  if (allLetters(core)) {
    if (const std::string* r = rankWord(core)) return rule(*r, "rank");
    if (allUpper(core)) return acronym(core, shouting);
    std::size_t capitals = 0;
    for (std::size_t pos = 0; pos < core.size();) capitals += utf8::isUpper(utf8::next(core, pos));
    std::size_t first = 0;
    const bool title = utf8::isUpper(utf8::next(core, first));
    if (capitals >= 2 || (!title && capitals == 1)) return mixedCase(core, "mixed case split");
    return {core, Source::Plain, ""};
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
      const bool inner = (cp == ',' || cp == '.') && digits && !run.empty() && pos < core.size() &&
                         isAsciiDigit(core[pos]);
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
    if (out.source == Source::Rule) out.why = "letters and digits";
    return out;
  }
  return symbols(core);
}

// ---------------------------------------------------------------------------
// The walk over one text's tokens, with the context rules that look at
// neighbours (currency, units, ages, degrees, Roman numerals, repeated acronyms).

class TokenWalk {
 public:
  TokenWalk(const NormalizerImpl& n, std::vector<Token> tokens) : n_(n), t_(std::move(tokens)) {
    std::size_t capitals = 0, lower = 0;
    for (const Token& tok : t_) {
      if (!hasLetter(tok.core)) continue;
      if (allUpper(tok.core) || !hasLower(tok.core)) ++capitals;
      else ++lower;
    }
    shouting_ = capitals >= kShoutingMinWords && lower == 0;
  }

  std::vector<TokenReport> run();

 private:
  const std::string* nextCore(std::size_t k) const {
    return k < t_.size() && t_[k].lead.empty() ? &t_[k].core : nullptr;
  }
  const Token* previous(std::size_t i) const { return i > 0 ? &t_[i - 1] : nullptr; }
  void emit(std::string written, SaidPart said) {
    TokenReport r;
    r.written = std::move(written);
    r.shown = shownUpTo(at_);
    r.spoken = std::move(said.spoken);
    r.source = said.source;
    r.why = said.why.empty() ? (r.source == Source::Plain ? "plain word" : "rule") : std::move(said.why);
    out_.push_back(std::move(r));
  }
  void pause(std::string_view trail, bool last) {
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
    r.why = "pause";
    out_.push_back(std::move(r));
  }
  // The raw tokens after the last one shown, through `last`, as written.
  std::string shownUpTo(std::size_t last) {
    std::string shown;
    for (; shown_next_ <= last && shown_next_ < t_.size(); ++shown_next_) {
      const Token& t = t_[shown_next_];
      if (!shown.empty()) shown += ' ';
      shown += t.lead + t.core + t.trail;
    }
    return shown;
  }
  // Whether the token after the current one opens with a capital: "datang... Bantuan".
  bool nextCapital() const {
    if (at_ + 1 >= t_.size() || t_[at_ + 1].core.empty()) return false;
    return isAsciiUpper(static_cast<unsigned char>(t_[at_ + 1].core[0]));
  }
  // A token that is only a pause (a dash, a lone bracket) is shown as written.
  void showPause() {
    const std::string shown = shownUpTo(at_);
    if (shown.empty()) return;
    if (!out_.empty() && out_.back().why == "pause" && out_.back().shown.empty()) {
      out_.back().shown = shown;
      return;
    }
    TokenReport r;
    r.written = shown;
    r.shown = shown;
    r.why = "pause";
    out_.push_back(std::move(r));
  }
  void dropPause() {
    if (!out_.empty() && out_.back().why == "pause" && out_.back().spoken == ",") out_.pop_back();
  }
  bool repeatedAcronym(std::size_t i) const;
  // A dash standing alone between two amounts, times or days: said as the range word.
  bool rangeDash(std::size_t i) const {
    if (i == 0 || i + 1 >= t_.size() || !t_[i].trail.empty() || !t_[i - 1].trail.empty()) return false;
    const std::string& before = t_[i - 1].core;
    const std::string& after = t_[i + 1].core;
    if (before.empty() || after.empty()) return false;
    const auto amount = [&](const std::string& c) {
      if (isAsciiDigit(c[0])) return true;
      for (const std::string& cur : n_.currency_order_)
        if (c.compare(0, cur.size(), cur) == 0 && (c.size() == cur.size() || isAsciiDigit(c[cur.size()]) ||
                                                   c[cur.size()] == '.'))
          return true;
      return false;
    };
    const auto day = [&](const std::string& c) { return NormalizerImpl::in(n_.days_and_months_, c); };
    return (amount(before) && amount(after)) || (day(before) && day(after));
  }
  bool isDegree(std::size_t i) const;
  bool degreeWritten(std::size_t i) const;
  std::vector<bool> degree_;  // which tokens were read (or dropped) as degrees
  std::size_t at_ = 0;        // the token being read
  std::size_t shown_next_ = 0;  // the first token not yet in a report's `shown`

  const NormalizerImpl& n_;
  std::vector<Token> t_;
  std::vector<TokenReport> out_;
  bool shouting_ = false;
};

// "(BPBD)" right after "Badan Penanggulangan Bencana Daerah", "(Pemkot)"
// after "Pemerintah Kota", "(PPPK)" after "pegawai pemerintah dengan
// perjanjian kerja": each word of the expansion gives the acronym the start
// of the word (a letter or a syllable), the data's small words may give
// nothing, and the expansion ends right before the bracket.
bool TokenWalk::repeatedAcronym(std::size_t i) const {
  const Token& tok = t_[i];
  if (!tok.parenthesised() || utf8::length(tok.core) < 2 || !allLetters(tok.core)) return false;
  std::size_t pos = 0;
  if (!utf8::isUpper(utf8::next(tok.core, pos))) return false;
  const std::string target = utf8::toLower(tok.core);
  // The words before, nearest last, within the sentence.
  std::vector<std::string> words;
  for (std::size_t k = i; k > 0 && words.size() < kExpansionMaxWords; --k) {
    const Token& w = t_[k - 1];
    if (w.trail.find_first_of(".!?") != std::string::npos || !w.lead.empty()) {
      if (k != i) break;
    }
    if (w.core.empty() || !allLetters(w.core)) break;
    words.insert(words.begin(), utf8::toLower(w.core));
    if (!w.lead.empty()) break;
  }
  // match(w, j): words[w..] spell target[j..] exactly.
  const std::size_t n = words.size();
  std::vector<std::vector<signed char>> memo(n + 1, std::vector<signed char>(target.size() + 1, -1));
  const std::function<bool(std::size_t, std::size_t)> match = [&](std::size_t w, std::size_t j) -> bool {
    if (w == n) return j == target.size();
    signed char& m = memo[w][j];
    if (m >= 0) return m == 1;
    bool ok = false;
    if (NormalizerImpl::in(n_.acronym_skips_, words[w])) ok = match(w + 1, j);
    const std::string& word = words[w];
    for (std::size_t take = 1; !ok && take <= kExpansionMaxTake && take <= word.size() && j + take <= target.size();
         ++take) {
      if (word[take - 1] != target[j + take - 1]) break;
      ok = match(w + 1, j + take);
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
bool TokenWalk::isDegree(std::size_t i) const {
  const Token& tok = t_[i];
  const Token* prev = previous(i);
  if (prev == nullptr || prev->core.empty() || prev->trail.empty() || !tok.lead.empty() || tok.core.empty() ||
      !isAsciiUpper(tok.core[0]) || n_.degree(tok.core) == nullptr)
    return false;
  const bool after_degree = n_.degree(prev->core) != nullptr &&
                            (prev->trail.find(',') != std::string::npos || prev->trail == ".") &&
                            degreeWritten(i - 1);
  if (after_degree) return true;  // the next degree in a row
  std::size_t pos = 0;
  const bool name_before = utf8::isUpper(utf8::next(prev->core, pos));
  if (!name_before || prev->trail != ",") return false;
  if (tok.core.find('.') != std::string::npos || (!tok.trail.empty() && tok.trail[0] == '.')) return true;
  // Undotted: only when another degree follows ("SE, ME").
  return tok.trail.find(',') != std::string::npos && i + 1 < t_.size() && t_[i + 1].lead.empty() &&
         n_.degree(t_[i + 1].core) != nullptr;
}

// Whether token `i` was taken as a degree (the one before it decides).
bool TokenWalk::degreeWritten(std::size_t i) const { return i < degree_.size() && degree_[i]; }

std::vector<TokenReport> TokenWalk::run() {
  bool in_degrees = false;
  for (std::size_t i = 0; i < t_.size(); ++i) {
    at_ = i;
    const Token& tok = t_[i];
    const std::string& core = tok.core;
    const bool last = i + 1 == t_.size();
    std::string trail = tok.trail;
    const Token* prev = previous(i);
    const std::string prev_core = prev != nullptr && prev->trail.empty() ? prev->core : std::string();
    if (!core.empty() && core.find_first_not_of('-') == std::string::npos) {
      if (rangeDash(i)) {
        emit(core, rule(n_.lang_.numbers.range, "range"));  // 10.00 - 12.00, Senin - Jumat
        continue;
      }
      pause(",", last);  // a dash between clauses: a short pause
      showPause();
      continue;
    }
    if (core.empty()) {
      if (!tok.lead.empty() || !tok.trail.empty()) pause(tok.lead + tok.trail, last);
      showPause();
      continue;
    }
    // Degrees after a name: dropped (or read), with the comma before them.
    if (degree_.size() < t_.size()) degree_.assign(t_.size(), false);
    if (isDegree(i)) {
      degree_[i] = true;
      if (!in_degrees && !n_.options_.read_degrees) dropPause();
      in_degrees = true;
      if (n_.options_.read_degrees) emit(core, rule(*n_.degree(core), "academic degree"));
      else emit(core, rule({}, "academic degree: not read"));
      const bool more = i + 1 < t_.size() && isDegree(i + 1);
      // The dot closes the degree; before a capital it also ends the sentence: "..., M.Si. Ia menambahkan".
      if (!last && !trail.empty() && trail[0] == '.' && (more || !nextCapital())) trail.erase(0, 1);
      if (!more || n_.options_.read_degrees) pause(trail, last);
      continue;
    }
    in_degrees = false;
    if (!n_.options_.read_repeated_acronyms && repeatedAcronym(i)) {
      emit(tok.lead + core + tok.trail, rule({}, "acronym after its expansion: not read"));
      pause(trail, last);
      continue;
    }
    // An age after a name: "Yuyun (39)".
    if (tok.parenthesised() && allDigits(core) && prev != nullptr && prev->trail.empty() && hasLetter(prev->core) &&
        isAsciiUpper(prev->core[0]) && !NormalizerImpl::in(n_.number_labels_, prev->core) &&
        !NormalizerImpl::in(n_.date_before_, prev->core)) {
      const auto age = parseInteger(core);
      if (age && *age > 0 && *age <= kMaxAge) {
        pause(",", false);
        emit(tok.lead + core + ")", rule(n_.numbers_.cardinal(*age) + " " + n_.lang_.numbers.age_word, "age"));
        pause(trail, last);
        continue;
      }
    }
    SaidPart said;
    bool numeric_value = false;
    // A currency written before an amount, in this token or the next.
    const std::string* currency = nullptr;
    std::string amount;
    for (const std::string& c : n_.currency_order_) {
      if (c[0] != core[0] || core.compare(0, c.size(), c) != 0) continue;
      std::string_view rest = std::string_view(core).substr(c.size());
      if (!rest.empty() && rest[0] == '.') rest.remove_prefix(1);  // "Rp.5000"
      const std::string* next = nextCore(i + 1);
      const bool amount_next = rest.empty() && (trail.empty() || trail == ".") && next != nullptr &&
                               !next->empty() && isAsciiDigit((*next)[0]);
      if ((!rest.empty() && isAsciiDigit(rest[0])) || amount_next) {
        currency = &n_.lang_.currencies.at(c);
        amount = std::string(rest);
        break;
      }
    }
    std::string written = core;
    if (allUpper(core) && allLetters(core) && NormalizerImpl::in(n_.spelled_after_, prev_core)) {
      said = n_.spell(core);  // berinisial AS: initials, whatever the lexicon says of "AS"
      said.why = "initials";
    } else if (auto lex = n_.lexicon_.lookup(core)) {
      said = {keepCapital(core, *lex), Source::Lexicon, "lexicon"};
    } else if (const std::string* a = !trail.empty() && trail[0] == '.' ? n_.abbreviation(core) : nullptr) {
      said = rule(*a, "abbreviation");  // the dot marks the abbreviation, unless it also ends the text
      if (!last) trail.erase(0, 1);
    } else if (const std::string* r = !trail.empty() && trail[0] == '.' ? n_.rankWord(core) : nullptr) {
      said = rule(*r, "rank");
      if (!last) trail.erase(0, 1);
    } else if (!trail.empty() && trail[0] == '.' && utf8::length(core) == 1 && allUpper(core)) {
      said = n_.spell(core);  // an initial
      said.why = "initial";
      if (!last) trail.erase(0, 1);
    } else if (currency != nullptr) {
      // Rp5.000, Rp 1,5 miliar: the amount, its scale word, then the currency.
      if (amount.empty()) {
        amount = t_[++i].core;
        trail = t_[i].trail;
        written += " " + amount;
      }
      std::string per_what;  // Rp6.500/kg
      if (const auto slash = amount.find('/'); slash != std::string::npos) {
        per_what = amount.substr(slash + 1);
        amount.resize(slash);
      }
      for (const char* cents : {",00", ",-", ".-", ",--"})  // Rp2.500.000,00
        if (amount.size() > 3 && amount.compare(amount.size() - std::strlen(cents), std::string::npos, cents) == 0)
          amount.resize(amount.size() - std::strlen(cents));
      said = amount.empty() ? SaidPart{} : n_.numeric(amount);
      const std::string* scale = trail.empty() ? nextCore(i + 1) : nullptr;
      std::string scale_word;  // "ribu" of "ribu/bulan"
      if (scale != nullptr && per_what.empty()) {
        const auto slash = scale->find('/');
        scale_word = scale->substr(0, slash);
        if (slash != std::string::npos && slash + 1 < scale->size() &&
            (NormalizerImpl::in(n_.scale_words_, scale_word) || n_.lang_.currency_scales.count(scale_word))) {
          per_what = scale->substr(slash + 1);  // Rp300 ribu/bulan
          scale = &scale_word;
        }
      }
      const auto short_scale = scale != nullptr ? n_.lang_.currency_scales.find(*scale) : n_.lang_.currency_scales.end();
      if (short_scale != n_.lang_.currency_scales.end()) {
        add(said.spoken, short_scale->second);  // Rp 1,2 T -> satu koma dua triliun rupiah
        written += " " + *scale;
        trail = t_[++i].trail;
      } else if (scale != nullptr && NormalizerImpl::in(n_.scale_words_, *scale)) {
        add(said.spoken, utf8::toLower(*scale));
        written += " " + *scale;
        trail = t_[++i].trail;
      }
      add(said.spoken, *currency);
      if (const std::string* u = n_.unit(per_what)) {
        add(said.spoken, n_.lang_.per);
        add(said.spoken, *u);
      } else if (!per_what.empty()) {
        add(said.spoken, n_.lang_.per);
        join(said, n_.word(per_what));
      }
      said.source = Source::Rule;
      said.why = "money";
    } else if (int roman = allUpper(core) && !prev_core.empty() ? romanValue(core) : 0;
               roman > 0 && (NormalizerImpl::in(n_.roman_cardinal_, prev_core) ||
                             NormalizerImpl::in(n_.roman_ordinal_, prev_core))) {
      const auto value = static_cast<std::uint64_t>(roman);
      said = NormalizerImpl::in(n_.roman_ordinal_, prev_core) ? rule(n_.numbers_.ordinal(value), "roman numeral: ordinal")
                                                              : rule(n_.numbers_.cardinal(value), "roman numeral");
    } else if (core.size() >= 2 && core.find_first_not_of("IVX") == std::string::npos && romanValue(core) > 0 &&
               !prev_core.empty() && isAsciiUpper(static_cast<unsigned char>(prev_core[0])) && hasLower(prev_core)) {
      // "Jembatan Suramadu II": a numeral of I, V and X after a name is a number.
      said = {n_.numbers_.cardinal(static_cast<std::uint64_t>(romanValue(core))), Source::Guess,
              "roman numeral after a name"};
    } else if (allDigits(core) && (NormalizerImpl::in(n_.digits_after_, prev_core) ||
                                   (prev != nullptr && prev->parenthesised() && prev->core.size() > 2 &&
                                    prev->core[0] == '0' && allDigits(prev->core)))) {
      // "hubungi 112", "(0341) 551234"
      said = rule(n_.numbers_.digits(core), "number said digit by digit");
    } else if (const auto digits = leadingDigits(core);
               digits.size() > 1 && digits.size() < 5 && (digits.size() == core.size() || core[digits.size()] == '/') &&
               NormalizerImpl::in(n_.zero_padded_after_, lastPart(prev_core))) {
      // RT 011 RW 04, RT 02/RW 05
      said = n_.lang_.numbers.say_padding_zeros ? rule(n_.zeroPadded(digits), "neighbourhood number")
                                                : rule(n_.numbers_.cardinal(*parseInteger(digits)), "neighbourhood number");
      if (digits.size() < core.size()) join(said, n_.word(core.substr(digits.size() + 1)));
      said.source = Source::Rule;
    } else if (const std::string* u = prev_core.size() == n_.lang_.per.size() && equalsIgnoringCase(prev_core, n_.lang_.per)
                                          ? n_.unit(core) : nullptr) {
      said = rule(*u, "unit after per");  // Rp45.000 per kg
    } else if (isAsciiDigit(core[0]) && NormalizerImpl::in(n_.pairs_after_, prev_core)) {
      // Koramil 1407-21/Palakka
      std::string_view code = core;
      std::string_view name;
      if (const auto slash = code.find('/'); slash != std::string_view::npos) {
        name = code.substr(slash + 1);
        code = code.substr(0, slash);
      }
      said = rule({}, "unit code");
      for (auto group : split(code, '-')) {
        if (allDigits(group)) add(said.spoken, n_.pairs(group));
        else join(said, n_.word(group));
      }
      join(said, n_.word(name));
      said.source = Source::Rule;
      said.why = "unit code";
    } else {
      if (isAsciiDigit(core[0])) {
        const bool date_context = tok.parenthesised() || NormalizerImpl::in(n_.date_before_, prev_core) ||
                                  (prev != nullptr && NormalizerImpl::in(n_.date_before_, prev->core));
        said = n_.numeric(core, date_context, NormalizerImpl::in(n_.score_after_, prev_core));
      } else {
        const bool named = (core[0] == '#' && equalsIgnoringCase(prev_core, n_.symbol("#"))) ||
                           (core[0] == '@' && equalsIgnoringCase(prev_core, n_.symbol("@")));
        said = n_.word(core, shouting_, named, /*looked_up=*/true);  // the lexicon was asked above
      }
      numeric_value = isAsciiDigit(core[0]) && isAsciiDigit(core.back());
    }
    // A unit after a number: "80 km", "12,5 %".
    if (numeric_value && trail.empty()) {
      if (const std::string* next = nextCore(i + 1)) {
        if (const std::string* u = n_.unit(*next)) {
          add(said.spoken, *u);
          said.why = "number with unit";
          written += " " + *next;
          trail = t_[++i].trail;
        }
      }
    }
    at_ = i;
    emit(std::move(written), std::move(said));
    pause(trail, i + 1 == t_.size());
  }
  return std::move(out_);
}

// "RT.003/RW.005" -> RT 003 RW 005: a neighbourhood word glued to its number
// by a dot or slash, and the next one glued by a slash, become tokens of their own.
std::vector<Token> NormalizerImpl::splitGlued(std::vector<Token> tokens) const {
  std::vector<Token> out;
  out.reserve(tokens.size());
  for (Token& t : tokens) {
    std::string_view core = t.core;
    if (core.find_first_of("./") == std::string_view::npos || zero_padded_after_.empty()) {
      out.push_back(std::move(t));
      continue;
    }
    std::vector<std::string> pieces;
    std::size_t start = 0;
    for (std::size_t i = 0; i < core.size(); ++i) {
      if (core[i] != '.' && core[i] != '/') continue;
      const std::string_view left = core.substr(start, i - start);
      if (left.size() > kGluedWordMaxChars) continue;  // no neighbourhood word is this long
      const bool next_digit = i + 1 < core.size() && isAsciiDigit(core[i + 1]);
      const bool next_word = i + 1 < core.size() && !isAsciiDigit(core[i + 1]);
      const bool glued = (next_digit && in(zero_padded_after_, left)) ||
                         (core[i] == '/' && next_word && allDigits(left) && !pieces.empty() &&
                          in(zero_padded_after_, pieces.back()));
      if (!glued) continue;
      pieces.emplace_back(left);
      start = i + 1;
    }
    if (pieces.empty()) {
      out.push_back(std::move(t));
      continue;
    }
    pieces.emplace_back(core.substr(start));
    for (std::size_t k = 0; k < pieces.size(); ++k) {
      Token piece;
      piece.core = pieces[k];
      if (k == 0) piece.lead = t.lead;
      if (k + 1 == pieces.size()) piece.trail = t.trail;
      out.push_back(std::move(piece));
    }
  }
  return out;
}

std::vector<TokenReport> NormalizerImpl::explain(std::string_view written) const {
  return TokenWalk(*this, splitGlued(tokenize(prepare(written)))).run();
}

// The end of the "[[...]]" phoneme span at `pos` ("]]" included), or npos if
// none starts there. A span as the lexicon writes it: phoneme mnemonics with
// no space or bracket inside. Brackets from the article ("[[[1/11 ...]]")
// are not spans: eSpeak would read what they hold as phonemes.
static std::size_t phonemeSpanEnd(const std::string& s, std::size_t pos) {
  if (s.compare(pos, 2, "[[") != 0) return std::string::npos;
  const std::size_t end = s.find("]]", pos + 2);
  if (end == std::string::npos || end == pos + 2) return std::string::npos;
  for (std::size_t i = pos + 2; i < end; ++i)
    if (s[i] == ' ' || s[i] == '[' || s[i] == ']') return std::string::npos;
  return end + 2;
}

// Keeps letters, single spaces, word-inner hyphens, sentence punctuation and
// "[[...]]" phoneme spans; what is left of anything else becomes a space.
static std::string tidySpoken(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t pos = 0; pos < s.size();) {
    if (s[pos] == '[') {
      const auto end = phonemeSpanEnd(s, pos);
      if (end != std::string::npos) {
        if (!out.empty() && out.back() != ' ') out += ' ';
        out.append(s, pos, end - pos);
        pos = end;
        continue;
      }
    }
    const unsigned char byte = static_cast<unsigned char>(s[pos]);
    if (isAsciiLetter(byte)) {  // the common case, without decoding
      out += static_cast<char>(byte);
      ++pos;
      continue;
    }
    const std::size_t at = pos;
    const char32_t cp = utf8::next(s, pos);
    if (utf8::isLetter(cp)) {
      out.append(s, at, pos - at);
    } else if (cp == ',' || cp == '.' || cp == '?' || cp == '!') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      if (out.empty()) continue;
      const char last = out.back();
      const bool strong = cp != ',';
      if (last == ',' || last == '.' || last == '?' || last == '!') {
        if (strong && last == ',') out.back() = static_cast<char>(cp);
      } else {
        out += static_cast<char>(cp);
      }
    } else if (cp == '-' && !out.empty() && out.back() != ' ' && out.back() != '-' && pos < s.size() &&
               utf8::isLetter([&] { std::size_t p = pos; return utf8::next(s, p); }())) {
      out += '-';
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  // Space after punctuation, none at the ends.
  std::string spaced;
  spaced.reserve(out.size() + out.size() / 8);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '[') {  // phonemes: ',' and '.' there are eSpeak's, not punctuation
      const std::size_t end = phonemeSpanEnd(out, i);
      if (end != std::string::npos) {
        spaced.append(out, i, end - i);
        i = end - 1;
        continue;
      }
    }
    spaced += out[i];
    const bool punct = out[i] == ',' || out[i] == '.' || out[i] == '?' || out[i] == '!';
    if (punct && i + 1 < out.size() && out[i + 1] != ' ') spaced += ' ';
  }
  while (!spaced.empty() && (spaced.back() == ' ' || spaced.back() == '-')) spaced.pop_back();
  return spaced;
}

static std::string joinSpoken(const std::vector<TokenReport>& reports) {
  std::string out;
  for (const TokenReport& r : reports) add(out, r.spoken);
  return tidySpoken(out);
}

Normalizer::Normalizer(LanguageData language, Lexicon lexicon, NormalizerOptions options)
    : language_(std::move(language)), lexicon_(std::move(lexicon)), options_(options) {
  for (const auto& [written, spoken] : language_.abbreviations)
    if (!contains(language_.sentence_final, written)) abbreviations_.push_back(written);
}

std::string Normalizer::normalize(std::string_view written) const {
  return joinSpoken(NormalizerImpl(language_, lexicon_, options_).explain(written));
}

static std::size_t countWords(const std::string& spoken) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : spoken) {
    if (c != ' ' && !in_word) ++words;
    in_word = c != ' ';
  }
  return words;
}

// The written units of a segment from its reports; empty if their spoken
// words do not add up to the segment's (then it is shown as one unit).
static std::vector<WrittenWord> writtenWords(const std::vector<TokenReport>& reports, const std::string& spoken) {
  std::vector<WrittenWord> words;
  std::size_t total = 0;
  for (const TokenReport& r : reports) {
    const std::size_t n = r.spoken.empty() ? 0 : countWords(tidySpoken(r.spoken));
    total += n;
    if (!r.shown.empty()) words.push_back({r.shown, n});
    else if (!words.empty()) words.back().spoken_words += n;
    else if (n > 0) return {};
  }
  if (total != countWords(spoken)) return {};
  return words;
}

void Normalizer::normalize(std::vector<Segment>& segments) const {
  const NormalizerImpl impl(language_, lexicon_, options_);
  for (Segment& s : segments) {
    const std::vector<TokenReport> reports = impl.explain(s.text);
    s.spoken = joinSpoken(reports);
    s.words = writtenWords(reports, s.spoken);
  }
}

std::vector<TokenReport> Normalizer::explain(std::string_view written) const {
  return NormalizerImpl(language_, lexicon_, options_).explain(written);
}

const std::vector<std::string>& Normalizer::abbreviations() const { return abbreviations_; }

}  // namespace warta::text
