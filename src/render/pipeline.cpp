// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/pipeline.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <set>
#include <stdexcept>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include <malloc.h>
#include <stdlib.h>

#include "audio/av_handles.h"
#include "render/chunk_cache.h"
#include "render/layout.h"
#include "render/speech_file.h"
#include "config/g2p_loader.h"
#include "config/language_loader.h"
#include "config/pace.h"
#include "config/station_loader.h"
#include "station/station.h"
#include "render/render_plan.h"
#include "render/worker_jobs.h"
#include "render/workers.h"
#include "encode/atomic_file.h"
#include "encode/chunk_stats.h"
#include "encode/id3_tag.h"
#include "deliver/targets.h"
#include "text/article.h"
#include "text/numbers.h"
#include "text/date.h"
#include "text/template.h"
#include "text/segment.h"
#include "speech/espeak_engine.h"  // espeakVersion(): the engine's version is part of a chunk's cache key

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
  std::vector<text::Segment> segments = text::segmentArticle(text::readArticle(article, max_bytes), voice.pauses,
                                                             norm.abbreviations(), norm.options().read_dateline_source);
  norm.normalize(segments);
  return segments;
}

std::vector<text::Segment> Narrator::prepareArticle(const text::Article& article, const speech::VoiceProfile& voice) {
  const text::Normalizer& norm = normalizer(voice);
  std::vector<text::Segment> segments =
      text::segmentArticle(article, voice.pauses, norm.abbreviations(), norm.options().read_dateline_source);
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
  // Segments are normalized a batch at a time, and only one batch is held.
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
  if (!engine_) engine_ = speech::makeEngine();
  engine_->setVoice(voice);
  return engine_->phonemes(said);
}

namespace {

// The MP3 encoder can put decoded peaks a little above what went in, so lossy
// outputs are limited this far under the rundown's ceiling.
constexpr double kLossyMarginDb = 1.0;
constexpr double kLosslessMarginDb = 0.1;

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

// Builds a RenderPlan's steps in order.
class Planner {
 public:
  explicit Planner(RenderPlan& plan) : plan_(plan) {}

  void add(Step step) { plan_.steps.push_back(std::move(step)); }
  void pause(const std::string& kind, double seconds, int story = -1, bool cut = false) {
    Step s;
    s.op = Step::Op::Pause;
    s.kind = kind;
    s.story = story;
    s.seconds = seconds;
    s.cut = cut;
    add(std::move(s));
  }
  // A story gap: the programme is cut into chunks there when it is silent
  // (render/layout.h chunkCuts), so a changed story re-renders its own.
  void cutPause(const std::string& kind, double seconds) { pause(kind, seconds, -1, true); }

