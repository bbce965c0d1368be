// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <numbers>

#include "audio/loudness.h"
#include "support/media.h"

using warta::audio::Audio;
using warta::audio::AudioError;
using warta::audio::LoudnessMeter;
using warta::test::tone;

namespace {

// BS.1770-4's K-weighting at 48 kHz (the standard's published biquads),
// evaluated independently of libebur128: its power gain at `freq_hz`, in dB.
double kWeightingDb(double freq_hz) {
  const double w = 2.0 * std::numbers::pi * freq_hz / 48000.0;
  const std::complex<double> z1 = std::polar(1.0, -w), z2 = std::polar(1.0, -2.0 * w);
  const auto biquad = [&](double b0, double b1, double b2, double a1, double a2) {
    return (b0 + b1 * z1 + b2 * z2) / (1.0 + a1 * z1 + a2 * z2);
  };
  const auto shelf = biquad(1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585);
  const auto highpass = biquad(1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621);
  return 20.0 * std::log10(std::abs(shelf * highpass));
}

// BS.1770's loudness of a steady sine of peak `amplitude` in `channels`
// channels (L, R weighted 1): -0.691 + 10 log10(sum of K-weighted mean squares).
double sineLoudness(double freq_hz, double amplitude, int channels) {
  return -0.691 + 10.0 * std::log10(channels * amplitude * amplitude / 2.0) + kWeightingDb(freq_hz);
}

Audio join(const Audio& a, const Audio& b) {
  Audio all = a;
  all.samples.insert(all.samples.end(), b.samples.begin(), b.samples.end());
  return all;
}

}  // namespace

TEST_CASE("a 1 kHz sine at -20 dBFS on both stereo channels reads -20.0 LUFS", "[audio][loudness]") {
  // K-weighting lifts 1 kHz by +0.698 dB, which BS.1770's -0.691 all but
  // offsets: two channels of mean square 0.01 / 2 each sum to -20 dB.
  CHECK(kWeightingDb(1000.0) == Approx(0.698).margin(0.001));
  const double expected = sineLoudness(1000.0, 0.1, 2);
  CHECK(expected == Approx(-20.0).margin(0.01));

  CHECK(LoudnessMeter::integratedLoudness(tone(1000, 5.0, 48000, 2, 0.1)) == Approx(expected).margin(0.02));
  CHECK(LoudnessMeter::integratedLoudness(tone(1000, 5.0, 44100, 2, 0.1)) == Approx(-20.0).margin(0.05));
  // EBU Tech 3341 case 1: stereo 1 kHz at -23 dBFS reads -23.0 +- 0.1 LUFS.
  CHECK(LoudnessMeter::integratedLoudness(tone(1000, 20.0, 48000, 2, std::pow(10.0, -23.0 / 20))) ==
        Approx(-23.0).margin(0.1));
}

TEST_CASE("a mono signal counts once, 3 LU below the same signal in stereo", "[audio][loudness]") {
  const double mono = LoudnessMeter::integratedLoudness(tone(1000, 5.0, 48000, 1, 0.1));
  CHECK(mono == Approx(sineLoudness(1000.0, 0.1, 1)).margin(0.02));
  CHECK(mono == Approx(-23.01).margin(0.02));
}

TEST_CASE("K-weighting makes 100 Hz quieter than 1 kHz by BS.1770's curve", "[audio][loudness]") {
  const double low = LoudnessMeter::integratedLoudness(tone(100, 5.0, 48000, 2, 0.1));
  CHECK(low == Approx(sineLoudness(100.0, 0.1, 2)).margin(0.02));
  CHECK(low < -20.5);  // the high-pass part of the curve
}

TEST_CASE("silence and clips shorter than one 400 ms block have no integrated loudness", "[audio][loudness]") {
  LoudnessMeter silent(44100, 2);
  silent.add(Audio::silence(3.0, 44100, 2));
  CHECK(std::isinf(silent.integrated()));
  CHECK(silent.integrated() < 0);
  CHECK(std::isinf(silent.truePeakDb()));
  CHECK(std::isinf(silent.samplePeakDb()));
  CHECK(silent.seconds() == Approx(3.0));

  CHECK(std::isinf(LoudnessMeter::integratedLoudness(tone(1000, 0.3, 44100, 2, 0.5))));
  CHECK(std::isinf(LoudnessMeter(44100, 1).integrated()));  // nothing added at all
  CHECK(warta::audio::gainToReach(silent.integrated(), -16.0) == 0.0);
}

