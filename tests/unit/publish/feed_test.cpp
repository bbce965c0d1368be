#include <catch2/catch.hpp>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "publish/feed.h"
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

TEST_CASE("XML escaping covers the five specials", "[feed]") {
  CHECK(xmlEscape("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;");
  CHECK(xmlEscape("Rabu (11/6/2025)") == "Rabu (11/6/2025)");
}

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
  CHECK(xml.find("<title>Kabar &amp; &lt;Pagi&gt; &quot;Warga&quot; &apos;Kita&apos;</title>") != std::string::npos);
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

TEST_CASE("rebuilding an episode replaces its item; keep N keeps the newest", "[feed]") {
  std::vector<FeedItem> items;
  items = mergeItems(items, episode("2025-06-11"), 3);
  FeedItem again = episode("2025-06-11");
  again.length = 999;
  items = mergeItems(items, again, 3);
  REQUIRE(items.size() == 1);
  CHECK(items[0].length == 999);
  for (const char* d : {"2025-06-09", "2025-06-13", "2025-06-12", "2025-06-10"}) items = mergeItems(items, episode(d), 3);
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
  CHECK(fs::exists(dir / "feed.xml.lock"));
  for (const auto& e : fs::directory_iterator(dir)) {
    INFO(e.path());
    CHECK((e.path().filename() == "feed.xml" || e.path().filename() == "feed.xml.lock"));
  }
  const std::string xml = readAll(feed);
  for (const char* tag : {"xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"",
                          "xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"", "<language>id</language>",
                          "<itunes:category text=\"News\"/>", "<itunes:explicit>false</itunes:explicit>",
                          "<itunes:image href=\"https://example.id/pod/cover%20art.png\"/>",
                          "<itunes:email>redaksi@example.id</itunes:email>", "<lastBuildDate>"})
    CHECK(xml.find(tag) != std::string::npos);
}

TEST_CASE("a feed that is not XML is not overwritten", "[feed]") {
  const fs::path dir = warta::test::tempDir("feed-broken");
  const fs::path feed = dir / "feed.xml";
  std::ofstream(feed) << "<rss><channel><item>";
  CHECK_THROWS_WITH(updateFeed(feed, channel(), episode("2025-06-11"), 5), Catch::Contains("cannot read the existing feed"));
  CHECK(readAll(feed) == "<rss><channel><item>");
}
