// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/decoded_check.h"

#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "audio/av_handles.h"
#include "audio/gating_blocks.h"
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
  if (!planar) {
    for (std::size_t k = 0; k < n * width; ++k) out[k] = sampleAt<T>(f, 0, k);
  } else if (width == 2) {  // MP3's stereo: both planes in one pass, which vectorizes
    for (std::size_t i = 0; i < n; ++i) out[2 * i] = sampleAt<T>(f, 0, i), out[2 * i + 1] = sampleAt<T>(f, 1, i);
  } else {
    for (std::size_t c = 0; c < width; ++c)
      for (std::size_t i = 0; i < n; ++i) out[i * width + c] = sampleAt<T>(f, static_cast<int>(c), i);
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

// The per-frame work of the cue rules, one place for decodeAndMeasure and
// StretchMeter so that both sum alike: each frame's mean square over its
// channels (squares in double, in channel order) added in order to a block's
// power, and which frames are audible (kCueSilenceDbfs).
class FrameScan {
 public:
  explicit FrameScan(int channels)
      : channels_(channels),
        by_reciprocal_((channels & (channels - 1)) == 0),
        reciprocal_(1.0 / channels),
        silent_(std::pow(10.0, kCueSilenceDbfs / 20.0)) {}

  // `power` plus the mean squares of `frames` interleaved frames. A
  // non-finite sample makes the result non-finite (squares are never
  // negative, so nothing cancels it): the caller checks once per run.
  double addPower(const float* v, std::size_t frames, double power) const {
    if (channels_ == 2) {  // the common case, the same arithmetic unrolled
      for (std::size_t i = 0; i < frames; ++i, v += 2) {
        const double square = static_cast<double>(v[0]) * v[0] + static_cast<double>(v[1]) * v[1];
        power += square * reciprocal_;
      }
      return power;
    }
    for (std::size_t i = 0; i < frames; ++i, v += channels_) {
      double square = 0;
      for (int c = 0; c < channels_; ++c) square += static_cast<double>(v[c]) * v[c];
      // Over 1, 2, 4... channels the reciprocal is exact: the same bits as dividing.
      power += by_reciprocal_ ? square * reciprocal_ : square / channels_;
    }
    return power;
  }
  // The first / last of `frames` frames with a sample at or above the
  // silence threshold, -1 if none.
  std::int64_t firstAudible(const float* v, std::size_t frames) const {
    for (std::size_t i = 0; i < frames; ++i)
      if (audible(v + i * static_cast<std::size_t>(channels_))) return static_cast<std::int64_t>(i);
    return -1;
  }
  std::int64_t lastAudible(const float* v, std::size_t frames) const {
    for (std::size_t i = frames; i-- > 0;)
      if (audible(v + i * static_cast<std::size_t>(channels_))) return static_cast<std::int64_t>(i);
    return -1;
  }

 private:
  bool audible(const float* frame) const {
    for (int c = 0; c < channels_; ++c)
      if (std::fabs(frame[c]) >= silent_) return true;
    return false;
  }
  int channels_;
  bool by_reciprocal_;
  double reciprocal_;
  double silent_;
};

// The cue points from what was measured (whole or stretch by stretch): the
// one place the rules of decoded_check.h are applied.
DecodedStats cuesFrom(int rate, int channels, std::int64_t frames, std::int64_t first, std::int64_t last,
                      const std::vector<double>& block_power, double integrated) {
  const std::int64_t block = tailBlockFrames(rate);
  DecodedStats s;
  s.sample_rate = rate;
  s.channels = channels;
  s.frames = frames;
  s.seconds = static_cast<double>(frames) / rate;
  s.integrated_lufs = integrated;
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

}  // namespace

// One decoded frame as interleaved float, whatever the decoder's sample
// format (chosen once per frame, not per sample: this runs on every sample
// of every render's output).
void interleavedSamples(const AVFrame* f, int channels, std::vector<float>& out, const std::string& name) {
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
  const FrameScan scan(channels);
  const auto block = static_cast<std::size_t>(std::max<std::int64_t>(1, std::llround(kTailBlockSeconds * rate)));
  std::vector<double> block_power;  // mean square per block, for the tail
  double power = 0;
  std::size_t in_block = 0;
  std::int64_t frames = 0, first = -1, last = -1;

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
      interleavedSamples(frame.get(), channels, piece.samples, name);
      av_frame_unref(frame.get());
      const std::size_t n = piece.frames();
      const float* v = piece.samples.data();
      const auto width = static_cast<std::size_t>(channels);
      for (std::size_t i = 0; i < n;) {
        const std::size_t run = std::min(n - i, block - in_block);
        power = scan.addPower(v + i * width, run, power);
        if (!std::isfinite(power)) throw AudioError(name + ": decodes to a non-finite sample");
        i += run;
        if ((in_block += run) == block)
          block_power.push_back(power / static_cast<double>(block)), power = 0, in_block = 0;
      }
      if (first < 0)
        if (const std::int64_t f = scan.firstAudible(v, n); f >= 0) first = frames + f;
      if (const std::int64_t l = scan.lastAudible(v, n); l >= 0) last = frames + l;
      frames += static_cast<std::int64_t>(n);
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

  return cuesFrom(rate, channels, frames, first, last, block_power, meter.integrated());
}

std::int64_t tailBlockFrames(int sample_rate) {
  return std::max<std::int64_t>(1, std::llround(kTailBlockSeconds * sample_rate));
}

std::int64_t loudnessStepFrames(int sample_rate) { return (std::int64_t{sample_rate} + 5) / 10; }

void StretchCells::moveTo(std::int64_t new_start) {
  const std::int64_t by = new_start - start;
  if (cell < 1 || by % cell != 0)
    throw AudioError("a measured stretch cannot move by " + std::to_string(by) + " frames (cells of " +
                     std::to_string(cell) + ")");
  start += by, end += by;
  if (first >= 0) first += by;
  if (last >= 0) last += by;
}

namespace {

// Whether cells of `cell` frames tile both the tail blocks and the steps.
bool cellFitsGrids(int sample_rate, std::int64_t cell) {
  return cell >= 1 && tailBlockFrames(sample_rate) % cell == 0 && loudnessStepFrames(sample_rate) % cell == 0;
}

}  // namespace

StretchStats placeStretch(const StretchCells& c, int sample_rate) {
  const std::int64_t block = tailBlockFrames(sample_rate), step = loudnessStepFrames(sample_rate);
  const std::int64_t first_cell = c.cell >= 1 ? c.start / c.cell : 0;
  const auto cells = static_cast<std::int64_t>(c.power.size());
  if (!cellFitsGrids(sample_rate, c.cell) || c.energy.size() != c.power.size() ||
      cells != (c.end > c.start ? (c.end - 1) / c.cell + 1 - first_cell : 0))
    throw AudioError("a measured stretch's cells do not fit its range " + std::to_string(c.start) + ".." +
                     std::to_string(c.end));
  StretchStats s;
  s.start = c.start, s.end = c.end, s.first = c.first, s.last = c.last;
  s.first_block = c.start / block;
  s.first_step = c.start / step;
  if (cells == 0) return s;
  s.tail_power.assign(static_cast<std::size_t>((c.end - 1) / block + 1 - s.first_block), 0.0);
  s.step_energy.assign(static_cast<std::size_t>((c.end - 1) / step + 1 - s.first_step), 0.0);
  for (std::int64_t k = 0; k < cells; ++k) {  // in order: the same sums wherever the cells were measured
    const std::int64_t at = (first_cell + k) * c.cell;
    s.tail_power[static_cast<std::size_t>(at / block - s.first_block)] += c.power[static_cast<std::size_t>(k)];
    s.step_energy[static_cast<std::size_t>(at / step - s.first_step)] += c.energy[static_cast<std::size_t>(k)];
  }
  return s;
}

struct StretchMeter::Impl {
  int channels = 0;
  std::int64_t end = 0;
  std::int64_t pos = 0;  // the next frame expected
  std::optional<GatingBlockMeter> meter;
  std::optional<FrameScan> scan;
  double power = 0, energy = 0;  // of the cell being summed
  StretchCells out;
};

std::int64_t StretchMeter::feedFrom(int sample_rate, std::int64_t start) {
  return std::max<std::int64_t>(0, start - std::llround(kStretchSettleSeconds * sample_rate));
}

StretchMeter::StretchMeter(int sample_rate, int channels, std::int64_t start, std::int64_t end, std::int64_t cell)
    : impl_(std::make_unique<Impl>()) {
  if (sample_rate < 1 || channels < 1 || start < 0 || end < start || !cellFitsGrids(sample_rate, cell))
    throw AudioError("stretch meter: bad format, range or cell (" + std::to_string(sample_rate) + " Hz, " +
                     std::to_string(channels) + " channels, " + std::to_string(start) + ".." + std::to_string(end) +
                     ", cells of " + std::to_string(cell) + ")");
  Impl& m = *impl_;
  m.channels = channels;
  m.end = end;
  m.meter.emplace(sample_rate, channels);
  m.scan.emplace(channels);
  m.out.start = start;
  m.out.end = end;
  m.out.cell = cell;
  from_ = feedFrom(sample_rate, start);
  m.pos = from_;
}

StretchMeter::~StretchMeter() = default;

void StretchMeter::add(std::int64_t at, const float* samples, std::size_t frames) {
  Impl& m = *impl_;
  StretchCells& out = m.out;
  std::int64_t n = static_cast<std::int64_t>(frames);
  if (at > m.pos)
    throw AudioError("stretch meter: frames from " + std::to_string(at) + " leave a gap after " +
                     std::to_string(m.pos));
  if (at + n <= m.pos) return;
  samples += (m.pos - at) * m.channels;  // what came before feedFrom()
  n -= m.pos - at;
  n = std::min(n, m.end - m.pos);
  const auto width = static_cast<std::size_t>(m.channels);
  const auto at_frame = [&](std::int64_t t) { return samples + static_cast<std::size_t>(t - m.pos) * width; };
  std::int64_t t = m.pos;
  if (t < out.start) {  // the K-weighting's settling
    const std::int64_t settle = std::min(m.pos + n, out.start) - t;
    (void)m.meter->addEnergy(at_frame(t), static_cast<std::size_t>(settle), 0.0);
    t += settle;
  }
  // Audible frames count from the stretch's own start.
  if (t < m.pos + n) {
    const float* own = at_frame(t);
    const auto count = static_cast<std::size_t>(m.pos + n - t);
    if (out.first < 0)
      if (const std::int64_t f = m.scan->firstAudible(own, count); f >= 0) out.first = t + f;
    if (const std::int64_t l = m.scan->lastAudible(own, count); l >= 0) out.last = t + l;
  }
  while (t < m.pos + n) {  // a cell, or the part of it these frames hold
    const std::int64_t boundary = std::min(m.end, (t / out.cell + 1) * out.cell);
    const std::int64_t run = std::min(m.pos + n, boundary) - t;
    m.power = m.scan->addPower(at_frame(t), static_cast<std::size_t>(run), m.power);
    m.energy = m.meter->addEnergy(at_frame(t), static_cast<std::size_t>(run), m.energy);
    if (!std::isfinite(m.power) || !std::isfinite(m.energy)) throw AudioError("decodes to a non-finite sample");
    if ((t += run) == boundary) {
      out.power.push_back(static_cast<float>(m.power));
      out.energy.push_back(static_cast<float>(m.energy));
      m.power = m.energy = 0;
    }
  }
  m.pos += n;
}

StretchCells StretchMeter::finish() {
  Impl& m = *impl_;
  if (m.pos < m.end)
    throw AudioError("stretch meter: decoded up to frame " + std::to_string(m.pos) + " of " + std::to_string(m.end));
  return std::move(m.out);
}

DecodedStats combineStretches(int sample_rate, int channels, const std::vector<StretchStats>& stretches) {
  std::int64_t frames = 0, first = -1, last = -1;
  for (const StretchStats& s : stretches) {
    if (s.start != frames || s.end < s.start)
      throw AudioError("decoded stretches do not follow each other: " + std::to_string(s.start) + ".." +
                       std::to_string(s.end) + " after " + std::to_string(frames));
    frames = s.end;
    if (s.first >= 0 && first < 0) first = s.first;
    if (s.last >= 0) last = s.last;
  }
  const std::int64_t block = tailBlockFrames(sample_rate), step = loudnessStepFrames(sample_rate);
  std::vector<double> tail(static_cast<std::size_t>((frames + block - 1) / block), 0.0);
  std::vector<double> steps(static_cast<std::size_t>((frames + step - 1) / step), 0.0);
  // A block or step two stretches share is their parts' sum, in stretch order.
  const auto addInto = [](std::vector<double>& to, std::int64_t from, const std::vector<double>& parts) {
    if (parts.empty()) return;
    if (from < 0 || static_cast<std::size_t>(from) + parts.size() > to.size())
      throw AudioError("a decoded stretch reaches past its programme");
    for (std::size_t k = 0; k < parts.size(); ++k) to[static_cast<std::size_t>(from) + k] += parts[k];
  };
  for (const StretchStats& s : stretches) {
    addInto(tail, s.first_block, s.tail_power);
    addInto(steps, s.first_step, s.step_energy);
  }
  // Means, as decodeAndMeasure takes them: a partial last tail block over
  // its own frames; gating blocks only of whole steps, as the meter makes them.
  for (std::size_t b = 0; b < tail.size(); ++b)
    tail[b] /= static_cast<double>(std::min(block, frames - static_cast<std::int64_t>(b) * block));
  std::vector<double> energies;
  const std::size_t whole = static_cast<std::size_t>(frames / step);
  for (std::size_t k = 3; k < whole; ++k)
    energies.push_back((steps[k - 3] + steps[k - 2] + steps[k - 1] + steps[k]) / static_cast<double>(4 * step));
  return cuesFrom(sample_rate, channels, frames, first, last, tail, gatedLoudness(energies));
}

}  // namespace warta::audio
