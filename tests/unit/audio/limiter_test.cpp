// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <iostream>
#include <numbers>
#include <random>

#include "audio/limiter.h"
#include "audio/loudness.h"
#include "support/media.h"

using warta::audio::Audio;
using warta::audio::AudioError;
using warta::audio::AudioSink;
using warta::audio::LoudnessMeter;
using warta::audio::TruePeakLimiter;
using warta::test::tone;

namespace {

struct Collector : AudioSink {
  Audio all;
  bool finished = false;
  Collector(int rate, int channels) : all{{}, rate, channels} {}
  void write(const Audio& chunk) override {
    REQUIRE(chunk.sample_rate == all.sample_rate);
    REQUIRE(chunk.channels == all.channels);
    REQUIRE(!finished);
    all.samples.insert(all.samples.end(), chunk.samples.begin(), chunk.samples.end());
  }
  void finish() override { finished = true; }
};

// Runs `in` through a limiter in chunks of `chunk` frames (0: all at once).
Audio limit(const Audio& in, double ceiling_dbtp, std::size_t chunk = 0, double* reduction_db = nullptr,
            double lookahead_s = 0.005) {
  Collector sink(in.sample_rate, in.channels);
  TruePeakLimiter limiter(sink, in.sample_rate, in.channels, ceiling_dbtp, lookahead_s);
  const auto width = static_cast<std::size_t>(in.channels);
  const std::size_t step = chunk == 0 ? std::max<std::size_t>(1, in.frames()) : chunk;
  for (std::size_t f = 0; f < in.frames(); f += step) {
    Audio part{{}, in.sample_rate, in.channels};
    part.samples.assign(in.samples.begin() + static_cast<std::ptrdiff_t>(f * width),
                        in.samples.begin() + static_cast<std::ptrdiff_t>(std::min(in.frames(), f + step) * width));
    limiter.write(part);
  }
  limiter.finish();
  REQUIRE(sink.finished);
  if (reduction_db != nullptr) *reduction_db = limiter.maxGainReductionDb();
  return sink.all;
}

// The test's own true-peak check, independent of the limiter's interpolator:
// 4x oversampling by a longer windowed sinc (32 taps per phase, Kaiser beta
// 8, double precision), the signal taken as silent outside the clip.
double ownTruePeakDb(const Audio& a) {
  constexpr int kHalf = 16;
  const auto i0 = [](double x) {
    double sum = 1.0, term = 1.0;
    for (int k = 1; k < 40; ++k) sum += (term *= (x / (2.0 * k)) * (x / (2.0 * k)));
    return sum;
  };
  double h[3][2 * kHalf];
  for (int p = 1; p < 4; ++p) {
    double sum = 0.0;
    for (int j = 0; j < 2 * kHalf; ++j) {
      const double off = (j - (kHalf - 1)) - p / 4.0, u = off / kHalf;
      h[p - 1][j] =
          std::sin(std::numbers::pi * off) / (std::numbers::pi * off) * i0(8.0 * std::sqrt(1.0 - u * u)) / i0(8.0);
      sum += h[p - 1][j];
    }
    for (double& v : h[p - 1]) v /= sum;
  }
  const auto frames = static_cast<long>(a.frames());
  const long width = a.channels;
  double peak = 0.0;
  for (long c = 0; c < width; ++c)
    for (long k = -1; k < frames; ++k) {
      if (k >= 0)
        peak = std::max(peak, static_cast<double>(std::fabs(a.samples[static_cast<std::size_t>(k * width + c)])));
      for (const auto& phase : h) {
        double acc = 0.0;
        for (long j = 0; j < 2 * kHalf; ++j) {
          const long i = k + j - (kHalf - 1);
          if (i >= 0 && i < frames) acc += phase[j] * a.samples[static_cast<std::size_t>(i * width + c)];
        }
        peak = std::max(peak, std::fabs(acc));
      }
    }
  return 20.0 * std::log10(peak);
}

double meterTruePeakDb(const Audio& a) {
  LoudnessMeter meter(a.sample_rate, a.channels);
  meter.add(a);
  return meter.truePeakDb();
}

float largestStep(const Audio& a) {
  float step = 0.0f;
  const auto w = static_cast<std::size_t>(a.channels);
  for (std::size_t i = w; i < a.samples.size(); ++i) step = std::max(step, std::fabs(a.samples[i] - a.samples[i - w]));
  return step;
}

float largestSample(const Audio& a) {
  float p = 0.0f;
  for (float s : a.samples) p = std::max(p, std::fabs(s));
  return p;
}

// A sine at a quarter of the rate, 45 degrees off the samples: every sample is
// +-0.7071 * amplitude, the wave peaks at `amplitude` between them.
Audio quarterRateSine(double seconds, int rate, int channels, double amplitude) {
  Audio a{{}, rate, channels};
  const auto frames = static_cast<std::size_t>(seconds * rate);
  for (std::size_t i = 0; i < frames; ++i)
    for (int c = 0; c < channels; ++c)
      a.samples.push_back(static_cast<float>(
          amplitude * std::sin(std::numbers::pi / 2 * static_cast<double>(i) + std::numbers::pi / 4)));
  return a;
}

// Programme-like material that needs limiting now and then: a chord with
// noise, bursts 10 dB louder, a stretch of quarter-rate sine, and silence.
Audio busyProgramme(int rate, int channels) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.0, 1.0);
  Audio a{{}, rate, channels};
  const int frames = 3 * rate;
  for (int i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / rate;
    double v = 0.25 * std::sin(2 * std::numbers::pi * 220 * t) + 0.2 * std::sin(2 * std::numbers::pi * 331 * t) +
               0.1 * std::sin(2 * std::numbers::pi * 2900 * t) + 0.03 * noise(rng);
    if (std::fmod(t, 0.5) < 0.12) v *= 3.2;
    if (t > 2.0 && t < 2.3) v = 1.1 * std::sin(std::numbers::pi / 2 * i + std::numbers::pi / 4);
    if (t > 2.6) v = 0.0;
    for (int c = 0; c < channels; ++c) a.samples.push_back(static_cast<float>(c == 0 ? v : -0.8 * v));
  }
  return a;
}

}  // namespace

