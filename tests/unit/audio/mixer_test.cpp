// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "audio/edit.h"
#include "audio/mixer.h"
#include "support/media.h"

using warta::audio::Audio;
using warta::audio::Mixer;

namespace {
// Collects what the mixer writes, chunk by chunk.
struct Collector : warta::audio::AudioSink {
  Audio all{{}, 44100, 2};
  int chunks = 0;
  void write(const Audio& chunk) override {
    REQUIRE(chunk.sample_rate == all.sample_rate);
    REQUIRE(chunk.channels == all.channels);
    all.samples.insert(all.samples.end(), chunk.samples.begin(), chunk.samples.end());
    ++chunks;
  }
  void finish() override {}
};
}  // namespace

TEST_CASE("the mixer lays clips and silences end to end at the output format", "[mixer]") {
  Collector sink;
  Mixer mixer(sink, 44100, 2);
  const Audio speech = warta::test::tone(220, 1.0, 22050, 1);  // eSpeak's format
  CHECK(mixer.append(speech) == 0.0);
  CHECK(mixer.appendSilence(0.35) == Approx(1.0).margin(1e-4));
  CHECK(mixer.append(warta::test::tone(440, 0.5, 48000, 2)) == Approx(1.35).margin(1e-4));
  mixer.flush();
  CHECK(mixer.frames() == sink.all.frames());
  CHECK(mixer.frames() == 44100 + 15435 + 22050);
  CHECK(mixer.position() == Approx(1.85).margin(1e-4));
  // The silence is digital silence; the clips keep their level.
  CHECK(warta::test::windowRms(sink.all, 1.01, 1.34) == 0.0);
  CHECK(warta::test::rmsDb(sink.all, 0.1, 0.9) == Approx(20 * std::log10(0.5 / std::sqrt(2.0))).margin(0.2));
}

TEST_CASE("every clip starts and ends at zero so joins never click", "[mixer]") {
  Collector sink;
  Mixer mixer(sink, 44100, 2, 0.005);
  Audio dc{std::vector<float>(44100, 0.8f), 44100, 1};  // worst case: a full-level step
  mixer.append(dc);
  mixer.append(dc);
  mixer.flush();
  const auto& s = sink.all.samples;
  const std::size_t join = 44100 * 2;  // first frame of the second clip, interleaved
  CHECK(std::abs(s[0]) < 1e-3);
  CHECK(std::abs(s[join - 1]) < 1e-3);
  CHECK(std::abs(s[join]) < 1e-3);
  float largest_step = 0;
  for (std::size_t i = 2; i < s.size(); i += 2) largest_step = std::max(largest_step, std::abs(s[i] - s[i - 2]));
  CHECK(largest_step < 0.01f);  // 0.8 over a 5 ms ramp (220 frames)
}

TEST_CASE("the mixer leaves levels alone: peaks are the limiter's job", "[mixer]") {
  Collector sink;
  sink.all.channels = 1;
  Mixer mixer(sink, 44100, 1);
  mixer.append(warta::test::tone(1000, 0.5, 44100, 1, 1.6));
  mixer.flush();
  CHECK(warta::audio::peak(sink.all) == Approx(1.6).margin(0.01));
}

TEST_CASE("a crossfade starts the clip before the end and fades what was there out under it", "[mixer]") {
  Collector sink;
  sink.all.channels = 1;
  Mixer mixer(sink, 44100, 1, 0.0);
  mixer.append(Audio{std::vector<float>(44100 * 2, 0.5f), 44100, 1});
  const double start =
      mixer.append(Audio{std::vector<float>(44100, 0.25f), 44100, 1}, warta::audio::ClipRole::Voice, 1.0);
  mixer.flush();
  CHECK(start == Approx(1.0));
  CHECK(mixer.frames() == 44100 * 2);  // the voice ends with the jingle
  const auto& s = sink.all.samples;
  CHECK(s[22050] == Approx(0.5f));                                // before the overlap: jingle alone
  CHECK(s[44100 + 100] == Approx(0.5f + 0.25f).margin(0.01));     // overlap starts: both
  CHECK(s[44100 + 22050] == Approx(0.25f + 0.25f).margin(0.01));  // half way: jingle at half level
  CHECK(s[88200 - 10] == Approx(0.25f).margin(0.01));             // end: voice alone
}

