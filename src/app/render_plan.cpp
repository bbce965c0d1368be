#include "app/render_plan.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <sstream>

#include "audio/audio_file.h"
#include "audio/edit.h"
#include "audio/limiter.h"
#include "audio/loudness.h"
#include "encode/handles.h"
#include "speech/espeak_engine.h"

namespace warta::app {
namespace fs = std::filesystem;

namespace {

// Output format of a render.
struct Format {
  int rate;
  int channels;
};

// Clips to master, in order, by index: from memory or from a SpeechSpool,
// so a story of any length needs one sentence in memory at a time.
struct ClipSource {
  std::size_t count = 0;
  std::function<audio::Audio(std::size_t)> clip;  // a fresh copy each call
  std::vector<double> pauses;                     // seconds after each clip (the last unused)
};

// Sums the energy of what passes (and drops it).
class EnergySink : public audio::AudioSink {
 public:
  void write(const audio::Audio& chunk) override {
    for (float v : chunk.samples) energy += static_cast<double>(v) * v;
  }
  void finish() override {}
  double energy = 0;
};

// Cuts a stream back into clips of the given frame counts, in order.
class ClipSplitter : public audio::AudioSink {
 public:
  ClipSplitter(std::vector<std::size_t> frames, int rate, int channels,
               std::function<void(std::size_t, audio::Audio&&)> emit)
      : frames_(std::move(frames)), emit_(std::move(emit)), current_{{}, rate, channels} {
    skipEmpty();
  }
  void write(const audio::Audio& chunk) override {
    const auto width = static_cast<std::size_t>(current_.channels);
    for (std::size_t at = 0; at < chunk.samples.size() && next_ < frames_.size();) {
      const std::size_t want = frames_[next_] * width - current_.samples.size();
      const std::size_t n = std::min(want, chunk.samples.size() - at);
      current_.samples.insert(current_.samples.end(), chunk.samples.begin() + static_cast<std::ptrdiff_t>(at),
                              chunk.samples.begin() + static_cast<std::ptrdiff_t>(at + n));
      at += n;
      if (current_.samples.size() == frames_[next_] * width) {
        emit_(next_++, std::move(current_));
        current_.samples.clear();
        skipEmpty();
      }
    }
  }
  void finish() override {}

