// SPDX-License-Identifier: GPL-3.0-or-later
// fetchSources against the local fixture server: feeds, WordPress, pages,
// duplicates, stale and aired stories, saved copies, and sources that fail.
#include "net/http.h"
#include "sources/sources.h"
#include "support/cli.h"
#include "support/http_server.h"
#include "text/article.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

namespace fs = std::filesystem;
using namespace warta::sources;

namespace {

warta::test::LocalHttpServer& server() {
  static warta::test::LocalHttpServer s(warta::test::sourceDir() / "tests/data/sources");
  return s;
}

struct TempDir {
  fs::path path;
  TempDir() {
    char name[] = "/tmp/warta-sources-XXXXXX";
    path = mkdtemp(name);
  }
  ~TempDir() { fs::remove_all(path); }
};

SourceSpec spec(SourceSpec::Kind kind, const std::string& location, int take = 5) {
  SourceSpec s;
  s.kind = kind;
  s.location = location;
  s.take = take;
  s.where = "rundown.yaml:1:1";
  return s;
}

FetchOptions options(const fs::path& dir) {
  FetchOptions o;
  o.out_dir = dir;
  o.bulletin = "pagi.mp3";
  o.date = "2026-11-30";
  o.timeout_seconds = 3;
  return o;
}

std::vector<std::string> headlines(const SourceResult& r) {
  std::vector<std::string> out;
  for (const auto& s : r.stories) out.push_back(s.headline);
  return out;
}

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

int hits(const std::string& path, const char* which = "hits") {
  auto j = nlohmann::json::parse(warta::net::get(server().url("/hits")).body);
  return j[which].value(path, 0);
}

}  // namespace

TEST_CASE("feeds give their newest stories once each, skipping old ones and pages that fail", "[sources][fetch]") {
  TempDir dir;
  SourceSpec rss = spec(SourceSpec::Kind::Feed, server().url("/files/feed.xml"), 4);
  rss.since_seconds = 24 * 3600;
  SourceSpec atom = spec(SourceSpec::Kind::Feed, server().url("/files/atom.xml"));
  SourceSpec same_page = spec(SourceSpec::Kind::Page, server().url("/files/pages/jembatan.html"));
  const auto results = fetchSources({rss, atom, same_page}, options(dir.path));
  REQUIRE(results.size() == 3);
  // newest first; "Pasar Lama" is 50 h old; the 404 page is a note, not a failure
  CHECK(headlines(results[0]) == std::vector<std::string>{"Jembatan Kali Lahar & Jalan Desa Diresmikan",
                                                          "Lomba Layang-layang di Pantai Tambakrejo",
                                                          "Festival Kopi Kediri Dibuka"});
  CHECK(results[0].error.empty());
  auto noted = [](const SourceResult& r, const std::string& what) {
    return std::any_of(r.notes.begin(), r.notes.end(),
                       [&](const std::string& n) { return n.find(what) != std::string::npos; });
  };
  CHECK(noted(results[0], "Pasar Lama Ditutup Sementara\": older than 24 h"));
  CHECK(noted(results[0],
              "Halaman Hilang di Blitar\": " + server().url("/status/404") + ": the server answered HTTP 404"));
  // the Atom feed's festival is the same headline in capitals: read once
  CHECK(headlines(results[1]) == std::vector<std::string>{"Petani Kediri Panen Nanas Lebih Awal"});
  CHECK(noted(results[1], "FESTIVAL KOPI KEDIRI DIBUKA!\": already in this bulletin"));
  // the same page without the tracking parameter: the same URL
  CHECK(results[2].stories.empty());
  CHECK(results[2].error.empty());  // a source whose items were all skipped did not fail
  CHECK(noted(results[2], "no story left to read: every item was skipped"));

  // The saved article: front matter with the URL, the text the reader reads.
  const fs::path saved = results[0].stories[0].file;
  CHECK(saved.parent_path() == dir.path / "sources");
  CHECK(saved.filename().string().find("-jembatan-kali-lahar-jalan-desa-diresmikan.txt") == 10);
  const warta::text::Article a = warta::text::readArticle(saved);
  CHECK(a.headline == "Jembatan Kali Lahar & Jalan Desa Diresmikan");
  CHECK(a.url == server().url("/files/pages/jembatan.html?utm_source=rss"));
  CHECK(a.source == "127.0.0.1:" + std::to_string(server().port()));
  REQUIRE(a.blocks.size() == 3);
  CHECK(a.blocks[1].kind == warta::text::Block::Kind::Subhead);
  CHECK(a.blocks[1].text == "Dana Desa");
  CHECK(read(saved).find("Bagikan") == std::string::npos);
  // the page fetched for the festival lost its boilerplate
  const std::string festival = read(results[0].stories[2].file);
  CHECK(festival.find("Kopi dari Lereng Kelud") != std::string::npos);
  CHECK(festival.find("Baca") == std::string::npos);
}

