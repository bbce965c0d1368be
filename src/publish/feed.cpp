// SPDX-License-Identifier: GPL-3.0-or-later
#include "publish/feed.h"

#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "encode/atomic_file.h"
#include "publish/uuid.h"
#include "publish/xml_text.h"
#include "publish/xml_tree.h"

namespace warta::publish {
namespace fs = std::filesystem;
namespace {

constexpr long kWibOffset = 7 * 3600;  // +0700
const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
long daysFromCivil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::string text(xmlNode* node) { return xml::str(xml::String(xmlNodeGetContent(node)).get()); }

std::string attr(xmlNode* node, const char* name) {
  return xml::str(xml::String(xmlGetProp(node, reinterpret_cast<const xmlChar*>(name))).get());
}

bool named(xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

constexpr const char* kItunesNs = "http://www.itunes.com/dtds/podcast-1.0.dtd";
constexpr const char* kPodcastNs = "https://podcastindex.org/namespace/1.0";
constexpr const char* kAtomNs = "http://www.w3.org/2005/Atom";
// The prefixes renderFeed declares itself.
const char* const kOwnPrefixes[] = {"itunes", "podcast", "atom"};

// The namespace URI of an element ("" for RSS's own, which have none).
std::string nsOf(xmlNode* node) {
  return node->ns && node->ns->href ? reinterpret_cast<const char*>(node->ns->href) : "";
}

bool is(xmlNode* node, const char* ns, const char* name) { return named(node, name) && nsOf(node) == ns; }

// The elements renderFeed writes (namespace, name): these are read or
// rewritten; every other element of an existing feed is kept as it was.
struct Managed {
  const char* ns;
  const char* name;
};
const Managed kChannelManaged[] = {
    {"", "title"},         {"", "link"},         {"", "description"},     {"", "language"},
    {"", "lastBuildDate"}, {"", "generator"},    {"", "image"},           {"", "item"},
    {kItunesNs, "author"}, {kItunesNs, "owner"}, {kItunesNs, "category"}, {kItunesNs, "explicit"},
    {kItunesNs, "image"},  {kPodcastNs, "guid"}};
const Managed kItemManaged[] = {{"", "title"},
                                {"", "link"},
                                {"", "description"},
                                {"", "pubDate"},
                                {"", "guid"},
                                {"", "enclosure"},
                                {kItunesNs, "duration"},
                                {kPodcastNs, "transcript"},
                                {kPodcastNs, "chapters"}};

template <std::size_t N>
bool managed(xmlNode* node, const Managed (&table)[N]) {
  for (const Managed& m : table)
    if (is(node, m.ns, m.name)) return true;
  return false;
}

// An item's itunes:duration as a kept feed has it (H:M:S, M:S or seconds),
// in seconds. A value past a century is read as a century: any longer is no
// episode's length, and its digits would overflow the count.
long parseDuration(const std::string& s) {
  constexpr long kCentury = 100L * 365 * 24 * 3600;
  long total = 0, part = 0;
  for (char c : s) {
    if (c == ':') total = std::min(total * 60 + part, kCentury), part = 0;
    else if (std::isdigit(static_cast<unsigned char>(c))) part = std::min(part * 10 + (c - '0'), kCentury);
  }
  return std::min(total * 60 + part, kCentury);
}

std::string hms(long seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", seconds / 3600, seconds / 60 % 60, seconds % 60);
  return buf;
}

}  // namespace

std::string rfc2822(std::time_t t) {
  const std::time_t local = t + kWibOffset;
  std::tm tm{};
  gmtime_r(&local, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0700", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::optional<std::time_t> parseRfc2822(const std::string& s) {
  // [Day, ]DD Mon YYYY HH:MM[:SS] ZONE
  std::string rest = s;
  if (const auto comma = rest.find(','); comma != std::string::npos) rest = rest.substr(comma + 1);
  std::istringstream in(rest);
  int day = 0, year = 0;
  std::string mon, clock, zone;
  if (!(in >> day >> mon >> year >> clock >> zone)) return std::nullopt;
  int month = -1;
  for (int i = 0; i < 12; ++i)
    if (mon == kMonths[i]) month = i + 1;
  if (month < 0 || day < 1 || day > 31) return std::nullopt;
  int h = 0, m = 0, sec = 0;
  if (std::sscanf(clock.c_str(), "%d:%d:%d", &h, &m, &sec) < 2) return std::nullopt;
  // Out of range is not a date (and would overflow the arithmetic below).
  if (year < 1 || year > 9999 || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60) return std::nullopt;
  long offset = 0;
  const auto digits = [](const std::string& z) { return z.find_first_not_of("0123456789", 1) == std::string::npos; };
  // "+0700"; a zone like "+07:0" or "-abcd" is not a date (std::stoi threw on it: found by feed_fuzz).
  if ((zone[0] == '+' || zone[0] == '-') && zone.size() == 5 && digits(zone)) {
    const int hhmm = std::stoi(zone.substr(1));
    offset = (hhmm / 100 * 3600 + hhmm % 100 * 60) * (zone[0] == '-' ? -1 : 1);
  } else if (zone != "GMT" && zone != "UT" && zone != "UTC" && zone != "Z") {
    return std::nullopt;
  }
  return static_cast<std::time_t>(daysFromCivil(year, month, day) * 86400L + h * 3600L + m * 60L + sec - offset);
}

std::time_t episodeTime(const std::string& iso_date) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(iso_date.c_str(), "%d-%d-%d", &y, &m, &d) != 3) throw std::runtime_error("not a date: " + iso_date);
  return static_cast<std::time_t>(daysFromCivil(y, m, d) * 86400L + 6 * 3600L - kWibOffset);
}

std::string urlFor(const std::string& base_url, const std::string& file_name) {
  std::string url = base_url;
  if (url.empty() || url.back() != '/') url += '/';
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : file_name) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += hex[c >> 4];
      url += hex[c & 15];
    }
  }
  return url;
}