TEST_CASE("a bed ducks under the voice by its depth and comes back in the gaps", "[mixer]") {
  Collector sink;
  sink.all.channels = 1;
  Mixer mixer(sink, 44100, 1, 0.0);
  warta::audio::BedSettings bed;
  bed.duck_db = 18;
  bed.attack = 0.2;
  bed.release = 0.5;
  bed.fade_in = 0.0;
  mixer.startBed(warta::test::tone(200, 0.7, 44100, 1, 0.1), bed);  // shorter than the program: loops
  mixer.appendSilence(2.0);                                         // bed alone
  mixer.append(warta::test::tone(1000, 2.0, 44100, 1, 0.0001), warta::audio::ClipRole::Voice);  // near-silent "voice"
  mixer.appendSilence(2.0);
  mixer.stopBed(0.5);
  mixer.appendSilence(1.0);
  mixer.flush();
  const double open = warta::test::rmsDb(sink.all, 0.5, 1.5);
  const double ducked = warta::test::rmsDb(sink.all, 2.1, 3.9);
  const double back = warta::test::rmsDb(sink.all, 4.8, 5.9);
  INFO("open " << open << " dB, ducked " << ducked << " dB, back " << back << " dB");
  CHECK(open == Approx(20 * std::log10(0.1 / std::sqrt(2.0))).margin(0.3));  // looped, steady
  CHECK(open - ducked >= 17.5);
  CHECK(back == Approx(open).margin(0.3));
  // Down before the voice starts (look-ahead), and faded out, not cut, at the end.
  CHECK(warta::test::rmsDb(sink.all, 1.98, 2.0) < open - 12);
  CHECK(warta::test::rmsDb(sink.all, 6.55, 7.0) < -100);
  float step = 0;
  for (std::size_t i = 1; i < sink.all.samples.size(); ++i)
    step = std::max(step, std::abs(sink.all.samples[i] - sink.all.samples[i - 1]));
  CHECK(step < 0.01f);  // a 200 Hz tone at 0.1 moves at most 0.003 per sample: no jumps
}

TEST_CASE("the bed's ducking follows its per-frame rule through short voices, short gaps, long gaps and the fade-out",
          "[mixer]") {
  // 1 kHz keeps the frames few: attack 50 frames, release 100. The voices are
  // silent, so every output sample is the bed (a steady 0.5) times its gains.
  constexpr int kRate = 1000;
  warta::audio::BedSettings bed;
  bed.duck_db = 18;
  bed.attack = 0.05;
  bed.release = 0.1;
  bed.fade_in = 0.0;
  struct Part {
    bool voice;
    int frames;
  };
  // A voice shorter than the attack, a gap shorter than the attack, one
  // longer than the release, a gap between the two, and a long voice.
  const Part parts[] = {{false, 200}, {true, 20},  {false, 30}, {true, 100}, {false, 500},
                        {true, 300},  {false, 70}, {true, 5},   {false, 80}};
  for (const int channels : {1, 2}) {
    INFO(channels << " channel(s)");
    Collector sink;
    sink.all.sample_rate = kRate;
    sink.all.channels = channels;
    Mixer mixer(sink, kRate, channels, 0.0);
    mixer.startBed(Audio{std::vector<float>(300, 0.5f), kRate, 1}, bed);  // loops
    std::vector<bool> voice;
    for (const Part& p : parts) {
      if (p.voice)
        mixer.append(Audio{std::vector<float>(static_cast<std::size_t>(p.frames), 0.0f), kRate, 1},
                     warta::audio::ClipRole::Voice);
      else mixer.appendSilenceFrames(static_cast<std::size_t>(p.frames));
      voice.insert(voice.end(), static_cast<std::size_t>(p.frames), p.voice);
    }
    const std::size_t stop = voice.size(), fade_out = 60;
    mixer.stopBed(0.06);
    mixer.appendSilenceFrames(100);
    voice.insert(voice.end(), 100, false);
    mixer.flush();
    REQUIRE(sink.all.frames() == voice.size());

    // The rule as BedSettings states it, frame by frame: down by
    // (1 - duck) / attack while a voice frame lies within the attack at or
    // after this one, else up by (1 - duck) / release, between duck and 1.
    const double duck = std::pow(10.0, -18.0 / 20.0);
    double gain = 1.0, worst = 0.0;
    for (std::size_t f = 0; f < voice.size(); ++f) {
      bool soon = false;
      for (std::size_t k = f; k < voice.size() && k <= f + 50; ++k) soon = soon || voice[k];
      gain = soon ? std::max(duck, gain - (1.0 - duck) / 50.0) : std::min(1.0, gain + (1.0 - duck) / 100.0);
      const double fade = f < stop ? 1.0 : std::max(0.0, 1.0 - static_cast<double>(f - stop) / fade_out);
      for (int c = 0; c < channels; ++c)
        worst = std::max(
            worst, std::abs(sink.all.samples[f * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] -
                            0.5 * gain * fade));
    }
    CHECK(worst < 1e-6);
  }
}

