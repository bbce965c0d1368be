// Sample-rate and channel conversion (libswresample).
#pragma once

#include "audio/audio.h"

namespace warta::audio {

// Returns `in` at `sample_rate` Hz with `channels` channels. Mono is copied to
// both channels of stereo; stereo is averaged to mono; other counts are mixed
// by libswresample's default matrix. High quality resampling (soxr-grade
// filter where available). Throws AudioError with av_err2str's text.
Audio convert(const Audio& in, int sample_rate, int channels);

}  // namespace warta::audio
