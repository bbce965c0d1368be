// SPDX-License-Identifier: GPL-3.0-or-later
// libwarta (include/warta/warta.h) over the rooms: the public types are
// plain copies of what render/, config/ and text/ make; the runs (`say`,
// `build`) go through the same checks and helpers as the CLI's
// (RunFiles, encode::Publication, render/publishing.h).
#include "warta/warta.h"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cctype>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <new>
#include <optional>
#include <sstream>

#include "config/rundown.h"
#include "deliver/deliver.h"
#include "sources/sources.h"
#include "render/batch.h"
#include "render/story_sources.h"
#include "render/versions.h"
#include "config/voice_loader.h"
#include "config/yaml_util.h"
#include "encode/atomic_file.h"
#include "publish/artwork.h"
#include "publish/epub.h"
#include "publish/feed.h"
#include "publish/transcript.h"
#include "render/chunk_cache.h"
#include "render/lexicon_check.h"
#include "render/pipeline.h"
#include "render/publishing.h"
#include "render/run_files.h"
#include "render/worker_jobs.h"
#include "render/workers.h"
#include "text/article.h"
#include "text/date.h"
#include "text/lexicon.h"
#include "text/segment.h"

namespace warta {
namespace fs = std::filesystem;
using app::RenderReport;

namespace {

[[noreturn]] void usage(const std::string& message) { throw Error(ErrorKind::Usage, message); }

// Runs `body`, turning what the rooms throw besides warta::Error into one:
// the API promises warta::Error (and std::bad_alloc) only.
template <typename Body>
auto guarded(Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const fs::filesystem_error& e) {
    throw Error(ErrorKind::Io, e.what());
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::Config, e.what());
  } catch (const std::exception& e) {
    throw Error(ErrorKind::Engine, e.what());
  }
}

// An article must be a regular file: a FIFO would block the read forever.
void requireArticle(const fs::path& article) {
  if (const std::string problem = inputFileProblem(article); !problem.empty())
    throw Error(ErrorKind::Input, article.string() + ": " + problem);
}

speech::VoiceProfile voiceNamed(const std::string& name) {
  const fs::path file = app::findVoiceProfile(name, fs::current_path());
  if (file.empty())
    usage("unknown voice '" + name + "': no profile " + name + ".yaml in " + app::voicesDir().string() +
          " and no such file");
  return app::loadVoiceProfile(file);
}

SegmentKind publicKind(text::SegmentKind kind) {
  switch (kind) {
    case text::SegmentKind::Headline:
      return SegmentKind::Headline;
    case text::SegmentKind::Dateline:
      return SegmentKind::Dateline;
    case text::SegmentKind::Subhead:
      return SegmentKind::Subhead;
    case text::SegmentKind::Sentence:
      return SegmentKind::Sentence;
  }
  return SegmentKind::Sentence;
}

text::SegmentKind internalKind(SegmentKind kind) {
  switch (kind) {
    case SegmentKind::Headline:
      return text::SegmentKind::Headline;
    case SegmentKind::Dateline:
      return text::SegmentKind::Dateline;
    case SegmentKind::Subhead:
      return text::SegmentKind::Subhead;
    case SegmentKind::Sentence:
      return text::SegmentKind::Sentence;
  }
  return text::SegmentKind::Sentence;
}

// Reports progress over one call: phases map onto parts of 0..1. What the
// callback throws is kept and rethrown once the running step is over (never
// through the worker loop, which must reap its children).
class ProgressReporter {
 public:
  explicit ProgressReporter(const ProgressCallback& callback) : callback_(callback) {}

  void report(const std::string& phase, double from, double to, std::size_t done, std::size_t total,
              const std::string& message) {
    if (!callback_ || failed_) return;
    Progress p;
    p.phase = phase;
    const double part = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
    p.fraction = std::max(last_, from + (to - from) * std::clamp(part, 0.0, 1.0));
    last_ = p.fraction;
    p.done = done;
    p.total = total;
    p.message = message;
    try {
      callback_(p);
    } catch (...) {
      failed_ = std::current_exception();
    }
  }
  void rethrow() const {
    if (failed_) std::rethrow_exception(failed_);
  }

 private:
  const ProgressCallback& callback_;
  double last_ = 0;
  std::exception_ptr failed_;
};

// Chunks rendered: `from`..`to` of the whole call.
std::function<void(std::size_t, std::size_t)> chunkProgress(ProgressReporter& progress, double from, double to) {
  return [&progress, from, to](std::size_t done, std::size_t total) {
    progress.report("render", from, to, done, total,
                    total == 0 ? std::string("every chunk from the cache")
                               : "chunk " + std::to_string(done) + " of " + std::to_string(total));
  };
}

