// SPDX-License-Identifier: GPL-3.0-or-later
// A finished output decoded end to end with libavcodec, the way a playout
// system will decode it, and measured: what is checked before a bulletin is
// handed over (deliver/) and where its cue points lie (the MP3's TXXX cues,
// the Liquidsoap annotations).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "audio/audio.h"

struct AVFrame;

namespace warta::audio {

// A sample whose magnitude stays under this is silent for cue points:
// -60 dBFS, below the dither and the MP3 encoder's noise floor of warta's
// own silences, above the quietest speech consonant warta makes (~-45 dBFS).
inline constexpr double kCueSilenceDbfs = -60.0;

// The tail rule for cross_start_next: measured in blocks of this many seconds
// (RMS over all channels), the tail starts after the last block no more than
// kTailDropDb under the programme's integrated loudness (LUFS read as dBFS).
// With an outro, that is the start of its final decay; without, the end of
// the closing words.
inline constexpr double kTailBlockSeconds = 0.1;
inline constexpr double kTailDropDb = 20.0;

struct DecodedStats {
  int sample_rate = 0;
  int channels = 0;
  std::int64_t frames = 0;      // decoded frames (after the encoder's delay and padding are trimmed)
  double seconds = 0;           // frames / sample_rate
  double integrated_lufs = 0;   // -infinity for silence
  double cue_in = 0;            // seconds: the first non-silent sample (kCueSilenceDbfs)
  double cue_out = 0;           // seconds: just after the last non-silent sample
  double cross_start_next = 0;  // seconds: where the tail starts (kTailDropDb), cue_in <= it <= cue_out
};

// Decodes the first audio stream of `file` (MP3 through mp3float, WAV's PCM)
// to the end, handing each decoded piece to `each` if given. Throws
// AudioError naming the file when it cannot be opened, has no audio stream,
// or a packet does not decode (a damaged or truncated file).
DecodedStats decodeAndMeasure(const std::filesystem::path& file, const std::function<void(const Audio&)>& each = {});

// The same measures taken stretch by stretch: a programme's decode cut into
// consecutive stretches [start, end) (in decoded frames, after the encoder's
// delay is trimmed), each measured on its own (in threads, kept in a cache)
// and combined into what decodeAndMeasure gives for the whole (cue_in and
// cue_out exactly; the block powers behind cross_start_next and the loudness
// to rounding, float cells summed in another order). The whole's measures lie on
// grids from the programme's start (the tail rule's 100 ms blocks, BS.1770's
// 100 ms steps), which a stretch does not see: it is measured in cells of
// `cell` frames on the programme's grid (the first and last cut by the
// stretch's ends), each cell the sum of its frames' plain and K-weighted
// energy. A stretch that moves by a multiple of `cell` (a chunk after a
// changed story: MP3 chunks move by whole packets, and `cell` divides the
// packet and the 100 ms block) keeps its cells, so it is placed on the grids
// again instead of decoded again. The K-weighting starts kStretchSettleSeconds
// before the stretch (its own warm-up, the same wherever it lies), so its
// cells depend on nothing but the stretch's decode.
// A quarter second: the K-weighting's slowest poles (the 38 Hz high-pass, a
// double pole at -240/s) leave t e^-240t of where it began, about 1e-27:
// far under a double's rounding. It was 2 s: 42 stretches of the bed
// bulletin decoded 74 s of audio twice for it.
inline constexpr double kStretchSettleSeconds = 0.25;

struct StretchCells {
  std::int64_t start = 0, end = 0;     // decoded frames of the programme
  std::int64_t first = -1, last = -1;  // the first / last non-silent frame in [start, end), -1 if none
  std::int64_t cell = 1;               // frames: cell k covers [k cell, (k + 1) cell) of the programme
  // One per cell that [start, end) reaches, from cell start / cell: the sum
  // over its frames in the stretch of each frame's mean square (`power`, the
  // tail rule's) and of its K-weighted, channel-weighted square (`energy`,
  // BS.1770's z summed with its G weights). Summed in double, kept as float:
  // the same bits wherever they are read.
  std::vector<float> power, energy;

  // The same decode lying at `start` instead. Throws AudioError unless it
  // moves by a multiple of `cell`.
  void moveTo(std::int64_t new_start);
};

// What a stretch adds to the programme's grids: the sums (not means) of its
// cells in each tail block and each 100 ms step it reaches.
struct StretchStats {
  std::int64_t start = 0, end = 0;
  std::int64_t first = -1, last = -1;
  std::int64_t first_block = 0;  // the tail block of tail_power[0]
  std::vector<double> tail_power;
  std::int64_t first_step = 0;  // the step of step_energy[0]
  std::vector<double> step_energy;
};

// `cells` placed on the grids of a programme at `sample_rate`.
StretchStats placeStretch(const StretchCells& cells, int sample_rate);

class StretchMeter {
 public:
  // `cell` must divide the tail block and BS.1770's step at this rate.
  // Throws AudioError for a bad format, range or cell.
  StretchMeter(int sample_rate, int channels, std::int64_t start, std::int64_t end, std::int64_t cell);
  ~StretchMeter();
  StretchMeter(const StretchMeter&) = delete;
  StretchMeter& operator=(const StretchMeter&) = delete;

  // Where the caller's decode must be exact from: kStretchSettleSeconds
  // before start (or the programme's start), the K-weighting's settling.
  std::int64_t feedFrom() const { return from_; }
  static std::int64_t feedFrom(int sample_rate, std::int64_t start);

  // `frames` interleaved frames decoded at programme frame `at`, in order
  // without gaps from feedFrom() (frames before it and from end on are
  // ignored). Throws AudioError on a non-finite sample or a gap.
  void add(std::int64_t at, const float* samples, std::size_t frames);

  // Everything measured. Throws AudioError if fewer frames than end came.
  StretchCells finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::int64_t from_ = 0;
};

// Frames of the tail rule's block and BS.1770's step at `sample_rate`: what
// a stretch's cell must divide.
std::int64_t tailBlockFrames(int sample_rate);
std::int64_t loudnessStepFrames(int sample_rate);

// The stretches (consecutive, from 0) combined: decodeAndMeasure's result
// for their programme. Throws AudioError if they do not follow each other.
DecodedStats combineStretches(int sample_rate, int channels, const std::vector<StretchStats>& stretches);

// One decoded frame appended as interleaved float to `out` (resized to it),
// whatever the decoder's sample format. Throws AudioError naming `name`.
void interleavedSamples(const AVFrame* frame, int channels, std::vector<float>& out, const std::string& name);

}  // namespace warta::audio
