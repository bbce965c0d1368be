// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: `warta build` with a `publish:` block keeps a podcast feed.
// feed.xml is parsed with libxml2 here, and with two real podcast feed parsers
// (npm rss-parser and podcast-partytime, installed into build/npm by scripts/setup.sh).
#include <catch2/catch.hpp>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "publish/feed.h"
#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

const char* kItunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
const char* kPodcast = "https://podcastindex.org/namespace/1.0";
const char* kAtom = "http://www.w3.org/2005/Atom";
const std::string kBase = "https://radio.example/pod";

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A rundown with one short story, dated `date`, publishing to https://radio.example/pod.
fs::path writeRundown(const fs::path& dir, const std::string& date) {
  fs::create_directories(dir);
  fs::copy_file(sourceDir() / "samples" / "articles" / "panen-raya.txt", dir / "panen.txt",
                fs::copy_options::overwrite_existing);
  fs::copy_file(sourceDir() / "samples" / "cover.png", dir / "cover art.png", fs::copy_options::overwrite_existing);
  const fs::path rundown = dir / ("rundown-" + date + ".yaml");
  std::ofstream(rundown) << "show: Kabar & \"Pagi\"\n"
                            "station: Radio <Warga>\n"
                            "date: "
                         << date
                         << "\n"
                            "output: { file: \"{show} {date}.mp3\", bitrate: 64, channels: 1 }\n"
                            "publish:\n"
                            "  base_url: https://radio.example/pod\n"
                            "  keep: 10\n"
                            "  description: Berita pagi dari warga\n"
                            "  author: Tim Redaksi\n"
                            "  email: redaksi@radio.example\n"
                            "  image: cover art.png\n"
                            "stories: [panen.txt]\n";
  return rundown;
}

struct Xml {
  xmlDoc* doc = nullptr;
  explicit Xml(const fs::path& file) {
    const std::string text = readAll(file);
    doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), "feed.xml", "UTF-8", XML_PARSE_NONET);
  }
  ~Xml() { xmlFreeDoc(doc); }
};

bool is(xmlNode* n, const char* name, const char* ns = nullptr) {
  if (n->type != XML_ELEMENT_NODE || std::string(reinterpret_cast<const char*>(n->name)) != name) return false;
  if (!ns) return n->ns == nullptr;
  return n->ns && std::string(reinterpret_cast<const char*>(n->ns->href)) == ns;
}
xmlNode* child(xmlNode* parent, const char* name, const char* ns = nullptr) {
  for (xmlNode* n = parent ? parent->children : nullptr; n; n = n->next)
    if (is(n, name, ns)) return n;
  return nullptr;
}
std::string text(xmlNode* n) {
  if (!n) return "<missing>";
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  return s;
}
std::string attr(xmlNode* n, const char* name) {
  if (!n) return "<missing>";
  xmlChar* c = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string s = c ? reinterpret_cast<const char*>(c) : "<missing>";
  xmlFree(c);
  return s;
}
std::vector<xmlNode*> items(xmlNode* channel) {
  std::vector<xmlNode*> out;
  for (xmlNode* n = channel ? channel->children : nullptr; n; n = n->next)
    if (is(n, "item")) out.push_back(n);
  return out;
}
xmlNode* channelOf(const Xml& x) {
  xmlNode* root = x.doc ? xmlDocGetRootElement(x.doc) : nullptr;
  return root && is(root, "rss") ? child(root, "channel") : nullptr;
}

