// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/cli.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace warta::test {
namespace fs = std::filesystem;

std::string shellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

namespace {
std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

fs::path sourceDir() { return WARTA_SOURCE_DIR; }

CliResult runWarta(const std::vector<std::string>& args, const fs::path& cwd) {
  static std::atomic<int> counter{0};
  const fs::path base =
      fs::temp_directory_path() / ("warta-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::string command =
      "cd " + shellQuote((cwd.empty() ? sourceDir() : cwd).string()) + " && " + shellQuote(WARTA_BINARY);
  for (const auto& a : args) command += " " + shellQuote(a);
  command += " >" + shellQuote(base.string() + ".out") + " 2>" + shellQuote(base.string() + ".err") + " </dev/null";
  const int status = std::system(command.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(base.string() + ".out");
  r.err = slurp(base.string() + ".err");
  fs::remove(base.string() + ".out");
  fs::remove(base.string() + ".err");
  return r;
}

std::vector<TimelineRow> readTimeline(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read timeline " + file.string());
  std::vector<TimelineRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    TimelineRow row;
    std::string start, end, story;
    std::getline(fields, start, '\t');
    std::getline(fields, end, '\t');
    std::getline(fields, row.kind, '\t');
    std::getline(fields, story, '\t');
    std::getline(fields, row.label);
    row.start = std::stod(start);
    row.end = std::stod(end);
    row.story = std::stoi(story);
    rows.push_back(row);
  }
  return rows;
}

std::vector<fs::path> leftoverTemps(const fs::path& dir) {
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (!name.empty() && name[0] == '.' && name.find(".tmp") != std::string::npos) found.push_back(e.path());
  }
  return found;
}

}  // namespace warta::test

namespace warta::test {

Background startWarta(const std::vector<std::string>& args, const fs::path& cwd, const std::vector<std::string>& env) {
  static std::atomic<int> counter{0};
  const fs::path base =
      fs::temp_directory_path() / ("warta-bg-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  Background b;
  b.out = base.string() + ".out";
  b.err = base.string() + ".err";
  std::string command = "cd " + shellQuote(cwd.string()) + " && exec env";
  for (const auto& e : env) command += " " + shellQuote(e);
  command += " " + shellQuote(WARTA_BINARY);
  for (const auto& a : args) command += " " + shellQuote(a);
  command += " >" + shellQuote(b.out.string()) + " 2>" + shellQuote(b.err.string()) + " </dev/null";
  b.pid = ::fork();
  if (b.pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (b.pid < 0) throw std::runtime_error("fork failed");
  return b;
}

int waitWarta(const Background& b, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(b.pid, &status, WNOHANG);
    if (done == b.pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (std::chrono::steady_clock::now() > until) {
      ::kill(b.pid, SIGKILL);
      ::waitpid(b.pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string readProcFile(pid_t pid, const std::string& name) {
  // A process that ends while its file is read makes the read fail (ESRCH),
  // which libstdc++'s filebuf reports by throwing: then there is nothing.
  try {
    std::ifstream in("/proc/" + std::to_string(pid) + "/" + name);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  } catch (const std::exception&) {
    return {};
  }
}

namespace {
// State and parent pid from /proc/PID/stat; false if it is gone.
bool procStat(pid_t pid, char& state, pid_t& parent) {
  const std::string stat = readProcFile(pid, "stat");
  const std::size_t close = stat.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream fields(stat.substr(close + 1));
  fields >> state >> parent;
  return static_cast<bool>(fields);
}
}  // namespace

std::vector<pid_t> childrenOf(pid_t pid) {
  std::vector<pid_t> children;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    char state = 0;
    pid_t parent = 0;
    const pid_t child = std::stoi(name);
    if (procStat(child, state, parent) && parent == pid && state != 'Z') children.push_back(child);
  }
  return children;
}

std::vector<pid_t> grandchildrenOf(pid_t pid) {
  std::vector<pid_t> found;
  for (pid_t child : childrenOf(pid))
    for (pid_t grandchild : childrenOf(child)) found.push_back(grandchild);
  return found;
}

bool alive(pid_t pid) {
  char state = 0;
  pid_t parent = 0;
  return procStat(pid, state, parent) && state != 'Z';
}

}  // namespace warta::test
