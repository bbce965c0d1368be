// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/article.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "text/date.h"
#include "text/utf8.h"

namespace warta::text {
namespace {

// Subheads are short: a longer unpunctuated line is more likely a paragraph
// whose writer forgot the full stop.
constexpr std::size_t kSubheadMaxChars = 70;
// Datelines and editor codes are short; longer matches are running text.
constexpr std::size_t kDatelinePartMaxChars = 40;
constexpr std::size_t kDatelineMaxWords = 4;
constexpr std::size_t kEditorCodeMaxChars = 30;
// Credit lines ("Laporan: Nama"): a one-word label and a name of a few words.
constexpr std::size_t kCreditLabelMaxChars = 12;
constexpr std::size_t kCreditMaxWords = 6;

std::string displayName(const std::filesystem::path& path) { return path.empty() ? "<text>" : path.string(); }

// One physical line, tidied: odd spaces become ' ', zero-width characters go,
// runs of spaces collapse, ends trimmed. Quotes and dashes stay as written.
std::string tidy(std::string_view line) {
  std::string out;
  out.reserve(line.size());  // never longer than the line: no doubling slack per line
  bool space = false;
  for (std::size_t pos = 0; pos < line.size();) {
    const char32_t cp = utf8::next(line, pos);
    if (utf8::isZeroWidth(cp)) continue;
    if (utf8::isSpace(cp)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ', space = false;
    utf8::append(out, cp);
  }
  return out;
}

// A non-blank line. Blank lines are not stored (a file of newlines would
// otherwise cost 40 bytes each); the one after them says so.
struct Line {
  std::string text;
  std::size_t number = 0;
  bool after_blank = false;
};

std::vector<Line> splitLines(std::string_view content, const std::string& name) {
  std::vector<Line> lines;
  std::size_t number = 1;
  bool blank = false;
  std::size_t start = 0;
  auto take = [&](std::size_t end) {
    const std::string_view raw = content.substr(start, end - start);
    if (utf8::length(raw) > kMaxLineChars)
      throw TextError(name + ":" + std::to_string(number) + ": line is " + std::to_string(utf8::length(raw)) +
                      " characters long; the limit is " + std::to_string(kMaxLineChars) +
                      " (break it into paragraphs)");
    std::string text = tidy(raw);
    if (text.empty()) blank = true;
    else lines.push_back({std::move(text), number, blank}), blank = false;
  };
  for (std::size_t i = 0; i < content.size(); ++i) {
    const char c = content[i];
    if (c == '\r' || c == '\n') {
      take(i);
      ++number;
      if (c == '\r' && i + 1 < content.size() && content[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < content.size()) take(content.size());
  return lines;
}

// Refuses a word (a run without spaces) longer than kMaxWordChars: eSpeak and
// the normalizer would spend gigabytes on it, and no news word is that long.
void checkWords(std::string_view text, const std::string& name, std::size_t line) {
  std::size_t run = 0, word = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t at = pos;
    const char32_t cp = utf8::next(text, pos);
    if (cp == ' ') {
      run = 0;
      continue;
    }
    if (run++ == 0) word = at;
    if (run > kMaxWordChars) {
      std::string start;  // the word's first characters, whole code points
      for (std::size_t p = word, n = 0; n < 20; ++n) utf8::append(start, utf8::next(text, p));
      throw TextError(name + ":" + std::to_string(line) + ": a word is longer than " + std::to_string(kMaxWordChars) +
                      " characters (" + start + "...); shorten it or put spaces in it");
    }
  }
}

// A group of consecutive non-blank lines; Markdown headings are their own group.
struct Group {
  std::vector<std::string> lines;
  std::size_t line = 0;
  int heading = 0;  // Markdown heading level, 0 for text
};

std::string join(const std::vector<std::string>& lines, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    if (!out.empty()) out += ' ';
    out += lines[i];
  }
  return out;
}

bool endsWithAny(std::string_view s, std::string_view chars) {
  return !s.empty() && chars.find(s.back()) != std::string_view::npos;
}

// Final punctuation, looking through closing quotes and brackets: `katanya."`.
bool hasFinalPunctuation(std::string_view s) {
  std::size_t pos = s.size();
  while (pos > 0) {
    std::size_t p = pos;
    const char32_t cp = utf8::previous(s, p);
    if (utf8::isClosingQuote(cp) || cp == ')' || cp == ']') {
      pos = p;
      continue;
    }
    return cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == ';' || cp == 0x2026;
  }
  return false;
}

std::size_t countWords(std::string_view s) {
  std::size_t n = 0;
  bool in = false;
  for (char c : s) {
    if (c == ' ') in = false;
    else if (!in) in = true, ++n;
  }
  return n;
}

bool isDatelinePlace(std::string_view s) {
  if (s.empty() || utf8::length(s) > kDatelinePartMaxChars || countWords(s) > kDatelineMaxWords) return false;
  std::size_t pos = 0;
  if (!utf8::isUpper(utf8::next(s, pos))) return false;
  while (pos < s.size()) {
    const char32_t cp = utf8::next(s, pos);
    if (!(utf8::isLetter(cp) || cp == ' ' || cp == '.' || cp == '-' || cp == '\'')) return false;
  }
  return true;
}

// A site ("mitratoday.com") or an agency ("ANTARA", "Antara News").
bool isDatelineSource(std::string_view s) {
  if (s.empty() || utf8::length(s) > kDatelinePartMaxChars || countWords(s) > kDatelineMaxWords) return false;
  std::size_t pos = 0;
  const char32_t first = utf8::next(s, pos);
  const bool domain_like = s.find('.') != std::string_view::npos && s.find(' ') == std::string_view::npos;
  if (!utf8::isUpper(first) && !domain_like) return false;
  if (!(utf8::isLetter(first) || utf8::isDigit(first))) return false;
  return !endsWithAny(s, ",;:!?");
}

struct Dateline {
  std::string place, source, rest;
};

// "Kota Blitar, mitratoday.com – Hujan ..." or "JAKARTA (ANTARA) - ...".
std::optional<Dateline> splitDateline(const std::string& text) {
  // The first dash standing alone: " – ", " — ", " - ", " -- " (or at the end).
  std::size_t pos = 0;
  while (pos < text.size() && pos < 120) {
    std::size_t start = pos;
    const char32_t cp = utf8::next(text, pos);
    if (!(utf8::isDash(cp) || cp == '-')) continue;
    std::size_t end = pos;
    while (end < text.size() && text[end] == '-') ++end;  // "--"
    const bool spaced_before = start > 0 && text[start - 1] == ' ';
    const bool spaced_after = end == text.size() || text[end] == ' ';
    if (!spaced_after || (!spaced_before && cp == '-')) continue;
    std::string head = text.substr(0, start);
    while (!head.empty() && head.back() == ' ') head.pop_back();
    std::string rest = end < text.size() ? text.substr(end + 1) : std::string();
    Dateline d;
    if (const auto comma = head.find(", "); comma != std::string::npos) {
      d.place = head.substr(0, comma);
      d.source = head.substr(comma + 2);
    } else if (head.size() > 2 && head.back() == ')' && head.find(" (") != std::string::npos) {
      const auto open = head.rfind(" (");
      d.place = head.substr(0, open);
      d.source = head.substr(open + 2, head.size() - open - 3);
    } else {
      return std::nullopt;
    }
    if (!isDatelinePlace(d.place) || !isDatelineSource(d.source)) return std::nullopt;
    d.rest = std::move(rest);
    return d;
  }
  return std::nullopt;
}

// "ant/red", "Adv/Novi/Kmf", "idr", "OL-8", "*": an editor's code, not news.
bool isEditorCode(std::string inner) {
  std::string code;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    const char c = inner[i];
    if (c == ' ') {
      const bool near_slash = (i > 0 && inner[i - 1] == '/') || (i + 1 < inner.size() && inner[i + 1] == '/');
      const bool at_edge = code.empty() || i + 1 == inner.size();
      if (near_slash || at_edge) continue;
      return false;
    }
    code += c;
  }
  if (code.empty() || code.size() > kEditorCodeMaxChars) return false;
  if (code.find_first_not_of('*') == std::string::npos) return true;
  bool letter = false;
  for (char c : code) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u)) letter = true;
    else if (!std::isdigit(u) && c != '/' && c != '-' && c != '.') return false;
  }
  return letter;
}

