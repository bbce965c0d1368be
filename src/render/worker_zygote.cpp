// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/worker_zygote.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "render/workers.h"

namespace warta::app {

namespace {

// A job's child as the zygote sees it.
struct Child {
  std::size_t slot;  // K in the protocol
  pid_t pid;
  int pidfd;         // readable once it has exited
  int report;        // read end of its report pipe, -1 once at end of file
  std::string text;  // what it reported
};

// A report longer than this is cut (an error text is a line or a few).
constexpr std::size_t kMaxReport = 64 * 1024;

bool sendAll(const std::string& text) {
  for (std::size_t at = 0; at < text.size();) {
    const ssize_t n = ::send(kWorkerReportFd, text.data() + at, text.size() - at, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    at += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads what the child wrote so far (the pipe is non-blocking).
void drain(Child& c) {
  char buffer[4096];
  while (c.report >= 0) {
    const ssize_t n = ::read(c.report, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return;  // EAGAIN: nothing more for now
    if (n == 0) {
      ::close(c.report);
      c.report = -1;
      return;
    }
    if (c.text.size() < kMaxReport) c.text.append(buffer, static_cast<std::size_t>(n));
  }
}

[[noreturn]] void runChild(pid_t zygote, int report, const std::function<void(const std::string&)>& run,
                           const std::string& request) {
  // It must not outlive the zygote, whatever kills it (SIGKILL leaves it no
  // chance to stop its children); if the zygote died before prctl, nobody
  // waits for this job.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != zygote) ::_exit(1);
  // Its report pipe replaces the zygote's socket on kWorkerReportFd; stdin
  // stays /dev/null; every other descriptor (other children's pipes) goes.
  if (::dup2(report, kWorkerReportFd) < 0) ::_exit(1);
  ::closefrom(kWorkerReportFd + 1);
  const int status = runWorkerJob(run, request);
  std::exit(status);  // as a worker returning from main: exit handlers run
}

}  // namespace

int zygoteMain(pid_t parent, const std::function<void(const std::string& request)>& run) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) return 1;
  const pid_t self = ::getpid();
  std::vector<Child> children;
  FrameReader commands;

  const auto stopAll = [&] {
    for (const auto& c : children) ::kill(c.pid, SIGKILL);
    for (auto& c : children) {
      int status = 0;
      while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
      }
      ::close(c.pidfd);
      if (c.report >= 0) ::close(c.report);
    }
    children.clear();
    return 0;
  };

  for (;;) {
    std::vector<pollfd> polls{{kWorkerReportFd, POLLIN, 0}};
    for (const auto& c : children) {
      polls.push_back({c.pidfd, POLLIN, 0});
      polls.push_back({c.report, c.report >= 0 ? short{POLLIN} : short{0}, 0});
    }
    if (::poll(polls.data(), polls.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return stopAll() + 1;
    }
    // Reports first, then ends: a child's last words come before its end.
    for (std::size_t i = children.size(); i-- > 0;) {
      Child& c = children[i];
      if (polls[2 + 2 * i].revents) drain(c);
      if (!polls[1 + 2 * i].revents) continue;
      int status = 0;
      while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
      }
      drain(c);
      const std::string ended = "ended " + std::to_string(c.slot) + " " + std::to_string(status) + "\n" + c.text;
      ::close(c.pidfd);
      if (c.report >= 0) ::close(c.report);
      children.erase(children.begin() + static_cast<std::ptrdiff_t>(i));
      if (!sendAll(workerFrame(ended))) return stopAll();  // the parent is gone
    }
    if (!polls[0].revents) continue;
    char buffer[16384];
    const ssize_t n = ::recv(kWorkerReportFd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return stopAll();  // the parent closed its end: done, or stopping
    commands.append(buffer, static_cast<std::size_t>(n));
    for (;;) {
      std::optional<std::string> payload;
      try {
        payload = commands.next();
      } catch (const std::exception&) {
        return stopAll() + 1;
      }
      if (!payload) break;
      // "job K\nREQUEST"
      const std::size_t newline = payload->find('\n');
      if (payload->compare(0, 4, "job ") != 0 || newline == std::string::npos) return stopAll() + 1;
      const std::size_t slot = std::strtoull(payload->c_str() + 4, nullptr, 10);
      const std::string request = payload->substr(newline + 1);
      int report[2];
      if (::pipe2(report, O_CLOEXEC) != 0) {
        const std::string error =
            std::string(kindName(ErrorKind::Engine)) + "\ncannot create a pipe for a worker: " + std::strerror(errno);
        if (!sendAll(workerFrame("ended " + std::to_string(slot) + " 256\n" + error))) return stopAll();
        continue;
      }
      std::fflush(nullptr);  // nothing buffered is written twice
      const pid_t pid = ::fork();
      if (pid == 0) runChild(self, report[1], run, request);
      const int fork_error = errno;
      ::close(report[1]);
      ::fcntl(report[0], F_SETFL, O_NONBLOCK);  // drained as it comes, never waited on
      const int pidfd = pid > 0 ? static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)) : -1;
      if (pid < 0 || pidfd < 0) {
        const int e = pid < 0 ? fork_error : errno;
        ::close(report[0]);
        if (pid > 0) {
          ::kill(pid, SIGKILL);
          while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
          }
        }
        const std::string error =
            std::string(kindName(ErrorKind::Engine)) + "\ncannot start a worker: " + std::strerror(e);
        if (!sendAll(workerFrame("ended " + std::to_string(slot) + " 256\n" + error))) return stopAll();
        continue;
      }
      children.push_back({slot, pid, pidfd, report[0], {}});
      if (!sendAll(workerFrame("started " + std::to_string(slot) + " " + std::to_string(pid)))) return stopAll();
    }
  }
}

}  // namespace warta::app