RenderResult resultOf(const RenderReport& r) {
  RenderResult out;
  out.output = r.output;
  out.files.push_back(r.output);
  out.seconds = r.seconds;
  out.loudness_lufs = r.target_lufs;
  out.limiter_db = r.limiter_reduction_db;
  out.chunks = r.chunks;
  out.cached_chunks = r.cached_chunks;
  for (const auto& c : r.chapters) out.chapters.push_back({c.title, c.start, c.end});
  out.mastering_seconds = r.mastering_seconds;
  out.encode_seconds = r.encode_seconds;
  out.corrupt_chunks = r.corrupt_chunks;
  out.fitted = r.fitted;
  out.rate = r.rate;
  out.dropped = r.dropped;
  out.fill_seconds = r.fill_seconds;
  out.measured_lufs = r.cues.integrated_lufs;
  for (const auto& t : r.timeline) {
    if (t.kind == "intro") out.intro_seconds = t.end;
    if (!t.spoken.empty() || (t.kind == "closing" && !t.label.empty()))
      out.last_words = t.label.empty() ? t.spoken : t.label;
  }
  return out;
}

// The output's format by the one rule (encode::outputFormat), a bad name being the caller's mistake.
encode::OutputFormat outputFormatOf(const fs::path& audio, encode::Container container) {
  if (const std::string problem = encode::outputFormatProblem(audio, container); !problem.empty())
    usage("output '" + audio.string() + "': " + problem);
  return encode::outputFormat(audio, container);
}

// A talking book holds MP3 (EPUB 3's audio types are MP3 and AAC), so a WAV output cannot have one.
void requireTalkingBookAudio(const fs::path& audio, encode::Container container) {
  if (outputFormatOf(audio, container) != encode::OutputFormat::Mp3)
    usage("--talking-book needs an MP3 output (an EPUB 3 talking book holds MP3), not '" + audio.string() + "'");
}

void validateRate(int rate_wpm) {
  if (rate_wpm != 0 && (rate_wpm < 80 || rate_wpm > 450))
    usage("--rate must be between 80 and 450 words per minute (0: the voice's own), not " + std::to_string(rate_wpm));
}

// Listening to an article: speech only, so mono at a speech-friendly bit rate.
encode::OutputSettings sayOutputSettings(int bitrate_kbps) {
  encode::OutputSettings settings;
  settings.channels = 1;
  settings.bitrate_kbps = bitrate_kbps;
  settings.tags.genre = "Speech";
  return settings;
}

// Everything besides the input files that changes what `say` writes (render/batch.h sourceKey).
std::string keyOptions(bool transcript, bool spoken, bool talking_book, const encode::OutputSettings& settings) {
  return "transcript=" + std::to_string(transcript) + " spoken=" + std::to_string(spoken) +
         " book=" + std::to_string(talking_book) + " bitrate=" + std::to_string(settings.bitrate_kbps) +
         " channels=" + std::to_string(settings.channels);
}

// say --each writes one MP3 per article (it skips those whose TXXX source key is current, an MP3-only tag).
constexpr const char* kEachExtension = ".mp3";

app::RenderOptions renderOptions(int jobs, const fs::path& cache) {
  app::RenderOptions o;
  o.jobs = jobs;
  if (!cache.empty()) o.cache = cache;
  return o;
}

void validateCommon(int jobs, const fs::path& timeline, bool transcript, bool transcript_spoken) {
  if (jobs < 0 || jobs > 1024) usage("jobs must be between 0 (one per core) and 1024, not " + std::to_string(jobs));
  if (transcript_spoken && !transcript) usage("transcript_spoken needs transcript");
  if (!timeline.empty() && !timeline.has_filename()) usage("timeline '" + timeline.string() + "' must name a file");
}

}  // namespace

const char* version() { return WARTA_VERSION; }

Versions versions() {
  return guarded([] {
    const app::Versions v = app::versions();
    return Versions{v.warta, v.revision, v.espeak_ng, v.lame, v.ffmpeg, v.libavcodec};
  });
}

void stopOnSignals() { app::installSignalHandlers(); }

std::string inputFileProblem(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) return "no such file";
  if (!fs::is_regular_file(status)) return "is " + app::describeFileType(status) + ", not a regular file";
  return "";
}

const char* kindName(SegmentKind kind) { return text::kindName(internalKind(kind)); }

fs::path defaultCacheDir() { return app::defaultCacheDir(); }

// ---- options --------------------------------------------------------------------

