#include "app/pipeline.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "app/language_loader.h"
#include "audio/audio_file.h"
#include "audio/convert.h"
#include "audio/edit.h"
#include "audio/limiter.h"
#include "audio/loudness.h"
#include "audio/mixer.h"
#include "encode/atomic_file.h"
#include "text/article.h"
#include "text/segment.h"

namespace warta::app {
namespace fs = std::filesystem;


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

std::vector<text::Segment> Narrator::prepare(const fs::path& article, const speech::VoiceProfile& voice) {
  const text::Normalizer& norm = normalizer(voice);
  std::vector<text::Segment> segments =
      text::segmentArticle(text::readArticle(article), voice.pauses, norm.abbreviations(),
                           norm.options().read_dateline_source);
  norm.normalize(segments);
  return segments;
}

void Narrator::select(const speech::VoiceProfile& voice) {
  if (!engine_) engine_ = std::make_unique<speech::EspeakEngine>();
  std::ostringstream key;
  key << voice.espeak_voice << '+' << voice.variant << '/' << voice.rate_wpm << '/' << voice.pitch << '/'
      << voice.pitch_range << '/' << voice.volume;
  if (key.str() != current_voice_) {
    engine_->setVoice(voice);
    current_voice_ = key.str();
  }
}

audio::Audio Narrator::speak(const std::string& spoken, const speech::VoiceProfile& voice) {
  select(voice);
  return engine_->synthesize(spoken);
}

std::string Narrator::phonemes(const std::string& spoken, const speech::VoiceProfile& voice) {
  select(voice);
  return engine_->phonemes(spoken);
}

namespace {

// The MP3 encoder can put decoded peaks a little above what went in, so lossy
// outputs are limited this far under the rundown's ceiling.
constexpr double kLossyMarginDb = 1.0;
constexpr double kLosslessMarginDb = 0.1;
// LAME below 256 kb/s decodes about 0.4 dB quieter than its input (measured
// with FFmpeg's ebur128 and volumedetect on tones and on warta's speech at
// 64-192 kb/s; none at 320 kb/s), so MP3 programs are leveled that much higher.
constexpr double kMp3LevelLossDb = 0.4;

bool isLossy(const fs::path& output) {
  std::string ext = output.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".mp3";
}

// The loudness and ceiling to render at, so the encoded file measures `loudness`.
LoudnessTarget renderTarget(const LoudnessTarget& loudness, const fs::path& output, const encode::OutputSettings& out) {
  LoudnessTarget t = loudness;
  const bool mp3 = isLossy(output) && out.container != encode::Container::Wav && out.container != encode::Container::Bwf;
  if (mp3 && out.bitrate_kbps < 256) t.integrated += kMp3LevelLossDb;
  t.true_peak -= mp3 ? kLossyMarginDb : kLosslessMarginDb;
  return t;
}

// Collects a stream into one Audio (for offline processing of one element).
class Collect : public audio::AudioSink {
 public:
  explicit Collect(audio::Audio& into) : into_(into) {}
  void write(const audio::Audio& chunk) override {
    into_.samples.insert(into_.samples.end(), chunk.samples.begin(), chunk.samples.end());
  }
  void finish() override {}

