// SPDX-License-Identifier: GPL-3.0-or-later
// Rundown items that are sources become the stories they gave: their
// priority, and a bed's story numbers, follow them.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "config/rundown.h"
#include "render/story_sources.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::app;

namespace {

// Two items whose text the feed carries (no page is fetched), newest first.
const char* const kFeed = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Mitra Uji</title>
<item><title>Sumur Bor Baru untuk Warga Dusun Krajan</title><link>http://mitra.example/sumur</link>
<pubDate>Tue, 10 Jun 2025 06:00:00 +0700</pubDate>
<content:encoded><![CDATA[<p>Warga Dusun Krajan kini punya sumur bor baru yang dibangun bersama.</p>]]></content:encoded></item>
<item><title>Lomba Perahu Hias di Waduk Wlingi</title><link>http://mitra.example/perahu</link>
<pubDate>Wed, 11 Jun 2025 05:00:00 +0700</pubDate>
<content:encoded><![CDATA[<p>Dua puluh perahu hias ikut lomba di Waduk Wlingi pada hari Minggu.</p>]]></content:encoded></item>
</channel></rss>
)";

fs::path studio() {
  const fs::path dir = warta::test::tempDir("story-sources");
  warta::test::writeBytes(dir / "satu.txt", "Pasar Desa Ramai\n\nPasar desa ramai pengunjung pada pagi hari.\n");
  warta::test::writeBytes(dir / "dua.txt", "Jalan Desa Diperbaiki\n\nJalan desa diperbaiki oleh warga bersama.\n");
  warta::test::writeBytes(dir / "mitra.xml", kFeed);
  warta::test::writeBytes(dir / "kosong.xml", "<rss version=\"2.0\"><channel><title>Kosong</title></channel></rss>");
  const std::string cmd = "ffmpeg -nostdin -loglevel error -y -f lavfi -i anoisesrc=d=2:c=pink:r=44100:a=0.1 '" +
                          (dir / "bed.wav").string() + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  return dir;
}

}  // namespace

TEST_CASE("a feed item's stories take its place, its priority and the bed's story number", "[sources][rundown]") {
  const fs::path dir = studio();
  warta::test::writeBytes(dir / "rundown.yaml",
                          "show: Uji\ndate: 2025-06-11\nbed: { file: bed.wav, stories: [2, 3] }\nstories:\n"
                          "  - satu.txt\n  - { feed: mitra.xml, priority: 4 }\n  - dua.txt\n");
  Rundown r = loadRundown(dir / "rundown.yaml");
  std::ostringstream log;
  fetchStorySources(r, {dir / "out", false}, log);
  INFO(log.str());
  REQUIRE(r.stories.size() == 4);
  CHECK(r.stories[0].file == dir / "satu.txt");
  CHECK(r.stories[1].file.parent_path() == dir / "out" / "sources");
  CHECK(r.stories[2].file.parent_path() == dir / "out" / "sources");
  CHECK(r.stories[3].file == dir / "dua.txt");
  CHECK(r.stories[1].priority == 4);
  CHECK(r.stories[2].priority == 4);
  CHECK(r.stories[0].priority == 1);
  CHECK(r.stories[3].priority == 3);
  // Newest first: 11 June before 10 June.
  CHECK(warta::test::readText(r.stories[1].file).find("Lomba Perahu Hias") != std::string::npos);
  CHECK(warta::test::readText(r.stories[2].file).find("Sumur Bor Baru") != std::string::npos);
  // Items 2 and 3 as written (1-based) are stories 1, 2 and 3 now (0-based).
  REQUIRE(r.bed);
  CHECK(r.bed->stories == std::vector<int>{1, 2, 3});
}

TEST_CASE("a bed under only a source that gave nothing plays under nothing, not everywhere", "[sources][rundown]") {
  const fs::path dir = studio();
  warta::test::writeBytes(dir / "rundown.yaml",
                          "show: Uji\ndate: 2025-06-11\nbed: { file: bed.wav, stories: [2] }\nstories:\n"
                          "  - satu.txt\n  - { feed: kosong.xml }\n  - dua.txt\n");
  Rundown r = loadRundown(dir / "rundown.yaml");
  std::ostringstream log;
  fetchStorySources(r, {dir / "out", false}, log);
  REQUIRE(r.stories.size() == 2);
  CHECK_FALSE(r.bed);
}