void SayOptions::validate() const {
  if (output.empty()) usage("'say' needs -o OUT.mp3 (or OUT.wav): SayOptions::output is required");
  outputFormatOf(output, encode::Container::Auto);
  if (voice.empty()) usage("SayOptions: 'voice' must name a voice profile");
  validateRate(rate_wpm);
  if (!encode::isMp3Bitrate(bitrate_kbps))
    usage("SayOptions: bitrate_kbps must be an MP3 bit rate (32 ... 320 kb/s), not " + std::to_string(bitrate_kbps));
  if (talking_book) requireTalkingBookAudio(output, encode::Container::Auto);
  validateCommon(jobs, timeline, transcript, transcript_spoken);
}

void BuildOptions::validate() const { validateCommon(jobs, timeline, transcript, transcript_spoken); }

void EachOptions::validate() const {
  if (dir.empty()) usage("EachOptions: 'dir' is required (the folder of articles)");
  if (out_dir.empty()) usage("'say --each DIR' needs -o OUTDIR");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) usage(dir.string() + ": no such folder");
  if (voice.empty()) usage("EachOptions: 'voice' must name a voice profile");
  validateRate(rate_wpm);
  validateCommon(jobs, {}, transcript, transcript_spoken);
}

void StudioOptions::validate() const {
  for (const auto& l : lexicons) {
    std::error_code ec;
    if (!fs::is_regular_file(l, ec)) usage("StudioOptions: lexicon " + l.string() + ": no such file");
  }
}

void RundownConfig::validate() const {
  if (show.empty()) usage("RundownConfig: 'show' is required (the programme's name)");
  if (stories.empty()) usage("RundownConfig: 'stories' must list at least one article");
  if (stories.size() > app::kMaxStories)
    usage("RundownConfig: " + std::to_string(stories.size()) + " stories; at most " + std::to_string(app::kMaxStories) +
          " fit in one file (the MP3's chapter table holds 255)");
  for (std::size_t i = 0; i < stories.size(); ++i)
    if (stories[i].article.empty()) usage("RundownConfig: story " + std::to_string(i + 1) + " has no article");
  if (!date.empty() && !text::parseIsoDate(date))
    usage("RundownConfig: 'date' must be a real date written YYYY-MM-DD, not '" + date + "'");
  if (loudness != "podcast" && loudness != "broadcast")
    usage("RundownConfig: 'loudness' must be podcast or broadcast, not '" + loudness + "'");
  if (voice.empty()) usage("RundownConfig: 'voice' must name a voice profile");
}

// ---- Rundown --------------------------------------------------------------------

struct Rundown::Impl {
  app::Rundown rundown;
};