// Checks the channel and every item: tags, and enclosure lengths against the files in `dir`.
void checkFeed(const fs::path& feed, const fs::path& dir, std::size_t expected_items) {
  const Xml x(feed);
  REQUIRE(x.doc != nullptr);
  xmlNode* root = xmlDocGetRootElement(x.doc);
  CHECK(attr(root, "version") == "2.0");
  xmlNode* ch = channelOf(x);
  REQUIRE(ch != nullptr);
  CHECK(text(child(ch, "title")) == "Kabar & \"Pagi\"");
  CHECK(text(child(ch, "link")) == "https://radio.example/pod");
  CHECK(text(child(ch, "description")) == "Berita pagi dari warga");
  CHECK(text(child(ch, "language")) == "id");
  CHECK_FALSE(text(child(ch, "lastBuildDate")).empty());
  CHECK(text(child(ch, "author", kItunes)) == "Tim Redaksi");
  xmlNode* owner = child(ch, "owner", kItunes);
  CHECK(text(child(owner, "name", kItunes)) == "Tim Redaksi");
  CHECK(text(child(owner, "email", kItunes)) == "redaksi@radio.example");
  CHECK(attr(child(ch, "category", kItunes), "text") == "News");
  CHECK(text(child(ch, "explicit", kItunes)) == "false");
  CHECK(attr(child(ch, "image", kItunes), "href") == "https://radio.example/pod/cover%20art.png");
  CHECK(text(child(child(ch, "image"), "url")) == "https://radio.example/pod/cover%20art.png");
  xmlNode* self = child(ch, "link", kAtom);
  CHECK(attr(self, "rel") == "self");
  CHECK(attr(self, "type") == "application/rss+xml");
  CHECK(attr(self, "href") == "https://radio.example/pod/" + feed.filename().string());
  CHECK(text(child(ch, "guid", kPodcast)) ==
        warta::publish::podcastGuid("radio.example/pod/" + feed.filename().string()));
  const auto its = items(ch);
  REQUIRE(its.size() == expected_items);
  for (xmlNode* it : its) {
    const std::string title = text(child(it, "title"));
    INFO(title);
    // A title for people, from the language data: "Kabar & "Pagi", Rabu, 11 Juni 2025".
    CHECK(std::regex_match(title, std::regex("Kabar & \"Pagi\", (Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), "
                                             "[0-9]{1,2} (Juni|Juli) 2025")));
    const std::string guid_text = text(child(it, "guid"));
    const std::string date = guid_text.substr(guid_text.size() - 10);
    const std::string file = "Kabar & \"Pagi\" " + date;
    CHECK(text(child(it, "link")) == "https://radio.example/pod/Kabar%20%26%20%22Pagi%22%20" + date + ".html");
    CHECK(fs::is_regular_file(dir / (file + ".html")));
    CHECK(text(child(it, "description")).find("Panen") != std::string::npos);  // the headline
    CHECK(text(child(it, "pubDate")).find(" 06:00:00 +0700") != std::string::npos);
    xmlNode* guid = child(it, "guid");
    CHECK(attr(guid, "isPermaLink") == "false");
    CHECK(text(guid) == "warta:Kabar & \"Pagi\":" + date);
    xmlNode* enc = child(it, "enclosure");
    CHECK(attr(enc, "url") == "https://radio.example/pod/Kabar%20%26%20%22Pagi%22%20" + date + ".mp3");
    CHECK(attr(enc, "type") == "audio/mpeg");
    REQUIRE(fs::is_regular_file(dir / (file + ".mp3")));
    CHECK(attr(enc, "length") == std::to_string(fs::file_size(dir / (file + ".mp3"))));
    CHECK(text(child(it, "duration", kItunes)).size() == 8);  // HH:MM:SS
    xmlNode* transcript = child(it, "transcript", kPodcast);
    CHECK(attr(transcript, "type") == "text/vtt");
    CHECK(attr(transcript, "url") == "https://radio.example/pod/Kabar%20%26%20%22Pagi%22%20" + date + ".vtt");
    CHECK(fs::is_regular_file(dir / (file + ".vtt")));
    // A second transcript: Podcasting 2.0 JSON with word times.
    xmlNode* json = transcript;
    while (json && (json = json->next) && !is(json, "transcript", kPodcast)) {
    }
    REQUIRE(json != nullptr);
    CHECK(attr(json, "type") == "application/json");
    CHECK(attr(json, "url") == "https://radio.example/pod/Kabar%20%26%20%22Pagi%22%20" + date + ".transcript.json");
    CHECK(readText(dir / (file + ".transcript.json")).find("\"words\": [") != std::string::npos);
    xmlNode* chapters = child(it, "chapters", kPodcast);
    CHECK(attr(chapters, "type") == "application/json+chapters");
    CHECK(attr(chapters, "url") == "https://radio.example/pod/Kabar%20%26%20%22Pagi%22%20" + date + ".chapters.json");
    CHECK(fs::is_regular_file(dir / (file + ".chapters.json")));
  }
}