TEST_CASE("a sine 6 dB over full scale comes out with its true peak at the ceiling", "[audio][limiter]") {
  const double ceiling = GENERATE(-1.0, -1.5);
  const Audio in = tone(1000, 2.0, 44100, 2, 2.0);  // +6.02 dBFS
  double reduction = 0.0;
  const Audio out = limit(in, ceiling, 0, &reduction);
  REQUIRE(out.frames() == in.frames());

  const double own = ownTruePeakDb(out), metered = meterTruePeakDb(out);
  CHECK(own <= ceiling);
  CHECK(metered <= ceiling);
  CHECK(20.0 * std::log10(largestSample(out)) <= ceiling);
  // ...and not far under it: the limiter takes only what it must.
  CHECK(own >= ceiling - 0.05);
  CHECK(metered >= ceiling - 0.05);
  CHECK(reduction == Approx(6.02 - ceiling).margin(0.05));
  // The first peak, 11 frames in, is already under the ceiling: no added delay.
  CHECK(std::fabs(out.samples[2 * 11]) <= std::pow(10.0, ceiling / 20.0));
  CHECK(out.samples[2 * 11] > 0.8f);
}

TEST_CASE("audio whose true peak is under the ceiling passes bit for bit", "[audio][limiter]") {
  Audio quiet = busyProgramme(44100, 2);
  for (float& s : quiet.samples) s *= 0.25f;
  REQUIRE(ownTruePeakDb(quiet) < -1.5);
  double reduction = -1.0;
  CHECK(limit(quiet, -1.0, 0, &reduction).samples == quiet.samples);
  CHECK(reduction == 0.0);

  // Just under: a 1 kHz sine peaking at -1.05 dBFS with the ceiling at -1 dBTP.
  const Audio close = tone(1000, 1.0, 44100, 1, std::pow(10.0, -1.05 / 20));
  CHECK(limit(close, -1.0).samples == close.samples);
}

TEST_CASE("the limiter gives out exactly as many frames as it takes in", "[audio][limiter]") {
  const Audio loud = busyProgramme(44100, 2);
  for (std::size_t frames : {0u, 1u, 100u, 235u, 236u, 237u, 44100u, 44101u}) {
    Audio in{{}, 44100, 2};
    in.samples.assign(loud.samples.begin() + 2 * 22050, loud.samples.begin() + 2 * (22050 + static_cast<long>(frames)));
    INFO(frames << " frames");
    CHECK(limit(in, -1.0).frames() == frames);
    CHECK(limit(in, -1.0, 7).frames() == frames);
  }
}