TEST_CASE("WordPress posts come by category slug and search, page after page", "[sources][fetch][wordpress]") {
  TempDir dir;
  SourceSpec daerah = spec(SourceSpec::Kind::WordPress, server().url("/"), 3);
  daerah.category = "daerah";
  daerah.since_seconds = 48 * 3600;
  auto r = fetchSources({daerah}, options(dir.path));
  CHECK(headlines(r[0]) == std::vector<std::string>{"Sekolah Rakyat di Wlingi Mulai Menerima Siswa",
                                                    "Bupati Meninjau Irigasi Sawah di Srengat",
                                                    "Warga Kanigoro Gotong Royong Membersihkan Sungai"});
  const warta::text::Article a = warta::text::readArticle(r[0].stories[0].file);
  CHECK(a.url == "http://wp.example/?p=100");
  CHECK(a.blocks.at(1).text == "Keterangan");
  CHECK(a.blocks.at(1).kind == warta::text::Block::Kind::Subhead);

  // The one match is on page 2 of 2 (5 posts a page): X-WP-TotalPages is followed.
  TempDir dir2;
  SourceSpec gandusari = spec(SourceSpec::Kind::WordPress, server().url(""), 1);
  gandusari.category = "7";
  gandusari.match = "gandusari";
  r = fetchSources({gandusari}, options(dir2.path));
  CHECK(headlines(r[0]) == std::vector<std::string>{"Jalan Tembus Gandusari Rampung Dikerjakan"});

  SourceSpec search = spec(SourceSpec::Kind::WordPress, server().url(""), 5);
  search.search = "voli";
  TempDir dir3;
  r = fetchSources({search}, options(dir3.path));
  CHECK(headlines(r[0]) == std::vector<std::string>{"Tim Voli Putri Blitar Juara Provinsi"});

  SourceSpec unknown = spec(SourceSpec::Kind::WordPress, server().url(""), 5);
  unknown.category = "cuaca";
  r = fetchSources({unknown}, options(dir3.path));
  CHECK(r[0].error.find("no WordPress category with the slug 'cuaca'") != std::string::npos);
}

TEST_CASE("pages in windows-1252 and ISO-8859-1 are saved as exact UTF-8", "[sources][fetch][charset]") {
  TempDir dir;
  auto r = fetchSources({spec(SourceSpec::Kind::Page,
                              server().url("/files/pages/cafe-cp1252.html?type=text/html;%20charset=windows-1252")),
                         spec(SourceSpec::Kind::Page, server().url("/files/pages/pasar-latin1.html"))},
                        options(dir.path));
  REQUIRE(r[0].stories.size() == 1);
  REQUIRE(r[1].stories.size() == 1);
  const std::string cafe = read(r[0].stories[0].file);
  CHECK(cafe.find("# Kaf\xc3\xa9 Baru di Blitar\n") != std::string::npos);
  CHECK(cafe.find("\xe2\x80\x9cKami membuka caf\xc3\xa9 ini untuk anak muda,\xe2\x80\x9d kata pemiliknya \xe2\x80\x93 "
                  "seorang guru.") != std::string::npos);
  const std::string pasar = read(r[1].stories[0].file);
  CHECK(pasar.find("Pedagang menjual pi\xc3\xb1"
                   "a dan kue cr\xc3\xa8me \xc2\xbd harga.") != std::string::npos);
}

