#include "app/workers.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

namespace warta::app {

int availableCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<int>(online) : 1;
}

namespace {

struct Running {
  pid_t pid;
  int fd;             // read end of the child's error pipe
  std::size_t index;
  std::string error;  // what the child wrote before it closed the pipe
};

// In the child: run the job, report an error on `fd`, and end the process.
[[noreturn]] void runChild(int fd, std::size_t index, const std::function<void(std::size_t)>& job) {
  int status = 0;
  try {
    job(index);
  } catch (const std::exception& e) {
    const std::string text = e.what();
    for (std::size_t at = 0; at < text.size();) {
      const ssize_t n = ::write(fd, text.data() + at, text.size() - at);
      if (n <= 0) break;
      at += static_cast<std::size_t>(n);
    }
    status = 1;
  } catch (...) {
    status = 1;
  }
  std::fflush(nullptr);
  ::_exit(status);  // the parent's destructors and atexit handlers are not ours to run
}

std::string describeExit(int status) {
  if (WIFSIGNALED(status)) return "worker killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  if (WIFEXITED(status)) return "worker exited with status " + std::to_string(WEXITSTATUS(status));
  return "worker ended abnormally";
}

}  // namespace

void runInWorkers(const std::vector<std::size_t>& indices, int jobs, const std::function<void(std::size_t)>& job,
                  const JobEnded& ended, bool keep_going) {
  if (jobs < 1) jobs = availableCores();
  std::vector<Running> running;
  std::size_t next = 0, finished = 0;
  std::string failure;
  std::cout.flush();
  std::cerr.flush();

  auto stopAll = [&] {
    for (auto& r : running) ::kill(r.pid, SIGKILL);
    for (auto& r : running) {
      int status = 0;
      while (::waitpid(r.pid, &status, 0) < 0 && errno == EINTR) {}
      ::close(r.fd);
    }
    running.clear();
  };

  while ((next < indices.size() && failure.empty()) || !running.empty()) {
    while (failure.empty() && next < indices.size() && static_cast<int>(running.size()) < jobs) {
      int fds[2];
      if (::pipe2(fds, O_CLOEXEC) != 0) {
        failure = std::string("cannot create a pipe for a worker: ") + std::strerror(errno);
        break;
      }
      std::fflush(nullptr);
      const pid_t pid = ::fork();
      if (pid < 0) {
        failure = std::string("cannot start a worker process: ") + std::strerror(errno);
        ::close(fds[0]);
        ::close(fds[1]);
        break;
      }
      if (pid == 0) {
        ::close(fds[0]);
        runChild(fds[1], indices[next], job);
      }
      ::close(fds[1]);
      running.push_back({pid, fds[0], indices[next], {}});
      ++next;
    }
    if (!failure.empty()) {
      stopAll();
      break;
    }
    if (running.empty()) break;

    // Wait for a child to write or close its pipe (it closes on exit).
    std::vector<pollfd> polls;
    for (const auto& r : running) polls.push_back({r.fd, POLLIN, 0});
    if (::poll(polls.data(), polls.size(), -1) < 0) {
      if (errno == EINTR) continue;
      failure = std::string("waiting for workers: ") + std::strerror(errno);
      stopAll();
      break;
    }
    for (std::size_t k = polls.size(); k-- > 0;) {
      if (!polls[k].revents) continue;
      Running& r = running[k];
      char buffer[4096];
      const ssize_t n = ::read(r.fd, buffer, sizeof buffer);
      if (n > 0) {
        r.error.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      // End of file: the child is exiting.
      int status = 0;
      while (::waitpid(r.pid, &status, 0) < 0 && errno == EINTR) {}
      ::close(r.fd);
      const std::size_t index = r.index;
      const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
      const std::string error = ok ? std::string() : (r.error.empty() ? describeExit(status) : r.error);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
      ++finished;
      if (ended) ended(index, finished, indices.size(), error);
      if (!ok && !keep_going && failure.empty()) failure = error;
    }
    if (!failure.empty()) stopAll();
  }
  if (!failure.empty()) throw WorkerError(failure);
}

}  // namespace warta::app