Rundown::Rundown(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Rundown::Rundown(Rundown&&) noexcept = default;
Rundown& Rundown::operator=(Rundown&&) noexcept = default;
Rundown::~Rundown() = default;

Rundown Rundown::load(const fs::path& file) {
  return guarded([&] {
    requireArticle(file);  // the same test: a regular file that exists
    return Rundown(std::make_unique<Impl>(Impl{app::loadRundown(file)}));
  });
}

Rundown Rundown::build(const RundownConfig& config) {
  config.validate();
  return guarded([&] {
    // The config becomes the YAML a producer would write, checked by the
    // same loader: one set of rules for files and code.
    YAML::Node root;
    root["show"] = config.show;
    if (!config.station.empty()) root["station"] = config.station;
    if (!config.date.empty()) root["date"] = config.date;
    root["voice"] = config.voice;
    if (!config.intro.empty()) root["intro"] = config.intro.string();
    if (!config.outro.empty()) root["outro"] = config.outro.string();
    if (!config.stinger.empty()) root["stinger"] = config.stinger.string();
    root["output"]["file"] = config.output_file;
    root["loudness"] = config.loudness;
    for (const auto& l : config.lexicons) root["lexicons"].push_back(l.string());
    for (const auto& s : config.stories) {
      YAML::Node story;
      story["file"] = s.article.string();
      if (!s.voice.empty()) story["voice"] = s.voice;
      root["stories"].push_back(story);
    }
    const fs::path folder = config.folder.empty() ? fs::current_path() : fs::absolute(config.folder);
    return Rundown(std::make_unique<Impl>(Impl{app::rundownFromYaml(root, folder / "(rundown built in code)")}));
  });
}

std::string Rundown::show() const { return impl_->rundown.show; }
std::string Rundown::date() const { return impl_->rundown.date; }
std::vector<fs::path> Rundown::stories() const {
  std::vector<fs::path> files;
  for (const auto& s : impl_->rundown.stories) files.push_back(s.file);
  return files;
}
std::string Rundown::outputName() const { return impl_->rundown.outputName(); }
fs::path Rundown::path() const { return impl_->rundown.path; }
bool Rundown::publishes() const { return impl_->rundown.publish.has_value(); }

// ---- Studio ---------------------------------------------------------------------

struct Studio::Impl {
  explicit Impl(StudioOptions o) : options(std::move(o)), narrator(options.lexicons) {}
  StudioOptions options;
  app::Narrator narrator;

  // `say` from stories already prepared: the CLI's checks and all-or-nothing outputs.
  RenderResult say(const std::vector<std::vector<text::Segment>>& stories, const std::vector<fs::path>& articles,
                   const speech::VoiceProfile& voice, const SayOptions& o, ProgressReporter& progress, bool from_files);

  // eSpeak NG's phonemes of each spoken text, from a warta-worker process:
  // eSpeak keeps global state, which a threaded caller (a web studio) must
  // not share, and a render's workers must start from an eSpeak that has
  // said nothing.
  std::vector<std::string> phonemes(const std::vector<std::string>& texts, const speech::VoiceProfile& voice) {
    const app::JobFile said("");  // an empty temporary file the worker fills, removed at the end
    app::PhonemesJob job;
    job.voice = voice;
    job.lexicons = options.lexicons;
    job.texts = texts;
    const app::JobFile job_file(app::encodePhonemesJob(job));
    app::runInWorkers({0}, 1, [&](std::size_t) { return app::phonemesRequest(job_file.path(), said.path()); });
    std::ifstream in(said.path(), std::ios::binary);
    std::vector<std::string> out;
    for (std::string p; std::getline(in, p, '\0');) out.push_back(p);
    if (out.size() != texts.size())
      throw Error(ErrorKind::Engine, "eSpeak's phonemes came back for " + std::to_string(out.size()) + " of " +
                                         std::to_string(texts.size()) + " segments");
    return out;
  }
};

Studio::Studio(StudioOptions options) {
  options.validate();
  impl_ = guarded([&] { return std::make_unique<Impl>(std::move(options)); });
}
Studio::Studio(Studio&&) noexcept = default;
Studio& Studio::operator=(Studio&&) noexcept = default;
Studio::~Studio() = default;

Script Studio::prepare(const fs::path& article, const std::string& voice_name) {
  return guarded([&] {
    requireArticle(article);
    const speech::VoiceProfile voice = voiceNamed(voice_name);
    app::Narrator& narrator = impl_->narrator;
    const std::vector<text::Segment> segments = narrator.prepare(article, voice, text::kMaxArticleBytes);
    const text::Normalizer& norm = narrator.normalizer(voice);

    std::vector<std::string> texts;
    for (const auto& s : segments) texts.push_back(s.spoken);
    const std::vector<std::string> phonemes = impl_->phonemes(texts, voice);

    Script script;
    script.article = article;
    script.voice = voice_name;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const text::Segment& s = segments[i];
      ScriptSegment out;
      out.kind = publicKind(s.kind);
      out.line = s.line;
      out.written = s.text;
      out.spoken = text::displayForm(s.spoken, norm.lexicon());
      out.phonemes = phonemes[i];
      out.said = s.spoken;
      out.pause_after = s.pause_after;
      out.ends_paragraph = s.ends_paragraph;
      for (const auto& r : norm.explain(s.text)) {
        if (r.source == text::TokenReport::Source::Plain || r.written.empty()) continue;
        out.reasons.push_back({r.written, text::displayForm(r.spoken, norm.lexicon()), r.why,
                               r.source == text::TokenReport::Source::Guess});
      }
      script.segments.push_back(std::move(out));
    }
    return script;
  });
}

std::vector<CheckRow> Studio::check(const fs::path& article, const std::string& voice_name) {
  return guarded([&] {
    requireArticle(article);
    const speech::VoiceProfile voice = voiceNamed(voice_name);
    std::vector<CheckRow> rows;
    for (const auto& r : app::lexiconCheckRows(article, impl_->narrator, voice)) {
      // An unknown name (Plain) is a guess too: nothing said how to read it.
      const bool guess = r.source == text::TokenReport::Source::Guess || r.source == text::TokenReport::Source::Plain;
      const CheckSource source = guess                                            ? CheckSource::Guess
                                 : r.source == text::TokenReport::Source::Lexicon ? CheckSource::Lexicon
                                                                                  : CheckSource::Rule;
      rows.push_back({article, r.line, r.written, r.spoken, r.why, guess, source});
    }
    return rows;
  });
}

