// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "publish/feed.h"
#include "publish/uuid.h"
#include "publish/xml_text.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::publish;

namespace {

FeedChannel channel() {
  FeedChannel c;
  c.title = "Kabar & <Pagi> \"Warga\" 'Kita'";
  c.link = "https://example.id/pod/";
  c.description = "Berita pagi";
  c.author = "Radio Warga";
  c.email = "redaksi@example.id";
  c.image_url = urlFor(c.link, "cover art.png");
  return c;
}

FeedItem episode(const std::string& date, const std::string& title = "Kabar Pagi") {
  FeedItem it;
  it.title = title + " " + date;
  it.description = "Banjir di Blitar; Panen raya";
  it.pub_time = episodeTime(date);
  it.guid = "warta:Kabar Pagi:" + date;
  it.enclosure_url = urlFor("https://example.id/pod", "Kabar Pagi-" + date + ".mp3");
  it.length = 123456;
  it.duration_seconds = 3725;
  it.transcript_url = urlFor("https://example.id/pod", "Kabar Pagi-" + date + ".vtt");
  it.chapters_url = urlFor("https://example.id/pod", "Kabar Pagi-" + date + ".chapters.json");
  return it;
}

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a title with & < > and quotes survives a round trip through libxml2", "[feed]") {
  const std::string tricky = "Kabar & <Pagi> \"Warga\" 'Kita'";
  FeedItem it = episode("2025-06-11", tricky);
  it.description = "A & B < C; \"kutip\" 'tunggal'";
  const std::string xml = renderFeed(channel(), {it}, 0);
  xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", "UTF-8", XML_PARSE_NONET);
  REQUIRE(doc != nullptr);  // well-formed
  xmlFreeDoc(doc);
  const auto items = parseFeedItems(xml);
  REQUIRE(items.size() == 1);
  CHECK(items[0].title == tricky + " 2025-06-11");
  CHECK(items[0].description == it.description);
  CHECK(items[0].guid == it.guid);
  CHECK(items[0].pub_time == it.pub_time);
  CHECK(items[0].enclosure_url == it.enclosure_url);
  CHECK(items[0].length == 123456);
  CHECK(items[0].duration_seconds == 3725);
  CHECK(items[0].transcript_url == it.transcript_url);
  CHECK(items[0].chapters_url == it.chapters_url);
  CHECK(xml.find("<title>Kabar &amp; &lt;Pagi&gt; \"Warga\" 'Kita'</title>") != std::string::npos);  // escaped once
  CHECK(xml.find("<itunes:duration>01:02:05</itunes:duration>") != std::string::npos);
}

TEST_CASE("pubDate is RFC 2822 at 06:00 WIB on the rundown's date", "[feed]") {
  CHECK(rfc2822(episodeTime("2025-06-11")) == "Wed, 11 Jun 2025 06:00:00 +0700");
  CHECK(rfc2822(episodeTime("2024-02-29")) == "Thu, 29 Feb 2024 06:00:00 +0700");
  CHECK(rfc2822(episodeTime("2026-01-01")) == "Thu, 01 Jan 2026 06:00:00 +0700");
  CHECK(episodeTime("2025-06-11") == 1749596400);  // 2025-06-10T23:00:00Z
  CHECK(parseRfc2822("Wed, 11 Jun 2025 06:00:00 +0700") == episodeTime("2025-06-11"));
  CHECK(parseRfc2822("10 Jun 2025 23:00:00 GMT") == episodeTime("2025-06-11"));
  CHECK(parseRfc2822("Tue, 10 Jun 2025 19:00:00 -0400") == episodeTime("2025-06-11"));
  CHECK_FALSE(parseRfc2822("2025-06-11"));
}

TEST_CASE("enclosure URLs percent-encode the file name", "[feed]") {
  CHECK(urlFor("https://x.id/pod", "Kabar Pagi-2025-06-11.mp3") == "https://x.id/pod/Kabar%20Pagi-2025-06-11.mp3");
  CHECK(urlFor("https://x.id/pod/", "a&b#c?.mp3") == "https://x.id/pod/a%26b%23c%3F.mp3");
  CHECK(urlFor("https://x.id/", "Berita \xC3\xA9.mp3") == "https://x.id/Berita%20%C3%A9.mp3");
}

