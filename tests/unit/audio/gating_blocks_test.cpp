// SPDX-License-Identifier: GPL-3.0-or-later
// Our gating-block meter against libebur128 (the reference: its own filter
// and gating, fed the same samples).
#include <catch2/catch.hpp>
#include <ebur128.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "audio/convert.h"
#include "audio/gating_blocks.h"
#include "audio/loudness.h"

using warta::audio::Audio;
using warta::audio::AudioError;
using warta::audio::Ebur128;
using warta::audio::GatingBlockMeter;
using warta::audio::gatedLoudness;
using warta::audio::LoudnessMeter;

namespace {

// `seconds` of interleaved programme-like audio: noise through a one-pole
// low-pass (a spectrum that falls like speech and music), a 60 Hz hum that
// only the high-pass sees, each channel at its own level, the level moving
// in 1.3 s phrases from loud to 30 dB down, and 2 s of digital silence in
// the middle (the filter's state decays through it to denormals and zero).
std::vector<float> programme(int rate, int channels, double seconds, std::uint32_t seed) {
  const auto frames = static_cast<std::size_t>(seconds * rate);
  std::vector<float> out(frames * static_cast<std::size_t>(channels));
  std::vector<double> low(static_cast<std::size_t>(channels), 0.0);
  for (std::size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / rate;
    const bool silent = t >= seconds / 2 && t < seconds / 2 + 2.0;
    const double phrase = std::pow(10.0, -30.0 / 20.0 * std::fmod(std::floor(t / 1.3) * 0.37, 1.0));
    for (int c = 0; c < channels; ++c) {
      seed = seed * 1664525u + 1013904223u;
      const double white = static_cast<double>(seed >> 8) / 16777216.0 - 0.5;
      double& l = low[static_cast<std::size_t>(c)];
      l = 0.9 * l + 0.1 * white;
      const double v = phrase * (0.2 + 0.03 * c) * (4.0 * l + 0.05 * std::sin(2 * M_PI * 60 * t));
      out[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] = silent ? 0.0f : static_cast<float>(v);
    }
  }
  return out;
}

Ebur128 reference(int rate, int channels, int mode) {
  Ebur128 st(ebur128_init(static_cast<unsigned>(channels), static_cast<unsigned long>(rate), mode));
  REQUIRE(st);
  return st;
}

}  // namespace

TEST_CASE("gating blocks read libebur128's integrated loudness to 0.0001 LU, 8 to 96 kHz, mono to 5.1",
          "[audio][loudness]") {
  for (const int rate : {8000, 11025, 16000, 22050, 32000, 44100, 48000, 96000})
    for (const int channels : {1, 2, 4, 5, 6}) {
      INFO(rate << " Hz, " << channels << " channels");
      const std::vector<float> audio = programme(rate, channels, 12.0, static_cast<std::uint32_t>(rate + channels));
      const std::size_t frames = audio.size() / static_cast<std::size_t>(channels);
      GatingBlockMeter ours(rate, channels);
      std::vector<double> blocks;
      ours.add(audio.data(), frames, blocks);
      const Ebur128 theirs = reference(rate, channels, EBUR128_MODE_I);
      REQUIRE(ebur128_add_frames_float(theirs.get(), audio.data(), frames) == EBUR128_SUCCESS);
      double expected = 0;
      REQUIRE(ebur128_loudness_global(theirs.get(), &expected) == EBUR128_SUCCESS);
      REQUIRE(std::isfinite(expected));
      CHECK(expected < -10.0);  // a real programme level, not a degenerate one
      CHECK(std::abs(gatedLoudness(blocks) - expected) < 1e-4);
      // One block per 100 ms step from the fourth on.
      const auto steps = static_cast<std::int64_t>(frames) / ((rate + 5) / 10);
      CHECK(static_cast<std::int64_t>(blocks.size()) == steps - 3);
    }
}

TEST_CASE("each gating block is the energy of libebur128's momentary loudness at its step", "[audio][loudness]") {
  const int rate = 44100, channels = 2;
  const std::vector<float> audio = programme(rate, channels, 8.0, 5);
  const std::size_t step = (rate + 5) / 10;
  GatingBlockMeter ours(rate, channels);
  const Ebur128 theirs = reference(rate, channels, EBUR128_MODE_M);
  std::vector<double> blocks;
  std::size_t checked = 0;
  for (std::size_t at = 0; at + step <= audio.size() / channels; at += step) {
    const float* piece = audio.data() + at * channels;
    const std::size_t before = blocks.size();
    ours.add(piece, step, blocks);
    REQUIRE(ebur128_add_frames_float(theirs.get(), piece, step) == EBUR128_SUCCESS);
    if (at + step < 4 * step) {
      CHECK(blocks.size() == before);
      continue;
    }
    REQUIRE(blocks.size() == before + 1);
    double lufs = 0;
    REQUIRE(ebur128_loudness_momentary(theirs.get(), &lufs) == EBUR128_SUCCESS);
    const double expected = std::isinf(lufs) ? 0.0 : std::pow(10.0, (lufs + 0.691) / 10.0);
    // Relative to rounding; in the filters' decay into the silence, where
    // the two forms round apart, within -120 dB.
    CHECK(blocks.back() == Approx(expected).epsilon(1e-9).margin(1e-12));
    if (expected > 1e-6) ++checked;
  }
  CHECK(checked > 40);
}

