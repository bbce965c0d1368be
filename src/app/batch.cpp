#include "app/batch.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>

#include "app/chunk_cache.h"
#include "app/cli.h"
#include "app/workers.h"
#include "encode/atomic_file.h"
#include "publish/epub.h"
#include "publish/transcript.h"

namespace warta::app {
namespace fs = std::filesystem;

Shard parseShard(const std::string& text) {
  Shard s;
  const std::size_t slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    std::size_t used = 0;
    s.index = std::stoi(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("trailing text");
    s.count = std::stoi(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw UsageError("--shard must be I/N, e.g. 2/4 for the second of four shares, not '" + text + "'");
  }
  if (s.count < 1 || s.index < 1 || s.index > s.count)
    throw UsageError("--shard " + text + ": I must be between 1 and N");
  return s;
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
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if ((ext == ".txt" || ext == ".md") && !publish::isTranscriptText(it->path())) all.push_back(it->path());
  }
  if (ec) throw UsageError(dir.string() + ": cannot list: " + ec.message());
  std::sort(all.begin(), all.end());
  return all;
}

std::vector<fs::path> shareOf(const std::vector<fs::path>& all, const Shard& shard) {
  std::vector<fs::path> mine;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (static_cast<int>(i % static_cast<std::size_t>(shard.count)) == shard.index - 1) mine.push_back(all[i]);
  return mine;
}

fs::path outputFor(const fs::path& article, const fs::path& dir, const fs::path& out_dir, const std::string& extension) {
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

BatchResult sayEach(const std::vector<fs::path>& articles, const fs::path& dir, const fs::path& out_dir,
                    const std::string& extension, const speech::VoiceProfile& voice,
                    const encode::OutputSettings& settings, int jobs, const std::optional<fs::path>& cache,
                    const std::function<void(const RenderReport&)>& after_each, std::ostream* progress,
                    std::ostream* log) {
  BatchResult result;
  std::vector<std::size_t> indices(articles.size());
  for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = i;
  // Output folders first: workers only write files.
  for (const auto& a : articles) {
    std::error_code ec;
    fs::create_directories(outputFor(a, dir, out_dir, extension).parent_path(), ec);
    if (ec) throw UsageError(outputFor(a, dir, out_dir, extension).parent_path().string() + ": cannot create: " + ec.message());
  }
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  if (progress) drawBar(*progress, 0, articles.size(), 0, 0);

  RenderOptions options;
  options.cache = cache;
  options.in_process = true;  // each worker is one article's process
  const auto job = [&](std::size_t i) {
    const RenderReport report =
        sayArticles({articles[i]}, outputFor(articles[i], dir, out_dir, extension), voice, settings, {}, options);
    if (after_each) after_each(report);
  };
  const auto ended = [&](std::size_t i, std::size_t done, std::size_t total, const std::string& error) {
    const fs::path out = outputFor(articles[i], dir, out_dir, extension);
    if (error.empty()) result.written.push_back(out);
    else result.failed.emplace_back(articles[i], error);
    if (log) {
      *log << "warta: [" << done << '/' << total << "] " << (error.empty() ? out.string() : articles[i].string() + ": error: " + error)
           << '\n';
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
    runInWorkers(indices, jobs, job, ended, true);
  } catch (...) {
    tidy();
    throw;
  }
  if (!result.failed.empty()) tidy();
  if (cache) ChunkCache(*cache).prune(kCacheMaxBytes);
  if (progress) *progress << '\n';
  std::sort(result.written.begin(), result.written.end());
  return result;
}

}  // namespace warta::app
