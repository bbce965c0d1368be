// SPDX-License-Identifier: GPL-3.0-or-later
#include "sources/html_article.h"

#include "warta/error.h"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace warta::sources {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

// Collapses runs of whitespace (and no-break spaces) to one space, trimmed.
std::string collapse(std::string_view s) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool nbsp = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0;
    if (std::isspace(c) || nbsp) {
      space = true;
      if (nbsp) ++i;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

struct OutputDeleter {
  void operator()(GumboOutput* o) const { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};

std::string attr(const GumboNode* n, const char* name) {
  if (n->type != GUMBO_NODE_ELEMENT) return "";
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : "";
}

std::string tagName(const GumboNode* n) {
  if (n->type != GUMBO_NODE_ELEMENT) return "";
  if (n->v.element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(n->v.element.tag);
  GumboStringPiece piece = n->v.element.original_tag;
  gumbo_tag_from_original_text(&piece);
  return lower(std::string(piece.data, piece.length));
}

bool removed(const GumboNode* n, const Boilerplate& rules) {
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  const std::string tag = tagName(n);
  if (std::find(rules.elements.begin(), rules.elements.end(), tag) != rules.elements.end()) return true;
  if (tag == "body" || tag == "html" || tag == "article" || tag == "main") return false;  // never the page itself
  const std::string names = lower(attr(n, "class") + " " + attr(n, "id"));
  return std::any_of(rules.markers.begin(), rules.markers.end(),
                     [&](const std::string& m) { return names.find(m) != std::string::npos; });
}

void textOf(const GumboNode* n, const Boilerplate& rules, std::string& out) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA || n->type == GUMBO_NODE_WHITESPACE) {
    out += n->v.text.text;
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || removed(n, rules)) return;
  if (n->v.element.tag == GUMBO_TAG_BR) out += ' ';
  const GumboVector& kids = n->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) textOf(static_cast<const GumboNode*>(kids.data[i]), rules, out);
}

const GumboNode* findFirst(const GumboNode* n, GumboTag tag) {
  if (n->type != GUMBO_NODE_ELEMENT) return nullptr;
  if (n->v.element.tag == tag) return n;
  const GumboVector& kids = n->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i)
    if (const GumboNode* found = findFirst(static_cast<const GumboNode*>(kids.data[i]), tag)) return found;
  return nullptr;
}

void metas(const GumboNode* n, PageArticle& a, std::string& og_title) {
  if (n->type != GUMBO_NODE_ELEMENT) return;
  if (n->v.element.tag == GUMBO_TAG_META) {
    const std::string key = lower(attr(n, "property").empty() ? attr(n, "name") : attr(n, "property"));
    const std::string content = collapse(attr(n, "content"));
    if (key == "og:title" && og_title.empty()) og_title = content;
    if (key == "article:published_time" && a.published.empty()) a.published = content;
    if (key == "author" && a.author.empty()) a.author = content;
  }
  const GumboVector& kids = n->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) metas(static_cast<const GumboNode*>(kids.data[i]), a, og_title);
}

void blocks(const GumboNode* n, const Boilerplate& rules, PageArticle& a, std::string& h1) {
  if (n->type != GUMBO_NODE_ELEMENT || removed(n, rules)) return;
  const GumboTag tag = n->v.element.tag;
  auto text = [&] {
    std::string t;
    textOf(n, rules, t);
    return collapse(t);
  };
  if (tag == GUMBO_TAG_H1) {
    if (h1.empty()) h1 = text();
    return;
  }
  if (tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4) {
    if (std::string t = text(); !t.empty()) a.blocks.push_back({true, std::move(t)});
    return;
  }
  if (tag == GUMBO_TAG_P || tag == GUMBO_TAG_LI) {
    if (std::string t = text(); !t.empty()) a.blocks.push_back({false, std::move(t)});
    return;
  }
  const GumboVector& kids = n->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) blocks(static_cast<const GumboNode*>(kids.data[i]), rules, a, h1);
}

}  // namespace

Boilerplate readBoilerplate(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(ErrorKind::Config, file.string() + ": cannot read the page clean-up rules");
  Boilerplate rules;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string l = collapse(line);
    if (l.empty() || l[0] == '#') continue;
    std::istringstream words(l);
    std::string kind, value, extra;
    words >> kind >> value >> extra;
    if (value.empty() || !extra.empty() || (kind != "element" && kind != "marker"))
      throw Error(ErrorKind::Config, file.string() + ":" + std::to_string(number) +
                                         ":1: expected 'element NAME' or 'marker WORD', not '" + l + "'");
    (kind == "element" ? rules.elements : rules.markers).push_back(lower(value));
  }
  return rules;
}

const Boilerplate& defaultBoilerplate() {
  static const Boilerplate rules = [] {
    const char* env = std::getenv("WARTA_VOICES");
    const std::filesystem::path dir = env && *env ? env : WARTA_VOICES_DIR;
    return readBoilerplate(dir / "html-boilerplate.txt");
  }();
  return rules;
}

PageArticle extractArticle(std::string_view utf8_html, const Boilerplate& rules) {
  std::unique_ptr<GumboOutput, OutputDeleter> doc(
      gumbo_parse_with_options(&kGumboDefaultOptions, utf8_html.data(), utf8_html.size()));
  PageArticle a;
  if (!doc) return a;
  const GumboNode* root = doc->root;
  std::string og_title, h1, title;
  metas(root, a, og_title);
  if (const GumboNode* t = findFirst(root, GUMBO_TAG_TITLE)) {
    textOf(t, Boilerplate{}, title);
    title = collapse(title);
  }
  const GumboNode* body = findFirst(root, GUMBO_TAG_ARTICLE);
  if (!body) body = findFirst(root, GUMBO_TAG_MAIN);
  if (!body) body = findFirst(root, GUMBO_TAG_BODY);
  if (body) blocks(body, rules, a, h1);
  if (h1.empty() && body != nullptr && body->v.element.tag != GUMBO_TAG_BODY)
    if (const GumboNode* page_h1 = findFirst(root, GUMBO_TAG_H1)) {
      textOf(page_h1, rules, h1);
      h1 = collapse(h1);
    }
  a.headline = !og_title.empty() ? og_title : !h1.empty() ? h1 : title;
  return a;
}

}  // namespace warta::sources
