// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/http_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#ifndef WARTA_SOURCE_DIR
#error "WARTA_SOURCE_DIR must be defined by the build"
#endif

namespace warta::test {

LocalHttpServer::LocalHttpServer(const std::filesystem::path& root) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  const std::string script = std::string(WARTA_SOURCE_DIR) + "/tests/support/http_fixture_server.py";
  const std::string dir = root.empty() ? std::string(".") : root.string();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execlp("python3", "python3", script.c_str(), dir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  // The first line is the port, written once the socket listens.
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  if (line.empty()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    throw std::runtime_error("the local HTTP server did not start (python3 " + script + ")");
  }
  port_ = std::stoi(line);
}

LocalHttpServer::~LocalHttpServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

std::string LocalHttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

}  // namespace warta::test
