#include "text/normalizer.h"

#include <algorithm>
#include <optional>

#include "text/numbers.h"
#include "text/utf8.h"

namespace warta::text {
namespace {

// Below this length an all-capital word is spelled unless the data lists it as
// a word; from it on, a word with enough vowels is read as a word ("JAKARTA").
constexpr std::size_t kAcronymWordMinLength = 5;

struct Token {
  std::string lead;   // opening quotes and brackets: not spoken
  std::string core;   // the word, number, date ...
  std::string trail;  // closing quotes, brackets and punctuation
};

bool isLeadChar(char c) { return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{'; }
bool isTrailChar(char c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == ',' || c == '.' || c == ';' ||
         c == ':' || c == '!' || c == '?';
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
    t.lead = std::string(raw.substr(0, a));
    t.core = std::string(raw.substr(a, b - a));
    t.trail = std::string(raw.substr(b));
    tokens.push_back(std::move(t));
    i = end;
  }
  return tokens;
}

bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return isAsciiDigit(c); });
}

bool allLetters(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t pos = 0; pos < s.size();)
    if (!utf8::isLetter(utf8::next(s, pos))) return false;
  return true;
}

bool allUpper(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size();)
    if (!utf8::isUpper(utf8::next(s, pos))) return false;
  return !s.empty();
}

bool hasLetter(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size();)
    if (utf8::isLetter(utf8::next(s, pos))) return true;
  return false;
}

bool hasDigit(std::string_view s) { return std::any_of(s.begin(), s.end(), [](char c) { return isAsciiDigit(c); }); }

bool equalsIgnoringCase(std::string_view a, std::string_view b) { return utf8::toLower(a) == utf8::toLower(b); }

bool contains(const std::vector<std::string>& list, std::string_view word) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& w) { return equalsIgnoringCase(w, word); });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

void add(std::string& out, const std::string& words) {
  if (words.empty()) return;
  if (!out.empty()) out += ' ';
  out += words;
}

// The value of a Roman numeral written canonically ("IV", not "IIII"), else 0.
int romanValue(std::string_view s) {
  static const std::pair<int, const char*> table[] = {{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"},
                                                      {90, "XC"},  {50, "L"},   {40, "XL"}, {10, "X"},   {9, "IX"},
                                                      {5, "V"},    {4, "IV"},   {1, "I"}};
  if (s.empty() || s.size() > 15) return 0;
  int value = 0;
  std::string_view rest = s;
  std::string canonical;
  for (const auto& [v, sym] : table) {
    const std::string_view symbol(sym);
    while (rest.substr(0, symbol.size()) == symbol) {
      value += v;
      rest.remove_prefix(symbol.size());
    }
  }
  if (!rest.empty() || value == 0 || value > 3999) return 0;
  int n = value;
  for (const auto& [v, sym] : table)
    while (n >= v) canonical += sym, n -= v;
  return canonical == s ? value : 0;
}

int daysInMonth(int month, std::optional<long> year) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && year) {
    const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
    return leap ? 29 : 28;
  }
  return days[month - 1];
}

}  // namespace

