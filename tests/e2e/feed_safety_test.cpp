// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 14, "hardened like a playout system": what a feed or a batch can no
// longer break. Feeds are read back with Python's xml.etree (not libxml2,
// which warta itself uses), so a document only warta could read fails here.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

const char* kArticle =
    "Jembatan Baru Dibuka\n\n"
    "Warga Desa Sukamaju kini bisa menyeberang sungai tanpa perahu.\n";

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(("(" + command + ") 2>&1").c_str(), "r")) {
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) out.append(buffer, n);
    ::pclose(p);
  }
  return out;
}

// Runs a Python program on `file`; its output (stdout and stderr).
std::string python(const fs::path& dir, const std::string& program, const fs::path& file) {
  writeBytes(dir / "check.py", program);
  return run("python3 '" + (dir / "check.py").string() + "' '" + file.string() + "'");
}

// A rundown for `date` publishing to https://radio.example/pod, its story `story`.
void writeRundown(const fs::path& dir, const std::string& name, const std::string& date, const std::string& story) {
  writeBytes(dir / name, "show: Kabar\nstation: Radio Warga\ndate: " + date +
                             "\noutput: { file: \"{show} {date}.mp3\", bitrate: 64, channels: 1 }\n"
                             "publish: { base_url: https://radio.example/pod, keep: 10 }\n"
                             "stories: [" +
                             story + "]\n");
}

std::map<fs::path, std::string> snapshot(const fs::path& dir) {
  std::map<fs::path, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[e.path()] = readText(e.path());
  return files;
}

// Every item's description and the whole channel, one per line, from xml.etree.
const char* kItemsPy = R"(import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
out = ["items %d" % len(root.findall("./channel/item"))]
for it in root.iter("item"):
    out.append("description " + it.findtext("description"))
sys.stdout.buffer.write(("\n".join(out) + "\n").encode("utf-8"))
)";

}  // namespace

TEST_CASE("feed: a headline with U+FFFE, U+FFFF and control bytes builds, twice, into a well-formed feed",
          "[e2e][feed][issue14]") {
  const fs::path dir = tempDir("e2e-feed-forbidden");
  // U+FFFF and U+FFFE are well-formed UTF-8 but no XML 1.0 character; nor are \x01 and \x1b.
  writeBytes(dir / "a.txt",
             "Jembatan\xEF\xBF\xBF Baru\xEF\xBF\xBE Dibuka\x01\x1b\n\n"
             "Warga Desa Sukamaju kini bisa menyeberang sungai tanpa perahu.\n");
  writeBytes(dir / "b.txt", "Pasar Pagi Ramai\n\nPedagang sayur melayani pembeli sejak subuh.\n");
  writeRundown(dir, "r1.yaml", "2026-03-02", "a.txt");
  writeRundown(dir, "r2.yaml", "2026-03-03", "b.txt");
  const CliResult first = runWarta({"build", "r1.yaml", "--talking-book"}, dir);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const std::string once = python(dir, kItemsPy, dir / "feed.xml");
  INFO(once);
  CHECK(once.find("items 1\n") != std::string::npos);
  CHECK(once.find("description Jembatan Baru Dibuka\n") != std::string::npos);
  // The second build reads the feed the first wrote (it refused it before).
  const CliResult second = runWarta({"build", "r2.yaml"}, dir);
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  const std::string twice = python(dir, kItemsPy, dir / "feed.xml");
  INFO(twice);
  CHECK(twice.find("items 2\n") != std::string::npos);
  CHECK(twice.find("description Jembatan Baru Dibuka\n") != std::string::npos);
  CHECK(twice.find("description Jembatan Baru Dibuka\n", twice.find("description Jembatan Baru Dibuka\n") + 1) ==
        std::string::npos);  // once: b's headline is another
  CHECK(twice.find("description Pasar Pagi Ramai\n") != std::string::npos);
  // The page, captions and the talking book's XHTML hold none of them either.
  const std::string page = readText(dir / "Kabar 2026-03-02.html");
  const std::string vtt = readText(dir / "Kabar 2026-03-02.vtt");
  for (const std::string& text : {page, vtt}) {
    CHECK(text.find("\xEF\xBF\xBF") == std::string::npos);
    CHECK(text.find("\xEF\xBF\xBE") == std::string::npos);
    CHECK(text.find('\x01') == std::string::npos);
  }
  CHECK(vtt.find("Jembatan Baru Dibuka") != std::string::npos);
  // Every XHTML file of the EPUB parses with xml.etree.
  const std::string book = python(dir, R"(import sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
names = [n for n in z.namelist() if n.endswith(".xhtml") or n.endswith(".opf") or n.endswith(".smil")]
for n in names:
    ET.fromstring(z.read(n))
print("parsed %d" % len(names))
)",
                                  dir / "Kabar 2026-03-02.epub");
  INFO(book);
  CHECK(book.rfind("parsed ", 0) == 0);
  CHECK(book != "parsed 0\n");
}

