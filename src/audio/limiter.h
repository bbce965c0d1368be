// SPDX-License-Identifier: GPL-3.0-or-later
// A look-ahead true-peak limiter as a streaming AudioSink stage.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "audio/audio.h"

namespace warta::audio {

// How a limited output's level moves with the gain in front of the limiter,
// from its own frames: every output frame's energy (sum of squares over the
// channels), and the part of it that does not follow the gain. A frame at
// gain 1 follows it fully; a frame at a limited peak not at all (the gain
// there is the ceiling over the peak, so a louder input only lowers it);
// frames on the look-ahead ramp and the release in between, by how much of
// their reduction came from peaks (d gain / d ln(input gain) / gain). So
// dbPerDb() is the slope of the output's level over the input gain, in dB
// per dB, before any weighting or gating: on speech it reads the slope of
// the limited loudness that trial passes measure to about 0.01 (the bench
// bulletin's stories: 0.75 to 0.86, a little steeper than the secant of two
// trials 0.2 dB apart, as the slope falls with the gain).
struct GainSlope {
  double energy = 0.0;
  double pinned = 0.0;  // energy that does not follow the gain
  double dbPerDb() const { return energy > 0.0 ? 1.0 - pinned / energy : 1.0; }
  GainSlope& operator+=(const GainSlope& other) {
    energy += other.energy;
    pinned += other.pinned;
    return *this;
  }
};

// Sits in front of another sink: write() chunks of any size, finish() once.
// Every output sample, and every value between samples as the limiter's 4x
// oversampling windowed-sinc interpolator (4 phases x 16 taps, Kaiser) sees
// it, stays at or below the ceiling. Where the input already does, output is
// the input bit for bit (gain exactly 1). Where it does not, one gain for all
// channels falls linearly over the look-ahead, so it has reached its target
// before the peak arrives, holds across the interpolator's span, and recovers
// exponentially with the release time constant (then snaps back to exactly 1
// below 1e-6 of reduction). Limited peaks are aimed 0.01 dB under the ceiling
// to absorb the gain's own movement and float rounding.
//
// How true is the peak: the interpolator reads sines within +0.016/-0.005 dB
// up to 16 kHz at 44.1 kHz, and content above 16 kHz it under-reads, as any
// short true-peak filter does. Measured against a 128-tap reconstruction,
// output limited to -1 dBTP peaks at: 1 kHz sine -1.01, quarter-rate sine
// -1.01, 50 Hz-19 kHz sweep -1.01, naive square wave -0.92, low-passed noise
// -0.79, full-band white noise +0.08 dBTP. LoudnessMeter::truePeakDb
// (libebur128) reads tones below 5 kHz within 0.01 dB of this limiter and up
// to 0.4 dB higher between 7 and 15 kHz.
//
// Output frames equal input frames, in order and without added delay: the
// stage holds lookahead + 15 frames internally and releases them at finish().
// Output depends only on the input samples, never on chunk sizes or the CPU
// (the AVX2 and plain builds of the interpolator give identical bits).
// Speed, 30 minutes of stereo 44.1 kHz on one core: about 0.2 s of CPU when
// nothing needs limiting, 0.8 s when limiting all the time.
class TruePeakLimiter : public AudioSink {
 public:
  // `next` is borrowed and must outlive the limiter; it receives chunks at
  // `sample_rate` Hz with `channels` channels. `ceiling_dbtp` in dBTP (e.g.
  // -1.0); `lookahead_s` and `release_s` in seconds (look-ahead rounds to
  // whole frames; 0 makes the attack a step). Throws AudioError for a
  // non-positive rate or channel count, a non-finite ceiling, a negative
  // look-ahead or a non-positive release.
  TruePeakLimiter(AudioSink& next, int sample_rate, int channels, double ceiling_dbtp, double lookahead_s = 0.005,
                  double release_s = 0.1);

  // Limits `chunk` and passes on whatever is ready (nothing for the first
  // lookahead + 15 frames). Throws AudioError if the chunk's rate or channel
  // count differs, after finish(), or whatever `next` throws.
  void write(const Audio& chunk) override;

  // Passes on the held frames, then calls next.finish(). Throws AudioError if
  // called twice, or whatever `next` throws.
  void finish() override;

  // The deepest gain reduction applied so far, in dB as a positive number
  // (6.0: the gain went down to -6 dB); 0 when nothing was limited.
  double maxGainReductionDb() const;

