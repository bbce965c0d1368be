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
#include "speech/engine.h"

namespace warta::app {
namespace fs = std::filesystem;

namespace {

// Output format of a render.
struct Format {
  int rate;
  int channels;
};

// Levels through audio/leveler.h, adding the time it takes (not the time
// `emit` takes: that is mixing and encoding) to `clock`.
// Returns what the leveler measured before leveling (-infinity: too quiet to level).
double master(const audio::ClipSource& source, Format out, double target, double ceiling, double& clock,
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
      out.rate);
  clock += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() - emitting;
  return measured;
}

audio::Audio masterOne(audio::Audio clip, Format out, double target, double ceiling, double& clock,
                       double* measured = nullptr) {
  const auto started = std::chrono::steady_clock::now();
  audio::Audio leveled = audio::levelClip(std::move(clip), out.channels, target, ceiling, out.rate, measured);
  clock += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return leveled;
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

// Measures what passes through on its way to `next`: the chunk as it is encoded.
class MeteredSink : public audio::AudioSink {
 public:
  MeteredSink(audio::AudioSink& next, int rate, int channels)
      : next_(next), meter_(rate, channels, audio::LoudnessMeter::Measure::Loudness) {}
  void write(const audio::Audio& chunk) override {
    meter_.add(chunk);
    next_.write(chunk);
  }
  void finish() override { next_.finish(); }
  double integrated() const { return meter_.integrated(); }

 private:
  audio::AudioSink& next_;
  audio::LoudnessMeter meter_;
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

}  // namespace

std::string encodeReport(const ChunkReport& r) {
  std::ostringstream out;
  out << "warta-chunk-report 3\n"
      << "frames\t" << r.frames << '\n'
      << "loudness\t" << exact(r.loudness) << '\n'
      << "speech\t" << exact(r.speech_seconds) << '\n'
      << "limiter\t" << exact(r.limiter_reduction_db) << '\n'
      << "mastering\t" << exact(r.mastering_seconds) << '\n'
      << "encoding\t" << exact(r.encode_seconds) << '\n';
  for (const auto& e : r.timeline) {
    out << "T\t" << escape(e.kind) << '\t' << e.story << '\t' << exact(e.start) << '\t' << exact(e.end) << '\t'
        << escape(e.label) << '\t' << escape(e.spoken) << '\t' << escape(e.part) << '\t' << e.ends_paragraph << '\n';
    for (const auto& w : e.words)
      out << "W\t" << exact(w.start) << '\t' << exact(w.end) << '\t' << escape(w.text) << '\n';
  }
  for (const auto& [title, start] : r.chapters) out << "C\t" << escape(title) << '\t' << exact(start) << '\n';
  for (const auto& name : r.too_quiet) out << "Q\t" << escape(name) << '\n';
  return out.str();
}

ChunkReport decodeReport(const std::string& meta, const fs::path& file) {
  ChunkReport r;
  std::istringstream in(meta);
  std::string line;
  if (!std::getline(in, line) || line != "warta-chunk-report 3")
    throw encode::ChunkError(file.string() + ": chunk has no render report");
  try {
    while (std::getline(in, line)) {
      const std::vector<std::string> f = splitTabs(line);
      if (f[0] == "frames" && f.size() == 2) r.frames = std::stoll(f[1]);
      else if (f[0] == "loudness" && f.size() == 2) r.loudness = std::stod(f[1]);  // "-inf" for silence
      else if (f[0] == "Q" && f.size() == 2) r.too_quiet.push_back(unescape(f[1]));
      else if (f[0] == "speech" && f.size() == 2) r.speech_seconds = std::stod(f[1]);
      else if (f[0] == "limiter" && f.size() == 2) r.limiter_reduction_db = std::stod(f[1]);
      else if (f[0] == "mastering" && f.size() == 2) r.mastering_seconds = std::stod(f[1]);
      else if (f[0] == "encoding" && f.size() == 2) r.encode_seconds = std::stod(f[1]);
      else if (f[0] == "T" && f.size() == 9)
        r.timeline.push_back({unescape(f[1]),
                              std::stoi(f[2]),
                              std::stod(f[3]),
                              std::stod(f[4]),
                              unescape(f[5]),
                              unescape(f[6]),
                              unescape(f[7]),
                              f[8] == "1",
                              {}});
      else if (f[0] == "W" && f.size() == 4 && !r.timeline.empty())
        r.timeline.back().words.push_back({std::stod(f[1]), std::stod(f[2]), unescape(f[3])});
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
  // 3: the leveler's gain found on the limited audio at the output rate (issue 13).
  // 4: the report holds the chunk's loudness and its elements too quiet to level (issue 14).
  d << "warta chunk 4\n"
    << "codec " << static_cast<int>(plan.codec) << " rate " << s.sample_rate << " channels " << s.channels << " kbps "
    << s.bitrate_kbps << " last " << last << '\n'
    << "render " << exact(plan.render.integrated) << ' ' << exact(plan.render.true_peak) << " join "
    << exact(plan.join_fade) << '\n';
  bool bed = false;
  for (const Step& step : plan.chunks.at(index)) {
    d << "step " << static_cast<int>(step.op) << " kind " << escape(step.kind) << " story " << step.story << " label "
      << escape(step.label) << " level " << exact(step.level) << " seconds " << exact(step.seconds) << " overlap "
      << exact(step.overlap) << '\n';
    if (!step.file.empty()) d << "file " << file_hash(step.file) << '\n';
    if (step.op == Step::Op::Voice || step.op == Step::Op::Story)
      d << "voice " << voiceFor(plan, step).synthesisKey() << '\n';
    for (const auto& seg : step.segments) {
      d << "segment " << escape(seg.spoken) << '\t' << escape(seg.label) << '\t' << exact(seg.pause_after) << '\t'
        << escape(seg.display) << '\t' << escape(seg.part) << '\t' << seg.ends_paragraph << '\n';
      for (const auto& w : seg.words) d << "word " << escape(w.text) << '\t' << w.spoken_words << '\n';
    }
    bed = bed || step.op == Step::Op::BedStart;
  }
  if (bed && plan.bed_file)
    d << "bed " << file_hash(*plan.bed_file) << ' ' << exact(plan.bed_level) << ' ' << exact(plan.bed_mix.duck_db)
      << ' ' << exact(plan.bed_mix.attack) << ' ' << exact(plan.bed_mix.release) << ' ' << exact(plan.bed_mix.fade_in)
      << '\n';
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
  MeteredSink metered(encode_time, format.rate, format.channels);
  audio::TruePeakLimiter limiter(metered, format.rate, format.channels, ceiling);
  TimedSink chain_time(limiter);
  audio::Mixer mixer(chain_time, format.rate, format.channels, plan.join_fade);
  Speaker speaker;
  std::optional<audio::BedLevel> bed;  // measured on first use; the bed itself is streamed from its file
  std::map<std::pair<fs::path, double>, audio::BedLevel> jingle_levels;  // by file and level, measured on first use
  double previous_clip = 0;                                              // seconds: a Voice overlap is clipped to it

  // A clip placed at `start`, `seconds` long (at its own rate, as leveled).
  auto placed = [&](const Step& s, const std::string& kind, const std::string& label, double start, double seconds,
                    audio::ClipRole role) {
    report.timeline.push_back({kind, s.story, start, start + seconds, label, {}, {}, false, {}});
    if (role == audio::ClipRole::Voice) report.speech_seconds += seconds;
    previous_clip = seconds;
  };
  auto clip = [&](const Step& s, const std::string& kind, const std::string& label, const audio::Audio& a,
                  audio::ClipRole role,
                  double overlap) { placed(s, kind, label, mixer.append(a, role, overlap), a.seconds(), role); };
  // A spoken segment's clip, with its written words timed from eSpeak's word starts.
  auto spoken = [&](const Step& s, const std::string& kind, const PlannedSegment& seg,
                    const std::vector<std::size_t>& starts, int rate, const audio::Audio& a, double overlap) {
    clip(s, kind, seg.label, a, audio::ClipRole::Voice, overlap);
    TimelineEntry& e = report.timeline.back();
    e.spoken = seg.display;
    e.part = seg.part;
    e.ends_paragraph = seg.ends_paragraph;
    e.words = timeWords(seg, starts, rate, e.start, e.end);
  };
  // An element the leveler found too quiet to measure, by a name a producer knows.
  auto quiet = [&](double measured, const std::string& name) {
    if (!std::isfinite(measured)) report.too_quiet.push_back(name);
  };
  auto pause = [&](const std::string& kind, int story, double seconds) {
    if (seconds <= 0) return;
    const double start = mixer.appendSilence(seconds);
    report.timeline.push_back({kind, story, start, mixer.position(), {}, {}, {}, false, {}});
  };

  for (const Step& s : steps) {
    switch (s.op) {
      case Step::Op::Jingle: {
        // Streamed, never held whole (issue 14): measured on the whole file
        // as levelClip would, then decoded again, leveled and converted a
        // piece at a time as the mixer places it. (The clock counts the
        // measuring passes; the playing pass is counted with the mixing.)
        auto known = jingle_levels.find({s.file, s.level});
        if (known == jingle_levels.end()) {  // a stinger between every story is measured once
          const auto started = std::chrono::steady_clock::now();
          known = jingle_levels
                      .emplace(std::pair{s.file, s.level},
                               audio::measureJingle(s.file, format.rate, format.channels, target + s.level, ceiling))
                      .first;
          clock += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        }
        const audio::BedLevel& level = known->second;
        audio::BedFile jingle(s.file, level, format.rate, format.channels, ceiling, 0, audio::BedFile::Repeat::Once);
        const double start = mixer.append(jingle, audio::ClipRole::Music, s.overlap);
        placed(s, s.kind, s.label, start, jingle.sourceSeconds(), audio::ClipRole::Music);
        quiet(level.measured_lufs, "the " + s.kind + " " + s.file.string());
        break;
      }
      case Step::Op::Voice: {
        const double overlap = std::min(s.overlap, previous_clip);
        const PlannedSegment& line = s.segments.at(0);
        speech::Speech said = speaker.speak(line.spoken, voiceFor(plan, s));
        const int rate = said.audio.sample_rate;
        double measured = 0;
        spoken(s, s.kind, line, said.word_starts, rate,
               masterOne(std::move(said.audio), format, target, ceiling, clock, &measured), overlap);
        quiet(measured, "the " + s.kind + " \"" + line.label + "\"");
        break;
      }
      case Step::Op::Story: {
        // Spooled whole first, so the story is leveled as one.
        audio::ClipSpool spool;  // eSpeak's floats are its 16-bit samples / 32768: exact
        audio::ClipSource source;
        std::vector<std::vector<std::size_t>> word_starts;  // per segment, frames at eSpeak's rate
        int rate = 0;
        const speech::VoiceProfile voice = voiceFor(plan, s);
        for (const auto& seg : s.segments) {
          speech::Speech said = speaker.speak(seg.spoken, voice);
          rate = said.audio.sample_rate;
          word_starts.push_back(std::move(said.word_starts));
          spool.add(said.audio);
          source.pauses.push_back(seg.pause_after);
        }
        source.count = s.segments.size();
        source.clip = [&](std::size_t i) { return spool.clip(i); };
        const double measured = master(source, format, target, ceiling, clock, [&](std::size_t i, audio::Audio&& c) {
          spoken(s, "speech", s.segments[i], word_starts[i], rate, c, 0.0);
          if (i + 1 < s.segments.size()) pause("pause", s.story, s.segments[i].pause_after);
        });
        quiet(measured, "story " + std::to_string(s.story + 1) + " (" + s.label + ")" +
                            (s.segments.empty() ? ": no spoken text" : ""));
        break;
      }
      case Step::Op::Pause:
        pause(s.kind, s.story, s.seconds);
        break;
      case Step::Op::BedStart:
        if (!bed) {
          const auto started = std::chrono::steady_clock::now();
          bed = audio::measureBed(*plan.bed_file, format.rate, format.channels, target + plan.bed_level, ceiling);
          clock += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
          quiet(bed->measured_lufs, "the bed " + plan.bed_file->string());
        }
        // Each start plays the bed from its beginning (chunks are cut only where no bed sounds).
        mixer.startBed(std::make_unique<audio::BedFile>(*plan.bed_file, *bed, format.rate, format.channels, ceiling),
                       plan.bed_mix, std::min(s.overlap, previous_clip));  // under the crossfade, as the voice
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
  report.loudness = metered.integrated();
  report.limiter_reduction_db = limiter.maxGainReductionDb();
  report.mastering_seconds = clock + chain_time.seconds() - encode_time.seconds();
  report.encode_seconds = encode_time.seconds();  // the encoder's final flush is not counted
  writer.setMeta(encodeReport(report));
  writer.finish();
}

}  // namespace warta::app
