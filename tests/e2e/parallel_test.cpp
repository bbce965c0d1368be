// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 6: rendering in chunks on all cores, the chunk cache, batch mode.
// What is checked is what the CLI (or the library) wrote: bytes, decoded
// sample counts, sample values at the joins, peak memory of the processes.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "render/chunk_cache.h"
#include "render/pipeline.h"
#include "config/rundown.h"
#include "encode/chunk.h"
#include "support/cli.h"
#include "support/ffmpeg.h"
#include "support/media.h"
#include "support/mp3_packets.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

// Short invented articles: enough speech for real joins, quick to render.
const char* const kArticles[] = {
    "Warga Desa Sukamaju Memperbaiki Jembatan\n\nSukamaju - Warga Desa Sukamaju bergotong royong memperbaiki "
    "jembatan kayu yang rusak diterjang banjir, Senin (9/6/2025). Sebanyak 45 orang ikut bekerja sejak pagi.\n\n"
    "Kepala desa mengatakan perbaikan menelan biaya Rp12,5 juta dari dana desa.\n",
    "Pasar Murah Digelar di Alun-Alun\n\nMalang - Pemerintah kota menggelar pasar murah di alun-alun selama tiga "
    "hari. Harga beras dijual Rp10.500 per kilogram.\n\nPengunjung diminta membawa kartu tanda penduduk.\n",
    "Tim Sepak Bola Pelajar Juara Provinsi\n\nKediri - Tim sepak bola SMA Negeri 2 Kediri menjuarai turnamen "
    "pelajar tingkat provinsi setelah menang 2-1 di final. Pelatih memuji disiplin para pemain.\n",
};

// A folder with the sample jingles, three articles and a rundown.
fs::path studio(const std::string& name) {
  const fs::path dir = tempDir(name);
  fs::create_directories(dir / "articles");
  for (std::size_t i = 0; i < std::size(kArticles); ++i)
    std::ofstream(dir / "articles" / ("a" + std::to_string(i + 1) + ".txt")) << kArticles[i];
  const fs::path jingles = sourceDir() / "samples" / "jingles";
  std::ofstream(dir / "rundown.yaml") << "show: Uji\ndate: 2025-06-11\n"
                                      << "intro: " << (jingles / "intro.flac").string() << '\n'
                                      << "outro: " << (jingles / "outro.flac").string() << '\n'
                                      << "stinger: " << (jingles / "sting.flac").string() << '\n'
                                      << "stories: [articles/a1.txt, articles/a2.txt, articles/a3.txt]\n";
  return dir;
}

const fs::path kMp3 = "Uji-2025-06-11.mp3";

// "…; 5 chunks, 2 from cache" from the summary line.
std::pair<int, int> chunkCounts(const std::string& err) {
  std::smatch m;
  if (!std::regex_search(err, m, std::regex(R"((\d+) chunks?, (\d+) from cache)"))) return {-1, -1};
  return {std::stoi(m[1]), std::stoi(m[2])};
}

std::vector<fs::path> cacheEntries(const fs::path& cache) {
  std::vector<fs::path> found;
  for (const auto& e : fs::recursive_directory_iterator(cache))
    if (e.path().extension() == ".chunk") found.push_back(e.path());
  std::sort(found.begin(), found.end());
  return found;
}

long childrenPeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return usage.ru_maxrss;
}

