// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/workers.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
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

#include "config/installed.h"

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
  std::size_t slot;              // position in `indices`: K in the protocol
  pid_t pid = -1;                // the job's process, once the zygote said it started
  std::string stalled;           // why the watchdog killed it, if it did
  long long cpu = -1;            // its CPU time (clock ticks) when last looked at
  Clock::time_point progressed;  // when its CPU time last grew
};

// CPU time (clock ticks) used by a process, its reaped children and, through
// /proc/PID/task/PID/children, its live descendants: a batch worker waits
// while its own workers compute. -1 if the process is gone.
long long cpuTicks(pid_t pid, int depth = 0) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  // getline, not an istreambuf_iterator: a job reaped by the zygote while
  // this reads fails the read (ESRCH), which getline turns into a failed
  // stream and an iterator would throw out of the render.
  std::string stat;
  std::getline(in, stat, '\0');
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

// Sends all of `text` on a socket (no SIGPIPE if the peer is gone); false
// if the peer is gone.
bool sendAll(int fd, const std::string& text) {
  for (std::size_t at = 0; at < text.size();) {
    const ssize_t n = ::send(fd, text.data() + at, text.size() - at, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    at += static_cast<std::size_t>(n);
  }
  return true;
}

// The pool's one warta-worker: a zygote (see the header) on a socket. Its
// destructor stops it however the pool ends: the children the parent knows
// of are killed at once, then the zygote, told by the closed socket, kills
// any others, reaps them and exits; reaped here, nothing of it is left.
class Zygote {
 public:
  Zygote(const std::filesystem::path& program);
  ~Zygote() { stop({}); }
  Zygote(const Zygote&) = delete;
  Zygote& operator=(const Zygote&) = delete;
  int fd() const { return fd_; }
  pid_t pid() const { return pid_; }
  // Kills `children` (the running jobs' pids), closes the socket and waits
  // for the zygote (killing it if it does not end within 10 s). Its wait
  // status, or -1 if it was already stopped.
  int stop(const std::vector<pid_t>& children);

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
};

Zygote::Zygote(const std::filesystem::path& program) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    throw WorkerError(std::string("cannot create a socket for the worker zygote: ") + std::strerror(errno));
  const int theirs = highFd(sv[1]);
  if (theirs < 0) {
    ::close(sv[0]);
    throw WorkerError(std::string("cannot create a socket for the worker zygote: ") + std::strerror(errno));
  }
  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, theirs, kWorkerReportFd);
  // Whatever else the caller (a server, a test) left open without
  // close-on-exec is not the worker's.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, kWorkerReportFd + 1);
  // The zygote (and so every job) starts clean whatever the caller did with
  // signals (a server blocking them in its threads, ignoring SIGPIPE,
  // catching SIGTERM).
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
  std::string mode = kZygoteArgument;
  std::string parent = std::to_string(::getpid());  // the zygote checks it after PR_SET_PDEATHSIG
  char* argv[] = {name.data(), mode.data(), parent.data(), nullptr};
  std::fflush(nullptr);
  const int error = ::posix_spawn(&pid_, path.c_str(), &setup.actions, &setup.attr, argv, environ);
  ::close(theirs);
  if (error != 0) {
    ::close(sv[0]);
    throw WorkerError("cannot start the worker " + path + ": " + std::strerror(error));
  }
  fd_ = sv[0];
}

int Zygote::stop(const std::vector<pid_t>& children) {
  if (pid_ < 0) return -1;
  for (pid_t child : children)
    if (child > 0) ::kill(child, SIGKILL);
  ::shutdown(fd_, SHUT_WR);
  // The zygote's end closes when it exits: read (and drop) its last
  // messages until then.
  const auto until = Clock::now() + std::chrono::seconds(10);
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) {
      ::kill(pid_, SIGKILL);  // stuck: its children die with it (PR_SET_PDEATHSIG)
      break;
    }
    if (::poll(&p, 1, static_cast<int>(left)) < 0 && errno != EINTR) break;
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) break;
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  ::close(fd_);
  pid_ = -1;
  fd_ = -1;
  return status;
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
  }
  // Installed under any prefix (a package unpacked with dpkg -x, a library
  // installed with cmake --install): PREFIX/libexec/warta/warta-worker, found
  // from the library or program holding this code.
  if (fs::path installed = findInstalled(WARTA_WORKER_UNDER_PREFIX); !installed.empty()) return installed;
  looked.emplace_back("PREFIX/" WARTA_WORKER_UNDER_PREFIX " (PREFIX: one or two folders above libwarta)");
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

std::string workerFrame(const std::string& payload) { return std::to_string(payload.size()) + '\n' + payload; }

std::optional<std::string> FrameReader::next() {
  const std::size_t newline = buffer_.find('\n');
  if (newline == std::string::npos) {
    if (buffer_.size() > 20) throw WorkerError("the worker zygote sent a malformed message");
    return std::nullopt;
  }
  if (newline == 0 || newline > 19 || buffer_.find_first_not_of("0123456789") != newline)
    throw WorkerError("the worker zygote sent a malformed message");
  const std::size_t size = std::stoull(buffer_.substr(0, newline));
  if (buffer_.size() - newline - 1 < size) return std::nullopt;
  std::string payload = buffer_.substr(newline + 1, size);
  buffer_.erase(0, newline + 1 + size);
  return payload;
}

