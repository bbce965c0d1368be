// SPDX-License-Identifier: GPL-3.0-or-later
// The one audio value passed between warta's stages.
#pragma once

#include "warta/error.h"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace warta::audio {

// Thrown by the audio and encode stages; the message carries the library's own
// text (sf_strerror, av_err2str) and the file it concerns.
class AudioError : public warta::Error {
 public:
  explicit AudioError(const std::string& message) : Error(ErrorKind::Input, message) {}
};

// Interleaved float PCM. Samples are nominally in [-1, 1]; stages that write
// files clamp, stages in between may exceed it briefly.
struct Audio {
  std::vector<float> samples;  // interleaved, frames() * channels values
  int sample_rate = 0;         // Hz
  int channels = 0;            // 1 = mono, 2 = stereo

  std::size_t frames() const { return channels > 0 ? samples.size() / static_cast<std::size_t>(channels) : 0; }
  double seconds() const { return sample_rate > 0 ? static_cast<double>(frames()) / sample_rate : 0.0; }
  bool empty() const { return samples.empty(); }

  // `seconds` of digital silence (rounded to the nearest frame).
  static Audio silence(double seconds, int sample_rate, int channels);
};

// Where finished audio goes, chunk by chunk: encoders and test collectors.
// write() may be called any number of times with chunks in the sink's own
// sample rate and channel count; finish() completes the output. A sink
// destroyed without finish() leaves nothing behind.
class AudioSink {
 public:
  virtual ~AudioSink() = default;
  virtual void write(const Audio& chunk) = 0;  // throws AudioError
  virtual void finish() = 0;                   // throws AudioError
};

}  // namespace warta::audio