// The editor code closing `text`, as [start, end): "(ant/red)" or "[idr]".
std::optional<std::size_t> trailingEditorCode(const std::string& text) {
  if (text.size() < 3) return std::nullopt;
  const char close = text.back();
  const char open = close == ')' ? '(' : close == ']' ? '[' : '\0';
  if (open == '\0') return std::nullopt;
  const auto start = text.rfind(open);
  if (start == std::string::npos || !isEditorCode(text.substr(start + 1, text.size() - start - 2))) return std::nullopt;
  return start;
}

void dropEditorCodes(std::vector<Block>& blocks) {
  while (!blocks.empty()) {
    const auto start = trailingEditorCode(blocks.back().text);
    if (start && *start == 0) {
      blocks.pop_back();
      continue;
    }
    if (start) {
      // Only after a finished sentence: "... meningkat. (ant/red)".
      std::string before = blocks.back().text.substr(0, *start);
      while (!before.empty() && before.back() == ' ') before.pop_back();
      if (hasFinalPunctuation(before)) blocks.back().text = before;
    }
    break;
  }
}

// "Laporan: Maria Goreti", "Editor: Budi": a credit line of its own, not
// news. One capitalised label word, a colon, a short name, no final
// punctuation.
bool isCreditLine(const Group& group) {
  if (group.lines.size() != 1 || group.heading != 0) return false;
  const std::string& line = group.lines.front();
  const auto colon = line.find(": ");
  if (colon == std::string::npos || colon == 0 || colon > kCreditLabelMaxChars) return false;
  const std::string_view label(line.data(), colon);
  std::size_t pos = 0;
  if (!utf8::isUpper(utf8::next(label, pos))) return false;
  while (pos < label.size())
    if (!utf8::isLetter(utf8::next(label, pos))) return false;
  const std::string_view name = std::string_view(line).substr(colon + 2);
  if (name.empty() || countWords(name) > kCreditMaxWords || hasFinalPunctuation(name)) return false;
  pos = 0;
  return utf8::isUpper(utf8::next(name, pos));
}

