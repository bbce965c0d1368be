// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/decoded_check.h"

#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "audio/av_handles.h"
#include "audio/loudness.h"

namespace warta::audio {
namespace fs = std::filesystem;

namespace {

// Plane `plane`'s value `index` as float: the conversions the decoders' formats need.
template <typename T>
float sampleAt(const AVFrame* f, int plane, std::size_t index) {
  const T v = reinterpret_cast<const T*>(f->extended_data[plane])[index];
  if constexpr (std::is_same_v<T, float>) return v;
  else if constexpr (std::is_same_v<T, double>) return static_cast<float>(v);
  else if constexpr (std::is_same_v<T, std::int16_t>) return v / 32768.0f;
  else return static_cast<float>(v / 2147483648.0);
}

template <typename T>
void interleave(const AVFrame* f, int channels, bool planar, float* out) {
  const auto n = static_cast<std::size_t>(f->nb_samples);
  const auto width = static_cast<std::size_t>(channels);
  for (std::size_t c = 0; c < width; ++c)
    for (std::size_t i = 0; i < n; ++i)
      out[i * width + c] = planar ? sampleAt<T>(f, static_cast<int>(c), i) : sampleAt<T>(f, 0, i * width + c);
}

// One decoded frame as interleaved float, whatever the decoder's sample
// format (chosen once per frame, not per sample: this runs on every sample
// of every render's output).
void appendInterleaved(const AVFrame* f, int channels, std::vector<float>& out, const std::string& name) {
  const auto fmt = static_cast<AVSampleFormat>(f->format);
  const bool planar = av_sample_fmt_is_planar(fmt) != 0;
  out.resize(static_cast<std::size_t>(f->nb_samples) * static_cast<std::size_t>(channels));
  switch (av_get_packed_sample_fmt(fmt)) {
    case AV_SAMPLE_FMT_FLT:
      return interleave<float>(f, channels, planar, out.data());
    case AV_SAMPLE_FMT_DBL:
      return interleave<double>(f, channels, planar, out.data());
    case AV_SAMPLE_FMT_S16:
      return interleave<std::int16_t>(f, channels, planar, out.data());
    case AV_SAMPLE_FMT_S32:
      return interleave<std::int32_t>(f, channels, planar, out.data());
    default:
      throw AudioError(name + ": unexpected decoded sample format " + av_get_sample_fmt_name(fmt));
  }
}

// The loudness meter in a thread of its own, fed pieces in order: decoding
// and metering cost about the same, and a render waits for both at its end.
class ThreadedMeter {
 public:
  ThreadedMeter(int rate, int channels) : meter_(rate, channels, LoudnessMeter::Measure::Loudness) {
    thread_ = std::thread([this] { run(); });
  }
  ~ThreadedMeter() {
    if (!thread_.joinable()) return;
    stop();
    thread_.join();
  }
  ThreadedMeter(const ThreadedMeter&) = delete;
  ThreadedMeter& operator=(const ThreadedMeter&) = delete;

  // Queues a copy of `piece`, waiting while a few are queued already (bounded memory).
  void add(const Audio& piece) {
    std::unique_lock<std::mutex> hold(lock_);
    room_.wait(hold, [&] { return queue_.size() < kMaxQueued || failed_; });
    if (failed_) return;
    if (!spare_.empty()) {
      queue_.push_back(std::move(spare_.back()));
      spare_.pop_back();
      queue_.back().samples.assign(piece.samples.begin(), piece.samples.end());
      queue_.back().sample_rate = piece.sample_rate;
      queue_.back().channels = piece.channels;
    } else {
      queue_.push_back(piece);
    }
    ready_.notify_one();
  }
  // Everything queued measured: the integrated loudness (rethrows the meter's error).
  double integrated() {
    stop();
    thread_.join();
    thread_ = std::thread();
    if (failed_) std::rethrow_exception(failed_);
    return meter_.integrated();
  }

