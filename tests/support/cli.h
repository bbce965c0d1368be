// Running the warta binary from tests and reading what it wrote.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace warta::test {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs the built warta with `args` (each shell-quoted) in `cwd` (default: the
// repository root), capturing stdout and stderr.
CliResult runWarta(const std::vector<std::string>& args, const std::filesystem::path& cwd = {});

// The repository root (for samples/ and voices/).
std::filesystem::path sourceDir();

// One line of a --timeline file.
struct TimelineRow {
  double start = 0, end = 0;
  std::string kind;
  int story = -1;
  std::string label;
};
std::vector<TimelineRow> readTimeline(const std::filesystem::path& file);

// Files in `dir` whose names start with '.' and contain ".tmp" (AtomicFile leftovers).
std::vector<std::filesystem::path> leftoverTemps(const std::filesystem::path& dir);

}  // namespace warta::test
