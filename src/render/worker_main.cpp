// SPDX-License-Identifier: GPL-3.0-or-later
// warta-worker: the render pool's zygote (render/workers.h): spawned once per
// pool as `warta-worker --zygote PID`, it forks a child per job, which runs
// the job as data (render/worker_jobs.h) with the library's code and reports
// a failure on descriptor 3. Not for people to run.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "render/worker_jobs.h"
#include "render/worker_zygote.h"
#include "render/workers.h"
#include "speech/espeak_engine.h"
#include "warta/error.h"

namespace {

// Test seam, only with $WARTA_TEST_JOBS set: a request starting with this
// line is a script for the pool's tests, one step a line:
//   write-pids FILE   write "PID PPID EXE\n" to FILE (the job's process, its
//                     parent, its program)
//   wait-for FILE     wait (up to 60 s) until FILE exists
//   sleep MS          sleep
//   hang              wait forever without computing
//   fail TEXT         fail with Error(Config, TEXT)
//   signal N          raise signal N
//   kill-parent       kill the zygote with SIGKILL, then hang
constexpr const char* kTestJob = "warta-test-job\n";

void runTestJob(const std::string& script) {
  std::istringstream lines(script);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t space = line.find(' ');
    const std::string verb = line.substr(0, space);
    const std::string arg = space == std::string::npos ? std::string() : line.substr(space + 1);
    if (verb == "write-pids") {
      std::error_code ec;
      const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
      std::ofstream(arg) << ::getpid() << ' ' << ::getppid() << ' ' << exe.string() << '\n';
    } else if (verb == "wait-for") {
      for (int i = 0; i < 6000 && !std::filesystem::exists(arg); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } else if (verb == "sleep") {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(arg.c_str())));
    } else if (verb == "hang") {
      for (;;) ::pause();
    } else if (verb == "fail") {
      throw warta::Error(warta::ErrorKind::Config, arg);
    } else if (verb == "signal") {
      ::raise(std::atoi(arg.c_str()));
    } else if (verb == "kill-parent") {
      ::kill(::getppid(), SIGKILL);
      for (;;) ::pause();
    } else if (!verb.empty()) {
      throw warta::Error(warta::ErrorKind::Engine, "warta-test-job: unknown step '" + line + "'");
    }
  }
}

void runJob(const std::string& request) {
  if (std::getenv("WARTA_TEST_JOBS") && request.rfind(kTestJob, 0) == 0)
    return runTestJob(request.substr(std::strlen(kTestJob)));
  warta::app::runJobRequest(request);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], warta::app::kZygoteArgument) == 0) {
    warta::speech::preloadVoiceList();  // inherited by every job's process
    return warta::app::zygoteMain(static_cast<pid_t>(std::atoll(argv[2])), runJob);
  }
  std::cerr << "warta-worker: started by warta's render pool (" << warta::app::kZygoteArgument
            << " PID), not by people\n";
  return 2;
}
