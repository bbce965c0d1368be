// SPDX-License-Identifier: GPL-3.0-or-later
// The tests' local web server (tests/support/http_fixture_server.py) on
// 127.0.0.1 and a free port: started by the test, stopped (by its pid) when
// the object goes. Never the internet.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace warta::test {

class LocalHttpServer {
 public:
  // Serves `root` (fixture files, wp/posts.json) at /files/ and the routes the script lists.
  explicit LocalHttpServer(const std::filesystem::path& root = {});
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" + path.
  std::string url(const std::string& path) const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace warta::test