// --- Markdown ---------------------------------------------------------------

bool isWordByte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80) != 0; }

// Inline Markdown to plain text: links and images, emphasis, code spans.
std::string plainInline(const std::string& s) {
  std::string out;
  // The next ']' and ')' at or after a position, remembered: searching afresh
  // for each '[' made "[[[[..." quadratic.
  std::size_t bracket_from = 0, bracket_at = std::string::npos;
  std::size_t paren_from = 0, paren_at = std::string::npos;
  bool bracket_known = false, paren_known = false;
  auto next = [&s](char c, std::size_t from, std::size_t& known_from, std::size_t& known_at, bool& known) {
    if (!known || from < known_from || (known_at != std::string::npos && from > known_at)) {
      known_at = s.find(c, from);
      known_from = from;
      known = true;
    }
    return known_at;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && std::ispunct(static_cast<unsigned char>(s[i + 1]))) {
      out += s[++i];
      continue;
    }
    const bool image = c == '!' && i + 1 < s.size() && s[i + 1] == '[';
    if (c == '[' || image) {
      const std::size_t open = image ? i + 1 : i;
      const auto close = next(']', open, bracket_from, bracket_at, bracket_known);
      if (close != std::string::npos && close + 1 < s.size() && s[close + 1] == '(') {
        const auto end = next(')', close, paren_from, paren_at, paren_known);
        if (end != std::string::npos) {
          if (!image) out += plainInline(s.substr(open + 1, close - open - 1));
          i = end;
          continue;
        }
      }
    }
    if (c == '*' || c == '`') continue;
    if (c == '_') {
      const bool inside = i > 0 && i + 1 < s.size() && isWordByte(s[i - 1]) && isWordByte(s[i + 1]);
      if (!inside) continue;
    }
    out += c;
  }
  return tidy(out);
}

int headingLevel(const std::string& line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == '#') ++n;
  if (n == 0 || n > 6 || (n < line.size() && line[n] != ' ')) return 0;
  return static_cast<int>(n);
}

bool isRule(const std::string& line) {
  if (line.size() < 3) return false;
  const char c = line[0];
  if (c != '-' && c != '*' && c != '_') return false;
  for (char x : line)
    if (x != c && x != ' ') return false;
  return true;
}