TEST_CASE("feed: an existing feed with a DOCTYPE (an entity bomb) is refused before rendering, fast",
          "[e2e][feed][issue14]") {
  const fs::path dir = tempDir("e2e-feed-bomb");
  writeBytes(dir / "a.txt", kArticle);
  writeRundown(dir, "rundown.yaml", "2026-03-02", "a.txt");
  // "Billion laughs": &l9; is 10^9 "lol"s, 3 GB if a reader expands it.
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n  <!ENTITY l0 \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    bomb += "  <!ENTITY l" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) bomb += "&l" + std::to_string(i - 1) + ";";
    bomb += "\">\n";
  }
  bomb += "]>\n<rss version=\"2.0\"><channel><title>&l9;</title></channel></rss>\n";
  writeBytes(dir / "feed.xml", bomb);
  const auto before = snapshot(dir);
  const auto started = std::chrono::steady_clock::now();
  // Under a 512 MB address-space limit: expanding the bomb would need gigabytes.
  const std::string out = run("cd '" + dir.string() + "' && ulimit -v 524288 && '" + std::string(WARTA_BINARY) +
                              "' build rundown.yaml --no-cache; echo \"exit=$?\"");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  INFO(out);
  CHECK(out.find("exit=1\n") != std::string::npos);
  CHECK(out.find("feed.xml: cannot read the existing feed: has a DOCTYPE") != std::string::npos);
  CHECK(seconds < 5.0);  // refused before anything is rendered (a render of this article takes longer)
  auto after = snapshot(dir);
  CHECK(after == before);  // no bulletin, no transcripts, the feed as it was
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("feed: elements warta does not manage survive a build that adds an episode", "[e2e][feed][issue14]") {
  const fs::path dir = tempDir("e2e-feed-kept");
  writeBytes(dir / "a.txt", kArticle);
  writeRundown(dir, "rundown.yaml", "2026-03-03", "a.txt");
  writeBytes(dir / "feed.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:radio="https://radio.example/ns/1.0">
  <channel>
    <title>Kabar</title>
    <link>https://radio.example/pod</link>
    <description>lama</description>
    <itunes:new-feed-url>https://radio.example/new/feed.xml</itunes:new-feed-url>
    <radio:station call="RWG" band="FM">Radio Warga 101.1</radio:station>
    <copyright>2026 Radio Warga</copyright>
    <item>
      <title>Kabar, Minggu, 1 Maret 2026</title>
      <description>Edisi lama</description>
      <pubDate>Sun, 01 Mar 2026 06:00:00 +0700</pubDate>
      <guid isPermaLink="false">warta:Kabar:2026-03-01</guid>
      <enclosure url="https://radio.example/pod/old.mp3" length="1234" type="audio/mpeg"/>
      <itunes:duration>00:01:00</itunes:duration>
      <content:encoded><![CDATA[<!DOCTYPE html><p>Catatan <b>redaksi</b> & tautan</p>]]></content:encoded>
      <itunes:image href="https://radio.example/pod/old-cover.jpg"/>
      <radio:segment xmlns:radio="https://radio.example/ns/1.0" slot="pagi"/>
    </item>
  </channel>
</rss>
)");
  const CliResult r = runWarta({"build", "rundown.yaml"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string out = python(dir, R"(import sys, xml.etree.ElementTree as ET
IT = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
RADIO = "{https://radio.example/ns/1.0}"
ch = ET.parse(sys.argv[1]).getroot().find("channel")
st = ch.find(RADIO + "station")
lines = ["new-feed-url " + ch.findtext(IT + "new-feed-url"),
         "station %s %s %s" % (st.text, st.get("call"), st.get("band")),
         "copyright " + ch.findtext("copyright"),
         "description " + ch.findtext("description")]
for it in ch.findall("item"):
    g = it.findtext("guid")
    img = it.find(IT + "image")
    seg = it.find(RADIO + "segment")
    lines.append("item %s content=%s image=%s segment=%s" % (g, it.findtext(CONTENT + "encoded"),
                 img.get("href") if img is not None else None, seg.get("slot") if seg is not None else None))
sys.stdout.buffer.write(("\n".join(lines) + "\n").encode("utf-8"))
)",
                                 dir / "feed.xml");
  INFO(out);
  CHECK(out.find("new-feed-url https://radio.example/new/feed.xml\n") != std::string::npos);
  CHECK(out.find("station Radio Warga 101.1 RWG FM\n") != std::string::npos);
  CHECK(out.find("copyright 2026 Radio Warga\n") != std::string::npos);
  CHECK(out.find("description Kabar\n") != std::string::npos);  // managed: the rundown's (the show) replaces "lama"
  CHECK(out.find("item warta:Kabar:2026-03-01 content=<!DOCTYPE html><p>Catatan <b>redaksi</b> & tautan</p> "
                 "image=https://radio.example/pod/old-cover.jpg segment=pagi\n") != std::string::npos);
  CHECK(out.find("item warta:Kabar:2026-03-03 content=None image=None segment=None\n") != std::string::npos);
  // A rebuild of the same episode keeps them too, and adds nothing twice.
  const CliResult again = runWarta({"build", "rundown.yaml"}, dir);
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  const std::string feed = readText(dir / "feed.xml");
  std::size_t count = 0;
  for (std::size_t at = feed.find("new-feed-url>"); at != std::string::npos; at = feed.find("new-feed-url>", at + 1))
    ++count;
  CHECK(count == 2);  // one element: its start and end tags
  CHECK(feed.find("content:encoded") != std::string::npos);
}

TEST_CASE("say: an article that makes no sound is an error, not a file at -19 LUFS", "[e2e][loudness][issue14]") {
  const fs::path dir = tempDir("e2e-silent-say");
  // A headline and a body with nothing a voice says: the story has no spoken text.
  writeBytes(dir / "sunyi.txt", "...\n\n\xF0\x9F\x93\xBB ...\n");
  const CliResult r = runWarta({"say", "sunyi.txt", "-o", "sunyi.mp3", "--transcript", "--no-cache"}, dir);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("sunyi.mp3: the rendered audio is silent") != std::string::npos);
  CHECK(r.err.find("cannot be leveled to -19.0 LUFS") != std::string::npos);
  CHECK(r.err.find("silent: story 1 (sunyi.txt): no spoken text") != std::string::npos);  // what was silent
  CHECK_FALSE(fs::exists(dir / "sunyi.mp3"));
  CHECK_FALSE(fs::exists(dir / "sunyi.vtt"));
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("say --each: a failed article keeps its previous outputs whole, the others are complete",
          "[e2e][batch][issue14]") {
  const fs::path dir = tempDir("e2e-each-commit");
  fs::create_directories(dir / "in");
  writeBytes(dir / "in" / "a.txt", kArticle);
  writeBytes(dir / "in" / "b.txt", "Pasar Pagi Ramai\n\nPedagang sayur melayani pembeli sejak subuh.\n");
  const std::vector<std::string> args = {"say", "--each", "in", "-o", "out", "--transcript", "-j", "2"};
  const CliResult first = runWarta(args, dir);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const std::vector<std::string> kinds = {".mp3",           ".vtt", ".srt", ".transcript.txt", ".transcript.json",
                                          ".chapters.json", ".html"};
  std::map<std::string, std::string> b_before;
  for (const auto& k : kinds) {
    REQUIRE(fs::is_regular_file(dir / "out" / ("b" + k)));
    b_before[k] = readText(dir / "out" / ("b" + k));
  }
  // Both articles change; b fails with all its new outputs made but none committed.
  writeBytes(dir / "in" / "a.txt", "Jembatan Lama Ditutup\n\nWarga kembali naik perahu.\n");
  writeBytes(dir / "in" / "b.txt", "Pasar Malam Sepi\n\nPedagang pulang lebih awal.\n");
  const Background run = startWarta(args, dir, {"WARTA_TEST_FAIL_BEFORE_COMMIT=b.txt"});
  const int code = waitWarta(run, 300);
  const std::string err = readText(run.err);
  INFO(err);
  CHECK(code == 1);
  CHECK(err.find("b.txt: error: failed on purpose before its outputs were committed") != std::string::npos);
  for (const auto& k : kinds) {
    INFO(k);
    CHECK(readText(dir / "out" / ("b" + k)) == b_before.at(k));  // byte for byte the previous run's
  }
  // a: every output new, from the new article.
  CHECK(readText(dir / "out" / "a.transcript.txt").find("Jembatan Lama Ditutup") != std::string::npos);
  CHECK(readText(dir / "out" / "a.vtt").find("Warga kembali naik perahu") != std::string::npos);
  CHECK(readText(dir / "out" / "a.html").find("Jembatan Lama Ditutup") != std::string::npos);
  CHECK(readText(dir / "out" / "a.chapters.json").find("Jembatan Lama Ditutup") != std::string::npos);
  CHECK(readTags(dir / "out" / "a.mp3")["title"] == "Jembatan Lama Ditutup");
  CHECK(leftoverTemps(dir / "out").empty());
}

// Issue 15: the feed and the talking book are written by libxml2. What a
// show may be called reaches every reader as it was typed: escaped once, in
// UTF-8, read back by Python's xml.etree (not libxml2), and a rebuild of the
// same episode writes the same feed (but its lastBuildDate).
TEST_CASE("feed: a show named with & < > \" ' and non-ASCII reads back as typed, and a rebuild writes the same feed",
          "[e2e][feed][epub][issue15]") {
  const fs::path dir = tempDir("e2e-feed-escaped");
  writeBytes(dir / "a.txt", kArticle);
  const std::string show = "Kabar & <Pagi> \"Warga\" 'Kita' \xE2\x80\x94 D\xC3\xA9j\xC3\xA0 \xE6\x97\xA5";
  const std::string station = "Radio <Warga> & Kita";
  writeBytes(dir / "rundown.yaml",
             "show: \"Kabar & <Pagi> \\\"Warga\\\" 'Kita' \xE2\x80\x94 D\xC3\xA9j\xC3\xA0 \xE6\x97\xA5\"\n"
             "station: \"Radio <Warga> & Kita\"\n"
             "date: 2026-03-04\n"
             "output: { file: \"bulletin {date}.mp3\", bitrate: 64, channels: 1 }\n"
             "publish: { base_url: https://radio.example/pod, keep: 10 }\n"
             "stories: [a.txt]\n");
  const CliResult first = runWarta({"build", "rundown.yaml", "--talking-book"}, dir);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const std::string out = python(dir, R"(import sys, zipfile, xml.etree.ElementTree as ET
IT = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
ch = ET.parse(sys.argv[1]).getroot().find("channel")
lines = ["channel " + ch.findtext("title"), "author " + ch.findtext(IT + "author"),
         "owner " + ch.find(IT + "owner").findtext(IT + "name")]
for it in ch.findall("item"):
    lines.append("item " + it.findtext("title"))
    lines.append("guid " + it.findtext("guid"))
z = zipfile.ZipFile(sys.argv[1].replace("feed.xml", "bulletin 2026-03-04.epub"))
opf = ET.fromstring(z.read("EPUB/package.opf"))
DC = "{http://purl.org/dc/elements/1.1/}"
lines.append("book " + opf.find(".//" + DC + "title").text)
lines.append("creator " + opf.find(".//" + DC + "creator").text)
sys.stdout.buffer.write(("\n".join(lines) + "\n").encode("utf-8"))
)",
                                 dir / "feed.xml");
  INFO(out);
  CHECK(out == "channel " + show + "\nauthor " + station + "\nowner " + station + "\nitem " + show +
                   ", Rabu, 4 Maret 2026\nguid warta:" + show + ":2026-03-04\nbook " + show +
                   ", Rabu, 4 Maret 2026\ncreator " + station + "\n");
  // Escaped once, UTF-8 as it is.
  const std::string feed = readText(dir / "feed.xml");
  CHECK(feed.find("&amp;amp;") == std::string::npos);
  CHECK(feed.find("D\xC3\xA9j\xC3\xA0 \xE6\x97\xA5") != std::string::npos);
  // The same episode again: the same bytes, but for the time of the build.
  const auto withoutBuildDate = [](std::string xml) {
    const auto a = xml.find("<lastBuildDate>"), b = xml.find("</lastBuildDate>");
    if (a == std::string::npos || b == std::string::npos) return std::string("<no lastBuildDate>");
    return xml.erase(a, b - a);
  };
  const CliResult again = runWarta({"build", "rundown.yaml", "--talking-book"}, dir);
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  const std::string rebuilt = readText(dir / "feed.xml");
  CHECK(withoutBuildDate(rebuilt) == withoutBuildDate(feed));
  CHECK(withoutBuildDate(feed) != "<no lastBuildDate>");
}