class NormalizerImpl {
 public:
  NormalizerImpl(const LanguageData& lang, const Lexicon& lexicon) : lang_(lang), lexicon_(lexicon), numbers_(lang.numbers) {
    // Case-insensitive abbreviation matches only where the case does not decide (dr/Dr).
    std::map<std::string, int> count;
    for (const auto& [written, spoken] : lang.abbreviations) ++count[utf8::toLower(written)];
    for (const auto& [written, spoken] : lang.abbreviations)
      if (count[utf8::toLower(written)] == 1) folded_abbreviations_[utf8::toLower(written)] = spoken;
    for (const auto& [written, spoken] : lang.currencies) currency_order_.push_back(written);
    std::sort(currency_order_.begin(), currency_order_.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  }

  std::string normalize(std::string_view written) const;

 private:
  std::string symbol(const std::string& key, const std::string& fallback = {}) const {
    const auto it = lang_.symbols.find(key);
    return it == lang_.symbols.end() ? fallback : it->second;
  }
  const std::string* abbreviation(const std::string& core) const {
    if (auto it = lang_.abbreviations.find(core); it != lang_.abbreviations.end()) return &it->second;
    if (auto it = folded_abbreviations_.find(utf8::toLower(core)); it != folded_abbreviations_.end()) return &it->second;
    return nullptr;
  }
  const std::string* unit(std::string_view core) const {
    const auto it = lang_.units.find(std::string(core));
    return it == lang_.units.end() ? nullptr : &it->second;
  }
  bool isScaleWord(std::string_view word) const {
    return std::any_of(lang_.numbers.scales.begin(), lang_.numbers.scales.end(),
                       [&](const NumberWords::Scale& s) { return equalsIgnoringCase(s.word, word); });
  }
  std::string spell(std::string_view letters) const;
  std::string acronym(const std::string& word) const;
  std::string number(std::string_view digits) const {
    if (auto n = numbers_.written(digits, symbol(".")); n) return *n;
    return numbers_.digits(digits);
  }
  std::optional<std::string> date(std::string_view core) const;
  std::optional<std::string> time(std::string_view core) const;
  std::string numeric(std::string_view core) const;
  std::optional<std::string> domain(std::string_view core) const;
  std::string word(std::string_view core) const;
  std::string parts(std::string_view core, char sep, const std::string& joiner) const;
  std::string symbols(std::string_view core) const;

  const LanguageData& lang_;
  const Lexicon& lexicon_;
  NumberReader numbers_;
  std::map<std::string, std::string> folded_abbreviations_;
  std::vector<std::string> currency_order_;  // longest first: "US$" before "$"
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

std::string NormalizerImpl::spell(std::string_view letters) const {
  std::string out;
  for (std::size_t pos = 0; pos < letters.size();) {
    std::string one;
    utf8::append(one, utf8::toLower(utf8::next(letters, pos)));
    const auto it = lang_.letters.find(one);
    add(out, it == lang_.letters.end() ? one : it->second);
  }
  return out;
}

// An all-capital word: listed as a word, listed as spelled, else spelled
// unless it is long and has vowels enough to be said ("JAKARTA", "ASEAN").
std::string NormalizerImpl::acronym(const std::string& word) const {
  const std::string lower = utf8::toLower(word);
  if (contains(lang_.acronym_words, word)) return lower;
  if (contains(lang_.acronym_spelled, word)) return spell(word);
  const std::size_t length = utf8::length(word);
  if (length < kAcronymWordMinLength) return spell(word);
  std::size_t vowels = 0, run = 0, longest_run = 0;
  for (char c : lower) {
    const bool vowel = std::string_view("aeiou").find(c) != std::string_view::npos;
    vowels += vowel;
    run = vowel ? 0 : run + 1;
    longest_run = std::max(longest_run, run);
  }
  // Indonesian words alternate consonants and vowels; "RAPBN" does not.
  const bool sayable = vowels >= 2 && vowels * 10 >= length * 3 && longest_run <= 3;
  return sayable ? lower : spell(word);
}

// d/m/yyyy, d/m, d-m-yyyy, yyyy-mm-dd. Only real dates: 35/13/2025 is not one.
std::optional<std::string> NormalizerImpl::date(std::string_view core) const {
  const char sep = core.find('/') != std::string_view::npos ? '/' : '-';
  const std::vector<std::string_view> p = split(core, sep);
  if (p.size() < 2 || p.size() > 3 || !std::all_of(p.begin(), p.end(), [](auto s) { return allDigits(s); }))
    return std::nullopt;
  if (sep == '-' && p.size() == 2) return std::nullopt;  // a range: 40-80
  std::string_view d = p[0], m = p[1], y = p.size() == 3 ? p[2] : std::string_view();
  if (p.size() == 3 && p[0].size() == 4) d = p[2], y = p[0];  // ISO
  if (d.size() > 2 || m.size() > 2 || !(y.empty() || y.size() == 2 || y.size() == 4)) return std::nullopt;
  const int day = std::stoi(std::string(d)), month = std::stoi(std::string(m));
  std::optional<long> year;
  if (!y.empty()) year = std::stol(std::string(y));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(month, y.size() == 4 ? year : std::nullopt))
    return std::nullopt;
  std::string out = numbers_.cardinal(static_cast<std::uint64_t>(day));
  add(out, lang_.calendar.months[static_cast<std::size_t>(month - 1)]);
  if (year) add(out, numbers_.cardinal(static_cast<std::uint64_t>(*year)));
  return out;
}

// 10.00 -> "sepuluh", 08.30 -> "delapan tiga puluh", 08.05 -> "delapan nol lima".
std::optional<std::string> NormalizerImpl::time(std::string_view core) const {
  const auto sep = core.find_first_of(".:");
  if (sep == std::string_view::npos || sep == 0 || sep > 2 || core.size() != sep + 3) return std::nullopt;
  const std::string_view h = core.substr(0, sep), m = core.substr(sep + 1);
  if (!allDigits(h) || !allDigits(m)) return std::nullopt;
  const int hour = std::stoi(std::string(h)), minute = std::stoi(std::string(m));
  if (hour > 24 || minute > 59 || (hour == 24 && minute > 0)) return std::nullopt;
  std::string out = numbers_.cardinal(static_cast<std::uint64_t>(hour));
  if (minute >= 10) add(out, numbers_.cardinal(static_cast<std::uint64_t>(minute)));
  else if (minute > 0) add(out, numbers_.digits(m));
  return out;
}

// A token starting with a digit (or "-" and a digit).
std::string NormalizerImpl::numeric(std::string_view core) const {
  if (core.front() == '-') {
    std::string out = lang_.numbers.minus;
    add(out, numeric(core.substr(1)));
    return out;
  }
  if (core.find_first_of("/-") != std::string_view::npos) {
    if (auto d = date(core)) return *d;
  }
  if (auto t = time(core)) return *t;
  // Digit groups with a leading zero or more than two: a phone number, said digit by digit.
  if (const auto groups = split(core, '-'); groups.size() > 1 &&
      std::all_of(groups.begin(), groups.end(), [](auto g) { return allDigits(g); }) &&
      (groups.size() > 2 || std::any_of(groups.begin(), groups.end(), [](auto g) { return g.size() > 1 && g[0] == '0'; }))) {
    std::string out;
    for (auto g : groups) out += (out.empty() ? "" : ", ") + numbers_.digits(g);
    return out;
  }
  // A range of numbers or times: "40-80", "08.00-14.00".
  if (const auto dash = core.find('-'); dash != std::string_view::npos && dash > 0 && dash + 1 < core.size() &&
                                        isAsciiDigit(core[dash - 1]) && isAsciiDigit(core[dash + 1])) {
    std::string out = numeric(core.substr(0, dash));
    add(out, lang_.numbers.range);
    add(out, numeric(core.substr(dash + 1)));
    return out;
  }
  // The number itself: digits with '.' and ',' inside, not at its end.
  std::size_t end = 0;
  while (end < core.size() && (isAsciiDigit(core[end]) || core[end] == '.' || core[end] == ',')) ++end;
  while (end > 0 && !isAsciiDigit(core[end - 1])) --end;
  std::string out = number(core.substr(0, end));
  const std::string_view rest = core.substr(end);
  if (rest.empty()) return out;
  if (rest == ",-" || rest == ".-" || rest == ",--") return out;  // Rp750.000,-
  if (rest[0] == '-' && rest.size() > 1) {
    const std::string_view after = rest.substr(1);
    if (after == lang_.numbers.plural_suffix) return out + lang_.numbers.plural_suffix;  // 1990-an
    add(out, word(after));
    return out;
  }
  if (rest[0] == '/' && rest.size() > 1) {
    const std::string_view after = rest.substr(1);
    if (const std::string* u = unit(after)) {
      add(out, lang_.per);  // 6.500/kg
      add(out, *u);
    } else if (isAsciiDigit(after[0])) {
      add(out, symbol("/"));
      add(out, numeric(after));
    } else {
      add(out, word(after));
    }
    return out;
  }
  if (const std::string* u = unit(rest)) {
    add(out, *u);
    return out;
  }
  add(out, word(rest));  // 4G, 3D
  return out;
}

// mitratoday.com, www.site.co.id, https://site.id/path, redaksi@site.id
std::optional<std::string> NormalizerImpl::domain(std::string_view core) const {
  std::string_view s = core;
  bool url = false;
  if (const auto scheme = s.find("://"); scheme != std::string_view::npos) {
    s.remove_prefix(scheme + 3);
    url = true;
  }
  if (const auto slash = s.find('/'); slash != std::string_view::npos) {
    if (!url && s.substr(0, slash).find('.') == std::string_view::npos) return std::nullopt;
    s = s.substr(0, slash);  // the path is an address, not something to read
    url = true;
  }
  std::string_view user;
  if (const auto at = s.find('@'); at != std::string_view::npos) {
    user = s.substr(0, at);
    s.remove_prefix(at + 1);
  }
  const std::vector<std::string_view> labels = split(s, '.');
  if (labels.size() < 2) return std::nullopt;
  for (auto l : labels)
    if (l.empty() || (!hasLetter(l) && !allDigits(l))) return std::nullopt;
  if (!url && user.empty() && !contains(lang_.domain_suffixes, labels.back())) return std::nullopt;
  std::string out;
  if (!user.empty()) {
    add(out, parts(user, '.', symbol(".")));
    add(out, symbol("@"));
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) add(out, symbol("."));
    // Lower case: "KOMPAS.com" is a name, not letters to spell.
    const std::string label = utf8::toLower(labels[i]);
    add(out, word(label));
  }
  return out;
}

