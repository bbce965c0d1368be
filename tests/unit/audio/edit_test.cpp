// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <cmath>

#include "audio/edit.h"
#include "support/media.h"

using warta::audio::Audio;
using namespace warta::audio;
using warta::test::tone;

namespace {
Audio constant(float value, std::size_t frames, int channels, int rate = 1000) {
  Audio a;
  a.sample_rate = rate;
  a.channels = channels;
  a.samples.assign(frames * static_cast<std::size_t>(channels), value);
  return a;
}
}  // namespace

TEST_CASE("silence has the rounded frame count and only zeros", "[audio][edit]") {
  const Audio s = Audio::silence(0.5004, 1000, 2);  // 500.4 frames -> 500
  CHECK(s.frames() == 500);
  CHECK(s.channels == 2);
  CHECK(s.sample_rate == 1000);
  CHECK(peak(s) == 0.0f);
  CHECK(Audio::silence(0.0, 44100, 1).empty());
  CHECK_THROWS_AS(Audio::silence(1.0, 0, 1), AudioError);
}

TEST_CASE("fades start and end at exactly zero and leave the middle alone", "[audio][edit]") {
  Audio a = constant(0.8f, 1000, 2);  // 1 s at 1 kHz
  applyFades(a, 0.1, 0.2);
  CHECK(a.samples[0] == 0.0f);
  CHECK(a.samples[1] == 0.0f);
  CHECK(a.samples[2 * 999] == 0.0f);
  CHECK(a.samples[2 * 999 + 1] == 0.0f);
  CHECK(a.samples[2 * 50] == Approx(0.4f));           // halfway through the 100-frame fade-in
  CHECK(a.samples[2 * 100] == 0.8f);                  // fade-in over
  CHECK(a.samples[2 * (999 - 100)] == Approx(0.4f));  // halfway through the 200-frame fade-out
  CHECK(a.samples[2 * 799] == 0.8f);                  // before the fade-out
  // Monotonic ramps.
  for (std::size_t i = 1; i < 100; ++i) CHECK(a.samples[2 * i] > a.samples[2 * (i - 1)]);
  for (std::size_t i = 801; i < 1000; ++i) CHECK(a.samples[2 * i] < a.samples[2 * (i - 1)]);
}

TEST_CASE("fades longer than the clip are clipped to half of it each", "[audio][edit]") {
  Audio a = constant(1.0f, 100, 1);
  applyFades(a, 5.0, 5.0);
  CHECK(a.samples.front() == 0.0f);
  CHECK(a.samples.back() == 0.0f);
  CHECK(a.samples[50] == Approx(49.0 / 50).epsilon(1e-6));  // the peak is in the middle
  CHECK(peak(a) < 1.0f);
  Audio tiny = constant(1.0f, 1, 1);
  applyFades(tiny, 1.0, 1.0);  // a single frame cannot be faded
  CHECK(tiny.samples[0] == 1.0f);
}

TEST_CASE("applyGain scales by decibels", "[audio][edit]") {
  struct Case {
    double db;
    float factor;
  };
  for (const Case c : {Case{0.0, 1.0f}, Case{-20.0, 0.1f}, Case{20 * std::log10(0.5), 0.5f}, Case{6.0206, 2.0f}}) {
    Audio a = constant(0.25f, 10, 2);
    applyGain(a, c.db);
    CHECK(a.samples[7] == Approx(0.25f * c.factor).epsilon(1e-4));
  }
}

TEST_CASE("peak is the largest absolute sample", "[audio][edit]") {
  Audio a = constant(0.1f, 10, 2);
  a.samples[13] = -0.9f;
  a.samples[4] = 0.5f;
  CHECK(peak(a) == 0.9f);
  CHECK(peak(Audio{}) == 0.0f);
}

TEST_CASE("limitPeak scales a loud clip down to the ceiling without changing its shape", "[audio][edit]") {
  Audio a = tone(440.0, 0.5, 44100, 2, 1.6);
  const Audio before = a;
  limitPeak(a, 1.0f);
  CHECK(peak(a) <= 1.0f);
  CHECK(peak(a) == Approx(1.0f).epsilon(1e-6));
  const float ratio = peak(a) / peak(before);
  for (std::size_t i = 0; i < a.samples.size(); i += 97) CHECK(a.samples[i] == Approx(before.samples[i] * ratio));

  Audio quiet = tone(440.0, 0.5, 44100, 1, 0.5);
  const Audio untouched = quiet;
  limitPeak(quiet, 1.0f);
  CHECK(quiet.samples == untouched.samples);

  Audio odd = constant(3.0f, 5, 1);  // a factor that rounds: 0.7/3
  limitPeak(odd, 0.7f);
  CHECK(peak(odd) <= 0.7f);
  CHECK(peak(odd) == Approx(0.7f));
}

TEST_CASE("rms over a window clipped at the end", "[audio][edit]") {
  const Audio sine = tone(1000.0, 1.0, 48000, 2, 0.5);
  CHECK(rms(sine, 0, sine.frames()) == Approx(0.5 / std::sqrt(2.0)).epsilon(1e-4));
  Audio steps = constant(0.0f, 100, 1);
  for (std::size_t i = 50; i < 100; ++i) steps.samples[i] = 0.4f;
  CHECK(rms(steps, 0, 50) == 0.0);
  CHECK(rms(steps, 50, 50) == Approx(0.4));
  CHECK(rms(steps, 50, 1000) == Approx(0.4));  // clipped to the 50 frames that exist
  CHECK(rms(steps, 0, 100) == Approx(0.4 / std::sqrt(2.0)));
  CHECK(rms(steps, 100, 10) == 0.0);
  CHECK(rms(steps, 5000, 10) == 0.0);
}
