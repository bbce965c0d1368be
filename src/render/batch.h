// SPDX-License-Identifier: GPL-3.0-or-later
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

#include "render/pipeline.h"
#include "render/worker_jobs.h"

namespace warta::app {

// `--shard I/N`: this run takes the articles whose relative path hashes to
// I-1 modulo N (FNV-1a of the path under DIR), so N machines given 1/N .. N/N
// share a batch with no overlap, and adding an article never moves another
// to a different shard (a retried or resumed job finds its own files again).
struct Shard {
  int index = 1;  // I, 1..count
  int count = 1;  // N
};

// Parses "I/N" (1 <= I <= N), or "auto/N": the 0-based index from
// JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (a
// Slurm array), taken modulo N so arrays numbered 0..N-1 and 1..N both cover
// every shard once. `env` looks a variable up (getenv in the program).
// Throws UsageError naming the text or the missing variables.
Shard parseShard(
    const std::string& text,
    const std::function<const char*(const char*)>& env = [](const char*) -> const char* { return nullptr; });

// The shard (0-based) of `relative` (an article's path under DIR) among `count`.
int shardOf(const std::filesystem::path& relative, int count);

// The articles under `dir` (recursively; .txt and .md), sorted by path.
// Skipped: hidden files and folders, and text transcripts warta wrote
// (*.transcript.txt, publish::isTranscriptText), so a second run over a
// folder that holds the first run's outputs reads the same articles.
std::vector<std::filesystem::path> listArticles(const std::filesystem::path& dir);

// This shard's share of `all` (articles under `dir`), in order.
std::vector<std::filesystem::path> shareOf(const std::vector<std::filesystem::path>& all,
                                           const std::filesystem::path& dir, const Shard& shard);

// Where `article` (under `dir`) goes: the same relative path under `out_dir`
// with `extension` (".mp3").
std::filesystem::path outputFor(const std::filesystem::path& article, const std::filesystem::path& dir,
                                const std::filesystem::path& out_dir, const std::string& extension);

// What an article's MP3 is made from, as hex: a hash of the article's bytes,
// the voice profile and every file of its language folder, the voice's rate,
// `options` (the flags that change the output) and the warta program itself
// (its size and time). Stored in the MP3 (Tags::source_key) and compared on
// the next run: a file from an older article, voice, lexicon or warta, or from
// other options, is made again; a file the run did not finish never exists
// under its name (it is renamed into place whole).
// `say` records the same key for its articles, so `say A -o X.mp3` and
// `say --each` make the same bytes for one article.
std::string sourceKey(const std::vector<std::filesystem::path>& articles, const std::string& inputs_key);
// The part of the key every article of a run shares (computed once).
std::string inputsKey(const speech::VoiceProfile& voice, const std::string& options);

// The key stored in `mp3` (empty if it has none or cannot be read).
std::string storedSourceKey(const std::filesystem::path& mp3);

struct BatchResult {
  std::vector<std::filesystem::path> written;
  std::vector<std::filesystem::path> skipped;                         // up to date already
  std::vector<std::pair<std::filesystem::path, std::string>> failed;  // article, error text
};

// Renders each article of `batch` to outputFor(...) unless it is up to date
// (its MP3 holds keys[i], and each of its companions exists and is not
// older), `jobs` at a time, each in a warta-worker process that also writes
// its companions (transcripts, page, talking book). A failed article does not
// stop the others. Each article's MP3 and its companions become visible
// together (encode::Publication) or not at all: a failed article keeps its
// previous outputs. WARTA_TEST_FAIL_BEFORE_COMMIT=NAME (tests only) fails the
// article of that file name with all its outputs made but not yet committed.
// `progress` (the terminal's stderr, or null) shows a bar redrawn in place;
// `log` (or null) gets one line per article.
BatchResult sayEach(const BatchJob& batch, int jobs, std::ostream* progress, std::ostream* log);

}  // namespace warta::app
