#include "audio/convert.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include "audio/av_handles.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace warta::audio {
namespace {

// Mono -> stereo duplicates, stereo -> mono averages: done here rather than by
// libswresample's matrix (which scales by -3 dB) so levels are exactly known.
Audio remixMonoStereo(const Audio& in, int channels) {
  Audio out;
  out.sample_rate = in.sample_rate;
  out.channels = channels;
  const std::size_t frames = in.frames();
  out.samples.resize(frames * static_cast<std::size_t>(channels));
  if (in.channels == 1 && channels == 2) {
    for (std::size_t i = 0; i < frames; ++i) out.samples[2 * i] = out.samples[2 * i + 1] = in.samples[i];
  } else {  // 2 -> 1
    for (std::size_t i = 0; i < frames; ++i) out.samples[i] = 0.5f * (in.samples[2 * i] + in.samples[2 * i + 1]);
  }
  return out;
}

// A resampler from `in` to `sample_rate`/`channels`, preferring the SoX
// engine; falls back to libswresample's own filter made longer than its
// default when this FFmpeg was built without libsoxr.
av::Swr makeResampler(const Audio& in, int sample_rate, int channels) {
  av::quietLogs();
  AVChannelLayout in_layout, out_layout;
  av_channel_layout_default(&in_layout, in.channels);
  av_channel_layout_default(&out_layout, channels);
  const auto allocate = [&] {
    SwrContext* raw = nullptr;
    av::check(swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLT, sample_rate, &in_layout, AV_SAMPLE_FMT_FLT,
                                  in.sample_rate, 0, nullptr),
              "resampler setup");
    return av::Swr(raw);
  };
  av::Swr swr = allocate();
  if (av_opt_set(swr.get(), "resampler", "soxr", 0) >= 0 && av_opt_set_int(swr.get(), "precision", 28, 0) >= 0 &&
      swr_init(swr.get()) >= 0)
    return swr;
  swr = allocate();
  av::check(av_opt_set_int(swr.get(), "filter_size", 64, 0), "resampler setup (filter_size)");
  av::check(av_opt_set_int(swr.get(), "phase_shift", 14, 0), "resampler setup (phase_shift)");
  av::check(swr_init(swr.get()), "resampler setup");
  return swr;
}

Audio resample(const Audio& in, int sample_rate, int channels) {
  av::Swr swr = makeResampler(in, sample_rate, channels);
  Audio out;
  out.sample_rate = sample_rate;
  out.channels = channels;
  const std::size_t in_frames = in.frames();
  const auto in_width = static_cast<std::size_t>(in.channels);
  const auto out_width = static_cast<std::size_t>(channels);
  const auto expected = static_cast<std::size_t>(
      std::llround(static_cast<double>(in_frames) * sample_rate / static_cast<double>(in.sample_rate)));
  out.samples.reserve((expected + 64) * out_width);

  std::size_t have = 0;  // output frames so far
  // Feeds `count` input frames (none to flush) and appends what comes out.
  const auto run = [&](const float* data, int count) {
    for (;;) {
      const int room = std::max(swr_get_out_samples(swr.get(), count), 0) + 256;
      out.samples.resize((have + static_cast<std::size_t>(room)) * out_width);
      auto* dst = reinterpret_cast<uint8_t*>(out.samples.data() + have * out_width);
      const auto* src = reinterpret_cast<const uint8_t*>(data);
      const int got = av::check(swr_convert(swr.get(), &dst, room, data ? &src : nullptr, count), "resampling");
      have += static_cast<std::size_t>(got);
      // swr buffers input it has no room for; a flush may take several calls.
      if (data || got == 0) break;
      count = 0;
    }
  };
  constexpr std::size_t kChunk = 1 << 16;  // bounds each swr_convert call
  for (std::size_t done = 0; done < in_frames; done += kChunk) {
    const auto count = static_cast<int>(std::min(kChunk, in_frames - done));
    run(in.samples.data() + done * in_width, count);
  }
  run(nullptr, 0);  // drain the filter's delay line so the tail is not lost
  // The flushed tail may run a few frames past the exact length; trim it so
  // durations add up exactly.
  out.samples.resize(std::min(have, expected) * out_width);
  return out;
}

}  // namespace

Audio convert(const Audio& in, int sample_rate, int channels) {
  if (sample_rate <= 0 || channels <= 0)
    throw AudioError("convert: invalid target format " + std::to_string(sample_rate) + " Hz, " +
                     std::to_string(channels) + " channels");
  if (in.sample_rate <= 0 || in.channels <= 0)
    throw AudioError("convert: invalid source format " + std::to_string(in.sample_rate) + " Hz, " +
                     std::to_string(in.channels) + " channels");
  if (in.sample_rate == sample_rate && in.channels == channels) return in;
  if (in.empty()) {
    Audio out;
    out.sample_rate = sample_rate;
    out.channels = channels;
    return out;
  }

  const bool simple_remix = in.channels <= 2 && channels <= 2;
  if (!simple_remix) return resample(in, sample_rate, channels);  // libswresample's matrix
  if (in.sample_rate == sample_rate) return remixMonoStereo(in, channels);
  // Resample at the smaller channel count: less work, same result.
  if (in.channels == channels) return resample(in, sample_rate, channels);
  if (channels < in.channels) return resample(remixMonoStereo(in, channels), sample_rate, channels);
  return remixMonoStereo(resample(in, sample_rate, in.channels), channels);
}

}  // namespace warta::audio
