// `warta say --each DIR -o OUTDIR`: one audio file per article of a whole
// site, on all cores, in worker processes (one article each).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/pipeline.h"

namespace warta::app {

// `--shard I/N`: this run takes articles I, I+N, I+2N, ... (1-based) of the
// sorted list, so N machines given 1/N .. N/N share a batch with no overlap.
struct Shard {
  int index = 1;  // I, 1..count
  int count = 1;  // N
};

// Parses "I/N" (1 <= I <= N). Throws UsageError naming the text.
Shard parseShard(const std::string& text);

// The articles under `dir` (recursively; .txt and .md), sorted by path.
// Skipped: hidden files and folders, and text transcripts warta wrote
// (*.transcript.txt, publish::isTranscriptText), so a second run over a
// folder that holds the first run's outputs reads the same articles.
std::vector<std::filesystem::path> listArticles(const std::filesystem::path& dir);

// This shard's share of `all`: items I, I+N, I+2N, ... (1-based).
std::vector<std::filesystem::path> shareOf(const std::vector<std::filesystem::path>& all, const Shard& shard);

// Where `article` (under `dir`) goes: the same relative path under `out_dir`
// with `extension` (".mp3").
std::filesystem::path outputFor(const std::filesystem::path& article, const std::filesystem::path& dir,
                                const std::filesystem::path& out_dir, const std::string& extension);

struct BatchResult {
  std::vector<std::filesystem::path> written;
  std::vector<std::pair<std::filesystem::path, std::string>> failed;  // article, error text
};

// Renders each article to outputFor(...), `jobs` at a time, then runs
// `after_each` (if set) on its report in the same worker (transcripts). A
// failed article does not stop the others. `progress` (the terminal's stderr, or null)
// shows a bar redrawn in place; `log` (or null) gets one line per article.
BatchResult sayEach(const std::vector<std::filesystem::path>& articles, const std::filesystem::path& dir,
                    const std::filesystem::path& out_dir, const std::string& extension,
                    const speech::VoiceProfile& voice, const encode::OutputSettings& settings, int jobs,
                    const std::optional<std::filesystem::path>& cache,
                    const std::function<void(const RenderReport&)>& after_each, std::ostream* progress,
                    std::ostream* log);

}  // namespace warta::app
