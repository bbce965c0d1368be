// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/render_plan.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>

#include "audio/audio_file.h"
#include "audio/bed.h"
#include "audio/limiter.h"
#include "audio/leveler.h"
#include "audio/loudness.h"
#include "render/layout.h"
#include "render/speech_file.h"
#include "speech/engine.h"

namespace warta::app {
namespace fs = std::filesystem;

namespace {

// Output format of a render.
struct Format {
  int rate;
  int channels;
};

// How the first pass leveled a jingle or the bed.
audio::BedLevel bedLevelOf(const StepSound& s) {
  audio::BedLevel l;
  l.gain_db = s.gain_db;
  l.limited = s.limited;
  l.measured_lufs = s.measured;
  return l;
}

// Levels through audio/leveler.h, adding the time it takes (not the time
// `emit` takes: that is mixing and encoding) to `clock`.
// Returns what the leveler measured before leveling (-infinity: too quiet to level).
double master(const audio::ClipSource& source, Format out, double target, double ceiling, int threads, double& clock,
              const std::function<void(std::size_t, audio::Audio&&)>& emit) {
  double emitting = 0;
  const auto started = std::chrono::steady_clock::now();
  const double measured = audio::levelClips(
      source, out.channels, target, ceiling,
      [&](std::size_t i, audio::Audio&& c) {
        const auto at = std::chrono::steady_clock::now();
        emit(i, std::move(c));
        emitting += std::chrono::duration<double>(std::chrono::steady_clock::now() - at).count();
      },
      out.rate, threads);
  clock += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() - emitting;
  return measured;
}

// Times what the stages after it take (inclusive), so the report can say
// what mastering costs next to encoding.
class TimedSink : public audio::AudioSink {
 public:
  explicit TimedSink(audio::AudioSink& next, bool pass_finish = true) : next_(next), pass_finish_(pass_finish) {}
  void write(const audio::Audio& chunk) override {
    timed([&] { next_.write(chunk); });
  }
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

// The voice a step speaks with, at the eSpeak rate its pace asks for.
speech::VoiceProfile voiceFor(const RenderPlan& plan, const Step& step) {
  speech::VoiceProfile v = plan.voices.at(static_cast<std::size_t>(step.voice));
  if (step.espeak_rate > 0) v.rate_wpm = step.espeak_rate;
  return v;
}

// The worker's speech engine, made on first use and switched between the plan's voices.
class Speaker {
 public:
  speech::Speech speak(const std::string& spoken, const speech::VoiceProfile& voice) {
    if (!engine_) engine_ = speech::makeEngine();
    engine_->setVoice(voice);
    return engine_->speak(spoken);
  }

