// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/audio.h"

#include <algorithm>
#include <cmath>

namespace warta::audio {

Audio Audio::silence(double seconds, int sample_rate, int channels) {
  if (sample_rate <= 0 || channels <= 0)
    throw AudioError("silence: invalid format " + std::to_string(sample_rate) + " Hz, " + std::to_string(channels) +
                     " channels");
  Audio out;
  out.sample_rate = sample_rate;
  out.channels = channels;
  const auto frames = static_cast<std::size_t>(std::llround(std::max(0.0, seconds) * sample_rate));
  out.samples.assign(frames * static_cast<std::size_t>(channels), 0.0f);
  return out;
}

}  // namespace warta::audio