// "%20" -> " ": a URL's path as the file name a web server maps it to.
std::string percentDecoded(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Every URL in the feed that names a file (enclosures, artwork, transcripts,
// chapters, episode pages, the feed itself), each checked against `served`:
// after uploading that folder to base_url, no link in the feed is broken.
void checkEveryUrlIsServed(const fs::path& feed, const fs::path& served) {
  const Xml x(feed);
  xmlNode* ch = channelOf(x);
  REQUIRE(ch != nullptr);
  std::vector<std::string> urls = {attr(child(ch, "link", kAtom), "href"), attr(child(ch, "image", kItunes), "href"),
                                   text(child(child(ch, "image"), "url"))};
  for (xmlNode* it : items(ch)) {
    urls.push_back(text(child(it, "link")));
    for (xmlNode* n = it->children; n; n = n->next) {
      if (is(n, "enclosure")) urls.push_back(attr(n, "url"));
      if (is(n, "transcript", kPodcast) || is(n, "chapters", kPodcast)) urls.push_back(attr(n, "url"));
    }
  }
  CHECK(urls.size() == 3 + items(ch).size() * 5);
  for (const std::string& url : urls) {
    INFO(url);
    REQUIRE(url.rfind(kBase + "/", 0) == 0);
    const std::string name = percentDecoded(url.substr(kBase.size() + 1));
    CHECK(name.find('/') == std::string::npos);
    CHECK(fs::is_regular_file(served / name));
  }
}

std::vector<std::string> itemTitles(const fs::path& feed) {
  const Xml x(feed);
  std::vector<std::string> titles;
  for (xmlNode* it : items(channelOf(x))) titles.push_back(text(child(it, "title")));
  return titles;
}

}  // namespace

TEST_CASE("build with a publish block writes and updates feed.xml", "[e2e][feed]") {
  const fs::path dir = tempDir("e2e-feed");
  // The folder that is uploaded to base_url, apart from the rundown and its artwork.
  const fs::path served = dir / "public";
  const fs::path feed = served / "feed.xml";
  const auto build = [&](const std::string& date) {
    return runWarta({"build", writeRundown(dir, date).string(), "-o", served.string()});
  };

  const CliResult first = build("2025-06-11");
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(fs::is_regular_file(feed));
  checkFeed(feed, served, 1);
  // The artwork is copied beside the feed, byte for byte.
  CHECK(readAll(served / "cover art.png") == readAll(sourceDir() / "samples" / "cover.png"));

  // The same episode again: its item is replaced, not duplicated.
  const CliResult again = build("2025-06-11");
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  checkFeed(feed, served, 1);

  // Another date: two items, newest first, titled for people.
  const CliResult next = build("2025-06-12");
  INFO(next.err);
  REQUIRE(next.exit_code == 0);
  checkFeed(feed, served, 2);
  CHECK(itemTitles(feed) ==
        std::vector<std::string>{"Kabar & \"Pagi\", Kamis, 12 Juni 2025", "Kabar & \"Pagi\", Rabu, 11 Juni 2025"});
  CHECK(leftoverTemps(served).empty());

  // After upload every link works: each URL names a file in the folder, and
  // the folder holds no lock file (nor anything but what was published).
  checkEveryUrlIsServed(feed, served);
  for (const auto& e : fs::directory_iterator(served)) {
    INFO(e.path());
    CHECK(e.path().extension() != ".lock");
  }
  CHECK_FALSE(fs::exists(dir / "feed.xml.lock"));

  const fs::path modules = sourceDir() / "build" / "npm" / "node_modules";
  if (std::system("command -v node >/dev/null 2>&1") != 0 || !fs::is_directory(modules / "rss-parser") ||
      !fs::is_directory(modules / "podcast-partytime"))
    FAIL(
        "node or build/npm/node_modules/{rss-parser,podcast-partytime} is missing: scripts/setup.sh installs them with "
        "npm");

  // A real podcast feed parser from outside the project agrees.
  const fs::path script = dir / "parse.js";
  std::ofstream(script) << "const Parser = require(" << '"' << (modules / "rss-parser").string() << '"' << R"();
const fs = require('fs');
new Parser().parseString(fs.readFileSync(process.argv[2], 'utf8')).then(f => {
  const it = f.items[0];
  console.log([f.title, f.items.length, it.title, it.guid, it.enclosure.url, it.enclosure.length,
               it.enclosure.type, f.itunes.explicit, f.itunes.categories[0], it.link].join('|'));
}).catch(e => { console.error(e); process.exit(1); });
)";
  const fs::path out = dir / "parse.out";
  const std::string cmd = "node '" + script.string() + "' '" + feed.string() + "' > '" + out.string() + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string expected =
      "Kabar & \"Pagi\"|2|Kabar & \"Pagi\", Kamis, 12 Juni 2025|warta:Kabar & \"Pagi\":2025-06-12|"
      "https://radio.example/pod/Kabar%20%26%20%22Pagi%22%202025-06-12.mp3|" +
      std::to_string(fs::file_size(served / "Kabar & \"Pagi\" 2025-06-12.mp3")) +
      "|audio/mpeg|false|News|https://radio.example/pod/Kabar%20%26%20%22Pagi%22%202025-06-12.html\n";
  CHECK(readAll(out) == expected);

  // podcast-partytime, the Podcast Index's parser, sees the Podcasting 2.0
  // parts: the guid, the self link, the artwork, transcripts and chapters.
  const fs::path pt_script = dir / "partytime.js";
  std::ofstream(pt_script) << "const pt = require(" << '"' << (modules / "podcast-partytime").string() << '"' << R"();
const fs = require('fs');
const f = pt.parseFeed(fs.readFileSync(process.argv[2], 'utf8'));
if (!f) { console.error('partytime could not parse the feed'); process.exit(1); }
console.log(JSON.stringify(f));
)";
  const fs::path pt_out = dir / "partytime.json";
  const std::string pt_cmd =
      "PARTYTIME_LOG=silent node '" + pt_script.string() + "' '" + feed.string() + "' > '" + pt_out.string() + "'";
  REQUIRE(std::system(pt_cmd.c_str()) == 0);
  const auto f = nlohmann::json::parse(readAll(pt_out));
  const std::string base = "https://radio.example/pod/Kabar%20%26%20%22Pagi%22%202025-06-12";
  CHECK(f.value("title", "") == "Kabar & \"Pagi\"");
  CHECK(f.value("guid", "") == warta::publish::podcastGuid("radio.example/pod/feed.xml"));
  CHECK(f["pubsub"].value("self", "") == "https://radio.example/pod/feed.xml");
  CHECK(f.value("itunesImage", "") == "https://radio.example/pod/cover%20art.png");
  CHECK(f["image"].value("url", "") == "https://radio.example/pod/cover%20art.png");
  CHECK(f.value("language", "") == "id");
  REQUIRE(f["items"].size() == 2);
  const auto& it = f["items"][0];
  CHECK(it.value("title", "") == "Kabar & \"Pagi\", Kamis, 12 Juni 2025");
  CHECK(it.value("guid", "") == "warta:Kabar & \"Pagi\":2025-06-12");
  CHECK(it.value("link", "") == base + ".html");
  CHECK(it["enclosure"].value("url", "") == base + ".mp3");
  CHECK(it["enclosure"].value("type", "") == "audio/mpeg");
  CHECK(it.value("duration", 0) > 0);
  REQUIRE(it["podcastTranscripts"].size() == 2);
  CHECK(it["podcastTranscripts"][0].value("url", "") == base + ".vtt");
  CHECK(it["podcastTranscripts"][0].value("type", "") == "text/vtt");
  CHECK(it["podcastTranscripts"][1].value("url", "") == base + ".transcript.json");
  CHECK(it["podcastTranscripts"][1].value("type", "") == "application/json");
  CHECK(it["podcastChapters"].value("url", "") == base + ".chapters.json");
  CHECK(it["podcastChapters"].value("type", "") == "application/json+chapters");
  const std::string phases = f["pc20support"].dump();
  for (const char* tag : {"\"guid\"", "\"transcript\"", "\"chapters\""}) {
    INFO(phases);
    CHECK(phases.find(tag) != std::string::npos);
  }
}

