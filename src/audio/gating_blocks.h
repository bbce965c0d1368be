// SPDX-License-Identifier: GPL-3.0-or-later
// ITU-R BS.1770-4's loudness, the part every render pays for on every
// sample: the K-weighting filter and the energy of each 400 ms gating block,
// one every 100 ms; and the gating that turns block energies into integrated
// loudness. Our own code, not libebur128's, for speed alone: libebur128 runs
// its filter as one 4th-order direct form with the state in memory, one
// channel at a time, and sums the whole 400 ms window again every 100 ms.
// Here each channel is two biquads in direct form I (the one feedback term
// last, so a sample waits on one multiply and one subtract), the channels of
// a stereo frame go through together, and each sample is squared and summed
// once, into its 100 ms step. The filter and the gate are BS.1770's, with
// libebur128's choices where the standard leaves one (the 100 ms step of
// (rate + 5) / 10 frames, the channel weights, the order of the gate), so the
// two agree to rounding: tests/unit/audio/gating_blocks_test.cpp holds them
// to 0.0001 LU at 8 to 96 kHz. libebur128 still measures true and sample
// peaks (audio/loudness.h) and is the tests' reference.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace warta::audio {

class GatingBlockMeter {
 public:
  // Throws AudioError for a rate outside 16 Hz..2.8224 MHz or channels
  // outside 1..64 (libebur128's limits, so either meter takes the same).
  // `heard_rate` (Hz; 0: `sample_rate`) measures the audio as it will read
  // once converted up to that rate, without converting it: the conversion
  // adds nothing above sample_rate / 2, so what differs is the K-weighting's
  // response below it. Designed at each rate, the two differ by a gain of
  // the unscaled high-pass (0.047 dB at 22.05 against 44.1 kHz), which is
  // made up here, and by the bilinear transform's warping of the shelf
  // (within 0.03 dB, 1 to 4 kHz), which is not: tones up to 10 kHz read
  // within 0.035 dB of the same tones converted (gating_blocks_test), eSpeak's
  // speech within 0.01 LU (tests/unit/speech/heard_loudness_test.cpp).
  // Throws AudioError for a heard rate under `sample_rate` or over 2.8224 MHz.
  GatingBlockMeter(int sample_rate, int channels, int heard_rate = 0);

  // Frames in one 100 ms step: (rate + 5) / 10.
  std::int64_t step() const { return step_; }

  // Feeds `frames` interleaved frames as the continuation of all fed so far
  // and appends to `blocks` the energy (mean square, K-weighted, channel-
  // weighted: BS.1770's z summed with its G weights) of every 400 ms block
  // that ends in them: one at each step boundary from the 4th on. The result
  // does not depend on how the audio is cut into calls.
  void add(const float* samples, std::size_t frames, std::vector<double>& blocks);

  // The other use, not mixed with add() on one meter: `energy` plus the
  // K-weighted, channel-weighted energy of `frames` interleaved frames (each
  // frame's weighted squares summed in channel order, then added in frame
  // order, so a sum does not depend on how the audio is cut into calls), fed
  // as the continuation of all fed so far.
  double addEnergy(const float* samples, std::size_t frames, double energy);

 private:
  // One biquad's coefficients (a0 = 1).
  struct Biquad {
    double b0, b1, b2, a1, a2;
  };
  static std::pair<Biquad, Biquad> kWeighting(int sample_rate);  // the shelf and the high-pass
  static double response(const Biquad& f, double hz, int sample_rate);
  // A channel's filter memory in direct form I (T: one channel, or Pair: two).
  template <typename T>
  struct Memory {
    T x1{}, x2{}, y1{}, y2{};  // the shelf's last inputs and outputs
    T u1{}, u2{};              // the high-pass's last outputs (its inputs are the shelf's)
  };
  using Pair = double __attribute__((vector_size(16)));
  template <typename T>
  static T kWeighted(const Biquad& s, const Biquad& h, Memory<T>& z, T x);
  void run(const float* samples, std::size_t frames);

  int channels_;
  std::int64_t step_;
  Biquad shelf_{}, high_pass_{};
  std::vector<double> weight_;  // BS.1770's G per channel (0: not measured)
  std::vector<Memory<double>> state_;
  double step_energy_ = 0;              // weighted sum of squares in the step being filled
  std::int64_t in_step_ = 0;            // frames of it so far
  std::array<double, 3> last_steps_{};  // the three steps before it, oldest first
  int steps_done_ = 0;                  // up to 3: how many of last_steps_ are real
};

// BS.1770-4's gating of 400 ms block energies, in libebur128 1.2.6's order:
// blocks under the absolute gate (-70 LUFS) are dropped, then those under the
// relative gate (10 LU under the mean of the rest); the loudness (LUFS) of
// the mean of what is left. -infinity (-HUGE_VAL) when nothing is left.
double gatedLoudness(const std::vector<double>& energies);

}  // namespace warta::audio
