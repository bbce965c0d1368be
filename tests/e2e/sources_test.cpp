// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: `warta fetch` and `warta build` on a rundown whose stories come
// from feeds, a WordPress site and web pages served by the local test server.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/cli.h"
#include "support/http_server.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

LocalHttpServer& server() {
  static LocalHttpServer s(sourceDir() / "tests/data/sources");
  return s;
}

void write(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("warta fetch saves each source's stories and names the source that failed", "[e2e][sources]") {
  const fs::path dir = tempDir("e2e-sources-fetch");
  write(dir / "pagi.yaml",
        "show: Kabar Pagi\ndate: 2026-11-30\nstories:\n"
        "  - { feed: " +
            server().url("/files/feed.xml") +
            ", take: 2, since: 24h, match: \"Blitar|Kali\" }\n"
            "  - { feed: " +
            server().url("/status/500") +
            " }\n"
            "  - { wordpress: " +
            server().url("/") +
            ", take: 1, category: daerah }\n"
            "  - { url: \"" +
            server().url("/files/pages/cafe-cp1252.html?type=text/html;charset=windows-1252") + "\" }\n");
  const CliResult r = runWarta({"fetch", (dir / "pagi.yaml").string(), "-o", (dir / "out").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Four stories, in rundown order: the feed's two matching ones (Festival has neither word), WordPress, the page.
  std::vector<std::string> paths;
  for (std::size_t at = 0, end; (end = r.out.find('\n', at)) != std::string::npos; at = end + 1)
    paths.push_back(r.out.substr(at, end - at));
  REQUIRE(paths.size() == 4);
  CHECK(has(paths[0], "/out/sources/"));
  CHECK(has(readText(paths[0]), "# Jembatan Kali Lahar & Jalan Desa Diresmikan\n"));
  CHECK(has(readText(paths[1]), "# Lomba Layang-layang di Pantai Tambakrejo\n"));
  CHECK(has(readText(paths[2]), "url: \"http://wp.example/?p=100\"\n"));
  const std::string cafe = readText(paths[3]);
  CHECK(has(cafe, "title: \"Kaf\xc3\xa9 Baru di Blitar\"\n"));
  CHECK(has(cafe, "\xe2\x80\x9cKami membuka caf\xc3\xa9 ini untuk anak muda,\xe2\x80\x9d"));
  // The failed source is named with its rundown position; the others went on.
  CHECK(has(r.err, "pagi.yaml:5:5: " + server().url("/status/500") + ": the server answered HTTP 500"));
}

TEST_CASE("warta build reads fetched stories into chapters and records them as aired", "[e2e][sources]") {
  const fs::path dir = tempDir("e2e-sources-build");
  write(dir / "pagi.yaml",
        "show: Kabar Pagi\ndate: 2026-11-30\nskip_aired: 2\nstories:\n"
        "  - { feed: " +
            server().url("/files/atom.xml") +
            ", take: 1 }\n"
            "  - { url: " +
            server().url("/status/500") +
            " }\n"
            "  - { url: " +
            server().url("/files/pages/pasar-latin1.html") + " }\n");
  const CliResult r = runWarta({"build", (dir / "pagi.yaml").string(), "-o", dir.string(), "--transcript"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.err, "built without a source that failed: " + (dir / "pagi.yaml").string() +
                       ":6:5: " + server().url("/status/500") + ": the server answered HTTP 500"));
  // The chapters, read by Python's json: the show, then the two fetched headlines.
  const std::string command =
      "python3 -c 'import json,sys; print(\"|\".join(c[\"title\"] for c in "
      "json.load(open(sys.argv[1]))[\"chapters\"]))' '" +
      (dir / "Kabar Pagi-2026-11-30.chapters.json").string() + "' > '" + (dir / "titles").string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string titles = readText(dir / "titles");
  CHECK(has(titles, "|Petani Kediri Panen Nanas Lebih Awal|Pasar Kota Blitar Ramai\n"));
  CHECK(has(readText(dir / "Kabar Pagi-2026-11-30.transcript.txt"),
            "Pedagang menjual pi\xc3\xb1"
            "a dan kue cr\xc3\xa8me"));
  CHECK(has(readText(dir / ".warta-aired.json"), "Kabar Pagi-2026-11-30.mp3"));
}

TEST_CASE("a build whose every source fails exits 1 saying no story is left", "[e2e][sources]") {
  const fs::path dir = tempDir("e2e-sources-none");
  write(dir / "pagi.yaml", "show: Kabar Pagi\nstories:\n  - { feed: " + server().url("/status/404") +
                               " }\n"
                               "  - { url: " +
                               server().url("/loop") + " }\n");
  const CliResult r = runWarta({"build", (dir / "pagi.yaml").string(), "-o", dir.string()});
  CHECK(r.exit_code == 1);
  CHECK(has(r.err, "no story left to read"));
  CHECK(has(r.err, "redirect loop"));
  CHECK_FALSE(fs::exists(dir / "sources" / "nothing"));
}

TEST_CASE("a source item with a wrong key or value is a rundown error with its position", "[e2e][sources]") {
  const fs::path dir = tempDir("e2e-sources-config");
  const std::pair<std::string, std::string> rows[] = {
      {"  - { feed: http://x.example/f, take: 0 }\n", ":3:39: 'take' must be a number of stories from 1 to 50"},
      {"  - { feed: http://x.example/f, since: kemarin }\n", ":3:40: 'since' must be an age such as 24h"},
      {"  - { feed: ftp://x.example/f }\n", ":3:13: 'feed' must be an http:// or https:// address"},
      {"  - { url: http://x.example/, take: 2 }\n", ":3:"},
      {"  - { feed: http://x.example/f, match: \"(\" }\n", ":3:40: 'match' is not a valid pattern"},
  };
  for (const auto& [item, message] : rows) {
    write(dir / "r.yaml", "show: Kabar\nstories:\n" + item);
    const CliResult r = runWarta({"fetch", (dir / "r.yaml").string()});
    INFO(item << r.err);
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "r.yaml" + message));
  }
}