TEST_CASE("a mixer refuses output formats it cannot write", "[mixer]") {
  Collector sink;
  CHECK_THROWS_AS(Mixer(sink, 44100, 6), warta::audio::AudioError);
  CHECK_THROWS_AS(Mixer(sink, 0, 2), warta::audio::AudioError);
}

TEST_CASE("a piece of a timeline mixed from its origin, the bed resumed with its ducking, is the whole mix's samples",
          "[mixer]") {
  // A chunk of a programme replays the timeline from a point where nothing
  // earlier still sounds but the bed (render/layout.h): its samples must be
  // the whole mix's bit for bit, the bed's position, fade-in and ducking too.
  const int rate = 44100;
  const warta::audio::BedSettings settings{18.0, 0.25, 0.8, 1.0};
  const Audio bed_music = warta::test::tone(330, 3.0, rate, 2);  // loops every 3 s
  struct Op {
    enum { Voice, Silence, BedStart, BedStop } kind;
    double value;  // Voice: seconds of speech; Silence: seconds; BedStop: fade seconds
  };
  const std::vector<Op> ops = {{Op::Voice, 1.3},   {Op::Silence, 0.6}, {Op::BedStart, 0},  {Op::Voice, 2.2},
                               {Op::Silence, 0.4}, {Op::Voice, 0.7},   {Op::Silence, 1.9}, {Op::Voice, 3.1},
                               {Op::Silence, 0.3}, {Op::Voice, 1.0},   {Op::BedStop, 1.5}, {Op::Silence, 2.5},
                               {Op::Voice, 0.8}};
  auto voice = [&](double seconds, std::size_t k) {
    return warta::test::tone(180 + 40 * static_cast<double>(k), seconds, rate, 1);
  };
  // The whole mix, noting where each op began and where the voice sounds.
  Collector whole;
  std::vector<std::size_t> origins;
  std::vector<std::pair<std::size_t, std::size_t>> voiced;
  std::size_t bed_start = 0;
  {
    Mixer m(whole, rate, 2);
    for (std::size_t k = 0; k < ops.size(); ++k) {
      origins.push_back(m.frames());
      const Op& op = ops[k];
      if (op.kind == Op::Voice) {
        const Audio v = voice(op.value, k);
        const auto start = static_cast<std::size_t>(std::llround(m.append(v, warta::audio::ClipRole::Voice) * rate));
        voiced.emplace_back(start, start + v.frames());
      } else if (op.kind == Op::Silence) {
        m.appendSilence(op.value);
      } else if (op.kind == Op::BedStart) {
        bed_start = m.frames();
        m.startBed(bed_music, settings);
      } else {
        m.stopBed(op.value);
      }
    }
    m.flush();
  }
  std::size_t bed_stop = 0;
  for (std::size_t k = 0; k < ops.size(); ++k)
    if (ops[k].kind == Op::BedStop) bed_stop = origins[k];
  // Every piece that starts after the bed began (in gaps and at voice starts).
  for (std::size_t from = 3; from < ops.size(); ++from) {
    const std::size_t origin = origins[from];
    INFO("piece from op " << from << " at frame " << origin);
    Collector piece;
    Mixer m(piece, rate, 2);
    m.startAt(origin);
    if (origin < bed_stop + static_cast<std::size_t>(1.5 * rate)) {
      auto resumed = std::make_unique<warta::audio::MemoryBed>(bed_music, rate, 2);
      std::vector<float> skipped((origin - bed_start) * 2);
      resumed->read(skipped.data(), origin - bed_start);
      const double duck = Mixer::duckGainAt(settings, rate, bed_start, origin, voiced);
      if (from > 10) m.resumeBed(std::move(resumed), settings, bed_start, duck, bed_stop, 1.5 * rate);
      else m.resumeBed(std::move(resumed), settings, bed_start, duck);
    }
    for (std::size_t k = from; k < ops.size(); ++k) {
      const Op& op = ops[k];
      if (op.kind == Op::Voice) m.append(voice(op.value, k), warta::audio::ClipRole::Voice);
      else if (op.kind == Op::Silence) m.appendSilence(op.value);
      else if (op.kind == Op::BedStop) m.stopBed(op.value);
    }
    m.flush();
    REQUIRE(piece.all.frames() == whole.all.frames() - origin);
    std::size_t differing = 0;
    for (std::size_t i = 0; i < piece.all.samples.size(); ++i)
      if (piece.all.samples[i] != whole.all.samples[origin * 2 + i]) ++differing;
    CHECK(differing == 0);
  }
  // The check can fail: a bed resumed with the gain it has in a gap (1.0)
  // where the whole mix is still ducked differs.
  const std::size_t mid = origins[5];  // in the 0.4 s pause between two voices: ducked
  CHECK(Mixer::duckGainAt(settings, rate, bed_start, mid, voiced) < 0.99);
}

