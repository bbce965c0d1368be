// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include "audio/convert.h"
#include "audio/edit.h"
#include "support/media.h"

using warta::audio::Audio;
using warta::audio::AudioError;
using warta::audio::convert;
using warta::test::rmsDb;
using warta::test::tone;

namespace {

// Level of the middle of a clip, away from the resampler's edge transients.
double middleDb(const Audio& a) { return rmsDb(a, 0.1 * a.seconds(), 0.9 * a.seconds()); }

bool channelsIdentical(const Audio& a) {
  for (std::size_t i = 0; i < a.frames(); ++i)
    if (a.samples[2 * i] != a.samples[2 * i + 1]) return false;
  return true;
}

}  // namespace

TEST_CASE("convert keeps duration and level across rates and channel counts", "[audio][convert]") {
  struct Case {
    int in_rate, in_channels, out_rate, out_channels;
  };
  const Case cases[] = {
      {22050, 1, 44100, 2}, {48000, 2, 44100, 1}, {44100, 2, 48000, 2}, {16000, 1, 44100, 1},
      {44100, 1, 22050, 1}, {24000, 1, 48000, 2}, {11025, 2, 44100, 2},
  };
  for (const auto& c : cases) {
    INFO(c.in_rate << " Hz x" << c.in_channels << " -> " << c.out_rate << " Hz x" << c.out_channels);
    const Audio in = tone(440.0, 2.0, c.in_rate, c.in_channels, 0.5);
    const Audio out = convert(in, c.out_rate, c.out_channels);
    CHECK(out.sample_rate == c.out_rate);
    CHECK(out.channels == c.out_channels);
    const double expected = static_cast<double>(in.frames()) * c.out_rate / c.in_rate;
    INFO("frames " << out.frames() << ", expected " << expected);
    CHECK(std::abs(static_cast<double>(out.frames()) - expected) <= 0.001 * expected);
    CHECK(std::abs(static_cast<double>(out.frames()) - expected) <= 4.0);  // and in fact within a few frames
    CHECK(middleDb(out) == Approx(middleDb(in)).margin(0.2));
    if (c.out_channels == 2) CHECK(channelsIdentical(out));
  }
}

TEST_CASE("resampling does not shift the signal in time", "[audio][convert]") {
  // Against an ideal tone generated directly at the output rate: a resampler
  // that lost or added samples at the start would be out of phase.
  const Audio out = convert(tone(440.0, 1.0, 22050, 1, 0.5), 44100, 1);
  const Audio ideal = tone(440.0, 1.0, 44100, 1, 0.5);
  float worst = 0;
  for (std::size_t i = 4410; i < 39690; ++i) worst = std::max(worst, std::fabs(out.samples[i] - ideal.samples[i]));
  CHECK(worst < 0.005f);
}

TEST_CASE("the end of a clip survives resampling (the resampler is flushed)", "[audio][convert]") {
  // Silence, then a tone in the last 50 ms: it must be there, at full level, after conversion.
  Audio in = Audio::silence(1.0, 48000, 1);
  const Audio burst = tone(1000.0, 0.05, 48000, 1, 0.5);
  std::copy(burst.samples.begin(), burst.samples.end(), in.samples.end() - static_cast<long>(burst.samples.size()));
  const Audio out = convert(in, 44100, 2);
  CHECK(rmsDb(out, out.seconds() - 0.045, out.seconds() - 0.005) == Approx(rmsDb(burst)).margin(0.5));
}

TEST_CASE("mono to stereo at the same rate duplicates exactly", "[audio][convert]") {
  const Audio in = tone(300.0, 0.5, 44100, 1, 0.7);
  const Audio out = convert(in, 44100, 2);
  REQUIRE(out.frames() == in.frames());
  for (std::size_t i = 0; i < in.frames(); ++i) {
    REQUIRE(out.samples[2 * i] == in.samples[i]);
    REQUIRE(out.samples[2 * i + 1] == in.samples[i]);
  }
}

