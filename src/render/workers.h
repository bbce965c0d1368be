// SPDX-License-Identifier: GPL-3.0-or-later
// Worker processes. eSpeak NG keeps global state and is not thread safe, so
// parallel synthesis needs processes, one engine each: runInWorkers starts
// one `warta-worker` process per job (posix_spawn, never fork: the library is
// safe to call from a threaded program, e.g. a web server), at most `jobs` at
// a time. A job is data (render/worker_jobs.h): a request text the worker
// reads on its stdin. A job talks back only through files it writes and, if
// it failed, its error (text and ErrorKind) on a pipe, which the parent
// rethrows.
#pragma once

#include "warta/error.h"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace warta::app {

// A job failed in its worker: what() is the job's own error text and kind()
// its kind (a config error stays one), or how the worker died (Engine).
class WorkerError : public warta::Error {
 public:
  explicit WorkerError(const std::string& message, ErrorKind kind = ErrorKind::Engine) : Error(kind, message) {}
};

// SIGINT, SIGTERM or SIGHUP reached the main process: its workers were
// stopped; main() exits 128 + signal() once destructors removed temporaries.
class Interrupted : public warta::Error {
 public:
  explicit Interrupted(int signal);
};

// Catches SIGINT, SIGTERM and SIGHUP in this (main) process: the handler only
// records the signal, so runs stop at the next check (runInWorkers' wait,
// throwIfInterrupted) by throwing Interrupted, and every destructor runs.
void installSignalHandlers();
// Throws Interrupted if one of those signals arrived.
void throwIfInterrupted();

// The processors this process may run on (sched_getaffinity), at least 1.
int availableCores();

// The worker program: $WARTA_WORKER (an absolute path) if set, else
// `warta-worker` in the folder of the running executable (/proc/self/exe),
// else where the install puts it relative to that folder
// (<prefix>/bin -> <prefix>/libexec/warta), else the installed one (WARTA_WORKER_INSTALL_PATH, set at build time).
// Throws Error(Engine) naming every place it looked.
std::filesystem::path workerExecutable();

// A file holding a job's bulk data (a render plan, a batch) that workers
// read: written at once (mode 0600, in the temporary folder), removed when
// this goes out of scope.
class JobFile {
 public:
  explicit JobFile(const std::string& contents);
  ~JobFile();
  JobFile(const JobFile&) = delete;
  JobFile& operator=(const JobFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Called in the parent as each job ends: its index, the jobs ended so far,
// the total, and the error text (empty on success).
using JobEnded = std::function<void(std::size_t index, std::size_t ended, std::size_t total, const std::string& error)>;

// The descriptor a worker writes its report on (0 is its request).
inline constexpr int kWorkerReportFd = 3;

// warta-worker's whole life: dies with its parent (PR_SET_PDEATHSIG, then
// checks the parent is still the one that spawned it), reads its request on
// stdin, runs run(request) and, if that throws, reports the error (its text
// and ErrorKind) on kWorkerReportFd. Returns the exit status: 0 done, 1 failed.
int workerMain(const std::function<void(const std::string& request)>& run);

// The request text of job i (render/worker_jobs.h makes them).
using JobRequest = std::function<std::string(std::size_t index)>;

// Runs the job request(i) for every i in `indices`, each in a new
// warta-worker process, at most `jobs` at once (jobs < 1: availableCores()).
// Without `keep_going` the first failure stops new jobs, kills those running
// and throws WorkerError (with the job's ErrorKind); with it every job runs
// and failures reach only `ended`. Safe with other threads running: workers
// are spawned (posix_spawn), every descriptor but their pipes is closed in
// them, and they start with default signal actions and an empty mask.
// Workers die with the calling thread however it dies (PR_SET_PDEATHSIG,
// set by the worker, which then checks its parent is still there). A worker
// that uses no CPU time for $WARTA_WORKER_STALL_SECONDS (default 600) is
// killed and its job fails, saying so. Throws Interrupted on a signal (when
// installSignalHandlers was called), Error(Engine) if the worker program is
// missing (workerExecutable).
void runInWorkers(const std::vector<std::size_t>& indices, int jobs, const JobRequest& request,
                  const JobEnded& ended = {}, bool keep_going = false);

}  // namespace warta::app