void Studio::writeCheck(const std::vector<fs::path>& articles, const std::string& voice_name, std::ostream& out) {
  guarded([&] {
    for (const auto& a : articles) requireArticle(a);
    std::vector<std::string> names;
    for (const auto& a : articles) names.push_back(a.string());
    app::lexiconCheck(names, voiceNamed(voice_name), out, impl_->options.lexicons);
  });
}

RenderResult Studio::Impl::say(const std::vector<std::vector<text::Segment>>& stories,
                               const std::vector<fs::path>& articles, const speech::VoiceProfile& voice,
                               const SayOptions& o, ProgressReporter& progress, bool from_files) {
  encode::OutputSettings settings = sayOutputSettings(o.bitrate_kbps);
  app::RunFiles files;
  app::addVoiceInputs(files, voice);
  for (const auto& a : articles) files.reads(a, "article");
  for (const auto& l : options.lexicons) files.reads(l, "lexicon");
  files.writes(o.output, "audio output");
  if (o.transcript) app::addTranscriptOutputs(files, o.output);
  if (o.talking_book) app::addTalkingBookOutput(files, o.output);
  if (!o.timeline.empty()) files.writes(o.timeline, "timeline");
  if (!o.cache_dir.empty()) files.deletesUnder(o.cache_dir / "chunks", "chunk cache");
  files.check();
  // An MP3 made from article files records what it was made from, so `say
  // --each` skips it when current (and both make the same bytes).
  if (from_files && outputFormatOf(o.output, settings.container) == encode::OutputFormat::Mp3)
    settings.tags.source_key = app::sourceKey(
        articles, app::inputsKey(voice, keyOptions(o.transcript, o.transcript_spoken, o.talking_book, settings)));

  const std::optional<std::string> timeline =
      o.timeline.empty() ? std::nullopt : std::optional<std::string>(o.timeline.string());
  encode::Publication publication;
  app::stageOutputs(publication, o.output, o.transcript, o.talking_book, timeline);
  app::RenderOptions render = renderOptions(o.jobs, o.cache_dir);
  render.chunk_ended = chunkProgress(progress, 0.1, 0.9);
  const RenderReport report = app::sayStories(stories, articles, narrator, o.output, voice, settings, {}, render);
  app::throwIfInterrupted();  // a signal during the render: nothing is committed
  progress.rethrow();
  RenderResult result = resultOf(report);
  progress.report("write", 0.9, 1.0, 0, 1, "files beside " + o.output.filename().string());
  if (timeline) {
    app::writeTimeline(report, *timeline);
    result.files.push_back(*timeline);
  }
  if (o.transcript) {
    app::writeTranscriptFiles(report, o.transcript_spoken ? app::TranscriptText::Spoken : app::TranscriptText::Written);
    for (const auto& f : publish::transcriptPathsFor(o.output).all()) result.files.push_back(f);
  }
  if (o.talking_book) {
    app::writeTalkingBookFile(report, {});
    result.files.push_back(publish::talkingBookPathFor(o.output));
  }
  app::throwIfInterrupted();
  progress.rethrow();
  publication.commitAll();
  progress.report("done", 1.0, 1.0, 1, 1, result.output.string());
  progress.rethrow();
  return result;
}

RenderResult Studio::render(const std::vector<fs::path>& articles, const SayOptions& options,
                            const ProgressCallback& callback) {
  options.validate();
  if (articles.empty()) usage("render needs at least one article");
  if (articles.size() > 255)
    usage("render takes at most 255 articles into one file (one chapter each), not " + std::to_string(articles.size()));
  return guarded([&] {
    for (const auto& a : articles) requireArticle(a);
    speech::VoiceProfile voice = voiceNamed(options.voice);
    if (options.rate_wpm != 0) voice.rate_wpm = options.rate_wpm;
    ProgressReporter progress(callback);
    std::vector<std::vector<text::Segment>> stories;
    for (std::size_t i = 0; i < articles.size(); ++i) {
      stories.push_back(impl_->narrator.prepare(articles[i], voice, text::kMaxArticleBytes));
      progress.report("prepare", 0, 0.1, i + 1, articles.size(), articles[i].string());
      progress.rethrow();
    }
    return impl_->say(stories, articles, voice, options, progress, true);
  });
}