TEST_CASE("rebuilding an episode replaces its item, and keep N keeps the newest", "[feed]") {
  std::vector<FeedItem> items;
  items = mergeItems(items, episode("2025-06-11"), 3);
  FeedItem again = episode("2025-06-11");
  again.length = 999;
  items = mergeItems(items, again, 3);
  REQUIRE(items.size() == 1);
  CHECK(items[0].length == 999);
  for (const char* d : {"2025-06-09", "2025-06-13", "2025-06-12", "2025-06-10"})
    items = mergeItems(items, episode(d), 3);
  REQUIRE(items.size() == 3);
  CHECK(items[0].guid == "warta:Kabar Pagi:2025-06-13");
  CHECK(items[1].guid == "warta:Kabar Pagi:2025-06-12");
  CHECK(items[2].guid == "warta:Kabar Pagi:2025-06-11");
  // An older episode than all kept ones falls off at once.
  items = mergeItems(items, episode("2025-01-01"), 3);
  CHECK(items.size() == 3);
  CHECK(items[2].guid == "warta:Kabar Pagi:2025-06-11");
}

TEST_CASE("updateFeed reads the existing feed back, replaces by guid and writes atomically", "[feed]") {
  const fs::path dir = warta::test::tempDir("feed-update");
  const fs::path feed = dir / "feed.xml";
  updateFeed(feed, channel(), episode("2025-06-11"), 2);
  updateFeed(feed, channel(), episode("2025-06-11"), 2);
  CHECK(parseFeedItems(readAll(feed)).size() == 1);
  updateFeed(feed, channel(), episode("2025-06-12"), 2);
  updateFeed(feed, channel(), episode("2025-06-13"), 2);
  const auto items = parseFeedItems(readAll(feed));
  REQUIRE(items.size() == 2);
  CHECK(items[0].guid == "warta:Kabar Pagi:2025-06-13");
  CHECK(items[1].guid == "warta:Kabar Pagi:2025-06-12");
  // The lock is kept outside the folder that is uploaded: only the feed is left there.
  const fs::path lock = feedLockPath(feed);
  CHECK(fs::exists(lock));
  CHECK(lock.parent_path() != dir);
  CHECK(lock.string().find(dir.string()) == std::string::npos);
  for (const auto& e : fs::directory_iterator(dir)) {
    INFO(e.path());
    CHECK(e.path().filename() == "feed.xml");
  }
  const std::string xml = readAll(feed);
  for (const char* tag : {"xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"",
                          "xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"", "<language>id</language>",
                          "<itunes:category text=\"News\"/>", "<itunes:explicit>false</itunes:explicit>",
                          "<itunes:image href=\"https://example.id/pod/cover%20art.png\"/>",
                          "<itunes:email>redaksi@example.id</itunes:email>", "<lastBuildDate>"})
    CHECK(xml.find(tag) != std::string::npos);
}

TEST_CASE("a kept item's duration reads as H:M:S, and one too long to count reads as a century", "[feed]") {
  const fs::path dir = warta::test::tempDir("feed-duration");
  const fs::path feed = dir / "feed.xml";
  updateFeed(feed, channel(), episode("2025-06-11"), 2);
  const std::string xml = readAll(feed);
  const std::size_t at = xml.find("<itunes:duration>01:02:05</itunes:duration>");
  REQUIRE(at != std::string::npos);
  REQUIRE(parseFeedItems(xml).at(0).duration_seconds == 3725);
  // Digits past what a long holds (the fuzzer's find): a century, 100 x 365 days.
  for (const char* huge : {"1234101120252025061000", "99999999999999999999:00:00", "1:99999999999999999999"}) {
    INFO(huge);
    std::string edited = xml;
    edited.replace(at, std::strlen("<itunes:duration>01:02:05</itunes:duration>"),
                   std::string("<itunes:duration>") + huge + "</itunes:duration>");
    CHECK(parseFeedItems(edited).at(0).duration_seconds == 3153600000L);
  }
}

