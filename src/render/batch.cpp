// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/batch.h"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <iomanip>

#include <fstream>
#include <sstream>
#include <tuple>

#include "render/chunk_cache.h"
#include "warta/error.h"
#include "render/worker_jobs.h"
#include "render/workers.h"
#include "encode/atomic_file.h"
#include "encode/id3_tag.h"
#include "publish/epub.h"
#include "publish/transcript.h"

namespace warta::app {
namespace fs = std::filesystem;

namespace {
int wholeNumber(const std::string& text) {
  std::size_t used = 0;
  const int n = std::stoi(text, &used);
  if (used != text.size() || text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])))
    throw std::invalid_argument("not a number");
  return n;
}
}  // namespace

Shard parseShard(const std::string& text, const std::function<const char*(const char*)>& env) {
  Shard s;
  const std::size_t slash = text.find('/');
  const bool automatic = slash != std::string::npos && text.compare(0, slash, "auto") == 0;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    s.count = wholeNumber(text.substr(slash + 1));
    if (!automatic) s.index = wholeNumber(text.substr(0, slash));
  } catch (const std::exception&) {
    throw Error(ErrorKind::Usage,
                "--shard must be I/N or auto/N, e.g. 2/4 for the second of four shares, not '" + text + "'");
  }
  if (s.count < 1) throw Error(ErrorKind::Usage, "--shard " + text + ": N must be at least 1");
  if (automatic) {
    for (const char* name : {"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"}) {
      const char* value = env(name);
      if (value == nullptr || *value == '\0') continue;
      try {
        s.index = wholeNumber(value) % s.count + 1;
      } catch (const std::exception&) {
        throw Error(ErrorKind::Usage,
                    std::string("--shard ") + text + ": " + name + " must be a whole number, not '" + value + "'");
      }
      return s;
    }
    throw Error(ErrorKind::Usage,
                "--shard " + text +
                    ": neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID (Slurm array) is "
                    "set; give the shard as I/N");
  }
  if (s.index < 1 || s.index > s.count)
    throw Error(ErrorKind::Usage, "--shard " + text + ": I must be between 1 and N");
  return s;
}

int shardOf(const fs::path& relative, int count) {
  // FNV-1a (64 bit) of the generic path: the same on every machine and run.
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : relative.generic_string()) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return static_cast<int>(hash % static_cast<std::uint64_t>(count));
}

std::vector<fs::path> listArticles(const fs::path& dir) {
  std::vector<fs::path> all;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    std::string ext = it->path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if ((ext == ".txt" || ext == ".md") && !publish::isTranscriptText(it->path())) all.push_back(it->path());
  }
  if (ec) throw Error(ErrorKind::Usage, dir.string() + ": cannot list: " + ec.message());
  std::sort(all.begin(), all.end());
  return all;
}

std::vector<fs::path> shareOf(const std::vector<fs::path>& all, const fs::path& dir, const Shard& shard) {
  std::vector<fs::path> mine;
  for (const auto& a : all)
    if (shardOf(a.lexically_relative(dir), shard.count) == shard.index - 1) mine.push_back(a);
  return mine;
}

namespace {

struct Fnv {
  std::uint64_t hash = 14695981039346656037ull;
  void add(std::string_view bytes) {
    for (const unsigned char c : bytes) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
    add8(bytes.size());  // so "ab"+"c" and "a"+"bc" differ
  }
  void add8(std::uint64_t n) {
    for (int i = 0; i < 8; ++i) {
      hash ^= (n >> (8 * i)) & 0xff;
      hash *= 1099511628211ull;
    }
  }
  void addFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    add(file.filename().string());
    add(bytes.str());
  }
};

}  // namespace

std::string inputsKey(const speech::VoiceProfile& voice, const std::string& options) {
  Fnv h;
  h.add("warta-source-1");
  if (!voice.file.empty()) h.addFile(voice.file);
  if (!voice.language_dir.empty()) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(voice.language_dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec)) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      h.add(f.lexically_relative(voice.language_dir).generic_string());
      h.addFile(f);
    }
  }
  h.add8(static_cast<std::uint64_t>(voice.rate_wpm));
  h.add(options);
  // A new warta may say things differently: the worker program's size and
  // time stand for its version (it holds every room, and is the same file
  // whether the caller is `warta`, libwarta.so or a program linked with
  // libwarta.a, so they make the same bytes).
  std::error_code ec;
  const fs::path worker = workerExecutable();
  h.add8(fs::file_size(worker, ec));
  h.add8(static_cast<std::uint64_t>(fs::last_write_time(worker, ec).time_since_epoch().count()));
  return std::to_string(h.hash);
}

