#include "render/pipeline.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include <stdlib.h>

#include "render/chunk_cache.h"
#include "config/g2p_loader.h"
#include "config/language_loader.h"
#include "config/pace.h"
#include "render/render_plan.h"
#include "render/workers.h"
#include "encode/atomic_file.h"
#include "text/article.h"
#include "text/segment.h"

namespace warta::app {
namespace fs = std::filesystem;

bool insideFolder(const fs::path& path, const fs::path& folder) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) return false;
  // An empty folder is the current one (a rundown named without a folder).
  const fs::path f = fs::weakly_canonical(fs::absolute(folder.empty() ? fs::path(".") : folder, ec), ec);
  if (ec) return false;
  const fs::path rel = p.lexically_relative(f);
  return !rel.empty() && rel != "." && *rel.begin() != "..";
}


Narrator::Narrator(std::vector<fs::path> extra_lexicons) : extra_lexicons_(std::move(extra_lexicons)) {}

const text::Normalizer& Narrator::normalizer(const speech::VoiceProfile& voice) {
  const text::NormalizerOptions& o = voice.normalization;
  const std::string options = std::to_string(o.read_degrees) + std::to_string(o.read_repeated_acronyms) +
                              std::to_string(o.read_dateline_source);
  auto& slot = normalizers_[{voice.language_dir, options}];
  if (!slot) {
    text::Lexicon lexicon = loadLexicon(voice.language_dir / "lexicon.yaml");
    for (const auto& extra : extra_lexicons_) lexicon.merge(loadLexicon(extra));
    slot = std::make_unique<text::Normalizer>(loadLanguage(voice.language_dir), std::move(lexicon), o);
  }
  return *slot;
}

std::vector<text::Segment> Narrator::prepare(const fs::path& article, const speech::VoiceProfile& voice,
                                             std::size_t max_bytes) {
  const text::Normalizer& norm = normalizer(voice);
  std::vector<text::Segment> segments =
      text::segmentArticle(text::readArticle(article, max_bytes), voice.pauses, norm.abbreviations(),
                           norm.options().read_dateline_source);
  norm.normalize(segments);
  return segments;
}

void Narrator::eachSegment(const text::Article& article, const speech::VoiceProfile& voice,
                           const std::function<void(text::Segment&&)>& emit) {
  const text::Normalizer& norm = normalizer(voice);
  text::forEachSegment(article, voice.pauses, norm.abbreviations(), norm.options().read_dateline_source, emit);
}

void Narrator::prepareEach(const fs::path& article, const speech::VoiceProfile& voice, std::size_t max_bytes,
                           const std::function<void(const text::Segment&)>& emit) {
  // Segments are normalized a batch at a time: the normalizer's tables are
  // built once per batch, and only one batch is held.
  constexpr std::size_t kBatch = 256;
  const text::Normalizer& norm = normalizer(voice);
  std::vector<text::Segment> batch;
  auto flush = [&] {
    norm.normalize(batch);
    for (const text::Segment& s : batch) emit(s);
    batch.clear();
  };
  eachSegment(text::readArticle(article, max_bytes), voice, [&](text::Segment&& s) {
    batch.push_back(std::move(s));
    if (batch.size() == kBatch) flush();
  });
  flush();
}

const g2p::LetterToSound* Narrator::letterToSound(const speech::VoiceProfile& voice) {
  auto [it, fresh] = letter_to_sound_.try_emplace(voice.language_dir);
  if (fresh)
    if (std::optional<g2p::G2pData> data = loadLetterToSound(voice.language_dir)) {
      it->second = std::make_unique<g2p::LetterToSound>(std::move(*data));
      // Respellings were written for eSpeak's rules: their words stay eSpeak's
      // unless a word list knows them or they mark their e's (é, ê).
      std::vector<std::string> respelled;
      for (const text::LexiconEntry* e : normalizer(voice).lexicon().entries()) {
        std::size_t start = 0;
        const std::string& r = e->respelling;
        while (start < r.size()) {
          const std::size_t space = std::min(r.find(' ', start), r.size());
          if (space > start) respelled.push_back(r.substr(start, space - start));
          start = space + 1;
        }
      }
      it->second->leaveToEspeak(respelled);
    }
  return it->second.get();
}