 private:
  void skipEmpty() {
    while (next_ < frames_.size() && frames_[next_] == 0) emit_(next_++, audio::Audio{{}, current_.sample_rate, current_.channels});
  }
  std::vector<std::size_t> frames_;
  std::function<void(std::size_t, audio::Audio&&)> emit_;
  audio::Audio current_;
  std::size_t next_ = 0;
};

// Levels one element (a story's speech clips and the pauses between them, or
// one jingle) to `target` LUFS with peaks limited under `ceiling` dBTP, and
// hands each clip, in order, to `emit`. Loudness is measured with the
// pauses, because the 400 ms blocks that straddle a pause count too (leaving
// them out reads a story about 0.2 LU louder than it is); at the clips' own
// rate and channels (conversion costs more than the metering; eSpeak's 22.05
// kHz reads within 0.1 LU of the same speech at 44.1 kHz); mono counts +3.01
// dB when it plays on two channels (BS.1770 sums channel powers). The limiter
// takes a little loudness away; that is made up from the energy it removed
// (a plain gain, small enough that the chain's own limiter catches what it
// adds to the peaks), found by a first limiter pass whose output is dropped:
// the limiter is deterministic, so the second pass gives the same samples.
// Clips too quiet to measure pass unchanged. `clock` accumulates the seconds
// spent here (not in `emit`).
void master(const ClipSource& source, Format out, double target, double ceiling, double& clock,
            const std::function<void(std::size_t, audio::Audio&&)>& emit) {
  if (source.count == 0) return;
  auto started = std::chrono::steady_clock::now();
  auto lap = [&] {
    const auto now = std::chrono::steady_clock::now();
    clock += std::chrono::duration<double>(now - started).count();
    started = now;
  };
  std::vector<std::size_t> frames;
  int rate = 0, channels = 0;
  std::optional<audio::LoudnessMeter> meter;
  for (std::size_t i = 0; i < source.count; ++i) {
    const audio::Audio c = source.clip(i);
    frames.push_back(c.frames());
    if (!meter) {
      rate = c.sample_rate;
      channels = c.channels;
      meter.emplace(rate, channels, audio::LoudnessMeter::Measure::Loudness);
    }
    if (!c.empty()) meter->add(c);
    if (i + 1 < source.count && i < source.pauses.size()) meter->add(audio::Audio::silence(source.pauses[i], rate, channels));
  }
  double raw = frames.front() == 0 ? -HUGE_VAL : meter->integrated();
  if (channels == 1 && out.channels == 2) raw += 10.0 * std::log10(2.0);
  if (!std::isfinite(raw) || raw < -69.0) {
    lap();
    for (std::size_t i = 0; i < source.count; ++i) emit(i, source.clip(i));
    return;
  }
  const double gain = target - raw;
  double before = 0;
  EnergySink after;
  audio::TruePeakLimiter trial(after, rate, channels, ceiling);
  for (std::size_t i = 0; i < source.count; ++i) {
    audio::Audio c = source.clip(i);
    audio::applyGain(c, gain);
    for (float v : c.samples) before += static_cast<double>(v) * v;
    trial.write(c);
  }
  trial.finish();
  const double makeup = trial.maxGainReductionDb() > 0.0 && after.energy > 0 && before > after.energy
                            ? 10.0 * std::log10(before / after.energy)
                            : 0.0;
  lap();
  ClipSplitter split(frames, rate, channels, [&](std::size_t i, audio::Audio&& c) {
    if (makeup != 0.0) audio::applyGain(c, makeup);
    lap();
    emit(i, std::move(c));
    started = std::chrono::steady_clock::now();
  });
  audio::TruePeakLimiter limiter(split, rate, channels, ceiling);
  for (std::size_t i = 0; i < source.count; ++i) {
    audio::Audio c = source.clip(i);
    audio::applyGain(c, gain);
    limiter.write(c);
  }
  limiter.finish();
  lap();
}

audio::Audio masterOne(audio::Audio clip, Format out, double target, double ceiling, double& clock) {
  ClipSource one{1, [&](std::size_t) { return clip; }, {}};
  audio::Audio result;
  master(one, out, target, ceiling, clock, [&](std::size_t, audio::Audio&& c) { result = std::move(c); });
  return result;
}

// A story's speech as eSpeak's own 16-bit samples in a temporary file: the
// engine makes floats by dividing by 32768, so the round trip is exact.
class SpeechSpool {
 public:
  SpeechSpool() : file_(std::tmpfile()) {
    if (!file_) throw audio::AudioError(std::string("cannot create a temporary file for speech: ") + std::strerror(errno));
  }
  void add(const audio::Audio& clip) {
    if (clip.channels > 1) throw audio::AudioError("speech spool: speech is mono");
    rate_ = clip.sample_rate;
    std::vector<std::int16_t> pcm(clip.samples.size());
    for (std::size_t i = 0; i < pcm.size(); ++i)
      pcm[i] = static_cast<std::int16_t>(std::lrint(std::clamp(clip.samples[i] * 32768.0f, -32768.0f, 32767.0f)));
    offsets_.push_back(written_);
    frames_.push_back(pcm.size());
    if (std::fseek(file_.get(), static_cast<long>(written_ * 2), SEEK_SET) != 0 ||
        std::fwrite(pcm.data(), 2, pcm.size(), file_.get()) != pcm.size())
      throw audio::AudioError(std::string("cannot write speech to a temporary file: ") + std::strerror(errno));
    written_ += pcm.size();
  }
  audio::Audio clip(std::size_t i) const {
    std::vector<std::int16_t> pcm(frames_.at(i));
    if (std::fseek(file_.get(), static_cast<long>(offsets_[i] * 2), SEEK_SET) != 0 ||
        std::fread(pcm.data(), 2, pcm.size(), file_.get()) != pcm.size())
      throw audio::AudioError("cannot read speech back from its temporary file");
    audio::Audio a{std::vector<float>(pcm.size()), rate_, 1};
    for (std::size_t k = 0; k < pcm.size(); ++k) a.samples[k] = static_cast<float>(pcm[k]) / 32768.0f;
    return a;
  }

