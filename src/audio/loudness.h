// SPDX-License-Identifier: GPL-3.0-or-later
// Loudness and peak measurement to EBU R128 / ITU-R BS.1770-4: loudness by
// our own gating-block meter (audio/gating_blocks.h, for speed), true and
// sample peaks by libebur128.
#pragma once

#include <ebur128.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "audio/audio.h"
#include "audio/gating_blocks.h"

namespace warta::audio {

// The one owner of a libebur128 state: ebur128_destroy appears only here.
struct Ebur128Deleter {
  void operator()(ebur128_state* state) const { ebur128_destroy(&state); }
};
using Ebur128 = std::unique_ptr<ebur128_state, Ebur128Deleter>;

// Measures integrated loudness, true peak and sample peak of a stream fed in
// chunks. Memory grows by one double per 100 ms of audio (the gating blocks),
// never with the samples themselves. Move-only; owns a libebur128 state
// when it measures peaks (loudness is GatingBlockMeter's).
//
// Channels use the BS.1770 layout libebur128 defaults to (L, R, C, LFE
// unused, Ls, Rs). A mono signal counts once, as BS.1770 says: it reads
// 3.01 LU lower than the same signal on both channels of a stereo file.
class LoudnessMeter {
 public:
  // What to measure: peaks cost far more than loudness (true peak
  // oversamples every channel 4x), so leveling asks for loudness only.
  enum class Measure { Loudness, LoudnessAndPeaks };

  // Throws AudioError for a format outside 1..64 channels and 16 Hz..2.8224
  // MHz (libebur128's limits, kept for both meters). `heard_rate` (Hz; 0:
  // `sample_rate`): the loudness as the audio will read converted up to that
  // rate (GatingBlockMeter's), for Measure::Loudness only (peaks would need
  // the conversion); else throws AudioError.
  LoudnessMeter(int sample_rate, int channels, Measure what = Measure::LoudnessAndPeaks, int heard_rate = 0);

  // Measures `audio` as the continuation of everything added so far. Throws
  // AudioError if its rate or channel count differs from the meter's, or if
  // libebur128 fails (out of memory, measuring peaks).
  void add(const Audio& audio);

  // Gated integrated loudness in LUFS. -infinity (-HUGE_VAL) when no 400 ms
  // block lies above the -70 LUFS absolute gate: silence, or less than 0.4 s
  // of audio. Test with std::isinf before doing arithmetic with it.
  double integrated() const;

  // Largest true peak over all channels in dBTP, from libebur128's 4x
  // oversampling (2x at 96 kHz and above). -infinity for silence. Measured on
  // libebur128 1.2.6: it reads up to 0.4 dB above the real inter-sample peak
  // on pure tones between 7 and 15 kHz, within 0.01 dB below 5 kHz.
  // Throws AudioError on a meter made with Measure::Loudness.
  double truePeakDb() const;

  // Largest absolute sample over all channels in dBFS; -infinity for silence.
  // Throws AudioError on a meter made with Measure::Loudness.
  double samplePeakDb() const;

  // Frames added so far, and the same in seconds.
  std::size_t frames() const { return frames_; }
  double seconds() const { return static_cast<double>(frames_) / sample_rate_; }
  int sampleRate() const { return sample_rate_; }
  int channels() const { return channels_; }

  // integrated() of one clip. Throws AudioError as the constructor does.
  static double integratedLoudness(const Audio& audio);

 private:
  friend double combinedIntegrated(const std::vector<const LoudnessMeter*>& meters);

  GatingBlockMeter blocks_meter_;
  std::vector<double> blocks_;  // every 400 ms block's energy so far
  Ebur128 peaks_;               // measures true peak and sample peak; null for Measure::Loudness
  int sample_rate_;
  int channels_;
  std::size_t frames_ = 0;
};

// The integrated loudness (LUFS) of all the meters' audio played one after
// another, gated as one programme: a whole bulletin's loudness from
// per-element meters, without keeping the bulletin.
// Blocks that would straddle two elements are not measured, so it can differ
// from measuring the joined audio by a few hundredths of a LU. -infinity as
// integrated() does, and for an empty list. Throws AudioError for a null meter.
double combinedIntegrated(const std::vector<const LoudnessMeter*>& meters);

// The end of a stage chain that measures what reaches it: each chunk goes
// to `meter` (borrowed; it must outlive the sink), and nowhere else.
class MeterSink : public AudioSink {
 public:
  explicit MeterSink(LoudnessMeter& meter) : meter_(meter) {}
  void write(const Audio& chunk) override { meter_.add(chunk); }
  void finish() override {}

 private:
  LoudnessMeter& meter_;
};

// Gain in dB that takes `measured_lufs` to `target_lufs` (target - measured);
// 0 when either is not finite: silence cannot be brought up to a target.
double gainToReach(double measured_lufs, double target_lufs);

}  // namespace warta::audio
