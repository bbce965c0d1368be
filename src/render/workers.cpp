// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/workers.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

extern char** environ;

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
  int fd;  // read end of the child's error pipe
  std::size_t index;
  std::string error;             // what the child wrote before it closed the pipe
  long long cpu = -1;            // its CPU time (clock ticks) when last looked at
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

// A descriptor that is none of 0..9, still close-on-exec: the spawn's dup2
// onto 0 and 3 then always makes a new, inheritable copy (dup2 onto itself
// would keep close-on-exec and the worker would find its pipe closed).
int highFd(int fd) {
  if (fd >= 10) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
  ::close(fd);
  return moved;
}

// One spawn's descriptors and attributes, released however it ends.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

// Starts `program` with `request` waiting on its stdin and a pipe on its
// descriptor kWorkerReportFd for its report; returns its pid and sets
// `report` to the read end. Throws WorkerError if it cannot.
pid_t spawnWorker(const std::filesystem::path& program, const std::string& request, int& report) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0)
    throw WorkerError(std::string("cannot create a pipe for a worker: ") + std::strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(in[0]), ::close(in[1]);
    throw WorkerError(std::string("cannot create a pipe for a worker: ") + std::strerror(e));
  }
  const auto closeAll = [&] {
    for (int fd : {in[0], in[1], out[0], out[1]})
      if (fd >= 0) ::close(fd);
  };
  // The request is small (paths and an index; bulk data is in a JobFile), so
  // it fits the pipe before the worker reads: no writer left to block, and
  // no SIGPIPE if the worker dies early.
  bool written = request.size() < 16384;
  for (std::size_t at = 0; written && at < request.size();) {
    const ssize_t n = ::write(in[1], request.data() + at, request.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) written = false;
    else at += static_cast<std::size_t>(n);
  }
  ::close(in[1]);
  in[1] = -1;
  in[0] = highFd(in[0]);
  out[1] = highFd(out[1]);
  if (!written || in[0] < 0 || out[1] < 0) {
    closeAll();
    throw WorkerError("cannot hand a job of " + std::to_string(request.size()) + " bytes to a worker");
  }

  SpawnSetup setup;
  posix_spawn_file_actions_adddup2(&setup.actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, out[1], kWorkerReportFd);
  // Whatever else the caller (a server, a test) left open without
  // close-on-exec is not the worker's.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, kWorkerReportFd + 1);
  // A worker starts clean whatever the caller did with signals (a server
  // blocking them in its threads, ignoring SIGPIPE, catching SIGTERM).
  sigset_t all, none;
  sigfillset(&all);
  sigdelset(&all, SIGKILL);
  sigdelset(&all, SIGSTOP);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&setup.attr, &all);
  posix_spawnattr_setsigmask(&setup.attr, &none);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::string path = program.string();
  std::string name = "warta-worker";
  char* argv[] = {name.data(), nullptr};
  std::fflush(nullptr);
  pid_t pid = -1;
  const int error = ::posix_spawn(&pid, path.c_str(), &setup.actions, &setup.attr, argv, environ);
  if (error != 0) {
    closeAll();
    throw WorkerError("cannot start the worker " + path + ": " + std::strerror(error));
  }
  ::close(in[0]);
  ::close(out[1]);
  report = out[0];
  return pid;
}

// A report is "KIND\nMESSAGE" (KIND as kindName); the ErrorKind it names.
std::pair<ErrorKind, std::string> parseReport(const std::string& text) {
  constexpr ErrorKind kKinds[] = {ErrorKind::Usage, ErrorKind::Config, ErrorKind::Input,
                                  ErrorKind::Io,    ErrorKind::Engine, ErrorKind::Interrupted};
  const std::size_t newline = text.find('\n');
  if (newline != std::string::npos)
    for (ErrorKind kind : kKinds)
      if (text.compare(0, newline, kindName(kind)) == 0) return {kind, text.substr(newline + 1)};
  return {ErrorKind::Engine, text};
}

void writeAll(int fd, const std::string& text) {
  for (std::size_t at = 0; at < text.size();) {
    const ssize_t n = ::write(fd, text.data() + at, text.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    at += static_cast<std::size_t>(n);
  }
}

std::string describeExit(int status) {
  if (WIFSIGNALED(status))
    return "worker killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  if (WIFEXITED(status)) return "worker exited with status " + std::to_string(WEXITSTATUS(status));
  return "worker ended abnormally";
}

}  // namespace

std::filesystem::path workerExecutable() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto runnable = [&](const fs::path& p) { return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0; };
  if (const char* env = std::getenv("WARTA_WORKER"); env != nullptr && *env != '\0') {
    const fs::path p(env);
    if (p.is_absolute() && runnable(p)) return p;
    throw Error(ErrorKind::Engine,
                std::string("WARTA_WORKER=") + env +
                    ": not an executable file given by its absolute path (the warta-worker program)");
  }
  std::vector<fs::path> looked;
  if (const fs::path self = fs::read_symlink("/proc/self/exe", ec); !ec) {
    looked.push_back(self.parent_path() / "warta-worker");
    if (runnable(looked.back())) return looked.back();
#ifdef WARTA_WORKER_FROM_BINDIR
    // Installed under any prefix (e.g. a package unpacked with dpkg -x):
    // <prefix>/bin/warta -> <prefix>/libexec/warta/warta-worker.
    looked.push_back((self.parent_path() / WARTA_WORKER_FROM_BINDIR).lexically_normal());
    if (runnable(looked.back())) return looked.back();
#endif
  }
