// SPDX-License-Identifier: GPL-3.0-or-later
// Worker processes. eSpeak NG keeps global state and is not thread safe, so
// parallel synthesis needs processes, one engine each, each fresh (eSpeak's
// output depends on what it said before): runInWorkers runs every job in a
// new process, at most `jobs` at a time. The library never forks (it is safe
// to call from a threaded program, e.g. a web server): it posix_spawns one
// `warta-worker --zygote` per call, a single-threaded process that has
// loaded every library once and forks a child per job, so a job pays no
// program start (dynamic linking of some 160 libraries, ~75 ms of CPU). The
// zygote never runs a job nor starts eSpeak itself: each child starts from
// the same state a freshly started worker has. A job is data
// (render/worker_jobs.h): a request text. A job talks back only through
// files it writes and, if it failed, its error (text and ErrorKind), which
// the parent rethrows.
//
// The protocol between runInWorkers and its zygote: a stream socket, the
// zygote's descriptor kWorkerReportFd (its stdin is /dev/null). Each message
// is a frame: the payload's length in decimal, '\n', the payload.
//   parent -> zygote  "job K\nREQUEST"        fork a child that runs REQUEST
//   zygote -> parent  "started K PID"         the child running job K (the
//                                             parent watches its CPU time and
//                                             kills it directly)
//   zygote -> parent  "ended K STATUS\nREPORT" it ended: its wait status
//                                             (waitpid) and what it wrote on
//                                             its descriptor kWorkerReportFd
//                                             ("KIND\nMESSAGE", kindName;
//                                             empty if it succeeded)
// K is the job's position in runInWorkers' `indices`. When the parent closes
// its end (done, a failure, a signal) the zygote kills the children still
// running, reaps them and exits 0: once the parent has reaped the zygote, no
// process of the pool is left. The zygote and its children die with their
// parent (PR_SET_PDEATHSIG, then a check that the parent is still the one
// that spawned them).
#pragma once

#include "warta/error.h"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
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

// The descriptor a job's child writes its report on, and the zygote's socket.
inline constexpr int kWorkerReportFd = 3;
// warta-worker's argument for the zygote mode; the next one is the pid of
// the process that spawned it.
inline constexpr const char* kZygoteArgument = "--zygote";

// The protocol's framing: `payload` as one frame.
std::string workerFrame(const std::string& payload);
// Cuts a byte stream into frames' payloads.
class FrameReader {
 public:
  void append(const char* data, std::size_t size) { buffer_.append(data, size); }
  // The next whole payload, if one has arrived. Throws WorkerError on a
  // malformed length.
  std::optional<std::string> next();

 private:
  std::string buffer_;
};

// A job in its child (of the zygote): runs run(request) and, if that throws,
// reports the error (its text and ErrorKind) on kWorkerReportFd. Returns the
// exit status: 0 done, 1 failed.
int runWorkerJob(const std::function<void(const std::string& request)>& run, const std::string& request);

// The request text of job i (render/worker_jobs.h makes them).
using JobRequest = std::function<std::string(std::size_t index)>;

// A zygote started ahead of its jobs: its start (dynamic linking, ~75 ms of
// CPU) runs beside the caller's reading and planning, and the next
// runInWorkers given it takes it instead of starting one. Made on the thread
// that will call runInWorkers (the zygote dies with the thread that spawned
// it). Best effort: if it cannot start, runInWorkers starts one and reports
// why. One never taken is stopped when this goes out of scope.
class EarlyWorkers {
 public:
  EarlyWorkers();
  ~EarlyWorkers();
  EarlyWorkers(const EarlyWorkers&) = delete;
  EarlyWorkers& operator=(const EarlyWorkers&) = delete;

  struct Impl;  // workers.cpp's: the zygote until taken
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// Runs the job request(i) for every i in `indices`, each in a new process
// (a child of `early`'s zygote if it still holds one, else of a zygote this
// call starts only if there are jobs; either is stopped when it returns), at most
// `jobs` at once (jobs < 1: availableCores()). Without `keep_going` the first
// failure stops new jobs, kills those running and throws WorkerError (with
// the job's ErrorKind); with it every job runs and failures reach only
// `ended`. Safe with other threads running: the zygote is spawned
// (posix_spawn) holding only its socket, starts with default signal actions
// and an empty mask, and its children hold only their report pipe. They die
// with the calling thread however it dies (PR_SET_PDEATHSIG). A job whose
// process uses no CPU time for $WARTA_WORKER_STALL_SECONDS (default 600) is
// killed and fails, saying so; one killed by a signal fails saying which.
// When this returns or throws, the zygote and every child are gone. Throws
// Interrupted on a signal (when installSignalHandlers was called),
// Error(Engine) if the worker program is missing (workerExecutable),
// WorkerError if the zygote cannot start or dies.
void runInWorkers(const std::vector<std::size_t>& indices, int jobs, const JobRequest& request,
                  const JobEnded& ended = {}, bool keep_going = false, EarlyWorkers* early = nullptr);

}  // namespace warta::app
