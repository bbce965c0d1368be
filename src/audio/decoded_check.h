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
// and combined into exactly the DecodedStats decodeAndMeasure gives for the
// whole. The whole's measures lie on grids from the programme's start (the
// tail rule's blocks; BS.1770's 400 ms gating blocks every 100 ms), so a
// stretch keeps what is owned by it on those grids: the blocks that END in
// (start, end], measured from audio before its start (a warm-up the caller
// decodes, from feedFrom()).
struct StretchStats {
  std::int64_t start = 0, end = 0;     // decoded frames of the programme
  std::int64_t first = -1, last = -1;  // the first / last non-silent frame in [start, end), -1 if none
  std::vector<double> tail_power;      // mean square of each tail block ending in (start, end]; the
                                       // programme's last stretch also its partial last block
  std::vector<double> block_energy;    // BS.1770 energy (mean square, K-weighted, channel-weighted) of
                                       // each 400 ms gating block ending in (start, end]
};

class StretchMeter {
 public:
  // `last`: the stretch ends the programme. Throws AudioError for a bad
  // format or an empty or negative range.
  StretchMeter(int sample_rate, int channels, std::int64_t start, std::int64_t end, bool last);
  ~StretchMeter();
  StretchMeter(const StretchMeter&) = delete;
  StretchMeter& operator=(const StretchMeter&) = delete;

  // Where the caller's decode must be exact from (a frame at or before
  // start, on the 400 ms grid): the loudness filter's settling (2 s) and the
  // first blocks' 400 ms reach before start.
  std::int64_t feedFrom() const { return from_; }

  // `frames` interleaved frames decoded at programme frame `at`, in order
  // without gaps from feedFrom() (frames before it and from end on are
  // ignored). Throws AudioError on a non-finite sample or a gap.
  void add(std::int64_t at, const float* samples, std::size_t frames);

  // Everything measured. Throws AudioError if fewer frames than end came.
  StretchStats finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::int64_t from_ = 0;
};

// The stretches (consecutive, from 0) combined: decodeAndMeasure's result
// for their programme. Throws AudioError if they do not follow each other.
DecodedStats combineStretches(int sample_rate, int channels, const std::vector<StretchStats>& stretches);

// One decoded frame appended as interleaved float to `out` (resized to it),
// whatever the decoder's sample format. Throws AudioError naming `name`.
void interleavedSamples(const AVFrame* frame, int channels, std::vector<float>& out, const std::string& name);

}  // namespace warta::audio