// Parts of a word split at `sep`, each read as a word. Hyphenated plain words
// keep their hyphen ("anak-anak"); anything read differently is spaced.
std::string NormalizerImpl::parts(std::string_view core, char sep, const std::string& joiner) const {
  std::string out;
  bool plain = sep == '-';
  std::vector<std::string> spoken;
  for (auto part : split(core, sep)) {
    if (part.empty()) continue;
    spoken.push_back(word(part));
    plain = plain && spoken.back() == part;
  }
  for (const std::string& s : spoken) {
    if (plain && !out.empty()) out += '-' + s;
    else {
      if (!out.empty()) add(out, joiner);
      add(out, s);
    }
  }
  return out;
}

// Letters and digits with symbols between them: each symbol by its name, if
// it has one; the runs as words.
std::string NormalizerImpl::symbols(std::string_view core) const {
  std::string out, run;
  auto flush = [&] {
    if (!run.empty()) add(out, word(run));
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
    add(out, symbol(std::string(core.substr(at, pos - at))));
  }
  flush();
  return out;
}

// One written word without surrounding punctuation, no context.
std::string NormalizerImpl::word(std::string_view view) const {
  const std::string core(view);
  if (core.empty()) return {};
  if (auto said = lexicon_.lookup(core)) return keepCapital(core, *said);
  if (auto tz = lang_.calendar.time_zones.find(core); tz != lang_.calendar.time_zones.end()) return tz->second;
  const std::string& prefix = lang_.numbers.ordinal_prefix;
  if (!prefix.empty() && core.size() > prefix.size() + 1 && equalsIgnoringCase(core.substr(0, prefix.size()), prefix) &&
      core[prefix.size()] == '-' && allDigits(core.substr(prefix.size() + 1))) {
    if (auto n = parseInteger(core.substr(prefix.size() + 1)); n && *n > 0 && *n <= numbers_.limit())
      return numbers_.ordinal(*n);  // ke-3
  }
  if (isAsciiDigit(core[0]) || (core.size() > 1 && core[0] == '-' && isAsciiDigit(core[1]))) return numeric(core);
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
      return spell(letters);
    }
    return parts(core, '.', "");
  }
  if (core.find('-') != std::string::npos) return parts(core, '-', "");
  if (core.find('/') != std::string::npos) return parts(core, '/', "");  // dan/atau
  if (allLetters(core)) {
    if (allUpper(core)) return acronym(core);
    return core;
  }
  if (hasDigit(core) && hasLetter(core)) {
    // G20, B29: letters and digits apart.
    std::string out, run;
    bool digits = false;
    for (std::size_t pos = 0; pos < core.size();) {
      const std::size_t at = pos;
      const char32_t cp = utf8::next(core, pos);
      const bool d = utf8::isDigit(cp);
      if (!run.empty() && (d != digits || !(d || utf8::isLetter(cp)))) {
        add(out, word(run));
        run.clear();
      }
      digits = d;
      if (d || utf8::isLetter(cp)) run.append(core.substr(at, pos - at));
      else add(out, symbols(core.substr(at, pos - at)));
    }
    if (!run.empty()) add(out, word(run));
    return out;
  }
  return symbols(core);
}

