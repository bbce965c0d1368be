// SPDX-License-Identifier: GPL-3.0-or-later
// A finished output decoded end to end with libavcodec, the way a playout
// system will decode it, and measured: what is checked before a bulletin is
// handed over (deliver/) and where its cue points lie (the MP3's TXXX cues,
// the Liquidsoap annotations).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "audio/audio.h"

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

}  // namespace warta::audio
