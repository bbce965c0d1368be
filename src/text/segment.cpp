// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/segment.h"

#include "text/utf8.h"

namespace warta::text {
namespace {

bool isTerminal(char32_t cp) { return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026; }

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && utf8::toLower(a) == utf8::toLower(b);
}

// "S.H", "a.n", "S.Pd": groups of at most three letters joined by dots.
bool isDottedAbbreviation(std::string_view word) {
  if (word.find('.') == std::string_view::npos) return false;
  std::size_t group = 0;
  for (std::size_t pos = 0; pos < word.size();) {
    const char32_t cp = utf8::next(word, pos);
    if (cp == '.') {
      if (group == 0) return false;
      group = 0;
    } else if (utf8::isLetter(cp)) {
      if (++group > 3) return false;
    } else {
      return false;
    }
  }
  return group > 0;
}

// Whether the '.' at `dot` ends a sentence, judging by the word it closes.
bool dotEndsSentence(std::string_view text, std::size_t dot, const std::vector<std::string>& abbreviations) {
  std::size_t begin = text.rfind(' ', dot == 0 ? 0 : dot - 1);
  begin = begin == std::string_view::npos ? 0 : begin + 1;
  std::string_view word = text.substr(begin, dot - begin);
  // Opening quotes and brackets are not part of the word.
  while (!word.empty()) {
    std::size_t pos = 0;
    const char32_t cp = utf8::next(word, pos);
    if (!(utf8::isOpeningQuote(cp) || cp == '(' || cp == '[')) break;
    word.remove_prefix(pos);
  }
  if (word.empty() || word.back() == '.') return true;  // an ellipsis "..."
  for (const std::string& a : abbreviations)
    if (word == a || equalsIgnoringCase(word, a)) return false;
  std::size_t pos = 0;
  const char32_t first = utf8::next(word, pos);
  if (pos == word.size() && utf8::isUpper(first)) return false;  // an initial: "Susilo B. Yudhoyono"
  return !isDottedAbbreviation(word);
}

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

// Pieces of a sentence longer than kMaxSentenceChars, cut after the last ", "
// that leaves a piece of at least half the limit, else at the last space:
// eSpeak and the normalizer grow far worse than linearly on one long run.
std::vector<std::string> splitLong(const std::string& sentence) {
  std::vector<std::string> pieces;
  std::string_view rest = sentence;
  for (;;) {
    // The byte where the limit falls; counted from here each time (measuring
    // the whole rest for every piece was quadratic).
    std::size_t limit = 0;
    for (std::size_t n = 0; n < kMaxSentenceChars && limit < rest.size(); ++n) utf8::next(rest, limit);
    if (limit >= rest.size()) break;  // the rest fits
    std::size_t cut = std::string_view::npos;
    const std::size_t comma = rest.substr(0, limit).rfind(", ");
    if (comma != std::string_view::npos && comma >= limit / 2) cut = comma + 1;
    else if (const std::size_t space = rest.substr(0, limit + 1).rfind(' ');
             space != std::string_view::npos && space > 0)
      cut = space;
    else cut = limit;  // no space at all (words are capped, so this is rare): cut between characters
    pieces.push_back(trim(rest.substr(0, cut)));
    rest.remove_prefix(cut);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  }
  if (!rest.empty() || pieces.empty()) pieces.push_back(std::string(rest));
  return pieces;
}

}  // namespace

const char* kindName(SegmentKind kind) {
  switch (kind) {
    case SegmentKind::Headline:
      return "headline";
    case SegmentKind::Dateline:
      return "dateline";
    case SegmentKind::Subhead:
      return "subhead";
    case SegmentKind::Sentence:
      return "sentence";
  }
  return "sentence";
}

std::vector<std::string> splitSentences(std::string_view text, const std::vector<std::string>& abbreviations) {
  std::vector<std::string> sentences;
  std::size_t start = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t at = pos;
    const char32_t cp = utf8::next(text, pos);
    if (!isTerminal(cp)) continue;
    // Take in further marks and closing quotes or brackets: `?!`, `."`, `.)`.
    std::size_t end = pos;
    while (end < text.size()) {
      std::size_t q = end;
      const char32_t c = utf8::next(text, q);
      if (!(isTerminal(c) || utf8::isClosingQuote(c) || c == ')' || c == ']')) break;
      end = q;
    }
    if (end >= text.size() || text[end] != ' ') continue;  // 10.00, 2,5, mitratoday.com
    std::size_t following = end;
    while (following < text.size() && text[following] == ' ') ++following;
    if (following == text.size()) break;
    std::size_t q = following;
    const char32_t next = utf8::next(text, q);
    if (utf8::isLower(next)) continue;  // "dll. yang", "dr. ahmad": not a new sentence
    if (cp == '.' && !dotEndsSentence(text, at, abbreviations)) continue;
    sentences.push_back(trim(text.substr(start, end - start)));
    start = following;
    pos = following;
  }
  if (std::string last = trim(text.substr(start)); !last.empty()) sentences.push_back(std::move(last));
  return sentences;
}

std::vector<Segment> segmentArticle(const Article& article, const Pauses& pauses,
                                    const std::vector<std::string>& abbreviations, bool keep_dateline_source) {
  std::vector<Segment> segments;
  forEachSegment(article, pauses, abbreviations, keep_dateline_source,
                 [&](Segment&& s) { segments.push_back(std::move(s)); });
  return segments;
}

void forEachSegment(const Article& article, const Pauses& pauses, const std::vector<std::string>& abbreviations,
                    bool keep_dateline_source, const std::function<void(Segment&&)>& emit) {
  auto add = [&](SegmentKind kind, std::string text, double pause, std::size_t line, bool ends_paragraph) {
    Segment s;
    s.kind = kind;
    s.text = std::move(text);
    s.pause_after = pause;
    s.line = line;
    s.ends_paragraph = ends_paragraph;
    emit(std::move(s));
  };
  if (!article.headline.empty())
    add(SegmentKind::Headline, article.headline, pauses.headline, article.headline_line, false);
  if (!article.dateline_place.empty()) {
    std::string text = article.dateline_place;
    if (keep_dateline_source && !article.dateline_source.empty()) text += ", " + article.dateline_source;
    const std::size_t line = article.blocks.empty() ? article.headline_line : article.blocks.front().line;
    add(SegmentKind::Dateline, std::move(text), pauses.dateline, line, false);
  }
  for (const Block& block : article.blocks) {
    if (block.kind == Block::Kind::Subhead) {
      std::vector<std::string> pieces = splitLong(block.text);
      for (std::size_t k = 0; k + 1 < pieces.size(); ++k)
        add(SegmentKind::Subhead, std::move(pieces[k]), kLongSentenceBreak, block.line, false);
      add(SegmentKind::Subhead, std::move(pieces.back()), pauses.subhead, block.line, false);
      continue;
    }
    const std::vector<std::string> sentences = splitSentences(block.text, abbreviations);
    for (std::size_t i = 0; i < sentences.size(); ++i) {
      const bool last = i + 1 == sentences.size();
      std::vector<std::string> pieces = splitLong(sentences[i]);
      for (std::size_t k = 0; k + 1 < pieces.size(); ++k)
        add(SegmentKind::Sentence, std::move(pieces[k]), kLongSentenceBreak, block.line, false);
      add(SegmentKind::Sentence, std::move(pieces.back()), last ? pauses.paragraph : pauses.sentence, block.line, last);
    }
  }
}

}  // namespace warta::text