std::string Narrator::speakable(const std::string& spoken, const speech::VoiceProfile& voice) {
  const g2p::LetterToSound* g2p = letterToSound(voice);
  return g2p != nullptr ? g2p->transcribe(spoken) : spoken;
}

std::string Narrator::phonemes(const std::string& spoken, const speech::VoiceProfile& voice) {
  const std::string said = speakable(spoken, voice);
  if (!engine_) engine_ = std::make_unique<speech::EspeakEngine>();
  engine_->setVoice(voice);
  return engine_->phonemes(said);
}

namespace {

// The MP3 encoder can put decoded peaks a little above what went in, so lossy
// outputs are limited this far under the rundown's ceiling.
constexpr double kLossyMarginDb = 1.0;
constexpr double kLosslessMarginDb = 0.1;
// A chunk is cut in a pause only if both halves keep this much silence: the
// next chunk's encoder starts with ~1105 samples of delay (25 ms at 44.1 kHz,
// 50 ms at 22.05 kHz) that decode over the end of the chunk before.
constexpr double kCutSilence = 0.12;

// The podcast preset's loudness for the output's channels: -16 LUFS stereo,
// -19 LUFS mono (AES TD1004.1.15-10, "Recommendation for Loudness of Audio
// Streaming and Network File Playback"): a mono file plays on both speakers,
// 3 dB louder than a stereo file of the same measured loudness. Presets other
// than podcast and explicit values are kept as they are.
LoudnessTarget programmeTarget(const LoudnessTarget& loudness, int channels) {
  LoudnessTarget t = loudness;
  if (t.name == "podcast" && channels == 1) t.integrated = -19.0;
  return t;
}

// The loudness and ceiling to render at, so the encoded file measures `loudness`.
LoudnessTarget renderTarget(const LoudnessTarget& loudness, const fs::path& output, const encode::OutputSettings& out) {
  LoudnessTarget t = loudness;
  const bool mp3 = encode::writesMp3(output, out);
  if (mp3) t.integrated += encode::mp3LevelLossDb(out.bitrate_kbps, out.channels, out.sample_rate);
  t.true_peak -= mp3 ? kLossyMarginDb : kLosslessMarginDb;
  return t;
}

// Builds a RenderPlan step by step, cutting a new chunk in pauses that are
// silent long enough: not under a bed, and after any bed fade-out.
class Planner {
 public:
  explicit Planner(RenderPlan& plan) : plan_(plan) { plan_.chunks.emplace_back(); }

  void add(Step step) {
    if (step.op == Step::Op::Pause) bed_fading_ = std::max(0.0, bed_fading_ - step.seconds);
    if (step.op == Step::Op::BedStart) bed_on_ = true;
    if (step.op == Step::Op::BedStop) bed_on_ = false, bed_fading_ = step.seconds;
    plan_.chunks.back().push_back(std::move(step));
  }
  void pause(const std::string& kind, double seconds, int story = -1) {
    Step s;
    s.op = Step::Op::Pause;
    s.kind = kind;
    s.story = story;
    s.seconds = seconds;
    add(std::move(s));
  }
  // A pause a new chunk may start in the middle of.
  void cutPause(const std::string& kind, double seconds) {
    const double half = seconds / 2;
    if (bed_on_ || half < bed_fading_ + kCutSilence) return pause(kind, seconds);
    pause(kind, half);
    plan_.chunks.emplace_back();
    pause(kind, seconds - half);
  }