 private:
  RenderPlan& plan_;
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
  thread_local std::map<fs::path, PaceData> loaded;  // per language folder, per thread (a caller may plan in many)
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
               const speech::VoiceProfile& profile, const std::string& label) {
  Step s;
  s.op = Step::Op::Story;
  s.kind = "speech";
  s.label = label;  // names the story in errors: its file's name, or a station segment's title
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

// The rundown's date (loadRundown checked it; a Rundown built by hand is checked here).
text::CalendarDate rundownDate(const Rundown& r) {
  const std::optional<text::CalendarDate> date = text::parseIsoDate(r.date);
  if (!date)
    throw Error(ErrorKind::Config, r.path.string() + ": date '" + r.date + "' is not a real date written YYYY-MM-DD");
  return *date;
}

// The opening and close as written text ("..., edisi Rabu, 11/6/2025.") for the normalizer to read.
std::pair<std::string, std::string> frameTexts(const Rundown& r, const Phrases& phrases,
                                               const std::vector<std::string>& weekdays) {
  const text::CalendarDate date = rundownDate(r);
  const std::vector<std::pair<std::string, std::string>> values = {
      {"{show}", r.show},
      {"{weekday}", weekdays.at(text::weekday(date))},
      {"{date}", std::to_string(date.day) + "/" + std::to_string(date.month) + "/" + std::to_string(date.year)}};
  return {text::fillTemplate(phrases.opening, values), text::fillTemplate(phrases.closing, values)};
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

// The threads a render's main process may use (leveling a story's parts,
// mixing chunks): -j, else every core; one in a worker rendering an article
// of a batch (the batch's other workers have the other cores).
int coresFor(const RenderOptions& options) {
  return options.in_process ? 1 : options.jobs > 0 ? options.jobs : availableCores();
}

// Pieces of a programme a chunk should last about, seconds: long enough that
// the chunks' fixed costs stay small, short enough that two cores share a
// single long story, and a story changed in a rebuild (the bench's are 80 to
// 120 s) is two chunks, one per core. A chunk cut anywhere (under a bed)
// also replays about 1.5 s of the mix before it for its limiter and encodes
// 5 frames of context. Alternated runs of the bench's bulletins: at 60 s the
// rebuild took 0.55 to 0.57 s, against 0.58 to 0.60 s at 40 s and 0.80 s at
// 80 s (a story in one chunk, on one core); the bed bulletin cold took 0.1 s
// less wall and about 1.5% less CPU than at 40 s in three pairs of four, and
// no less at 80 s.
constexpr double kChunkSeconds = 60.0;

// The first pass: every step's sound, from the cache or made in workers (one
// eSpeak each). Fills plan.sounds. Returns the jobs run now.
std::size_t makeSounds(RenderPlan& plan, const RenderOptions& options, const ChunkCache& cache,
                       const std::string& program, const std::function<const std::string&(const fs::path&)>& file_hash,
                       RenderReport& report, const std::function<void(std::size_t, std::size_t)>& ended) {
  plan.sounds.assign(plan.steps.size(), {});
  std::map<std::string, std::vector<std::size_t>> by_key;  // a stinger between every story is made once
  for (std::size_t i = 0; i < plan.steps.size(); ++i)
    if (needsSound(plan, i)) by_key[sha256Hex(program + describeSound(plan, i, file_hash))].push_back(i);
  std::vector<std::size_t> todo;  // first step of each key not in the cache
  std::vector<fs::path> paths(plan.steps.size());
  for (const auto& [key, steps] : by_key) {
    const fs::path file = cache.pathFor(key, ".sound");
    for (std::size_t i : steps) paths[i] = file, plan.sounds[i].key = key;
    switch (cache.findSound(key)) {
      case ChunkCache::Lookup::Hit:
        break;
      case ChunkCache::Lookup::Corrupt:
        ++report.corrupt_chunks;
        todo.push_back(steps.front());
        break;
      case ChunkCache::Lookup::Miss:
        todo.push_back(steps.front());
        break;
    }
  }
  // Every sound is spoken by an eSpeak that has spoken nothing else (its
  // output depends on what it said before): in a fresh worker, or here when
  // this process is such a worker and has one to make.
  // Jingles and the bed are only measured (no speech engine): in a thread
  // here, beside the workers, rather than in processes of their own. It
  // starts once the last spoken job has gone to a worker: its work (48 ms of
  // the bench's bed bulletin: intro, outro and bed) then fills a core the
  // workers leave idle as their last jobs end, instead of slowing the first.
  std::vector<std::size_t> spoken, measured;
  for (std::size_t i : todo) {
    const Step::Op op = plan.steps[i].op;
    (op == Step::Op::Voice || op == Step::Op::Story ? spoken : measured).push_back(i);
  }
  std::mutex lock;
  std::size_t done = 0;
  const auto one_ended = [&] {
    std::lock_guard<std::mutex> hold(lock);
    ended(++done, todo.size());
  };
  // A long story is spoken in parts, each in a worker of its own, then
  // leveled here (no speech engine needed) on the cores -j allows.
  const int threads = coresFor(options);
  struct Job {
    std::size_t step;
    std::size_t first = 0, end = 0;  // a part's segments; end 0: the whole sound
    fs::path file;
  };
  std::vector<Job> jobs;
  std::map<std::size_t, std::vector<fs::path>> parts;  // per story spoken in parts, its part files in order
  std::optional<ScratchFolder> part_folder;
  for (std::size_t i : spoken) {
    const std::vector<std::size_t> starts = speakingParts(plan.steps[i]);
    if (starts.size() == 1) {
      jobs.push_back({i, 0, 0, paths[i]});
      continue;
    }
    if (!part_folder) part_folder.emplace();
    for (std::size_t p = 0; p < starts.size(); ++p) {
      const std::size_t end = p + 1 < starts.size() ? starts[p + 1] : plan.steps[i].segments.size();
      const fs::path file = part_folder->path() / (std::to_string(i) + "-" + std::to_string(p) + ".speech");
      jobs.push_back({i, starts[p], end, file});
      parts[i].push_back(file);
    }
  }
  // Longest first, so no worker is left with a long job at the end.
  const auto job_cost = [&](const Job& j) {
    std::size_t chars = 0;
    const auto& segs = plan.steps[j.step].segments;
    for (std::size_t k = j.first; k < (j.end > 0 ? j.end : segs.size()); ++k) chars += segs[k].spoken.size();
    return chars;
  };
  std::stable_sort(jobs.begin(), jobs.end(), [&](const Job& a, const Job& b) { return job_cost(a) > job_cost(b); });
  std::exception_ptr measuring_failed;
  // Measuring waits for the last job to go to a worker, or for the first pass to end or fail.
  enum class Measuring { Wait, Go, Stop } measuring_state = Measuring::Wait;
  std::condition_variable measuring_changed;
  const auto setMeasuring = [&](Measuring state) {
    {
      std::lock_guard<std::mutex> hold(lock);
      if (measuring_state == Measuring::Wait) measuring_state = state;
    }
    measuring_changed.notify_all();
  };
  std::thread measuring([&] {
    {
      std::unique_lock<std::mutex> hold(lock);
      measuring_changed.wait(hold, [&] { return measuring_state != Measuring::Wait; });
      if (measuring_state == Measuring::Stop) return;
    }
    try {
      for (std::size_t i : measured) {
        throwIfInterrupted();
        renderSound(plan, i, paths[i]);
        one_ended();
      }
    } catch (...) {
      measuring_failed = std::current_exception();
    }
  });
  if (jobs.empty()) setMeasuring(Measuring::Go);
  try {
    if (options.in_process && jobs.size() == 1) {
      setMeasuring(Measuring::Go);
      renderSound(plan, jobs.front().step, jobs.front().file);
      one_ended();
    } else if (!jobs.empty()) {
      const JobFile plan_file(encodePlan(plan));
      const auto request = [&](std::size_t k) {  // called as job k goes to a worker, in order
        if (k + 1 == jobs.size()) setMeasuring(Measuring::Go);
        const Job& j = jobs[k];
        return j.end == 0 ? soundRequest(plan_file.path(), j.step, j.file, threads)
                          : speakRequest(plan_file.path(), j.step, j.first, j.end, j.file);
      };
      std::vector<std::size_t> all(jobs.size());
      for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
      runInWorkers(
          all, threads, request,
          [&](std::size_t k, std::size_t, std::size_t, const std::string&) {
            if (jobs[k].end == 0) one_ended();  // a story in parts ends when it is leveled
          },
          false, options.early_workers);
      for (const auto& [i, files] : parts) {
        throwIfInterrupted();
        levelParts(plan, i, files, paths[i], threads);
        one_ended();
      }
    }
  } catch (...) {
    setMeasuring(Measuring::Stop);  // if it has not started, it never does
    measuring.join();
    for (std::size_t i : todo) encode::removeOrphanTemporaries(paths[i]);
    throw;
  }
  setMeasuring(Measuring::Go);
  measuring.join();
  if (measuring_failed) {
    for (std::size_t i : todo) encode::removeOrphanTemporaries(paths[i]);
    std::rethrow_exception(measuring_failed);
  }
  std::set<std::string> made;  // keys made now: their time is this run's
  for (std::size_t i : todo) made.insert(plan.sounds[i].key);
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    if (paths[i].empty()) continue;
    const std::string key = plan.sounds[i].key;
    plan.sounds[i] = decodeSound(SpeechFileReader(paths[i]).report(), paths[i]);
    plan.sounds[i].key = key;
    plan.sounds[i].file = paths[i];
    if (made.erase(key) > 0) report.mastering_seconds += plan.sounds[i].mastering_seconds;
  }
  return todo.size();
}

// The report's timeline, words and chapters, from the layout and the sounds.
void describeProgramme(const RenderPlan& plan, const Layout& layout, RenderReport& report,
                       std::vector<encode::Chapter>& chapters, std::vector<std::string>& too_quiet) {
  const double rate = plan.settings.sample_rate;
  auto seconds = [&](std::int64_t f) { return static_cast<double>(f) / rate; };
  std::vector<bool> counted(plan.steps.size(), false);
  for (const LayoutEvent& e : layout.events) {
    const Step& s = plan.steps[e.step];
    const StepSound* sound = e.step < plan.sounds.size() ? &plan.sounds[e.step] : nullptr;
    auto& t = report.timeline;
    switch (e.kind) {
      case LayoutEvent::Kind::Clip: {
        const PlannedSegment& seg = s.segments.at(e.clip);
        const double clip_seconds = static_cast<double>(sound->clips[e.clip]) / sound->clip_rate;
        TimelineEntry entry{s.op == Step::Op::Story ? "speech" : s.kind,
                            s.story,
                            seconds(e.start),
                            seconds(e.start) + clip_seconds,
                            seg.label,
                            seg.display,
                            seg.part,
                            seg.ends_paragraph,
                            {}};
        if (e.clip < sound->word_starts.size())
          entry.words = timeWords(seg, sound->word_starts[e.clip], sound->clip_rate, entry.start, entry.end);
        report.speech_seconds += clip_seconds;
        t.push_back(std::move(entry));
        break;
      }
      case LayoutEvent::Kind::Jingle: {
        const double length = sound->clip_rate > 0 && !sound->clips.empty()
                                  ? static_cast<double>(sound->clips.front()) / sound->clip_rate
                                  : 0.0;
        t.push_back({s.kind, s.story, seconds(e.start), seconds(e.start) + length, s.label, {}, {}, false, {}});
        break;
      }
      case LayoutEvent::Kind::Silence: {
        const bool in_story = s.op == Step::Op::Story;
        const std::string kind = in_story ? "pause" : s.kind;
        const int story = s.story;
        // A story gap cut in two (and padded) is one pause again.
        if (!t.empty() && e.end_before == e.start && &e != &layout.events.front() && (&e - 1)->kind == e.kind &&
            (&e - 1)->step == e.step) {
          t.back().end = seconds(e.start + e.frames);
          break;
        }
        t.push_back({kind, story, seconds(e.start), seconds(e.start + e.frames), {}, {}, {}, false, {}});
        break;
      }
      case LayoutEvent::Kind::Chapter:
        chapters.push_back({s.label, seconds(e.start), seconds(e.start)});
        break;
      default:
        break;
    }
    // An element the leveler found too quiet to measure, by a name a producer knows.
    if (sound && !counted[e.step] &&
        (e.kind == LayoutEvent::Kind::Clip || e.kind == LayoutEvent::Kind::Jingle ||
         e.kind == LayoutEvent::Kind::BedStart)) {
      counted[e.step] = true;
      if (!std::isfinite(sound->measured)) {
        if (s.op == Step::Op::Story) too_quiet.push_back("story " + std::to_string(s.story + 1) + " (" + s.label + ")");
        else if (s.op == Step::Op::Voice) too_quiet.push_back("the " + s.kind + " \"" + s.segments.at(0).label + "\"");
        else if (s.op == Step::Op::Jingle) too_quiet.push_back("the " + s.kind + " " + s.file.string());
        else too_quiet.push_back("the bed " + plan.bed_file->string());
      }
    }
  }
  // A story without spoken text (no clip events) is too quiet too.
  for (std::size_t i = 0; i < plan.steps.size(); ++i)
    if (plan.steps[i].op == Step::Op::Story && plan.steps[i].segments.empty())
      too_quiet.push_back("story " + std::to_string(plan.steps[i].story + 1) + " (" + plan.steps[i].label +
                          "): no spoken text");
  const double total = seconds(layout.frames);
  for (std::size_t i = 0; i < chapters.size(); ++i)
    chapters[i].end = i + 1 < chapters.size() ? chapters[i + 1].start : total;
}

// Renders the chunks in `todo` into `paths` and measures what the joined
// file will decode to (audio/decoded_check.h), chunk by chunk
// (encode/chunk_stats.h), on up to `cores` threads of one pool: chunks
// first, and a thread with none left to start measures the stretches whose
// chunks exist, so measuring fills the time the last chunks take.
// Each stretch is kept in the cache under the keys of those chunks and where
// they lie in the programme (a stretch is measured on grids from the
// programme's start), so a rebuild measures again only the chunks that
// changed or moved, and those after a changed one. `progress(done)` counts
// rendered chunks. Returns the stretches, in order.
std::vector<audio::StretchStats> renderAndMeasure(const RenderPlan& plan, const Layout& layout,
                                                  const std::vector<std::size_t>& todo,
                                                  const std::vector<fs::path>& paths,
                                                  const std::vector<std::string>& keys, const ChunkCache& cache,
                                                  const std::string& program, int cores,
                                                  const std::function<void(std::size_t)>& progress) {
  // The decoder's version bears on the numbers as warta's own code (the meter's) does.
  const std::string measurer =
      "warta stretch cells 1\n" + program + "avcodec " + std::to_string(avcodec_version()) + "\n";
  const std::size_t n = paths.size();
  const auto length = [&](std::size_t i) { return (i + 1 < n ? plan.cuts[i + 1] : layout.frames) - plan.cuts[i]; };
  std::vector<std::optional<encode::ChunkInfo>> info(n);  // once the chunk exists
  std::vector<bool> in_todo(n, false);
  for (std::size_t i : todo) in_todo[i] = true;
  for (std::size_t i = 0; i < n; ++i)  // checked whole by the cache lookup
    if (!in_todo[i]) info[i] = encode::ChunkReader(paths[i], false).info();
  // Where a stretch lies needs where every chunk before it starts: a chunk
  // not yet rendered is taken at the plan's length, in the format of one
  // that exists (the join refuses chunks of differing formats; the lengths
  // are checked below once all exist). Its packet count is not needed: only
  // the last chunk's is read, and its stretch waits for it.
  const auto infosNow = [&] {
    const encode::ChunkInfo* model = nullptr;
    for (const auto& i : info)
      if (i) model = &*i;
    std::vector<encode::ChunkInfo> all;
    for (std::size_t c = 0; c < n; ++c) {
      if (info[c]) all.push_back(*info[c]);
      else {
        all.push_back(*model);
        all.back().samples = length(c);
        all.back().packets = 0;
      }
    }
    return all;
  };

  std::vector<audio::StretchStats> stretches(n);
  std::vector<bool> taken(n, false);
  std::size_t next_render = 0, rendered = 0, measured = 0;
  std::mutex lock;
  std::condition_variable changed;
  std::exception_ptr failed;
  const std::shared_ptr<const audio::Audio> bed_loop = todo.empty() ? nullptr : heldBed(plan);
  // A stretch to measure now: the first whose chunks all exist.
  const auto startable = [&](std::vector<encode::ChunkInfo>& infos,
                             encode::ChunkStretch& where) -> std::optional<std::size_t> {
    if (rendered + (n - todo.size()) == 0) return std::nullopt;
    bool have_infos = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (taken[i] || !info[i]) continue;
      if (!have_infos) infos = infosNow(), have_infos = true;
      where = encode::chunkStretch(infos, i);
      bool all = true;
      for (std::size_t c = where.first_chunk; c < i && all; ++c) all = info[c].has_value();
      if (all) return i;
    }
    return std::nullopt;
  };
  auto measure = [&](std::size_t i, const std::vector<encode::ChunkInfo>& infos, const encode::ChunkStretch& where) {
    // Its chunks and where they lie from its own; where it lies itself only
    // when it cannot move (encode::ChunkStretch::movable).
    std::string d = measurer;
    std::int64_t start = 0, own = 0;
    for (std::size_t c = 0; c < i; ++c) own += infos[c].samples;
    for (std::size_t c = 0; c <= i; ++c) {
      if (c >= where.first_chunk) d += "chunk " + keys[c] + " at " + std::to_string(start - own) + "\n";
      start += infos[c].samples;
    }
    d += "stretch of " + std::to_string(where.end - where.start) + (where.last ? " last" : "") + " cells " +
         std::to_string(where.cell) + "\n";
    if (!where.movable) d += "at " + std::to_string(where.start) + "\n";
    const std::string key = sha256Hex(d);
    std::optional<audio::StretchCells> found = cache.findStretch(key);
    if (found && found->cell == where.cell && found->end - found->start == where.end - where.start &&
        (where.start - found->start) % where.cell == 0) {
      found->moveTo(where.start);
      return audio::placeStretch(*found, plan.settings.sample_rate);
    }
    const audio::StretchCells cells = encode::measureChunkStretch(paths, infos, i);
    cache.storeStretch(key, cells);
    return audio::placeStretch(cells, plan.settings.sample_rate);
  };
  auto work = [&] {
    std::unique_lock<std::mutex> hold(lock);
    while (!failed && measured < n) {
      std::vector<encode::ChunkInfo> infos;
      encode::ChunkStretch where;
      try {
        if (next_render < todo.size()) {  // first: stretches wait on chunks, not the other way
          const std::size_t c = todo[next_render++];
          hold.unlock();
          throwIfInterrupted();
          renderChunk(plan, layout, c, paths[c], bed_loop);
          encode::ChunkInfo made = encode::ChunkReader(paths[c], false).info();
          hold.lock();
          info[c] = std::move(made);
          ++rendered;
          if (progress) progress(rendered);
        } else if (const std::optional<std::size_t> i = startable(infos, where)) {
          taken[*i] = true;
          hold.unlock();
          throwIfInterrupted();
          audio::StretchStats stats = measure(*i, infos, where);
          hold.lock();
          stretches[*i] = std::move(stats);
          ++measured;
        } else {
          changed.wait(hold);
          continue;
        }
      } catch (...) {
        if (!hold.owns_lock()) hold.lock();
        if (!failed) failed = std::current_exception();
      }
      changed.notify_all();
    }
  };
  const std::size_t threads = std::max<std::size_t>(1, std::min<std::size_t>(std::max(cores, 1), n));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failed) {
    for (std::size_t i : todo) encode::removeOrphanTemporaries(paths[i]);
    std::rethrow_exception(failed);
  }
  // The threads' mixing windows, encoders and decoders, freed, go back to the system before the join.
  ::malloc_trim(0);
  for (std::size_t c = 0; c < n; ++c)  // as the stretches were placed
    if (info[c]->samples != length(c))
      throw encode::ChunkError(paths[c].string() + ": " + std::to_string(info[c]->samples) +
                               " samples, where the plan has " + std::to_string(length(c)));
  return stretches;
}

