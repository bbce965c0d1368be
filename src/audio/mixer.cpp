#include "audio/mixer.h"

#include <algorithm>
#include <cmath>

#include "audio/convert.h"
#include "audio/edit.h"

namespace warta::audio {

Mixer::Mixer(AudioSink& sink, int sample_rate, int channels, double join_fade)
    : sink_(sink), sample_rate_(sample_rate), channels_(channels), join_fade_(join_fade) {
  if (sample_rate <= 0 || channels < 1 || channels > 2)
    throw AudioError("mixer: unsupported output format " + std::to_string(sample_rate) + " Hz, " +
                     std::to_string(channels) + " channels");
}

double Mixer::append(const Audio& clip) {
  const double start = position();
  if (clip.empty()) return start;
  Audio out = convert(clip, sample_rate_, channels_);
  applyFades(out, join_fade_, join_fade_);
  limitPeak(out, 1.0f);
  sink_.write(out);
  frames_ += out.frames();
  return start;
}

double Mixer::appendSilence(double seconds) {
  const double start = position();
  const auto count = static_cast<std::size_t>(std::llround(std::max(0.0, seconds) * sample_rate_));
  if (count == 0) return start;
  // Written in bounded chunks so a long pause does not need a long buffer.
  constexpr std::size_t kChunk = 16384;
  for (std::size_t done = 0; done < count; done += kChunk) {
    Audio chunk;
    chunk.sample_rate = sample_rate_;
    chunk.channels = channels_;
    chunk.samples.assign(std::min(kChunk, count - done) * static_cast<std::size_t>(channels_), 0.0f);
    sink_.write(chunk);
  }
  frames_ += count;
  return start;
}

}  // namespace warta::audio
