// SPDX-License-Identifier: GPL-3.0-or-later
// The render pool's workers (render/workers.h): warta-worker processes
// spawned with each job as data. The test binary is not beside
// warta-worker: WARTA_WORKER names the one built (catch_main.cpp).
#include <catch2/catch.hpp>

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "config/voice_loader.h"
#include "render/pipeline.h"
#include "render/worker_jobs.h"
#include "render/workers.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta;
using namespace warta::app;
using namespace warta::test;

namespace {

const char* kArticle = "Jembatan Baru Dibuka\n\nWarga Desa Sukamaju kini bisa menyeberang sungai tanpa perahu.\n";
const char* kSecond = "Pasar Pagi Ramai\n\nPedagang sayur di pasar pagi melayani pembeli sejak subuh.\n";

void useBuiltWorker() { ::setenv("WARTA_WORKER", WARTA_WORKER_BINARY, 0); }  // as catch_main does

speech::VoiceProfile shippedVoice() { return loadVoiceProfile(fs::path(WARTA_SOURCE_DIR) / "voices" / "id.yaml"); }

// Two articles, two chunks (one per article), rendered with `jobs` workers.
std::string render(const fs::path& dir, const std::string& name, int jobs) {
  writeBytes(dir / "a.txt", kArticle);
  writeBytes(dir / "b.txt", kSecond);
  RenderOptions options;
  options.jobs = jobs;  // no cache: a scratch folder, every chunk rendered
  const RenderReport r = sayArticles({dir / "a.txt", dir / "b.txt"}, dir / name, shippedVoice(), {}, {}, options);
  REQUIRE(r.chunks == 2);
  REQUIRE(r.cached_chunks == 0);
  return readText(dir / name);
}

}  // namespace