TEST_CASE("stereo to mono averages the channels", "[audio][convert]") {
  // Tone on the left only: the mono mix is the tone at half amplitude (-6.02 dB).
  Audio in = tone(440.0, 1.0, 44100, 2, 0.8);
  for (std::size_t i = 0; i < in.frames(); ++i) in.samples[2 * i + 1] = 0.0f;
  const Audio same_rate = convert(in, 44100, 1);
  REQUIRE(same_rate.frames() == in.frames());
  for (std::size_t i = 0; i < in.frames(); ++i) REQUIRE(same_rate.samples[i] == Approx(0.5f * in.samples[2 * i]));

  const Audio resampled = convert(in, 48000, 1);
  const double left_db = rmsDb(tone(440.0, 1.0, 44100, 1, 0.8));
  CHECK(rmsDb(resampled, 0.1, 0.9) == Approx(left_db - 20 * std::log10(2.0)).margin(0.2));
}

TEST_CASE("convert returns the input unchanged when the format already matches", "[audio][convert]") {
  const Audio in = tone(440.0, 0.3, 48000, 2, 0.5);
  const Audio out = convert(in, 48000, 2);
  CHECK(out.sample_rate == 48000);
  CHECK(out.channels == 2);
  CHECK(out.samples == in.samples);
}

TEST_CASE("convert of empty audio is empty audio in the new format", "[audio][convert]") {
  Audio in;
  in.sample_rate = 22050;
  in.channels = 1;
  const Audio out = convert(in, 44100, 2);
  CHECK(out.empty());
  CHECK(out.sample_rate == 44100);
  CHECK(out.channels == 2);
}

TEST_CASE("convert rejects impossible formats", "[audio][convert]") {
  const Audio in = tone(440.0, 0.1, 44100, 1, 0.5);
  CHECK_THROWS_AS(convert(in, 0, 2), AudioError);
  CHECK_THROWS_AS(convert(in, 44100, 0), AudioError);
  Audio unknown = in;
  unknown.sample_rate = 0;
  CHECK_THROWS_AS(convert(unknown, 44100, 1), AudioError);
}

namespace {

// The level (dB, relative to full-scale sine) of `hz` in channel 0 of the
// middle second of `a`: one bin of a Hann-windowed DFT (Goertzel), on our
// own arithmetic, not the resampler's.
double toneDb(const Audio& a, double hz) {
  const auto n = static_cast<std::size_t>(a.sample_rate);
  const std::size_t from = (a.frames() - n) / 2;
  const double w = 2.0 * std::numbers::pi * hz / a.sample_rate;
  double re = 0, im = 0, window_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double hann = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n));
    const double x = hann * a.samples[(from + i) * static_cast<std::size_t>(a.channels)];
    re += x * std::cos(w * static_cast<double>(i));
    im -= x * std::sin(w * static_cast<double>(i));
    window_sum += hann;
  }
  return 20.0 * std::log10(2.0 * std::hypot(re, im) / window_sum + 1e-30);
}

}  // namespace

TEST_CASE("resampling eSpeak's 22.05 kHz to 44.1 kHz keeps the band and leaves no image within 120 dB",
          "[audio][convert]") {
  // Upsampling by two mirrors a tone at f to 22050 - f unless the filter
  // removes it: 20-bit soxr puts it 140 dB or more down (12-bit: 97). 9 kHz is
  // speech's top octave, near the filter's edge.
  for (const double hz : {1000.0, 5000.0, 9000.0}) {
    INFO(hz << " Hz");
    const Audio in = tone(hz, 3.0, 22050, 1, 0.5);
    const Audio out = convert(in, 44100, 1);
    const double level = toneDb(out, hz);
    CHECK(level == Approx(20 * std::log10(0.5)).margin(0.05));
    CHECK(toneDb(out, 22050.0 - hz) < level - 120.0);
  }
}
