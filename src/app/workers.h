// Worker processes. eSpeak NG keeps global state and is not thread safe, so
// parallel synthesis needs processes, one engine each: runInWorkers forks one
// child per job, at most `jobs` at a time. A child runs its job and ends with
// _exit (no destructors, no atexit handlers: those belong to the parent); a
// job talks back only through files it writes and the error text of a job
// that threw, which the parent rethrows.
#pragma once

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <vector>

namespace warta::app {

// A job failed in its worker (what() is the job's own error text, or how the
// worker died).
class WorkerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The processors this process may run on (sched_getaffinity), at least 1.
int availableCores();

// Runs job(i) for every i in `indices`, each in a new child process, at most
// `jobs` at once (jobs < 1: availableCores()). `done(i, finished, total)` is
// called in this process as each job succeeds. The first failure stops new
// jobs, kills those running and throws WorkerError. Call with no other
// threads running (fork copies only the caller's thread).
void runInWorkers(const std::vector<std::size_t>& indices, int jobs, const std::function<void(std::size_t)>& job,
                  const std::function<void(std::size_t, std::size_t, std::size_t)>& done = {});

}  // namespace warta::app