 private:
  audio::Audio& into_;
};

// Output format of a render.
struct Format {
  int rate;
  int channels;
};

// Integrated loudness of `clips` as they will be heard, with the pauses
// (seconds) that follow each: the 400 ms blocks that straddle a pause count
// too, so leaving the pauses out reads a story about 0.2 LU louder than it
// is. Measured at the clips' own rate and channels (conversion costs more
// than the metering; eSpeak's 22.05 kHz reads within 0.1 LU of the same
// speech at 44.1 kHz); mono counts +3.01 dB when it plays on two channels
// (BS.1770 sums channel powers). -infinity when too short or quiet.
double loudnessOf(const std::vector<audio::Audio>& clips, const std::vector<double>& pauses, Format out) {
  if (clips.empty() || clips.front().empty()) return -HUGE_VAL;
  const int rate = clips.front().sample_rate, channels = clips.front().channels;
  audio::LoudnessMeter meter(rate, channels, audio::LoudnessMeter::Measure::Loudness);
  for (std::size_t i = 0; i < clips.size(); ++i) {
    if (!clips[i].empty()) meter.add(clips[i]);
    if (i + 1 < clips.size() && i < pauses.size()) meter.add(audio::Audio::silence(pauses[i], rate, channels));
  }
  const double measured = meter.integrated();
  return channels == 1 && out.channels == 2 ? measured + 10.0 * std::log10(2.0) : measured;
}

double energy(const std::vector<audio::Audio>& clips) {
  double sum = 0;
  for (const auto& c : clips)
    for (float v : c.samples) sum += static_cast<double>(v) * v;
  return sum;
}

// Levels one element (a story's speech clips and the pauses between them, or
// one jingle) to `target` LUFS with peaks limited under `ceiling` dBTP. The
// limiter takes a little loudness away; that is made up from the energy it
// removed (a plain gain, small enough that the chain's own limiter catches
// what it adds to the peaks), which saves a second loudness measurement.
// Clips too quiet to measure are returned unchanged. `clock` accumulates the
// seconds spent here.
std::vector<audio::Audio> master(std::vector<audio::Audio> clips, const std::vector<double>& pauses, Format out,
                                 double target, double ceiling, double& clock) {
  const auto started = std::chrono::steady_clock::now();
  struct AddTime {
    std::chrono::steady_clock::time_point start;
    double& clock;
    ~AddTime() { clock += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
  } add_time{started, clock};
  const double raw = loudnessOf(clips, pauses, out);
  if (!std::isfinite(raw) || raw < -69.0) return clips;
  for (auto& c : clips) audio::applyGain(c, target - raw);
  const double before = energy(clips);
  const int rate = clips.front().sample_rate, channels = clips.front().channels;
  audio::Audio limited{{}, rate, channels};
  Collect collect(limited);
  audio::TruePeakLimiter limiter(collect, rate, channels, ceiling);
  for (const auto& c : clips) limiter.write(c);
  limiter.finish();
  if (limiter.maxGainReductionDb() <= 0.0) return clips;
  // Split back into the original clips (the limiter keeps the frame count).
  std::size_t at = 0;
  for (auto& c : clips) {
    std::copy_n(limited.samples.begin() + static_cast<std::ptrdiff_t>(at), c.samples.size(), c.samples.begin());
    at += c.samples.size();
  }
  const double after = energy(clips);
  if (after > 0 && before > after)
    for (auto& c : clips) audio::applyGain(c, 10.0 * std::log10(before / after));
  return clips;
}

audio::Audio masterOne(audio::Audio clip, Format out, double target, double ceiling, double& clock) {
  return std::move(master({std::move(clip)}, {}, out, target, ceiling, clock).front());
}

// Times what the stages after it take (inclusive), so the report can say
// what mastering costs next to encoding.
class TimedSink : public audio::AudioSink {
 public:
  explicit TimedSink(audio::AudioSink& next) : next_(next) {}
  void write(const audio::Audio& chunk) override { timed([&] { next_.write(chunk); }); }
  void finish() override { timed([&] { next_.finish(); }); }
  double seconds() const { return seconds_; }

 private:
  template <typename F>
  void timed(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  audio::AudioSink& next_;
  double seconds_ = 0;
};

// The chain every render goes through: Mixer -> TruePeakLimiter -> encoder.
// Records where each element landed.
class Program {
 public:
  // `ceiling_dbtp` is the render ceiling (renderTarget's, margin included).
  Program(const fs::path& output, const encode::OutputSettings& out, double ceiling_dbtp, double join_fade)
      : output_(output),
        writer_(encode::openWriter(output, out)),
        encode_time_(*writer_),
        limiter_(encode_time_, out.sample_rate, out.channels, ceiling_dbtp),
        chain_time_(limiter_),
        mixer_(chain_time_, out.sample_rate, out.channels, join_fade),
        channels_(out.channels) {}

  // Adds time spent mastering outside the chain (leveling elements offline).
  void addMasteringTime(double seconds) { offline_mastering_ += seconds; }

  audio::Mixer& mixer() { return mixer_; }
  int channels() const { return channels_; }

  void clip(const std::string& kind, int story, const std::string& label, const audio::Audio& audio,
            audio::ClipRole role = audio::ClipRole::Music, double overlap = 0.0) {
    const double start = mixer_.append(audio, role, overlap);
    report_.timeline.push_back({kind, story, start, start + audio.seconds(), label});
    if (role == audio::ClipRole::Voice) report_.speech_seconds += audio.seconds();
  }
  void pause(const std::string& kind, int story, double seconds) {
    if (seconds <= 0) return;
    const double start = mixer_.appendSilence(seconds);
    report_.timeline.push_back({kind, story, start, mixer_.position(), {}});
  }
  void chapter(const std::string& title, double start) { report_.chapters.push_back({title, start, start}); }

  RenderReport finish() {
    mixer_.flush();
    report_.frames = mixer_.frames();
    report_.seconds = mixer_.position();
    for (std::size_t i = 0; i < report_.chapters.size(); ++i)
      report_.chapters[i].end = i + 1 < report_.chapters.size() ? report_.chapters[i + 1].start : report_.seconds;
    writer_->setChapters(report_.chapters);
    limiter_.finish();  // flushes the look-ahead, then finishes the writer
    report_.output = output_;
    report_.limiter_reduction_db = limiter_.maxGainReductionDb();
    report_.encode_seconds = encode_time_.seconds();
    report_.mastering_seconds = offline_mastering_ + chain_time_.seconds() - encode_time_.seconds();
    return std::move(report_);
  }

 private:
  fs::path output_;
  std::unique_ptr<encode::EncodedOutput> writer_;
  TimedSink encode_time_;  // the encoder alone
  audio::TruePeakLimiter limiter_;
  TimedSink chain_time_;   // limiter + encoder
  audio::Mixer mixer_;
  double offline_mastering_ = 0;
  int channels_;
  RenderReport report_;
};

// A story's speech, synthesized up front so the whole story can be leveled as one.
struct SpokenStory {
  std::vector<audio::Audio> clips;  // one per spoken segment
  std::vector<const text::Segment*> segments;
};

SpokenStory synthesizeStory(Narrator& narrator, const std::vector<text::Segment>& segments,
                            const speech::VoiceProfile& voice, Format out, const LoudnessTarget& target,
                            double& clock) {
  SpokenStory story;
  std::vector<double> pauses;
  for (const auto& segment : segments) {
    if (segment.spoken.empty()) continue;
    story.clips.push_back(narrator.speak(segment.spoken, voice));
    story.segments.push_back(&segment);
    pauses.push_back(segment.pause_after);
  }
  story.clips = master(std::move(story.clips), pauses, out, target.integrated, target.true_peak, clock);
  return story;
}

// Speaks one story's segments with their pauses, the last pause left to the
// caller. Timeline labels are the display form (lexicon words, not phonemes).
void speakStory(Program& program, const SpokenStory& story, int index, const text::Lexicon& lexicon) {
  for (std::size_t i = 0; i < story.clips.size(); ++i) {
    program.clip("speech", index, text::displayForm(story.segments[i]->spoken, lexicon), story.clips[i],
                 audio::ClipRole::Voice);
    if (i + 1 < story.clips.size()) program.pause("pause", index, story.segments[i]->pause_after);
  }
}

std::string fill(std::string templ, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values)
    for (std::size_t at = templ.find(key); at != std::string::npos; at = templ.find(key, at + value.size()))
      templ.replace(at, key.size(), value);
  return templ;
}

// The opening and close as written text ("..., edisi Rabu, 11/6/2025.") for the normalizer to read.
std::pair<std::string, std::string> frameTexts(const Rundown& r, const Phrases& phrases,
                                               const std::vector<std::string>& weekdays) {
  const int y = std::stoi(r.date.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(r.date.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(r.date.substr(8, 2)));
  const std::chrono::weekday wd{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}};
  const std::vector<std::pair<std::string, std::string>> values = {
      {"{show}", r.show},
      {"{weekday}", weekdays.at(wd.c_encoding())},
      {"{date}", std::to_string(d) + "/" + std::to_string(m) + "/" + std::to_string(y)}};
  return {fill(phrases.opening, values), fill(phrases.closing, values)};
}

bool bedUnder(const Rundown& r, int story) {
  return r.bed && (r.bed->stories.empty() ||
                   std::find(r.bed->stories.begin(), r.bed->stories.end(), story) != r.bed->stories.end());
}

}  // namespace

RenderReport buildBulletin(const Rundown& rundown, const fs::path& out_dir) {
  Narrator narrator(rundown.lexicons);
  const Format format{rundown.output.sample_rate, rundown.output.channels};
  const fs::path output = out_dir / rundown.outputName();
  const LoudnessTarget render = renderTarget(rundown.loudness, output, rundown.output);
  const double target = render.integrated;
  double clock = 0;  // seconds spent leveling elements offline
  // Read and check everything before the output is opened.
  std::vector<std::vector<text::Segment>> stories;
  for (const Story& story : rundown.stories) stories.push_back(narrator.prepare(story.file, story.voice));
  // Jingles and bed are leveled on their own, at offsets from the voice's target.
  auto music = [&](const std::optional<fs::path>& file, double level) {
    return file ? masterOne(audio::readAudioFile(*file), format, target + level, render.true_peak, clock) : audio::Audio{};
  };
  const audio::Audio intro = music(rundown.intro, rundown.jingle_level);
  const audio::Audio outro = music(rundown.outro, rundown.jingle_level);
  const audio::Audio stinger = music(rundown.stinger, rundown.jingle_level);
  const audio::Audio bed = music(rundown.bed ? std::optional<fs::path>(rundown.bed->file) : std::nullopt, rundown.bed_level);
  const text::Normalizer& norm = narrator.normalizer(rundown.voice);
  const auto [opening, closing] =
      frameTexts(rundown, loadPhrases(rundown.voice.language_dir), norm.language().calendar.weekdays);
  const std::string opening_spoken = norm.normalize(opening);
  const std::string closing_spoken = norm.normalize(closing);

  std::error_code ec;
  if (!out_dir.empty()) fs::create_directories(out_dir, ec);
  if (ec) throw audio::AudioError(out_dir.string() + ": cannot create output folder: " + ec.message());
  const speech::VoiceProfile& frame = rundown.voice;  // the voice that opens and closes sets the transitions
  encode::OutputSettings settings = rundown.output;
  if (settings.tags.comment.empty()) {  // the episode's contents: its headlines
    for (const auto& story : stories)
      if (!story.empty()) settings.tags.comment += (settings.tags.comment.empty() ? "" : "; ") + story.front().text;
  }
  Program program(output, settings, render.true_peak, frame.join_fade);
  const double gap = rundown.voice.story_gap;
  const bool whole_bed = rundown.bed && rundown.bed->stories.empty();

  double overlap = 0.0;
  if (!intro.empty()) {
    program.clip("intro", -1, rundown.intro->filename().string(), intro);
    if (rundown.intro_overlap > 0) overlap = std::min(rundown.intro_overlap, intro.seconds());
    else program.pause("gap", -1, frame.jingle_pause);
  }
  const audio::Audio open_voice = masterOne(narrator.speak(opening_spoken, rundown.voice), format, target, render.true_peak, clock);
  // The bed starts with the first voice, under the crossfade too.
  if (whole_bed) program.mixer().startBed(bed, rundown.bed->mix, overlap);
  program.clip("opening", -1, text::displayForm(opening_spoken, norm.lexicon()), open_voice, audio::ClipRole::Voice, overlap);
  program.pause("gap", -1, gap);
  for (std::size_t i = 0; i < stories.size(); ++i) {
    const int index = static_cast<int>(i);
    const SpokenStory story = synthesizeStory(narrator, stories[i], rundown.stories[i].voice, format, render, clock);
    const bool own_bed = !whole_bed && bedUnder(rundown, index);
    if (own_bed) program.mixer().startBed(bed, rundown.bed->mix);
    program.chapter(stories[i].empty() ? rundown.stories[i].file.stem().string() : stories[i].front().text,
                    program.mixer().position());
    speakStory(program, story, index, narrator.normalizer(rundown.stories[i].voice).lexicon());
    if (own_bed) program.mixer().stopBed(frame.bed_fade_out);
    if (i + 1 < stories.size() && !stinger.empty()) {
      program.pause("gap", -1, frame.jingle_pause);
      program.clip("stinger", -1, rundown.stinger->filename().string(), stinger);
      program.pause("gap", -1, frame.jingle_pause);
    } else {
      program.pause("gap", -1, gap);
    }
  }
  program.clip("closing", -1, text::displayForm(closing_spoken, norm.lexicon()), masterOne(narrator.speak(closing_spoken, rundown.voice), format, target, render.true_peak, clock),
               audio::ClipRole::Voice);
  if (whole_bed) program.mixer().stopBed(frame.bed_fade_out);
  if (!outro.empty()) {
    program.pause("gap", -1, frame.jingle_pause);
    program.clip("outro", -1, rundown.outro->filename().string(), outro);
  } else if (rundown.bed) {
    program.pause("gap", -1, frame.bed_fade_out);  // let the bed fade out rather than stop
  }
  program.addMasteringTime(clock);
  RenderReport report = program.finish();
  report.target_lufs = rundown.loudness.integrated;
  return report;
}

RenderReport sayArticles(const std::vector<fs::path>& articles, const fs::path& output,
                         const speech::VoiceProfile& voice, const encode::OutputSettings& settings,
                         const LoudnessTarget& loudness) {
  Narrator narrator;
  std::vector<std::vector<text::Segment>> stories;
  for (const auto& article : articles) stories.push_back(narrator.prepare(article, voice));
  encode::OutputSettings out = settings;
  if (out.tags.title.empty() && !stories.empty() && !stories.front().empty())
    out.tags.title = stories.front().front().text;
  const LoudnessTarget render = renderTarget(loudness, output, out);
  double clock = 0;  // seconds spent leveling elements offline
  Program program(output, out, render.true_peak, voice.join_fade);
  for (std::size_t i = 0; i < stories.size(); ++i) {
    const SpokenStory story = synthesizeStory(narrator, stories[i], voice, Format{out.sample_rate, out.channels}, render, clock);
    if (!stories[i].empty()) program.chapter(stories[i].front().text, program.mixer().position());
    speakStory(program, story, static_cast<int>(i), narrator.normalizer(voice).lexicon());
    if (i + 1 < stories.size()) program.pause("gap", -1, voice.story_gap);
  }
  program.addMasteringTime(clock);
  RenderReport report = program.finish();
  report.target_lufs = loudness.integrated;
  return report;
}

void writeTimeline(const RenderReport& report, const fs::path& file) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3);
  for (const auto& e : report.timeline)
    out << e.start << '\t' << e.end << '\t' << e.kind << '\t' << e.story << '\t' << e.label << '\n';
  encode::writeFileAtomically(file, out.str());
}

}  // namespace warta::app
