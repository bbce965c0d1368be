// SPDX-License-Identifier: GPL-3.0-or-later
// warta's workers (issue 15) are forked by one warta-worker zygote per pool,
// which warta spawns (never forks): they hold nothing of the main process
// but their pipes, and the program is found through WARTA_WORKER or beside
// the warta that runs it.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

const char* kArticle = "Jembatan Baru Dibuka\n\nWarga Desa Sukamaju kini bisa menyeberang sungai tanpa perahu.\n";
const char* kSecond = "Pasar Pagi Ramai\n\nPedagang sayur di pasar pagi melayani pembeli sejak subuh.\n";

// Waits (up to 60 s) until `pid`'s pool has `n` job processes.
std::vector<pid_t> waitForJobs(pid_t pid, std::size_t n) {
  for (int i = 0; i < 1200 && grandchildrenOf(pid).size() < n; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return grandchildrenOf(pid);
}

// The descriptors `pid` holds, once it holds at most `most` (while a
// program starts, the dynamic loader holds a library open: looked at again
// until it is in its job, hanging, up to 30 s), and a listing for messages.
std::set<int> descriptors(pid_t pid, std::size_t most, std::string& open) {
  std::set<int> fds;
  for (int tries = 0; tries < 600; ++tries) {
    fds.clear();
    open.clear();
    for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
      fds.insert(std::stoi(e.path().filename()));
      std::error_code ec;
      open += e.path().filename().string() + " -> " + fs::read_symlink(e.path(), ec).string() + "\n";
    }
    if (fds.size() <= most) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return fds;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// Runs `command` in a shell; its exit code.
int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE(
    "with -j 2 the chunks run in two processes forked by one warta-worker zygote, each holding only its pipes and "
    "output",
    "[e2e][workers]") {
  const fs::path dir = tempDir("e2e-workers-spawned");
  writeBytes(dir / "a.txt", kArticle);
  writeBytes(dir / "b.txt", kSecond);
  // Workers that hang (a test hook) stay long enough to be looked at.
  const Background b = startWarta({"say", "a.txt", "b.txt", "-o", "out.mp3", "--no-cache", "-j", "2"}, dir,
                                  {"WARTA_TEST_WORKER_HANG=1"});
  const std::vector<pid_t> workers = waitForJobs(b.pid, 2);
  REQUIRE(workers.size() == 2);
  const std::vector<pid_t> zygotes = childrenOf(b.pid);
  REQUIRE(zygotes.size() == 1);  // one program started for the whole pool
  for (pid_t w : std::vector<pid_t>{workers[0], workers[1], zygotes[0]}) {
    const fs::path exe = fs::read_symlink("/proc/" + std::to_string(w) + "/exe");
    CHECK(exe.filename() == "warta-worker");
    CHECK(exe.parent_path() == fs::path(WARTA_BINARY).parent_path());
    // stdin (/dev/null), stdout, stderr and the report pipe (the zygote:
    // its socket to warta): nothing else of warta's. The zygote holds each
    // child's pipe and pidfd too.
    std::string open;
    const std::set<int> fds = descriptors(w, w == zygotes[0] ? 8 : 4, open);
    INFO(open);
    for (int fd : {0, 1, 2, 3}) CHECK(fds.count(fd) == 1);
    CHECK(fds.size() == (w == zygotes[0] ? 8u : 4u));
    const std::string in = fs::read_symlink("/proc/" + std::to_string(w) + "/fd/0").string();
    CHECK(in == "/dev/null");
  }
  ::kill(b.pid, SIGTERM);
  CHECK(waitWarta(b, 30) == 128 + SIGTERM);
}

TEST_CASE("the worker is found through WARTA_WORKER or beside warta, and a missing one is a clear error",
          "[e2e][workers]") {
  const fs::path dir = tempDir("e2e-workers-missing");
  writeBytes(dir / "a.txt", kArticle);
  writeBytes(dir / "b.txt", kSecond);
  SECTION("WARTA_WORKER naming no program") {
    const Background b = startWarta({"say", "a.txt", "b.txt", "-o", "out.mp3", "--no-cache", "-j", "2"}, dir,
                                    {"WARTA_WORKER=" + (dir / "nowhere" / "warta-worker").string()});
    const int code = waitWarta(b, 60);
    const std::string err = readText(b.err);
    INFO(err);
    CHECK(code == 1);
    CHECK(err.find("WARTA_WORKER=" + (dir / "nowhere" / "warta-worker").string()) != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out.mp3"));
  }
  SECTION("a warta copied alone, then told where its worker is") {
    fs::create_directories(dir / "bin");
    fs::copy_file(WARTA_BINARY, dir / "bin" / "warta", fs::copy_options::overwrite_existing);
    const std::string cd = "cd " + quoted(dir.string()) + " && ";
    const std::string say = " ./bin/warta say a.txt b.txt -o out.mp3 --no-cache -j 2 2>err.txt";
    CHECK(shell(cd + "env -u WARTA_WORKER" + say) == 1);
    const std::string err = readText(dir / "err.txt");
    INFO(err);
    CHECK(err.find((dir / "bin" / "warta-worker").string()) != std::string::npos);
    CHECK(err.find("WARTA_WORKER") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out.mp3"));
    const fs::path worker = fs::path(WARTA_BINARY).parent_path() / "warta-worker";
    CHECK(shell(cd + "env WARTA_WORKER=" + quoted(worker.string()) + say) == 0);
    INFO(readText(dir / "err.txt"));
    CHECK(decodeFile(dir / "out.mp3").audio.seconds() > 3.0);
  }
}
