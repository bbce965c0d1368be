// SPDX-License-Identifier: GPL-3.0-or-later
// The render pool's workers (render/workers.h): warta-worker processes
// spawned with each job as data. The test binary is not beside
// warta-worker: WARTA_WORKER names the one built (catch_main.cpp).
#include <catch2/catch.hpp>

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <mutex>
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