std::string podcastGuid(const std::string& feed_url) {
  std::string name = feed_url;
  if (const auto scheme = name.find("://"); scheme != std::string::npos) name.erase(0, scheme + 3);
  while (!name.empty() && name.back() == '/') name.pop_back();
  return uuidV5(kPodcastNamespace, name);
}

std::string renderFeed(const FeedChannel& ch, const std::vector<FeedItem>& items, std::time_t build_time) {
  const xml::Doc owned = xml::newDocument();
  xmlNode* rss = xml::root(owned.get(), "rss");
  xmlNs* itunes = xmlNewNs(rss, BAD_CAST kItunesNs, BAD_CAST "itunes");
  xmlNs* podcast = xmlNewNs(rss, BAD_CAST kPodcastNs, BAD_CAST "podcast");
  xmlNs* atom = xmlNewNs(rss, BAD_CAST kAtomNs, BAD_CAST "atom");
  for (const auto& [prefix, uri] : ch.kept_namespaces)
    xmlNewNs(rss, BAD_CAST xmlChars(uri).c_str(), BAD_CAST xmlChars(prefix).c_str());
  xml::attribute(rss, "version", "2.0");
  for (const auto& [name, value] : ch.kept_root_attributes) xml::attribute(rss, name.c_str(), value);

  xmlNode* c = xml::child(rss, "channel");
  xml::child(c, "title", ch.title);
  xml::child(c, "link", ch.link);
  if (!ch.self_url.empty()) {
    xmlNode* self = xml::child(c, "link", atom);
    xml::attribute(self, "rel", "self");
    xml::attribute(self, "type", "application/rss+xml");
    xml::attribute(self, "href", ch.self_url);
  }
  if (!ch.guid.empty()) xml::child(c, "guid", ch.guid, podcast);
  xml::child(c, "description", ch.description);
  xml::child(c, "language", ch.language);
  xml::child(c, "lastBuildDate", rfc2822(build_time));
  xml::child(c, "generator", "warta");
  xml::child(c, "author", ch.author, itunes);
  xmlNode* owner = xml::child(c, "owner", itunes);
  xml::child(owner, "name", ch.author, itunes);
  if (!ch.email.empty()) xml::child(owner, "email", ch.email, itunes);
  xml::attribute(xml::child(c, "category", itunes), "text", ch.category);
  xml::child(c, "explicit", ch.explicit_content ? "true" : "false", itunes);
  if (!ch.image_url.empty()) {
    xml::attribute(xml::child(c, "image", itunes), "href", ch.image_url);
    xmlNode* image = xml::child(c, "image");
    xml::child(image, "url", ch.image_url);
    xml::child(image, "title", ch.title);
    xml::child(image, "link", ch.link);
  }
  xml::appendFragment(c, ch.kept_elements);
  for (const auto& it : items) {
    xmlNode* item = xml::child(c, "item");
    xml::child(item, "title", it.title);
    if (!it.link.empty()) xml::child(item, "link", it.link);
    xml::child(item, "description", it.description);
    xml::child(item, "pubDate", rfc2822(it.pub_time));
    xml::attribute(xml::child(item, "guid", it.guid), "isPermaLink", "false");
    xmlNode* enclosure = xml::child(item, "enclosure");
    xml::attribute(enclosure, "url", it.enclosure_url);
    xml::attribute(enclosure, "length", std::to_string(it.length));
    xml::attribute(enclosure, "type", "audio/mpeg");
    xml::child(item, "duration", hms(it.duration_seconds), itunes);
    // (url, type) of each podcast:* link that is there.
    const std::pair<const std::string*, const char*> transcripts[] = {{&it.transcript_url, "text/vtt"},
                                                                      {&it.json_transcript_url, "application/json"}};
    for (const auto& [url, type] : transcripts) {
      if (url->empty()) continue;
      xmlNode* t = xml::child(item, "transcript", podcast);
      xml::attribute(t, "url", *url);
      xml::attribute(t, "type", type);
    }
    if (!it.chapters_url.empty()) {
      xmlNode* chapters = xml::child(item, "chapters", podcast);
      xml::attribute(chapters, "url", it.chapters_url);
      xml::attribute(chapters, "type", "application/json+chapters");
    }
    xml::appendFragment(item, it.kept_elements);
  }
  return xml::save(owned.get());
}