 private:
  RenderPlan& plan_;
  bool bed_on_ = false;
  double bed_fading_ = 0;  // seconds of bed fade still sounding
};

Step jingleStep(const std::string& kind, const fs::path& file, double level) {
  Step s;
  s.op = Step::Op::Jingle;
  s.kind = kind;
  s.label = file.filename().string();
  s.file = file;
  s.level = level;
  return s;
}

// Gives a Voice or Story step the eSpeak rate at which its written words take
// as long as the voice's pace (real words per minute, pauses included) says.
void pace(Step& step, const speech::VoiceProfile& voice) {
  static std::map<fs::path, PaceData> loaded;  // per language folder; planning runs in one thread
  auto it = loaded.find(voice.language_dir);
  if (it == loaded.end()) it = loaded.emplace(voice.language_dir, loadPace(voice.language_dir)).first;
  std::size_t syllables = 0, words = 0;
  double pauses = 0;
  for (std::size_t i = 0; i < step.segments.size(); ++i) {
    syllables += countSyllables(step.segments[i].display, it->second);
    words += countWords(step.segments[i].label);
    if (i + 1 < step.segments.size()) pauses += step.segments[i].pause_after;
  }
  step.espeak_rate = espeakRate(syllables, words, pauses, voice.rate_wpm, it->second);
}

// A segment as the plan holds it: the spoken text for eSpeak, the written
// text a person reads (its units joined, or the segment's text if it has
// none) and the spoken form in words for editors.
// The phonemes warta's letter-to-sound chose are in the plan's spoken text
// (Narrator::speakable), so a chunk's cache key changes with the language data.
PlannedSegment plannedSegment(const text::Segment& segment, Narrator& narrator, const speech::VoiceProfile& voice,
                              bool with_part) {
  const text::Lexicon& lexicon = narrator.normalizer(voice).lexicon();
  PlannedSegment p;
  p.spoken = narrator.speakable(segment.spoken, voice);
  for (const auto& w : segment.words) p.label += (p.label.empty() ? "" : " ") + w.text;
  if (p.label.empty()) p.label = segment.text;
  p.pause_after = segment.pause_after;
  p.display = text::displayForm(segment.spoken, lexicon);
  if (with_part) p.part = text::kindName(segment.kind);
  p.ends_paragraph = segment.ends_paragraph;
  p.words = segment.words;
  return p;
}

// The opening or close: one line, leveled on its own.
Step voiceStep(const std::string& kind, const text::Segment& line, Narrator& narrator,
               const speech::VoiceProfile& voice, double overlap) {
  Step s;
  s.op = Step::Op::Voice;
  s.kind = kind;
  s.segments.push_back(plannedSegment(line, narrator, voice, false));
  s.label = s.segments.front().label;
  s.overlap = overlap;
  pace(s, voice);
  return s;
}

// A story's spoken segments.
Step storyStep(const std::vector<text::Segment>& segments, int index, int voice, Narrator& narrator,
               const speech::VoiceProfile& profile, const fs::path& file) {
  Step s;
  s.op = Step::Op::Story;
  s.kind = "speech";
  s.label = file.filename().string();  // names the story in errors
  s.story = index;
  s.voice = voice;
  for (const auto& segment : segments)
    if (!segment.spoken.empty()) s.segments.push_back(plannedSegment(segment, narrator, profile, true));
  pace(s, profile);
  return s;
}

Step chapterStep(const std::string& title) {
  Step s;
  s.op = Step::Op::Chapter;
  s.label = title;
  return s;
}

std::string fill(std::string templ, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values)
    for (std::size_t at = templ.find(key); at != std::string::npos; at = templ.find(key, at + value.size()))
      templ.replace(at, key.size(), value);
  return templ;
}

// The rundown's date: year, month (1-12), day, weekday (0 = Sunday).
struct RundownDate {
  int year;
  unsigned month, day, weekday;
};
RundownDate rundownDate(const Rundown& r) {
  const int y = std::stoi(r.date.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(r.date.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(r.date.substr(8, 2)));
  const std::chrono::weekday wd{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}};
  return {y, m, d, wd.c_encoding()};
}