TEST_CASE("adding in chunks measures the same as adding at once", "[audio][loudness]") {
  const Audio whole = join(tone(440, 2.0, 44100, 2, 0.3), tone(2500, 1.7, 44100, 2, 0.05));
  LoudnessMeter once(44100, 2), chunked(44100, 2);
  once.add(whole);
  const std::size_t step = 4410 * 2 + 6;  // odd-sized chunks, in samples (whole frames)
  for (std::size_t i = 0; i < whole.samples.size(); i += step) {
    Audio part{{}, 44100, 2};
    part.samples.assign(whole.samples.begin() + static_cast<std::ptrdiff_t>(i),
                        whole.samples.begin() + static_cast<std::ptrdiff_t>(std::min(whole.samples.size(), i + step)));
    chunked.add(part);
  }
  CHECK(chunked.frames() == whole.frames());
  CHECK(chunked.integrated() == once.integrated());
  CHECK(chunked.truePeakDb() == once.truePeakDb());
}

TEST_CASE("two halves combined read the loudness of the whole", "[audio][loudness]") {
  // -20 LUFS then -26 LUFS, 5 s each: the programme's loudness is the mean
  // energy, 10 log10((10^-2 + 10^-2.6) / 2) = -22.04 LUFS, not the mean of
  // the two readings (-23).
  const Audio first = tone(1000, 5.0, 48000, 2, 0.1);
  const Audio second = tone(1000, 5.0, 48000, 2, 0.1 * std::pow(10.0, -6.0 / 20));
  LoudnessMeter a(48000, 2), b(48000, 2), whole(48000, 2);
  a.add(first);
  b.add(second);
  whole.add(join(first, second));
  CHECK(a.integrated() == Approx(-20.0).margin(0.02));
  CHECK(b.integrated() == Approx(-26.0).margin(0.02));

  const double combined = warta::audio::combinedIntegrated({&a, &b});
  CHECK(combined == Approx(whole.integrated()).margin(0.05));
  CHECK(combined == Approx(10.0 * std::log10((0.01 + std::pow(10.0, -2.6)) / 2.0)).margin(0.03));
  CHECK(std::abs(combined - (a.integrated() + b.integrated()) / 2.0) > 0.9);

  // The relative gate applies to the programme: a part 20 LU down is left out.
  LoudnessMeter quiet(48000, 2);
  quiet.add(tone(1000, 5.0, 48000, 2, 0.01));
  CHECK(warta::audio::combinedIntegrated({&a, &quiet}) == Approx(-20.0).margin(0.05));
  CHECK(std::isinf(warta::audio::combinedIntegrated({})));
  CHECK_THROWS_AS(warta::audio::combinedIntegrated({&a, nullptr}), AudioError);
}

TEST_CASE("true peak finds the inter-sample peak that sample peak misses", "[audio][loudness]") {
  // A sine at a quarter of the rate, 45 degrees off the samples: every sample
  // is +-0.7071 (-3.01 dBFS) while the wave peaks at 1.0 between them.
  Audio a{{}, 44100, 2};
  for (int i = 0; i < 44100; ++i) {
    const auto v = static_cast<float>(std::sin(std::numbers::pi / 2 * i + std::numbers::pi / 4));
    a.samples.push_back(v);
    a.samples.push_back(v);
  }
  LoudnessMeter meter(44100, 2);
  meter.add(a);
  CHECK(meter.samplePeakDb() == Approx(-3.01).margin(0.01));
  // libebur128's interpolator reads this one 0.10 dB high (see truePeakDb).
  CHECK(meter.truePeakDb() == Approx(0.05).margin(0.1));

  LoudnessMeter low(44100, 1);
  low.add(tone(1000, 1.0, 44100, 1, 0.5));
  CHECK(low.samplePeakDb() == Approx(-6.02).margin(0.01));
  CHECK(low.truePeakDb() == Approx(-6.02).margin(0.02));
}

TEST_CASE("the meter refuses audio of another rate or channel count", "[audio][loudness]") {
  LoudnessMeter meter(44100, 2);
  CHECK_THROWS_AS(meter.add(tone(1000, 0.5, 48000, 2)), AudioError);
  CHECK_THROWS_AS(meter.add(tone(1000, 0.5, 44100, 1)), AudioError);
  CHECK_THROWS_WITH(meter.add(tone(1000, 0.5, 22050, 2)), Catch::Contains("22050 Hz"));
  CHECK(meter.frames() == 0);
  CHECK_THROWS_AS(LoudnessMeter(44100, 0), AudioError);
  CHECK_THROWS_AS(LoudnessMeter(0, 2), AudioError);
  CHECK_THROWS_AS(LoudnessMeter::integratedLoudness(Audio{}), AudioError);
}

TEST_CASE("gainToReach is the difference to the target", "[audio][loudness]") {
  CHECK(warta::audio::gainToReach(-23.0, -16.0) == 7.0);
  CHECK(warta::audio::gainToReach(-12.5, -16.0) == -3.5);
  CHECK(warta::audio::gainToReach(-HUGE_VAL, -16.0) == 0.0);
}