 private:
  std::unique_ptr<speech::Engine> engine_;
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

// (render_plan.h)
// The written words of `seg` placed in time: each unit starts where eSpeak
// started its first spoken word (`starts`, frames at `rate` from the clip's
// start at `offset` seconds) and ends where the next unit starts, or at the
// clip's end. A unit said as nothing (a degree) takes no time. Empty if the
// units do not cover eSpeak's words exactly.
std::vector<publish::TimedWord> timeWords(const PlannedSegment& seg, const std::vector<std::size_t>& starts, int rate,
                                          double offset, double clip_end) {
  std::size_t total = 0;
  for (const auto& w : seg.words) total += w.spoken_words;
  if (seg.words.empty() || total != starts.size()) return {};
  const auto at = [&](std::size_t k) {
    return k < starts.size() ? std::min(clip_end, offset + static_cast<double>(starts[k]) / rate) : clip_end;
  };
  std::vector<publish::TimedWord> timed;
  std::size_t k = 0;
  for (const auto& w : seg.words) {
    timed.push_back({at(k), at(k + w.spoken_words), w.text});
    k += w.spoken_words;
  }
  return timed;
}

std::string encodeReport(const ChunkReport& r) {
  std::ostringstream out;
  out << "warta-chunk-report 5\n"
      << "frames\t" << r.frames << '\n'
      << "limiter\t" << exact(r.limiter_reduction_db) << '\n'
      << "mastering\t" << exact(r.mastering_seconds) << '\n'
      << "encoding\t" << exact(r.encode_seconds) << '\n';
  return out.str();
}

ChunkReport decodeReport(const std::string& meta, const fs::path& file) {
  ChunkReport r;
  std::istringstream in(meta);
  std::string line;
  if (!std::getline(in, line) || line != "warta-chunk-report 5")
    throw encode::ChunkError(file.string() + ": chunk has no render report");
  try {
    while (std::getline(in, line)) {
      const std::vector<std::string> f = splitTabs(line);
      if (f.size() != 2) throw std::invalid_argument(line);
      if (f[0] == "frames") r.frames = std::stoll(f[1]);
      else if (f[0] == "limiter") r.limiter_reduction_db = std::stod(f[1]);
      else if (f[0] == "mastering") r.mastering_seconds = std::stod(f[1]);
      else if (f[0] == "encoding") r.encode_seconds = std::stod(f[1]);
      else throw std::invalid_argument(line);
    }
  } catch (const std::exception&) {
    throw encode::ChunkError(file.string() + ": chunk's render report is damaged");
  }
  return r;
}

std::string encodeSound(const StepSound& s) {
  std::ostringstream out;
  out << "warta-sound 1\n"
      << "rate\t" << s.clip_rate << '\n'
      << "out\t" << s.out_frames << '\n'
      << "measured\t" << exact(s.measured) << '\n'
      << "gain\t" << exact(s.gain_db) << '\n'
      << "limited\t" << s.limited << '\n'
      << "mastering\t" << exact(s.mastering_seconds) << '\n';
  for (std::size_t i = 0; i < s.clips.size(); ++i) {
    out << "clip\t" << s.clips[i];
    if (i < s.word_starts.size())
      for (std::size_t w : s.word_starts[i]) out << '\t' << w;
    out << '\n';
  }
  return out.str();
}

StepSound decodeSound(const std::string& text, const fs::path& file) {
  StepSound s;
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != "warta-sound 1")
    throw encode::ChunkError(file.string() + ": not a sound report");
  try {
    while (std::getline(in, line)) {
      const std::vector<std::string> f = splitTabs(line);
      if (f[0] == "clip" && f.size() >= 2) {
        s.clips.push_back(std::stoll(f[1]));
        s.word_starts.emplace_back();
        for (std::size_t k = 2; k < f.size(); ++k) s.word_starts.back().push_back(std::stoull(f[k]));
        continue;
      }
      if (f.size() != 2) throw std::invalid_argument(line);
      if (f[0] == "rate") s.clip_rate = std::stoi(f[1]);
      else if (f[0] == "out") s.out_frames = std::stoll(f[1]);
      else if (f[0] == "measured") s.measured = std::stod(f[1]);
      else if (f[0] == "gain") s.gain_db = std::stod(f[1]);
      else if (f[0] == "limited") s.limited = f[1] == "1";
      else if (f[0] == "mastering") s.mastering_seconds = std::stod(f[1]);
      else throw std::invalid_argument(line);
    }
  } catch (const std::exception&) {
    throw encode::ChunkError(file.string() + ": sound report is damaged");
  }
  return s;
}

bool needsSound(const RenderPlan& plan, std::size_t index) {
  const Step::Op op = plan.steps.at(index).op;
  return op == Step::Op::Voice || op == Step::Op::Story || op == Step::Op::Jingle ||
         (op == Step::Op::BedStart && plan.bed_file);
}

std::string describeSound(const RenderPlan& plan, std::size_t index,
                          const std::function<std::string(const fs::path&)>& file_hash) {
  const Step& step = plan.steps.at(index);
  const encode::OutputSettings& o = plan.settings;
  std::ostringstream d;
  // What leveling judges: the target, the ceiling, the rate and channels heard.
  d << "warta sound 2\n"
    << "op " << static_cast<int>(step.op) << " rate " << o.sample_rate << " channels " << o.channels << '\n'
    << "render " << exact(plan.render.integrated) << ' ' << exact(plan.render.true_peak) << '\n';
  switch (step.op) {
    case Step::Op::Jingle:
      d << "jingle " << file_hash(step.file) << ' ' << exact(step.level) << '\n';
      break;
    case Step::Op::BedStart:
      d << "bed " << file_hash(*plan.bed_file) << ' ' << exact(plan.bed_level) << '\n';
      break;
    default:
      d << "voice " << voiceFor(plan, step).synthesisKey() << '\n';
      // The pauses count: leveling measures the clips with them.
      for (const auto& seg : step.segments)
        d << "segment " << escape(seg.spoken) << '\t' << exact(seg.pause_after) << '\n';
  }
  return d.str();
}

namespace {

// Levels a spoken step's clips (`read` as audio::ClipSource's; `frames` per
// clip at `rate` Hz) into `out`, filling `sound`'s clips, rate and measured
// loudness.
void levelSpoken(const RenderPlan& plan, std::size_t index, const std::function<void(std::size_t, audio::Audio&)>& read,
                 const std::vector<std::size_t>& frames, int rate, int threads, StepSound& sound, SpeechFileWriter& out,
                 double& clock) {
  const Step& s = plan.steps.at(index);
  audio::ClipSource source;
  source.count = s.segments.size();
  source.read = read;
  for (const auto& seg : s.segments) source.pauses.push_back(seg.pause_after);
  source.frames = frames;
  source.rate = rate;
  source.channels = 1;
  sound.clip_rate = rate;
  const Format format{plan.settings.sample_rate, plan.settings.channels};
  sound.measured = master(source, format, plan.render.integrated, plan.render.true_peak, threads, clock,
                          [&](std::size_t, audio::Audio&& c) {
                            sound.clips.push_back(static_cast<std::int64_t>(c.frames()));
                            if (c.sample_rate > 0) sound.clip_rate = c.sample_rate;
                            out.add(c);
                          });
}

}  // namespace

std::vector<std::size_t> speakingParts(const Step& step) {
  std::vector<std::size_t> starts = {0};
  if (step.op != Step::Op::Story) return starts;
  std::size_t left = 0;
  for (const auto& seg : step.segments) left += seg.spoken.size();
  std::size_t part = 0;
  for (std::size_t i = 0; i + 1 < step.segments.size(); ++i) {
    const std::size_t n = step.segments[i].spoken.size();
    part += n;
    left -= n;
    if (part >= kSpeakingPartChars && left >= kSpeakingPartChars) starts.push_back(i + 1), part = 0;
  }
  return starts;
}

void speakPart(const RenderPlan& plan, std::size_t index, std::size_t first, std::size_t end, const fs::path& file) {
  const Step& s = plan.steps.at(index);
  if (first >= end || end > s.segments.size())
    throw audio::AudioError("render: step " + std::to_string(index) + " has no segments " + std::to_string(first) +
                            " to " + std::to_string(end));
  Speaker speaker;
  const speech::VoiceProfile voice = voiceFor(plan, s);
  StepSound part;
  SpeechFileWriter out(file);
  for (std::size_t k = first; k < end; ++k) {
    speech::Speech said = speaker.speak(s.segments[k].spoken, voice);
    part.clip_rate = said.audio.sample_rate;
    part.clips.push_back(static_cast<std::int64_t>(said.audio.frames()));
    part.word_starts.push_back(std::move(said.word_starts));
    out.add(said.audio);
  }
  out.finish(encodeSound(part));
}

void levelParts(const RenderPlan& plan, std::size_t index, const std::vector<fs::path>& parts, const fs::path& file,
                int threads) {
  StepSound sound;
  std::vector<SpeechFileReader> readers;
  std::vector<std::pair<std::size_t, std::size_t>> where;  // clip -> (part, clip in it)
  std::vector<std::size_t> frames;
  int rate = 0;
  for (const fs::path& p : parts) {
    readers.emplace_back(p, true);
    StepSound part = decodeSound(readers.back().report(), p);
    for (std::size_t k = 0; k < readers.back().clips(); ++k) {
      where.emplace_back(readers.size() - 1, k);
      frames.push_back(static_cast<std::size_t>(readers.back().frames(k)));
    }
    for (auto& w : part.word_starts) sound.word_starts.push_back(std::move(w));
    if (readers.back().clips() > 0) rate = readers.back().rate();
  }
  if (frames.size() != plan.steps.at(index).segments.size())
    throw audio::AudioError("render: step " + std::to_string(index) + ": its parts hold " +
                            std::to_string(frames.size()) + " clips, not one per segment");
  SpeechFileWriter out(file);
  double clock = 0;
  levelSpoken(
      plan, index, [&](std::size_t i, audio::Audio& out) { out = readers[where.at(i).first].clip(where[i].second); },
      frames, rate, threads, sound, out, clock);
  sound.mastering_seconds = clock;
  out.finish(encodeSound(sound));
}

void renderSound(const RenderPlan& plan, std::size_t index, const fs::path& file, int threads) {
  const Step& s = plan.steps.at(index);
  const Format format{plan.settings.sample_rate, plan.settings.channels};
  const double target = plan.render.integrated, ceiling = plan.render.true_peak;
  StepSound sound;
  SpeechFileWriter out(file);
  double clock = 0;
  switch (s.op) {
    case Step::Op::Jingle:
    case Step::Op::BedStart: {
      const auto started = std::chrono::steady_clock::now();
      const bool jingle = s.op == Step::Op::Jingle;
      const fs::path& source = jingle ? s.file : *plan.bed_file;
      const audio::BedLevel level =
          jingle ? audio::measureJingle(source, format.rate, format.channels, target + s.level, ceiling)
                 : audio::measureBed(source, format.rate, format.channels, target + plan.bed_level, ceiling);
      sound.measured = level.measured_lufs;
      sound.gain_db = level.gain_db;
      sound.limited = level.limited;
      if (jingle) {  // its length, as the mixer will stream it
        audio::BedFile played(source, level, format.rate, format.channels, ceiling, 0, audio::BedFile::Repeat::Once);
        std::vector<float> piece(std::size_t{1} << 15);
        for (std::size_t n;
             (n = played.readSome(piece.data(), piece.size() / static_cast<std::size_t>(format.channels))) > 0;)
          sound.out_frames += static_cast<std::int64_t>(n);
        sound.clip_rate = played.sourceRate();
        sound.clips.push_back(static_cast<std::int64_t>(played.sourceFrames()));
      }
      clock += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      break;
    }
    case Step::Op::Voice:
    case Step::Op::Story: {
      // Spooled whole first, so the step is leveled as one.
      Speaker speaker;
      audio::ClipSpool spool;  // eSpeak's floats are its 16-bit samples / 32768: exact
      const speech::VoiceProfile voice = voiceFor(plan, s);
      for (const auto& seg : s.segments) {
        speech::Speech said = speaker.speak(seg.spoken, voice);
        sound.word_starts.push_back(std::move(said.word_starts));
        spool.add(said.audio);
      }
      levelSpoken(
          plan, index, [&](std::size_t i, audio::Audio& clip) { spool.read(i, clip); }, spool.frames(), spool.rate(),
          threads, sound, out, clock);
      break;
    }
    default:
      throw audio::AudioError("render: step " + std::to_string(index) + " has no sound to make");
  }
  sound.mastering_seconds = clock;
  out.finish(encodeSound(sound));
}

namespace {

// The chunk's own frames [from, to) of the programme go on to `next`; what
// comes before and after is only context for the mixer and the limiter.
class WindowSink : public audio::AudioSink {
 public:
  WindowSink(audio::AudioSink& next, std::int64_t origin, std::int64_t from, std::int64_t to)
      : next_(next), at_(origin), from_(from), to_(to) {}
  void write(const audio::Audio& chunk) override {
    const auto n = static_cast<std::int64_t>(chunk.frames());
    const std::int64_t lo = std::max(at_, from_), hi = std::min(at_ + n, to_);
    if (lo < hi) {
      const auto width = static_cast<std::size_t>(chunk.channels);
      if (lo == at_ && hi == at_ + n) {
        next_.write(chunk);
      } else {
        piece_.sample_rate = chunk.sample_rate;
        piece_.channels = chunk.channels;
        piece_.samples.assign(chunk.samples.begin() + static_cast<std::ptrdiff_t>((lo - at_) * width),
                              chunk.samples.begin() + static_cast<std::ptrdiff_t>((hi - at_) * width));
        next_.write(piece_);
      }
    }
    at_ += n;
  }
  void finish() override {}
  std::int64_t position() const { return at_; }