  // Also estimates how the output's level moves with a gain put in front of
  // the limiter (gainSlope()). Call before the first write(); costs a little
  // more per frame. The leveler's trials use it to take their last step.
  void trackGainSlope();
  GainSlope gainSlope() const;

  // Frames held inside at any time: lookahead + 15 (the interpolator's reach).
  std::size_t latencyFrames() const { return static_cast<std::size_t>(delay_); }
  // The same for a limiter made with `sample_rate` and `lookahead_s`.
  static std::size_t latencyFrames(int sample_rate, double lookahead_s = 0.005);

 private:
  struct Held {  // one entry of the sliding-maximum queue
    std::int64_t index;
    double reduction;  // 1 - the gain interval `index` requires
    double slope;      // d reduction / d ln(input gain): 1 - reduction
  };

  const float* channelAt(std::int64_t c, std::int64_t t) const { return buf_.data() + c * stride_ + (t - buf_start_); }
  void consume(const float* interleaved, std::size_t frames);       // buffers and processes, in pieces
  void process();                                                   // consumes every buffered frame not yet processed
  std::int64_t lastLoud(std::int64_t from, std::int64_t to) const;  // last frame above loud_ in [from, to), or -1
  // The gain intervals s0 .. s0 + count - 1 need (s: between frames s and s + 1).
  void requiredGains(std::int64_t s0, std::int64_t count, double* required) const;
  // The gains for intervals s0 .. s0 + count - 1 from what they require;
  // each lands on output frame s - lookahead - kBefore.
  // With kSlope, also each gain's d / d ln(input gain) into `slope`.
  template <bool kSlope>
  void gains(std::int64_t s0, std::int64_t count, const double* required, double* gain, double* slope);
  // Adds output frames n0 .. n0 + count - 1 (`out`) to the slope's sums:
  // their gains and gain slopes (null: gain 1).
  void addToSlope(std::int64_t n0, std::int64_t count, const float* out, const double* gain, const double* slope);
  // Frames n0 .. n0 + count - 1 from the rows to interleaved `out`, each
  // times its gain in `g` unless `g` is null.
  void interleave(std::int64_t n0, std::int64_t count, const float* g, float* out) const;

  AudioSink& next_;
  int sample_rate_;
  std::int64_t channels_;
  double ceiling_;  // linear
  double target_;   // linear: the ceiling less the margin
  float loud_;      // a frame above this (linear) may need exact interpolation
  std::int64_t lookahead_;
  std::int64_t delay_;  // frames between a frame's arrival and its output
  double release_coef_;

  // Input frames [buf_start_, buf_start_ + buf_frames_), one row of
  // `stride_` floats per channel so the interpolator runs along time in SIMD
  // lanes. Fixed size whatever the chunk size: a long chunk goes through in
  // pieces. Rows end in a few frames of slack for whole-lane reads.
  std::vector<float> buf_;
  std::int64_t capacity_;  // frames per row, slack excluded
  std::int64_t stride_;
  std::int64_t buf_start_;
  std::int64_t buf_frames_ = 0;
  std::int64_t next_t_ = 0;  // next input frame to process
  std::int64_t frames_in_ = 0;
  std::int64_t last_loud_;  // most recent processed frame above loud_

  std::vector<Held> held_;  // ring: decreasing reductions, the sliding maximum at the front
  std::size_t held_head_ = 0, held_size_ = 0;
  double release_ = 0.0;     // reduction after the sliding maximum and the release
  std::vector<double> box_;  // ring: the last lookahead + 1 of those
  std::size_t box_pos_ = 0;
  std::size_t box_nonzero_ = 0;
  double box_sum_ = 0.0;
  bool idle_ = true;  // no reduction anywhere in the pipeline: the gain is exactly 1
  double min_gain_ = 1.0;
  bool finished_ = false;

  // gainSlope()'s state: d / d ln(input gain) of release_ and of box_'s entries.
  bool track_slope_ = false;
  double release_slope_ = 0.0;
  std::vector<double> box_slope_;
  double box_slope_sum_ = 0.0;
  // gainSlope()'s sums: frame n's energy and the part of it pinned in lane n mod 8.
  std::array<double, 8> energy_lanes_{}, pinned_lanes_{};

  Audio out_;
};

}  // namespace warta::audio
