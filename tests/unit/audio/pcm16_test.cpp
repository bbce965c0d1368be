// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "audio/pcm16.h"

using warta::audio::floatToPcm16;
using warta::audio::pcm16ToFloat;
using warta::audio::Pcm16Ditherer;

TEST_CASE("every 16-bit value survives int16 -> float -> int16 exactly", "[audio][pcm16]") {
  std::size_t wrong = 0;
  for (int v = -32768; v <= 32767; ++v) {
    const float x = pcm16ToFloat(static_cast<std::int16_t>(v));
    if (x != static_cast<float>(v) / 32768.0f || floatToPcm16(x) != v) ++wrong;
  }
  CHECK(wrong == 0);
  CHECK(pcm16ToFloat(-32768) == -1.0f);
  CHECK(pcm16ToFloat(16384) == 0.5f);
  // Beyond full scale clamps instead of wrapping.
  CHECK(floatToPcm16(1.0f) == 32767);
  CHECK(floatToPcm16(3.0f) == 32767);
  CHECK(floatToPcm16(-3.0f) == -32768);
  CHECK(floatToPcm16(0.25f) == 8192);
}

TEST_CASE("the dither is seeded: the same seed and samples give the same values", "[audio][pcm16]") {
  std::vector<float> x(10000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.3f * std::sin(0.01f * static_cast<float>(i));
  Pcm16Ditherer a, b, c(12345);
  std::size_t same = 0, differs = 0;
  for (float s : x) {
    const std::int16_t va = a(s), vb = b(s), vc = c(s);
    if (va == vb) ++same;
    if (va != vc) ++differs;
  }
  CHECK(same == x.size());
  CHECK(differs > 0);  // another seed, other noise
  Pcm16Ditherer d;
  CHECK(d(0.0f) == 0);  // digital silence stays silent
  CHECK(d(5.0f) == 32767);
  CHECK(d(-5.0f) == -32768);
}

// A 1 kHz sine at 0.3 LSB peak: plain rounding gives nothing but zeros, TPDF
// dither keeps it, in the mean, under noise of 1/4 LSB^2 total error power
// (rounding 1/12 + triangular dither 1/6: Lipshitz, Wannamaker, Vanderkooy 1992).
TEST_CASE("TPDF dither keeps a signal below 1 LSB and its error power is 1/4 LSB^2", "[audio][pcm16]") {
  const double rate = 48000, freq = 1000, lsb = 1.0 / 32768, amplitude = 0.3 * lsb;
  const std::size_t n = 480000;  // 10 s
  Pcm16Ditherer dither;
  double in_phase = 0, undithered = 0, err2 = 0, err = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double s = std::sin(2 * M_PI * freq * static_cast<double>(i) / rate);
    const float x = static_cast<float>(amplitude * s);
    const int v = dither(x);
    in_phase += v * s;
    undithered += std::abs(floatToPcm16(x));
    const double e = v - static_cast<double>(x) * 32768;
    err += e;
    err2 += e * e;
  }
  CHECK(undithered == 0);
  // The sine's amplitude recovered by correlation: 2/n * sum(v sin) = 0.3 LSB.
  CHECK(2 * in_phase / static_cast<double>(n) == Approx(0.3).margin(0.01));
  CHECK(err / static_cast<double>(n) == Approx(0).margin(0.005));
  CHECK(err2 / static_cast<double>(n) == Approx(0.25).margin(0.005));
}
