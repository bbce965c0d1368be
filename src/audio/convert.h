// SPDX-License-Identifier: GPL-3.0-or-later
// Sample-rate and channel conversion (libswresample).
#pragma once

#include <cstddef>
#include <vector>

#include "audio/audio.h"
#include "audio/av_handles.h"

namespace warta::audio {

// Returns `in` at `sample_rate` Hz with `channels` channels. Mono is copied to
// both channels of stereo; stereo is averaged to mono; other counts are mixed
// by libswresample's default matrix. High quality resampling (soxr-grade
// filter where available). Throws AudioError with av_err2str's text.
Audio convert(const Audio& in, int sample_rate, int channels);

// The frames convert() (and StreamConverter) make of `in_frames` at `in_rate` for `out_rate`.
std::size_t convertedFrames(std::size_t in_frames, int in_rate, int out_rate);

// convert() as a streaming stage: write() pieces of any size, finish() once;
// `next` receives exactly the samples convert() gives for all the pieces
// joined (same filter, same feeding, same trimmed tail), holding at most one
// 4096-frame piece of input and its output. `next` is borrowed. Throws
// AudioError as convert() does, for a chunk in another format, and for a
// write or finish after finish.
class StreamConverter : public AudioSink {
 public:
  StreamConverter(AudioSink& next, int in_rate, int in_channels, int out_rate, int out_channels);
  ~StreamConverter() override;
  StreamConverter(const StreamConverter&) = delete;
  StreamConverter& operator=(const StreamConverter&) = delete;

  void write(const Audio& chunk) override;
  void finish() override;

 private:
  void run(const float* data, int count);  // feeds swr `count` frames (none: flush) into out_
  void emit(std::size_t limit);            // passes on out_ up to output frame `limit`

  AudioSink& next_;
  int in_rate_, in_channels_, out_rate_, out_channels_;
  int rs_channels_in_ = 0, rs_channels_out_ = 0;  // what the resampler sees
  bool remix_before_ = false, remix_after_ = false;
  av::Swr swr_;                 // null when only channels change
  std::vector<float> pending_;  // input not yet fed (under one piece)
  std::vector<float> out_;      // resampled, not yet passed on
  Audio piece_;                 // what emit() passes on (reused)
  std::size_t received_ = 0;    // input frames (after any remix before)
  std::size_t emitted_ = 0;     // output frames passed on
  bool finished_ = false;
};

}  // namespace warta::audio
