// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/mixer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "audio/convert.h"
#include "audio/edit.h"

namespace warta::audio {

namespace {
std::size_t toFrames(double seconds, int rate) {
  return static_cast<std::size_t>(std::llround(std::max(0.0, seconds) * rate));
}

// The bed's ducking as a per-frame step: one definition for the mixer and
// for duckGainAt, so both give the same bits.
struct Ducking {
  Ducking(const BedSettings& s, int rate)
      : duck(std::pow(10.0, -s.duck_db / 20.0)),
        attack(std::max<std::size_t>(1, toFrames(s.attack, rate))),
        release(std::max<std::size_t>(1, toFrames(s.release, rate))),
        down_step((1.0 - duck) / static_cast<double>(attack)),
        up_step((1.0 - duck) / static_cast<double>(release)) {}
  double step(double gain, bool voice_soon) const {
    return voice_soon ? std::max(duck, gain - down_step) : std::min(1.0, gain + up_step);
  }
  double duck;
  std::size_t attack, release;  // frames
  double down_step, up_step;
};
// A clip converted to the mixer's format as it is read (StreamConverter:
// convert()'s very samples), so a long sentence is never held converted
// whole, nor the resampler's output for all of it.
class ConvertedClip : public ClipStream, private AudioSink {
 public:
  ConvertedClip(const Audio& clip, int rate, int channels)
      : clip_(clip), channels_(channels), converter_(*this, clip.sample_rate, clip.channels, rate, channels) {}
  std::size_t readSome(float* out, std::size_t frames) override {
    const auto width = static_cast<std::size_t>(channels_);
    while (ready_.size() - head_ < frames * width && !finished_) feed();
    const std::size_t n = std::min(frames, (ready_.size() - head_) / width);
    std::copy_n(ready_.data() + head_, n * width, out);
    head_ += n * width;
    if (head_ > kFeedFrames * width * 4) {  // what was read goes, now and then
      ready_.erase(ready_.begin(), ready_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    return n;
  }
  int channels() const override { return channels_; }

 private:
  static constexpr std::size_t kFeedFrames = 8192;
  void feed() {
    const auto width = static_cast<std::size_t>(clip_.channels);
    const std::size_t n = std::min(kFeedFrames, clip_.frames() - fed_);
    if (n == 0) {
      converter_.finish();
      finished_ = true;
      return;
    }
    piece_.sample_rate = clip_.sample_rate;
    piece_.channels = clip_.channels;
    const auto from = clip_.samples.begin() + static_cast<std::ptrdiff_t>(fed_ * width);
    piece_.samples.assign(from, from + static_cast<std::ptrdiff_t>(n * width));
    fed_ += n;
    converter_.write(piece_);
  }
  void write(const Audio& chunk) override {  // the converter's output
    if (head_ == ready_.size()) ready_.clear(), head_ = 0;
    ready_.insert(ready_.end(), chunk.samples.begin(), chunk.samples.end());
  }
  void finish() override {}

  const Audio& clip_;
  int channels_;
  StreamConverter converter_;
  Audio piece_;
  std::vector<float> ready_;  // converted, not yet read, from head_
  std::size_t head_ = 0, fed_ = 0;
  bool finished_ = false;
};

}  // namespace

Mixer::Mixer(AudioSink& sink, int sample_rate, int channels, double join_fade, double max_overlap)
    : sink_(sink), sample_rate_(sample_rate), channels_(channels), join_fade_(join_fade) {
  if (sample_rate <= 0 || channels < 1 || channels > 2)
    throw AudioError("mixer: unsupported output format " + std::to_string(sample_rate) + " Hz, " +
                     std::to_string(channels) + " channels");
  max_overlap_ = toFrames(max_overlap, sample_rate);
  // At most 2 * max_overlap + kStep frames are held back before a write,
  // and an addition reaches at most kStep past the end: one and a half
  // times that is room for head_ to run on a third of it between moves
  // (each move copies what is held: a larger room moves less often but is
  // memory two threads hold at once under a bed). Only reserved: pages are
  // touched as the window first grows into them.
  room_ = 3 * (2 * max_overlap_ + 2 * kStep) / 2;
  window_.reserve(room_ * static_cast<std::size_t>(channels_));
  voice_.reserve(room_);
}

void Mixer::ensure(std::size_t frame_end) {
  const std::size_t needed = frame_end - written_;
  if (head_ + needed <= voice_.size()) return;
  const auto width = static_cast<std::size_t>(channels_);
  if (head_ > 0 && (head_ >= room_ / 2 || head_ + needed > room_)) {
    // Move what is held back to the front; what it leaves behind becomes 0.
    const std::size_t held = end_ - written_;
    const auto w = [&](std::size_t frame) { return window_.begin() + static_cast<std::ptrdiff_t>(frame * width); };
    const auto v = [&](std::size_t frame) { return voice_.begin() + static_cast<std::ptrdiff_t>(frame); };
    std::copy(w(head_), w(head_ + held), w(0));
    std::fill(w(held), w(head_ + held), 0.0f);
    std::copy(v(head_), v(head_ + held), v(0));
    std::fill(v(held), v(head_ + held), std::uint8_t{0});
    head_ = 0;
  }
  if (head_ + needed > voice_.size()) {
    window_.resize((head_ + needed) * width, 0.0f);
    voice_.resize(head_ + needed, 0);
  }
}

std::size_t Mixer::beginClip(double overlap) {
  const std::size_t back = std::min({toFrames(overlap, sample_rate_), max_overlap_, end_ - written_});
  const std::size_t start = end_ - back;
  const auto width = static_cast<std::size_t>(channels_);
  // What is already under the clip's start fades out across the overlap.
  for (std::size_t f = start; f < end_; ++f) {
    const float g = static_cast<float>(static_cast<double>(end_ - f) / static_cast<double>(back + 1));
    float* frame = at(f);
    for (std::size_t c = 0; c < width; ++c) frame[c] *= g;
  }
  return start;
}

void Mixer::addFrames(std::size_t start, std::size_t i0, const float* data, std::size_t n, std::size_t src_width,
                      ClipRole role) {
  const auto width = static_cast<std::size_t>(channels_);
  const bool spread = src_width == 1 && width == 2;  // else src_width == width
  ensure(std::max(start + i0 + n, end_));
  float* window = at(start + i0);
  // Each sample gets one addition however the loop runs: written as plain
  // loops the compiler vectorizes.
  if (spread) {
    for (std::size_t i = 0; i < n; ++i) {
      window[2 * i] += data[i];
      window[2 * i + 1] += data[i];
    }
  } else {
    for (std::size_t k = 0; k < n * width; ++k) window[k] += data[k];
  }
  if (role == ClipRole::Voice)
    std::fill_n(voice_.begin() + static_cast<std::ptrdiff_t>(head_ + start + i0 - written_), n, 1);
  end_ = std::max(end_, start + i0 + n);
  writeHeldBack();
}

double Mixer::append(const Audio& clip, ClipRole role, double overlap) {
  if (clip.empty()) return position();
  // Mono stays mono until it is added to both channels: the stereo copy of a
  // long sentence would be the largest buffer of a render.
  const bool spread = clip.channels == 1 && channels_ == 2;
  const int out_channels = spread ? 1 : channels_;
  // A clip in another format is converted as it is read; one already in the
  // output format (speech from the spool) is read in place, not copied: only
  // the pieces with its join fades are.
  if (clip.sample_rate != sample_rate_ || clip.channels != out_channels) {
    ConvertedClip converted(clip, sample_rate_, out_channels);
    return append(converted, role, overlap);
  }
  const Audio& out = clip;
  const auto src_width = static_cast<std::size_t>(out.channels);
  const std::size_t frames = out.frames();
  // applyFades' join fades, gain i / fade for the i-th frame from an edge.
  const std::size_t fade = std::min(toFrames(join_fade_, sample_rate_), frames / 2);
  const auto gain = [fade](std::size_t i) {
    return static_cast<float>(static_cast<double>(i) / static_cast<double>(fade));
  };
  const std::size_t start = beginClip(overlap);
  // In pieces, so the window never holds a whole long clip.
  for (std::size_t i0 = 0; i0 < frames; i0 += kStep) {
    const std::size_t n = std::min(kStep, frames - i0);
    const float* data = out.samples.data() + i0 * src_width;
    if (i0 < fade || i0 + n > frames - fade) {
      faded_.assign(data, data + n * src_width);
      for (std::size_t j = i0; j < i0 + n; ++j) {
        const bool in = j < fade, out_edge = j >= frames - fade;
        if (!in && !out_edge) continue;
        const float g = in ? gain(j) : gain(frames - 1 - j);
        for (std::size_t c = 0; c < src_width; ++c) faded_[(j - i0) * src_width + c] *= g;
      }
      data = faded_.data();
    }
    addFrames(start, i0, data, n, src_width, role);
  }
  return static_cast<double>(start) / sample_rate_;
}

double Mixer::append(ClipStream& clip, ClipRole role, double overlap) {
  const int clip_channels = clip.channels();
  if (clip_channels != channels_ && clip_channels != 1)
    throw AudioError("mixer: a streamed clip of " + std::to_string(clip_channels) + " channels for " +
                     std::to_string(channels_));
  const auto src_width = static_cast<std::size_t>(clip_channels);
  // applyFades' join fades, known only at the end for a clip shorter than two
  // of them: so the last `fade` frames are held back until the end, and
  // nothing is placed before the clip is known to be longer than 2 * fade.
  // Frames are placed in kStep blocks from the clip's start, as append()
  // places a clip held whole, so the window is written at the same points.
  const std::size_t fade = toFrames(join_fade_, sample_rate_);
  const auto gain = [](std::size_t i, std::size_t n) {  // applyFades' gain i frames from an edge
    return static_cast<float>(static_cast<double>(i) / static_cast<double>(n));
  };
  // Clip frames [placed, placed + held()) are pending's frames from `head`
  // on; placed ones are dropped from the front only every few pieces.
  std::vector<float> pending;
  std::size_t head = 0;
  const auto held = [&] { return pending.size() / src_width - head; };
  std::vector<float> piece(kStep * src_width);
  std::size_t placed = 0, total = 0, start = 0;
  auto place = [&](std::size_t n) {  // the first n held frames, fade-in applied
    if (placed == 0) start = beginClip(overlap);
    float* p = pending.data() + head * src_width;
    for (std::size_t i = placed; i < std::min(fade, placed + n); ++i)
      for (std::size_t c = 0; c < src_width; ++c) p[(i - placed) * src_width + c] *= gain(i, fade);
    addFrames(start, placed, p, n, src_width, role);
    head += n;
    placed += n;
  };
  for (std::size_t n; (n = clip.readSome(piece.data(), kStep)) > 0;) {
    if (head >= 4 * kStep) {  // what is left is under kStep + fade frames
      pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(head * src_width));
      head = 0;
    }
    pending.insert(pending.end(), piece.begin(), piece.begin() + static_cast<std::ptrdiff_t>(n * src_width));
    total += n;
    while (total > 2 * fade && held() >= kStep + fade) place(kStep);
  }
  if (total == 0) return position();
  if (placed == 0) {  // all of it still here: faded as a whole
    Audio whole{std::move(pending), sample_rate_, clip_channels};
    applyFades(whole, join_fade_, join_fade_);
    pending = std::move(whole.samples);
    const std::size_t frames = total;
    start = beginClip(overlap);
    for (std::size_t i0 = 0; i0 < frames; i0 += kStep)
      addFrames(start, i0, pending.data() + i0 * src_width, std::min(kStep, frames - i0), src_width, role);
    return static_cast<double>(start) / sample_rate_;
  }
  // Longer than two fades: the fade-out is `fade` frames, all still pending.
  const std::size_t last = head + held() - 1;  // pending's last frame
  for (std::size_t i = 0; i < fade; ++i)
    for (std::size_t c = 0; c < src_width; ++c) pending[(last - i) * src_width + c] *= gain(i, fade);
  while (held() > 0) place(std::min(kStep, held()));
  return static_cast<double>(start) / sample_rate_;
}

void Mixer::writeHeldBack() {
  // Output depends only on the window, never on when it is written, so write
  // in batches of max_overlap: each write costs a pass over the bed's
  // ducking and the sink's calls.
  if (end_ > written_ + 2 * max_overlap_ + kStep) writeUpTo(end_ - max_overlap_);
}

double Mixer::appendSilence(double seconds) { return appendSilenceFrames(toFrames(seconds, sample_rate_)); }

double Mixer::appendSilenceFrames(std::size_t count) {
  const double start = position();
  // In bounded steps, so a long pause never needs a long buffer.
  for (std::size_t done = 0; done < count; done += kStep) {
    const std::size_t n = std::min(kStep, count - done);
    ensure(end_ + n);
    end_ += n;
    writeHeldBack();
  }
  return start;
}

void Mixer::startBed(const Audio& bed, const BedSettings& settings, double back) {
  startBed(std::make_unique<MemoryBed>(bed, sample_rate_, channels_), settings, back);
}

void Mixer::startBed(std::unique_ptr<BedStream> bed, const BedSettings& settings, double back) {
  if (!bed) throw AudioError("mixer: no music bed");
  bed_ = std::move(bed);
  bed_settings_ = settings;
  bed_on_ = true;
  bed_start_ = end_ - std::min({toFrames(back, sample_rate_), max_overlap_, end_ - written_});
  bed_stop_ = SIZE_MAX;
  bed_fade_out_ = 0;
  duck_gain_ = 1.0;
}

void Mixer::stopBed(double fade_out) {
  if (!bed_on_) return;
  bed_stop_ = end_;
  bed_fade_out_ = std::max<std::size_t>(1, toFrames(fade_out, sample_rate_));
}

float Mixer::bedGain(std::size_t frame, std::size_t fade_in) const {
  float g = 1.0f;
  if (frame - bed_start_ < fade_in) g = static_cast<float>(frame - bed_start_) / static_cast<float>(fade_in);
  if (frame >= bed_stop_) {
    const std::size_t into = frame - bed_stop_;
    g *= into >= bed_fade_out_ ? 0.0f : 1.0f - static_cast<float>(into) / static_cast<float>(bed_fade_out_);
  }
  return g;
}

void Mixer::writeUpTo(std::size_t frame_end) {
  frame_end = std::min({frame_end, end_, output_end_});
  if (frame_end <= written_) return;
  const std::size_t count = frame_end - written_;
  const std::size_t held = end_ - written_;
  const auto width = static_cast<std::size_t>(channels_);
  if (bed_on_) {
    // Ducking looks ahead by the attack time, so the bed is down when the voice starts.
    const Ducking ducking(bed_settings_, sample_rate_);
    const std::size_t attack = ducking.attack;
    const std::size_t fade_in = toFrames(bed_settings_.fade_in, sample_rate_);
    // Held frames are counted from written_. A frame is "voice soon" when a
    // Voice frame lies within `attack` frames at or after it; the frames are
    // taken in runs that agree on it, found with memchr over voice_ (each
    // held frame looked at once at most), and a run's gain is stepped frame
    // by frame only until it is pinned at `duck` or 1, where a step leaves
    // it as it is: the same gains as a step at every frame, bit for bit.
    const std::uint8_t* voice = voice_.data() + head_;
    const auto find = [&](std::size_t i, int value) {  // the first held frame >= i that is `value`, or `held`
      if (i >= held) return held;
      const void* p = std::memchr(voice + i, value, held - i);
      return p ? static_cast<std::size_t>(static_cast<const std::uint8_t*>(p) - voice) : held;
    };
    // The frames the bed sounds under, one run: the bed is read in order,
    // from its start at bed_start_ (never before written_) to its fade's end.
    const std::size_t lo = std::max(written_, bed_start_);
    const std::size_t hi = bed_stop_ == SIZE_MAX ? frame_end : std::min(frame_end, bed_stop_ + bed_fade_out_);
    std::size_t next_voice = 0;  // the first voice frame at or after the last i sought from
    bool sought = false;
    // Read a piece at a time: a flush can cover seconds of held frames.
    for (std::size_t piece = lo; piece < hi; piece += kStep) {
      const std::size_t piece_end = std::min(hi, piece + kStep);
      const std::size_t n = piece_end - piece;
      bed_piece_.resize(n * width);
      bed_->read(bed_piece_.data(), n);
      duck_piece_.resize(n);
      fade_piece_.assign(n, 1.0f);
      for (std::size_t i = piece - written_, stop = piece_end - written_; i < stop;) {
        if (!sought || next_voice < i) next_voice = find(i, 1), sought = true;
        const std::size_t v = next_voice;
        bool soon;
        std::size_t run_end;
        if (v < held && v - i <= attack) {  // soon up to the end of this voice
          soon = true;
          run_end = find(v, 0);
        } else {
          soon = false;
          run_end = v < held ? v - attack : held;
        }
        run_end = std::min(run_end, stop);
        const double pinned = soon ? ducking.duck : 1.0;
        float* d = duck_piece_.data() + (i - (piece - written_));
        for (; i < run_end && duck_gain_ != pinned; ++i, ++d) {
          duck_gain_ = ducking.step(duck_gain_, soon);
          *d = static_cast<float>(duck_gain_);
        }
        if (i < run_end) std::fill(d, d + (run_end - i), static_cast<float>(pinned)), i = run_end;
      }
      // The bed's own fades: gain 1 outside them.
      const std::size_t fading_in =
          bed_start_ + fade_in > piece ? std::min(bed_start_ + fade_in, piece_end) - piece : 0;
      for (std::size_t k = 0; k < fading_in; ++k) fade_piece_[k] = bedGain(piece + k, fade_in);
      if (bed_stop_ != SIZE_MAX)
        for (std::size_t k = bed_stop_ > piece ? bed_stop_ - piece : 0; k < n; ++k)
          fade_piece_[k] = bedGain(piece + k, fade_in);
      float* out = at(piece);
      const float* bed = bed_piece_.data();
      const float* duck = duck_piece_.data();
      const float* fade = fade_piece_.data();
      if (width == 2) {
        for (std::size_t k = 0; k < n; ++k) {
          out[2 * k] += duck[k] * (fade[k] * bed[2 * k]);
          out[2 * k + 1] += duck[k] * (fade[k] * bed[2 * k + 1]);
        }
      } else {
        for (std::size_t k = 0; k < n; ++k) out[k] += duck[k] * (fade[k] * bed[k]);
      }
    }
    if (bed_stop_ != SIZE_MAX && frame_end >= bed_stop_ + bed_fade_out_) {
      bed_on_ = false;
      bed_.reset();
      bed_piece_ = {};
    }
  }
  // Hand the frames over in bounded chunks, then drop them from the window.
  constexpr std::size_t kChunk = 16384;
  chunk_.sample_rate = sample_rate_;
  chunk_.channels = channels_;
  for (std::size_t done = 0; done < count; done += kChunk) {
    const std::size_t n = std::min(kChunk, count - done);
    const float* from = at(written_ + done);
    chunk_.samples.assign(from, from + n * width);
    sink_.write(chunk_);
  }
  head_ += count;
  written_ = frame_end;
}

void Mixer::flush() { writeUpTo(end_); }

void Mixer::startAt(std::size_t origin) {
  if (end_ != 0 || written_ != 0) throw AudioError("mixer: startAt() after something was added");
  end_ = written_ = origin;
}

void Mixer::resumeBed(std::unique_ptr<BedStream> bed, const BedSettings& settings, std::size_t start, double duck_gain,
                      std::size_t stop, std::size_t fade_out) {
  if (!bed) throw AudioError("mixer: no music bed");
  if (start > end_) throw AudioError("mixer: a resumed bed must have started by the timeline's end");
  bed_ = std::move(bed);
  bed_settings_ = settings;
  bed_on_ = true;
  bed_start_ = start;
  bed_stop_ = stop;
  bed_fade_out_ = stop == SIZE_MAX ? 0 : std::max<std::size_t>(1, fade_out);
  duck_gain_ = duck_gain;
}

double Mixer::duckGainAt(const BedSettings& settings, int sample_rate, std::size_t bed_start, std::size_t frame,
                         const std::vector<std::pair<std::size_t, std::size_t>>& voice) {
  const Ducking d(settings, sample_rate);
  // A frame is "voice soon" when a Voice frame lies within attack frames at
  // or after it: the voice intervals widened back by the attack.
  std::vector<std::pair<std::size_t, std::size_t>> soon;
  for (const auto& [s, e] : voice) {
    if (e <= s) continue;
    const std::size_t from = s > d.attack ? s - d.attack : 0;
    if (!soon.empty() && from <= soon.back().second) soon.back().second = std::max(soon.back().second, e);
    else soon.emplace_back(from, e);
  }
  // attack + 1 steps down pin the gain at exactly `duck` from anywhere in
  // [duck, 1], release + 1 steps up pin it at exactly 1: the gain at `frame`
  // depends only on the frames since the last such run.
  std::size_t from = bed_start;
  double gain = 1.0;
  std::size_t cursor = bed_start;  // frames before it are accounted for
  for (const auto& [s, e] : soon) {
    if (s >= frame) break;
    const std::size_t lo = std::max(s, bed_start), hi = std::min(e, frame);
    if (cursor < lo && lo - cursor >= d.release + 1) from = lo, gain = 1.0;  // a quiet run before this one
    if (lo < hi && hi - lo >= d.attack + 1) from = hi, gain = d.duck;        // pinned down by its end
    cursor = std::max(cursor, hi);
  }
  if (cursor < frame && frame - cursor >= d.release + 1) return 1.0;
  // Step frame by frame from the pinned point, as the mixer does.
  auto it = soon.begin();
  for (std::size_t f = from; f < frame; ++f) {
    while (it != soon.end() && it->second <= f) ++it;
    gain = d.step(gain, it != soon.end() && it->first <= f);
  }
  return gain;
}

}  // namespace warta::audio
