// SPDX-License-Identifier: GPL-3.0-or-later
// net::perform against the local fixture server: methods, bodies, redirects
// and the limits that keep a bad server from costing unbounded time or memory.
#include "net/http.h"
#include "support/http_server.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>

using warta::net::Request;
using warta::net::perform;

namespace {

warta::test::LocalHttpServer& server() {
  static warta::test::LocalHttpServer s;  // one per test program: starting python costs ~50 ms
  return s;
}

// A GET of `path` on the local server; tests change the fields they are about.
Request at(const std::string& path) {
  Request r;
  r.url = server().url(path);
  return r;
}

Request raw(const std::string& url) {
  Request r;
  r.url = url;
  return r;
}

std::string errorOf(const Request& r) {
  try {
    perform(r);
  } catch (const warta::Error& e) {
    CHECK(e.kind() == warta::ErrorKind::Io);
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("a GET returns status, body, lower-cased headers and sends the honest User-Agent", "[net]") {
  auto r = perform(at("/echo"));
  CHECK(r.status == 200);
  CHECK(r.header("Content-Type") == "application/json");
  CHECK(r.headers.count("content-type") == 1);
  auto j = nlohmann::json::parse(r.body);
  CHECK(j["method"] == "GET");
  std::string agent = j["headers"]["user-agent"];
  CHECK(agent.rfind("warta/", 0) == 0);
  CHECK(agent.find("news to speech") != std::string::npos);
}

TEST_CASE("a multipart POST arrives as parts a standard parser reads back", "[net]") {
  Request req = at("/echo");
  req.method = "POST";
  req.form = {{"title", "", "", "Berita pagi"}, {"file", "kabar.mp3", "audio/mpeg", std::string("ID3\0\x01\xff", 6)}};
  auto j = nlohmann::json::parse(perform(req).body);
  CHECK(j["method"] == "POST");
  REQUIRE(j["parts"].size() == 2);
  CHECK(j["parts"][0]["name"] == "title");
  CHECK(j["parts"][0]["data"] == "Berita pagi");
  CHECK(j["parts"][1]["name"] == "file");
  CHECK(j["parts"][1]["filename"] == "kabar.mp3");
  CHECK(j["parts"][1]["content_type"] == "audio/mpeg");
  // latin-1 decoding maps each byte to one code point: compare byte by byte
  CHECK(j["parts"][1]["data"] == std::string("ID3\0\x01\xc3\xbf", 7));
}

TEST_CASE("a PUT keeps its method, body, extra headers and basic auth", "[net]") {
  Request req = at("/echo");
  req.method = "PUT";
  req.headers = {{"X-Warta-Test", "ya"}};
  req.body = "isi berkas";
  req.user = "redaksi";
  req.password = "rahasia";
  auto j = nlohmann::json::parse(perform(req).body);
  CHECK(j["method"] == "PUT");
  CHECK(j["body"] == "isi berkas");
  CHECK(j["headers"]["x-warta-test"] == "ya");
  CHECK(j["headers"]["authorization"] == "Basic cmVkYWtzaTpyYWhhc2lh");  // base64("redaksi:rahasia")
}

TEST_CASE("redirects are followed up to the limit and the effective URL is the last one", "[net]") {
  auto r = perform(at("/redirect/3"));
  CHECK(r.status == 200);
  CHECK(r.body == "arrived");
  CHECK(r.effective_url == server().url("/redirect/0"));
  Request nine = at("/redirect/9");
  nine.max_redirects = 5;
  CHECK(errorOf(nine).find("more than 5 redirects") != std::string::npos);
}

TEST_CASE("a redirect loop is an error naming the URL", "[net]") {
  auto what = errorOf(at("/loop"));
  CHECK(what.find(server().url("/loop")) != std::string::npos);
  CHECK(what.find("redirect loop") != std::string::npos);
}

TEST_CASE("a 50 MB response is refused at the size limit without reading it all", "[net]") {
  server();  // started before the clock: python's start-up is not the client's time
  for (std::string path : {"/big/50", "/big/50?length=1"}) {
    auto start = std::chrono::steady_clock::now();
    Request big = at(path);
    big.max_response_bytes = 1024 * 1024;
    auto what = errorOf(big);
    CHECK(what.find("larger than the limit of 1048576 bytes") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  }
}

TEST_CASE("a slow server times out with the timeout named", "[net]") {
  server();  // started before the clock
  auto start = std::chrono::steady_clock::now();
  Request slow = at("/slow/5");
  slow.timeout_seconds = 0.5;
  auto what = errorOf(slow);
  CHECK(what.find("timed out after 0.5 s") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
}

TEST_CASE("HTTP error statuses are responses, not errors", "[net]") {
  CHECK(perform(at("/status/404")).status == 404);
  CHECK(perform(at("/status/500")).status == 500);
}

TEST_CASE("a remembered ETag or Last-Modified gets 304 Not Modified", "[net]") {
  auto first = perform(at("/cond"));
  CHECK(first.status == 200);
  CHECK(first.header("etag") == "\"v1\"");
  Request by_etag = at("/cond");
  by_etag.if_none_match = first.header("etag");
  CHECK(perform(by_etag).status == 304);
  Request by_date = at("/cond");
  by_date.if_modified_since = first.header("last-modified");
  CHECK(perform(by_date).status == 304);
}

TEST_CASE("only http and https are fetched, and unknown hosts and closed ports are named", "[net]") {
  CHECK(errorOf(raw("file:///etc/passwd")).find("only http:// and https://") != std::string::npos);
  CHECK(errorOf(raw("ftp://127.0.0.1/x")).find("only http:// and https://") != std::string::npos);
  // .invalid never resolves (RFC 2606)
  CHECK(errorOf(raw("http://warta-test.invalid/")).find("host not found") != std::string::npos);
  CHECK(errorOf(raw("http://127.0.0.1:1/")).find("cannot connect") != std::string::npos);
}