namespace {
// A clip held in memory, streamed in pieces of the given sizes in turn.
struct PiecewiseClip : warta::audio::ClipStream {
  const Audio& clip;
  std::vector<std::size_t> sizes;
  std::size_t at = 0, turn = 0;
  PiecewiseClip(const Audio& c, std::vector<std::size_t> s) : clip(c), sizes(std::move(s)) {}
  std::size_t readSome(float* out, std::size_t frames) override {
    const std::size_t n = std::min({frames, sizes[turn++ % sizes.size()], clip.frames() - at});
    const auto width = static_cast<std::size_t>(clip.channels);
    std::copy_n(clip.samples.begin() + static_cast<std::ptrdiff_t>(at * width), n * width, out);
    at += n;
    return n;
  }
  int channels() const override { return clip.channels; }
};
}  // namespace

TEST_CASE("the mix does not depend on how its input is cut or when it is written", "[mixer]") {
  // One timeline (crossfades, a ducked bed faded in, out and started again,
  // jingles, a clip to resample, one shorter than its join fades) mixed
  // twice: clips held whole and silences in one call, written in 4 s
  // batches; then jingles and speech streamed in odd pieces, silences in odd
  // steps, written in 1 s batches (voice overlaps kept under 1 s less the
  // attack, so the look-ahead sees them either way). Every sample must be
  // the same.
  const int rate = 44100;
  const warta::audio::BedSettings settings{15.0, 0.25, 0.6, 0.7};
  const Audio bed = warta::test::tone(270, 2.3, rate, 2, 0.2);
  const Audio jingle = warta::test::tone(660, 3.7, rate, 2, 0.4);
  std::vector<Audio> speech;
  for (int k = 0; k < 9; ++k) speech.push_back(warta::test::tone(150 + 35 * k, 0.4 + 0.9 * (k % 4), rate, 1, 0.3));
  const Audio resampled = warta::test::tone(300, 1.7, 22050, 1, 0.3);
  const Audio tiny = warta::test::tone(500, 300.0 / rate, rate, 1, 0.3);  // under two 5 ms fades
  auto mix = [&](bool cut, Collector& sink) {
    Mixer m(sink, rate, 2, 0.005, cut ? 1.0 : 4.0);
    const std::vector<std::size_t> odd = {1, 4093, 7, 16385, 333, 20000};
    auto voice = [&](const Audio& clip, double overlap) {
      if (!cut || clip.sample_rate != rate) return m.append(clip, warta::audio::ClipRole::Voice, overlap);
      PiecewiseClip piecewise(clip, odd);
      return m.append(piecewise, warta::audio::ClipRole::Voice, overlap);
    };
    auto music = [&](const Audio& clip, double overlap) {
      if (!cut) return m.append(clip, warta::audio::ClipRole::Music, overlap);
      PiecewiseClip piecewise(clip, {16384, 5, 999});
      return m.append(piecewise, warta::audio::ClipRole::Music, overlap);
    };
    auto silence = [&](std::size_t frames) {
      if (!cut) return m.appendSilenceFrames(frames);
      for (std::size_t done = 0, k = 0; done < frames; ++k) {
        const std::size_t n = std::min(frames - done, odd[k % odd.size()]);
        m.appendSilenceFrames(n);
        done += n;
      }
      return 0.0;
    };
    std::vector<double> starts;
    starts.push_back(music(jingle, 0.0));
    m.startBed(bed, settings, 0.5);
    starts.push_back(voice(speech[0], 0.7));  // under 1 s - attack: ducked alike
    silence(9000);
    for (std::size_t k = 1; k < speech.size(); ++k) {
      starts.push_back(voice(speech[k], k % 3 == 0 ? 0.3 : 0.0));
      silence(2000 + 3001 * (k % 4));
      if (k == 4) starts.push_back(music(jingle, 0.6));
      if (k == 5) m.stopBed(1.2);
      // A bed started while the last one's fade is still held back replaces
      // it, cutting the fade where it was written: so not before both are.
      if (k == 6) silence(10 * rate);
      if (k == 7) m.startBed(bed, settings, 0.2);
    }
    starts.push_back(voice(resampled, 0.1));
    starts.push_back(voice(tiny, 0.0));
    silence(70000);  // the bed alone, longer than every batch
    starts.push_back(voice(speech[2], 0.0));
    m.stopBed(0.9);
    starts.push_back(music(jingle, 0.4));
    m.flush();
    return starts;
  };
  Collector whole, cut;
  const std::vector<double> whole_starts = mix(false, whole);
  const std::vector<double> cut_starts = mix(true, cut);
  CHECK(cut_starts.size() == whole_starts.size());
  CHECK(cut.chunks > whole.chunks);  // written in more, smaller batches
  REQUIRE(cut.all.frames() == whole.all.frames());
  // About 26 s: jingles, speech and silences, minus the overlaps.
  CHECK(whole.all.seconds() > 20.0);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < whole.all.samples.size(); ++i)
    if (cut.all.samples[i] != whole.all.samples[i]) ++differing;
  CHECK(differing == 0);
  // The bed sounds alone in the long silence, ducked nowhere near a voice.
  CHECK(warta::test::rmsDb(whole.all, whole_starts[whole_starts.size() - 2] - 0.9,
                           whole_starts[whole_starts.size() - 2] - 0.5) ==
        Approx(20 * std::log10(0.2 / std::sqrt(2.0))).margin(0.5));
}