TEST_CASE("a render called from a second thread, while the first allocates and locks, matches one from the main thread",
          "[workers]") {
  useBuiltWorker();
  const fs::path dir = tempDir("workers-threaded");
  const std::string alone = render(dir, "alone.mp3", 2);

  // A server's shape: the render runs in its own thread with every signal
  // blocked (as servers block them in worker threads), while another thread
  // keeps the allocator and a mutex busy. A fork() here would copy a locked
  // malloc arena into a child that then deadlocks; spawned workers don't.
  std::atomic<bool> done{false};
  std::mutex lock;
  std::size_t rounds = 0;
  std::thread busy([&] {
    while (!done) {
      std::lock_guard<std::mutex> hold(lock);
      std::vector<std::string> garbage(64, std::string(4096, 'x'));
      rounds += garbage.size();
    }
  });
  std::string threaded;
  std::string error;
  std::thread caller([&] {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    try {
      threaded = render(dir, "threaded.mp3", 2);
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  caller.join();
  done = true;
  busy.join();
  INFO(error);
  REQUIRE(error.empty());
  CHECK(rounds > 0);
  CHECK(threaded.size() > 1000);
  CHECK(threaded == alone);
  const Decoded d = decodeFile(dir / "threaded.mp3");
  CHECK(d.audio.seconds() > 3.0);
}

TEST_CASE("a job's error in a worker keeps its text and its kind", "[workers]") {
  useBuiltWorker();
  const fs::path dir = tempDir("workers-config-error");
  // A voice whose lexicon is broken at line 2: the article's worker reads it.
  fs::copy(fs::path(WARTA_SOURCE_DIR) / "voices" / "id", dir / "id",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  writeBytes(dir / "id" / "lexicon.yaml", "entries:\n  - [unclosed\n");
  writeBytes(dir / "a.txt", kArticle);
  BatchJob batch;
  batch.articles = {dir / "a.txt"};
  batch.dir = dir;
  batch.out_dir = dir / "out";
  fs::create_directories(batch.out_dir);
  batch.extension = ".mp3";
  batch.voice = shippedVoice();
  batch.voice.language_dir = dir / "id";
  const JobFile file(encodeBatch(batch));
  try {
    runInWorkers({0}, 1, [&](std::size_t i) { return articleRequest(file.path(), i); });
    FAIL("no error");
  } catch (const WorkerError& e) {
    INFO(e.what());
    CHECK(e.kind() == ErrorKind::Config);
    CHECK(std::string(e.what()).find("lexicon.yaml") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir / "out" / "a.mp3"));
}

TEST_CASE("a plan sent to a worker comes back whole: every sound's cache key is the same", "[workers]") {
  // describeSound is the complete list of a sound's inputs: equal keys, equal bytes.
  RenderPlan plan;
  plan.output = "/x/out.mp3";
  plan.settings.tags.title = "Kabar \"Pagi\"\n";
  plan.settings.broadcast.time_reference = 1234567890123ull;
  plan.render.integrated = -23.0 / 3.0;  // not short in decimal: must come back exactly
  plan.voices = {shippedVoice()};
  plan.voices[0].pauses.sentence = 0.1 + 0.2;
  plan.bed_file = "/x/bed.wav";
  plan.bed_level = -17.123456789012345;
  Step speech;
  speech.op = Step::Op::Story;
  speech.kind = "speech";
  speech.story = 2;
  speech.segments.push_back({"satu [[s'atu]]", "Satu.", 0.35, "satu", "sentence", true, {{"Satu.", 1}}});
  Step pause;
  pause.op = Step::Op::Pause;
  pause.seconds = 1.0 / 3.0;
  pause.cut = true;
  Step bed;
  bed.op = Step::Op::BedStart;
  plan.steps = {speech, pause, speech, bed};
  const auto hash = [](const fs::path& p) { return "hash of " + p.string(); };
  const RenderPlan back = decodePlan(encodePlan(plan), "plan.json");
  REQUIRE(back.steps.size() == 4);
  CHECK(back.steps[1].cut);
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    CHECK(needsSound(back, i) == needsSound(plan, i));
    if (needsSound(plan, i)) CHECK(describeSound(back, i, hash) == describeSound(plan, i, hash));
  }
  CHECK(back.bed_file == plan.bed_file);
  CHECK(back.bed_level == plan.bed_level);
  CHECK(back.render.integrated == plan.render.integrated);
  CHECK(back.voices[0].pauses.sentence == plan.voices[0].pauses.sentence);
  CHECK(back.settings.tags.title == plan.settings.tags.title);
  CHECK(back.settings.broadcast.time_reference == plan.settings.broadcast.time_reference);
  CHECK(encodePlan(back) == encodePlan(plan));
  CHECK_THROWS_WITH(decodePlan("{\"output\": 1}", "/x/plan.json"), Catch::Contains("/x/plan.json"));
}

TEST_CASE("a missing worker program is a clear error naming WARTA_WORKER", "[workers]") {
  const char* saved = std::getenv("WARTA_WORKER");
  const std::string keep = saved ? saved : "";
  ::setenv("WARTA_WORKER", "/nonexistent/warta-worker", 1);
  try {
    runInWorkers({0}, 1, [](std::size_t) { return std::string("{}"); });
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Engine);
    CHECK(std::string(e.what()).find("WARTA_WORKER=/nonexistent/warta-worker") != std::string::npos);
  }
  ::unsetenv("WARTA_WORKER");
  // Beside the test binary there is none: the error says where it looked and what to set.
  try {
    (void)workerExecutable();
    FAIL("found a worker beside the test binary");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("tests/warta-worker") != std::string::npos);
    CHECK(std::string(e.what()).find("set WARTA_WORKER") != std::string::npos);
  }
  if (!keep.empty()) ::setenv("WARTA_WORKER", keep.c_str(), 1);
  else useBuiltWorker();
}

// The pool itself, with the worker's test jobs ($WARTA_TEST_JOBS, a script a
// line: worker_main.cpp): one zygote per call, a forked process per job.
namespace {

struct TestJobs {
  TestJobs() {
    useBuiltWorker();
    ::setenv("WARTA_TEST_JOBS", "1", 1);
  }
  ~TestJobs() { ::unsetenv("WARTA_TEST_JOBS"); }
};

std::string testJob(const std::string& script) { return "warta-test-job\n" + script; }

// What a job's write-pids step wrote: its pid, its parent's, its program.
struct JobPids {
  pid_t pid = -1, parent = -1;
  std::string exe;
};
JobPids readPids(const fs::path& file) {
  std::istringstream in(readText(file));
  JobPids p;
  in >> p.pid >> p.parent >> p.exe;
  return p;
}

// Neither running nor a zombie left to reap: no /proc entry, or one not of
// a live process (a pid reused meanwhile would be another program).
bool gone(pid_t pid) {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
  return ec || exe.filename() != "warta-worker";
}

bool goneWithin(const std::vector<pid_t>& pids, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    bool all = true;
    for (pid_t p : pids) all = all && gone(p);
    if (all) return true;
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

TEST_CASE("many jobs share one zygote: each runs in its own forked warta-worker, all gone when the pool returns",
          "[workers][zygote]") {
  const TestJobs test;
  const fs::path dir = tempDir("workers-zygote-shared");
  constexpr std::size_t kJobs = 8;
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < kJobs; ++i) indices.push_back(i);
  std::vector<std::size_t> seen, counts;
  runInWorkers(
      indices, 3, [&](std::size_t i) { return testJob("write-pids " + (dir / std::to_string(i)).string() + "\n"); },
      [&](std::size_t index, std::size_t ended, std::size_t total, const std::string& error) {
        CHECK(error.empty());
        CHECK(total == kJobs);
        seen.push_back(index);
        counts.push_back(ended);
      });
  std::set<pid_t> pids;
  std::set<pid_t> parents;
  for (std::size_t i = 0; i < kJobs; ++i) {
    const JobPids p = readPids(dir / std::to_string(i));
    CHECK(fs::path(p.exe).filename() == "warta-worker");
    pids.insert(p.pid);
    parents.insert(p.parent);
  }
  CHECK(pids.size() == kJobs);   // a fresh process per job
  REQUIRE(parents.size() == 1);  // one zygote started for them all
  const pid_t zygote = *parents.begin();
  CHECK(zygote != ::getpid());     // not forked by the library
  CHECK(pids.count(zygote) == 0);  // the zygote ran no job itself
  CHECK(gone(zygote));
  for (pid_t p : pids) CHECK(gone(p));
  std::sort(seen.begin(), seen.end());
  CHECK(seen == indices);
  CHECK(counts == std::vector<std::size_t>{1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("a failing job in the zygote's child reports its text and kind, and with keep_going the others still run",
          "[workers][zygote]") {
  const TestJobs test;
  const fs::path dir = tempDir("workers-zygote-fail");
  try {
    runInWorkers({0}, 1, [](std::size_t) { return testJob("fail broken.yaml:2: not a lexicon\n"); });
    FAIL("no error");
  } catch (const WorkerError& e) {
    CHECK(e.kind() == ErrorKind::Config);
    CHECK(std::string(e.what()) == "broken.yaml:2: not a lexicon");
  }
  std::map<std::size_t, std::string> errors;
  runInWorkers(
      {0, 1, 2, 3}, 2,
      [&](std::size_t i) {
        return testJob(i == 1 ? "fail job one failed\n" : "write-pids " + (dir / std::to_string(i)).string() + "\n");
      },
      [&](std::size_t index, std::size_t, std::size_t, const std::string& error) { errors[index] = error; }, true);
  CHECK(errors == std::map<std::size_t, std::string>{{0, ""}, {1, "job one failed"}, {2, ""}, {3, ""}});
  for (int i : {0, 2, 3}) CHECK(fs::exists(dir / std::to_string(i)));
}

TEST_CASE("a job killed by a signal is reported as how it died", "[workers][zygote]") {
  const TestJobs test;
  const std::string died = std::string("killed by signal ") + std::to_string(SIGUSR1) + " (" + strsignal(SIGUSR1) + ")";
  try {
    runInWorkers({5}, 1, [](std::size_t) { return testJob("signal " + std::to_string(SIGUSR1) + "\n"); });
    FAIL("no error");
  } catch (const WorkerError& e) {
    INFO(e.what());
    CHECK(e.kind() == ErrorKind::Engine);
    CHECK(std::string(e.what()).find(died) != std::string::npos);
  }
  std::map<std::size_t, std::string> errors;
  runInWorkers(
      {7, 8}, 2, [](std::size_t i) { return testJob(i == 8 ? "signal " + std::to_string(SIGUSR1) + "\n" : ""); },
      [&](std::size_t index, std::size_t, std::size_t, const std::string& error) { errors[index] = error; }, true);
  REQUIRE(errors.size() == 2);
  CHECK(errors[7].empty());
  CHECK(errors[8].find(died) != std::string::npos);
}

TEST_CASE("a failure stops the pool: running jobs are killed and no zygote or child is left when it throws",
          "[workers][zygote]") {
  const TestJobs test;
  const fs::path dir = tempDir("workers-zygote-stop");
  const fs::path a = dir / "a", b = dir / "b", late = dir / "late";
  const auto request = [&](std::size_t i) {
    switch (i) {
      case 0:
        return testJob("write-pids " + a.string() + "\nhang\n");
      case 1:
        return testJob("write-pids " + b.string() + "\nhang\n");
      case 2:
        return testJob("wait-for " + a.string() + "\nwait-for " + b.string() + "\nfail stop here\n");
      default:
        return testJob("write-pids " + late.string() + "\n");
    }
  };
  const auto started = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(runInWorkers({0, 1, 2, 3}, 3, request), "stop here");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
  const JobPids pa = readPids(a), pb = readPids(b);
  CHECK(pa.parent == pb.parent);
  // Gone already, not soon: the pool reaped its zygote, which reaped them.
  CHECK(gone(pa.pid));
  CHECK(gone(pb.pid));
  CHECK(gone(pa.parent));
  CHECK_FALSE(fs::exists(late));  // no new job after the failure
}

TEST_CASE("killing the render process with SIGKILL leaves no zygote or job process running", "[workers][zygote]") {
  const TestJobs test;
  const fs::path dir = tempDir("workers-zygote-killed");
  const fs::path a = dir / "a", b = dir / "b";
  // The render process: a child of this test, running a pool of two jobs that hang.
  const pid_t render = ::fork();
  REQUIRE(render >= 0);
  if (render == 0) {
    try {
      runInWorkers({0, 1}, 2,
                   [&](std::size_t i) { return testJob("write-pids " + (i ? b : a).string() + "\nhang\n"); });
    } catch (...) {
    }
    ::_exit(0);
  }
  for (int i = 0; i < 3000 && !(fs::exists(a) && fs::exists(b) && readText(b).find('\n') != std::string::npos &&
                                readText(a).find('\n') != std::string::npos);
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const JobPids pa = readPids(a), pb = readPids(b);
  REQUIRE(pa.pid > 0);
  REQUIRE(pb.pid > 0);
  CHECK(pa.parent == pb.parent);
  CHECK(pa.parent != render);
  CHECK_FALSE(gone(pa.parent));  // running until its parent dies
  ::kill(render, SIGKILL);
  int status = 0;
  ::waitpid(render, &status, 0);
  CHECK(WIFSIGNALED(status));
  CHECK(goneWithin({pa.pid, pb.pid, pa.parent}, 10));
}

TEST_CASE("a stalled job is watched and killed by the pool through the pid its zygote reports", "[workers][zygote]") {
  const TestJobs test;
  const fs::path dir = tempDir("workers-zygote-stall");
  ::setenv("WARTA_WORKER_STALL_SECONDS", "1", 1);
  std::string error;
  try {
    runInWorkers({0}, 1, [&](std::size_t) { return testJob("write-pids " + (dir / "pids").string() + "\nhang\n"); });
  } catch (const WorkerError& e) {
    error = e.what();
  }
  ::unsetenv("WARTA_WORKER_STALL_SECONDS");
  INFO(error);
  const JobPids p = readPids(dir / "pids");
  CHECK(error.find("worker " + std::to_string(p.pid) + " made no progress") != std::string::npos);
  CHECK(gone(p.pid));
  CHECK(gone(p.parent));
}

TEST_CASE("a zygote that dies mid-run fails the pool saying so, and its jobs die with it", "[workers][zygote]") {
  const TestJobs test;
  const fs::path dir = tempDir("workers-zygote-dies");
  const fs::path a = dir / "a";
  std::string error;
  try {
    runInWorkers(
        {0, 1}, 2,
        [&](std::size_t i) {
          return testJob(i == 0 ? "write-pids " + a.string() + "\nhang\n"
                                : "wait-for " + a.string() + "\nkill-parent\n");
        },
        {}, true);
    FAIL("no error");
  } catch (const WorkerError& e) {
    error = e.what();
    CHECK(e.kind() == ErrorKind::Engine);
  }
  INFO(error);
  const JobPids p = readPids(a);
  CHECK(error.find("the worker zygote " + std::to_string(p.parent) + " ended early") != std::string::npos);
  CHECK(error.find(std::string("killed by signal ") + std::to_string(SIGKILL)) != std::string::npos);
  CHECK(goneWithin({p.pid, p.parent}, 10));
}

TEST_CASE("the zygote runs at most `jobs` jobs at once, and that many side by side", "[workers][zygote]") {
  const TestJobs test;
  const fs::path dir = tempDir("workers-zygote-limit");
  constexpr std::size_t kJobs = 6;
  runInWorkers({0, 1, 2, 3, 4, 5}, 2, [&](std::size_t i) {
    const std::string n = std::to_string(i);
    return testJob("write-pids " + (dir / ("start-" + n)).string() + "\nsleep 300\nwrite-pids " +
                   (dir / ("end-" + n)).string() + "\n");
  });
  // Each job's span from its files' times: how many overlap at each start.
  std::vector<std::pair<fs::file_time_type, fs::file_time_type>> spans;
  for (std::size_t i = 0; i < kJobs; ++i)
    spans.emplace_back(fs::last_write_time(dir / ("start-" + std::to_string(i))),
                       fs::last_write_time(dir / ("end-" + std::to_string(i))));
  std::size_t most = 0;
  for (const auto& [start, end] : spans) {
    std::size_t at = 0;
    for (const auto& [s, e] : spans) at += s <= start && start < e;
    most = std::max(most, at);
  }
  CHECK(most == 2);
}

namespace {

// This process's children that are warta-worker (a zygote: its jobs are its children, not ours).
std::set<pid_t> workerChildren() {
  std::set<pid_t> found;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::istringstream stat(readText(e.path() / "stat"));
    std::string pid, comm, state;
    pid_t parent = -1;
    // "PID (COMM) STATE PPID ...": warta-worker's comm has no spaces.
    if (!(stat >> pid >> comm >> state >> parent) || parent != ::getpid()) continue;
    if (!gone(static_cast<pid_t>(std::stol(pid)))) found.insert(static_cast<pid_t>(std::stol(pid)));
  }
  return found;
}

}  // namespace

TEST_CASE("a zygote started early runs the next pool's jobs, the pool after starts its own, one never used is stopped",
          "[workers][zygote]") {
  const TestJobs test;
  const fs::path dir = tempDir("workers-zygote-early");
  REQUIRE(workerChildren().empty());
  EarlyWorkers early;
  const std::set<pid_t> started = workerChildren();
  REQUIRE(started.size() == 1);
  const pid_t zygote = *started.begin();
  const auto pool = [&](const std::string& name) {
    runInWorkers(
        {0, 1}, 2, [&](std::size_t i) { return testJob("write-pids " + (dir / (name + std::to_string(i))).string()); },
        {}, false, &early);
    return std::make_pair(readPids(dir / (name + "0")).parent, readPids(dir / (name + "1")).parent);
  };
  const auto first = pool("first");
  CHECK(first.first == zygote);
  CHECK(first.second == zygote);
  CHECK(gone(zygote));  // stopped when its pool returned
  const auto second = pool("second");
  CHECK(second.first == second.second);
  CHECK(second.first != zygote);
  CHECK(gone(second.first));
  CHECK(workerChildren().empty());
  {
    const EarlyWorkers unused;
    REQUIRE(workerChildren().size() == 1);
  }
  CHECK(workerChildren().empty());
}
