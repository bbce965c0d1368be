// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/edit.h"

#include <algorithm>
#include <cmath>

namespace warta::audio {

void applyFades(Audio& audio, double fade_in, double fade_out) {
  const std::size_t frames = audio.frames();
  if (frames == 0 || audio.sample_rate <= 0) return;
  const auto width = static_cast<std::size_t>(audio.channels);
  const auto length = [&](double seconds) {
    const auto n = static_cast<std::size_t>(std::llround(std::max(0.0, seconds) * audio.sample_rate));
    return std::min(n, frames / 2);
  };
  // Gain i/n for the i-th frame from the edge: the outermost frame is exactly 0.
  const std::size_t n_in = length(fade_in);
  for (std::size_t i = 0; i < n_in; ++i) {
    const float g = static_cast<float>(static_cast<double>(i) / static_cast<double>(n_in));
    for (std::size_t c = 0; c < width; ++c) audio.samples[i * width + c] *= g;
  }
  const std::size_t n_out = length(fade_out);
  for (std::size_t i = 0; i < n_out; ++i) {
    const float g = static_cast<float>(static_cast<double>(i) / static_cast<double>(n_out));
    const std::size_t frame = frames - 1 - i;
    for (std::size_t c = 0; c < width; ++c) audio.samples[frame * width + c] *= g;
  }
}

void applyGain(Audio& audio, double gain_db) {
  const auto g = static_cast<float>(std::pow(10.0, gain_db / 20.0));
  for (float& s : audio.samples) s *= g;
}

float peak(const Audio& audio) {
  float p = 0.0f;
  for (float s : audio.samples) p = std::max(p, std::fabs(s));
  return p;
}

void limitPeak(Audio& audio, float ceiling) {
  const float p = peak(audio);
  if (!(p > ceiling)) return;
  if (ceiling <= 0.0f) {  // nothing fits under a ceiling of zero but silence
    std::fill(audio.samples.begin(), audio.samples.end(), 0.0f);
    return;
  }
  // Float rounding can leave p * (ceiling / p) one ulp above the ceiling;
  // step the factor down until the loudest sample fits.
  float scale = ceiling / p;
  while (p * scale > ceiling) scale = std::nextafter(scale, 0.0f);
  for (float& s : audio.samples) s *= scale;
}

double rms(const Audio& audio, std::size_t first_frame, std::size_t frame_count) {
  const std::size_t frames = audio.frames();
  if (first_frame >= frames) return 0.0;
  const std::size_t last = first_frame + std::min(frame_count, frames - first_frame);
  const auto width = static_cast<std::size_t>(audio.channels);
  const std::size_t begin = first_frame * width, end = last * width;
  if (end == begin) return 0.0;
  double sum = 0.0;
  for (std::size_t i = begin; i < end; ++i) sum += static_cast<double>(audio.samples[i]) * audio.samples[i];
  return std::sqrt(sum / static_cast<double>(end - begin));
}

}  // namespace warta::audio