TEST_CASE("a feed that is not XML is not overwritten", "[feed]") {
  const fs::path dir = warta::test::tempDir("feed-broken");
  const fs::path feed = dir / "feed.xml";
  std::ofstream(feed) << "<rss><channel><item>";
  CHECK_THROWS_WITH(updateFeed(feed, channel(), episode("2025-06-11"), 5),
                    Catch::Contains("cannot read the existing feed"));
  CHECK(readAll(feed) == "<rss><channel><item>");
}

TEST_CASE("podcast:guid is the Podcasting 2.0 UUIDv5 of the feed URL without scheme and trailing slashes", "[feed]") {
  // The spec's own examples (podcast-namespace, docs/1.0.md#guid).
  CHECK(podcastGuid("https://podnews.net/rss") == "9b024349-ccf0-5f69-a609-6b82873eab3c");
  CHECK(podcastGuid("http://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810");
  CHECK(podcastGuid("podnews.net/rss") == "9b024349-ccf0-5f69-a609-6b82873eab3c");
  CHECK(podcastGuid("https://podnews.net/rss//") == "9b024349-ccf0-5f69-a609-6b82873eab3c");
  CHECK(podcastGuid("https://podnews.net/rss.xml") != podcastGuid("https://podnews.net/rss"));
  // The same function names the talking book: RFC 4122's URL namespace (value from Python's uuid.uuid5).
  CHECK(uuidV5(kUrlNamespace, "podcastindex.org") == "91b3c7b0-7767-5b18-880f-565dc917bfb9");
}

TEST_CASE("the channel links itself and carries podcast:guid, and items link their page", "[feed]") {
  FeedChannel c = channel();
  c.self_url = urlFor(c.link, "feed.xml");
  c.guid = podcastGuid(c.self_url);
  FeedItem it = episode("2025-06-12");
  it.link = urlFor("https://example.id/pod", "Kabar Pagi-2025-06-12.html");
  const std::string xml = renderFeed(c, {it}, 0);
  CHECK(xml.find("xmlns:atom=\"http://www.w3.org/2005/Atom\"") != std::string::npos);
  CHECK(xml.find("<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"https://example.id/pod/feed.xml\"/>") !=
        std::string::npos);
  CHECK(xml.find("<podcast:guid>" + podcastGuid("https://example.id/pod/feed.xml") + "</podcast:guid>") !=
        std::string::npos);
  CHECK(xml.find("<link>https://example.id/pod/Kabar%20Pagi-2025-06-12.html</link>") != std::string::npos);
  const ParsedFeed back = parseFeed(xml);
  CHECK(back.guid == c.guid);
  REQUIRE(back.items.size() == 1);
  CHECK(back.items[0].link == it.link);
}

TEST_CASE("updateFeed keeps the podcast:guid a feed already has", "[feed]") {
  const fs::path dir = warta::test::tempDir("feed-guid");
  const fs::path feed = dir / "feed.xml";
  FeedChannel c = channel();
  c.self_url = urlFor("https://old.example/pod", "feed.xml");
  c.guid = podcastGuid(c.self_url);
  updateFeed(feed, c, episode("2025-06-11"), 5);
  // The show moves host: the spec's guid stays with the podcast.
  FeedChannel moved = c;
  moved.self_url = urlFor("https://new.example/pod", "feed.xml");
  moved.guid = podcastGuid(moved.self_url);
  updateFeed(feed, moved, episode("2025-06-12"), 5);
  const std::string xml = readAll(feed);
  CHECK(parseFeed(xml).guid == podcastGuid("https://old.example/pod/feed.xml"));
  CHECK(xml.find("href=\"https://new.example/pod/feed.xml\"") != std::string::npos);
}

TEST_CASE("the feed lock lives in the user's runtime folder, one per feed", "[feed]") {
  const fs::path dir = warta::test::tempDir("feed-lock");
  const fs::path runtime = dir / "run";
  fs::create_directories(runtime);
  const char* before = std::getenv("XDG_RUNTIME_DIR");
  const std::string saved = before ? before : "";
  ::setenv("XDG_RUNTIME_DIR", runtime.c_str(), 1);
  const fs::path lock = feedLockPath(dir / "public" / "feed.xml");
  CHECK(lock.parent_path() == runtime / "warta");
  CHECK(lock.filename().string().rfind("feed-", 0) == 0);
  fs::create_directories(dir / "public");
  fs::create_directory_symlink(dir / "public", dir / "link");
  CHECK(feedLockPath(dir / "link" / "feed.xml") == lock);  // every path to one feed: one lock
  CHECK(feedLockPath(dir / "public" / "other.xml") != lock);
  ::unsetenv("XDG_RUNTIME_DIR");
  const fs::path fallback = feedLockPath(dir / "public" / "feed.xml");
  CHECK(fallback.parent_path() == fs::temp_directory_path() / ("warta-" + std::to_string(::getuid())));
  if (before) ::setenv("XDG_RUNTIME_DIR", saved.c_str(), 1);
}

TEST_CASE("xmlChars drops what XML 1.0 forbids and keeps every other byte", "[feed][issue14]") {
  using warta::publish::xmlChars;
  // Kept: tab, LF, CR, ASCII, 2-, 3- and 4-byte characters up to U+FFFD, and beyond U+FFFF.
  const std::string kept = "a\tb\nc\rd \xC3\xA9 \xE2\x80\x94 \xEF\xBF\xBD \xF0\x9F\x93\xBB \x7F";
  CHECK(xmlChars(kept) == kept);
  CHECK(xmlChars("A\x01"
                 "B\x1b"
                 "C\x1f"
                 "D") == "ABCD");                           // C0 controls
  CHECK(xmlChars("x\xEF\xBF\xBEy\xEF\xBF\xBFz") == "xyz");  // U+FFFE, U+FFFF
  CHECK(xmlChars("s\xED\xA0\x80t") == "st");                // an encoded surrogate (U+D800)
  CHECK(xmlChars("o\xC0\xAFk") == "ok");                    // overlong '/'
  CHECK(xmlChars("c\x80ut\xE2\x80") == "cut");              // stray and cut-short bytes
  CHECK(xmlChars("h\xF4\x90\x80\x80i") == "hi");            // above U+10FFFF
}

TEST_CASE("a feed rendered from forbidden characters parses, and parses again", "[feed][issue14]") {
  FeedItem it = episode("2025-06-11", "Kabar\xEF\xBF\xBF\x01 Pagi\xED\xA0\x80");
  it.description = "Banjir\xEF\xBF\xBE; Panen\x1b raya";
  FeedChannel ch = channel();
  ch.description = "Berita\x0c pagi";
  const std::string xml = renderFeed(ch, {it}, 0);
  const ParsedFeed parsed = parseFeed(xml);  // threw "not well-formed XML" before
  REQUIRE(parsed.items.size() == 1);
  CHECK(parsed.items[0].title == "Kabar Pagi 2025-06-11");
  CHECK(parsed.items[0].description == "Banjir; Panen raya");
  CHECK_NOTHROW(parseFeed(renderFeed(ch, parsed.items, 0)));
}

TEST_CASE("a feed with a DOCTYPE is refused before it is parsed", "[feed][issue14]") {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!-- a comment first -->\n<!DOCTYPE rss [\n  <!ENTITY l0 \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    bomb += "  <!ENTITY l" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) bomb += "&l" + std::to_string(i - 1) + ";";
    bomb += "\">\n";
  }
  bomb += "]>\n<rss version=\"2.0\"><channel><item><title>&l9;</title></item></channel></rss>\n";
  CHECK_THROWS_WITH(parseFeed(bomb), Catch::Contains("has a DOCTYPE"));
  // In UTF-16 the prolog scan cannot see it: the feed is read as UTF-8 only, so it is refused all the same.
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!DOCTYPE rss [<!ENTITY a \"b\">]>\n"
                            "<rss version=\"2.0\"><channel><title>&a;</title></channel></rss>\n"))
    utf16 += c, utf16 += '\0';
  CHECK_THROWS(parseFeed(utf16));
  // "<!DOCTYPE" inside an element's CDATA is text, not a DTD.
  CHECK_NOTHROW(
      parseFeed("<rss version=\"2.0\"><channel><description><![CDATA[<!DOCTYPE html>]]></description>"
                "</channel></rss>"));
}