RenderResult Studio::render(const std::vector<Script>& scripts, const SayOptions& options,
                            const ProgressCallback& callback) {
  options.validate();
  if (scripts.empty()) usage("render needs at least one script");
  if (scripts.size() > 255)
    usage("render takes at most 255 scripts into one file (one chapter each), not " + std::to_string(scripts.size()));
  return guarded([&] {
    speech::VoiceProfile voice = voiceNamed(options.voice);
    if (options.rate_wpm != 0) voice.rate_wpm = options.rate_wpm;
    ProgressReporter progress(callback);
    std::vector<std::vector<text::Segment>> stories;
    std::vector<fs::path> names;
    for (std::size_t i = 0; i < scripts.size(); ++i) {
      const Script& script = scripts[i];
      std::vector<text::Segment> story;
      for (const auto& s : script.segments) {
        if (!(s.pause_after >= 0 && s.pause_after <= 60))
          usage(script.article.string() + ":" + std::to_string(s.line) + ": pause_after must be 0 to 60 seconds");
        text::Segment seg;
        seg.kind = internalKind(s.kind);
        seg.text = s.written;
        seg.spoken = s.said;  // no written words: each segment is one unit in the transcripts
        seg.ends_paragraph = s.ends_paragraph;
        seg.pause_after = s.pause_after;
        seg.line = s.line;
        story.push_back(std::move(seg));
      }
      stories.push_back(std::move(story));
      names.push_back(script.article.empty() ? fs::path("script " + std::to_string(i + 1)) : script.article);
      progress.report("prepare", 0, 0.1, i + 1, scripts.size(), names.back().string());
      progress.rethrow();
    }
    // Scripts are text the caller holds: the articles they name are not read again.
    return impl_->say(stories, names, voice, options, progress, false);
  });
}

RenderResult Studio::render(const Rundown& rundown_handle, const BuildOptions& o, const ProgressCallback& callback) {
  o.validate();
  return guarded([&] {
    app::Rundown rundown = rundown_handle.impl_->rundown;  // a copy: fetching replaces its source items
    const fs::path out_dir = !o.out_dir.empty() ? o.out_dir : rundown.path.parent_path();
    std::ostringstream no_log;
    const app::StorySourcesReport fetched =
        app::fetchStorySources(rundown, {out_dir, o.refresh}, o.log ? *o.log : no_log);
    const bool publishing = rundown.publish && o.publish;
    const bool transcripts = o.transcript || publishing;
    app::RunFiles files;
    app::addRundownInputs(files, rundown);
    const fs::path audio = app::bulletinPath(rundown, out_dir);
    const fs::path annotation = deliver::annotationPathFor(audio);
    files.writes(audio, "bulletin");
    if (transcripts) app::addTranscriptOutputs(files, audio);
    if (o.talking_book) {
      requireTalkingBookAudio(audio, rundown.output.container);
      app::addTalkingBookOutput(files, audio);
    }
    if (!o.timeline.empty()) files.writes(o.timeline, "timeline");
    files.writes(annotation, "Liquidsoap annotation");
    if (publishing) {
      files.writes(app::feedPath(*rundown.publish, out_dir), "podcast feed");  // its lock lives outside
      if (const auto& image = rundown.publish->image) {
        const fs::path artwork = publish::artworkPathIn(out_dir, *image);
        if (!publish::sameFile(*image, artwork)) files.writes(artwork, "feed artwork copy");  // else already served
      }
    }
    if (!o.cache_dir.empty()) files.deletesUnder(o.cache_dir / "chunks", "chunk cache");
    files.check();
    // A feed warta could not update (ill-formed, a DOCTYPE) stops the build now, not after rendering.
    if (publishing) publish::checkExistingFeed(app::feedPath(*rundown.publish, out_dir));

    const std::optional<std::string> timeline =
        o.timeline.empty() ? std::nullopt : std::optional<std::string>(o.timeline.string());
    encode::Publication publication;
    app::stageOutputs(publication, audio, transcripts, o.talking_book, timeline);
    publication.stage(annotation);
    const std::time_t started = std::time(nullptr);
    // The feed is not held, but what a killed update left of it goes too.
    if (publishing) encode::removeStaleTemporaries(app::feedPath(*rundown.publish, out_dir), std::chrono::hours(24));
    ProgressReporter progress(callback);
    progress.report("prepare", 0, 0.05, 0, rundown.stories.size(), rundown.path.string());
    app::RenderOptions render = renderOptions(o.jobs, o.cache_dir);
    render.chunk_ended = chunkProgress(progress, 0.05, 0.9);
    const RenderReport report = app::buildBulletin(rundown, out_dir, render);
    app::throwIfInterrupted();
    progress.rethrow();
    RenderResult result = resultOf(report);
    result.started = started;
    result.failed_sources = fetched.failed;
    progress.report("write", 0.9, 1.0, 0, 1, "files beside " + audio.filename().string());
    if (timeline) {
      app::writeTimeline(report, *timeline);
      result.files.push_back(*timeline);
    }
    encode::writeFileAtomically(annotation, deliver::liquidsoapAnnotation(report.cues, audio) + "\n");
    result.files.push_back(annotation);
    if (transcripts) {
      app::writeTranscriptFiles(report,
                                o.transcript_spoken ? app::TranscriptText::Spoken : app::TranscriptText::Written,
                                app::episodeTitle(rundown));
      for (const auto& f : publish::transcriptPathsFor(audio).all()) result.files.push_back(f);
    }
    if (o.talking_book) {
      publish::BookInfo info;
      info.title = app::episodeTitle(rundown);
      info.author = rundown.publish && !rundown.publish->author.empty() ? rundown.publish->author : rundown.station;
      info.publisher = rundown.station;
      info.date = rundown.date;
      app::writeTalkingBookFile(report, info);
      result.files.push_back(publish::talkingBookPathFor(audio));
    }
    app::throwIfInterrupted();
    progress.rethrow();
    if (publishing) {
      app::publishEpisode(rundown, report, out_dir);  // last: nothing after it can fail but the renames
      result.files.push_back(app::feedPath(*rundown.publish, out_dir));
    }
    publication.commitAll();
    if (!fetched.fetched.empty()) sources::recordAired(out_dir, rundown.outputName(), fetched.fetched);
    progress.report("done", 1.0, 1.0, 1, 1, audio.string());
    progress.rethrow();
    return result;
  });
}

