// SPDX-License-Identifier: GPL-3.0-or-later
// libwarta (include/warta/warta.h) over the rooms: the public types are
// plain copies of what render/, config/ and text/ make; the runs (`say`,
// `build`) go through the same checks and helpers as the CLI's
// (RunFiles, encode::Publication, render/publishing.h).
#include "warta/warta.h"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <new>
#include <optional>
#include <sstream>

#include "config/rundown.h"
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
  std::error_code ec;
  const fs::file_status status = fs::status(article, ec);
  if (!fs::exists(status)) throw Error(ErrorKind::Input, article.string() + ": no such file");
  if (!fs::is_regular_file(status))
    throw Error(ErrorKind::Input, article.string() + ": is " + app::describeFileType(status) + ", not a regular file");
}

speech::VoiceProfile voiceNamed(const std::string& name) {
  const fs::path file = app::findVoiceProfile(name, fs::current_path());
  if (file.empty())
    usage("unknown voice '" + name + "': no profile " + name + ".yaml in " + app::voicesDir().string() +
          " and no such file");
  return app::loadVoiceProfile(file);
}

std::string lowerExtension(const fs::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
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

// A file in $TMPDIR removed when it goes out of scope: how a worker hands
// back what it computed.
class TempFile {
 public:
  TempFile() {
    const char* dir = std::getenv("TMPDIR");
    std::string name = std::string(dir && *dir ? dir : "/tmp") + "/warta-api-XXXXXX";
    const int fd = ::mkstemp(name.data());
    if (fd < 0) throw Error(ErrorKind::Io, name + ": cannot create a temporary file");
    ::close(fd);
    path_ = name;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

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
  return out;
}

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

const char* kindName(SegmentKind kind) { return text::kindName(internalKind(kind)); }

fs::path defaultCacheDir() { return app::defaultCacheDir(); }

// ---- options --------------------------------------------------------------------

void SayOptions::validate() const {
  if (output.empty()) usage("SayOptions: 'output' is required (an .mp3 or .wav file)");
  const std::string ext = lowerExtension(output);
  if (ext != ".mp3" && ext != ".wav") usage("SayOptions: output '" + output.string() + "' must end in .mp3 or .wav");
  if (voice.empty()) usage("SayOptions: 'voice' must name a voice profile");
  if (rate_wpm != 0 && (rate_wpm < 80 || rate_wpm > 450))
    usage("SayOptions: rate_wpm must be 0 (the voice's own) or between 80 and 450 words per minute, not " +
          std::to_string(rate_wpm));
  static const int kRates[] = {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
  if (std::find(std::begin(kRates), std::end(kRates), bitrate_kbps) == std::end(kRates))
    usage("SayOptions: bitrate_kbps must be an MP3 bit rate (32 ... 320 kb/s), not " + std::to_string(bitrate_kbps));
  if (talking_book && ext != ".mp3")
    usage("SayOptions: talking_book needs an MP3 output (an EPUB 3 talking book holds MP3), not '" + output.string() +
          "'");
  validateCommon(jobs, timeline, transcript, transcript_spoken);
}

void BuildOptions::validate() const { validateCommon(jobs, timeline, transcript, transcript_spoken); }

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
                   const speech::VoiceProfile& voice, const SayOptions& o, ProgressReporter& progress);
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

    // eSpeak runs in a warta-worker process: it keeps global state, which a
    // threaded caller (a web studio) must not share, and a render's workers
    // must start from an eSpeak that has said nothing.
    TempFile said;
    app::PhonemesJob job;
    job.voice = voice;
    job.lexicons = impl_->options.lexicons;
    for (const auto& s : segments) job.texts.push_back(s.spoken);
    const app::JobFile job_file(app::encodePhonemesJob(job));
    app::runInWorkers({0}, 1, [&](std::size_t) { return app::phonemesRequest(job_file.path(), said.path()); });
    std::ifstream in(said.path(), std::ios::binary);
    std::vector<std::string> phonemes;
    for (std::string p; std::getline(in, p, '\0');) phonemes.push_back(p);
    if (phonemes.size() != segments.size())
      throw Error(ErrorKind::Engine, article.string() + ": eSpeak's phonemes came back for " +
                                         std::to_string(phonemes.size()) + " of " + std::to_string(segments.size()) +
                                         " segments");

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
      rows.push_back({article, r.line, r.written, r.spoken, r.why, guess});
    }
    return rows;
  });
}