 private:
  encode::File file_;
  std::vector<std::size_t> offsets_, frames_;
  std::size_t written_ = 0;
  int rate_ = 0;
};

// Times what the stages after it take (inclusive), so the report can say
// what mastering costs next to encoding.
class TimedSink : public audio::AudioSink {
 public:
  explicit TimedSink(audio::AudioSink& next, bool pass_finish = true) : next_(next), pass_finish_(pass_finish) {}
  void write(const audio::Audio& chunk) override { timed([&] { next_.write(chunk); }); }
  void finish() override {
    if (pass_finish_) timed([&] { next_.finish(); });
  }
  double seconds() const { return seconds_; }
  template <typename F>
  void timed(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

 private:
  audio::AudioSink& next_;
  bool pass_finish_;
  double seconds_ = 0;
};

// The worker's eSpeak engine, switched between the plan's voices.
class Speaker {
 public:
  audio::Audio speak(const std::string& spoken, const speech::VoiceProfile& voice) {
    if (!engine_) engine_.emplace();
    const std::string key = voiceKey(voice);
    if (key != current_) {
      engine_->setVoice(voice);
      current_ = key;
    }
    return engine_->synthesize(spoken);
  }
  static std::string voiceKey(const speech::VoiceProfile& v) {
    std::ostringstream key;
    key << v.espeak_voice << '+' << v.variant << '/' << v.rate_wpm << '/' << v.pitch << '/' << v.pitch_range << '/'
        << v.volume;
    return key.str();
  }