EachResult Studio::render(const EachOptions& o) {
  o.validate();
  return guarded([&] {
    const app::Shard shard =
        o.shard.empty() ? app::Shard{} : app::parseShard(o.shard, [](const char* name) { return std::getenv(name); });
    speech::VoiceProfile voice = voiceNamed(o.voice);
    if (o.rate_wpm != 0) voice.rate_wpm = o.rate_wpm;
    // The default bit rate, as one `say` of the article makes (the same bytes).
    const encode::OutputSettings settings = sayOutputSettings(SayOptions{}.bitrate_kbps);
    // Every shard's articles and outputs are checked, so shards never write onto each other's files.
    const std::vector<fs::path> all = app::listArticles(o.dir);
    app::RunFiles files;
    app::addVoiceInputs(files, voice);
    for (const auto& a : all) files.reads(a, "article");
    for (const auto& a : all) {
      const fs::path audio = app::outputFor(a, o.dir, o.out_dir, kEachExtension);
      files.writes(audio, "MP3 of " + a.string());
      if (o.transcript) app::addTranscriptOutputs(files, audio);
      if (o.talking_book) app::addTalkingBookOutput(files, audio);
    }
    if (!o.cache_dir.empty()) files.deletesUnder(o.cache_dir / "chunks", "chunk cache");
    files.check();
    if (all.empty()) usage(o.dir.string() + ": no articles (.txt or .md)");
    EachResult result;
    result.shard_index = shard.index;
    result.shard_count = shard.count;
    const std::vector<fs::path> articles = app::shareOf(all, o.dir, shard);
    result.articles = articles.size();
    // A job array has more shards than some batches have articles: an empty share is done, not wrong.
    if (articles.empty()) return result;
    app::BatchJob batch;
    const std::string inputs_key =
        app::inputsKey(voice, keyOptions(o.transcript, o.transcript_spoken, o.talking_book, settings));
    for (const auto& a : articles) batch.keys.push_back(app::sourceKey({a}, inputs_key));
    batch.articles = articles;
    batch.dir = o.dir;
    batch.out_dir = o.out_dir;
    batch.extension = kEachExtension;
    batch.voice = voice;
    batch.settings = settings;
    if (!o.cache_dir.empty()) batch.cache = o.cache_dir;
    if (o.transcript)
      batch.transcript = o.transcript_spoken ? app::TranscriptText::Spoken : app::TranscriptText::Written;
    batch.talking_book = o.talking_book;
    app::BatchResult done = app::sayEach(batch, o.jobs, o.progress_bar, o.log);
    result.written = std::move(done.written);
    result.skipped = std::move(done.skipped);
    result.failed = std::move(done.failed);
    return result;
  });
}

FetchResult Studio::fetch(const Rundown& rundown_handle, const FetchOptions& o) {
  return guarded([&] {
    app::Rundown rundown = rundown_handle.impl_->rundown;
    const fs::path out_dir = !o.out_dir.empty() ? o.out_dir : rundown.path.parent_path();
    std::ostringstream no_log;
    const app::StorySourcesReport fetched =
        app::fetchStorySources(rundown, {out_dir, o.refresh}, o.log ? *o.log : no_log);
    FetchResult result;
    for (const auto& story : fetched.fetched) result.articles.push_back(story.file);
    result.failed = fetched.failed;
    return result;
  });
}

