#include "app/pipeline.h"

#include <chrono>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "app/language_loader.h"
#include "audio/audio_file.h"
#include "audio/mixer.h"
#include "encode/atomic_file.h"
#include "text/article.h"
#include "text/segment.h"

namespace warta::app {
namespace fs = std::filesystem;

// Silence around jingles and stingers, seconds: enough to separate them from
// the voice without sounding like dead air.
constexpr double kAfterIntro = 0.5;
constexpr double kAroundStinger = 0.4;
constexpr double kBeforeOutro = 0.6;

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

// Writes clips and pauses through the Mixer and records where each landed.
class Sequence {
 public:
  Sequence(audio::AudioSink& sink, const encode::OutputSettings& out)
      : mixer_(sink, out.sample_rate, out.channels) {}

  void clip(const std::string& kind, int story, const std::string& label, const audio::Audio& audio) {
    const double start = mixer_.append(audio);
    report_.timeline.push_back({kind, story, start, mixer_.position(), label});
  }
  void speech(const std::string& kind, int story, const std::string& spoken, Narrator& narrator,
              const speech::VoiceProfile& voice) {
    const audio::Audio audio = narrator.speak(spoken, voice);
    report_.speech_seconds += audio.seconds();
    clip(kind, story, spoken, audio);
  }
  void pause(const std::string& kind, int story, double seconds) {
    if (seconds <= 0) return;
    const double start = mixer_.appendSilence(seconds);
    report_.timeline.push_back({kind, story, start, mixer_.position(), {}});
  }
  RenderReport finish(const fs::path& output) {
    report_.output = output;
    report_.frames = mixer_.frames();
    report_.seconds = mixer_.position();
    return std::move(report_);
  }

 private:
  audio::Mixer mixer_;
  RenderReport report_;
};

// Speaks one story's segments with their pauses, the last pause left to the caller.
void speakStory(Sequence& seq, Narrator& narrator, const std::vector<text::Segment>& segments, int story,
                const speech::VoiceProfile& voice) {
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].spoken.empty()) continue;
    seq.speech("speech", story, segments[i].spoken, narrator, voice);
    if (i + 1 < segments.size()) seq.pause("pause", story, segments[i].pause_after);
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

}  // namespace

RenderReport buildBulletin(const Rundown& rundown, const fs::path& out_dir) {
  Narrator narrator(rundown.lexicons);
  // Read and check everything before the output is opened.
  std::vector<std::vector<text::Segment>> stories;
  for (const Story& story : rundown.stories) stories.push_back(narrator.prepare(story.file, story.voice));
  const audio::Audio intro = rundown.intro ? audio::readAudioFile(*rundown.intro) : audio::Audio{};
  const audio::Audio outro = rundown.outro ? audio::readAudioFile(*rundown.outro) : audio::Audio{};
  const audio::Audio stinger = rundown.stinger ? audio::readAudioFile(*rundown.stinger) : audio::Audio{};
  const text::Normalizer& norm = narrator.normalizer(rundown.voice);
  const auto [opening, closing] =
      frameTexts(rundown, loadPhrases(rundown.voice.language_dir), norm.language().calendar.weekdays);
  const std::string opening_spoken = norm.normalize(opening);
  const std::string closing_spoken = norm.normalize(closing);

  std::error_code ec;
  if (!out_dir.empty()) fs::create_directories(out_dir, ec);
  if (ec) throw audio::AudioError(out_dir.string() + ": cannot create output folder: " + ec.message());
  const fs::path output = out_dir / rundown.outputName();
  auto sink = encode::openWriter(output, rundown.output);
  Sequence seq(*sink, rundown.output);
  const double gap = rundown.voice.story_gap;

  if (!intro.empty()) {
    seq.clip("intro", -1, rundown.intro->filename().string(), intro);
    seq.pause("gap", -1, kAfterIntro);
  }
  seq.speech("opening", -1, opening_spoken, narrator, rundown.voice);
  seq.pause("gap", -1, gap);
  for (std::size_t i = 0; i < stories.size(); ++i) {
    const int index = static_cast<int>(i);
    speakStory(seq, narrator, stories[i], index, rundown.stories[i].voice);
    if (i + 1 < stories.size() && !stinger.empty()) {
      seq.pause("gap", -1, kAroundStinger);
      seq.clip("stinger", -1, rundown.stinger->filename().string(), stinger);
      seq.pause("gap", -1, kAroundStinger);
    } else {
      seq.pause("gap", -1, gap);
    }
  }
  seq.speech("closing", -1, closing_spoken, narrator, rundown.voice);
  if (!outro.empty()) {
    seq.pause("gap", -1, kBeforeOutro);
    seq.clip("outro", -1, rundown.outro->filename().string(), outro);
  }
  sink->finish();
  return seq.finish(output);
}

RenderReport sayArticles(const std::vector<fs::path>& articles, const fs::path& output,
                         const speech::VoiceProfile& voice, const encode::OutputSettings& settings) {
  Narrator narrator;
  std::vector<std::vector<text::Segment>> stories;
  for (const auto& article : articles) stories.push_back(narrator.prepare(article, voice));
  encode::OutputSettings out = settings;
  if (out.tags.title.empty() && !stories.empty() && !stories.front().empty())
    out.tags.title = stories.front().front().text;
  auto sink = encode::openWriter(output, out);
  Sequence seq(*sink, out);
  for (std::size_t i = 0; i < stories.size(); ++i) {
    speakStory(seq, narrator, stories[i], static_cast<int>(i), voice);
    if (i + 1 < stories.size()) seq.pause("gap", -1, voice.story_gap);
  }
  sink->finish();
  return seq.finish(output);
}

void writeTimeline(const RenderReport& report, const fs::path& file) {
  encode::AtomicFile atomic(file);
  {
    std::ofstream out(atomic.tempPath());
    out << std::fixed << std::setprecision(3);
    for (const auto& e : report.timeline)
      out << e.start << '\t' << e.end << '\t' << e.kind << '\t' << e.story << '\t' << e.label << '\n';
    if (!out) throw audio::AudioError(file.string() + ": cannot write timeline");
  }
  atomic.commit();
}

}  // namespace warta::app