TEST_CASE("elements, namespaces and attributes warta does not manage go through a rewrite", "[feed][issue14]") {
  const std::string original =
      "<?xml version=\"1.0\"?>\n"
      "<rss version=\"2.0\" xml:lang=\"id\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""
      " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:x=\"urn:x\">\n"
      "<channel><title>t</title><itunes:new-feed-url>https://n.example/f.xml</itunes:new-feed-url>"
      "<x:note a=\"1\">catatan &amp; lain</x:note>"
      "<item><title>lama</title><guid>g1</guid><pubDate>Sun, 01 Mar 2026 06:00:00 +0700</pubDate>"
      "<content:encoded><![CDATA[<p>isi</p>]]></content:encoded><itunes:image href=\"https://i.example/c.jpg\"/>"
      "</item></channel></rss>\n";
  const ParsedFeed parsed = parseFeed(original);
  FeedChannel ch = channel();
  ch.kept_namespaces = parsed.kept_namespaces;
  ch.kept_root_attributes = parsed.kept_root_attributes;
  ch.kept_elements = parsed.kept_elements;
  FeedItem fresh = episode("2026-03-02");
  const std::string xml = renderFeed(ch, mergeItems(parsed.items, fresh, 10), 0);
  INFO(xml);
  // Read back with libxml2 by namespace URI, not by the text warta wrote.
  xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "f.xml", "UTF-8", XML_PARSE_NONET);
  REQUIRE(doc != nullptr);
  xmlNode* root = xmlDocGetRootElement(doc);
  xmlChar* lang = xmlGetNsProp(root, BAD_CAST "lang", XML_XML_NAMESPACE);
  CHECK(lang != nullptr);
  if (lang) CHECK(std::string(reinterpret_cast<char*>(lang)) == "id");
  xmlFree(lang);
  std::map<std::string, std::string> found;  // "{ns}name" -> content or href
  xmlNode* chan = root->children;
  while (chan && chan->type != XML_ELEMENT_NODE) chan = chan->next;
  REQUIRE(chan != nullptr);
  for (xmlNode* n = chan->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    const std::string ns = n->ns ? reinterpret_cast<const char*>(n->ns->href) : "";
    const std::string name = reinterpret_cast<const char*>(n->name);
    if (name != "item") {
      xmlChar* c = xmlNodeGetContent(n);
      found["{" + ns + "}" + name] = c ? reinterpret_cast<char*>(c) : "";
      xmlFree(c);
      continue;
    }
    std::string guid;
    for (xmlNode* f = n->children; f; f = f->next)
      if (f->type == XML_ELEMENT_NODE && std::string(reinterpret_cast<const char*>(f->name)) == "guid") {
        xmlChar* c = xmlNodeGetContent(f);
        guid = reinterpret_cast<char*>(c);
        xmlFree(c);
      }
    for (xmlNode* f = n->children; f; f = f->next) {
      if (f->type != XML_ELEMENT_NODE || !f->ns) continue;
      xmlChar* c = xmlHasProp(f, BAD_CAST "href") ? xmlGetProp(f, BAD_CAST "href") : xmlNodeGetContent(f);
      found[guid + "{" + reinterpret_cast<const char*>(f->ns->href) + "}" + reinterpret_cast<const char*>(f->name)] =
          reinterpret_cast<char*>(c);
      xmlFree(c);
    }
  }
  xmlFreeDoc(doc);
  CHECK(found["{http://www.itunes.com/dtds/podcast-1.0.dtd}new-feed-url"] == "https://n.example/f.xml");
  CHECK(found["{urn:x}note"] == "catatan & lain");
  CHECK(found["{}title"] == channel().title);  // managed: the channel's own, once
  CHECK(found["g1{http://purl.org/rss/1.0/modules/content/}encoded"] == "<p>isi</p>");
  CHECK(found["g1{http://www.itunes.com/dtds/podcast-1.0.dtd}image"] == "https://i.example/c.jpg");
  CHECK(found.count(fresh.guid + "{http://purl.org/rss/1.0/modules/content/}encoded") == 0);
  // A rebuilt episode (same guid) keeps what was added to its item by hand.
  FeedItem rebuilt = parsed.items.at(0);
  rebuilt.kept_elements.clear();
  const auto merged = mergeItems(parsed.items, rebuilt, 10);
  REQUIRE(merged.size() == 1);
  CHECK(merged[0].kept_elements.find("content:encoded") != std::string::npos);
}