// The opening and close as written text ("..., edisi Rabu, 11/6/2025.") for the normalizer to read.
std::pair<std::string, std::string> frameTexts(const Rundown& r, const Phrases& phrases,
                                               const std::vector<std::string>& weekdays) {
  const RundownDate date = rundownDate(r);
  const std::vector<std::pair<std::string, std::string>> values = {
      {"{show}", r.show},
      {"{weekday}", weekdays.at(date.weekday)},
      {"{date}", std::to_string(date.day) + "/" + std::to_string(date.month) + "/" + std::to_string(date.year)}};
  return {fill(phrases.opening, values), fill(phrases.closing, values)};
}

bool bedUnder(const Rundown& r, int story) {
  return r.bed && (r.bed->stories.empty() ||
                   std::find(r.bed->stories.begin(), r.bed->stories.end(), story) != r.bed->stories.end());
}

// A folder removed with everything in it when this goes out of scope: the
// chunks of a render made without a cache.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string templ = (fs::temp_directory_path() / "warta-chunks-XXXXXX").string();
    if (!::mkdtemp(templ.data())) throw audio::AudioError(templ + ": cannot create a temporary folder");
    path_ = templ;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string exactLufs(double lufs) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << lufs;
  return o.str();
}

// Renders every chunk not in the cache (in workers), then joins them.
RenderReport renderPlan(const RenderPlan& plan, const RenderOptions& options) {
  std::optional<ScratchFolder> scratch;
  if (!options.cache) scratch.emplace();
  const ChunkCache cache(options.cache ? *options.cache : scratch->path());

  std::map<fs::path, std::string> hashes;
  auto file_hash = [&](const fs::path& file) -> const std::string& {
    auto& h = hashes[file];
    if (h.empty()) h = fileSha256(file);
    return h;
  };
  const std::string program = "program " + programBuildId() + " espeak " + speech::espeakVersion() + "\n";
  RenderReport report;
  std::vector<fs::path> paths;
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < plan.chunks.size(); ++i) {
    const std::string key = sha256Hex(program + describeChunk(plan, i, file_hash));
    paths.push_back(cache.pathFor(key));
    switch (cache.find(key)) {
      case ChunkCache::Lookup::Hit: ++report.cached_chunks; break;
      case ChunkCache::Lookup::Corrupt: ++report.corrupt_chunks; todo.push_back(i); break;
      case ChunkCache::Lookup::Miss: todo.push_back(i); break;
    }
  }
  // Longest first, so no worker is left with a long chunk at the end: the
  // cost is mostly encoding, which goes with the length of the speech.
  const auto cost = [&](std::size_t i) {
    std::size_t chars = 0;
    for (const Step& step : plan.chunks[i])
      for (const auto& seg : step.segments) chars += seg.spoken.size();
    return chars;
  };
  std::stable_sort(todo.begin(), todo.end(), [&](std::size_t a, std::size_t b) { return cost(a) > cost(b); });
  // Every chunk is rendered by an eSpeak that has spoken nothing else (its
  // output depends on what it said before): in a fresh worker, or here when
  // this process is such a worker and has one chunk to make.
  const auto job = [&](std::size_t i) { renderChunk(plan, i, paths[i]); };
  if (options.chunk_ended) options.chunk_ended(0, todo.size());
  if (options.in_process && todo.size() == 1) {
    job(todo.front());
    if (options.chunk_ended) options.chunk_ended(1, 1);
  } else {
    JobEnded ended;
    if (options.chunk_ended)
      ended = [&options](std::size_t, std::size_t done, std::size_t total, const std::string&) {
        options.chunk_ended(done, total);
      };
    try {
      runInWorkers(todo, options.in_process ? 1 : options.jobs, job, ended);
    } catch (...) {
      // Workers killed mid-chunk (a signal, a stall, a failed sibling) left
      // their temporaries in the cache: removed, without touching other runs'.
      for (std::size_t i : todo) encode::removeOrphanTemporaries(paths[i]);
      throw;
    }
  }

  std::vector<bool> rendered(plan.chunks.size(), false);
  for (std::size_t i : todo) rendered[i] = true;
  // The chunks' reports, placed at their offsets; a pause cut in two is one again.
  const double rate = plan.settings.sample_rate;
  std::int64_t frames = 0;
  std::vector<encode::Chapter> chapters;
  bool audible = false;                // some chunk has a block above the -70 LUFS gate
  std::vector<std::string> too_quiet;  // the elements the leveler could not bring up
  for (std::size_t i = 0; i < paths.size(); ++i) {
    // Checked whole by the cache lookup or just written; the join checks it again.
    const ChunkReport c = decodeReport(encode::ChunkReader(paths[i], false).meta(), paths[i]);
    audible = audible || std::isfinite(c.loudness);
    too_quiet.insert(too_quiet.end(), c.too_quiet.begin(), c.too_quiet.end());
    const double offset = static_cast<double>(frames) / rate;
    report.chunk_starts.push_back(static_cast<std::size_t>(frames));
    for (std::size_t k = 0; k < c.timeline.size(); ++k) {
      TimelineEntry e = c.timeline[k];
      e.start += offset;
      e.end += offset;
      for (auto& w : e.words) w.start += offset, w.end += offset;
      auto& t = report.timeline;
      if (k == 0 && !t.empty() && t.back().kind == e.kind && t.back().label.empty() && e.label.empty() &&
          t.back().story == e.story && std::abs(t.back().end - e.start) < 1e-6) {
        t.back().end = e.end;
        continue;
      }
      t.push_back(std::move(e));
    }
    for (const auto& [title, start] : c.chapters) chapters.push_back({title, start + offset, start + offset});
    report.speech_seconds += c.speech_seconds;
    report.limiter_reduction_db = std::max(report.limiter_reduction_db, c.limiter_reduction_db);
    if (rendered[i]) {  // times of work done now, not when a cached chunk was made
      report.mastering_seconds += c.mastering_seconds;
      report.encode_seconds += c.encode_seconds;
    }
    frames += c.frames;
  }
  report.frames = static_cast<std::size_t>(frames);
  report.seconds = static_cast<double>(frames) / rate;
  for (std::size_t i = 0; i < chapters.size(); ++i)
    chapters[i].end = i + 1 < chapters.size() ? chapters[i + 1].start : report.seconds;
  // The one place a programme's loudness is judged as a whole: silence
  // cannot be leveled to the target, and a silent file reported at -16 LUFS
  // would go to air. Decided before the join, so nothing is written.
  if (!audible) {
    std::string what;
    for (const auto& name : too_quiet) what += (what.empty() ? "" : ", ") + name;
    throw audio::AudioError(plan.output.string() +
                            ": the rendered audio is silent (integrated loudness -inf: nothing above -70 LUFS), so it "
                            "cannot be leveled to " + exactLufs(plan.report_lufs) + " LUFS" +
                            (what.empty() ? std::string() : "; silent: " + what) + "; nothing written");
  }
  encode::joinChunks(plan.output, plan.settings, paths, chapters);
  report.output = plan.output;
  report.chapters = std::move(chapters);
  report.chunks = plan.chunks.size();
  report.target_lufs = plan.report_lufs;
  if (options.cache && !options.in_process) cache.prune(kCacheMaxBytes);  // a batch prunes once, at its end
  return report;
}

}  // namespace

