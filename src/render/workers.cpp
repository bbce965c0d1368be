#include "render/workers.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace warta::app {

namespace {
volatile sig_atomic_t g_signal = 0;
int g_wake[2] = {-1, -1};  // self-pipe: the handler writes, the workers' wait polls
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void onSignal(int sig) {
  const int saved = errno;
  if (!g_signal) g_signal = sig;
  if (g_wake[1] >= 0) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_wake[1], &byte, 1);
  }
  errno = saved;
}
}  // namespace

Interrupted::Interrupted(int signal)
    : Error(ErrorKind::Interrupted, std::string("interrupted by SIG") + sigabbrev_np(signal), signal) {}

void installSignalHandlers() {
  if (g_wake[0] < 0 && ::pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) != 0) g_wake[0] = g_wake[1] = -1;
  struct sigaction action {};
  action.sa_handler = onSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int sig : kSignals) ::sigaction(sig, &action, nullptr);
}

void throwIfInterrupted() {
  if (g_signal) throw Interrupted(g_signal);
}

int availableCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<int>(online) : 1;
}

namespace {

using Clock = std::chrono::steady_clock;

struct Running {
  pid_t pid;
  int fd;             // read end of the child's error pipe
  std::size_t index;
  std::string error;  // what the child wrote before it closed the pipe
  long long cpu = -1;           // its CPU time (clock ticks) when last looked at
  Clock::time_point progressed;  // when its CPU time last grew
};

// CPU time (clock ticks) used by a process, its reaped children and, through
// /proc/PID/task/PID/children, its live descendants: a batch worker waits
// while its own workers compute. -1 if the process is gone.
long long cpuTicks(pid_t pid, int depth = 0) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  long long total = 0;
  int seen = 0;
  for (int i = 3; i <= 17 && fields >> field; ++i)
    if (i >= 14) total += std::atoll(field.c_str()), ++seen;  // utime, stime, cutime, cstime
  if (seen < 4) return -1;
  if (depth < 4) {
    std::ifstream children("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    for (pid_t child; children >> child;)
      if (const long long c = cpuTicks(child, depth + 1); c > 0) total += c;
  }
  return total;
}

// $WARTA_WORKER_STALL_SECONDS (whole seconds > 0), else 10 minutes: far
// longer than any chunk waits without computing.
int stallSeconds() {
  if (const char* text = std::getenv("WARTA_WORKER_STALL_SECONDS")) {
    const int value = std::atoi(text);
    if (value > 0) return value;
  }
  return 600;
}

// In a new worker, before its job: it must not outlive the main process
// (which may be killed with SIGKILL, leaving no chance to stop it), and
// SIGINT, SIGTERM and SIGHUP kill it as they would any process.
void becomeWorker(pid_t parent) {
  for (int sig : kSignals) ::signal(sig, SIG_DFL);
  for (int& fd : g_wake) {  // the main process's signal pipe: not this process's to wait on
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);  // the parent died before prctl: nobody waits for this job
  // Test hook: a worker that hangs without computing, as on a blocked read.
  if (std::getenv("WARTA_TEST_WORKER_HANG"))
    for (;;) ::pause();
}

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
  const pid_t self = ::getpid();
  const auto stall = std::chrono::seconds(stallSeconds());

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
        becomeWorker(self);
        runChild(fds[1], indices[next], job);
      }
      ::close(fds[1]);
      running.push_back({pid, fds[0], indices[next], {}, -1, Clock::now()});
      ++next;
    }
    if (!failure.empty()) {
      stopAll();
      break;
    }
    if (running.empty()) break;

    // Wait for a child to write or close its pipe (it closes on exit).
    // Also for a signal (the self-pipe), and once a second to look for stalls.
    std::vector<pollfd> polls;
    for (const auto& r : running) polls.push_back({r.fd, POLLIN, 0});
    if (g_wake[0] >= 0) polls.push_back({g_wake[0], POLLIN, 0});
    if (::poll(polls.data(), polls.size(), 1000) < 0 && errno != EINTR) {
      failure = std::string("waiting for workers: ") + std::strerror(errno);
      stopAll();
      break;
    }
    if (g_signal) {
      stopAll();
      throw Interrupted(g_signal);
    }
    polls.resize(running.size());
    const auto now = Clock::now();
    for (auto& r : running) {
      const long long cpu = cpuTicks(r.pid);
      if (cpu != r.cpu) r.cpu = cpu, r.progressed = now;
      if (now - r.progressed < stall || !r.error.empty()) continue;
      r.error = "worker " + std::to_string(r.pid) + " made no progress (no CPU time used) for " +
                std::to_string(stall.count()) + " s; killed (WARTA_WORKER_STALL_SECONDS sets the limit)";
      ::kill(r.pid, SIGKILL);  // its pipe closes: reported below or on the next wait
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