namespace {

const std::string kItunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";

// The text of the first element `name` (in namespace `ns`, "" for none) in
// document order, and of its attribute `attribute` when one is named; as libxml2 parses it.
std::string valueOf(const std::string& xml, const std::string& ns, const std::string& name,
                    const char* attribute = nullptr) {
  xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "f.xml", "UTF-8", XML_PARSE_NONET);
  if (!doc) return "<not well-formed>";
  std::string out = "<missing>";
  std::vector<xmlNode*> todo{xmlDocGetRootElement(doc)};
  while (!todo.empty() && out == "<missing>") {
    xmlNode* n = todo.back();
    todo.pop_back();
    for (xmlNode* c = n->last; c; c = c->prev)
      if (c->type == XML_ELEMENT_NODE) todo.push_back(c);
    const std::string href = n->ns ? reinterpret_cast<const char*>(n->ns->href) : "";
    if (href != ns || name != reinterpret_cast<const char*>(n->name)) continue;
    xmlChar* v = attribute ? xmlGetProp(n, BAD_CAST attribute) : xmlNodeGetContent(n);
    out = v ? reinterpret_cast<const char*>(v) : "<no value>";
    xmlFree(v);
  }
  xmlFreeDoc(doc);
  return out;
}

}  // namespace

TEST_CASE("& < > \" ' and non-ASCII reach the feed escaped once, as libxml2's writer escapes them", "[feed][issue15]") {
  const std::string tricky =
      "Kabar & <Pagi> \"Warga\" 'Kita' \xE2\x80\x94 D\xC3\xA9j\xC3\xA0 vu \xE6\x97\xA5\xE6\x9C\xAC";
  FeedChannel ch = channel();
  ch.title = tricky + "\x01";  // a control byte, dropped by xmlChars on the way in
  ch.author = "Radio <Warga> & \"Kita\"";
  ch.category = "News & <Politics> \"x\" 'y'";
  ch.image_url = "https://example.id/c.png?a=1&b=<2>";
  FeedItem it = episode("2025-06-11", tricky);
  it.description = "A & B < C > D; \"kutip\" 'tunggal'\xEF\xBF\xBF";
  it.enclosure_url = "https://example.id/a.mp3?x=\"1\"&y='2'";
  const std::string xml = renderFeed(ch, {it}, 0);
  INFO(xml);
  CHECK(valueOf(xml, "", "title") == tricky);
  CHECK(valueOf(xml, "", "description", nullptr) == "Berita pagi");
  CHECK(valueOf(xml, kItunes, "author") == "Radio <Warga> & \"Kita\"");
  CHECK(valueOf(xml, kItunes, "name") == "Radio <Warga> & \"Kita\"");
  CHECK(valueOf(xml, kItunes, "category", "text") == "News & <Politics> \"x\" 'y'");
  CHECK(valueOf(xml, kItunes, "image", "href") == "https://example.id/c.png?a=1&b=<2>");
  CHECK(valueOf(xml, "", "url") == "https://example.id/c.png?a=1&b=<2>");
  CHECK(valueOf(xml, "", "enclosure", "url") == "https://example.id/a.mp3?x=\"1\"&y='2'");
  const auto items = parseFeedItems(xml);
  REQUIRE(items.size() == 1);
  CHECK(items[0].title == tricky + " 2025-06-11");
  CHECK(items[0].description == "A & B < C > D; \"kutip\" 'tunggal'");
  // Escaped once (never "&amp;amp;"), non-ASCII as UTF-8 bytes (not character references).
  CHECK(xml.find("&amp;amp;") == std::string::npos);
  CHECK(xml.find("&amp;lt;") == std::string::npos);
  CHECK(xml.find("D\xC3\xA9j\xC3\xA0 vu \xE6\x97\xA5\xE6\x9C\xAC") != std::string::npos);
  CHECK(xml.find("&#") == std::string::npos);
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss", 0) == 0);
}