int runWorkerJob(const std::function<void(const std::string& request)>& run, const std::string& request) {
  // Test hook: a worker that hangs without computing, as on a blocked read.
  if (std::getenv("WARTA_TEST_WORKER_HANG"))
    for (;;) ::pause();
  int status = 0;
  try {
    run(request);
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

namespace {

// "WORD N M\nREST": the two numbers after `word`, and REST.
bool parseEvent(const std::string& payload, const char* word, std::size_t& k, long long& value, std::string& rest) {
  const std::size_t newline = payload.find('\n');
  std::istringstream head(payload.substr(0, newline));
  std::string w;
  if (!(head >> w >> k >> value) || w != word) return false;
  rest = newline == std::string::npos ? std::string() : payload.substr(newline + 1);
  return true;
}

}  // namespace

struct EarlyWorkers::Impl {
  std::unique_ptr<Zygote> zygote;
};

namespace {

// The worker program found and its zygote spawned, what this process wrote
// so far flushed first. Throws as runInWorkers says.
std::unique_ptr<Zygote> startZygote() {
  const std::filesystem::path program = workerExecutable();
  std::cout.flush();
  std::cerr.flush();
  return std::make_unique<Zygote>(program);
}

}  // namespace

EarlyWorkers::EarlyWorkers() : impl_(std::make_unique<Impl>()) {
  try {
    impl_->zygote = startZygote();
  } catch (const warta::Error&) {  // runInWorkers will try again, and say why it cannot
  }
}

EarlyWorkers::~EarlyWorkers() = default;

void runInWorkers(const std::vector<std::size_t>& indices, int jobs, const JobRequest& request, const JobEnded& ended,
                  bool keep_going, EarlyWorkers* early) {
  if (indices.empty()) return;
  if (jobs < 1) jobs = availableCores();
  std::unique_ptr<Zygote> started = early ? std::move(early->impl().zygote) : nullptr;
  if (!started) started = startZygote();
  Zygote& zygote = *started;
  std::vector<Running> running;
  std::size_t next = 0, finished = 0;
  std::string failure;
  ErrorKind failure_kind = ErrorKind::Engine;
  const auto stall = std::chrono::seconds(stallSeconds());
  FrameReader events;

  const auto stopAll = [&] {
    std::vector<pid_t> pids;
    for (const auto& r : running) pids.push_back(r.pid);
    zygote.stop(pids);
    running.clear();
  };
  // The zygote died (its socket closed) or broke the protocol: no job can
  // end as it should. Throws.
  const auto lost = [&](const std::string& why) {
    const pid_t pid = zygote.pid();
    std::vector<pid_t> pids;
    for (const auto& r : running) pids.push_back(r.pid);
    const int status = zygote.stop(pids);
    running.clear();
    if (g_signal) throw Interrupted(g_signal);  // a ^C reached the zygote first
    throw WorkerError("the worker zygote " + std::to_string(pid) + " " +
                      (why.empty() ? "ended early: " + describeExit(status) : why));
  };
  const auto find = [&](std::size_t k) {
    for (std::size_t i = 0; i < running.size(); ++i)
      if (running[i].slot == k) return i;
    lost("sent a message about a job it was not given");
    return std::size_t{0};
  };

  while ((next < indices.size() && failure.empty()) || !running.empty()) {
    while (failure.empty() && next < indices.size() && static_cast<int>(running.size()) < jobs) {
      if (!sendAll(zygote.fd(), workerFrame("job " + std::to_string(next) + "\n" + request(indices[next])))) lost({});
      running.push_back({next, -1, {}, -1, Clock::now()});
      ++next;
    }
    if (running.empty()) break;

    // Wait for the zygote to say something (a job started or ended), for a
    // signal (the self-pipe), and once a second to look for stalls.
    std::vector<pollfd> polls{{zygote.fd(), POLLIN, 0}};
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
    const auto now = Clock::now();
    for (auto& r : running) {
      if (r.pid < 0 || !r.stalled.empty()) continue;
      const long long cpu = cpuTicks(r.pid);
      if (cpu != r.cpu) r.cpu = cpu, r.progressed = now;
      if (now - r.progressed < stall) continue;
      r.stalled = "worker " + std::to_string(r.pid) + " made no progress (no CPU time used) for " +
                  std::to_string(stall.count()) + " s; killed (WARTA_WORKER_STALL_SECONDS sets the limit)";
      ::kill(r.pid, SIGKILL);  // the zygote reaps it and says it ended
    }
    if (!polls[0].revents) continue;
    char buffer[4096];
    const ssize_t n = ::recv(zygote.fd(), buffer, sizeof buffer, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) lost({});
    events.append(buffer, static_cast<std::size_t>(n));
    for (;;) {
      std::optional<std::string> payload;
      try {
        payload = events.next();
      } catch (const WorkerError& e) {
        lost(e.what());
      }
      if (!payload) break;
      std::size_t k = 0;
      long long value = 0;
      std::string report;
      if (parseEvent(*payload, "started", k, value, report)) {
        Running& r = running[find(k)];
        r.pid = static_cast<pid_t>(value);
        r.progressed = Clock::now();
        continue;
      }
      if (!parseEvent(*payload, "ended", k, value, report)) lost("sent a message out of the protocol");
      const std::size_t at = find(k);
      const int status = static_cast<int>(value);
      const std::string stalled = running[at].stalled;
      const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && stalled.empty();
      // A job that reported nothing died (a signal, a stall): that is its error.
      const auto [kind, error] = ok                 ? std::pair<ErrorKind, std::string>{}
                                 : !stalled.empty() ? std::pair{ErrorKind::Engine, stalled}
                                 : report.empty()   ? std::pair{ErrorKind::Engine, describeExit(status)}
                                                    : parseReport(report);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(at));
      ++finished;
      if (ended) ended(indices[k], finished, indices.size(), error);
      if (!ok && !keep_going && failure.empty()) failure = error, failure_kind = kind;
    }
    if (!failure.empty()) stopAll();
  }
  zygote.stop({});  // every job has ended: it exits at once
  if (!failure.empty()) throw WorkerError(failure, failure_kind);
}

}  // namespace warta::app
