// SPDX-License-Identifier: GPL-3.0-or-later
// audio/leveler.h: an element leveled to its loudness target, streaming.
#include <catch2/catch.hpp>
#include <sndfile.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "audio/convert.h"
#include "audio/edit.h"
#include "audio/leveler.h"
#include "audio/loudness.h"
#include "support/ffmpeg.h"
#include "support/media.h"

using warta::audio::Audio;
using warta::audio::AudioError;
using warta::audio::ClipSource;
using warta::audio::ClipSpool;
using warta::audio::LoudnessMeter;
using warta::test::tone;

namespace fs = std::filesystem;

namespace {

// A 32-bit float WAV, for ffmpeg to measure.
void writeFloatWav(const fs::path& path, const Audio& a) {
  SF_INFO info{};
  info.samplerate = a.sample_rate;
  info.channels = a.channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  REQUIRE(f != nullptr);
  REQUIRE(sf_writef_float(f, a.samples.data(), static_cast<sf_count_t>(a.frames())) ==
          static_cast<sf_count_t>(a.frames()));
  sf_close(f);
}

// Three "sentences" at different levels, like speech from one voice.
std::vector<Audio> sentences(int rate, int channels) {
  std::vector<Audio> clips = {tone(220, 2.0, rate, channels, 0.05), tone(330, 3.0, rate, channels, 0.2),
                              tone(440, 1.5, rate, channels, 0.1)};
  return clips;
}

struct Leveled {
  std::vector<Audio> clips;
  std::vector<std::size_t> order;
  int reads = 0;
};

Leveled level(const std::vector<Audio>& clips, const std::vector<double>& pauses, int out_channels, double target,
              double ceiling) {
  Leveled out;
  const ClipSource source{clips.size(),
                          [&](std::size_t i, Audio& clip) {
                            ++out.reads;
                            clip = clips.at(i);
                          },
                          pauses,
                          {},
                          0,
                          0};
  warta::audio::levelClips(source, out_channels, target, ceiling, [&](std::size_t i, Audio&& c) {
    out.order.push_back(i);
    out.clips.push_back(std::move(c));
  });
  return out;
}

// Loudness of the clips as heard, with their pauses, on `out_channels`.
double heard(const std::vector<Audio>& clips, const std::vector<double>& pauses, int out_channels) {
  LoudnessMeter meter(clips.front().sample_rate, clips.front().channels);
  for (std::size_t i = 0; i < clips.size(); ++i) {
    meter.add(clips[i]);
    if (i + 1 < clips.size()) meter.add(Audio::silence(pauses[i], clips[i].sample_rate, clips[i].channels));
  }
  const double lufs = meter.integrated();
  return clips.front().channels == 1 && out_channels == 2 ? lufs + 10 * std::log10(2.0) : lufs;
}

}  // namespace

TEST_CASE("levels an element with its pauses to the target, clip by clip, in order", "[audio][leveler]") {
  struct Case {
    int rate;
    int channels;
    int out_channels;
    double target;
    double ceiling;
  };
  for (const Case c :
       {Case{22050, 1, 2, -16.0, -2.0}, Case{22050, 1, 1, -23.0, -2.0}, Case{44100, 2, 2, -18.0, -1.5}}) {
    INFO(c.rate << " Hz, " << c.channels << " channels on " << c.out_channels << ", target " << c.target);
    const std::vector<Audio> clips = sentences(c.rate, c.channels);
    const std::vector<double> pauses = {0.35, 0.75, 0.0};
    const Leveled out = level(clips, pauses, c.out_channels, c.target, c.ceiling);
    REQUIRE(out.order == std::vector<std::size_t>{0, 1, 2});
    for (std::size_t i = 0; i < clips.size(); ++i) {
      CHECK(out.clips[i].frames() == clips[i].frames());
      CHECK(out.clips[i].sample_rate == c.rate);
      CHECK(out.clips[i].channels == c.channels);
    }
    CHECK(heard(out.clips, pauses, c.out_channels) == Approx(c.target).margin(0.1));
    // The clips keep their balance: each was scaled by the same gain where the limiter did not act.
    const double gain0 = warta::audio::peak(out.clips[0]) / warta::audio::peak(clips[0]);
    const double gain2 = warta::audio::peak(out.clips[2]) / warta::audio::peak(clips[2]);
    CHECK(gain0 == Approx(gain2).epsilon(0.01));
    // Streaming: every clip is read three to eight times (loudness, one to six
    // trial limiter passes, the limiter), never held all at once.
    CHECK(out.reads >= 3 * static_cast<int>(clips.size()));
    CHECK(out.reads <= 8 * static_cast<int>(clips.size()));
  }
}