// The kernel's proportional set size of one process (/proc/PID/smaps_rollup),
// kB; 0 once it is gone.
long pssKb(pid_t pid) {
  std::istringstream in(readProcFile(pid, "smaps_rollup"));
  std::string key;
  long kb = 0;
  while (in >> key) {
    if (key == "Pss:" && in >> kb) return kb;
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

struct TreeRun {
  int exit_code = -1;
  long peak_pss_kb = 0;     // the most the whole tree (warta and its workers) held at once
  long largest_rss_kb = 0;  // the peak RSS of its largest process (wait4)
  std::string err;
};

// Runs warta and samples its whole process tree's PSS every 10 ms (what
// scripts/tree-memory.sh does for the bench): PSS counts the pages the
// workers share with each other (libraries, voice data) once, as the machine
// pays for them. wait4 gives the largest single process's peak on top.
TreeRun runMeasuringTree(const std::vector<std::string>& args, const fs::path& cwd) {
  const Background b = startWarta(args, cwd);
  TreeRun run;
  const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  for (;;) {
    long sum = 0;
    std::vector<pid_t> tree{b.pid};
    for (std::size_t i = 0; i < tree.size(); ++i) {
      sum += pssKb(tree[i]);
      for (const pid_t child : childrenOf(tree[i])) tree.push_back(child);
    }
    run.peak_pss_kb = std::max(run.peak_pss_kb, sum);
    int status = 0;
    rusage usage{};
    if (::wait4(b.pid, &status, WNOHANG, &usage) == b.pid) {
      run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      run.largest_rss_kb = usage.ru_maxrss;
      break;
    }
    if (std::chrono::steady_clock::now() > until) {
      ::kill(b.pid, SIGKILL);
      ::waitpid(b.pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  run.err = readText(b.err);
  fs::remove(b.out);
  fs::remove(b.err);
  return run;
}

}  // namespace

TEST_CASE("the bulletin and its JSON are byte for byte the same whatever -j and whether the cache was cold or warm",
          "[e2e][parallel]") {
  const fs::path dir = studio("e2e-par-identical");
  struct Run {
    const char* label;
    std::vector<std::string> flags;
  };
  const Run runs[] = {
      {"-j 1, cold cache", {"-j", "1", "--cache", "cache-a"}},
      {"-j 2, cold cache", {"-j2", "--cache", "cache-b"}},
      {"-j 2, warm cache", {"-j", "2", "--cache", "cache-a"}},
      {"-j 3, no cache", {"--jobs=3", "--no-cache"}},
  };
  std::string first, first_json;
  int chunks = 0;
  for (std::size_t i = 0; i < std::size(runs); ++i) {
    INFO(runs[i].label);
    std::vector<std::string> args = {"build", "rundown.yaml", "-o", "out" + std::to_string(i), "--transcript"};
    args.insert(args.end(), runs[i].flags.begin(), runs[i].flags.end());
    const CliResult r = runWarta(args, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto [total, cached] = chunkCounts(r.err);
    CHECK(total >= 4);  // intro + opening, three stories, close + outro: cut at the silences between
    CHECK(cached == (i == 2 ? total : 0));
    const fs::path out = dir / ("out" + std::to_string(i));
    const std::string bytes = readText(out / kMp3);
    REQUIRE(bytes.size() > 100000);
    // The JSON transcript (word times) and chapters come from the same render: the same bytes too.
    const std::string json =
        readText(out / "Uji-2025-06-11.transcript.json") + readText(out / "Uji-2025-06-11.chapters.json");
    REQUIRE(json.find("\"words\": [") != std::string::npos);
    if (i == 0) {
      first = bytes;
      first_json = json;
      chunks = total;
    } else {
      CHECK(total == chunks);
      CHECK(bytes == first);
      CHECK(json == first_json);
    }
  }
}

TEST_CASE("a bulletin with a bed under everything is cut at its story gaps under the music, the same bytes whatever -j",
          "[e2e][parallel]") {
  // Nothing is silent under a bed: the chunks are cut anywhere and encoded
  // with context (encode::ChunkSpan), so a bed no longer means one core.
  const fs::path dir = studio("e2e-par-bed");
  std::ofstream(dir / "rundown.yaml", std::ios::app)
      << "bed: { file: " << (sourceDir() / "samples" / "jingles" / "bed.flac").string() << " }\n";
  std::string first;
  int chunks = 0;
  for (const char* jobs : {"1", "2"}) {
    INFO("-j " << jobs);
    const std::string out = std::string("out") + jobs;
    const CliResult r =
        runWarta({"build", "rundown.yaml", "-o", out, "--no-cache", "-j", jobs, "--timeline", out + ".tsv"}, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto [total, cached] = chunkCounts(r.err);
    CHECK(total >= 4);  // the gaps after the opening and after each story, under the bed
    const std::string bytes = readText(dir / out / kMp3);
    REQUIRE(bytes.size() > 100000);
    if (first.empty()) {
      first = bytes;
      chunks = total;
    } else {
      CHECK(bytes == first);
      CHECK(total == chunks);
    }
  }
  // LAME's bit reservoir is in use but at the joins: a chunk's first frame
  // takes no bits from the chunk before it, nearly every other frame does.
  const std::vector<std::string> frames = mp3Frames(dir / "out2" / kMp3);
  std::size_t fresh = 0;
  for (const std::string& f : frames) fresh += mainDataBegin(f) == 0;
  INFO(fresh << " of " << frames.size() << " frames take no bits from before them; " << chunks << " chunks");
  CHECK(fresh >= static_cast<std::size_t>(chunks));
  CHECK(fresh <= static_cast<std::size_t>(chunks) + 3);  // LAME itself leaves a frame in thousands so
  CHECK(frames.size() > 1000);

  // The gaps the chunks were cut in have the bed in them: not silence.
  const Decoded d = decodeFile(dir / "out2" / kMp3);
  int gaps = 0;
  double bed_from = 1e9;  // the bed starts with the opening words
  for (const TimelineRow& row : readTimeline(dir / "out2.tsv"))
    if (row.kind == "opening") bed_from = std::min(bed_from, row.start);
  for (const TimelineRow& row : readTimeline(dir / "out2.tsv"))
    if (row.kind == "gap" && row.start > bed_from && row.end - row.start > 0.4 && row.end < d.audio.seconds() - 3) {
      INFO("gap at " << row.start);
      CHECK(rmsDb(d.audio, row.start + 0.1, row.end - 0.1) > -45);
      ++gaps;
    }
  CHECK(gaps >= 4);
}

TEST_CASE(
    "one long article is spoken in parts, leveled in pieces and rendered in chunks cut at its sentence pauses, the "
    "same bytes whatever -j",
    "[e2e][parallel]") {
  const fs::path dir = tempDir("e2e-par-long-article");
  // About eight minutes of speech: one headline, many paragraphs; long
  // enough to be spoken in parts (8000 characters of spoken text) and
  // leveled in pieces (two minutes).
  std::ofstream article(dir / "long.txt");
  article << "Laporan Panjang dari Tiga Kabupaten\n\n";
  for (int round = 1; round <= 11; ++round)
    for (const char* a : kArticles) {
      std::string body = a;
      body = body.substr(body.find("\n\n") + 2);  // without its headline
      article << body << "Laporan bagian " << round << " selesai dibacakan.\n\n";
    }
  article.close();
  // Its spoken text, as the engine gets it (phonemes), is over two parts' worth.
  const CliResult spoken = runWarta({"normalize", "long.txt", "--phonemes"}, dir);
  REQUIRE(spoken.exit_code == 0);
  REQUIRE(spoken.out.size() > 2 * 4000 + 1000);
  std::string first, summary;
  for (const char* jobs : {"1", "2"}) {
    INFO("-j " << jobs);
    const std::string out = std::string("long") + jobs + ".mp3";
    const CliResult r = runWarta({"say", "long.txt", "-o", out, "--no-cache", "-j", jobs}, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    summary = r.err;
    CHECK(chunkCounts(r.err).first >= 2);  // one story, more than one chunk: both cores
    const std::string bytes = readText(dir / out);
    if (first.empty()) first = bytes;
    else CHECK(bytes == first);
  }
  // Over two minutes: leveled in pieces (audio/leveler.h), on one thread at
  // -j 1 and two at -j 2, the same bytes; and at the target as a whole.
  CHECK(decodeFile(dir / "long2.mp3").audio.seconds() > 420);
  std::smatch target;
  REQUIRE(std::regex_search(summary, target, std::regex("leveled to (-[0-9.]+) LUFS")));
  const warta::test::Loudness heard = warta::test::ffmpegLoudness(dir / "long2.mp3");
  CHECK(heard.integrated == Approx(std::stod(target[1])).margin(0.15));
}

TEST_CASE("the decoded length is exactly the rendered sample count, MP3 and WAV", "[e2e][parallel]") {
  const fs::path dir = studio("e2e-par-length");
  for (const char* ext : {"mp3", "wav"}) {
    INFO(ext);
    warta::app::Rundown rundown = warta::app::loadRundown(dir / "rundown.yaml");
    rundown.output_file = std::string("{show}.") + ext;
    warta::app::RenderOptions options;
    options.jobs = 2;
    const auto report = warta::app::buildBulletin(rundown, dir / "out", options);
    REQUIRE(report.chunks >= 4);
    REQUIRE(report.chunk_starts.size() == report.chunks);
    if (std::string(ext) == "mp3")
      for (std::size_t start : report.chunk_starts) CHECK(start % 1152 == 0);  // every join on an MP3 frame
    const auto decoded = decodeFile(report.output).audio;
    CHECK(decoded.frames() == report.frames);
    CHECK(report.timeline.back().end == Approx(static_cast<double>(report.frames) / 44100).margin(1e-6));
  }
}

TEST_CASE("no join between chunks adds a click", "[e2e][parallel]") {
  const fs::path dir = studio("e2e-par-clicks");
  warta::app::RenderOptions options;
  options.jobs = 2;
  const auto report = warta::app::buildBulletin(warta::app::loadRundown(dir / "rundown.yaml"), dir / "out", options);
  REQUIRE(report.chunk_starts.size() >= 4);
  const auto audio = decodeFile(report.output).audio;
  const std::size_t near = 2304, around = 44100;  // two MP3 frames; one second
  for (std::size_t i = 1; i < report.chunk_starts.size(); ++i) {
    const std::size_t at = report.chunk_starts[i];
    INFO("join " << i << " at " << static_cast<double>(at) / 44100 << " s");
    REQUIRE(at > around);
    REQUIRE(at + around < audio.frames());
    const double at_join = maxJump(audio, at - near, at + near);
    const double surrounding = std::max(maxJump(audio, at - around, at - near), maxJump(audio, at + near, at + around));
    INFO("largest step at the join " << at_join << ", in the second around it " << surrounding);
    CHECK(at_join <= surrounding);
    CHECK(at_join < 0.001);     // below -60 dBFS: silence, as the cut was
    CHECK(surrounding > 0.01);  // the neighbourhood has sound in it: the comparison means something
  }
}

TEST_CASE("a corrupt or truncated cache entry is detected and rendered again", "[e2e][parallel]") {
  const fs::path dir = studio("e2e-par-corrupt");
  const CliResult cold = runWarta({"build", "rundown.yaml", "-o", "out1", "--cache", "cache"}, dir);
  INFO(cold.err);
  REQUIRE(cold.exit_code == 0);
  const std::string original = readText(dir / "out1" / kMp3);
  auto entries = cacheEntries(dir / "cache");
  REQUIRE(entries.size() >= 4);

  {  // One byte flipped in the middle of one entry, another cut short.
    std::string bytes = readText(entries[1]);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
    writeBytes(entries[1], bytes);
    fs::resize_file(entries[2], fs::file_size(entries[2]) / 2);
  }
  const CliResult again = runWarta({"build", "rundown.yaml", "-o", "out2", "--cache", "cache"}, dir);
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(again.err.find("2 damaged cache entries rendered again") != std::string::npos);
  const auto [total, cached] = chunkCounts(again.err);
  CHECK(cached == total - 2);
  CHECK(readText(dir / "out2" / kMp3) == original);
  // The entries are whole again.
  for (const auto& e : cacheEntries(dir / "cache")) CHECK_NOTHROW(warta::encode::ChunkReader(e));
  const CliResult warm = runWarta({"build", "rundown.yaml", "-o", "out3", "--cache", "cache"}, dir);
  CHECK(chunkCounts(warm.err).second == total);
}

TEST_CASE("two builds at once sharing one cache both succeed with the same bytes", "[e2e][parallel]") {
  const fs::path dir = studio("e2e-par-concurrent");
  // Both start cold on the same cache folder: they render the same chunks
  // and move them into place over each other.
  const std::string warta = WARTA_BINARY;
  const std::string command = "cd '" + dir.string() + "' && ('" + warta +
                              "' build rundown.yaml -o one --cache cache -j 2 >one.log 2>&1; echo $? >one.rc) & "
                              "(cd '" +
                              dir.string() + "' && '" + warta +
                              "' build rundown.yaml -o two --cache cache -j 2 >two.log 2>&1; echo $? >two.rc) & wait";
  REQUIRE(std::system(command.c_str()) == 0);
  INFO(readText(dir / "one.log") << readText(dir / "two.log"));
  CHECK(readText(dir / "one.rc") == "0\n");
  CHECK(readText(dir / "two.rc") == "0\n");
  const std::string one = readText(dir / "one" / kMp3);
  CHECK(one.size() > 100000);
  CHECK(one == readText(dir / "two" / kMp3));
  // What they left in the cache is whole, with no temporaries: chunks, their
  // measured stretches (cues, checked by their SHA-256) and the stories'
  // sounds (speech files, framed by their markers).
  for (const auto& e : fs::recursive_directory_iterator(dir / "cache")) {
    if (!e.is_regular_file()) continue;
    INFO(e.path());
    const std::string ext = e.path().extension().string();
    CHECK((ext == ".chunk" || ext == ".sound" || ext == ".cues"));
    if (ext == ".chunk") CHECK_NOTHROW(warta::encode::ChunkReader(e.path()));
    if (ext == ".cues") CHECK(warta::app::ChunkCache(dir / "cache").findStretch(e.path().stem().string()));
    if (ext == ".sound") {
      const std::string bytes = readText(e.path());
      CHECK(bytes.rfind("WARTASP1", 0) == 0);
      CHECK(bytes.size() > 16);
      CHECK(bytes.substr(bytes.size() - 8) == "WARTAEND");
    }
  }
  const CliResult warm = runWarta({"build", "rundown.yaml", "-o", "three", "--cache", "cache"}, dir);
  const auto [total, cached] = chunkCounts(warm.err);
  CHECK(cached == total);
  CHECK(readText(dir / "three" / kMp3) == one);
}

TEST_CASE("the cache is WARTA_CACHE, else XDG_CACHE_HOME/warta, unless --cache or --no-cache says", "[e2e][parallel]") {
  const fs::path dir = studio("e2e-par-cache-env");
  const auto entries = [&](const char* cache) {
    return fs::exists(dir / cache) ? cacheEntries(dir / cache).size() : 0;
  };
  struct Case {
    const char* warta_cache;  // nullptr: unset
    const char* xdg;
    std::vector<std::string> flags;
    const char* filled;              // where the chunks must be; nullptr: nowhere
    std::vector<const char*> empty;  // where they must not be
  };
  const Case cases[] = {
      {"env-a", "xdg-a", {}, "env-a", {"xdg-a"}},
      {nullptr, "xdg-b", {}, "xdg-b/warta", {}},
      {"env-c", "xdg-c", {"--cache", "flag-c"}, "flag-c", {"env-c", "xdg-c"}},
      {"env-d", "xdg-d", {"--no-cache"}, nullptr, {"env-d", "xdg-d"}},
  };
  for (const auto& c : cases) {
    INFO("WARTA_CACHE=" << (c.warta_cache ? c.warta_cache : "(unset)") << " XDG_CACHE_HOME=" << c.xdg);
    if (c.warta_cache) ::setenv("WARTA_CACHE", (dir / c.warta_cache).c_str(), 1);
    else ::unsetenv("WARTA_CACHE");
    ::setenv("XDG_CACHE_HOME", (dir / c.xdg).c_str(), 1);
    std::vector<std::string> args = {"build", "rundown.yaml", "-o", "out"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    const CliResult r = runWarta(args, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    if (c.filled) CHECK(entries(c.filled) == static_cast<std::size_t>(chunkCounts(r.err).first));
    for (const char* place : c.empty) CHECK(entries(place) == 0);
  }
  ::setenv("WARTA_CACHE", (dir / "env-a").c_str(), 1);
  const CliResult warm = runWarta({"build", "rundown.yaml", "-o", "out"}, dir);
  CHECK(chunkCounts(warm.err).second == chunkCounts(warm.err).first);  // all from the cache it filled
}

TEST_CASE("rebuilding with one story changed renders only that story's chunk", "[e2e][parallel]") {
  const fs::path dir = studio("e2e-par-one-story");
  const CliResult cold = runWarta({"build", "rundown.yaml", "-o", "out", "--cache", "cache"}, dir);
  REQUIRE(cold.exit_code == 0);
  const auto [total, cached] = chunkCounts(cold.err);
  CHECK(cached == 0);
  std::ofstream(dir / "articles" / "a2.txt", std::ios::app) << "\nPasar murah akan digelar lagi bulan depan.\n";
  const CliResult changed = runWarta({"build", "rundown.yaml", "-o", "out", "--cache", "cache"}, dir);
  INFO(changed.err);
  REQUIRE(changed.exit_code == 0);
  CHECK(chunkCounts(changed.err) == std::make_pair(total, total - 1));
  // The new sentence is in the output.
  const CliResult timeline =
      runWarta({"build", "rundown.yaml", "-o", "out", "--cache", "cache", "--timeline", "t.tsv"}, dir);
  bool found = false;
  for (const auto& row : readTimeline(dir / "t.tsv"))
    found = found || row.label.find("bulan depan") != std::string::npos;
  CHECK(found);
}

TEST_CASE("say --each makes one MP3 per article, the same bytes say makes for each", "[e2e][parallel][batch]") {
  const fs::path dir = tempDir("e2e-par-each");
  fs::create_directories(dir / "site" / "ekonomi");
  fs::create_directories(dir / "site" / ".draf");
  std::ofstream(dir / "site" / "jembatan.txt") << kArticles[0];
  std::ofstream(dir / "site" / "ekonomi" / "pasar.md") << kArticles[1];
  std::ofstream(dir / "site" / ".tersembunyi.txt") << kArticles[2];
  std::ofstream(dir / "site" / ".draf" / "draf.txt") << kArticles[2];
  std::ofstream(dir / "site" / "catatan.pdf") << "not an article";
  const CliResult r = runWarta({"say", "--each", "site", "-o", "out", "-j", "2", "--cache", "cache"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "out/ekonomi/pasar.mp3\nout/jembatan.mp3\n");
  // Not a terminal: one plain line per article, then a summary.
  CHECK(r.err.find("[1/2]") != std::string::npos);
  CHECK(r.err.find("[2/2]") != std::string::npos);
  CHECK(r.err.find('\r') == std::string::npos);
  CHECK(r.err.find("2 of 2 articles written") != std::string::npos);
  const CliResult single = runWarta({"say", "site/ekonomi/pasar.md", "-o", "pasar.mp3", "--no-cache"}, dir);
  REQUIRE(single.exit_code == 0);
  CHECK(readText(dir / "out" / "ekonomi" / "pasar.mp3") == readText(dir / "pasar.mp3"));
  CHECK(decodeFile(dir / "out" / "jembatan.mp3").audio.seconds() > 5.0);
}

TEST_CASE("say --each --transcript writes each article's captions and page beside its MP3", "[e2e][parallel][batch]") {
  const fs::path dir = tempDir("e2e-par-each-transcript");
  fs::create_directories(dir / "site" / "kota");
  std::ofstream(dir / "site" / "kota" / "jembatan.txt") << kArticles[0];
  std::ofstream(dir / "site" / "pasar.txt") << kArticles[1];
  const CliResult r = runWarta({"say", "--each", "site", "-o", "out", "--transcript", "--no-cache"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* base : {"out/kota/jembatan", "out/pasar"}) {
    INFO(base);
    const std::string vtt = readText(dir / (std::string(base) + ".vtt"));
    CHECK(vtt.rfind("WEBVTT", 0) == 0);
    CHECK(vtt.find(" --> ") != std::string::npos);
    const std::string page = readText(dir / (std::string(base) + ".html"));
    CHECK(page.find(fs::path(base).filename().string() + ".mp3") != std::string::npos);  // plays its own audio
  }
  CHECK(readText(dir / "out" / "pasar.transcript.txt").find("menggelar pasar murah") != std::string::npos);
}

TEST_CASE("say --each draws a progress bar on a terminal", "[e2e][parallel][batch]") {
  const fs::path dir = tempDir("e2e-par-each-tty");
  fs::create_directories(dir / "site");
  for (int i = 0; i < 3; ++i)
    std::ofstream(dir / "site" / ("b" + std::to_string(i) + ".txt"))
        << "Judul " << i << "\n\nKalimat pendek nomor " << i << ".\n";
  // util-linux's script(1) runs warta on a pseudo-terminal and records what it drew.
  const std::string command = "cd '" + dir.string() + "' && script -qec \"'" + std::string(WARTA_BINARY) +
                              "' say --each site -o out --no-cache\" typescript >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string screen = readText(dir / "typescript");
  INFO(screen);
  CHECK(screen.find("\r[") != std::string::npos);  // redrawn in place
  CHECK(screen.find("] 3/3") != std::string::npos);
  CHECK(screen.find("##############################] 3/3") != std::string::npos);  // full at the end
  CHECK(screen.find("warta: [1/3]") == std::string::npos);                         // no log lines on a terminal
  CHECK(screen.find("3 of 3 articles written") != std::string::npos);
  for (int i = 0; i < 3; ++i) CHECK(fs::is_regular_file(dir / "out" / ("b" + std::to_string(i) + ".mp3")));
}

TEST_CASE("a batch split with --shard I/N has no overlap and leaves nothing out", "[e2e][parallel][batch]") {
  const fs::path dir = tempDir("e2e-par-shard");
  fs::create_directories(dir / "site");
  const std::vector<std::string> names = {"a", "b", "c", "d", "e"};
  for (std::size_t i = 0; i < names.size(); ++i)
    std::ofstream(dir / "site" / (names[i] + ".txt"))
        << "Judul " << names[i] << "\n\nKalimat pendek nomor " << i + 1 << ".\n";
  std::multiset<std::string> seen;
  for (const char* shard : {"1/3", "2/3", "3/3"}) {
    INFO("shard " << shard);
    const CliResult r = runWarta({"say", "--each", "site", "-o", "out", "--shard", shard, "--no-cache"}, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) seen.insert(line);
  }
  CHECK(seen == std::multiset<std::string>{"out/a.mp3", "out/b.mp3", "out/c.mp3", "out/d.mp3", "out/e.mp3"});
  for (const auto& n : names) CHECK(fs::is_regular_file(dir / "out" / (n + ".mp3")));

  struct Bad {
    std::vector<std::string> args;
    const char* says;
  };
  const Bad bad[] = {
      {{"--shard", "4/3"}, "between 1 and N"},
      {{"--shard", "0/3"}, "between 1 and N"},
      {{"--shard", "2"}, "I/N"},
      {{"--shard", "a/b"}, "I/N"},
  };
  for (const auto& b : bad) {
    std::vector<std::string> args = {"say", "--each", "site", "-o", "out"};
    args.insert(args.end(), b.args.begin(), b.args.end());
    const CliResult r = runWarta(args, dir);
    INFO(b.args.back() << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(b.says) != std::string::npos);
  }
}

TEST_CASE("a failing article in a batch is named and the others are still written", "[e2e][parallel][batch]") {
  const fs::path dir = tempDir("e2e-par-batch-fail");
  fs::create_directories(dir / "site");
  std::ofstream(dir / "site" / "baik.txt") << kArticles[2];
  std::ofstream(dir / "site" / "kosong.txt") << "";
  const CliResult r = runWarta({"say", "--each", "site", "-o", "out", "--no-cache"}, dir);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out == "out/baik.mp3\n");
  CHECK(fs::is_regular_file(dir / "out" / "baik.mp3"));
  CHECK_FALSE(fs::exists(dir / "out" / "kosong.mp3"));
  CHECK(r.err.find("kosong.txt") != std::string::npos);
  CHECK(r.err.find("1 of 2 articles written to out, 1 failed") != std::string::npos);
}

TEST_CASE("bad -j, --cache and --each values are refused before any work", "[e2e][parallel]") {
  const fs::path dir = studio("e2e-par-usage");
  struct Bad {
    std::vector<std::string> args;
    const char* says;
  };
  const Bad bad[] = {
      {{"build", "rundown.yaml", "-j", "0"}, "-j must be between 1 and 1024"},
      {{"build", "rundown.yaml", "-j", "dua"}, "-j must be a whole number"},
      {{"build", "rundown.yaml", "--cache", "c", "--no-cache"}, "contradict"},
      {{"say", "articles/a1.txt", "-o", "x.mp3", "--shard", "1/2"}, "--shard goes with --each"},
      {{"say", "--each", "nowhere", "-o", "out"}, "nowhere: no such folder"},
      {{"say", "--each", "articles", "articles/a1.txt", "-o", "out"}, "takes no ARTICLE"},
  };
  for (const auto& b : bad) {
    const CliResult r = runWarta(b.args, dir);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(b.says) != std::string::npos);
  }
}

TEST_CASE("peak memory stays under 64 MB and grows with neither the bulletin's length nor a story's",
          "[e2e][parallel][memory]") {
  const fs::path dir = studio("e2e-par-memory");
  const fs::path samples = sourceDir() / "samples" / "articles";
  const char* const articles[] = {"banjir-blitar.txt", "panen-raya.txt", "festival-budaya.txt"};
  {  // One story as long as the three read twice over (about 12 minutes).
    std::ofstream out(dir / "panjang.txt");
    out << "Laporan Panjang Hari Ini\n\n";
    for (int round = 0; round < 2; ++round)
      for (const char* a : articles) {
        std::istringstream body(readText(samples / a));
        std::string line;
        for (int n = 0; std::getline(body, line); ++n)
          if (n >= 2) out << line << '\n';  // the paragraphs, not the headline
        out << '\n';
      }
  }
  auto rundown = [&](bool long_story) {
    std::ostringstream r;
    r << "show: Uji\ndate: 2025-06-11\nstinger: " << (sourceDir() / "samples" / "jingles" / "sting.flac").string()
      << "\nstories:\n";
    for (const char* a : articles) r << "  - " << (samples / a).string() << '\n';
    if (long_story) r << "  - panjang.txt\n";
    return r.str();
  };
  std::ofstream(dir / "short.yaml") << rundown(false);
  std::ofstream(dir / "long.yaml") << rundown(true);
  const CliResult s = runWarta({"build", "short.yaml", "-o", "short", "--no-cache"}, dir);
  REQUIRE(s.exit_code == 0);
  const long short_kb = childrenPeakRssKb();
  const CliResult l = runWarta({"build", "long.yaml", "-o", "long", "--no-cache"}, dir);
  INFO(l.err);
  REQUIRE(l.exit_code == 0);
  const long both_kb = childrenPeakRssKb();  // the larger of the two runs' largest process
  const double short_s = decodeFile(dir / "short" / kMp3).audio.seconds();
  const double long_s = decodeFile(dir / "long" / kMp3).audio.seconds();
  INFO("short " << short_s << " s: " << short_kb / 1024 << " MB; long " << long_s << " s: " << both_kb / 1024 << " MB");
  REQUIRE(long_s > 2.5 * short_s);
  CHECK(both_kb <= 64 * 1024);
  // Holding the long story whole would add about 50 MB (10 minutes of 22.05 kHz
  // float speech, and twice that as the mixer's stereo); allocator high-water
  // marks move a few MB from run to run.
  CHECK(both_kb <= short_kb + 8 * 1024);
  WARN("peak RSS: short " << short_s << " s " << short_kb << " kB; long " << long_s << " s " << both_kb << " kB");
}

TEST_CASE("a music bed under every story keeps the whole process tree under 64 MB at -j 2, whatever the bed's length",
          "[e2e][parallel][memory][bed]") {
  const fs::path dir = studio("e2e-par-memory-bed");
  // One- and ten-minute stereo beds of pink noise, a different noise in each
  // channel (44.1 kHz FLAC). The ten-minute one decodes to 212 MB of float
  // samples: a bed held whole, in one process or one per worker, cannot fit.
  for (const auto& [name, seconds] : {std::pair<const char*, int>{"bed1.flac", 60}, {"bed10.flac", 600}}) {
    const std::string noise = "anoisesrc=d=" + std::to_string(seconds) + ":c=pink:r=44100:a=0.3:seed=";
    const std::string cmd = "ffmpeg -nostdin -loglevel error -y -f lavfi -i " + noise + "7 -f lavfi -i " + noise +
                            "8 -filter_complex amerge=inputs=2 -c:a flac " + shellQuote((dir / name).string());
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  // The three short stories with jingles: over a minute, so the one-minute
  // bed loops. `bed:` without `stories:` plays under every story.
  const fs::path jingles = sourceDir() / "samples" / "jingles";
  auto rundown = [&](const std::string& bed) {
    const std::string name = bed.substr(0, bed.find('.'));
    std::ofstream(dir / (name + ".yaml"))
        << "show: Uji\ndate: 2025-06-11\noutput: { file: " << name << ".wav, channels: 2 }\n"
        << "intro: " << (jingles / "intro.flac").string() << "\noutro: " << (jingles / "outro.flac").string()
        << "\nstinger: " << (jingles / "sting.flac").string() << "\nbed: { file: " << bed << " }\n"
        << "stories: [articles/a1.txt, articles/a2.txt, articles/a3.txt]\n";
    return name;
  };
  auto run = [&](const std::string& bed) {
    const std::string name = rundown(bed);
    const TreeRun r =
        runMeasuringTree({"build", name + ".yaml", "-j", "2", "--no-cache", "--timeline", name + ".tsv"}, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r;
  };
  const TreeRun one = run("bed1.flac");
  const TreeRun ten = run("bed10.flac");
  WARN("at -j 2, whole tree's peak PSS, largest process's peak RSS: 1-minute bed "
       << one.peak_pss_kb << " kB, " << one.largest_rss_kb << " kB; 10-minute bed " << ten.peak_pss_kb << " kB, "
       << ten.largest_rss_kb << " kB");
  CHECK(one.peak_pss_kb <= 64 * 1024);
  CHECK(ten.peak_pss_kb <= 64 * 1024);
  // The bed's length must cost nothing. The largest process's peak is steady
  // (allocator high-water marks move it a few hundred kB); the tree's summed
  // PSS, sampled while workers start and end, moved 6 MB between two runs of
  // the same bulletin here.
  CHECK(ten.largest_rss_kb <= one.largest_rss_kb + 4 * 1024);
  CHECK(ten.peak_pss_kb <= one.peak_pss_kb + 8 * 1024);
  // Both renders have the bed under every story: stereo, and each story's
  // pauses (digital silence without a bed) carry it, ducked (about -35 dB
  // with pink noise at the default duck).
  for (const char* name : {"bed1", "bed10"}) {
    INFO(name);
    const auto audio = decodeFile(dir / (std::string(name) + ".wav")).audio;
    CHECK(audio.channels == 2);
    CHECK(audio.seconds() > 60);
    std::set<int> under;
    for (const auto& row : readTimeline(dir / (std::string(name) + ".tsv")))
      if (row.kind == "pause" && row.story >= 0 && row.end - row.start >= 0.5) {
        INFO("story " << row.story << " pause at " << row.start << " s");
        CHECK(rmsDb(audio, row.start + 0.1, row.end - 0.1) > -50);
        under.insert(row.story);
      }
    CHECK(under == std::set<int>{0, 1, 2});
  }
}
