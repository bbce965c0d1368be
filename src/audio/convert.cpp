// SPDX-License-Identifier: GPL-3.0-or-later
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

// Input frames per swr_convert call (StreamConverter feeds the same pieces).
// Small, because libswresample and libsoxr size their buffers to the piece
// (av_mallocz'd afresh for every resampler, and a resampler is made per
// clip): 64 Ki frames made zeroing and growing them cost more than the
// resampling. The samples do not depend on it: convert() with 1000, 4096 and
// 65536-frame pieces gave the same bits (noise at 16 to 48 kHz, 1 and 2
// channels, 0.3 to 12 s).
constexpr std::size_t kResampleChunk = 4096;

// Output frames a whole clip of `in_frames` resamples to (the flushed tail is trimmed to it).
std::size_t expectedFrames(std::size_t in_frames, int in_rate, int out_rate) {
  return static_cast<std::size_t>(
      std::llround(static_cast<double>(in_frames) * out_rate / static_cast<double>(in_rate)));
}

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
// soxr at 20 bits (its "high quality" recipe): a 22.05 kHz tone's image at
// 44.1 kHz is 140 dB or more down (convert_test), far under what a 16-bit or
// MP3 output keeps, at a quarter of the CPU of 28 bits (0.04 s against 0.17 s
// for 10 minutes of eSpeak's rate to 44.1 kHz); at 28 bits it was a tenth of
// a bed bulletin's CPU outside LAME (the mix and both leveling trials of
// every story convert).
constexpr int kSoxrPrecisionBits = 20;

av::Swr makeResampler(int in_rate, int in_channels, int sample_rate, int channels) {
  av::quietLogs();
  AVChannelLayout in_layout, out_layout;
  av_channel_layout_default(&in_layout, in_channels);
  av_channel_layout_default(&out_layout, channels);
  const auto allocate = [&] {
    SwrContext* raw = nullptr;
    av::check(swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLT, sample_rate, &in_layout, AV_SAMPLE_FMT_FLT,
                                  in_rate, 0, nullptr),
              "resampler setup");
    return av::Swr(raw);
  };
  av::Swr swr = allocate();
  if (av_opt_set(swr.get(), "resampler", "soxr", 0) >= 0 &&
      av_opt_set_int(swr.get(), "precision", kSoxrPrecisionBits, 0) >= 0 && swr_init(swr.get()) >= 0)
    return swr;
  swr = allocate();
  av::check(av_opt_set_int(swr.get(), "filter_size", 64, 0), "resampler setup (filter_size)");
  av::check(av_opt_set_int(swr.get(), "phase_shift", 14, 0), "resampler setup (phase_shift)");
  av::check(swr_init(swr.get()), "resampler setup");
  return swr;
}