TEST_CASE("a loud element is limited under the ceiling and made up to the target", "[audio][leveler]") {
  // Peaks 14 dB over its loudness: the limiter must act, the make-up must keep the target.
  std::vector<Audio> clips = {tone(300, 3.0, 44100, 2, 0.02), tone(300, 0.05, 44100, 2, 0.9),
                              tone(300, 3.0, 44100, 2, 0.02)};
  const std::vector<double> pauses = {0.0, 0.0, 0.0};
  const Leveled out = level(clips, pauses, 2, -16.0, -1.0);
  LoudnessMeter meter(44100, 2);
  for (const auto& c : out.clips) meter.add(c);
  CHECK(meter.integrated() == Approx(-16.0).margin(0.1));
  // The gain goes before the limiter, so nothing lifts the peaks after it
  // (0.05 dB: libebur128's and the limiter's 4x oversampling differ slightly).
  CHECK(meter.truePeakDb() <= -1.0 + 0.05);
}

TEST_CASE("an element too quiet to measure passes unchanged", "[audio][leveler]") {
  const std::vector<Audio> clips = {Audio::silence(1.0, 22050, 1), tone(440, 0.2, 22050, 1, 1e-6)};
  const Leveled out = level(clips, {0.5, 0.0}, 2, -16.0, -1.0);
  REQUIRE(out.clips.size() == 2);
  CHECK(out.clips[0].samples == clips[0].samples);
  CHECK(out.clips[1].samples == clips[1].samples);
  const Audio one = warta::audio::levelClip(clips[1], 2, -16.0, -1.0);
  CHECK(one.samples == clips[1].samples);
}

TEST_CASE("a clip spool gives eSpeak's 16-bit speech back exactly, and only mono", "[audio][leveler]") {
  ClipSpool spool;
  std::vector<Audio> clips;
  for (int n : {5, 0, 70000}) {
    Audio a{std::vector<float>(static_cast<std::size_t>(n)), 22050, 1};
    for (int k = 0; k < n; ++k)
      a.samples[static_cast<std::size_t>(k)] = static_cast<float>((k * 7919) % 65536 - 32768) / 32768.0f;
    spool.add(a);
    clips.push_back(std::move(a));
  }
  REQUIRE(spool.size() == 3);
  // Read into one Audio, longest first: each read replaces all it held.
  Audio back{std::vector<float>(3, 1.0f), 44100, 2};
  for (std::size_t i = clips.size(); i-- > 0;) {
    spool.read(i, back);
    CHECK(back.sample_rate == 22050);
    CHECK(back.channels == 1);
    CHECK(back.samples == clips[i].samples);
  }
  CHECK_THROWS_AS(spool.add(tone(440, 0.1, 22050, 2)), AudioError);
}

TEST_CASE("the leveler says what it measured: -inf for what it could not level", "[audio][leveler]") {
  // Silence, and a tone far under the -70 LUFS gate: nothing to bring up (issue 14: a silent programme is an error).
  const std::vector<Audio> quiet = {Audio::silence(1.0, 22050, 1), tone(440, 1.0, 22050, 1, 1e-6)};
  const ClipSource source{quiet.size(), [&](std::size_t i, Audio& clip) { clip = quiet.at(i); }, {0.5, 0.0}, {}, 0, 0};
  CHECK(std::isinf(warta::audio::levelClips(source, 1, -16.0, -1.0, [](std::size_t, Audio&&) {})));
  double measured = 0;
  warta::audio::levelClip(Audio::silence(2.0, 44100, 2), 2, -16.0, -1.0, 0, &measured);
  CHECK(std::isinf(measured));
  // A tone: what libebur128 reads on it unleveled.
  const Audio t = tone(1000, 3.0, 44100, 1, 0.1);
  warta::audio::levelClip(t, 1, -16.0, -1.0, 0, &measured);
  CHECK(measured == Approx(LoudnessMeter::integratedLoudness(t)).margin(1e-9));
  CHECK(measured < -16.0);
}