// Keeps letters, single spaces, word-inner hyphens, sentence punctuation and
// "[[...]]" phoneme spans; what is left of anything else becomes a space.
static std::string tidySpoken(const std::string& s) {
  std::string out;
  for (std::size_t pos = 0; pos < s.size();) {
    if (s.compare(pos, 2, "[[") == 0) {
      const auto end = s.find("]]", pos);
      if (end != std::string::npos) {
        out.append(s, pos, end + 2 - pos);
        pos = end + 2;
        continue;
      }
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
    } else if (cp == '-' && !out.empty() && out.back() != ' ' && pos < s.size() &&
               utf8::isLetter([&] { std::size_t p = pos; return utf8::next(s, p); }())) {
      out += '-';
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  // Space after punctuation, none at the ends.
  std::string spaced;
  for (std::size_t i = 0; i < out.size(); ++i) {
    spaced += out[i];
    const bool punct = out[i] == ',' || out[i] == '.' || out[i] == '?' || out[i] == '!';
    if (punct && i + 1 < out.size() && out[i + 1] != ' ') spaced += ' ';
  }
  while (!spaced.empty() && spaced.back() == ' ') spaced.pop_back();
  return spaced;
}

std::string NormalizerImpl::normalize(std::string_view written) const {
  const std::vector<Token> tokens = tokenize(utf8::plainTypography(written));
  std::string out;
  auto punctuation = [&](std::string_view trail, bool last) {
    if (trail.find('?') != std::string_view::npos) out += '?';
    else if (trail.find('!') != std::string_view::npos) out += '!';
    else if (trail.find("...") != std::string_view::npos) out += last ? '.' : ',';
    else if (trail.find('.') != std::string_view::npos) out += '.';
    else if (trail.find_first_of(",;:") != std::string_view::npos) out += ',';
  };
  std::string previous_core;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    const bool last = i + 1 == tokens.size();
    std::string trail = t.trail;
    const std::string& core = t.core;
    auto nextCore = [&](std::size_t k) -> const std::string* {
      return k < tokens.size() && tokens[k].lead.empty() ? &tokens[k].core : nullptr;
    };
    if (!core.empty() && core.find_first_not_of('-') == std::string::npos) {
      out += ',';  // a dash between clauses: a short pause
      continue;
    }
    if (core.empty()) {
      if (t.lead.empty() && t.trail.empty()) continue;
      punctuation(t.lead + t.trail, last);
      continue;
    }
    std::string spoken;
    bool numeric_value = false;
    // A currency written before an amount, in this token or the next.
    const std::string* currency = nullptr;
    std::string amount;
    for (const std::string& c : currency_order_) {
      if (core.compare(0, c.size(), c) != 0) continue;
      std::string_view rest = std::string_view(core).substr(c.size());
      if (!rest.empty() && rest[0] == '.') rest.remove_prefix(1);  // "Rp.5000"
      const std::string* next = nextCore(i + 1);
      const bool amount_next = rest.empty() && (trail.empty() || trail == ".") && next != nullptr &&
                               !next->empty() && isAsciiDigit((*next)[0]);
      if ((!rest.empty() && isAsciiDigit(rest[0])) || amount_next) {
        currency = &lang_.currencies.at(c);
        amount = std::string(rest);
        break;
      }
    }
    if (auto said = lexicon_.lookup(core)) {
      spoken = keepCapital(core, *said);
    } else if (const std::string* a = !trail.empty() && trail[0] == '.' ? abbreviation(core) : nullptr) {
      spoken = *a;  // the dot marks the abbreviation, unless it also ends the text
      if (!last) trail.erase(0, 1);
    } else if (!trail.empty() && trail[0] == '.' && utf8::length(core) == 1 && allUpper(core)) {
      spoken = spell(core);  // an initial
      if (!last) trail.erase(0, 1);
    } else if (currency != nullptr) {
      // Rp5.000, Rp 1,5 miliar: the amount, its scale word, then the currency.
      if (amount.empty()) {
        amount = tokens[++i].core;
        trail = tokens[i].trail;
      }
      std::string per_what;  // Rp6.500/kg
      if (const auto slash = amount.find('/'); slash != std::string::npos) {
        per_what = amount.substr(slash + 1);
        amount.resize(slash);
      }
      spoken = numeric(amount);
      const std::string* scale = trail.empty() ? nextCore(i + 1) : nullptr;
      if (scale != nullptr && isScaleWord(*scale)) {
        add(spoken, utf8::toLower(*scale));
        trail = tokens[++i].trail;
      }
      add(spoken, *currency);
      if (const std::string* u = unit(per_what)) {
        add(spoken, lang_.per);
        add(spoken, *u);
      } else {
        add(spoken, word(per_what));
      }
    } else if (allUpper(core) && contains(lang_.numbers.roman_after, previous_core) && romanValue(core) > 0) {
      spoken = numbers_.cardinal(static_cast<std::uint64_t>(romanValue(core)));  // Komisi IV
    } else {
      spoken = word(core);
      numeric_value = isAsciiDigit(core[0]) && isAsciiDigit(core.back());
    }
    // A unit after a number: "80 km", "12,5 %".
    if (numeric_value && trail.empty()) {
      const std::string* next = nextCore(i + 1);
      if (next != nullptr) {
        if (const std::string* u = unit(*next)) {
          add(spoken, *u);
          trail = tokens[++i].trail;
        }
      }
    }
    add(out, spoken);
    punctuation(trail, i + 1 == tokens.size());
    previous_core = tokens[i].core;
  }
  return tidySpoken(out);
}

Normalizer::Normalizer(LanguageData language, Lexicon lexicon, NormalizerOptions options)
    : language_(std::move(language)), lexicon_(std::move(lexicon)), options_(options) {
  for (const auto& [written, spoken] : language_.abbreviations)
    if (!contains(language_.sentence_final, written)) abbreviations_.push_back(written);
}

std::string Normalizer::normalize(std::string_view written) const {
  return NormalizerImpl(language_, lexicon_).normalize(written);
}

void Normalizer::normalize(std::vector<Segment>& segments) const {
  const NormalizerImpl impl(language_, lexicon_);
  for (Segment& s : segments) s.spoken = impl.normalize(s.text);
}

const std::vector<std::string>& Normalizer::abbreviations() const { return abbreviations_; }

}  // namespace warta::text
