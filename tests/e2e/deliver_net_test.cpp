// SPDX-License-Identifier: GPL-3.0-or-later
// Uploads to AzuraCast and LibreTime (issue 17), against a fake of each
// (tests/e2e/fixtures/fake_playout.py) on 127.0.0.1 started here: the method,
// path, headers and body as their API documentation has them, 5xx retried up
// to three tries, 4xx not, and the API key (from the environment) never in
// warta's output.
#include <catch2/catch.hpp>

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;
using nlohmann::json;

namespace {

const char* kKey = "s3cret-Key-4711";

// The fake server, killed by its pid when the test ends.
class FakePlayout {
 public:
  FakePlayout(const fs::path& dir, const std::string& faults) : log_(dir / "requests.jsonl") {
    const fs::path port_file = dir / "port", pid_file = dir / "pid";
    const std::string script = (sourceDir() / "tests/e2e/fixtures/fake_playout.py").string();
    std::system(("sh -c 'echo $$ > " + shellQuote(pid_file.string()) + "; exec /usr/bin/python3 " + shellQuote(script) +
                 " " + shellQuote(log_.string()) + " " + kKey + " " + faults + " > " + shellQuote(port_file.string()) +
                 "' &")
                    .c_str());
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      std::ifstream in(port_file);
      in >> port_;
    }
    std::ifstream(pid_file) >> pid_;
    REQUIRE(port_ > 0);
  }
  ~FakePlayout() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<json> requests() const {
    std::vector<json> r;
    std::ifstream in(log_);
    for (std::string line; std::getline(in, line);) r.push_back(json::parse(line));
    return r;
  }

 private:
  fs::path log_;
  int port_ = 0;
  pid_t pid_ = -1;
};

fs::path studio(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("warta-upload-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "out");
  writeBytes(dir / "satu.txt",
             "Jembatan Baru Dibuka\n\nWarga Desa Sukamaju kini bisa menyeberang sungai tanpa perahu.\n");
  return dir;
}

CliResult buildWith(const fs::path& dir, const std::string& target, const std::string& key_value) {
  writeBytes(dir / "rundown.yaml",
             "show: Kabar\ndate: 2025-06-11\noutput: { channels: 1, bitrate: 64, file: kabar.mp3 }\n"
             "stories: [satu.txt]\ndeliver:\n  - " +
                 target + "\n");
  ::setenv("WARTA_TEST_PLAYOUT_KEY", key_value.c_str(), 1);
  CliResult r = runWarta({"build", "rundown.yaml", "-o", "out"}, dir);
  ::unsetenv("WARTA_TEST_PLAYOUT_KEY");
  return r;
}

std::string sha256(const fs::path& file) {
  std::string out;
  FILE* p = ::popen(("sha256sum " + shellQuote(file.string())).c_str(), "r");
  char buf[65] = {};
  if (p && std::fread(buf, 1, 64, p) == 64) out = buf;
  if (p) ::pclose(p);
  return out;
}

std::string azuracast(const FakePlayout& s) {
  return "{ azuracast: \"" + s.url() +
         "\", station: 1, api_key_env: WARTA_TEST_PLAYOUT_KEY, path: news/berita.mp3, playlist: 7 }";
}

}  // namespace

TEST_CASE("AzuraCast: the bulletin is uploaded as base64 JSON and becomes the only file of its playlist",
          "[e2e][deliver][upload]") {
  const fs::path dir = studio("azuracast");
  FakePlayout server(dir, "");
  const CliResult r = buildWith(dir, azuracast(server), kKey);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("deliver azuracast " + server.url() + " station 1: ok") != std::string::npos);
  CHECK(r.err.find(kKey) == std::string::npos);
  CHECK(r.out.find(kKey) == std::string::npos);
  const std::vector<json> q = server.requests();
  REQUIRE(q.size() == 4);
  // POST /api/station/1/files {"path", "file": base64 of the MP3}, X-API-Key.
  CHECK(q[0]["method"] == "POST");
  CHECK(q[0]["path"] == "/api/station/1/files");
  CHECK(q[0]["headers"]["x-api-key"] == kKey);
  CHECK(q[0]["headers"]["content-type"].get<std::string>().rfind("application/json", 0) == 0);
  CHECK(q[0]["json"]["path"] == "news/berita.mp3");
  CHECK(q[0]["file_sha"] == sha256(dir / "out/kabar.mp3"));
  // The files listed, the old edition (41) taken out of playlist 7 keeping its
  // playlist 3, the music (42) untouched, the new media (43) put in playlist 7.
  CHECK(q[1]["method"] == "GET");
  CHECK(q[1]["path"] == "/api/station/1/files");
  CHECK(q[2]["method"] == "PUT");
  CHECK(q[2]["path"] == "/api/station/1/file/41");
  CHECK(q[2]["json"] == json::parse(R"({"playlists": [3]})"));
  CHECK(q[3]["method"] == "PUT");
  CHECK(q[3]["path"] == "/api/station/1/file/43");
  CHECK(q[3]["json"] == json::parse(R"({"playlists": [7]})"));
  for (const json& e : q) CHECK(e["headers"]["x-api-key"] == kKey);
}

