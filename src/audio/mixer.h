// Lays clips end to end into one sink at one output format, streaming: only
// the clip being appended is in memory, whatever the bulletin's length.
#pragma once

#include <cstddef>

#include "audio/audio.h"

namespace warta::audio {

class Mixer {
 public:
  // `sink` is borrowed and must outlive the Mixer; it receives audio at
  // `sample_rate` Hz with `channels` channels. `join_fade` (seconds) is the
  // fade applied at both ends of every clip so joins never click.
  Mixer(AudioSink& sink, int sample_rate, int channels, double join_fade = 0.005);

  // Converts `clip` to the output format, fades its ends, scales it down if
  // its peak would exceed full scale (never clips), and writes it. Returns
  // the clip's start time in seconds. Throws AudioError.
  double append(const Audio& clip);

  // Writes `seconds` of silence (rounded to whole frames). Returns its start.
  double appendSilence(double seconds);

  // Output written so far: exact frame count and the same in seconds.
  std::size_t frames() const { return frames_; }
  double position() const { return static_cast<double>(frames_) / sample_rate_; }

  int sampleRate() const { return sample_rate_; }
  int channels() const { return channels_; }

 private:
  AudioSink& sink_;
  int sample_rate_;
  int channels_;
  double join_fade_;
  std::size_t frames_ = 0;
};

}  // namespace warta::audio
