// SPDX-License-Identifier: GPL-3.0-or-later
// Leveling one element of a programme (a story's spoken clips with the
// pauses between them, or one jingle) to a loudness target under a true-peak
// ceiling, streaming: one clip in memory at a time, so a story of any length
// costs what its longest sentence does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "audio/audio.h"
#include "audio/convert.h"
#include "audio/loudness.h"
#include "audio/stdio_file.h"

namespace warta::audio {

// Clips to level, in order, by index.
struct ClipSource {
  std::size_t count = 0;
  // Clip i into `out` (all of one rate and channel count), replacing what
  // it held; its storage is reused, so a pass over the clips allocates once.
  // Called from several threads at once (each with its own `out`) when
  // levelClips is given threads > 1.
  std::function<void(std::size_t, Audio&)> read;
  std::vector<double> pauses;  // seconds of silence after each clip (the last unused)
  // The clips' frames, rate (Hz) and channels when known without reading
  // them (a spool knows them): only then can a long element be leveled in
  // pieces (levelPieces). Empty `frames`: leveled as one.
  std::vector<std::size_t> frames;
  int rate = 0;
  int channels = 0;
};

// A spoken element at least this long (seconds, clips and pauses) is
// leveled in pieces of at least kLevelPieceSeconds each, cut between clips:
// each piece limited on its own and measured with its own meter, the meters
// gated together as one programme (combinedIntegrated), so one gain levels
// the whole and the pieces can be worked on in parallel. Shorter elements
// are one piece: exactly as before pieces existed.
inline constexpr double kLevelPieceSeconds = 60.0;

// Where an element of clips `frames` (at `rate` Hz) with `pauses` after them
// is cut into pieces for leveling: the first clip of each piece (the first
// is 0). A pure function of the lengths, never of the threads: a piece ends
// after the clip that makes it at least kLevelPieceSeconds long, when what is
// left is that long too.
std::vector<std::size_t> levelPieces(const std::vector<std::size_t>& frames, const std::vector<double>& pauses,
                                     int rate);

// Levels the clips, as heard with their pauses, to `target_lufs` with peaks
// under `ceiling_dbtp`, and hands each to `emit(i, clip)` in order, at its own
// rate and channels. `out_channels` is what they will play on: mono counts
// +3.01 dB on two channels (BS.1770 sums channel powers). Clips too quiet to
// measure (below -69 LUFS) pass unchanged. Reads each clip three to eight
// times (loudness, trial limiter passes until findLimitedGain has its gain:
// one for speech, the real one). Throws AudioError.
// `out_rate` (0: the clips' own) is the rate they will play at: the
// loudness is judged there, as the mixer converts them.
// Returns the loudness measured before leveling, in LUFS: -infinity for clips
// too quiet to measure, which were passed unchanged (the caller says so: a
// programme that is silent as a whole is an error, not a loudness).
// A source that gives its frames is leveled in levelPieces' pieces, on up
// to `threads` threads (the result is the same whatever `threads`); `emit`
// is still called in order, from the calling thread.
double levelClips(const ClipSource& source, int out_channels, double target_lufs, double ceiling_dbtp,
                  const std::function<void(std::size_t, Audio&&)>& emit, int out_rate = 0, int threads = 1);

// What one trial limiter pass at a gain found.
struct LimitedTrial {
  double error = 0.0;  // LU: the target less what the limited element read
  // dB per dB: the limiter's estimate of how what it read moves with the
  // gain (GainSlope::dbPerDb); 0 when there is none.
  double slope = 0.0;
};

// The gain (dB) at which an element, limited, reads `target` (LUFS):
// `trial(gain)` runs one trial limiter pass at `gain`. Starts at `first`
// and steps by the error over the trial's own slope (else the secant of the
// last two trials, else 1: the limiter takes less than a gain adds, so that
// never overshoots). On speech the limiter's slope lands the step within
// about 0.01 LU, so a step under 0.3 LU on a measured slope is not measured
// again: one trial for a story, where the two-trial secant search took two.
// A trial within 0.02 LU of the target ends the search at once; at most 6
// trials. levelClips and the streamed bed and jingle leveling (bed.h) both
// use it, so they give the same gains.
double findLimitedGain(double first, const std::function<LimitedTrial(double)>& trial);

// The end of a trial pass: its limited audio (at `rate` Hz, `channels`)
// measured as it will be heard at `heard_rate` Hz once the mixer converts it.
// BS.1770's K-weighting at eSpeak's 22.05 kHz reads speech about 0.1 LU
// louder than the same speech converted to 44.1 kHz (measured on `say` of
// samples/articles/panen-raya.txt: -19.0 against -19.12 LUFS). Converting up
// adds nothing audible to the meter, so the audio is measured at its own
// rate with the K-weighting the heard rate has (GatingBlockMeter's
// heard_rate): converting it as the mixer does cost about 1% of the bed
// bulletin's CPU for a reading within 0.01 LU of this one (eSpeak's speech,
// tests/unit/speech/heard_loudness_test.cpp). Converting down loses what
// lies above the lower rate's Nyquist frequency, so that audio is converted
// (as one stream: a converter per clip, as the mixer has, differs only in
// the filter's ringing at a clip's edges). Throws AudioError as
// LoudnessMeter and StreamConverter do.
class HeardMeter : public AudioSink {
 public:
  HeardMeter(int rate, int channels, int heard_rate);
  HeardMeter(const HeardMeter&) = delete;
  HeardMeter& operator=(const HeardMeter&) = delete;
  void write(const Audio& chunk) override;
  void finish() override;
  const LoudnessMeter& meter() const { return meter_; }

 private:
  LoudnessMeter meter_;
  MeterSink to_meter_;
  std::optional<StreamConverter> converter_;  // converting down only
};

// levelClips for one clip held in memory; `measured` (if set) gets what levelClips returns.
Audio levelClip(Audio clip, int out_channels, double target_lufs, double ceiling_dbtp, int out_rate = 0,
                double* measured = nullptr);

// Mono clips kept as 16-bit samples in an anonymous temporary file (gone when
// this is destroyed). Exact for speech from eSpeak NG, whose floats are its
// 16-bit samples divided by 32768.
class ClipSpool {
 public:
  ClipSpool();  // throws AudioError if no temporary file can be made
  ~ClipSpool();
  ClipSpool(const ClipSpool&) = delete;
  ClipSpool& operator=(const ClipSpool&) = delete;

  void add(const Audio& clip);  // mono; throws AudioError
  // Clip i into `out`, its storage reused; safe from several threads at
  // once (pread) with an `out` each. Throws AudioError.
  void read(std::size_t i, Audio& out) const;
  std::size_t size() const { return frames_.size(); }
  const std::vector<std::size_t>& frames() const { return frames_; }  // per clip
  int rate() const { return rate_; }                                  // Hz (0 before the first clip)

 private:
  File file_;
  std::vector<std::size_t> offsets_, frames_;  // in samples
  std::size_t longest_ = 0;                    // the most frames of any clip
  std::vector<std::int16_t> pcm_;              // add's conversion, reused
  std::size_t written_ = 0;
  int rate_ = 0;
};

}  // namespace warta::audio