// Renders the programme: its sounds (workers), then every chunk not in
// `cache` (threads: mixing needs no speech engine), then joins them; with
// `join` false only the report is made from the sounds (a fitting trial:
// no chunk is rendered, nothing written).
RenderReport renderChunks(RenderPlan plan, const RenderOptions& options, const ChunkCache& cache, bool join) {
  std::map<fs::path, std::string> hashes;
  std::mutex hashes_lock;
  auto file_hash = [&](const fs::path& file) -> const std::string& {
    std::lock_guard<std::mutex> hold(hashes_lock);
    auto& h = hashes[file];
    if (h.empty()) h = fileSha256(file);
    return h;
  };
  const std::string program = "program " + programBuildId() + " espeak " + speech::espeakVersion() + "\n";
  RenderReport report;
  if (options.chunk_ended) options.chunk_ended(0, 1);
  std::size_t sounds_done = 0;
  makeSounds(plan, options, cache, program, file_hash, report, [&](std::size_t done, std::size_t total) {
    sounds_done = done;
    // The chunks are still to come: never shown as complete here.
    if (options.chunk_ended) options.chunk_ended(done, total + 1);
  });
  const Layout layout = layoutPlan(plan);
  const auto align = static_cast<std::int64_t>(encode::chunkAlignment(plan.settings, plan.codec));
  // Cut anywhere, the chunk before the last needs a postroll and a second of slack.
  const std::int64_t tail = encode::chunkPostroll(plan.settings, plan.codec) + plan.settings.sample_rate;
  ChunkCuts cuts = chunkCuts(plan, layout, align, kChunkSeconds, tail);
  plan.cuts = std::move(cuts.cuts);
  plan.anywhere = cuts.anywhere;

  const double rate = plan.settings.sample_rate;
  std::vector<encode::Chapter> chapters;
  std::vector<std::string> too_quiet;
  describeProgramme(plan, layout, report, chapters, too_quiet);
  report.frames = static_cast<std::size_t>(layout.frames);
  report.seconds = static_cast<double>(layout.frames) / rate;
  for (std::int64_t c : plan.cuts) report.chunk_starts.push_back(static_cast<std::size_t>(c));
  if (!join) {
    report.chapters = std::move(chapters);
    return report;
  }

  std::vector<fs::path> paths;
  std::vector<std::string> keys;
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < plan.cuts.size(); ++i) {
    const std::string key = sha256Hex(program + describeChunk(plan, layout, i, file_hash));
    keys.push_back(key);
    paths.push_back(cache.pathFor(key));
    switch (cache.find(key)) {
      case ChunkCache::Lookup::Hit:
        ++report.cached_chunks;
        break;
      case ChunkCache::Lookup::Corrupt:
        ++report.corrupt_chunks;
        todo.push_back(i);
        break;
      case ChunkCache::Lookup::Miss:
        todo.push_back(i);
        break;
    }
  }
  // In programme order: a stretch is measured once its chunks exist, and
  // the stretches waiting at the end keep every thread busy.
  const std::size_t total = sounds_done + todo.size();
  if (options.chunk_ended) options.chunk_ended(sounds_done, total);
  const std::vector<audio::StretchStats> stretches =
      renderAndMeasure(plan, layout, todo, paths, keys, cache, program, coresFor(options), [&](std::size_t done) {
        if (options.chunk_ended) options.chunk_ended(sounds_done + done, total);
      });
  std::vector<bool> rendered(plan.cuts.size(), false);
  for (std::size_t i : todo) rendered[i] = true;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const encode::ChunkReader reader(paths[i], false);
    const ChunkReport c = decodeReport(reader.meta(), paths[i]);
    report.limiter_reduction_db = std::max(report.limiter_reduction_db, c.limiter_reduction_db);
    if (rendered[i]) {  // times of work done now, not when a cached chunk was made
      report.mastering_seconds += c.mastering_seconds;
      report.encode_seconds += c.encode_seconds;
    }
  }
  // The one place a programme's loudness is judged as a whole: silence
  // cannot be leveled to the target, and a silent file reported at -16 LUFS
  // would go to air. Decided before the join, so nothing is written. An
  // element leveled to the target has a 400 ms block above the -70 LUFS gate
  // (its loudness was measured), so the programme is audible if one sounds.
  bool audible = false;
  for (const LayoutEvent& e : layout.events)
    if ((e.kind == LayoutEvent::Kind::Clip || e.kind == LayoutEvent::Kind::Jingle ||
         e.kind == LayoutEvent::Kind::BedStart) &&
        std::isfinite(plan.sounds[e.step].measured))
      audible = true;
  if (!audible) {
    std::string what;
    for (const auto& name : too_quiet) what += (what.empty() ? "" : ", ") + name;
    throw audio::AudioError(plan.output.string() +
                            ": the rendered audio is silent (integrated loudness -inf: nothing above -70 LUFS), so it "
                            "cannot be leveled to " +
                            exactLufs(plan.report_lufs) + " LUFS" +
                            (what.empty() ? std::string() : "; silent: " + what) + "; nothing written");
  }
  // The cue points, measured exactly as decoding the finished file gives
  // them, go into the MP3's own tag: the bytes are the same whatever the
  // workers and the cache did, and the file is written once.
  report.cues = audio::combineStretches(plan.settings.sample_rate, plan.settings.channels, stretches);
  if (plan.codec == encode::ChunkCodec::Mp3) plan.settings.tags.user_texts = cueTexts(report.cues, plan.expires);
  encode::joinChunks(plan.output, plan.settings, paths, chapters);
  report.output = plan.output;
  report.chapters = std::move(chapters);
  report.chunks = plan.cuts.size();
  report.target_lufs = plan.report_lufs;
  if (options.cache && !options.in_process) cache.prune(kCacheMaxBytes);  // a batch prunes once, at its end
  return report;
}