TEST_CASE("chunk sizes do not change the output", "[audio][limiter]") {
  const Audio in = busyProgramme(44100, 2);
  double reduction = 0.0;
  const Audio whole = limit(in, -1.0, 0, &reduction);
  REQUIRE(reduction > 5.0);  // it did limit
  CHECK(limit(in, -1.0, 1).samples == whole.samples);
  CHECK(limit(in, -1.0, 333).samples == whole.samples);
  CHECK(limit(in, -1.0, 20000).samples == whole.samples);

  // Random chunk sizes, one frame to a few thousand.
  std::mt19937 rng(11);
  std::uniform_int_distribution<std::size_t> size(1, 3000);
  Collector sink(44100, 2);
  TruePeakLimiter limiter(sink, 44100, 2, -1.0);
  for (std::size_t f = 0; f < in.frames();) {
    const std::size_t n = std::min(size(rng), in.frames() - f);
    Audio part{{}, 44100, 2};
    part.samples.assign(in.samples.begin() + static_cast<std::ptrdiff_t>(2 * f),
                        in.samples.begin() + static_cast<std::ptrdiff_t>(2 * (f + n)));
    limiter.write(part);
    f += n;
  }
  limiter.finish();
  CHECK(sink.all.samples == whole.samples);
}

TEST_CASE("an inter-sample peak between samples under the ceiling is limited", "[audio][limiter]") {
  SECTION("a quarter-rate sine whose samples sit at -3 dBFS and whose wave reaches 0 dBTP") {
    const Audio in = quarterRateSine(1.0, 44100, 2, 1.0);
    REQUIRE(20.0 * std::log10(largestSample(in)) < -3.0);
    REQUIRE(ownTruePeakDb(in) > -0.05);
    const Audio out = limit(in, -1.0);
    CHECK(ownTruePeakDb(out) <= -1.0);
    CHECK(meterTruePeakDb(out) <= -1.0);
    CHECK(ownTruePeakDb(out) >= -1.05);
  }
  SECTION("one band-limited pulse centred between two samples, in a quiet tone") {
    // sinc(0.7 (n - 0.5)), so under 15.4 kHz: the samples either side reach
    // 0.81 of the peak. Peak 1.05 (+0.42 dBTP), samples at most 0.85.
    const int rate = 44100, at = rate;  // the pulse sits between frames `at` and `at + 1`
    Audio in = tone(300, 4.0, rate, 1, 0.05);
    for (int k = -200; k <= 200; ++k) {
      const double x = 0.7 * (k - 0.5) * std::numbers::pi, window = std::cos(std::numbers::pi * k / 402.0);
      in.samples[static_cast<std::size_t>(at + k)] += static_cast<float>(1.05 * std::sin(x) / x * window * window);
    }
    REQUIRE(20.0 * std::log10(largestSample(in)) < -1.2);
    REQUIRE(ownTruePeakDb(in) > 0.3);
    const Audio out = limit(in, -1.0);
    CHECK(ownTruePeakDb(out) <= -1.0);
    CHECK(meterTruePeakDb(out) <= -1.0);
    CHECK(largestSample(out) < largestSample(in) * 0.9f);
    // Untouched until the look-ahead and the interpolator's reach before the
    // pulse's first loud sample, and bit-exact again once the release is over.
    const auto first_loud = static_cast<std::size_t>(at - 1 - 221 - 15);
    CHECK(std::equal(out.samples.begin(), out.samples.begin() + static_cast<std::ptrdiff_t>(first_loud - 16),
                     in.samples.begin()));
    CHECK(out.samples[static_cast<std::size_t>(at)] != in.samples[static_cast<std::size_t>(at)]);
    const auto released = static_cast<std::size_t>(at + 2 * rate);
    CHECK(std::equal(out.samples.begin() + static_cast<std::ptrdiff_t>(released), out.samples.end(),
                     in.samples.begin() + static_cast<std::ptrdiff_t>(released)));
  }
}

