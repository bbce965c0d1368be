#include "support/cli.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace warta::test {
namespace fs = std::filesystem;

namespace {
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
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
  const fs::path base = fs::temp_directory_path() / ("warta-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::string command = "cd " + quote((cwd.empty() ? sourceDir() : cwd).string()) + " && " + quote(WARTA_BINARY);
  for (const auto& a : args) command += " " + quote(a);
  command += " >" + quote(base.string() + ".out") + " 2>" + quote(base.string() + ".err") + " </dev/null";
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
