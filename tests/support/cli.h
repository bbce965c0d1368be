// SPDX-License-Identifier: GPL-3.0-or-later
// Running the warta binary from tests and reading what it wrote.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace warta::test {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// `s` in single quotes for /bin/sh, its own single quotes escaped.
std::string shellQuote(const std::string& s);

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

namespace warta::test {

// A warta started in the background (for signal tests), its output in files.
struct Background {
  pid_t pid = -1;
  std::filesystem::path out, err;
};
// Starts warta with `args` in `cwd`, with `env` ("NAME=value") added to the
// environment. The pid is warta's own (the shell execs it).
Background startWarta(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                      const std::vector<std::string>& env = {});
// Waits up to `seconds` for it to end: its exit code (128 + N if killed by
// signal N), or -1 on timeout (it is then killed with SIGKILL).
int waitWarta(const Background& b, double seconds);

// The text of /proc/PID/NAME; empty if the process is gone, even while the
// file is being read.
std::string readProcFile(pid_t pid, const std::string& name);
// The live (not zombie) children of `pid`, from /proc.
std::vector<pid_t> childrenOf(pid_t pid);
// The live children of `pid`'s children: a render's job processes (its
// own child is the pool's zygote, render/workers.h).
std::vector<pid_t> grandchildrenOf(pid_t pid);
// True while `pid` exists and is not a zombie.
bool alive(pid_t pid);

}  // namespace warta::test