RenderReport renderPlan(const RenderPlan& plan, const RenderOptions& options) {
  std::optional<ScratchFolder> scratch;
  if (!options.cache) scratch.emplace();
  const ChunkCache cache(options.cache ? *options.cache : scratch->path());
  return renderChunks(plan, options, cache, true);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> cueTexts(const audio::DecodedStats& cues,
                                                          const std::optional<std::time_t>& expires) {
  auto s3 = [](double v) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(3) << v;
    return o.str();
  };
  std::vector<std::pair<std::string, std::string>> t = {{"cue_in", s3(cues.cue_in)},
                                                        {"cue_out", s3(cues.cue_out)},
                                                        {"fade_in", "0"},
                                                        {"fade_out", "0"},
                                                        {"cross_start_next", s3(cues.cross_start_next)}};
  if (expires) t.push_back({"expires", deliver::isoLocal(*expires)});
  return t;
}

std::string episodeTitle(const Rundown& rundown) {
  const text::LanguageData language = loadLanguage(rundown.voice.language_dir);
  const text::CalendarDate date = rundownDate(rundown);
  return rundown.show + ", " + language.calendar.weekdays.at(text::weekday(date)) + ", " + std::to_string(date.day) +
         " " + language.calendar.months.at(date.month - 1) + " " + std::to_string(date.year);
}