std::vector<Delivery> Studio::deliver(const Rundown& rundown_handle, const RenderResult& bulletin, std::ostream* log) {
  return guarded([&] {
    const app::Rundown& rundown = rundown_handle.impl_->rundown;
    std::vector<Delivery> out;
    if (rundown.deliver.empty()) return out;
    for (const auto& f : deliver::expireDelivered(rundown.deliver, bulletin.started))
      if (log) *log << "warta: expired: removed " << f.string() << '\n';
    deliver::Edition e;
    e.audio = bulletin.output;
    e.seconds = bulletin.seconds;
    e.lufs = bulletin.measured_lufs;
    e.target_lufs = bulletin.loudness_lufs;
    e.schedule = app::scheduleOf(rundown, bulletin.started);
    e.title = rundown.output.tags.title;
    e.artist = rundown.station;
    for (const auto& c : bulletin.chapters) e.tag_text += (e.tag_text.empty() ? "" : "; ") + c.title;
    e.intro_end = bulletin.intro_seconds;
    e.last_words = bulletin.last_words;
    // The cart's OutCue holds 64 bytes: the last words, whole.
    if (e.last_words.size() > 60) {
      const std::size_t space = e.last_words.find(' ', e.last_words.size() - 60);
      e.last_words = e.last_words.substr(space == std::string::npos ? e.last_words.size() - 60 : space + 1);
    }
    for (const auto& r : deliver::deliverAll(e, rundown.deliver)) out.push_back({r.target, r.ok, r.detail});
    return out;
  });
}

std::vector<fs::path> Studio::expire(const Rundown& rundown_handle, std::time_t now) {
  return guarded([&] { return deliver::expireDelivered(rundown_handle.impl_->rundown.deliver, now); });
}

void Studio::normalize(const fs::path& article, const std::string& voice_name, bool phonemes,
                       const std::function<void(const std::string&)>& line) {
  guarded([&] {
    requireArticle(article);
    const speech::VoiceProfile voice = voiceNamed(voice_name);
    app::Narrator& narrator = impl_->narrator;
    if (!phonemes) {
      const text::Lexicon& lexicon = narrator.normalizer(voice).lexicon();
      narrator.prepareEach(article, voice, text::kMaxCheckedArticleBytes,
                           [&](const text::Segment& segment) { line(text::displayForm(segment.spoken, lexicon)); });
      return;
    }
    // The phonemes come from a worker (no eSpeak state in this process), a
    // batch of segments at a time so memory stays bounded.
    constexpr std::size_t kBatch = 512;
    std::vector<std::string> texts;
    const auto flush = [&] {
      if (texts.empty()) return;
      for (const auto& p : impl_->phonemes(texts, voice)) line(p);
      texts.clear();
    };
    narrator.prepareEach(article, voice, text::kMaxCheckedArticleBytes, [&](const text::Segment& segment) {
      texts.push_back(segment.spoken);
      if (texts.size() == kBatch) flush();
    });
    flush();
  });
}

void Studio::publish(const Rundown& rundown_handle, const RenderResult& bulletin, const fs::path& out_dir_given) {
  guarded([&] {
    const app::Rundown& rundown = rundown_handle.impl_->rundown;
    if (!rundown.publish) usage(rundown.path.string() + ": the rundown has no 'publish:' block (no feed to update)");
    const fs::path out_dir = !out_dir_given.empty() ? out_dir_given : rundown.path.parent_path();
    std::error_code ec;
    if (!fs::is_regular_file(bulletin.output, ec))
      throw Error(ErrorKind::Input, bulletin.output.string() + ": no such file (render the bulletin first)");
    if (!fs::is_regular_file(publish::transcriptPathsFor(bulletin.output).page, ec))
      usage(bulletin.output.string() +
            ": its transcripts and page are missing; the feed links to them (render with "
            "transcript = true)");
    app::RunFiles files;
    files.reads(bulletin.output, "bulletin");
    files.writes(app::feedPath(*rundown.publish, out_dir), "podcast feed");
    if (const auto& image = rundown.publish->image) {
      const fs::path artwork = publish::artworkPathIn(out_dir, *image);
      if (!publish::sameFile(*image, artwork)) files.writes(artwork, "feed artwork copy");
    }
    files.check();
    publish::checkExistingFeed(app::feedPath(*rundown.publish, out_dir));
    RenderReport report;
    report.output = bulletin.output;
    report.seconds = bulletin.seconds;
    for (const auto& c : bulletin.chapters) report.chapters.push_back({c.title, c.start, c.end});
    app::publishEpisode(rundown, report, out_dir);
  });
}

}  // namespace warta