TEST_CASE("limiting does not click: no step larger than the input's", "[audio][limiter]") {
  // A 1 kHz tone at 0.3, then a 100 Hz sine at +6 dBFS from a zero crossing:
  // the gain must fall by 7 dB within the look-ahead, while the tone plays.
  // Falling in one step anywhere in the tone would be a step of 0.55 * 0.3.
  Audio in = tone(1000, 0.5, 44100, 2, 0.3);
  const Audio loud = tone(100, 1.0, 44100, 2, 2.0);
  in.samples.insert(in.samples.end(), loud.samples.begin(), loud.samples.end());
  double reduction = 0.0;
  const Audio out = limit(in, -1.0, 0, &reduction);
  CHECK(reduction > 6.5);
  CHECK(ownTruePeakDb(out) <= -1.0);
  CHECK(largestStep(in) == Approx(0.3 * 2 * std::numbers::pi * 1000 / 44100).epsilon(0.01));
  CHECK(largestStep(out) <= largestStep(in));
}

TEST_CASE("one gain for all channels keeps the stereo image", "[audio][limiter]") {
  Audio in{{}, 44100, 2};
  const Audio left = tone(500, 1.0, 44100, 1, 2.0), right = tone(700, 1.0, 44100, 1, 0.1);
  for (std::size_t i = 0; i < left.frames(); ++i) {
    in.samples.push_back(left.samples[i]);
    in.samples.push_back(right.samples[i]);
  }
  const Audio out = limit(in, -1.0);
  CHECK(ownTruePeakDb(out) <= -1.0);
  // Wherever the right channel is clearly non-zero its gain is the left's.
  int compared = 0;
  for (std::size_t i = 0; i < in.frames(); ++i) {
    const float l = in.samples[2 * i], r = in.samples[2 * i + 1];
    if (std::fabs(l) < 0.2f || std::fabs(r) < 0.02f) continue;
    CHECK(out.samples[2 * i + 1] / r == Approx(out.samples[2 * i] / l).epsilon(1e-5));
    ++compared;
  }
  CHECK(compared > 10000);
}

TEST_CASE("the limiter checks its format and its order of calls", "[audio][limiter]") {
  Collector sink(44100, 2);
  CHECK_THROWS_AS(TruePeakLimiter(sink, 0, 2, -1.0), AudioError);
  CHECK_THROWS_AS(TruePeakLimiter(sink, 44100, 2, NAN), AudioError);
  CHECK_THROWS_AS(TruePeakLimiter(sink, 44100, 2, -1.0, -0.001), AudioError);
  CHECK_THROWS_AS(TruePeakLimiter(sink, 44100, 2, -1.0, 0.005, 0.0), AudioError);
  TruePeakLimiter limiter(sink, 44100, 2, -1.0);
  CHECK(limiter.latencyFrames() == 221 + 15);  // 5 ms is 220.5 frames, rounded up
  CHECK_THROWS_AS(limiter.write(tone(1000, 0.1, 48000, 2)), AudioError);
  CHECK_THROWS_AS(limiter.write(tone(1000, 0.1, 44100, 1)), AudioError);
  limiter.write(tone(1000, 0.1, 44100, 2, 0.5));
  CHECK(sink.all.frames() == 4410 - 236);  // the rest is held for the look-ahead
  limiter.finish();
  CHECK(sink.finished);
  CHECK(sink.all.frames() == 4410);
  CHECK_THROWS_AS(limiter.write(tone(1000, 0.1, 44100, 2)), AudioError);
  CHECK_THROWS_AS(limiter.finish(), AudioError);
}

TEST_CASE("limiter speed on 30 minutes of stereo 44.1 kHz", "[.bench][limiter]") {
  struct Null : AudioSink {
    std::size_t frames = 0;
    void write(const Audio& chunk) override { frames += chunk.frames(); }
    void finish() override {}
  };
  // Ten seconds fed 180 times, in chunks the size Mixer writes.
  const auto run = [](const char* what, const Audio& block) {
    Null sink;
    TruePeakLimiter limiter(sink, 44100, 2, -1.0);
    const std::clock_t start = std::clock();
    for (int i = 0; i < 180; ++i) limiter.write(block);
    limiter.finish();
    const double cpu = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    REQUIRE(sink.frames == 180 * block.frames());
    std::cout << "limiter, 30 min stereo 44.1 kHz, " << what << ": " << cpu << " s CPU (max reduction "
              << limiter.maxGainReductionDb() << " dB)\n";
  };
  Audio programme = busyProgramme(44100, 2);
  Audio ten{{}, 44100, 2};
  while (ten.frames() < 441000)
    ten.samples.insert(ten.samples.end(), programme.samples.begin(), programme.samples.end());
  ten.samples.resize(441000 * 2);
  Audio quiet = ten;
  for (float& s : quiet.samples) s *= 0.25f;
  run("programme under the ceiling", quiet);
  run("programme limited now and then", ten);
  run("+6 dBFS 1 kHz sine, limited throughout", tone(1000, 10.0, 44100, 2, 2.0));
}