TEST_CASE("a mixer whose output ends at a frame writes the whole mix's samples up to it and nothing after", "[mixer]") {
  warta::audio::BedSettings bed;
  bed.attack = 0.25;
  bed.fade_in = 0.1;
  // A bed ducking under a voice that starts 0.1 s after the end (the ducking
  // looks ahead to it), and a long pause and a voice after it.
  const auto mix = [&](std::size_t end) {
    Collector sink;
    Mixer mixer(sink, 44100, 2, 0.005);
    if (end > 0) mixer.endOutputAt(end);
    mixer.startBed(warta::test::tone(200, 0.7, 44100, 2, 0.1), bed);
    mixer.append(warta::test::tone(440, 1.0, 22050, 1, 0.2), warta::audio::ClipRole::Voice);
    mixer.appendSilence(1.1);
    mixer.append(warta::test::tone(660, 3.0, 22050, 1, 0.2), warta::audio::ClipRole::Voice);
    mixer.appendSilence(6.0);
    mixer.append(warta::test::tone(880, 2.0, 22050, 1, 0.2), warta::audio::ClipRole::Voice);
    mixer.flush();
    return sink.all;
  };
  const Audio whole = mix(0);
  const std::size_t end = 44100 * 2;  // 2.0 s: the second voice starts at 2.1 s
  const Audio cut = mix(end);
  REQUIRE(whole.frames() > 44100 * 12);
  REQUIRE(cut.frames() == end);
  CHECK(std::equal(cut.samples.begin(), cut.samples.end(), whole.samples.begin()));
  // The ducking ahead of the second voice is there: the last 0.05 s is lower than 0.3 s before.
  CHECK(warta::test::rmsDb(cut, 1.95, 2.0) < warta::test::rmsDb(cut, 1.6, 1.7) - 3);
}
