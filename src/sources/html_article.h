// SPDX-License-Identifier: GPL-3.0-or-later
// A news web page (HTML, already UTF-8) to article text with gumbo, a full
// HTML5 parser: the headline, paragraphs and subheadings, without scripts,
// navigation, sharing buttons, captions and related-links boxes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace warta::sources {

// What is removed: elements by name and any element whose class or id holds a
// marker. Read from voices/html-boilerplate.txt (see that file's header).
struct Boilerplate {
  std::vector<std::string> elements;  // lower-case tag names
  std::vector<std::string> markers;   // lower-case parts of class/id values
};
// Throws warta::Error(Config) naming FILE:LINE for a line it cannot read.
Boilerplate readBoilerplate(const std::filesystem::path& file);
// WARTA_VOICES/html-boilerplate.txt, else the built-in voices folder's; read once.
const Boilerplate& defaultBoilerplate();

struct PageBlock {
  bool subhead = false;
  std::string text;  // whitespace collapsed, one line
};

struct PageArticle {
  std::string headline;   // og:title, else the first h1, else <title>
  std::string published;  // article:published_time (as written), or ""
  std::string author;     // <meta name="author">, or ""
  std::vector<PageBlock> blocks;
};

// Reads the body of <article> (else <main>, else <body>): p, li and
// blockquote text as paragraphs, h2-h4 as subheads.
PageArticle extractArticle(std::string_view utf8_html, const Boilerplate& rules = defaultBoilerplate());

}  // namespace warta::sources
