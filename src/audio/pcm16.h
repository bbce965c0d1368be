// SPDX-License-Identifier: GPL-3.0-or-later
// 16-bit PCM and warta's float samples: the one scaling convention, and the
// one reduction to 16 bits. Every int16 <-> float conversion in warta (eSpeak's
// output, the speech spool, PCM chunks, WAV files) goes through here.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace warta::audio {

// A 16-bit sample v is the float v / 32768: [-32768, 32767] maps onto
// [-1, 1 - 2^-15] and back exactly. (libsndfile reads 16-bit files the same
// way, so a WAV warta wrote reads back as the samples it wrote.)
inline constexpr float kPcm16FullScale = 32768.0f;
inline constexpr float kPcm16Min = -32768.0f;
inline constexpr float kPcm16Max = 32767.0f;

inline float pcm16ToFloat(std::int16_t v) { return static_cast<float>(v) / kPcm16FullScale; }

// The nearest 16-bit sample, clamped to the 16-bit range, without dither: for
// floats that are 16-bit samples already (eSpeak's speech in its spool), where
// nothing is lost.
inline std::int16_t floatToPcm16(float x) {
  return static_cast<std::int16_t>(std::lrint(std::clamp(x * kPcm16FullScale, kPcm16Min, kPcm16Max)));
}

// The seed every reduction starts from: one per chunk or file, so the same
// audio gives the same bytes whichever worker renders it (-j) and whether it
// comes from the cache.
inline constexpr std::uint64_t kPcm16DitherSeed = 0x5741525441ull;  // "WARTA"

// Reduction of float audio to 16 bits with TPDF dither (the sum of two
// independent uniform values of +-1/2 LSB: triangular, +-1 LSB peak), so the
// rounding error of quiet speech and fades is a steady noise floor near
// -96 dBFS rather than distortion that follows the signal. The noise comes
// from a seeded SplitMix64 generator: deterministic, never the clock. An
// exact 0 stays 0, so digital silence (pauses, padding) stays silent.
class Pcm16Ditherer {
 public:
  explicit Pcm16Ditherer(std::uint64_t seed = kPcm16DitherSeed) : state_(seed) {}

  std::int16_t operator()(float x) {
    if (x == 0.0f) return 0;
    const double tpdf = unit() - unit();  // in (-1, 1) LSB, triangular
    const double v = std::clamp(static_cast<double>(x) * kPcm16FullScale + tpdf, double{kPcm16Min}, double{kPcm16Max});
    return static_cast<std::int16_t>(std::lrint(v));
  }

 private:
  // SplitMix64 (Steele, Lea, Flood 2014), its top 53 bits as a double in [0, 1).
  double unit() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
  }

  std::uint64_t state_;
};

}  // namespace warta::audio