Audio resample(const Audio& in, int sample_rate, int channels) {
  av::Swr swr = makeResampler(in.sample_rate, in.channels, sample_rate, channels);
  Audio out;
  out.sample_rate = sample_rate;
  out.channels = channels;
  const std::size_t in_frames = in.frames();
  const auto in_width = static_cast<std::size_t>(in.channels);
  const auto out_width = static_cast<std::size_t>(channels);
  const std::size_t expected = expectedFrames(in_frames, in.sample_rate, sample_rate);
  // The flushed tail may run a few frames past the exact length: it is cut
  // so durations add up exactly. swr writes into `piece`, and only the first
  // `expected` frames are kept: one allocation of the output, never grown,
  // never zeroed.
  out.samples.reserve(expected * out_width);
  std::vector<float> piece;
  std::size_t have = 0;  // output frames so far, kept or not
  // Feeds `count` input frames (none to flush) and appends what comes out.
  const auto run = [&](const float* data, int count) {
    for (;;) {
      const int room = std::max(swr_get_out_samples(swr.get(), count), 0) + 256;
      if (piece.size() < static_cast<std::size_t>(room) * out_width)
        piece.resize(static_cast<std::size_t>(room) * out_width);
      auto* dst = reinterpret_cast<uint8_t*>(piece.data());
      const auto* src = reinterpret_cast<const uint8_t*>(data);
      const int got = av::check(swr_convert(swr.get(), &dst, room, data ? &src : nullptr, count), "resampling");
      const std::size_t keep = std::min(static_cast<std::size_t>(got), expected - std::min(have, expected));
      out.samples.insert(out.samples.end(), piece.begin(),
                         piece.begin() + static_cast<std::ptrdiff_t>(keep * out_width));
      have += static_cast<std::size_t>(got);
      // swr buffers input it has no room for; a flush may take several calls.
      if (data || got == 0) break;
      count = 0;
    }
  };
  for (std::size_t done = 0; done < in_frames; done += kResampleChunk) {
    const auto count = static_cast<int>(std::min(kResampleChunk, in_frames - done));
    run(in.samples.data() + done * in_width, count);
  }
  run(nullptr, 0);  // drain the filter's delay line so the tail is not lost
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

// The same steps as convert(), in the same order: remix stereo to mono before
// resampling, mono to stereo after, and swr fed the same kResampleChunk
// pieces then flushed, so the samples are convert()'s bit for bit.
StreamConverter::StreamConverter(AudioSink& next, int in_rate, int in_channels, int out_rate, int out_channels)
    : next_(next), in_rate_(in_rate), in_channels_(in_channels), out_rate_(out_rate), out_channels_(out_channels) {
  if (out_rate <= 0 || out_channels <= 0)
    throw AudioError("convert: invalid target format " + std::to_string(out_rate) + " Hz, " +
                     std::to_string(out_channels) + " channels");
  if (in_rate <= 0 || in_channels <= 0)
    throw AudioError("convert: invalid source format " + std::to_string(in_rate) + " Hz, " +
                     std::to_string(in_channels) + " channels");
  const bool simple_remix = in_channels <= 2 && out_channels <= 2;
  rs_channels_in_ = rs_channels_out_ = in_channels;
  if (!simple_remix) {
    rs_channels_out_ = out_channels;
  } else if (out_channels < in_channels) {
    remix_before_ = true;
    rs_channels_in_ = rs_channels_out_ = out_channels;
  } else if (out_channels > in_channels) {
    remix_after_ = true;
  }
  if (in_rate != out_rate || !simple_remix) swr_ = makeResampler(in_rate, rs_channels_in_, out_rate, rs_channels_out_);
}

StreamConverter::~StreamConverter() = default;

void StreamConverter::write(const Audio& chunk) {
  if (finished_) throw AudioError("convert: write after finish");
  if (chunk.sample_rate != in_rate_ || chunk.channels != in_channels_)
    throw AudioError("convert: chunk format differs from the stream's");
  if (chunk.empty()) return;
  if (in_rate_ == out_rate_ && in_channels_ == out_channels_) return next_.write(chunk);
  if (!swr_) return next_.write(remixMonoStereo(chunk, out_channels_));
  const Audio in = remix_before_ ? remixMonoStereo(chunk, rs_channels_in_) : Audio{};
  const Audio& src = remix_before_ ? in : chunk;
  const auto width = static_cast<std::size_t>(rs_channels_in_);
  pending_.insert(pending_.end(), src.samples.begin(), src.samples.end());
  received_ += src.frames();
  std::size_t used = 0;
  while (pending_.size() - used >= kResampleChunk * width) {
    run(pending_.data() + used, static_cast<int>(kResampleChunk));
    used += kResampleChunk * width;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
  emit(expectedFrames(received_, in_rate_, out_rate_));
}

void StreamConverter::finish() {
  if (finished_) throw AudioError("convert: finish called twice");
  finished_ = true;
  if (swr_ && received_ > 0) {
    const auto width = static_cast<std::size_t>(rs_channels_in_);
    if (!pending_.empty()) run(pending_.data(), static_cast<int>(pending_.size() / width));
    pending_.clear();
    run(nullptr, 0);
    emit(expectedFrames(received_, in_rate_, out_rate_));
  }
  next_.finish();
}

void StreamConverter::run(const float* data, int count) {
  const auto width = static_cast<std::size_t>(rs_channels_out_);
  for (;;) {
    const int room = std::max(swr_get_out_samples(swr_.get(), count), 0) + 256;
    const std::size_t have = out_.size() / width;
    out_.resize((have + static_cast<std::size_t>(room)) * width);
    auto* dst = reinterpret_cast<uint8_t*>(out_.data() + have * width);
    const auto* src = reinterpret_cast<const uint8_t*>(data);
    const int got = av::check(swr_convert(swr_.get(), &dst, room, data ? &src : nullptr, count), "resampling");
    out_.resize((have + static_cast<std::size_t>(got)) * width);
    if (data || got == 0) break;
    count = 0;
  }
}

void StreamConverter::emit(std::size_t limit) {
  const auto width = static_cast<std::size_t>(rs_channels_out_);
  const std::size_t n = std::min(out_.size() / width, limit > emitted_ ? limit - emitted_ : 0);
  if (n > 0) {
    piece_.sample_rate = out_rate_;
    piece_.channels = rs_channels_out_;
    piece_.samples.assign(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(n * width));
    emitted_ += n;
    next_.write(remix_after_ ? remixMonoStereo(piece_, out_channels_) : piece_);
  }
  // What lies past the limit now is the flushed tail convert() trims: dropped at the end.
  if (finished_) out_.clear();
  else out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(n * width));
}

std::size_t convertedFrames(std::size_t in_frames, int in_rate, int out_rate) {
  return in_rate == out_rate ? in_frames : expectedFrames(in_frames, in_rate, out_rate);
}

}  // namespace warta::audio