fs::path bulletinPath(const Rundown& rundown, const fs::path& out_dir) {
  const fs::path path = out_dir / rundown.outputName();
  // Checked again where it is used: whatever filled the name, it stays inside.
  if (!insideFolder(path, out_dir))
    throw std::runtime_error(rundown.path.string() + ": output file " + path.string() +
                             " is outside the output folder " + out_dir.string());
  return path;
}

namespace {

// What fitting to the slot chose (none: the bulletin as the rundown says).
struct FitChoice {
  double rate = 1.0;          // times the eSpeak rate each story's pace asks for, the same for all
  std::vector<bool> dropped;  // per story (empty: none)
  double fill = 0;            // seconds of bed or silence before the outro
};

// The text of a bulletin, read, checked and normalized once for every plan.
struct BulletinText {
  std::vector<std::vector<text::Segment>> stories;
  std::vector<std::string> titles;         // each story's chapter title
  std::vector<text::Segment> frame_lines;  // the opening and the close
};

// A station segment's segments: its article made (station/station.h) and read
// as any article is, but its headline is a title only (not spoken).
std::vector<text::Segment> stationSegments(const Rundown& rundown, const Story& story, Narrator& narrator,
                                           std::string& title) {
  thread_local std::map<fs::path, station::StationWords> loaded;  // per language folder, per thread
  auto it = loaded.find(story.voice.language_dir);
  if (it == loaded.end())
    it = loaded.emplace(story.voice.language_dir, loadStationWords(story.voice.language_dir)).first;
  const text::NumberReader numbers(narrator.normalizer(story.voice).language().numbers);
  const station::StationContext context{it->second, numbers, rundownDate(rundown), rundown.air_time.value_or(-1),
                                        story.where};
  const station::StationItem& item = *story.station;
  const std::string forecast = item.kind != station::StationItem::Kind::Weather ? std::string()
                               : station::isForecastUrl(item.weather)           ? station::fetchForecast(item.weather)
                                                                      : station::readForecastFile(item.weather);
  const text::Article article = station::stationArticle(item, context, forecast);
  title = article.headline;
  std::vector<text::Segment> segments = narrator.prepareArticle(article, story.voice);
  segments.erase(std::remove_if(segments.begin(), segments.end(),
                                [](const text::Segment& s) { return s.kind == text::SegmentKind::Headline; }),
                 segments.end());
  return segments;
}

BulletinText readBulletin(const Rundown& rundown, Narrator& narrator) {
  BulletinText t;
  for (const Story& story : rundown.stories) {
    std::string title;
    if (story.station) t.stories.push_back(stationSegments(rundown, story, narrator, title));
    else {
      t.stories.push_back(narrator.prepare(story.file, story.voice));
      title = t.stories.back().empty() ? story.file.stem().string() : t.stories.back().front().text;
    }
    t.titles.push_back(std::move(title));
  }
  const text::Normalizer& norm = narrator.normalizer(rundown.voice);
  const auto [opening, closing] =
      frameTexts(rundown, loadPhrases(rundown.voice.language_dir), norm.language().calendar.weekdays);
  t.frame_lines.resize(2);  // normalized as segments are
  t.frame_lines[0].text = opening;
  t.frame_lines[1].text = closing;
  norm.normalize(t.frame_lines);
  return t;
}

// The story's chapter title: its headline, or its file's name.
std::string storyTitle(const Rundown&, const BulletinText& text, std::size_t i) { return text.titles[i]; }

// The plan of a bulletin: a pure function of the rundown, its text and what fitting chose.
RenderPlan planBulletin(const Rundown& rundown, const fs::path& output, const BulletinText& text, Narrator& narrator,
                        const FitChoice& fit) {
  RenderPlan plan;
  plan.output = output;
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
  std::vector<std::size_t> kept;  // the stories said, in order
  for (std::size_t i = 0; i < text.stories.size(); ++i)
    if (fit.dropped.empty() || !fit.dropped[i]) kept.push_back(i);

  plan.settings = rundown.output;
  if (plan.settings.tags.comment.empty()) {  // the episode's contents: its headlines
    for (std::size_t i : kept)
      if (!text.stories[i].empty() || rundown.stories[i].station)
        plan.settings.tags.comment += (plan.settings.tags.comment.empty() ? "" : "; ") + text.titles[i];
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
  p.add(voiceStep("opening", text.frame_lines[0], narrator, rundown.voice, overlap));
  p.cutPause("gap", gap);
  for (std::size_t k = 0; k < kept.size(); ++k) {
    const std::size_t i = kept[k];
    const int index = static_cast<int>(i);  // the story keeps its number when others are dropped
    const bool own_bed = !whole_bed && bedUnder(rundown, index);
    plan.voices.push_back(rundown.stories[i].voice);
    const int voice = static_cast<int>(plan.voices.size() - 1);
    if (own_bed) {
      Step bed;
      bed.op = Step::Op::BedStart;
      p.add(std::move(bed));
    }
    p.add(chapterStep(storyTitle(rundown, text, i)));
    const Story& item = rundown.stories[i];
    Step story = storyStep(text.stories[i], index, voice, narrator, item.voice,
                           item.station ? text.titles[i] : item.file.filename().string());
    // One rate for every story: eSpeak's speech time goes as 1 / its rate.
    if (fit.rate != 1.0)
      story.espeak_rate = std::clamp(static_cast<int>(std::lround(story.espeak_rate * fit.rate)), 80, 450);
    p.add(std::move(story));
    if (own_bed) {
      Step stop;
      stop.op = Step::Op::BedStop;
      stop.seconds = frame.bed_fade_out;
      p.add(std::move(stop));
    }
    if (k + 1 < kept.size() && rundown.stinger) {
      p.pause("gap", frame.jingle_pause);
      p.add(jingleStep("stinger", *rundown.stinger, rundown.jingle_level));
      p.cutPause("gap", frame.jingle_pause);
    } else {
      p.cutPause("gap", gap);
    }
  }
  p.add(voiceStep("closing", text.frame_lines[1], narrator, rundown.voice, 0.0));
  // Back-timing: the fill (the bed, else silence) goes between the close and
  // the outro, so the outro ends exactly at the slot's length.
  if (fit.fill > 0) {
    if (rundown.bed && !whole_bed) {
      Step bed;
      bed.op = Step::Op::BedStart;
      p.add(std::move(bed));
    }
    p.pause("fill", fit.fill);
    if (rundown.bed && !whole_bed) {
      Step stop;
      stop.op = Step::Op::BedStop;
      stop.seconds = std::min(frame.bed_fade_out, fit.fill);
      p.add(std::move(stop));
    }
  }
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
  return plan;
}

// Seconds of a story in a trial: its speech and pauses (what a rate scales,
// `speech` only) and its whole span from first to last.
struct StoryTime {
  double speech = 0, span = 0;
};

std::vector<StoryTime> storyTimes(const RenderReport& report, std::size_t stories) {
  std::vector<StoryTime> t(stories);
  std::vector<double> first(stories, -1), last(stories, 0);
  for (const TimelineEntry& e : report.timeline) {
    if (e.story < 0 || static_cast<std::size_t>(e.story) >= stories) continue;
    const auto i = static_cast<std::size_t>(e.story);
    if (e.kind == "speech") t[i].speech += e.end - e.start;
    if (first[i] < 0) first[i] = e.start;
    last[i] = std::max(last[i], e.end);
  }
  for (std::size_t i = 0; i < stories; ++i)
    if (first[i] >= 0) t[i].span = last[i] - first[i];
  return t;
}

std::string percentText(double rate) {
  std::ostringstream o;
  o << std::showpos << std::fixed << std::setprecision(1) << (rate - 1) * 100 << '%';
  return o.str();
}

std::string clockText(double seconds) {
  const long s = std::lround(seconds);
  std::ostringstream o;
  if (s >= 3600) o << s / 3600 << ':' << std::setw(2) << std::setfill('0') << (s / 60) % 60;
  else o << s / 60;
  o << ':' << std::setw(2) << std::setfill('0') << s % 60;
  return o.str();
}

// Fits the bulletin to `fit.length` (SlotFit): trial renders (chunks kept in
// `cache`, so the final render reuses them) choose one rate in the band, then
// drop the least important stories, then fill the rest before the outro.
// Returns the choice whose render is exactly length x sample rate frames.
FitChoice fitToSlot(const Rundown& rundown, const fs::path& output, const BulletinText& text, Narrator& narrator,
                    const RenderOptions& options, const ChunkCache& cache, RenderReport& last) {
  const SlotFit& slot = *rundown.fit;
  const double rate_hz = rundown.output.sample_rate;
  const auto target = static_cast<std::int64_t>(std::llround(slot.length * rate_hz));
  const double lo = 1 + slot.rate_min, hi = 1 + slot.rate_max;
  const std::size_t n = text.stories.size();
  auto trial = [&](const FitChoice& c) {
    return renderChunks(planBulletin(rundown, output, text, narrator, c), options, cache, false);
  };
  auto frames = [](const RenderReport& r) { return static_cast<std::int64_t>(r.frames); };

  // Drop order: the largest priority number first, the later story first among equals.
  // The station's own segments are never dropped; without any, one story stays.
  std::vector<std::size_t> order;
  bool segments = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (rundown.stories[i].station) segments = true;
    else order.push_back(i);
  }
  const std::size_t droppable = segments ? order.size() : std::max<std::size_t>(order.size(), 1) - 1;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const int pa = rundown.stories[a].priority, pb = rundown.stories[b].priority;
    return pa != pb ? pa > pb : a > b;
  });

  FitChoice c;
  c.dropped.assign(n, false);
  std::size_t drops = 0;
  RenderReport r = trial(c);
  for (;;) {
    // One rate for all stories. A trial's length is modelled as a + b / rate
    // (speech time goes as 1 / rate, pauses and jingles stay): from the first
    // trial's own speech, then through the last two trials (eSpeak's speech
    // does not scale exactly). The longest trial within the slot is kept.
    std::vector<std::pair<double, double>> tried;  // rate, seconds
    std::optional<std::pair<double, RenderReport>> best;
    auto keep = [&] {
      tried.emplace_back(c.rate, r.seconds);
      if (frames(r) <= target && (!best || r.frames > best->second.frames)) best.emplace(c.rate, r);
    };
    keep();
    for (int round = 0; round < 5 && lo < hi; ++round) {
      const double aim = slot.length - 0.1 * (round + 1);  // a little under: the fill takes the rest
      double a = 0, b = 0;
      if (tried.size() >= 2 && std::abs(tried.back().first - tried[tried.size() - 2].first) > 1e-6) {
        const auto [r1, s1] = tried[tried.size() - 2];
        const auto [r2, s2] = tried.back();
        b = (s1 - s2) / (1 / r1 - 1 / r2);
        a = s2 - b / r2;
      }
      if (b <= 0) {
        double speech = 0;
        for (const StoryTime& t : storyTimes(r, n)) speech += t.speech;
        b = speech * c.rate;
        a = r.seconds - speech;
      }
      const double wanted = aim > a && b > 0 ? std::clamp(b / (aim - a), lo, hi) : hi;
      const bool fits = frames(r) <= target;
      if (std::abs(wanted - c.rate) < 0.001 && (fits || c.rate >= hi)) break;
      if (fits && c.rate <= lo) break;
      c.rate = wanted;
      r = trial(c);
      keep();
    }
    // Not within the slot yet: the fastest rate decides whether stories must go.
    if (!best && c.rate < hi) {
      c.rate = hi;
      r = trial(c);
      keep();
    }
    if (best) {
      c.rate = best->first;
      r = std::move(best->second);
    }
    if (frames(r) <= target) break;
    if (drops >= droppable)
      throw Error(ErrorKind::Config, rundown.path.string() + ": the bulletin cannot be fitted to " +
                                         clockText(slot.length) + ": with " + std::to_string(drops) + " of its " +
                                         std::to_string(order.size()) + " stories dropped (" +
                                         (segments ? "the station's segments stay" : "one must stay") +
                                         ") at the fastest rate (" + percentText(hi) + "), it lasts " +
                                         clockText(r.seconds) + "; give a longer 'length' or a wider 'rate_range'");
    // Drop the least important stories until the over-run is predicted gone (checked by the next trial).
    const std::vector<StoryTime> times = storyTimes(r, n);
    double over = static_cast<double>(frames(r) - target) / rate_hz;
    do {
      const std::size_t i = order[drops++];
      c.dropped[i] = true;
      over -= times[i].span + rundown.voice.story_gap;
    } while (over > 0 && drops < droppable);
    r = trial(c);
  }
  // Back-timing: the fill makes the render exactly the slot's frames (a few
  // trials of the last chunk alone: the fill's seconds become whole frames).
  for (int round = 0; round < 4 && frames(r) != target; ++round) {
    c.fill += static_cast<double>(target - frames(r)) / rate_hz;
    if (c.fill < 0) c.fill = 0;
    r = trial(c);
  }
  if (frames(r) != target)
    throw audio::AudioError(output.string() + ": the fitted bulletin is " + std::to_string(frames(r)) +
                            " frames, not the " + std::to_string(target) + " its length asks for");
  last = std::move(r);
  return c;
}

}  // namespace