std::string episodeTitle(const Rundown& rundown) {
  const text::LanguageData language = loadLanguage(rundown.voice.language_dir);
  const RundownDate date = rundownDate(rundown);
  return rundown.show + ", " + language.calendar.weekdays.at(date.weekday) + ", " + std::to_string(date.day) + " " +
         language.calendar.months.at(date.month - 1) + " " + std::to_string(date.year);
}

fs::path bulletinPath(const Rundown& rundown, const fs::path& out_dir) {
  const fs::path path = out_dir / rundown.outputName();
  // Checked again where it is used: whatever filled the name, it stays inside.
  if (!insideFolder(path, out_dir))
    throw std::runtime_error(rundown.path.string() + ": output file " + path.string() + " is outside the output folder " +
                             out_dir.string());
  return path;
}

RenderReport buildBulletin(const Rundown& rundown, const fs::path& out_dir, const RenderOptions& options) {
  Narrator narrator(rundown.lexicons);
  RenderPlan plan;
  plan.output = bulletinPath(rundown, out_dir);
  const LoudnessTarget loudness = programmeTarget(rundown.loudness, rundown.output.channels);
  plan.render = renderTarget(loudness, plan.output, rundown.output);
  plan.report_lufs = loudness.integrated;
  plan.codec = encode::writesMp3(plan.output, rundown.output) ? encode::ChunkCodec::Mp3 : encode::ChunkCodec::Pcm16;
  const speech::VoiceProfile& frame = rundown.voice;  // the voice that opens and closes sets the transitions
  plan.join_fade = frame.join_fade;
  plan.voices.push_back(rundown.voice);
  if (rundown.bed) {
    plan.bed_file = rundown.bed->file;
    plan.bed_level = rundown.bed_level;
    plan.bed_mix = rundown.bed->mix;
  }
  // Read and check everything before anything is rendered.
  std::vector<std::vector<text::Segment>> stories;
  for (const Story& story : rundown.stories) stories.push_back(narrator.prepare(story.file, story.voice));
  const text::Normalizer& norm = narrator.normalizer(rundown.voice);
  const auto [opening, closing] =
      frameTexts(rundown, loadPhrases(rundown.voice.language_dir), norm.language().calendar.weekdays);
  std::vector<text::Segment> frame_lines(2);  // the opening and the close, normalized as segments are
  frame_lines[0].text = opening;
  frame_lines[1].text = closing;
  norm.normalize(frame_lines);

  plan.settings = rundown.output;
  if (plan.settings.tags.comment.empty()) {  // the episode's contents: its headlines
    for (const auto& story : stories)
      if (!story.empty()) plan.settings.tags.comment += (plan.settings.tags.comment.empty() ? "" : "; ") + story.front().text;
  }

  Planner p(plan);
  const double gap = frame.story_gap;
  const bool whole_bed = rundown.bed && rundown.bed->stories.empty();
  double overlap = 0.0;
  // Chapters cover the whole file: the intro and opening are the show's own
  // chapter from 0; the close belongs to the last story's.
  p.add(chapterStep(episodeTitle(rundown)));
  if (rundown.intro) {
    p.add(jingleStep("intro", *rundown.intro, rundown.jingle_level));
    if (rundown.intro_overlap > 0) overlap = rundown.intro_overlap;  // clipped to the intro when rendered
    else p.pause("gap", frame.jingle_pause);
  }
  // The bed starts with the first voice, under the crossfade too.
  if (whole_bed) {
    Step bed;
    bed.op = Step::Op::BedStart;
    bed.overlap = overlap;
    p.add(std::move(bed));
  }
  p.add(voiceStep("opening", frame_lines[0], narrator, rundown.voice, overlap));
  p.cutPause("gap", gap);
  for (std::size_t i = 0; i < stories.size(); ++i) {
    const int index = static_cast<int>(i);
    const bool own_bed = !whole_bed && bedUnder(rundown, index);
    plan.voices.push_back(rundown.stories[i].voice);
    const int voice = static_cast<int>(plan.voices.size() - 1);
    if (own_bed) {
      Step bed;
      bed.op = Step::Op::BedStart;
      p.add(std::move(bed));
    }
    p.add(chapterStep(stories[i].empty() ? rundown.stories[i].file.stem().string() : stories[i].front().text));
    p.add(storyStep(stories[i], index, voice, narrator, rundown.stories[i].voice, rundown.stories[i].file));
    if (own_bed) {
      Step stop;
      stop.op = Step::Op::BedStop;
      stop.seconds = frame.bed_fade_out;
      p.add(std::move(stop));
    }
    if (i + 1 < stories.size() && rundown.stinger) {
      p.pause("gap", frame.jingle_pause);
      p.add(jingleStep("stinger", *rundown.stinger, rundown.jingle_level));
      p.cutPause("gap", frame.jingle_pause);
    } else {
      p.cutPause("gap", gap);
    }
  }
  p.add(voiceStep("closing", frame_lines[1], narrator, rundown.voice, 0.0));
  if (whole_bed) {
    Step stop;
    stop.op = Step::Op::BedStop;
    stop.seconds = frame.bed_fade_out;
    p.add(std::move(stop));
  }
  if (rundown.outro) {
    p.pause("gap", frame.jingle_pause);
    p.add(jingleStep("outro", *rundown.outro, rundown.jingle_level));
  } else if (rundown.bed) {
    p.pause("gap", frame.bed_fade_out);  // let the bed fade out rather than stop
  }

  std::error_code ec;
  // The bulletin's own folder: output.file may name one inside out_dir ("{show}/{date}.mp3").
  if (!plan.output.parent_path().empty()) fs::create_directories(plan.output.parent_path(), ec);
  if (ec) throw audio::AudioError(plan.output.parent_path().string() + ": cannot create output folder: " + ec.message());
  return renderPlan(plan, options);
}