namespace {

// Speech-like sentences at eSpeak's 22.05 kHz, as 16-bit samples: voiced
// syllables (harmonics of a 120-180 Hz voice under a 4 Hz envelope) and a
// few plosive bursts whose peaks stand 20 dB over the speech, so leveling to
// -16 LUFS under -1 dBTP needs the limiter, as real speech does.
std::vector<Audio> speechLike(std::size_t count) {
  std::vector<Audio> clips;
  std::uint32_t seed = 12345;
  const auto noise = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return static_cast<double>(seed >> 8) / static_cast<double>(1u << 24) * 2.0 - 1.0;
  };
  constexpr int kRate = 22050;
  constexpr double kPi = 3.14159265358979323846;
  double burst = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double seconds = 2.0 + static_cast<double>(i % 4) * 0.9;
    const double f0 = 120.0 + 15.0 * static_cast<double>(i % 5);
    const auto n = static_cast<std::size_t>(seconds * kRate);
    Audio a{std::vector<float>(n), kRate, 1};
    for (std::size_t k = 0; k < n; ++k) {
      const double t = static_cast<double>(k) / kRate;
      const double envelope = 0.5 - 0.5 * std::cos(2 * kPi * 4.0 * t);
      double v = 0;
      for (int h = 1; h <= 12; ++h) v += std::sin(2 * kPi * f0 * h * t) / h;
      v *= 0.02 * envelope;
      if (k % 11025 < 200) burst = 0.75 * burst + 0.25 * noise();  // a plosive every half second, low-passed
      else burst = 0;
      v += 0.15 * burst;
      a.samples[k] = static_cast<float>(std::lround(v * 32767.0)) / 32768.0f;
    }
    clips.push_back(std::move(a));
  }
  return clips;
}

}  // namespace

TEST_CASE("a leveled story of speech, converted clip by clip as the mixer does, reads the target on ffmpeg's meter",
          "[audio][leveler][ffmpeg]") {
  const std::vector<Audio> sentences = speechLike(12);
  ClipSpool spool;
  for (const Audio& s : sentences) spool.add(s);
  std::vector<double> pauses;
  for (std::size_t i = 0; i < sentences.size(); ++i) pauses.push_back(0.3 + 0.1 * static_cast<double>(i % 5));
  int reads = 0;
  const ClipSource source{spool.size(),
                          [&](std::size_t i, Audio& clip) {
                            ++reads;
                            spool.read(i, clip);
                          },
                          pauses,
                          {},
                          0,
                          0};
  // The story on two channels at 44.1 kHz: each clip converted on its own, then the pause.
  Audio story{{}, 44100, 2};
  const double raw = warta::audio::levelClips(
      source, 2, -16.0, -1.0,
      [&](std::size_t i, Audio&& c) {
        const Audio wide = warta::audio::convert(c, 44100, 2);
        story.samples.insert(story.samples.end(), wide.samples.begin(), wide.samples.end());
        if (i + 1 < pauses.size()) {
          const Audio pause = Audio::silence(pauses[i], 44100, 2);
          story.samples.insert(story.samples.end(), pause.samples.begin(), pause.samples.end());
        }
      },
      44100);
  REQUIRE(std::isfinite(raw));
  REQUIRE(raw < -16.0 - 6.0);  // far under the target: the gain lifts the plosives into the limiter
  const fs::path dir = warta::test::tempDir("leveler-ffmpeg");
  writeFloatWav(dir / "story.wav", story);
  const warta::test::Loudness heard = warta::test::ffmpegLoudness(dir / "story.wav");
  // ffmpeg prints loudness to 0.1 LU: it must print the target itself.
  CHECK(heard.integrated == Approx(-16.0).margin(0.05));
  // Read once to measure, once for a trial (the limiter takes 0.2 LU there:
  // its own slope sets the last step), once to emit.
  CHECK(reads == 3 * static_cast<int>(sentences.size()));
  // The plosives, over the ceiling at this gain, are held near it (ffmpeg's
  // 4x true peak of the 44.1 kHz conversion reads broadband bursts up to
  // 0.3 dB over what the limiter's interpolator sees at 22.05 kHz: limiter.h).
  CHECK(heard.true_peak <= -1.0 + 0.5);
}