RenderReport buildBulletin(const Rundown& rundown, const fs::path& out_dir, const RenderOptions& given) {
  // The worker zygote starts beside the reading of the lexicons and stories:
  // a rebuild's changed story is spoken sooner.
  std::optional<EarlyWorkers> early;
  RenderOptions options = given;
  if (!options.in_process && !options.early_workers) options.early_workers = &early.emplace();
  std::optional<Narrator> held(std::in_place, rundown.lexicons);
  Narrator& narrator = *held;
  const fs::path output = bulletinPath(rundown, out_dir);
  // Read and check everything before anything is rendered.
  const BulletinText text = readBulletin(rundown, narrator);

  std::error_code ec;
  // The bulletin's own folder: output.file may name one inside out_dir ("{show}/{date}.mp3").
  if (!output.parent_path().empty()) fs::create_directories(output.parent_path(), ec);
  if (ec) throw audio::AudioError(output.parent_path().string() + ": cannot create output folder: " + ec.message());
  std::optional<ScratchFolder> scratch;
  if (!options.cache) scratch.emplace();
  const ChunkCache cache(options.cache ? *options.cache : scratch->path());
  FitChoice fit;
  if (rundown.fit) {
    RenderReport trial;
    fit = fitToSlot(rundown, output, text, narrator, options, cache, trial);
  }
  RenderPlan plan = planBulletin(rundown, output, text, narrator, fit);
  plan.expires = scheduleOf(rundown, std::time(nullptr)).kill;
  // The language data (lexicons, rules, word lists) is not needed to mix:
  // given back before the chunks are, as the render's memory peaks there.
  held.reset();
  ::malloc_trim(0);
  RenderReport report = renderChunks(plan, options, cache, true);
  if (rundown.fit) {
    report.fitted = true;
    report.rate = fit.rate;
    report.fill_seconds = fit.fill;
    for (std::size_t i = 0; i < fit.dropped.size(); ++i)
      if (fit.dropped[i])
        report.dropped.push_back("story " + std::to_string(i + 1) + " (" + storyTitle(rundown, text, i) + ")");
  }
  return report;
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
    p.add(storyStep(stories[i], static_cast<int>(i), 0, narrator, voice, articles[i].filename().string()));
    if (i + 1 < stories.size()) p.cutPause("gap", voice.story_gap);
  }
  return renderPlan(plan, options);
}

void writeTimeline(const RenderReport& report, const fs::path& file) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3);
  for (const auto& e : report.timeline)
    out << e.start << '\t' << e.end << '\t' << e.kind << '\t' << e.story << '\t'
        << (e.spoken.empty() ? e.label : e.spoken) << '\n';
  encode::writeFileAtomically(file, out.str());
}

}  // namespace warta::app