TEST_CASE("a failing source is reported, not thrown: 500, slow, redirect loop, 50 MB, DOCTYPE", "[sources][fetch]") {
  TempDir dir;
  FetchOptions o = options(dir.path);
  o.timeout_seconds = 0.5;
  o.max_page_bytes = 1024 * 1024;
  const auto r = fetchSources(
      {spec(SourceSpec::Kind::Feed, server().url("/status/500")), spec(SourceSpec::Kind::Page, server().url("/slow/3")),
       spec(SourceSpec::Kind::Page, server().url("/loop")), spec(SourceSpec::Kind::Page, server().url("/big/50")),
       spec(SourceSpec::Kind::Feed, server().url("/files/doctype-feed.xml"))},
      o);
  CHECK(r[0].error == server().url("/status/500") + ": the server answered HTTP 500");
  CHECK(r[1].error.find("timed out after 0.5 s") != std::string::npos);
  CHECK(r[2].error.find("redirect loop") != std::string::npos);
  CHECK(r[3].error == server().url("/big/50") + ": response larger than the limit of 1048576 bytes");
  CHECK(r[4].error.find("has a DOCTYPE") != std::string::npos);
  for (const auto& one : r) CHECK(one.stories.empty());
}

TEST_CASE("a rebuild reads the saved copies, an editor's fix kept, until --refresh", "[sources][fetch]") {
  TempDir dir;
  const SourceSpec atom = spec(SourceSpec::Kind::Feed, server().url("/files/atom.xml"), 1);
  auto first = fetchSources({atom}, options(dir.path));
  REQUIRE(first[0].stories.size() == 1);
  const fs::path file = first[0].stories[0].file;
  std::string text = read(file);
  text.replace(text.find("dua minggu"), 10, "14 hari");
  std::ofstream(file) << text;  // the editor's fix
  const int asked = hits("/files/atom.xml");
  auto again = fetchSources({atom}, options(dir.path));
  CHECK(again[0].stories.at(0).file == file);
  CHECK(hits("/files/atom.xml") == asked);  // nothing fetched
  CHECK(read(file).find("14 hari") != std::string::npos);

  FetchOptions refresh = options(dir.path);
  refresh.refresh = true;
  const int unchanged = hits("/files/atom.xml", "not_modified");
  auto fresh = fetchSources({atom}, refresh);
  CHECK(fresh[0].stories.at(0).file == file);
  CHECK(read(file).find("dua minggu") != std::string::npos);  // fetched again and rewritten
  // the feed was asked for with its ETag and answered 304; the remembered copy was read
  CHECK(hits("/files/atom.xml", "not_modified") == unchanged + 1);
}

TEST_CASE("stories aired in the last N other bulletins are skipped", "[sources][fetch][aired]") {
  TempDir dir;
  const SourceSpec atom = spec(SourceSpec::Kind::Feed, server().url("/files/atom.xml"), 1);
  auto first = fetchSources({atom}, options(dir.path));
  REQUIRE(first[0].stories.size() == 1);
  recordAired(dir.path, "pagi.mp3", first[0].stories);
  const auto state = nlohmann::json::parse(read(dir.path / ".warta-aired.json"));
  CHECK(state["bulletins"].size() == 1);

  FetchOptions next = options(dir.path);
  next.bulletin = "siang.mp3";
  next.refresh = true;
  next.skip_aired = 1;
  auto second = fetchSources({atom}, next);
  CHECK(headlines(second[0]) == std::vector<std::string>{"FESTIVAL KOPI KEDIRI DIBUKA!"});
  // the same bulletin rebuilt does not skip its own stories
  FetchOptions rebuild = next;
  rebuild.bulletin = "pagi.mp3";
  CHECK(headlines(fetchSources({atom}, rebuild)[0]) ==
        std::vector<std::string>{"Petani Kediri Panen Nanas Lebih Awal"});
  // skip_aired: 0 reads it again
  next.skip_aired = 0;
  CHECK(headlines(fetchSources({atom}, next)[0]) == std::vector<std::string>{"Petani Kediri Panen Nanas Lebih Awal"});
}
