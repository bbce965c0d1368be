// Worker processes. eSpeak NG keeps global state and is not thread safe, so
// parallel synthesis needs processes, one engine each: runInWorkers forks one
// child per job, at most `jobs` at a time. A child runs its job and ends with
// _exit (no destructors, no atexit handlers: those belong to the parent); a
// job talks back only through files it writes and the error text of a job
// that threw, which the parent rethrows.
#pragma once

#include "warta/error.h"

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace warta::app {

// A job failed in its worker (what() is the job's own error text, or how the
// worker died).
class WorkerError : public warta::Error {
 public:
  explicit WorkerError(const std::string& message) : Error(ErrorKind::Engine, message) {}
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

// Called in the parent as each job ends: its index, the jobs ended so far,
// the total, and the error text (empty on success).
using JobEnded = std::function<void(std::size_t index, std::size_t ended, std::size_t total, const std::string& error)>;

// Runs job(i) for every i in `indices`, each in a new child process, at most
// `jobs` at once (jobs < 1: availableCores()). Without `keep_going` the first
// failure stops new jobs, kills those running and throws WorkerError; with
// it every job runs and failures reach only `ended`. Call with no other
// threads running (fork copies only the caller's thread).
// Workers die with this process however it dies (PR_SET_PDEATHSIG). A worker
// that uses no CPU time for $WARTA_WORKER_STALL_SECONDS (default 600) is
// killed and its job fails, saying so. Throws Interrupted on a signal.
void runInWorkers(const std::vector<std::size_t>& indices, int jobs, const std::function<void(std::size_t)>& job,
                  const JobEnded& ended = {}, bool keep_going = false);

}  // namespace warta::app
