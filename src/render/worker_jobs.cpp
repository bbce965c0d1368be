// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/worker_jobs.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "encode/atomic_file.h"
#include "render/batch.h"
#include "warta/error.h"

// Every field of every struct a job carries. A field added to one of these
// structs must be added here too, or workers would render without it: the
// size checks below fail the build as a reminder (x86-64 sizes).
namespace warta::text {
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Pauses, headline, dateline, subhead, sentence, paragraph)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(NormalizerOptions, read_degrees, read_repeated_acronyms, read_dateline_source)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(WrittenWord, text, spoken_words)
}  // namespace warta::text

namespace warta::speech {
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(VoiceProfile, name, file, espeak_voice, variant, rate_wpm, pitch, pitch_range,
                                   volume, language_dir, pauses, story_gap, jingle_pause, join_fade, bed_fade_out,
                                   normalization)
}  // namespace warta::speech

namespace warta::encode {
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Tags, title, artist, album, date, genre, comment, source_key, user_texts)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(BroadcastInfo, description, originator, originator_reference, origination_date,
                                   origination_time, time_reference)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OutputSettings, sample_rate, channels, bitrate_kbps, tags, container, broadcast,
                                   cover_image)
}  // namespace warta::encode

namespace warta::audio {
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(BedSettings, duck_db, attack, release, fade_in)
}  // namespace warta::audio

namespace warta::app {
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LoudnessTarget, name, integrated, true_peak)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PlannedSegment, spoken, label, pause_after, display, part, ends_paragraph, words)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Step, op, kind, story, label, file, level, voice, espeak_rate, segments, seconds,
                                   overlap, cut)

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

static_assert(sizeof(text::Pauses) == 40 && sizeof(text::NormalizerOptions) == 3 && sizeof(text::WrittenWord) == 40,
              "a text struct changed: update worker_jobs.cpp");
static_assert(sizeof(speech::VoiceProfile) == 272, "VoiceProfile changed: update worker_jobs.cpp");
static_assert(sizeof(encode::Tags) == 248 && sizeof(encode::BroadcastInfo) == 168 &&
                  sizeof(encode::OutputSettings) == 480,
              "an encode struct changed: update worker_jobs.cpp");
static_assert(sizeof(audio::BedSettings) == 32 && sizeof(LoudnessTarget) == 48,
              "a struct changed: update worker_jobs.cpp");
static_assert(sizeof(PlannedSegment) == 168 && sizeof(Step) == 184 && sizeof(RenderPlan) == 800,
              "a plan struct changed: update worker_jobs.cpp");

json optionalPath(const std::optional<fs::path>& p) { return p ? json(p->string()) : json(nullptr); }
std::optional<fs::path> optionalPath(const json& j) {
  if (j.is_null()) return std::nullopt;
  return fs::path(j.get<std::string>());
}

std::string readJobFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::Engine, file.string() + ": cannot read the job file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename F>
auto parsed(const std::string& what, const fs::path& file, F&& f) {
  try {
    return f();
  } catch (const json::exception& e) {
    throw Error(ErrorKind::Engine, file.string() + ": not a " + what + " (" + e.what() + ")");
  }
}

}  // namespace

std::string encodePlan(const RenderPlan& p) {
  json j;
  j["output"] = p.output.string();
  j["settings"] = p.settings;
  j["codec"] = p.codec;
  j["render"] = p.render;
  j["report_lufs"] = p.report_lufs;
  j["join_fade"] = p.join_fade;
  j["voices"] = p.voices;
  j["bed_file"] = optionalPath(p.bed_file);
  j["bed_level"] = p.bed_level;
  j["bed_mix"] = p.bed_mix;
  j["steps"] = p.steps;
  j["expires"] = p.expires ? json(static_cast<std::int64_t>(*p.expires)) : json(nullptr);
  return j.dump();
}

RenderPlan decodePlan(const std::string& text, const fs::path& file) {
  return parsed("render plan", file, [&] {
    const json j = json::parse(text);
    RenderPlan p;
    p.output = j.at("output").get<std::string>();
    j.at("settings").get_to(p.settings);
    j.at("codec").get_to(p.codec);
    j.at("render").get_to(p.render);
    j.at("report_lufs").get_to(p.report_lufs);
    j.at("join_fade").get_to(p.join_fade);
    j.at("voices").get_to(p.voices);
    p.bed_file = optionalPath(j.at("bed_file"));
    j.at("bed_level").get_to(p.bed_level);
    j.at("bed_mix").get_to(p.bed_mix);
    j.at("steps").get_to(p.steps);
    if (!j.at("expires").is_null()) p.expires = static_cast<std::time_t>(j.at("expires").get<std::int64_t>());
    return p;
  });
}

std::string soundRequest(const fs::path& plan_file, std::size_t step, const fs::path& file, int threads) {
  return json{
      {"job", "sound"}, {"plan", plan_file.string()}, {"step", step}, {"file", file.string()}, {"threads", threads}}
      .dump();
}

std::string speakRequest(const fs::path& plan_file, std::size_t step, std::size_t first, std::size_t end,
                         const fs::path& file) {
  return json{{"job", "speak"}, {"plan", plan_file.string()}, {"step", step}, {"first", first},
              {"end", end},     {"file", file.string()}}
      .dump();
}

std::string encodeBatch(const BatchJob& b) {
  json j;
  json articles = json::array();
  for (const auto& a : b.articles) articles.push_back(a.string());
  j["articles"] = articles;
  j["dir"] = b.dir.string();
  j["out_dir"] = b.out_dir.string();
  j["extension"] = b.extension;
  j["voice"] = b.voice;
  j["settings"] = b.settings;
  j["cache"] = optionalPath(b.cache);
  j["keys"] = b.keys;
  j["transcript"] = b.transcript ? json(*b.transcript == TranscriptText::Spoken ? "spoken" : "written") : json(nullptr);
  j["talking_book"] = b.talking_book;
  return j.dump();
}