TEST_CASE("AzuraCast: a 500 is tried again, three tries in all, and a 401 is not but fails naming the target",
          "[e2e][deliver][upload]") {
  const fs::path dir = studio("azuracast-faults");
  {
    FakePlayout server(dir, "500 500");
    const CliResult r = buildWith(dir, azuracast(server), kKey);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    const std::vector<json> q = server.requests();
    REQUIRE(q.size() >= 3);
    for (int i = 0; i < 3; ++i) CHECK(q[i]["path"] == "/api/station/1/files");
  }
  fs::remove(dir / "requests.jsonl");
  {  // a slow answer (1.5 s, then a 500) is waited for and the upload tried again
    FakePlayout server(dir, "slow:1.5");
    const CliResult r = buildWith(dir, azuracast(server), kKey);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    const std::vector<json> q = server.requests();
    REQUIRE(q.size() >= 2);
    CHECK(q[0]["path"] == "/api/station/1/files");
    CHECK(q[1]["path"] == "/api/station/1/files");
  }
  fs::remove(dir / "requests.jsonl");
  {
    FakePlayout server(dir, "500 500 500");
    const CliResult r = buildWith(dir, azuracast(server), kKey);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(server.requests().size() == 3);
    CHECK(r.err.find("after 3 tries") != std::string::npos);
  }
  fs::remove(dir / "requests.jsonl");
  {
    FakePlayout server(dir, "");
    const CliResult r = buildWith(dir, azuracast(server), "wrong-key-0815");
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(server.requests().size() == 1);  // no second try for a 4xx
    CHECK(r.err.find("deliver azuracast " + server.url() + " station 1: FAILED") != std::string::npos);
    CHECK(r.err.find("401") != std::string::npos);
    CHECK(r.err.find("delivery failed: azuracast " + server.url() + " station 1") != std::string::npos);
    CHECK(r.err.find("wrong-key-0815") == std::string::npos);
    CHECK(fs::exists(dir / "out/kabar.mp3"));  // the built file stays
  }
}

TEST_CASE(
    "LibreTime: the bulletin is posted as the multipart file with the key as the basic-auth user, and a 413 fails at "
    "once",
    "[e2e][deliver][upload]") {
  const fs::path dir = studio("libretime");
  {
    FakePlayout server(dir, "");
    const CliResult r =
        buildWith(dir, "{ libretime: \"" + server.url() + "\", api_key_env: WARTA_TEST_PLAYOUT_KEY }", kKey);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find(kKey) == std::string::npos);
    const std::vector<json> q = server.requests();
    REQUIRE(q.size() == 1);
    CHECK(q[0]["method"] == "POST");
    CHECK(q[0]["path"] == "/rest/media");
    CHECK(q[0]["headers"]["authorization"] == "Basic czNjcmV0LUtleS00NzExOg==");  // base64("s3cret-Key-4711:")
    REQUIRE(q[0]["parts"].size() == 1);
    CHECK(q[0]["parts"][0]["name"] == "file");
    CHECK(q[0]["parts"][0]["filename"] == "kabar.mp3");
    CHECK(q[0]["parts"][0]["sha"] == sha256(dir / "out/kabar.mp3"));
  }
  fs::remove(dir / "requests.jsonl");
  {
    FakePlayout server(dir, "413");
    const CliResult r =
        buildWith(dir, "{ libretime: \"" + server.url() + "\", api_key_env: WARTA_TEST_PLAYOUT_KEY }", kKey);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(server.requests().size() == 1);
    CHECK(r.err.find("413") != std::string::npos);
    CHECK(r.err.find(kKey) == std::string::npos);
  }
}

TEST_CASE("an API key in the rundown itself, or an unset key variable, is refused", "[e2e][deliver][upload]") {
  const fs::path dir = studio("key");
  writeBytes(dir / "rundown.yaml",
             "show: Kabar\nstories: [satu.txt]\ndeliver:\n"
             "  - { libretime: http://127.0.0.1:9, api_key: abc, api_key_env: K }\n");
  const CliResult r = runWarta({"build", "rundown.yaml", "-o", "out"}, dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("rundown.yaml:4:") != std::string::npos);
  CHECK(r.err.find("must not be in the rundown") != std::string::npos);
  ::unsetenv("WARTA_TEST_UNSET_KEY");
  writeBytes(dir / "rundown.yaml",
             "show: Kabar\nstories: [satu.txt]\noutput: { channels: 1, bitrate: 64 }\ndeliver:\n"
             "  - { libretime: http://127.0.0.1:9, api_key_env: WARTA_TEST_UNSET_KEY }\n");
  const CliResult u = runWarta({"build", "rundown.yaml", "-o", "out"}, dir);
  CHECK(u.exit_code == 1);
  CHECK(u.err.find("WARTA_TEST_UNSET_KEY is not set") != std::string::npos);
}