 private:
  std::optional<speech::EspeakEngine> engine_;
  std::string current_;
};

// Timeline labels and chapter titles as one line of text.
std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char c = text[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c;
  }
  return out;
}

std::string exact(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

std::vector<std::string> splitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
    fields.push_back(line.substr(start, tab - start));
  fields.push_back(line.substr(start));
  return fields;
}

}  // namespace

std::string encodeReport(const ChunkReport& r) {
  std::ostringstream out;
  out << "warta-chunk-report 1\n"
      << "frames\t" << r.frames << '\n'
      << "speech\t" << exact(r.speech_seconds) << '\n'
      << "limiter\t" << exact(r.limiter_reduction_db) << '\n'
      << "mastering\t" << exact(r.mastering_seconds) << '\n'
      << "encoding\t" << exact(r.encode_seconds) << '\n';
  for (const auto& e : r.timeline)
    out << "T\t" << escape(e.kind) << '\t' << e.story << '\t' << exact(e.start) << '\t' << exact(e.end) << '\t'
        << escape(e.label) << '\n';
  for (const auto& [title, start] : r.chapters) out << "C\t" << escape(title) << '\t' << exact(start) << '\n';
  return out.str();
}

ChunkReport decodeReport(const std::string& meta, const fs::path& file) {
  ChunkReport r;
  std::istringstream in(meta);
  std::string line;
  if (!std::getline(in, line) || line != "warta-chunk-report 1")
    throw encode::ChunkError(file.string() + ": chunk has no render report");
  try {
    while (std::getline(in, line)) {
      const std::vector<std::string> f = splitTabs(line);
      if (f[0] == "frames" && f.size() == 2) r.frames = std::stoll(f[1]);
      else if (f[0] == "speech" && f.size() == 2) r.speech_seconds = std::stod(f[1]);
      else if (f[0] == "limiter" && f.size() == 2) r.limiter_reduction_db = std::stod(f[1]);
      else if (f[0] == "mastering" && f.size() == 2) r.mastering_seconds = std::stod(f[1]);
      else if (f[0] == "encoding" && f.size() == 2) r.encode_seconds = std::stod(f[1]);
      else if (f[0] == "T" && f.size() == 6)
        r.timeline.push_back({unescape(f[1]), std::stoi(f[2]), std::stod(f[3]), std::stod(f[4]), unescape(f[5])});
      else if (f[0] == "C" && f.size() == 3) r.chapters.emplace_back(unescape(f[1]), std::stod(f[2]));
      else throw std::invalid_argument(line);
    }
  } catch (const std::exception&) {
    throw encode::ChunkError(file.string() + ": chunk's render report is damaged");
  }
  return r;
}

std::string describeChunk(const RenderPlan& plan, std::size_t index,
                          const std::function<std::string(const fs::path&)>& file_hash) {
  std::ostringstream d;
  const encode::OutputSettings& s = plan.settings;
  const bool last = index + 1 == plan.chunks.size();
  d << "warta chunk 1\n"
    << "codec " << static_cast<int>(plan.codec) << " rate " << s.sample_rate << " channels " << s.channels
    << " kbps " << s.bitrate_kbps << " last " << last << '\n'
    << "render " << exact(plan.render.integrated) << ' ' << exact(plan.render.true_peak) << " join "
    << exact(plan.join_fade) << '\n';
  bool bed = false;
  for (const Step& step : plan.chunks.at(index)) {
    d << "step " << static_cast<int>(step.op) << " kind " << escape(step.kind) << " story " << step.story
      << " label " << escape(step.label) << " level " << exact(step.level) << " seconds " << exact(step.seconds)
      << " overlap " << exact(step.overlap) << '\n';
    if (!step.file.empty()) d << "file " << file_hash(step.file) << '\n';
    if (step.op == Step::Op::Voice || step.op == Step::Op::Story) {
      const speech::VoiceProfile& v = plan.voices.at(static_cast<std::size_t>(step.voice));
      d << "voice " << Speaker::voiceKey(v) << '\n';
    }
    if (step.op == Step::Op::Voice) d << "spoken " << escape(step.spoken) << '\n';
    for (const auto& seg : step.segments)
      d << "segment " << escape(seg.spoken) << '\t' << escape(seg.label) << '\t' << exact(seg.pause_after) << '\n';
    bed = bed || step.op == Step::Op::BedStart;
  }
  if (bed && plan.bed_file)
    d << "bed " << file_hash(*plan.bed_file) << ' ' << exact(plan.bed_level) << ' ' << exact(plan.bed_mix.duck_db)
      << ' ' << exact(plan.bed_mix.attack) << ' ' << exact(plan.bed_mix.release) << ' '
      << exact(plan.bed_mix.fade_in) << '\n';
  return d.str();
}

void renderChunk(const RenderPlan& plan, std::size_t index, const fs::path& file) {
  const std::vector<Step>& steps = plan.chunks.at(index);
  const bool last = index + 1 == plan.chunks.size();
  const Format format{plan.settings.sample_rate, plan.settings.channels};
  const double target = plan.render.integrated, ceiling = plan.render.true_peak;
  ChunkReport report;
  double clock = 0;  // seconds spent leveling elements offline

  encode::ChunkWriter writer(file, plan.settings, plan.codec);
  // The limiter's finish() must not finish the writer: the report goes in first.
  TimedSink encode_time(writer, false);
  audio::TruePeakLimiter limiter(encode_time, format.rate, format.channels, ceiling);
  TimedSink chain_time(limiter);
  audio::Mixer mixer(chain_time, format.rate, format.channels, plan.join_fade);
  Speaker speaker;
  std::optional<audio::Audio> bed;  // leveled on first use
  double previous_clip = 0;         // seconds: a Voice overlap is clipped to it

  auto clip = [&](const Step& s, const std::string& kind, const std::string& label, const audio::Audio& a,
                  audio::ClipRole role, double overlap) {
    const double start = mixer.append(a, role, overlap);
    report.timeline.push_back({kind, s.story, start, start + a.seconds(), label});
    if (role == audio::ClipRole::Voice) report.speech_seconds += a.seconds();
    previous_clip = a.seconds();
  };
  auto pause = [&](const std::string& kind, int story, double seconds) {
    if (seconds <= 0) return;
    const double start = mixer.appendSilence(seconds);
    report.timeline.push_back({kind, story, start, mixer.position(), {}});
  };

  for (const Step& s : steps) {
    switch (s.op) {
      case Step::Op::Jingle:
        clip(s, s.kind, s.label,
             masterOne(audio::readAudioFile(s.file), format, target + s.level, ceiling, clock),
             audio::ClipRole::Music, s.overlap);
        break;
      case Step::Op::Voice: {
        const double overlap = std::min(s.overlap, previous_clip);
        clip(s, s.kind, s.label,
             masterOne(speaker.speak(s.spoken, plan.voices.at(static_cast<std::size_t>(s.voice))), format, target,
                       ceiling, clock),
             audio::ClipRole::Voice, overlap);
        break;
      }
      case Step::Op::Story: {
        // Spooled whole first, so the story is leveled as one.
        SpeechSpool spool;
        ClipSource source;
        for (const auto& seg : s.segments) {
          spool.add(speaker.speak(seg.spoken, plan.voices.at(static_cast<std::size_t>(s.voice))));
          source.pauses.push_back(seg.pause_after);
        }
        source.count = s.segments.size();
        source.clip = [&](std::size_t i) { return spool.clip(i); };
        master(source, format, target, ceiling, clock, [&](std::size_t i, audio::Audio&& c) {
          clip(s, "speech", s.segments[i].label, c, audio::ClipRole::Voice, 0.0);
          if (i + 1 < s.segments.size()) pause("pause", s.story, s.segments[i].pause_after);
        });
        break;
      }
      case Step::Op::Pause:
        pause(s.kind, s.story, s.seconds);
        break;
      case Step::Op::BedStart:
        if (!bed) bed = masterOne(audio::readAudioFile(*plan.bed_file), format, target + plan.bed_level, ceiling, clock);
        mixer.startBed(*bed, plan.bed_mix, std::min(s.overlap, previous_clip));  // under the crossfade, as the voice
        break;
      case Step::Op::BedStop:
        mixer.stopBed(s.seconds);
        break;
      case Step::Op::Chapter:
        report.chapters.emplace_back(s.label, mixer.position());
        break;
    }
  }
  // A chunk another follows ends on a whole encoder frame (in its closing
  // silence, which the last pause step grows into).
  if (!last) {
    const auto align = static_cast<std::size_t>(encode::chunkAlignment(plan.settings, plan.codec));
    const std::size_t extra = (align - mixer.frames() % align) % align;
    if (extra > 0) {
      const double before = mixer.position();
      mixer.appendSilenceFrames(extra);
      if (!report.timeline.empty() && report.timeline.back().label.empty() &&
          std::abs(report.timeline.back().end - before) < 1e-9)
        report.timeline.back().end = mixer.position();
    }
  }
  mixer.flush();
  limiter.finish();
  report.frames = static_cast<std::int64_t>(mixer.frames());
  report.limiter_reduction_db = limiter.maxGainReductionDb();
  report.mastering_seconds = clock + chain_time.seconds() - encode_time.seconds();
  report.encode_seconds = encode_time.seconds();  // the encoder's final flush is not counted
  writer.setMeta(encodeReport(report));
  writer.finish();
}

}  // namespace warta::app