BatchJob decodeBatch(const std::string& text, const fs::path& file) {
  return parsed("batch", file, [&] {
    const json j = json::parse(text);
    BatchJob b;
    for (const auto& a : j.at("articles")) b.articles.emplace_back(a.get<std::string>());
    b.dir = j.at("dir").get<std::string>();
    b.out_dir = j.at("out_dir").get<std::string>();
    j.at("extension").get_to(b.extension);
    j.at("voice").get_to(b.voice);
    j.at("settings").get_to(b.settings);
    b.cache = optionalPath(j.at("cache"));
    j.at("keys").get_to(b.keys);
    if (const json& t = j.at("transcript"); !t.is_null())
      b.transcript = t.get<std::string>() == "spoken" ? TranscriptText::Spoken : TranscriptText::Written;
    j.at("talking_book").get_to(b.talking_book);
    return b;
  });
}

std::string articleRequest(const fs::path& batch_file, std::size_t index) {
  return json{{"job", "article"}, {"batch", batch_file.string()}, {"index", index}}.dump();
}

std::vector<fs::path> companionsOf(const BatchJob& batch, const fs::path& out) {
  std::vector<fs::path> more;
  if (batch.transcript) more = publish::transcriptPathsFor(out).all();
  if (batch.talking_book) more.push_back(publish::talkingBookPathFor(out));
  return more;
}

void runArticle(const BatchJob& batch, std::size_t i) {
  encode::OutputSettings own = batch.settings;
  if (i < batch.keys.size()) own.tags.source_key = batch.keys[i];
  const fs::path out = outputFor(batch.articles.at(i), batch.dir, batch.out_dir, batch.extension);
  // All or nothing per article, as `say` and `build` do: the audio and its
  // companions are held in their temporaries until every one is made, so a
  // failed article keeps its previous outputs and a reader never finds a new
  // MP3 beside old transcripts.
  encode::Publication publication;
  publication.stage(out);
  for (const auto& f : companionsOf(batch, out)) publication.stage(f);
  RenderOptions options;
  options.cache = batch.cache;
  options.in_process = true;  // this worker is the article's process
  const RenderReport report = sayArticles({batch.articles[i]}, out, batch.voice, own, {}, options);
  if (batch.transcript) writeTranscriptFiles(report, *batch.transcript);
  if (batch.talking_book) writeTalkingBookFile(report, {});
  // Test seam: an article of this file name fails with every output made but none committed.
  if (const char* name = std::getenv("WARTA_TEST_FAIL_BEFORE_COMMIT");
      name != nullptr && *name != '\0' && batch.articles[i].filename() == name)
    throw std::runtime_error("failed on purpose before its outputs were committed (WARTA_TEST_FAIL_BEFORE_COMMIT)");
  publication.commitAll();
}

std::string encodePhonemesJob(const PhonemesJob& job) {
  std::vector<std::string> lexicons;
  for (const auto& l : job.lexicons) lexicons.push_back(l.string());
  return json{{"voice", job.voice}, {"lexicons", lexicons}, {"texts", job.texts}}.dump();
}

std::string phonemesRequest(const fs::path& job_file, const fs::path& out) {
  return json{{"job", "phonemes"}, {"texts", job_file.string()}, {"out", out.string()}}.dump();
}

namespace {

void runPhonemes(const fs::path& job_file, const fs::path& out_file) {
  const json j = json::parse(readJobFile(job_file));
  std::vector<fs::path> lexicons;
  for (const auto& l : j.at("lexicons")) lexicons.push_back(l.get<std::string>());
  const speech::VoiceProfile voice = j.at("voice").get<speech::VoiceProfile>();
  Narrator narrator(lexicons);
  std::ofstream out(out_file, std::ios::binary);
  for (const auto& t : j.at("texts")) {
    const std::string text = t.get<std::string>();
    out << (text.empty() ? std::string() : narrator.phonemes(text, voice)) << '\0';
  }
  out.close();
  if (!out) throw Error(ErrorKind::Io, out_file.string() + ": cannot write the phonemes");
}

}  // namespace

void runJobRequest(const std::string& request) {
  json j;
  try {
    j = json::parse(request);
  } catch (const json::exception& e) {
    throw Error(ErrorKind::Engine, std::string("warta-worker: not a job request (") + e.what() + ")");
  }
  const std::string job = j.value("job", "");
  if (job == "sound") {
    const fs::path plan_file = j.at("plan").get<std::string>();
    const RenderPlan plan = decodePlan(readJobFile(plan_file), plan_file);
    renderSound(plan, j.at("step").get<std::size_t>(), j.at("file").get<std::string>(), j.at("threads").get<int>());
  } else if (job == "speak") {
    const fs::path plan_file = j.at("plan").get<std::string>();
    const RenderPlan plan = decodePlan(readJobFile(plan_file), plan_file);
    speakPart(plan, j.at("step").get<std::size_t>(), j.at("first").get<std::size_t>(), j.at("end").get<std::size_t>(),
              j.at("file").get<std::string>());
  } else if (job == "phonemes") {
    runPhonemes(j.at("texts").get<std::string>(), j.at("out").get<std::string>());
  } else if (job == "article") {
    const fs::path batch_file = j.at("batch").get<std::string>();
    runArticle(decodeBatch(readJobFile(batch_file), batch_file), j.at("index").get<std::size_t>());
  } else {
    throw Error(ErrorKind::Engine, "warta-worker: unknown job '" + job + "'");
  }
}

}  // namespace warta::app