std::string sourceKey(const std::vector<fs::path>& articles, const std::string& inputs_key) {
  Fnv h;
  h.add(inputs_key);
  for (const auto& article : articles) h.addFile(article);  // by its name, not its folder
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h.hash));
  return text;
}

std::string storedSourceKey(const fs::path& mp3) {
  std::error_code ec;
  if (!fs::is_regular_file(mp3, ec)) return {};  // not made yet (or not a file warta would read)
  return encode::readId3UserText(mp3, encode::kSourceKeyDescription);
}

fs::path outputFor(const fs::path& article, const fs::path& dir, const fs::path& out_dir,
                   const std::string& extension) {
  fs::path rel = article.lexically_relative(dir);
  if (rel.empty() || *rel.begin() == "..") rel = article.filename();
  rel.replace_extension(extension);
  return out_dir / rel;
}

namespace {

std::string clock(double seconds) {
  const long s = std::lround(seconds);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  return text;
}

// "[#########...........]  12/40  0:23" on one line, redrawn in place.
void drawBar(std::ostream& out, std::size_t done, std::size_t total, std::size_t failed, double elapsed) {
  constexpr int kWidth = 30;
  const int filled = total ? static_cast<int>(kWidth * done / total) : kWidth;
  out << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
      << std::string(static_cast<std::size_t>(kWidth - filled), '.') << "] " << done << '/' << total;
  if (failed) out << ", " << failed << " failed";
  out << "  " << clock(elapsed) << std::flush;
}

}  // namespace

BatchResult sayEach(const BatchJob& batch, int jobs, std::ostream* progress, std::ostream* log) {
  const auto& articles = batch.articles;
  // Plain references, not a structured binding: clang 14 (the fuzz build)
  // cannot capture bindings in the lambdas below.
  const auto& dir = batch.dir;
  const auto& out_dir = batch.out_dir;
  const auto& extension = batch.extension;
  const auto& keys = batch.keys;
  const auto siblings = [&](const fs::path& out) { return companionsOf(batch, out); };
  BatchResult result;
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const fs::path out = outputFor(articles[i], dir, out_dir, extension);
    bool current = i < keys.size() && !keys[i].empty() && storedSourceKey(out) == keys[i];
    if (current) {
      std::error_code ec;
      const auto made = fs::last_write_time(out, ec);
      for (const auto& f : siblings(out)) {
        std::error_code fec;
        current = current && !ec && fs::is_regular_file(f, fec) && fs::last_write_time(f, fec) >= made && !fec;
      }
    }
    if (!current) {
      indices.push_back(i);
      continue;
    }
    result.skipped.push_back(out);
    if (log) *log << "warta: " << out.string() << ": skipped (up to date)\n";
  }
  // Output folders first: workers only write files.
  for (const std::size_t i : indices) {
    const fs::path& a = articles[i];
    std::error_code ec;
    fs::create_directories(outputFor(a, dir, out_dir, extension).parent_path(), ec);
    if (ec)
      throw Error(ErrorKind::Usage,
                  outputFor(a, dir, out_dir, extension).parent_path().string() + ": cannot create: " + ec.message());
  }
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  if (progress) drawBar(*progress, 0, indices.size(), 0, 0);

  // Each article is one worker's job, read from the batch file.
  const JobFile batch_file(encodeBatch(batch));
  const auto request = [&](std::size_t i) { return articleRequest(batch_file.path(), i); };
  const auto ended = [&](std::size_t i, std::size_t done, std::size_t total, const std::string& error) {
    const fs::path out = outputFor(articles[i], dir, out_dir, extension);
    if (error.empty()) result.written.push_back(out);
    else result.failed.emplace_back(articles[i], error);
    if (log) {
      *log << "warta: [" << done << '/' << total << "] "
           << (error.empty() ? out.string() : articles[i].string() + ": error: " + error) << '\n';
      log->flush();
    }
    if (progress) drawBar(*progress, done, total, result.failed.size(), elapsed());
  };
  // An article's process killed mid-write (a stall, a signal) leaves its
  // temporaries beside its outputs: removed, whoever else is running.
  const auto tidy = [&] {
    for (const auto& a : articles) {
      const fs::path out = outputFor(a, dir, out_dir, extension);
      encode::removeOrphanTemporaries(out);
      for (const auto& f : publish::transcriptPathsFor(out).all()) encode::removeOrphanTemporaries(f);
      encode::removeOrphanTemporaries(publish::talkingBookPathFor(out));
    }
  };
  try {
    runInWorkers(indices, jobs, request, ended, true);
  } catch (...) {
    tidy();
    throw;
  }
  if (!result.failed.empty()) tidy();
  if (batch.cache) ChunkCache(*batch.cache).prune(kCacheMaxBytes);
  if (progress) *progress << '\n';
  std::sort(result.written.begin(), result.written.end());
  return result;
}

}  // namespace warta::app