RenderReport sayArticles(const std::vector<fs::path>& articles, const fs::path& output,
                         const speech::VoiceProfile& voice, const encode::OutputSettings& settings,
                         const LoudnessTarget& loudness, const RenderOptions& options) {
  Narrator narrator;
  std::vector<std::vector<text::Segment>> stories;
  for (const auto& article : articles) stories.push_back(narrator.prepare(article, voice));
  return sayStories(stories, articles, narrator, output, voice, settings, loudness, options);
}

RenderReport sayStories(const std::vector<std::vector<text::Segment>>& stories, const std::vector<fs::path>& articles,
                        Narrator& narrator, const fs::path& output, const speech::VoiceProfile& voice,
                        const encode::OutputSettings& settings, const LoudnessTarget& loudness,
                        const RenderOptions& options) {
  if (articles.size() != stories.size()) throw std::invalid_argument("sayStories: one article name per story");
  RenderPlan plan;
  plan.output = output;
  plan.settings = settings;
  if (plan.settings.tags.title.empty() && !stories.empty() && !stories.front().empty())
    plan.settings.tags.title = stories.front().front().text;
  const LoudnessTarget target = programmeTarget(loudness, plan.settings.channels);
  plan.render = renderTarget(target, output, plan.settings);
  plan.report_lufs = target.integrated;
  plan.codec = encode::writesMp3(output, plan.settings) ? encode::ChunkCodec::Mp3 : encode::ChunkCodec::Pcm16;
  plan.join_fade = voice.join_fade;
  plan.voices.push_back(voice);
  Planner p(plan);
  for (std::size_t i = 0; i < stories.size(); ++i) {
    if (!stories[i].empty()) p.add(chapterStep(stories[i].front().text));
    p.add(storyStep(stories[i], static_cast<int>(i), 0, narrator, voice, articles[i]));
    if (i + 1 < stories.size()) p.cutPause("gap", voice.story_gap);
  }
  return renderPlan(plan, options);
}

void writeTimeline(const RenderReport& report, const fs::path& file) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3);
  for (const auto& e : report.timeline)
    out << e.start << '\t' << e.end << '\t' << e.kind << '\t' << e.story << '\t' << (e.spoken.empty() ? e.label : e.spoken)
        << '\n';
  encode::writeFileAtomically(file, out.str());
}

}  // namespace warta::app
