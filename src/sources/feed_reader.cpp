// SPDX-License-Identifier: GPL-3.0-or-later
#include "sources/feed_reader.h"

#include "publish/xml_text.h"
#include "sources/html_article.h"
#include "publish/xml_tree.h"
#include "text/date.h"
#include "warta/error.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace warta::sources {
namespace {

constexpr const char* kContentNs = "http://purl.org/rss/1.0/modules/content/";
constexpr const char* kAtomNs = "http://www.w3.org/2005/Atom";

[[noreturn]] void fail(const std::string& what, const std::string& message) {
  throw Error(ErrorKind::Input, what + ": " + message);
}

bool is(const xmlNode* n, const char* name, const char* ns = nullptr) {
  if (n->type != XML_ELEMENT_NODE || std::strcmp(reinterpret_cast<const char*>(n->name), name) != 0) return false;
  if (ns == nullptr) return n->ns == nullptr;
  return n->ns && n->ns->href && std::strcmp(reinterpret_cast<const char*>(n->ns->href), ns) == 0;
}

const xmlNode* childNamed(const xmlNode* parent, const char* name, const char* ns = nullptr) {
  for (const xmlNode* c = parent->children; c; c = c->next)
    if (is(c, name, ns)) return c;
  return nullptr;
}

std::string content(const xmlNode* n) {
  if (!n) return "";
  publish::xml::String s(xmlNodeGetContent(n));
  return s ? reinterpret_cast<const char*>(s.get()) : "";
}

std::string prop(const xmlNode* n, const char* name) {
  publish::xml::String s(xmlGetProp(n, reinterpret_cast<const xmlChar*>(name)));
  return s ? reinterpret_cast<const char*>(s.get()) : "";
}

std::string trim(std::string s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

std::string escapeHtml(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '<' ? "&lt;" : c == '&' ? "&amp;" : c == '>' ? "&gt;" : std::string(1, c);
  return out;
}

// Atom text constructs: type="html" holds escaped HTML (content() unescapes
// it), "xhtml" a <div> of elements, "text" plain text.
std::string atomHtml(const xmlNode* n) {
  if (!n) return "";
  const std::string type = prop(n, "type");
  if (type == "xhtml") {
    std::string out;
    for (const xmlNode* c = n->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE) out += publish::xml::outerXml(const_cast<xmlNode*>(c));
    return out;
  }
  if (type == "html") return content(n);
  return "<p>" + escapeHtml(content(n)) + "</p>";
}

std::int64_t unixTime(int y, int mo, int d, int h, int mi, int s, int offset_minutes) {
  const long long days = text::daysSinceEpoch(text::CalendarDate{y, mo, d});
  return days * 86400 + h * 3600 + mi * 60 + s - offset_minutes * 60LL;
}

// Zone names RFC 822 allows, in minutes east of UTC.
constexpr std::pair<std::string_view, int> kZones[] = {{"UT", 0},     {"UTC", 0},    {"GMT", 0},    {"Z", 0},
                                                       {"EST", -300}, {"EDT", -240}, {"CST", -360}, {"CDT", -300},
                                                       {"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420},
                                                       {"WIB", 420},  {"WITA", 480}, {"WIT", 540}};
constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};

bool digits(std::string_view s, std::size_t at, std::size_t n, int& value) {
  if (at + n > s.size()) return false;
  value = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

std::optional<int> numericZone(std::string_view z) {
  int h = 0, m = 0;
  if (z.size() == 5 && (z[0] == '+' || z[0] == '-') && digits(z, 1, 2, h) && digits(z, 3, 2, m))
    return (z[0] == '-' ? -1 : 1) * (h * 60 + m);
  if (z.size() == 6 && (z[0] == '+' || z[0] == '-') && z[3] == ':' && digits(z, 1, 2, h) && digits(z, 4, 2, m))
    return (z[0] == '-' ? -1 : 1) * (h * 60 + m);
  return std::nullopt;
}

std::optional<std::int64_t> parseIso(std::string_view t) {
  int y, mo, d, h = 0, mi = 0, s = 0;
  if (!digits(t, 0, 4, y) || t.size() < 10 || t[4] != '-' || !digits(t, 5, 2, mo) || t[7] != '-' || !digits(t, 8, 2, d))
    return std::nullopt;
  if (!text::parseIsoDate(t.substr(0, 10))) return std::nullopt;
  std::size_t at = 10;
  int offset = 0;
  if (at < t.size() && (t[at] == 'T' || t[at] == ' ')) {
    if (!digits(t, at + 1, 2, h) || t.size() < at + 6 || t[at + 3] != ':' || !digits(t, at + 4, 2, mi))
      return std::nullopt;
    at += 6;
    if (at < t.size() && t[at] == ':') {
      if (!digits(t, at + 1, 2, s)) return std::nullopt;
      at += 3;
    }
    if (at < t.size() && t[at] == '.')
      for (++at; at < t.size() && std::isdigit(static_cast<unsigned char>(t[at]));) ++at;
    const std::string_view zone = t.substr(at);
    if (zone == "Z" || zone.empty()) offset = 0;
    else if (auto z = numericZone(zone)) offset = *z;
    else return std::nullopt;
  } else if (at != t.size()) {
    return std::nullopt;
  }
  return unixTime(y, mo, d, h, mi, s, offset);
}

std::optional<std::int64_t> parseRfc822(std::string_view t) {
  std::vector<std::string> words;
  std::string w;
  for (char c : t) {
    if (c == ' ' || c == ',') {
      if (!w.empty()) words.push_back(w), w.clear();
    } else {
      w += c;
    }
  }
  if (!w.empty()) words.push_back(w);
  if (!words.empty() && !std::isdigit(static_cast<unsigned char>(words[0][0]))) words.erase(words.begin());  // "Sun"
  if (words.size() < 4) return std::nullopt;
  int d = std::atoi(words[0].c_str());
  std::string mon = words[1].substr(0, 3);
  std::transform(mon.begin(), mon.end(), mon.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  const auto m = std::find(std::begin(kMonths), std::end(kMonths), mon);
  if (m == std::end(kMonths)) return std::nullopt;
  int y = std::atoi(words[2].c_str());
  if (words[2].size() == 2) y += y < 50 ? 2000 : 1900;
  int h = 0, mi = 0, s = 0;
  const std::string& clock = words[3];
  if (!digits(clock, 0, 2, h) || clock.size() < 5 || !digits(clock, 3, 2, mi)) return std::nullopt;
  if (clock.size() >= 8 && !digits(clock, 6, 2, s)) return std::nullopt;
  int offset = 0;
  if (words.size() > 4) {
    const std::string& zone = words[4];
    if (auto z = numericZone(zone)) offset = *z;
    else {
      const auto named =
          std::find_if(std::begin(kZones), std::end(kZones), [&](const auto& e) { return e.first == zone; });
      if (named == std::end(kZones)) return std::nullopt;
      offset = named->second;
    }
  }
  const int month = static_cast<int>(m - std::begin(kMonths)) + 1;
  if (!text::parseIsoDate(text::isoDate(text::CalendarDate{y, month, d}))) return std::nullopt;
  return unixTime(y, month, d, h, mi, s, offset);
}

}  // namespace

std::optional<std::int64_t> parseWebDate(std::string_view text) {
  const std::string t = trim(std::string(text));
  if (t.empty()) return std::nullopt;
  if (auto iso = parseIso(t)) return iso;
  return parseRfc822(t);
}

std::vector<FeedEntry> parseFeedEntries(std::string_view xml, const std::string& what) {
  if (xml.size() > kMaxFeedBytes)
    fail(what, "the feed is larger than " + std::to_string(kMaxFeedBytes / (1024 * 1024)) + " MB");
  if (publish::prologHasDoctype(xml))  // refused before libxml2 parses anything: an entity bomb costs nothing
    fail(what, "has a DOCTYPE (a DTD, maybe with entities); a feed needs none and warta reads none");
  // No XML_PARSE_NOENT or XML_PARSE_DTDLOAD: nothing is substituted or fetched.
  const publish::xml::Doc owned(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), what.c_str(), nullptr,
                                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!owned) fail(what, "not well-formed XML (not a feed?)");
  if (owned->intSubset || owned->extSubset)
    fail(what, "has a DOCTYPE (a DTD, maybe with entities); a feed needs none and warta reads none");
  const xmlNode* root = xmlDocGetRootElement(owned.get());
  std::vector<FeedEntry> entries;
  if (root && is(root, "rss")) {
    const xmlNode* channel = childNamed(root, "channel");
    if (!channel) fail(what, "an RSS feed without <channel>");
    for (const xmlNode* item = channel->children; item; item = item->next) {
      if (!is(item, "item")) continue;
      FeedEntry e;
      e.title = trim(content(childNamed(item, "title")));
      e.link = trim(content(childNamed(item, "link")));
      if (e.link.empty())
        if (const xmlNode* guid = childNamed(item, "guid"); guid && prop(guid, "isPermaLink") != "false")
          e.link = trim(content(guid));
      e.published = parseWebDate(content(childNamed(item, "pubDate")));
      e.content_html = trim(content(childNamed(item, "encoded", kContentNs)));
      entries.push_back(std::move(e));
    }
  } else if (root && is(root, "feed", kAtomNs)) {
    for (const xmlNode* entry = root->children; entry; entry = entry->next) {
      if (!is(entry, "entry", kAtomNs)) continue;
      FeedEntry e;
      const xmlNode* title = childNamed(entry, "title", kAtomNs);
      e.title = trim(content(title));
      if (title && prop(title, "type") != "text" &&
          !prop(title, "type").empty())  // html or xhtml: the text of its markup
        e.title = extractArticle("<h1>" + atomHtml(title) + "</h1>", Boilerplate{}).headline;
      for (const xmlNode* l = entry->children; l; l = l->next)
        if (is(l, "link", kAtomNs) && (prop(l, "rel").empty() || prop(l, "rel") == "alternate")) {
          e.link = trim(prop(l, "href"));
          break;
        }
      const xmlNode* date = childNamed(entry, "published", kAtomNs);
      if (!date) date = childNamed(entry, "updated", kAtomNs);
      e.published = parseWebDate(content(date));
      e.content_html = trim(atomHtml(childNamed(entry, "content", kAtomNs)));
      entries.push_back(std::move(e));
    }
  } else {
    fail(what, "neither an RSS 2.0 feed (<rss>) nor an Atom feed (<feed xmlns=\"" + std::string(kAtomNs) + "\">)");
  }
  // Newest first; undated items keep their feed order after the dated ones.
  std::stable_sort(entries.begin(), entries.end(), [](const FeedEntry& a, const FeedEntry& b) {
    if (a.published && b.published) return *a.published > *b.published;
    return a.published.has_value() && !b.published.has_value();
  });
  return entries;
}

}  // namespace warta::sources