TEST_CASE("two builds at once both land in the feed", "[e2e][feed]") {
  const fs::path dir = tempDir("e2e-feed-concurrent");
  const fs::path a = writeRundown(dir, "2025-07-01");
  const fs::path b = writeRundown(dir, "2025-07-02");
  CliResult ra, rb;
  std::thread ta([&] { ra = runWarta({"build", a.string()}); });
  std::thread tb([&] { rb = runWarta({"build", b.string()}); });
  ta.join();
  tb.join();
  INFO(ra.err << rb.err);
  REQUIRE(ra.exit_code == 0);
  REQUIRE(rb.exit_code == 0);
  checkFeed(dir / "feed.xml", dir, 2);
  CHECK(itemTitles(dir / "feed.xml") ==
        std::vector<std::string>{"Kabar & \"Pagi\", Rabu, 2 Juli 2025", "Kabar & \"Pagi\", Selasa, 1 Juli 2025"});
  CHECK(leftoverTemps(dir).empty());
  // The artwork was already in the output folder (the rundown's): served as it is, not copied onto itself.
  checkEveryUrlIsServed(dir / "feed.xml", dir);
  CHECK_FALSE(fs::exists(dir / "feed.xml.lock"));
}

TEST_CASE("feed: names another feed path relative to the rundown", "[e2e][feed]") {
  const fs::path dir = tempDir("e2e-feed-path");
  const fs::path rundown = writeRundown(dir, "2025-06-11");
  std::ofstream(rundown, std::ios::app) << "";
  std::string yaml = readAll(rundown);
  yaml.replace(yaml.find("  keep: 10\n"), 10, "  keep: 10\n  feed: public/podcast.xml\n");
  fs::create_directories(dir / "public");
  std::ofstream(rundown) << yaml;
  const CliResult r = runWarta({"build", rundown.string(), "-o", (dir / "out").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::is_regular_file(dir / "public" / "podcast.xml"));
  CHECK_FALSE(fs::exists(dir / "out" / "feed.xml"));
  CHECK(fs::is_regular_file(dir / "out" / "cover art.png"));  // the artwork goes where the episodes are
  CHECK(readAll(dir / "public" / "podcast.xml").find("href=\"https://radio.example/pod/podcast.xml\"") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "public" / "podcast.xml.lock"));
  CHECK(itemTitles(dir / "public" / "podcast.xml").size() == 1);
}

TEST_CASE("artwork that podcast directories refuse stops the build before anything is written", "[e2e][feed]") {
  const fs::path dir = tempDir("e2e-feed-artwork");
  const fs::path rundown = writeRundown(dir, "2025-06-11");
  struct Case {
    std::string bytes;
    const char* says;
  } cases[] = {
      {makePng(1000, 1000), "1000x1000 pixels, too small"},
      {makePng(1400, 1000), "1400x1000 pixels, not square"},
      {"GIF89a\x78\x05\x78\x05", "a GIF image"},
      {"Sampul: biru dengan logo.\n", "not a JPEG or PNG image"},
  };
  for (const auto& c : cases) {
    writeBytes(dir / "cover art.png", c.bytes);
    const CliResult r = runWarta({"build", rundown.string(), "-o", (dir / "public").string()});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    // RUNDOWN:LINE:COL of `image:` (line 11, after "  image: "), the file, and what is wrong.
    CHECK(r.err.find(rundown.string() + ":11:10:") != std::string::npos);
    CHECK(r.err.find("cover art.png") != std::string::npos);
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "public"));
  }
}