 private:
  static constexpr std::size_t kMaxQueued = 8;
  void stop() {
    std::lock_guard<std::mutex> hold(lock_);
    done_ = true;
    ready_.notify_one();
  }
  void run() {
    for (;;) {
      Audio piece;
      {
        std::unique_lock<std::mutex> hold(lock_);
        ready_.wait(hold, [&] { return !queue_.empty() || done_; });
        if (queue_.empty()) return;
        piece = std::move(queue_.front());
        queue_.pop_front();
      }
      try {
        meter_.add(piece);
      } catch (...) {
        std::lock_guard<std::mutex> hold(lock_);
        failed_ = std::current_exception();
        room_.notify_all();
        return;
      }
      std::lock_guard<std::mutex> hold(lock_);
      spare_.push_back(std::move(piece));
      room_.notify_one();
    }
  }
  LoudnessMeter meter_;
  std::mutex lock_;
  std::condition_variable ready_, room_;
  std::deque<Audio> queue_;
  std::vector<Audio> spare_;  // buffers handed back, reused
  bool done_ = false;
  std::exception_ptr failed_;
  std::thread thread_;
};

}  // namespace

DecodedStats decodeAndMeasure(const fs::path& file, const std::function<void(const Audio&)>& each) {
  const std::string name = file.string();
  av::FormatInput input = av::openInput(name);
  const int stream = av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (stream < 0) throw AudioError(name + ": no audio stream");
  const AVCodecParameters* par = input->streams[stream]->codecpar;
  const AVCodec* codec = avcodec_find_decoder(par->codec_id);
  if (!codec) throw AudioError(name + ": no decoder for its audio");
  av::CodecContext ctx(avcodec_alloc_context3(codec));
  if (!ctx) throw AudioError(name + ": out of memory");
  av::check(avcodec_parameters_to_context(ctx.get(), par), name);
  av::check(avcodec_open2(ctx.get(), codec, nullptr), name + ": cannot open decoder");
  const int channels = ctx->ch_layout.nb_channels;
  const int rate = ctx->sample_rate;
  if (channels < 1 || rate < 1) throw AudioError(name + ": no channels or sample rate");

  ThreadedMeter meter(rate, channels);
  const double silent = std::pow(10.0, kCueSilenceDbfs / 20.0);
  const std::int64_t block = std::max<std::int64_t>(1, std::llround(kTailBlockSeconds * rate));
  std::vector<double> block_power;  // mean square per block, for the tail
  double power = 0;
  std::int64_t in_block = 0;
  std::int64_t frames = 0, first = -1, last = -1;
  const bool by_reciprocal = (channels & (channels - 1)) == 0;
  const double reciprocal = 1.0 / channels;

  av::Packet packet(av_packet_alloc());
  av::Frame frame(av_frame_alloc());
  if (!packet || !frame) throw AudioError(name + ": out of memory");
  Audio piece;
  piece.sample_rate = rate;
  piece.channels = channels;
  auto drain = [&] {
    for (;;) {
      const int got = avcodec_receive_frame(ctx.get(), frame.get());
      if (got == AVERROR(EAGAIN) || got == AVERROR_EOF) return;
      av::check(got, name + ": does not decode");
      appendInterleaved(frame.get(), channels, piece.samples, name);
      av_frame_unref(frame.get());
      const std::size_t n = piece.frames();
      const float* v = piece.samples.data();
      for (std::size_t i = 0; i < n; ++i, v += channels) {
        double square = 0;
        bool audible = false;
        for (int c = 0; c < channels; ++c) {
          audible = audible || std::fabs(v[c]) >= silent;
          square += static_cast<double>(v[c]) * v[c];
        }
        // A float's square fits a double: only a NaN or infinite sample makes this so.
        if (!std::isfinite(square)) throw AudioError(name + ": decodes to a non-finite sample");
        if (audible) {
          if (first < 0) first = frames;
          last = frames;
        }
        // Over 1, 2, 4... channels the reciprocal is exact: the same bits as dividing.
        power += by_reciprocal ? square * reciprocal : square / channels;
        if (++in_block == block) block_power.push_back(power / static_cast<double>(block)), power = 0, in_block = 0;
        ++frames;
      }
      meter.add(piece);
      if (each) each(piece);
    }
  };
  for (;;) {
    const int read = av_read_frame(input.get(), packet.get());
    if (read == AVERROR_EOF) break;
    av::check(read, name + ": cannot read");
    if (packet->stream_index == stream) {
      const int sent = avcodec_send_packet(ctx.get(), packet.get());
      av_packet_unref(packet.get());
      av::check(sent, name + ": does not decode");
      drain();
    } else {
      av_packet_unref(packet.get());
    }
  }
  av::check(avcodec_send_packet(ctx.get(), nullptr), name + ": does not decode");
  drain();
  if (in_block > 0) block_power.push_back(power / static_cast<double>(in_block));

  DecodedStats s;
  s.sample_rate = rate;
  s.channels = channels;
  s.frames = frames;
  s.seconds = static_cast<double>(frames) / rate;
  s.integrated_lufs = meter.integrated();
  if (first >= 0) {
    s.cue_in = static_cast<double>(first) / rate;
    s.cue_out = static_cast<double>(last + 1) / rate;
  }
  s.cross_start_next = s.cue_out;
  if (std::isfinite(s.integrated_lufs)) {
    const double floor = std::pow(10.0, (s.integrated_lufs - kTailDropDb) / 10.0);  // mean square
    for (std::size_t b = block_power.size(); b-- > 0;)
      if (block_power[b] >= floor) {
        s.cross_start_next =
            std::min(s.cue_out, static_cast<double>((static_cast<std::int64_t>(b) + 1) * block) / rate);
        break;
      }
  }
  s.cross_start_next = std::max(s.cross_start_next, s.cue_in);
  return s;
}

}  // namespace warta::audio