TEST_CASE("the limiter's gain slope reads how its output's level moves with the gain in front of it",
          "[audio][limiter]") {
  // Speech-like: a vowel's harmonics under a syllable envelope (4 a second),
  // each syllable's peak a little different, so some are limited and some not.
  Audio speech{{}, 22050, 1};
  for (int i = 0; i < 6 * 22050; ++i) {
    const double t = i / 22050.0;
    const double syllable = std::pow(std::sin(std::numbers::pi * 4 * t), 2) * (0.6 + 0.4 * std::sin(1.3 * t + 0.5));
    const double vowel = std::sin(2 * std::numbers::pi * 140 * t) + 0.5 * std::sin(2 * std::numbers::pi * 280 * t) +
                         0.3 * std::sin(2 * std::numbers::pi * 720 * t);
    speech.samples.push_back(static_cast<float>(0.4 * syllable * vowel));
  }
  // The output's level (dB of its energy) at an input gain (dB), and the limiter's slope there.
  // Written in chunks of `chunk` frames (0: at once).
  const auto levelAt = [](const Audio& in, double gain_db, warta::audio::GainSlope* slope, std::size_t chunk = 0) {
    Collector sink(in.sample_rate, in.channels);
    TruePeakLimiter limiter(sink, in.sample_rate, in.channels, -1.0);
    if (slope) limiter.trackGainSlope();
    Audio scaled = in;
    for (float& s : scaled.samples) s = static_cast<float>(s * std::pow(10.0, gain_db / 20.0));
    const auto width = static_cast<std::size_t>(in.channels);
    const std::size_t step = chunk == 0 ? scaled.frames() : chunk;
    for (std::size_t f = 0; f < scaled.frames(); f += step) {
      Audio part{{}, in.sample_rate, in.channels};
      part.samples.assign(
          scaled.samples.begin() + static_cast<std::ptrdiff_t>(f * width),
          scaled.samples.begin() + static_cast<std::ptrdiff_t>(std::min(scaled.frames(), f + step) * width));
      limiter.write(part);
    }
    limiter.finish();
    if (slope) *slope = limiter.gainSlope();
    double energy = 0.0;
    for (const float s : sink.all.samples) energy += static_cast<double>(s) * s;
    return 10.0 * std::log10(energy);
  };
  const Audio busy = busyProgramme(44100, 2);
  const std::vector<std::pair<const Audio*, std::vector<double>>> cases = {{&speech, {-6.0, 2.0, 3.0, 4.5, 6.0, 9.0}},
                                                                           {&busy, {-12.0, -3.0, 0.0, 2.0, 6.0}}};
  for (const auto& [in, gains] : cases) {
    for (const double gain : gains) {
      CAPTURE(in->sample_rate, gain);
      warta::audio::GainSlope slope;
      levelAt(*in, gain, &slope);
      // The slope measured from outside: the level 0.01 dB either side.
      const double measured = (levelAt(*in, gain + 0.01, nullptr) - levelAt(*in, gain - 0.01, nullptr)) / 0.02;
      CAPTURE(measured, slope.dbPerDb());
      CHECK(slope.dbPerDb() == Approx(measured).margin(0.002));
    }
  }
  // The same bits however the input came in chunks: a trial's gain must not depend on them.
  warta::audio::GainSlope whole, pieces, odd;
  levelAt(speech, 6.0, &whole);
  levelAt(speech, 6.0, &pieces, 4096);
  levelAt(speech, 6.0, &odd, 37);
  CHECK(pieces.energy == whole.energy);
  CHECK(pieces.pinned == whole.pinned);
  CHECK(odd.energy == whole.energy);
  CHECK(odd.pinned == whole.pinned);
  // Nothing limited: the level follows the gain fully; silence reads 1 too.
  warta::audio::GainSlope quiet;
  levelAt(speech, -20.0, &quiet);
  CHECK(quiet.dbPerDb() == 1.0);
  CHECK(quiet.pinned == 0.0);
  CHECK(warta::audio::GainSlope{}.dbPerDb() == 1.0);
}