TEST_CASE("the gain search steps on the limiter's own slope after one trial, else on the secant of two",
          "[audio][leveler]") {
  using warta::audio::LimitedTrial;
  // A limited element: loudness rises 0.77 LU per dB, bending a little, as the bench bulletin's stories do.
  const auto limited = [](double gain) { return -16.18 + 0.77 * (gain - 14.0) - 0.01 * (gain - 14.0) * (gain - 14.0); };
  const auto local_slope = [](double gain) { return 0.77 - 0.02 * (gain - 14.0); };
  int trials = 0;
  // With the limiter's slope at the trial's gain: one trial, the step lands within a thousandth.
  double gain = warta::audio::findLimitedGain(14.0, [&](double g) {
    ++trials;
    return LimitedTrial{-16.0 - limited(g), local_slope(g)};
  });
  CHECK(trials == 1);
  CHECK(std::abs(-16.0 - limited(gain)) < 0.001);
  // Without one (slope 0): the first step assumes a plain gain, the second takes the secant.
  trials = 0;
  gain = warta::audio::findLimitedGain(14.0, [&](double g) {
    ++trials;
    return LimitedTrial{-16.0 - limited(g)};
  });
  CHECK(trials == 2);
  CHECK(std::abs(-16.0 - limited(gain)) < 0.005);
  // A step over 0.3 LU is measured again, even on the limiter's slope (the
  // second trial, 0.015 LU short, is within 0.02 LU and ends the search).
  trials = 0;
  gain = warta::audio::findLimitedGain(13.0, [&](double g) {
    ++trials;
    return LimitedTrial{-16.0 - limited(g), local_slope(g)};
  });
  CHECK(trials == 2);
  CHECK(std::abs(-16.0 - limited(gain)) < 0.02);
  // A plain gain (nothing limited, slope 1): one trial when the step is
  // small, the step exact; a larger step (a louder gain may reach the
  // ceiling) is measured.
  for (const auto& [first, want_trials] : {std::pair{13.75, 1}, std::pair{13.0, 2}}) {
    trials = 0;
    const double plain = warta::audio::findLimitedGain(first, [&](double g) {
      ++trials;
      return LimitedTrial{-16.0 - (-30.0 + g + 0.1), 1.0};
    });
    CHECK(trials == want_trials);
    CHECK(plain == Approx(13.9).margin(1e-9));
  }
  // A trial within 0.02 LU ends the search at once.
  trials = 0;
  CHECK(warta::audio::findLimitedGain(5.0, [&](double) { return ++trials, LimitedTrial{0.01, 0.8}; }) == 5.0);
  CHECK(trials == 1);
  // A slope no limiter gives (the loudness fell as the gain rose) is not trusted: trials go on, six at most.
  trials = 0;
  warta::audio::findLimitedGain(5.0, [&](double g) { return ++trials, LimitedTrial{g, -0.5}; });
  CHECK(trials == 6);
}

