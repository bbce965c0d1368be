// End to end: `warta build` with a `publish:` block keeps a podcast feed.
// feed.xml is parsed with libxml2 here, and with a real podcast feed parser
// (npm rss-parser, installed into build/npm by scripts/setup.sh) when node is there.
#include <catch2/catch.hpp>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

const char* kItunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
const char* kPodcast = "https://podcastindex.org/namespace/1.0";

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A rundown with one short story, dated `date`, publishing to https://radio.example/pod.
fs::path writeRundown(const fs::path& dir, const std::string& date) {
  fs::create_directories(dir);
  fs::copy_file(sourceDir() / "samples" / "articles" / "panen-raya.txt", dir / "panen.txt", fs::copy_options::overwrite_existing);
  fs::copy_file(sourceDir() / "samples" / "cover.png", dir / "cover art.png", fs::copy_options::overwrite_existing);
  const fs::path rundown = dir / ("rundown-" + date + ".yaml");
  std::ofstream(rundown) << "show: Kabar & \"Pagi\"\n"
                            "station: Radio <Warga>\n"
                            "date: " << date << "\n"
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
  const auto its = items(ch);
  REQUIRE(its.size() == expected_items);
  for (xmlNode* it : its) {
    const std::string title = text(child(it, "title"));
    INFO(title);
    REQUIRE(title.rfind("Kabar & \"Pagi\" ", 0) == 0);
    const std::string date = title.substr(title.size() - 10);
    const std::string file = "Kabar & \"Pagi\" " + date;
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

std::vector<std::string> itemTitles(const fs::path& feed) {
  const Xml x(feed);
  std::vector<std::string> titles;
  for (xmlNode* it : items(channelOf(x))) titles.push_back(text(child(it, "title")));
  return titles;
}

}  // namespace

TEST_CASE("build with a publish block writes and updates feed.xml", "[e2e][feed]") {
  const fs::path dir = tempDir("e2e-feed");
  const fs::path feed = dir / "feed.xml";

  const CliResult first = runWarta({"build", writeRundown(dir, "2025-06-11").string()});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(fs::is_regular_file(feed));
  checkFeed(feed, dir, 1);

  // The same episode again: its item is replaced, not duplicated.
  const CliResult again = runWarta({"build", writeRundown(dir, "2025-06-11").string()});
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  checkFeed(feed, dir, 1);

  // Another date: two items, newest first.
  const CliResult next = runWarta({"build", writeRundown(dir, "2025-06-12").string()});
  INFO(next.err);
  REQUIRE(next.exit_code == 0);
  checkFeed(feed, dir, 2);
  CHECK(itemTitles(feed) == std::vector<std::string>{"Kabar & \"Pagi\" 2025-06-12", "Kabar & \"Pagi\" 2025-06-11"});
  CHECK(leftoverTemps(dir).empty());

  // A real podcast feed parser from outside the project agrees.
  const fs::path parser = sourceDir() / "build" / "npm" / "node_modules" / "rss-parser";
  if (std::system("command -v node >/dev/null 2>&1") != 0 || !fs::is_directory(parser))
    FAIL("node or build/npm/node_modules/rss-parser is missing: scripts/setup.sh installs rss-parser with npm");
  const fs::path script = dir / "parse.js";
  std::ofstream(script) << "const Parser = require(" << '"' << parser.string() << '"' << R"();
const fs = require('fs');
new Parser().parseString(fs.readFileSync(process.argv[2], 'utf8')).then(f => {
  const it = f.items[0];
  console.log([f.title, f.items.length, it.title, it.guid, it.enclosure.url, it.enclosure.length,
               it.enclosure.type, f.itunes.explicit, f.itunes.categories[0]].join('|'));
}).catch(e => { console.error(e); process.exit(1); });
)";
  const fs::path out = dir / "parse.out";
  const std::string cmd = "node '" + script.string() + "' '" + feed.string() + "' > '" + out.string() + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string expected = "Kabar & \"Pagi\"|2|Kabar & \"Pagi\" 2025-06-12|warta:Kabar & \"Pagi\":2025-06-12|"
                               "https://radio.example/pod/Kabar%20%26%20%22Pagi%22%202025-06-12.mp3|" +
                               std::to_string(fs::file_size(dir / "Kabar & \"Pagi\" 2025-06-12.mp3")) +
                               "|audio/mpeg|false|News\n";
  CHECK(readAll(out) == expected);
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
  CHECK(itemTitles(dir / "feed.xml") == std::vector<std::string>{"Kabar & \"Pagi\" 2025-07-02", "Kabar & \"Pagi\" 2025-07-01"});
  CHECK(leftoverTemps(dir).empty());
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
  CHECK(itemTitles(dir / "public" / "podcast.xml").size() == 1);
}
