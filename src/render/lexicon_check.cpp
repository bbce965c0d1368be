// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/lexicon_check.h"

#include <algorithm>
#include <map>
#include <set>

#include "text/reasons.h"
#include "text/utf8.h"

namespace warta::app {
namespace fs = std::filesystem;
using Source = text::TokenReport::Source;
namespace {

bool isPause(const text::TokenReport& r) { return r.source == Source::Plain && r.why == text::reason::kPause; }

bool endsSentence(const text::TokenReport& r) {
  return isPause(r) && (r.spoken == "." || r.spoken == "?" || r.spoken == "!");
}

// "Sumberjati", "Kalijambu": a capital, then a lower-case letter.
bool capitalized(std::string_view w) {
  std::size_t pos = 0;
  if (w.empty() || !text::utf8::isUpper(text::utf8::next(w, pos))) return false;
  return pos < w.size() && text::utf8::isLower(text::utf8::next(w, pos));
}

// The article's words, split at anything that is not a letter.
std::vector<std::string> lettersWords(std::string_view s) {
  std::vector<std::string> out;
  std::string run;
  for (std::size_t pos = 0; pos < s.size();) {
    const std::size_t at = pos;
    const char32_t cp = text::utf8::next(s, pos);
    if (text::utf8::isLetter(cp)) {
      run.append(s.substr(at, pos - at));
    } else if (!run.empty()) {
      out.push_back(std::move(run));
      run.clear();
    }
  }
  if (!run.empty()) out.push_back(std::move(run));
  return out;
}

int groupOf(Source s) {
  switch (s) {
    case Source::Guess:
    case Source::Plain:
      return 0;  // unknown names are guesses too
    case Source::Rule:
      return 1;
    case Source::Lexicon:
      return 2;
  }
  return 1;
}

const char* groupTitle(int group) {
  switch (group) {
    case 0:
      return "guesses: check these first";
    case 1:
      return "read by rules";
    default:
      return "from the lexicon";
  }
}

// "FILE:LINE" with FILE made relative to the working folder when it lies inside it.
std::string shortOrigin(const std::string& origin) {
  const auto colon = origin.rfind(':');
  if (colon == std::string::npos) return origin;
  const fs::path file = origin.substr(0, colon);
  std::error_code ec;
  const fs::path rel = fs::proximate(file, fs::current_path(ec), ec);
  if (ec || rel.empty() || *rel.begin() == "..") return origin;
  return rel.string() + origin.substr(colon);
}

std::string padded(const std::string& s, std::size_t width) {
  const std::size_t len = text::utf8::length(s);
  return len >= width ? s : s + std::string(width - len, ' ');
}

}  // namespace

std::vector<LexiconCheckRow> lexiconCheckRows(const fs::path& article, Narrator& narrator,
                                              const speech::VoiceProfile& voice) {
  const text::Normalizer& norm = narrator.normalizer(voice);
  // Three passes over the segments, made afresh each time from the parsed
  // article: a large article is never held as segments too.
  const text::Article written = text::readArticle(article, text::kMaxCheckedArticleBytes);

  // Words the article also writes in lower case are ordinary words, even
  // where a title or an institution's name capitalizes them ("Kesehatan").
  std::set<std::string> lower_words;
  narrator.eachSegment(written, voice, [&](text::Segment&& s) {
    for (const auto& w : lettersWords(s.text))
      if (text::utf8::toLower(w) == w) lower_words.insert(w);
  });
  std::set<std::string> calendar;
  for (const auto& w : norm.language().calendar.months) calendar.insert(text::utf8::toLower(w));
  for (const auto& w : norm.language().calendar.weekdays) calendar.insert(text::utf8::toLower(w));

  std::vector<LexiconCheckRow> rows;
  std::map<std::string, std::size_t> index;        // written -> row
  std::map<std::string, std::size_t> title_names;  // capitalized in a headline or subhead -> first line
  std::set<std::string> body_names;                // capitalized inside a body sentence
  auto record = [&](LexiconCheckRow row) {
    if (auto it = index.find(row.written); it != index.end()) {
      rows[it->second].line = std::min(rows[it->second].line, row.line);
      return;
    }
    index.emplace(row.written, rows.size());
    rows.push_back(std::move(row));
  };

  narrator.eachSegment(written, voice, [&](text::Segment&& segment) {
    const bool title = segment.kind == text::SegmentKind::Headline || segment.kind == text::SegmentKind::Subhead;
    const std::vector<text::TokenReport> reports = norm.explain(segment.text);
    bool sentence_start = true;
    std::size_t cursor = 0;  // where the previous token was found in segment.text
    for (const auto& r : reports) {
      if (isPause(r)) {
        sentence_start = sentence_start || endsSentence(r);
        continue;
      }
      // A token right after an opening quote starts quoted speech.
      bool quoted = false;
      if (const auto at = segment.text.find(r.written, cursor); at != std::string::npos) {
        const std::string_view before = std::string_view(segment.text).substr(0, at);
        quoted = (!before.empty() && (before.back() == '"' || before.back() == '\'')) || before.ends_with("\u201C") ||
                 before.ends_with("\u2018");
        cursor = at + r.written.size();
      }
      const bool at_start = sentence_start || quoted;
      sentence_start = false;
      LexiconCheckRow row{segment.line, r.written, r.spoken, r.source, r.why};
      if (r.source == Source::Plain) {
        if (at_start || !capitalized(r.written) || r.written.find(' ') != std::string::npos) continue;
        const std::string lower = text::utf8::toLower(r.written);
        if (lower_words.count(lower) || calendar.count(lower)) continue;
        if (norm.lexicon().find(r.written) != nullptr) continue;
        if (title) {
          auto [it, fresh] = title_names.emplace(r.written, segment.line);
          if (!fresh) it->second = std::min(it->second, segment.line);
          continue;
        }
        body_names.insert(r.written);
        row.why = "guess: unknown name, read as written";
      } else if (r.source == Source::Guess) {
        row.why = "guess: " + r.why;
      } else if (r.source == Source::Lexicon) {
        const text::LexiconEntry* entry = norm.lexicon().find(r.written);
        row.why = entry != nullptr && !entry->origin.empty() ? "lexicon " + shortOrigin(entry->origin) : "lexicon";
      } else {
        row.why = "rule: " + r.why;
      }
      record(std::move(row));
    }
  });
  // Words whose e's the letter-to-sound only guessed (fallback.yaml): an
  // editor adds them to a word list (or the lexicon) before air.
  if (const g2p::LetterToSound* g2p = narrator.letterToSound(voice))
    narrator.eachSegment(written, voice, [&](text::Segment&& segment) {
      for (const g2p::Reading& r : g2p->read(norm.normalize(segment.text)))
        if (r.by == g2p::DecidedBy::Fallback && r.spelling.hasE())
          record({segment.line, r.written, r.spelling.marked(), Source::Guess,
                  "guess: e by the fallback rules (" + r.why + ")"});
    });
  // A name first met in the headline is reported at the headline's line.
  for (const auto& [name, line] : title_names)
    if (body_names.count(name)) rows[index.at(name)].line = std::min(rows[index.at(name)].line, line);

  std::stable_sort(rows.begin(), rows.end(), [](const LexiconCheckRow& a, const LexiconCheckRow& b) {
    if (groupOf(a.source) != groupOf(b.source)) return groupOf(a.source) < groupOf(b.source);
    return a.line < b.line;
  });
  return rows;
}

int lexiconCheck(const std::vector<std::string>& articles, const speech::VoiceProfile& voice, std::ostream& out,
                 const std::vector<fs::path>& extra_lexicons) {
  Narrator narrator(extra_lexicons);
  bool first_file = true;
  for (const std::string& article : articles) {
    const std::vector<LexiconCheckRow> rows = lexiconCheckRows(article, narrator, voice);
    if (!first_file) out << '\n';
    first_file = false;
    std::size_t guesses = 0;
    std::size_t w_where = 0, w_written = 0, w_spoken = 0;
    for (const auto& row : rows) {
      guesses += groupOf(row.source) == 0;
      w_where = std::max(w_where, text::utf8::length(article + ":" + std::to_string(row.line)));
      w_written = std::max(w_written, text::utf8::length(row.written));
      w_spoken = std::max(w_spoken, text::utf8::length(row.spoken));
    }
    out << "# " << article << ": " << rows.size() << (rows.size() == 1 ? " token" : " tokens")
        << " not read as plain words, " << guesses << (guesses == 1 ? " guess" : " guesses") << '\n';
    int group = -1;
    for (const auto& row : rows) {
      if (groupOf(row.source) != group) {
        group = groupOf(row.source);
        out << "# " << groupTitle(group) << '\n';
      }
      out << padded(article + ":" + std::to_string(row.line), w_where) << "  " << padded(row.written, w_written)
          << "  ->  " << padded(row.spoken, w_spoken) << "  (" << row.why << ")\n";
    }
  }
  return 0;
}

}  // namespace warta::app