// The text of a list item without its bullet, or nullopt.
std::optional<std::string> listItem(const std::string& line) {
  if (line.size() > 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') return line.substr(2);
  std::size_t n = 0;
  while (n < line.size() && std::isdigit(static_cast<unsigned char>(line[n]))) ++n;
  if (n > 0 && n < 4 && n + 1 < line.size() && (line[n] == '.' || line[n] == ')') && line[n + 1] == ' ')
    return line.substr(n + 2);
  return std::nullopt;
}

std::string unquote(std::string v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
  return v;
}

struct Source {
  std::vector<Group> groups;
  std::string title;  // from front matter
};

Source markdownGroups(const std::vector<Line>& lines, Article& article, const std::string& name) {
  Source src;
  std::size_t i = 0;
  while (i < lines.size() && lines[i].text.empty()) ++i;
  if (i < lines.size() && lines[i].text == "---") {
    const std::size_t opened = lines[i].number;
    ++i;
    for (;; ++i) {
      if (i == lines.size())
        throw TextError(name + ":" + std::to_string(opened) + ":1: front matter opened with '---' is never closed");
      const std::string& l = lines[i].text;
      if (l == "---" || l == "...") break;
      const auto colon = l.find(':');
      if (l.empty() || l[0] == '#' || colon == std::string::npos) continue;
      std::string key = tidy(l.substr(0, colon));
      const std::string value = unquote(tidy(l.substr(colon + 1)));
      if (key == "title") src.title = value;
      else if (key == "date") {
        // A date in the ISO shape must be a real one (2025-02-31 is a typo to
        // report, not to keep); other forms ("11 Juni 2025") are kept as written.
        if (looksLikeIsoDate(value) && !parseIsoDatePrefix(value))
          throw TextError(name + ":" + std::to_string(lines[i].number) + ":" +
                          std::to_string(l.find_first_not_of(" \t", colon + 1) + 1) +
                          ": front matter 'date' must be a real date written YYYY-MM-DD, not '" + value + "'");
        article.date = value;
      } else if (key == "source") article.source = value;
      else if (key == "author") article.author = value;
      else if (key == "url") article.url = value;
      // Other keys (tags, slug ...) carry nothing to read aloud.
    }
    ++i;
  }
  Group* open = nullptr;
  for (; i < lines.size(); ++i) {
    std::string text = lines[i].text;
    const std::size_t number = lines[i].number;
    if (lines[i].after_blank) open = nullptr;
    if (isRule(text)) {
      open = nullptr;
      continue;
    }
    // Quote marks ("> > text"), all taken off at once: one at a time copied
    // the rest of the line for each.
    std::size_t quoted = 0;
    while (quoted < text.size() && (text[quoted] == '>' || (quoted > 0 && text[quoted] == ' '))) ++quoted;
    if (quoted > 0) {
      while (quoted > 0 && text[quoted - 1] != '>') --quoted;
      text = tidy(std::string_view(text).substr(quoted));
    }
    if (const int level = headingLevel(text)) {
      std::string heading = text.substr(static_cast<std::size_t>(level));
      while (!heading.empty() && (heading.back() == '#' || heading.back() == ' ')) heading.pop_back();
      src.groups.push_back({{plainInline(heading)}, number, level});
      checkWords(src.groups.back().lines.front(), name, number);
      open = nullptr;
      continue;
    }
    if (const auto item = listItem(text)) {
      src.groups.push_back({{plainInline(*item)}, number, 0});
      checkWords(src.groups.back().lines.front(), name, number);
      open = &src.groups.back();
      continue;
    }
    if (open == nullptr) {
      src.groups.push_back({{}, number, 0});
      open = &src.groups.back();
    }
    open->lines.push_back(plainInline(text));
    checkWords(open->lines.back(), name, number);
  }
  return src;
}

// Consumes `lines`: each line's text moves into its group, so the article's
// text is held once.
std::vector<Group> textGroups(std::vector<Line>&& lines, const std::string& name) {
  std::vector<Group> groups;
  bool open = false;
  for (Line& l : lines) {
    checkWords(l.text, name, l.number);
    if (l.after_blank) open = false;
    if (!open) groups.push_back({{}, l.number, 0});
    groups.back().lines.push_back(std::move(l.text));
    open = true;
  }
  std::vector<Line>().swap(lines);
  return groups;
}

bool looksLikeMarkdown(const std::filesystem::path& path, std::string_view content) {
  const std::string ext = path.extension().string();
  if (ext == ".md" || ext == ".markdown" || ext == ".MD") return true;
  const auto first = content.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && content.substr(first, 3) == "---" &&
         (content.size() == first + 3 || content[first + 3] == '\n' || content[first + 3] == '\r');
}

}  // namespace

namespace {

// The file's checks and its lines: the first phase of parsing, after which
// the file's bytes are no longer needed.
struct Lines {
  std::vector<Line> lines;
  bool markdown = false;
};

Lines readLines(std::string_view content, const std::filesystem::path& path, const std::string& name,
                std::size_t max_bytes) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  if (const auto bad = utf8::findInvalid(content)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", bad->byte);
    throw TextError(name + ":" + std::to_string(bad->line) + ":" + std::to_string(bad->column) +
                    ": invalid UTF-8 (byte " + hex + "); save the file as UTF-8");
  }
  if (content.size() > max_bytes)
    throw TextError(name + ": article is " + std::to_string(content.size() / 1024) + " KB; the limit is " +
                    std::to_string(max_bytes / 1024) + " KB (split it into several stories)");
  return {splitLines(content, name), looksLikeMarkdown(path, content)};
}