TEST_CASE("cuts an element of a minute or more between clips into pieces of at least a minute, the rest whole",
          "[audio][leveler]") {
  constexpr int kRate = 22050;
  const auto clips = [](std::size_t n, double seconds) {
    return std::vector<std::size_t>(n, static_cast<std::size_t>(seconds * kRate));
  };
  struct Case {
    const char* what;
    std::vector<std::size_t> frames;
    std::vector<double> pauses;
    std::vector<std::size_t> starts;
  };
  const std::vector<Case> cases = {
      // 26 s a clip with its pause: 78 s makes a piece while 181 s and then 103 s are left; 25 s are not enough.
      {"ten 25 s clips, 1 s pauses", clips(10, 25.0), std::vector<double>(10, 1.0), {0, 3, 6}},
      {"four 25 s clips: 103 s, one piece", clips(4, 25.0), std::vector<double>(4, 1.0), {0}},
      {"two one-minute clips, no pauses", clips(2, 60.0), {0.0, 0.0}, {0, 1}},
      {"a 59 s and a 61 s clip", {59 * kRate, 61 * kRate}, {0.0, 0.0}, {0}},
      // The last clip's pause is not heard, so it does not count.
      {"one minute, then 59 s and a pause", {60 * kRate, 59 * kRate}, {0.0, 5.0}, {0}},
      {"one clip of ten minutes", clips(1, 600.0), {0.0}, {0}},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CHECK(warta::audio::levelPieces(c.frames, c.pauses, kRate) == c.starts);
  }
}

TEST_CASE("a long story is leveled in pieces to the target on ffmpeg's meter, the same samples on one thread or four",
          "[audio][leveler][ffmpeg]") {
  const std::vector<Audio> sentences = speechLike(44);
  ClipSpool spool;
  for (const Audio& s : sentences) spool.add(s);
  std::vector<double> pauses;
  for (std::size_t i = 0; i < sentences.size(); ++i) pauses.push_back(0.3 + 0.1 * static_cast<double>(i % 5));
  const ClipSource source{
      spool.size(), [&](std::size_t i, Audio& clip) { spool.read(i, clip); }, pauses, spool.frames(), spool.rate(), 1};
  REQUIRE(warta::audio::levelPieces(spool.frames(), pauses, spool.rate()).size() >= 2);
  std::vector<std::vector<Audio>> leveled(2);
  std::vector<double> raws;
  for (int threads : {1, 4}) {
    std::vector<Audio>& out = leveled[threads == 1 ? 0 : 1];
    raws.push_back(warta::audio::levelClips(
        source, 2, -16.0, -1.0,
        [&](std::size_t i, Audio&& c) {
          REQUIRE(i == out.size());  // in order, from this thread
          out.push_back(std::move(c));
        },
        44100, threads));
  }
  REQUIRE(leveled[0].size() == sentences.size());
  CHECK(raws[0] == raws[1]);
  for (std::size_t i = 0; i < sentences.size(); ++i) CHECK(leveled[0][i].samples == leveled[1][i].samples);
  // Heard as the mixer plays it: each clip converted on its own, then its pause.
  Audio story{{}, 44100, 2};
  for (std::size_t i = 0; i < leveled[0].size(); ++i) {
    const Audio wide = warta::audio::convert(leveled[0][i], 44100, 2);
    story.samples.insert(story.samples.end(), wide.samples.begin(), wide.samples.end());
    if (i + 1 < pauses.size()) {
      const Audio pause = Audio::silence(pauses[i], 44100, 2);
      story.samples.insert(story.samples.end(), pause.samples.begin(), pause.samples.end());
    }
  }
  REQUIRE(story.seconds() > 2 * warta::audio::kLevelPieceSeconds);
  const fs::path dir = warta::test::tempDir("leveler-pieces");
  writeFloatWav(dir / "story.wav", story);
  const warta::test::Loudness heard = warta::test::ffmpegLoudness(dir / "story.wav");
  CHECK(heard.integrated == Approx(-16.0).margin(0.05));
  CHECK(heard.true_peak <= -1.0 + 0.5);
  // The loudness before leveling, gated across the pieces, is the whole story's.
  LoudnessMeter whole(22050, 1, LoudnessMeter::Measure::Loudness);
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    whole.add(sentences[i]);
    if (i + 1 < sentences.size()) whole.add(Audio::silence(pauses[i], 22050, 1));
  }
  CHECK(raws[0] == Approx(whole.integrated()).margin(0.02));
}