 private:
  audio::AudioSink& next_;
  std::int64_t at_, from_, to_;
  audio::Audio piece_;
};

std::int64_t chunkEnd(const RenderPlan& plan, const Layout& layout, std::size_t index) {
  return index + 1 < plan.cuts.size() ? plan.cuts[index + 1] : layout.frames;
}

// What a chunk cut anywhere encodes around its own frames (render/layout.h):
// the encoder's pre- and postroll, and its joins (where the bit reservoir is
// emptied). Cut in silence, none.
encode::ChunkSpan spanOf(const RenderPlan& plan, const Layout& layout, std::size_t index) {
  encode::ChunkSpan span;
  if (!plan.anywhere || plan.codec != encode::ChunkCodec::Mp3) return span;
  const std::int64_t from = plan.cuts.at(index), to = chunkEnd(plan, layout, index);
  span.start = from;
  if (index > 0) span.joins.push_back(from);
  if (index + 1 < plan.cuts.size()) span.joins.push_back(to);
  span.preroll = std::min(from, encode::chunkPreroll(plan.settings, plan.codec));
  span.postroll =
      index + 1 < plan.cuts.size() ? std::min(layout.frames - to, encode::chunkPostroll(plan.settings, plan.codec)) : 0;
  return span;
}

// Frames the programme's limiter is run before what a chunk encodes, so its
// gain has settled as the whole programme's has (it snaps back to exactly 1
// within about 1.4 s of its deepest reduction).
std::int64_t limiterWarmUp(const RenderPlan& plan) { return plan.anywhere ? plan.settings.sample_rate * 3 / 2 : 0; }

// Whether bed run `b` sounds between a chunk's origin and its frames before
// `to`, or within the mixer's held-back window (the most the ducking looks
// ahead) after them.
bool bedReaches(const Layout& layout, const BedRun& b, std::int64_t origin, std::int64_t to) {
  return b.start < to + layout.max_overlap && b.end() > origin;
}

// Whether event `e` bears on a chunk's frames before `to`: it starts before
// them, or a bed sounds there and the ducking looks ahead to it.
bool bearsOn(const Layout& layout, const LayoutEvent& e, std::int64_t origin, std::int64_t to) {
  if (e.start < to) return true;
  if (e.end_before >= to + layout.max_overlap) return false;
  for (const BedRun& b : layout.beds)
    if (bedReaches(layout, b, origin, to)) return true;
  return false;
}

// What a chunk's mixer replays and mixes around the window it encodes: the
// events from `first` on (the timeline starts at `origin`, before the
// limiter's warm-up), those of them before `last` that bear on the frames
// before `stop`. The limiter gives the window's last frame once it has its
// latency's worth after it, so nothing the mixer makes from `stop` on
// reaches the window (flushing the whole timeline mixed, limited and
// dropped 6.8 s after each chunk of the bed bulletin, 196 s in all). An
// event bears on the frames before `stop` if it starts before them or, for
// a bed ducking ahead of a voice, within the attack after; one whose
// timeline end before it lies a max_overlap beyond that starts after it, as
// do all later ones.
struct ChunkReach {
  std::size_t first = 0;
  std::int64_t origin = 0, stop = 0, last = 0;
};

ChunkReach reachOf(const RenderPlan& plan, const Layout& layout, std::int64_t from, std::int64_t to,
                   const encode::ChunkSpan& span) {
  ChunkReach r;
  r.first = replayFrom(layout, from - span.preroll - limiterWarmUp(plan));
  r.origin = layout.events.empty() ? 0 : layout.events[r.first].end_before;
  r.stop =
      to + span.postroll + static_cast<std::int64_t>(audio::TruePeakLimiter::latencyFrames(plan.settings.sample_rate));
  r.last = r.stop + std::llround(plan.bed_mix.attack * plan.settings.sample_rate) + layout.max_overlap;
  return r;
}

}  // namespace

std::string describeChunk(const RenderPlan& plan, const Layout& layout, std::size_t index,
                          const std::function<std::string(const fs::path&)>& file_hash) {
  std::ostringstream d;
  const encode::OutputSettings& s = plan.settings;
  const std::int64_t from = plan.cuts.at(index), to = chunkEnd(plan, layout, index);
  const encode::ChunkSpan span = spanOf(plan, layout, index);
  const ChunkReach reach = reachOf(plan, layout, from, to, span);
  const std::int64_t origin = reach.origin;
  // 7: chunks mixed from a laid-out programme, sounds made by a first pass,
  // MP3 with the bit reservoir but at joins (issue 18).
  d << "warta chunk 7\n"
    << "codec " << static_cast<int>(plan.codec) << " rate " << s.sample_rate << " channels " << s.channels << " kbps "
    << s.bitrate_kbps << " last " << (index + 1 == plan.cuts.size()) << '\n'
    << "render " << exact(plan.render.integrated) << ' ' << exact(plan.render.true_peak) << " join "
    << exact(plan.join_fade) << '\n'
    << "window " << (origin - from) << ' ' << (to - from) << " span " << span.preroll << ' ' << span.postroll << ' '
    << span.start << " joins";
  for (const std::int64_t join : span.joins) d << ' ' << join - from;
  d << '\n';
  // Events placed relative to the chunk's start, as the mixer replays them
  // (ChunkReach); sounds by their keys.
  for (std::size_t j = reach.first; j < layout.events.size() && layout.events[j].end_before < reach.last; ++j) {
    const LayoutEvent& e = layout.events[j];
    if (!bearsOn(layout, e, origin, reach.stop)) continue;
    d << "event " << static_cast<int>(e.kind) << ' ' << (e.start - from) << ' ' << e.frames << ' ' << exact(e.overlap)
      << ' ' << e.voice << ' ' << (e.end_before - from);
    if (e.kind == LayoutEvent::Kind::Clip) d << " sound " << plan.sounds[e.step].key << ' ' << e.clip;
    if (e.kind == LayoutEvent::Kind::Jingle)
      d << " jingle " << file_hash(plan.steps[e.step].file) << ' ' << plan.sounds[e.step].key;
    d << '\n';
  }
  for (const BedRun& b : layout.beds)
    if (bedReaches(layout, b, origin, reach.stop)) {
      d << "bed " << (b.start - from) << ' ' << (b.stop == INT64_MAX ? -1 : b.stop - from) << ' ' << b.fade_out << ' '
        << file_hash(*plan.bed_file) << ' ' << exact(plan.bed_level) << ' ' << exact(plan.bed_mix.duck_db) << ' '
        << exact(plan.bed_mix.attack) << ' ' << exact(plan.bed_mix.release) << ' ' << exact(plan.bed_mix.fade_in)
        << '\n';
      if (b.start < origin)  // the ducking it carries in
        d << "duck "
          << exact(audio::Mixer::duckGainAt(plan.bed_mix, s.sample_rate, static_cast<std::size_t>(b.start),
                                            static_cast<std::size_t>(origin), layout.voice))
          << '\n';
    }
  return d.str();
}

std::shared_ptr<const audio::Audio> heldBed(const RenderPlan& plan) {
  if (!plan.bed_file) return nullptr;
  for (std::size_t i = 0; i < plan.steps.size(); ++i)
    if (plan.steps[i].op == Step::Op::BedStart)
      return audio::holdBedLoop(*plan.bed_file, bedLevelOf(plan.sounds.at(i)), plan.settings.sample_rate,
                                plan.settings.channels, plan.render.true_peak);
  return nullptr;
}

void renderChunk(const RenderPlan& plan, const Layout& layout, std::size_t index, const fs::path& file,
                 const std::shared_ptr<const audio::Audio>& bed_loop) {
  const std::int64_t from = plan.cuts.at(index), to = chunkEnd(plan, layout, index);
  const Format format{plan.settings.sample_rate, plan.settings.channels};
  const double ceiling = plan.render.true_peak;
  ChunkReport report;
  double clock = 0;  // seconds spent leveling elements offline

  const encode::ChunkSpan span = spanOf(plan, layout, index);
  encode::ChunkWriter writer(file, plan.settings, plan.codec, span);
  // The limiter's finish() must not finish the writer: the report goes in first.
  TimedSink encode_time(writer, false);
  const ChunkReach reach = reachOf(plan, layout, from, to, span);
  const std::int64_t origin = reach.origin;
  // The encoder gets the chunk with its context.
  WindowSink encoded(encode_time, origin, from - span.preroll, to + span.postroll);
  audio::TruePeakLimiter limiter(encoded, format.rate, format.channels, ceiling);
  TimedSink chain_time(limiter);
  audio::Mixer mixer(chain_time, format.rate, format.channels, plan.join_fade, kMixerOverlap);
  mixer.startAt(static_cast<std::size_t>(origin));

  // The bed and the jingles as leveled by the first pass.
  std::optional<audio::BedLevel> bed;
  auto bedLevel = [&](std::size_t step) { return bedLevelOf(plan.sounds.at(step)); };
  // The bed from `start` frames into it: from the held loop, or decoded as it plays.
  auto bedFrom = [&](std::size_t start) -> std::unique_ptr<audio::BedStream> {
    if (bed_loop) return std::make_unique<audio::MemoryBed>(bed_loop, start);
    return std::make_unique<audio::BedFile>(*plan.bed_file, *bed, format.rate, format.channels, ceiling, start);
  };
  for (const BedRun& b : layout.beds)
    if (b.start < origin && b.end() > origin) {  // sounding as the chunk begins
      std::size_t step = 0;
      for (const LayoutEvent& e : layout.events)
        if (e.kind == LayoutEvent::Kind::BedStart && e.start == b.start) step = e.step;
      bed = bedLevel(step);
      const double duck = audio::Mixer::duckGainAt(plan.bed_mix, format.rate, static_cast<std::size_t>(b.start),
                                                   static_cast<std::size_t>(origin), layout.voice);
      mixer.resumeBed(
          bedFrom(static_cast<std::size_t>(origin - b.start)), plan.bed_mix, static_cast<std::size_t>(b.start), duck,
          b.stop == INT64_MAX ? SIZE_MAX : static_cast<std::size_t>(b.stop), static_cast<std::size_t>(b.fade_out));
    }

  mixer.endOutputAt(static_cast<std::size_t>(reach.stop));
  std::map<std::size_t, SpeechFileReader> speech;  // by step, opened on first use
  auto check = [&](double start, const LayoutEvent& e) {
    if (std::llround(start * format.rate) != e.start)
      throw audio::AudioError(plan.output.string() + ": chunk " + std::to_string(index) +
                              " does not mix where the layout says (" + std::to_string(e.start) + ")");
  };
  for (std::size_t j = reach.first; j < layout.events.size() && layout.events[j].end_before < reach.last; ++j) {
    const LayoutEvent& e = layout.events[j];
    if (!bearsOn(layout, e, origin, reach.stop)) continue;
    const Step& step = plan.steps[e.step];
    switch (e.kind) {
      case LayoutEvent::Kind::Clip: {
        auto it = speech.find(e.step);
        if (it == speech.end()) it = speech.emplace(e.step, SpeechFileReader(plan.sounds.at(e.step).file)).first;
        check(mixer.append(it->second.clip(e.clip), audio::ClipRole::Voice, e.overlap), e);
        break;
      }
      case LayoutEvent::Kind::Jingle: {
        audio::BedFile jingle(step.file, bedLevel(e.step), format.rate, format.channels, ceiling, 0,
                              audio::BedFile::Repeat::Once);
        check(mixer.append(jingle, audio::ClipRole::Music, e.overlap), e);
        break;
      }
      case LayoutEvent::Kind::Silence:
        mixer.appendSilenceFrames(static_cast<std::size_t>(e.frames));
        break;
      case LayoutEvent::Kind::BedStart:
        bed = bedLevel(e.step);
        mixer.startBed(bedFrom(0), plan.bed_mix, e.overlap);
        break;
      case LayoutEvent::Kind::BedStop:
        mixer.stopBed(step.seconds);
        break;
      case LayoutEvent::Kind::Chapter:
        break;
    }
  }
  if (static_cast<std::int64_t>(mixer.frames()) < to)
    mixer.appendSilenceFrames(static_cast<std::size_t>(to) - mixer.frames());
  mixer.flush();
  limiter.finish();
  report.frames = to - from;
  report.limiter_reduction_db = limiter.maxGainReductionDb();
  report.mastering_seconds = clock + chain_time.seconds() - encode_time.seconds();
  report.encode_seconds = encode_time.seconds();  // the encoder's final flush is not counted
  writer.setMeta(encodeReport(report));
  writer.finish();
}

}  // namespace warta::app