#ifdef WARTA_WORKER_INSTALL_PATH
  looked.emplace_back(WARTA_WORKER_INSTALL_PATH);
  if (runnable(looked.back())) return looked.back();
#endif
  std::string where;
  for (const auto& p : looked) where += (where.empty() ? "" : ", ") + p.string();
  throw Error(ErrorKind::Engine, "cannot find the worker program warta-worker (looked in " + where +
                                     "); set WARTA_WORKER to its absolute path");
}

JobFile::JobFile(const std::string& contents) {
  std::string templ = (std::filesystem::temp_directory_path() / "warta-job-XXXXXX").string();
  const int fd = ::mkostemp(templ.data(), O_CLOEXEC);
  if (fd < 0) throw Error(ErrorKind::Io, templ + ": cannot create a job file: " + std::strerror(errno));
  path_ = templ;
  std::size_t at = 0;
  while (at < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + at, contents.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    at += static_cast<std::size_t>(n);
  }
  const int saved = errno;
  ::close(fd);
  if (at < contents.size()) {
    ::unlink(templ.c_str());
    throw Error(ErrorKind::Io, templ + ": cannot write a job file: " + std::strerror(saved));
  }
}

JobFile::~JobFile() { ::unlink(path_.c_str()); }

int workerMain(const std::function<void(const std::string& request)>& run) {
  // It must not outlive the process that waits for it (which may be killed
  // with SIGKILL, leaving no chance to stop it).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::string input;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    input.append(buffer, static_cast<std::size_t>(n));
  }
  // Line 1: the pid of the process that spawned this one. If that died
  // before prctl, nobody waits for this job.
  const std::size_t newline = input.find('\n');
  if (newline == std::string::npos || std::atoll(input.c_str()) != ::getppid()) return 1;
  // Test hook: a worker that hangs without computing, as on a blocked read.
  if (std::getenv("WARTA_TEST_WORKER_HANG"))
    for (;;) ::pause();
  int status = 0;
  try {
    run(input.substr(newline + 1));
  } catch (const Error& e) {
    writeAll(kWorkerReportFd, std::string(kindName(e.kind())) + "\n" + e.what());
    status = 1;
  } catch (const std::exception& e) {
    writeAll(kWorkerReportFd, std::string(kindName(ErrorKind::Engine)) + "\n" + e.what());
    status = 1;
  } catch (...) {
    status = 1;
  }
  std::fflush(nullptr);
  return status;
}

void runInWorkers(const std::vector<std::size_t>& indices, int jobs, const JobRequest& request, const JobEnded& ended,
                  bool keep_going) {
  if (indices.empty()) return;
  if (jobs < 1) jobs = availableCores();
  const std::filesystem::path program = workerExecutable();
  std::vector<Running> running;
  std::size_t next = 0, finished = 0;
  std::string failure;
  ErrorKind failure_kind = ErrorKind::Engine;
  std::cout.flush();
  std::cerr.flush();
  const auto stall = std::chrono::seconds(stallSeconds());

  auto stopAll = [&] {
    for (auto& r : running) ::kill(r.pid, SIGKILL);
    for (auto& r : running) {
      int status = 0;
      while (::waitpid(r.pid, &status, 0) < 0 && errno == EINTR) {
      }
      ::close(r.fd);
    }
    running.clear();
  };

  while ((next < indices.size() && failure.empty()) || !running.empty()) {
    while (failure.empty() && next < indices.size() && static_cast<int>(running.size()) < jobs) {
      int fd = -1;
      pid_t pid = -1;
      try {
        pid = spawnWorker(program, std::to_string(::getpid()) + '\n' + request(indices[next]), fd);
      } catch (const std::exception& e) {
        failure = e.what();
        break;
      }
      running.push_back({pid, fd, indices[next], {}, -1, Clock::now()});
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
      while (::waitpid(r.pid, &status, 0) < 0 && errno == EINTR) {
      }
      ::close(r.fd);
      const std::size_t index = r.index;
      const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
      // A worker that reported nothing died (a signal, a stall): that is its error.
      const auto [kind, error] = ok                ? std::pair<ErrorKind, std::string>{}
                                 : r.error.empty() ? std::pair{ErrorKind::Engine, describeExit(status)}
                                                   : parseReport(r.error);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
      ++finished;
      if (ended) ended(index, finished, indices.size(), error);
      if (!ok && !keep_going && failure.empty()) failure = error, failure_kind = kind;
    }
    if (!failure.empty()) stopAll();
  }
  if (!failure.empty()) throw WorkerError(failure, failure_kind);
}

}  // namespace warta::app