TEST_CASE("a feed written, read back and written again is byte-identical", "[feed][issue15]") {
  // A hand-edited feed with everything warta keeps: foreign namespaces and
  // attributes on <rss>, elements it does not manage, CDATA, a namespace
  // declared on an item's element, text that needs escaping.
  const std::string original =
      "<?xml version=\"1.0\"?>\n"
      "<rss version=\"2.0\" xml:lang=\"id\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""
      " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:x=\"urn:x\" x:flag=\"a &amp; b\">\n"
      "<channel><title>t</title><itunes:new-feed-url>https://n.example/f.xml</itunes:new-feed-url>\n"
      "  <x:note a=\"1 &lt; 2\">catatan &amp; lain <x:sub>\xC3\xA9</x:sub></x:note>\n"
      "  <x:box><x:a>1</x:a><x:b/></x:box>\n"
      "<item><title>lama &amp; baru</title><guid>g1</guid><pubDate>Sun, 01 Mar 2026 06:00:00 +0700</pubDate>"
      "<content:encoded><![CDATA[<p>isi & \"kutip\"</p>]]></content:encoded>"
      "<y:seg xmlns:y=\"urn:y\" slot=\"pagi\"/></item></channel></rss>\n";
  const ParsedFeed parsed = parseFeed(original);
  const auto render = [](const ParsedFeed& from) {
    FeedChannel ch = channel();
    ch.self_url = urlFor(ch.link, "feed.xml");
    ch.guid = podcastGuid(ch.self_url);
    ch.title = "Kabar & <Pagi> \xE2\x80\x94 D\xC3\xA9j\xC3\xA0";
    ch.kept_namespaces = from.kept_namespaces;
    ch.kept_root_attributes = from.kept_root_attributes;
    ch.kept_elements = from.kept_elements;
    return renderFeed(ch, mergeItems(from.items, episode("2026-03-02", "Kabar & <Pagi>"), 10), 1767225600);
  };
  const std::string first = render(parsed);
  const std::string second = render(parseFeed(first));
  const std::string third = render(parseFeed(second));
  INFO(first);
  CHECK(second == first);
  CHECK(third == first);
  // What was kept is there, by namespace, with its values (read by libxml2, expected from the original).
  CHECK(valueOf(first, "urn:x", "note") == "catatan & lain \xC3\xA9");
  CHECK(valueOf(first, "urn:x", "note", "a") == "1 < 2");
  CHECK(valueOf(first, "urn:x", "sub") == "\xC3\xA9");
  CHECK(valueOf(first, "urn:x", "box") == "1");
  CHECK(valueOf(first, "urn:y", "seg", "slot") == "pagi");
  CHECK(valueOf(first, "http://purl.org/rss/1.0/modules/content/", "encoded") == "<p>isi & \"kutip\"</p>");
  xmlDoc* doc = xmlReadMemory(first.data(), static_cast<int>(first.size()), "f.xml", "UTF-8", XML_PARSE_NONET);
  REQUIRE(doc != nullptr);
  xmlChar* flag = xmlGetNsProp(xmlDocGetRootElement(doc), BAD_CAST "flag", BAD_CAST "urn:x");
  CHECK((flag ? std::string(reinterpret_cast<char*>(flag)) : "<missing>") == "a & b");
  xmlFree(flag);
  xmlFreeDoc(doc);
  CHECK(parseFeedItems(first).size() == 2);
}
