// SPDX-License-Identifier: GPL-3.0-or-later
// Leveling one element of a programme (a story's spoken clips with the
// pauses between them, or one jingle) to a loudness target under a true-peak
// ceiling, streaming: one clip in memory at a time, so a story of any length
// costs what its longest sentence does.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "audio/audio.h"
#include "audio/stdio_file.h"

namespace warta::audio {

// Clips to level, in order, by index.
struct ClipSource {
  std::size_t count = 0;
  std::function<Audio(std::size_t)> clip;  // a fresh copy of clip i each call (all of one rate and channel count)
  std::vector<double> pauses;              // seconds of silence after each clip (the last unused)
};

// Levels the clips, as heard with their pauses, to `target_lufs` with peaks
// under `ceiling_dbtp`, and hands each to `emit(i, clip)` in order, at its own
// rate and channels. `out_channels` is what they will play on: mono counts
// +3.01 dB on two channels (BS.1770 sums channel powers). Clips too quiet to
// measure (below -69 LUFS) pass unchanged. Reads each clip three to eight
// times (loudness, trial limiter passes until the limited clips read within
// 0.02 LU of the target, the real one). Throws AudioError.
// `out_rate` (0: the clips' own) is the rate they will play at: the
// loudness is judged there, as the mixer converts them.
// Returns the loudness measured before leveling, in LUFS: -infinity for clips
// too quiet to measure, which were passed unchanged (the caller says so: a
// programme that is silent as a whole is an error, not a loudness).
double levelClips(const ClipSource& source, int out_channels, double target_lufs, double ceiling_dbtp,
                  const std::function<void(std::size_t, Audio&&)>& emit, int out_rate = 0);

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

  void add(const Audio& clip);      // mono; throws AudioError
  Audio clip(std::size_t i) const;  // throws AudioError
  std::size_t size() const { return frames_.size(); }

 private:
  File file_;
  std::vector<std::size_t> offsets_, frames_;  // in samples
  std::size_t written_ = 0;
  int rate_ = 0;
};

}  // namespace warta::audio