TEST_CASE("gating blocks do not depend on how the audio is cut into calls", "[audio][loudness]") {
  for (const int channels : {1, 2, 3}) {
    INFO(channels << " channels");
    const int rate = 22050;
    const std::vector<float> audio = programme(rate, channels, 6.0, 9);
    const std::size_t frames = audio.size() / static_cast<std::size_t>(channels);
    GatingBlockMeter once(rate, channels), cut(rate, channels);
    std::vector<double> a, b;
    once.add(audio.data(), frames, a);
    std::uint32_t seed = 1;
    for (std::size_t at = 0; at < frames;) {
      seed = seed * 1664525u + 1013904223u;
      const std::size_t n = std::min<std::size_t>(frames - at, seed >> 20);  // 0 to 4095 frames
      cut.add(audio.data() + at * static_cast<std::size_t>(channels), n, b);
      at += n;
    }
    CHECK(a == b);
  }
}

TEST_CASE("gating: the absolute gate at -70 LUFS and the relative gate 10 LU under the rest", "[audio][loudness]") {
  const auto energy = [](double lufs) { return std::pow(10.0, (lufs + 0.691) / 10.0); };
  CHECK(std::isinf(gatedLoudness({})));
  CHECK(std::isinf(gatedLoudness({energy(-71), energy(-80)})));
  CHECK(gatedLoudness({energy(-23), energy(-23)}) == Approx(-23).margin(1e-9));
  // -40 is 17 LU under the mean of the rest: gated out; -75 is under the absolute gate.
  CHECK(gatedLoudness({energy(-20), energy(-26), energy(-40), energy(-75)}) ==
        Approx(10 * std::log10((std::pow(10.0, -2.0) + std::pow(10.0, -2.6)) / 2)).margin(1e-9));
}

TEST_CASE("the gating-block meter refuses what libebur128 refuses", "[audio][loudness]") {
  CHECK_THROWS_AS(GatingBlockMeter(15, 1), AudioError);
  CHECK_THROWS_AS(GatingBlockMeter(44100, 0), AudioError);
  CHECK_THROWS_AS(GatingBlockMeter(44100, 65), AudioError);
  CHECK_NOTHROW(GatingBlockMeter(16, 64));
}

namespace {

// Our meter's integrated loudness of `samples` at `rate`, heard at `heard_rate`.
double heardLoudness(const std::vector<float>& samples, int rate, int channels, int heard_rate) {
  GatingBlockMeter meter(rate, channels, heard_rate);
  std::vector<double> blocks;
  meter.add(samples.data(), samples.size() / static_cast<std::size_t>(channels), blocks);
  return gatedLoudness(blocks);
}

// libebur128's integrated loudness of `audio` converted to `rate` (soxr, as the mixer converts).
double convertedLoudness(const Audio& audio, int rate) {
  const Audio up = warta::audio::convert(audio, rate, audio.channels);
  Ebur128 st = reference(rate, up.channels, EBUR128_MODE_I);
  REQUIRE(ebur128_add_frames_float(st.get(), up.samples.data(), up.frames()) == EBUR128_SUCCESS);
  double lufs = 0;
  REQUIRE(ebur128_loudness_global(st.get(), &lufs) == EBUR128_SUCCESS);
  return lufs;
}

}  // namespace

TEST_CASE("tones at 22.05 kHz measured as heard at 44.1 kHz read as they do converted, to 0.035 dB",
          "[audio][loudness]") {
  // The shelf's warping is largest between 1 and 4 kHz (within 0.03 dB). The
  // converter's passband ends a little above 10 kHz (10.5 kHz reads 3.8 dB
  // down converted); eSpeak's speech has little there (tests/unit/speech).
  for (const double hz : {100.0, 440.0, 1000.0, 1300.0, 2500.0, 3000.0, 6000.0, 9000.0, 10000.0}) {
    std::vector<float> samples(22050 * 5);
    for (std::size_t i = 0; i < samples.size(); ++i)
      samples[i] = static_cast<float>(0.25 * std::sin(2 * M_PI * hz * static_cast<double>(i) / 22050));
    const Audio tone{samples, 22050, 1};
    INFO(hz << " Hz");
    CHECK(heardLoudness(samples, 22050, 1, 44100) == Approx(convertedLoudness(tone, 44100)).margin(0.035));
  }
}

TEST_CASE("a meter refuses to hear audio at a lower rate than its own, or peaks as heard at another",
          "[audio][loudness]") {
  CHECK_THROWS_AS(GatingBlockMeter(44100, 1, 22050), AudioError);
  CHECK_THROWS_AS(GatingBlockMeter(22050, 1, 2822401), AudioError);
  CHECK_NOTHROW(GatingBlockMeter(22050, 1, 22050));
  CHECK_THROWS_AS(LoudnessMeter(22050, 1, LoudnessMeter::Measure::LoudnessAndPeaks, 44100), AudioError);
  CHECK_NOTHROW(LoudnessMeter(22050, 1, LoudnessMeter::Measure::Loudness, 44100));
}