std::vector<FeedItem> parseFeedItems(const std::string& xml) { return parseFeed(xml).items; }

ParsedFeed parseFeed(const std::string& xml) {
  if (prologHasDoctype(xml))  // looked for before libxml2 parses anything: a bomb costs nothing
    throw std::runtime_error("has a DOCTYPE (a DTD, maybe with entities); a feed needs none and warta reads none");
  // No XML_PARSE_NOENT or XML_PARSE_DTDLOAD: nothing is substituted or fetched.
  const xml::Doc owned(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", "UTF-8",
                                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  xmlDoc* doc = owned.get();
  if (!doc) throw std::runtime_error("not well-formed XML");
  if (doc->intSubset || doc->extSubset)  // a DOCTYPE the scan above missed (another encoding)
    throw std::runtime_error("has a DOCTYPE (a DTD, maybe with entities); a feed needs none and warta reads none");
  ParsedFeed feed;
  xmlNode* root = xmlDocGetRootElement(doc);
  if (!root || !named(root, "rss")) throw std::runtime_error("not an RSS document (no <rss> root)");
  // Namespaces declared anywhere above a kept element go on the new <rss>.
  std::vector<std::string> prefixes(std::begin(kOwnPrefixes), std::end(kOwnPrefixes));
  const auto keepNamespaces = [&](xmlNode* node) {
    for (xmlNs* ns = node->nsDef; ns; ns = ns->next) {
      if (!ns->prefix || !ns->href) continue;  // a default namespace would move RSS's own elements
      const std::string prefix = reinterpret_cast<const char*>(ns->prefix);
      if (std::find(prefixes.begin(), prefixes.end(), prefix) != prefixes.end()) continue;
      prefixes.push_back(prefix);
      feed.kept_namespaces.emplace_back(prefix, xml::str(ns->href));
    }
  };
  keepNamespaces(root);
  for (xmlAttr* a = root->properties; a; a = a->next) {
    const std::string name = reinterpret_cast<const char*>(a->name);
    if (!a->ns && name == "version") continue;
    const std::string prefix = a->ns && a->ns->prefix ? xml::str(a->ns->prefix) + ":" : "";
    feed.kept_root_attributes.emplace_back(prefix + name,
                                           xml::str(xml::String(xmlNodeListGetString(doc, a->children, 1)).get()));
  }
  for (xmlNode* ch = root->children; ch; ch = ch->next) {
    if (!named(ch, "channel")) continue;
    keepNamespaces(ch);
    for (xmlNode* node = ch->children; node; node = node->next) {
      if (node->type != XML_ELEMENT_NODE) continue;
      if (is(node, kPodcastNs, "guid")) feed.guid = text(node);
      const bool self = is(node, kAtomNs, "link") && attr(node, "rel") == "self";
      if (!self && !managed(node, kChannelManaged)) feed.kept_elements += xml::outerXml(node);
      if (!named(node, "item") || !nsOf(node).empty()) continue;
      keepNamespaces(node);
      FeedItem it;
      for (xmlNode* f = node->children; f; f = f->next) {
        if (f->type != XML_ELEMENT_NODE) continue;
        if (is(f, "", "title")) it.title = text(f);
        else if (is(f, "", "description")) it.description = text(f);
        else if (is(f, "", "pubDate")) it.pub_time = parseRfc2822(text(f)).value_or(0);
        else if (is(f, "", "guid")) it.guid = text(f);
        else if (is(f, "", "link")) it.link = text(f);
        else if (is(f, "", "enclosure")) {
          it.enclosure_url = attr(f, "url");
          try {
            it.length = std::stoull(attr(f, "length"));
          } catch (const std::exception&) {
            it.length = 0;
          }
        } else if (is(f, kItunesNs, "duration")) it.duration_seconds = parseDuration(text(f));
        else if (is(f, kPodcastNs, "transcript"))
          (attr(f, "type") == "application/json" ? it.json_transcript_url : it.transcript_url) = attr(f, "url");
        else if (is(f, kPodcastNs, "chapters")) it.chapters_url = attr(f, "url");
        else if (!managed(f, kItemManaged)) it.kept_elements += xml::outerXml(f);
      }
      feed.items.push_back(std::move(it));
    }
  }
  return feed;
}

namespace {

// The existing feed, parsed; empty when there is none. The one reader of
// feed files: its size is checked before a byte is held (libxml2's tree of a
// feed is a few times its size), and every failure names the file.
ParsedFeed readExistingFeed(const fs::path& feed) {
  std::error_code ec;
  if (!fs::exists(feed, ec)) return {};
  if (const auto size = fs::file_size(feed, ec); !ec && size > kMaxFeedBytes)
    throw std::runtime_error(feed.string() + ": cannot read the existing feed: it is " +
                             std::to_string((size + 1023) / 1024) + " KB; the limit is " +
                             std::to_string(kMaxFeedBytes / 1024) +
                             " KB (keep fewer episodes in it: publish's `keep:`; warta will not overwrite it)");
  std::ifstream in(feed, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in && !in.eof()) throw std::runtime_error(feed.string() + ": cannot read the existing feed");
  try {
    return parseFeed(buf.str());
  } catch (const std::exception& e) {
    throw std::runtime_error(feed.string() + ": cannot read the existing feed: " + e.what() +
                             " (fix or remove it; warta will not overwrite it)");
  }
}

}  // namespace

void checkExistingFeed(const fs::path& feed) { readExistingFeed(feed); }

std::vector<FeedItem> mergeItems(std::vector<FeedItem> existing, const FeedItem& item, int keep) {
  FeedItem fresh = item;
  for (const FeedItem& e : existing)  // a rebuilt episode keeps what was added to its item by hand
    if (e.guid == item.guid && fresh.kept_elements.empty()) fresh.kept_elements = e.kept_elements;
  existing.erase(
      std::remove_if(existing.begin(), existing.end(), [&](const FeedItem& e) { return e.guid == item.guid; }),
      existing.end());
  existing.push_back(std::move(fresh));
  std::stable_sort(existing.begin(), existing.end(),
                   [](const FeedItem& a, const FeedItem& b) { return a.pub_time > b.pub_time; });
  if (keep >= 0 && existing.size() > static_cast<std::size_t>(keep)) existing.resize(static_cast<std::size_t>(keep));
  return existing;
}

fs::path feedLockPath(const fs::path& feed) {
  // Per user: $XDG_RUNTIME_DIR is the user's own (0700, tmpfs); the fallback
  // under TMPDIR is made 0700 and checked, so nobody else can plant the lock.
  fs::path dir;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::error_code ec;
  if (runtime && *runtime && fs::path(runtime).is_absolute() && fs::is_directory(runtime, ec)) {
    dir = fs::path(runtime) / "warta";
    fs::create_directories(dir, ec);
  } else {
    dir = fs::temp_directory_path(ec) / ("warta-" + std::to_string(::getuid()));
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
      throw std::runtime_error(dir.string() + ": cannot make the feed lock folder: " + std::strerror(errno));
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid() || (st.st_mode & 022))
      throw std::runtime_error(dir.string() + ": not a private folder of this user; cannot keep the feed lock there");
  }
  if (!fs::is_directory(dir, ec)) throw std::runtime_error(dir.string() + ": cannot make the feed lock folder");
  // The hash of the absolute path, so every path to one feed shares one lock.
  fs::path absolute = fs::weakly_canonical(fs::absolute(feed, ec), ec);
  if (ec) absolute = fs::absolute(feed).lexically_normal();
  return dir / ("feed-" + uuidV5(kUrlNamespace, "file://" + absolute.string()) + ".lock");
}

void updateFeed(const fs::path& feed, const FeedChannel& channel, const FeedItem& item, int keep) {
  const fs::path lock_path = feedLockPath(feed);
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    throw std::runtime_error(lock_path.string() + ": cannot open the feed's lock file: " + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }  // closing releases the flock
  } closer{fd};
  while (::flock(fd, LOCK_EX) != 0)
    if (errno != EINTR) throw std::runtime_error(lock_path.string() + ": cannot lock: " + std::strerror(errno));

  ParsedFeed existing = readExistingFeed(feed);
  FeedChannel kept = channel;
  if (!existing.guid.empty()) kept.guid = existing.guid;
  kept.kept_namespaces = existing.kept_namespaces;
  kept.kept_root_attributes = existing.kept_root_attributes;
  kept.kept_elements = existing.kept_elements;
  const std::string xml = renderFeed(kept, mergeItems(std::move(existing.items), item, keep), std::time(nullptr));
  encode::writeFileAtomically(feed, xml);
}

}  // namespace warta::publish