Article parseLines(Lines&& read, const std::filesystem::path& path, const std::string& name) {
  Article article;
  article.path = path;
  const bool markdown = read.markdown;
  Source src;
  if (markdown) {
    src = markdownGroups(read.lines, article, name);
    std::vector<Line>().swap(read.lines);
  } else {
    src.groups = textGroups(std::move(read.lines), name);
  }

  std::vector<Group>& groups = src.groups;
  std::size_t first_body = 0;
  if (!src.title.empty()) {
    article.headline = src.title;
    article.headline_line = 1;
  } else if (markdown) {
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (groups[g].heading == 1) {
        article.headline = join(groups[g].lines);
        article.headline_line = groups[g].line;
        groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(g));
        break;
      }
    }
  }
  if (article.headline.empty() && !groups.empty()) {
    // Plain text: the first non-empty line; the rest of its group opens the body.
    Group& g = groups.front();
    article.headline = g.lines.front();
    article.headline_line = g.line;
    g.lines.erase(g.lines.begin());
    ++g.line;
    if (g.lines.empty()) first_body = 1;
  }
  if (article.headline.empty()) throw TextError(name + ": article is empty: there is no text in it");
  if (const std::size_t n = utf8::length(article.headline); n > kMaxHeadlineChars)
    throw TextError(name + ":" + std::to_string(article.headline_line) + ": headline is " + std::to_string(n) +
                    " characters long; the limit is " + std::to_string(kMaxHeadlineChars) +
                    " (is a paragraph standing as the headline? put a short title first)");

  // Credit lines right after the headline or closing the article are not read.
  while (first_body < groups.size() && isCreditLine(groups[first_body])) ++first_body;
  while (groups.size() > first_body && isCreditLine(groups.back())) groups.pop_back();
  bool first = true;
  for (std::size_t g = first_body; g < groups.size(); ++g) {
    Group& group = groups[g];
    std::string text = join(group.lines);
    const std::size_t line_count = group.lines.size();
    std::vector<std::string>().swap(group.lines);                  // its text now lives in `text`
    if (group.heading == 1 && text == article.headline) continue;  // the title repeated as "# ..."
    if (text.empty()) continue;
    Block block;
    block.line = group.line;
    if (first && group.heading == 0) {
      if (auto d = splitDateline(text)) {
        article.dateline_place = d->place;
        article.dateline_source = d->source;
        text = d->rest;
      }
    }
    first = false;
    if (text.empty()) continue;
    const bool short_line = line_count == 1 && utf8::length(text) < kSubheadMaxChars && !hasFinalPunctuation(text);
    if (group.heading > 0 || (!markdown && short_line)) block.kind = Block::Kind::Subhead;
    block.text = std::move(text);
    article.blocks.push_back(std::move(block));
  }
  dropEditorCodes(article.blocks);
  // A subhead heads something: a short last line of plain text is a paragraph.
  if (!markdown && !article.blocks.empty()) article.blocks.back().kind = Block::Kind::Paragraph;
  bool body = false;
  for (const Block& b : article.blocks) body = body || b.kind == Block::Kind::Paragraph;
  if (!body) throw TextError(name + ": article is empty: there is no text after the headline");
  return article;
}

}  // namespace

Article readArticle(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TextError(path.string() + ": cannot read article: " + std::strerror(errno));
  // Refused before it is read: a 1 GB file must not be held to be refused.
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes)
    throw TextError(path.string() + ": article is " + std::to_string(size / 1024) + " KB; the limit is " +
                    std::to_string(max_bytes / 1024) + " KB (split it into several stories)");
  // Read to the end in blocks (the size may have changed since it was asked),
  // never past the limit, into one buffer that is freed once split in lines.
  std::string content;
  if (!ec) content.reserve(static_cast<std::size_t>(size));
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes + 3) break;  // + a BOM; readLines names the limit
    if (!in) break;
  }
  if (in.bad()) throw TextError(path.string() + ": cannot read article: " + std::strerror(errno));
  const std::string name = displayName(path);
  Lines read = readLines(content, path, name, max_bytes);
  std::string().swap(content);
  return parseLines(std::move(read), path, name);
}

Article parseArticle(std::string_view content, const std::filesystem::path& path, std::size_t max_bytes) {
  const std::string name = displayName(path);
  return parseLines(readLines(content, path, name, max_bytes), path, name);
}

}  // namespace warta::text
