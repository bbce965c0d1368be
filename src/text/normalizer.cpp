// SPDX-License-Identifier: GPL-3.0-or-later
// The normalizer: written Indonesian news text -> the words a newsreader says.
//
// One code path: NormalizerImpl::explain() walks the tokens and records, for
// each, what is said and why (a TokenReport); normalize() is those reports'
// spoken parts joined and tidied. The words all come from LanguageData
// (voices/<lang>/*.yaml) and the lexicon; the rules are in text/rules/ (the
// rule table: rules/walk.cpp). NormalizerImpl is built once per Normalizer.
#include "text/normalizer.h"

#include <algorithm>

#include "text/normalizer_detail.h"
#include "text/rules/rules.h"
#include "text/utf8.h"

namespace warta::text {
namespace rules {

NormalizerImpl::NormalizerImpl(LanguageData language, Lexicon lexicon, NormalizerOptions options)
    : lang_(std::move(language)), lexicon_(std::move(lexicon)), options_(options), numbers_(lang_.numbers) {
  const LanguageData& lang = lang_;
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

std::vector<TokenReport> NormalizerImpl::explain(std::string_view written) const {
  return Walk(*this, splitGlued(tokenize(prepare(written)))).run();
}

}  // namespace rules

using namespace detail;

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
               utf8::isLetter([&] {
                 std::size_t p = pos;
                 return utf8::next(s, p);
               }())) {
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
    : impl_(std::make_shared<const rules::NormalizerImpl>(std::move(language), std::move(lexicon), options)) {
  for (const auto& [written, spoken] : impl_->lang_.abbreviations)
    if (!contains(impl_->lang_.sentence_final, written)) abbreviations_.push_back(written);
}

std::string Normalizer::normalize(std::string_view written) const { return joinSpoken(impl_->explain(written)); }

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
  for (Segment& s : segments) {
    const std::vector<TokenReport> reports = impl_->explain(s.text);
    s.spoken = joinSpoken(reports);
    s.words = writtenWords(reports, s.spoken);
  }
}

std::vector<TokenReport> Normalizer::explain(std::string_view written) const { return impl_->explain(written); }

const NormalizerOptions& Normalizer::options() const { return impl_->options_; }
const LanguageData& Normalizer::language() const { return impl_->lang_; }
const Lexicon& Normalizer::lexicon() const { return impl_->lexicon_; }

const std::vector<std::string>& Normalizer::abbreviations() const { return abbreviations_; }

}  // namespace warta::text
