// SPDX-License-Identifier: GPL-3.0-or-later
// Reading an article file into its parts: headline, dateline, body blocks.
#pragma once

#include "warta/error.h"

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace warta::text {

// Bad article input. what() is "FILE:LINE:COL: message" where a position is
// known, "FILE: message" otherwise.
class TextError : public warta::Error {
 public:
  explicit TextError(const std::string& message) : Error(ErrorKind::Input, message) {}
};

// Limits that keep memory and time bounded by design: past them the article
// is refused naming FILE:LINE rather than read into gigabytes.
inline constexpr std::size_t kMaxArticleBytes = 256 * 1024;  // a long news article is 30 KB
// What the editor's text-only tools (`normalize`, `lexicon check`) accept:
// they make no audio, so a whole site's text in one file may be checked,
// in under 64 MB (the file and its parsed paragraphs are held once each).
inline constexpr std::size_t kMaxCheckedArticleBytes = 8 * 1024 * 1024;
inline constexpr std::size_t kMaxLineChars = 20000;    // a whole paragraph on one line is ~3,000
inline constexpr std::size_t kMaxWordChars = 100;      // longer than any word or sane link
inline constexpr std::size_t kMaxHeadlineChars = 300;  // headlines are ~10 words

struct Block {
  enum class Kind { Paragraph, Subhead };
  Kind kind = Kind::Paragraph;
  std::string text;      // written text, lines of one paragraph joined by spaces
  std::size_t line = 0;  // 1-based line in the file where the block starts
};

struct Article {
  std::filesystem::path path;  // where it was read from (may be empty for in-memory text)
  std::string headline;        // written form
  std::size_t headline_line = 0;
  std::string dateline_place;   // "Kota Blitar" from "Kota Blitar, mitratoday.com –"; empty if none
  std::string dateline_source;  // "mitratoday.com"; empty if none
  std::vector<Block> blocks;    // body, in order; the dateline is removed from the first paragraph
  // From Markdown front matter when present (all optional).
  std::string date;  // as written, e.g. "2025-06-11"; one in the YYYY-MM-DD shape is a real date (text/date.h)
  std::string source;
  std::string author;
  std::string url;  // where a fetched story came from (sources/: `url:`)
};

// Parses UTF-8 plain text (first non-empty line is the headline) or Markdown
// with optional YAML-style front matter (`---` ... `---`, keys title, date,
// source, author, url; '#' headings; '##' and deeper are subheads). Markdown is
// chosen by a ".md"/".markdown" extension of `path` or a leading "---" line.
// A trailing editor code or byline in parentheses or brackets such as
// "(ant/red)" or "[idr]" is dropped. Throws TextError for invalid UTF-8
// (naming line and column of the first bad byte) and for an article with no
// headline or no body, and past the limits above (a file over
// kMaxArticleBytes, a line over kMaxLineChars, a word over kMaxWordChars, a
// headline over kMaxHeadlineChars characters).
Article parseArticle(std::string_view content, const std::filesystem::path& path,
                     std::size_t max_bytes = kMaxArticleBytes);

// Reads the file and calls parseArticle. Throws TextError if unreadable.
Article readArticle(const std::filesystem::path& path, std::size_t max_bytes = kMaxArticleBytes);

}  // namespace warta::text