RenderResult Studio::Impl::say(const std::vector<std::vector<text::Segment>>& stories,
                               const std::vector<fs::path>& articles, const speech::VoiceProfile& voice,
                               const SayOptions& o, ProgressReporter& progress) {
  // Listening to an article: speech only, so mono at a speech-friendly bit rate (as `warta say`).
  encode::OutputSettings settings;
  settings.channels = 1;
  settings.bitrate_kbps = o.bitrate_kbps;
  settings.tags.genre = "Speech";
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

  const std::optional<std::string> timeline =
      o.timeline.empty() ? std::nullopt : std::optional<std::string>(o.timeline.string());
  encode::Publication publication;
  app::stageOutputs(publication, o.output, o.transcript, o.talking_book, timeline);
  app::RenderOptions render = renderOptions(o.jobs, o.cache_dir);
  render.chunk_ended = chunkProgress(progress, 0.1, 0.9);
  const RenderReport report = app::sayStories(stories, articles, narrator, o.output, voice, settings, {}, render);
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
    return impl_->say(stories, articles, voice, options, progress);
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
    return impl_->say(stories, names, voice, options, progress);
  });
}

RenderResult Studio::render(const Rundown& rundown_handle, const BuildOptions& o, const ProgressCallback& callback) {
  o.validate();
  return guarded([&] {
    const app::Rundown& rundown = rundown_handle.impl_->rundown;
    const fs::path out_dir = !o.out_dir.empty() ? o.out_dir : rundown.path.parent_path();
    const bool publishing = rundown.publish && o.publish;
    const bool transcripts = o.transcript || publishing;
    app::RunFiles files;
    app::addRundownInputs(files, rundown);
    const fs::path audio = app::bulletinPath(rundown, out_dir);
    files.writes(audio, "bulletin");
    if (transcripts) app::addTranscriptOutputs(files, audio);
    if (o.talking_book) {
      if (lowerExtension(audio) != ".mp3")
        usage("talking_book needs an MP3 output (an EPUB 3 talking book holds MP3), not '" + audio.string() + "'");
      app::addTalkingBookOutput(files, audio);
    }
    if (!o.timeline.empty()) files.writes(o.timeline, "timeline");
    if (publishing) {
      files.writes(app::feedPath(*rundown.publish, out_dir), "podcast feed");
      if (const auto& image = rundown.publish->image) {
        const fs::path artwork = publish::artworkPathIn(out_dir, *image);
        if (!publish::sameFile(*image, artwork)) files.writes(artwork, "feed artwork copy");
      }
    }
    if (!o.cache_dir.empty()) files.deletesUnder(o.cache_dir / "chunks", "chunk cache");
    files.check();
    if (publishing) publish::checkExistingFeed(app::feedPath(*rundown.publish, out_dir));

    const std::optional<std::string> timeline =
        o.timeline.empty() ? std::nullopt : std::optional<std::string>(o.timeline.string());
    encode::Publication publication;
    app::stageOutputs(publication, audio, transcripts, o.talking_book, timeline);
    ProgressReporter progress(callback);
    progress.report("prepare", 0, 0.05, 0, rundown.stories.size(), rundown.path.string());
    app::RenderOptions render = renderOptions(o.jobs, o.cache_dir);
    render.chunk_ended = chunkProgress(progress, 0.05, 0.9);
    const RenderReport report = app::buildBulletin(rundown, out_dir, render);
    progress.rethrow();
    RenderResult result = resultOf(report);
    progress.report("write", 0.9, 1.0, 0, 1, "files beside " + audio.filename().string());
    if (timeline) {
      app::writeTimeline(report, *timeline);
      result.files.push_back(*timeline);
    }
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
    progress.rethrow();
    if (publishing) {
      app::publishEpisode(rundown, report, out_dir);  // last: nothing after it can fail but the renames
      result.files.push_back(app::feedPath(*rundown.publish, out_dir));
    }
    publication.commitAll();
    progress.report("done", 1.0, 1.0, 1, 1, audio.string());
    progress.rethrow();
    return result;
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
