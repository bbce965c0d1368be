// SPDX-License-Identifier: GPL-3.0-or-later
// Jobs as data: what the render pool asks a warta-worker process to do. A
// job's request is a small JSON text the pool's zygote hands to the process
// it forks for the job (render/workers.h); bulk data
// (a whole render plan, a batch's voice and settings) goes in a JobFile the
// request names. Four kinds:
//   {"job":"sound","plan":FILE,"step":I,"file":OUT,"threads":N}  renderSound(plan, I, OUT, N): the first pass
//   {"job":"speak","plan":FILE,"step":I,"first":A,"end":B,"file":OUT}  speakPart: one part of a long story
//   {"job":"article","batch":FILE,"index":I}             article I of a `say --each` batch
//   {"job":"phonemes","texts":FILE,"out":FILE}           eSpeak's phonemes of spoken texts
// Encoding keeps every field, doubles exactly (shortest round-trip form), so
// a worker renders the same bytes the plan describes (describeChunk of the
// decoded plan equals the original's). A plan travels without its sounds
// and cuts: workers make sounds, and chunks are rendered in the parent.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "encode/writer.h"
#include "render/companions.h"
#include "render/render_plan.h"
#include "speech/voice_profile.h"

namespace warta::app {

// A render plan as JSON text, and back. decodePlan throws Error(Engine)
// naming `file` if the text is not a plan.
std::string encodePlan(const RenderPlan& plan);
RenderPlan decodePlan(const std::string& text, const std::filesystem::path& file);

std::string soundRequest(const std::filesystem::path& plan_file, std::size_t step, const std::filesystem::path& file,
                         int threads);
std::string speakRequest(const std::filesystem::path& plan_file, std::size_t step, std::size_t first, std::size_t end,
                         const std::filesystem::path& file);

// What `say --each` makes of each article, as data: the worker renders
// article i to outputFor(articles[i], dir, out_dir, extension) and writes
// its companions.
struct BatchJob {
  std::vector<std::filesystem::path> articles;
  std::filesystem::path dir, out_dir;
  std::string extension;
  speech::VoiceProfile voice;
  encode::OutputSettings settings;
  std::optional<std::filesystem::path> cache;
  std::vector<std::string> keys;             // source key per article ("" none)
  std::optional<TranscriptText> transcript;  // --transcript (written or spoken)
  bool talking_book = false;                 // --talking-book
};

std::string encodeBatch(const BatchJob& batch);
BatchJob decodeBatch(const std::string& text, const std::filesystem::path& file);
std::string articleRequest(const std::filesystem::path& batch_file, std::size_t index);

// The files made beside an article's audio `out`: transcripts, page, talking book.
std::vector<std::filesystem::path> companionsOf(const BatchJob& batch, const std::filesystem::path& out);

// Article `index` of `batch`, all or nothing (encode::Publication).
void runArticle(const BatchJob& batch, std::size_t index);

// eSpeak's phonemes for spoken texts (libwarta's prepare()): asked of a
// worker, whose eSpeak has said nothing before, so the caller's process
// never holds eSpeak's global state. `out` gets one NUL-ended phoneme string
// per text ("" for an empty text).
struct PhonemesJob {
  speech::VoiceProfile voice;
  std::vector<std::filesystem::path> lexicons;  // the caller's extra lexicons
  std::vector<std::string> texts;
};
std::string encodePhonemesJob(const PhonemesJob& job);
std::string phonemesRequest(const std::filesystem::path& job_file, const std::filesystem::path& out);

// In a worker: runs one request. Throws what the job throws, Error(Engine)
// for a request it cannot read.
void runJobRequest(const std::string& request);

}  // namespace warta::app
