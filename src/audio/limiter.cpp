// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/limiter.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <numbers>
#include <string>

namespace warta::audio {

namespace {

// The interval between frames k and k + 1 is interpolated from frames
// k - kBefore .. k + kAfter.
constexpr int kTaps = 16;
constexpr int kBefore = kTaps / 2 - 1;
constexpr int kAfter = kTaps / 2;
constexpr double kKaiserBeta = 6.0;  // chosen for +0.016/-0.005 dB up to 16 kHz at 44.1 kHz
constexpr double kMarginDb = 0.01;
// Below this much reduction the release is over: the gain snaps to exactly 1
// (a -120 dB step) so that transparent passages are bit-exact again.
constexpr double kReleaseSnap = 1e-6;
// Frames worked on at a time, and frames kept past the buffer's end so whole
// 8-lane reads never leave it.
constexpr std::int64_t kBlock = 256;
constexpr std::int64_t kSlack = 8;
constexpr std::int64_t kPiece = 16384;  // new frames the buffer takes at a time

// Eight lanes: eight consecutive intervals (GCC/Clang vector extension). On
// x86-64 the hot loops are also compiled for AVX2 and chosen at run time; the
// lanes do the same IEEE operations either way (no FMA), so the output is
// bit-identical on every machine.
typedef float Lanes __attribute__((vector_size(32)));
constexpr std::int64_t kLanes = 8;
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define WARTA_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define WARTA_SIMD_CLONES
#endif

struct Interpolator {
  std::array<std::array<Lanes, kTaps>, 3> taps{};  // [phase - 1][tap], each value in every lane
  double gain_bound = 0.0;                         // max over phases of sum |h|: |interpolated| <= gain_bound * max |x|

  Interpolator() {
    const auto bessel_i0 = [](double x) {
      double sum = 1.0, term = 1.0;
      for (int k = 1; k < 40; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
      }
      return sum;
    };
    for (int p = 1; p < 4; ++p) {
      std::array<double, kTaps> h{};
      double sum = 0.0;
      for (int j = 0; j < kTaps; ++j) {
        const double offset = (j - kBefore) - p / 4.0;  // from the interpolated point, in frames
        const double x = std::numbers::pi * offset;
        const double u = offset / kAfter;  // within (-1, 1) for every tap
        h[static_cast<std::size_t>(j)] =
            std::sin(x) / x * bessel_i0(kKaiserBeta * std::sqrt(1.0 - u * u)) / bessel_i0(kKaiserBeta);
        sum += h[static_cast<std::size_t>(j)];
      }
      double abs_sum = 0.0;
      for (int j = 0; j < kTaps; ++j) {
        const double v = h[static_cast<std::size_t>(j)] / sum;  // unity gain at DC: no bias on slow peaks
        const auto f = static_cast<float>(v);
        taps[static_cast<std::size_t>(p - 1)][static_cast<std::size_t>(j)] = Lanes{f, f, f, f, f, f, f, f};
        abs_sum += std::fabs(static_cast<double>(static_cast<float>(v)));
      }
      gain_bound = std::max(gain_bound, abs_sum);
    }
  }
};

const Interpolator& interpolator() {
  static const Interpolator instance;
  return instance;
}

}  // namespace

TruePeakLimiter::TruePeakLimiter(AudioSink& next, int sample_rate, int channels, double ceiling_dbtp,
                                 double lookahead_s, double release_s)
    : next_(next), sample_rate_(sample_rate), channels_(channels) {
  if (sample_rate <= 0 || channels <= 0)
    throw AudioError("limiter: unsupported format " + std::to_string(sample_rate) + " Hz, " + std::to_string(channels) +
                     " channels");
  if (!std::isfinite(ceiling_dbtp)) throw AudioError("limiter: the ceiling is not a finite dBTP value");
  if (!(lookahead_s >= 0.0) || !std::isfinite(lookahead_s)) throw AudioError("limiter: look-ahead must be 0 s or more");
  if (!(release_s > 0.0) || !std::isfinite(release_s)) throw AudioError("limiter: release must be more than 0 s");

  ceiling_ = std::pow(10.0, ceiling_dbtp / 20.0);
  target_ = ceiling_ * std::pow(10.0, -kMarginDb / 20.0);
  // The float accumulation can exceed the exact bound by a few ulps.
  loud_ = static_cast<float>(ceiling_ / (interpolator().gain_bound * (1.0 + 1e-5)));
  lookahead_ = std::llround(lookahead_s * sample_rate);
  delay_ = static_cast<std::int64_t>(latencyFrames(sample_rate, lookahead_s));
  release_coef_ = std::exp(-1.0 / (release_s * sample_rate));
  last_loud_ = -delay_ - 2 * kTaps;

  held_.resize(std::bit_ceil(static_cast<std::size_t>(lookahead_ + kTaps + 1)));
  box_.assign(static_cast<std::size_t>(lookahead_ + 1), 0.0);

  // The stream starts from silence: the interpolator reaches back kTaps - 1
  // frames before the first interval it needs.
  capacity_ = delay_ + kTaps + kPiece;
  stride_ = capacity_ + kSlack;
  buf_.assign(static_cast<std::size_t>(stride_ * channels_), 0.0f);
  buf_start_ = -(kTaps - 1);
  buf_frames_ = kTaps - 1;
  out_.sample_rate = sample_rate;
  out_.channels = channels;
}

std::size_t TruePeakLimiter::latencyFrames(int sample_rate, double lookahead_s) {
  return static_cast<std::size_t>(std::llround(lookahead_s * sample_rate) + kTaps - 1);
}

void TruePeakLimiter::write(const Audio& chunk) {
  if (finished_) throw AudioError("limiter: write after finish");
  if (chunk.sample_rate != sample_rate_ || chunk.channels != channels_)
    throw AudioError("limiter: chunk is " + std::to_string(chunk.sample_rate) + " Hz, " +
                     std::to_string(chunk.channels) + " channels; the limiter runs at " + std::to_string(sample_rate_) +
                     " Hz, " + std::to_string(channels_) + " channels");
  frames_in_ += static_cast<std::int64_t>(chunk.frames());
  consume(chunk.samples.data(), chunk.frames());
}

void TruePeakLimiter::finish() {
  if (finished_) throw AudioError("limiter: finish called twice");
  finished_ = true;
  // Silence after the end pushes the held frames out; frames past the
  // input's end are not emitted.
  const std::vector<float> tail(static_cast<std::size_t>(delay_ * channels_), 0.0f);
  consume(tail.data(), static_cast<std::size_t>(delay_));
  next_.finish();
}

double TruePeakLimiter::maxGainReductionDb() const { return min_gain_ < 1.0 ? -20.0 * std::log10(min_gain_) : 0.0; }

void TruePeakLimiter::consume(const float* interleaved, std::size_t frames) {
  auto left = static_cast<std::int64_t>(frames);
  while (left > 0) {
    if (buf_frames_ == capacity_) {
      // Keep only what the next frames need: the delay line and the
      // interpolator's reach back (every buffered frame is processed here).
      const std::int64_t keep_from = next_t_ - std::max<std::int64_t>(delay_, kTaps - 1);
      const std::int64_t drop = keep_from - buf_start_;
      for (std::int64_t c = 0; c < channels_; ++c) {
        float* row = buf_.data() + c * stride_;
        std::memmove(row, row + drop, static_cast<std::size_t>(buf_frames_ - drop) * sizeof(float));
      }
      buf_start_ = keep_from;
      buf_frames_ -= drop;
    }
    const std::int64_t n = std::min(left, capacity_ - buf_frames_);
    if (channels_ == 2) {  // one pass over the frames, both rows at once
      float* l = buf_.data() + buf_frames_;
      float* r = l + stride_;
      for (std::int64_t i = 0; i < n; ++i) l[i] = interleaved[2 * i], r[i] = interleaved[2 * i + 1];
    } else {
      for (std::int64_t c = 0; c < channels_; ++c) {
        float* dst = buf_.data() + c * stride_ + buf_frames_;
        const float* src = interleaved + c;
        for (std::int64_t i = 0; i < n; ++i) dst[i] = src[i * channels_];
      }
    }
    buf_frames_ += n;
    interleaved += n * channels_;
    left -= n;
    process();
  }
}

WARTA_SIMD_CLONES std::int64_t TruePeakLimiter::lastLoud(std::int64_t from, std::int64_t to) const {
  const Lanes zero = {};
  bool any = false;
  for (std::int64_t c = 0; c < channels_ && !any; ++c) {
    const float* x = channelAt(c, from);
    Lanes m = zero;
    for (std::int64_t i = 0; i < to - from; i += kLanes) {  // may read into the slack or later frames: harmless
      Lanes v;
      std::memcpy(&v, x + i, sizeof v);
      v = v < zero ? -v : v;
      m = m > v ? m : v;
    }
    for (int k = 0; k < kLanes; ++k) any = any || m[k] > loud_;
  }
  if (!any) return -1;
  for (std::int64_t t = to - 1; t >= from; --t)
    for (std::int64_t c = 0; c < channels_; ++c)
      if (std::fabs(channelAt(c, t)[0]) > loud_) return t;
  return -1;
}

WARTA_SIMD_CLONES void TruePeakLimiter::requiredGains(std::int64_t s0, std::int64_t count, double* required) const {
  const auto& taps = interpolator().taps;
  std::array<Lanes, kBlock / kLanes> peak{};
  const std::int64_t vectors = (count + kLanes - 1) / kLanes;
  for (std::int64_t c = 0; c < channels_; ++c) {
    const float* x = channelAt(c, s0 - kBefore);
    // Consecutive intervals in the lanes, taps in a fixed order: each
    // interval's value is the same whichever lane or block computes it.
    for (std::int64_t l = 0; l < vectors; ++l) {
      Lanes a1 = {}, a2 = a1, a3 = a1;
      for (int j = 0; j < kTaps; ++j) {
        Lanes v;
        std::memcpy(&v, x + kLanes * l + j, sizeof v);
        a1 += taps[0][static_cast<std::size_t>(j)] * v;
        a2 += taps[1][static_cast<std::size_t>(j)] * v;
        a3 += taps[2][static_cast<std::size_t>(j)] * v;
      }
      Lanes v;  // the samples themselves
      std::memcpy(&v, x + kLanes * l + kBefore, sizeof v);
      a1 = a1 < 0.0f ? -a1 : a1;
      a2 = a2 < 0.0f ? -a2 : a2;
      a3 = a3 < 0.0f ? -a3 : a3;
      v = v < 0.0f ? -v : v;
      a1 = a1 > a2 ? a1 : a2;
      a3 = a3 > v ? a3 : v;
      a1 = a1 > a3 ? a1 : a3;
      auto& m = peak[static_cast<std::size_t>(l)];
      m = m > a1 ? m : a1;
    }
  }
  for (std::int64_t i = 0; i < count; ++i) {
    const double p = peak[static_cast<std::size_t>(i / kLanes)][i % kLanes];
    required[i] = p <= ceiling_ ? 1.0 : target_ / p;
  }
}

// The gain computer, in reductions (1 - gain). The sliding maximum over
// lookahead + kTaps intervals followed by a (lookahead + 1)-frame moving
// average makes every averaged term, hence the reduction, at least what each
// interval within kTaps / 2 of its frame requires: the gain reaches its target
// before the peak and is flat across the interpolator's span of an isolated
// peak. The release acts on the held maximum, before the average, so it can
// only raise the terms. State is copied into locals for the run so the
// compiler need not fear aliasing.
template <bool kSlope>
void TruePeakLimiter::gains(std::int64_t s0, std::int64_t count, const double* required, double* gain, double* slope) {
  Held* held = held_.data();
  const std::size_t mask = held_.size() - 1;  // a power of two
  std::size_t head = held_head_, size = held_size_;
  double* box = box_.data();
  double* box_slope = kSlope ? box_slope_.data() : nullptr;
  const std::size_t box_len = box_.size();
  const double box_scale = 1.0 / static_cast<double>(box_len);
  std::size_t box_pos = box_pos_, nonzero = box_nonzero_;
  double box_sum = box_sum_, release = release_;
  double box_slope_sum = box_slope_sum_, release_slope = release_slope_;
  bool idle = idle_;
  const std::int64_t hold = lookahead_ + kTaps;

  for (std::int64_t i = 0; i < count; ++i) {
    const double r = required[i];
    if (idle && r == 1.0) {  // what a full step would give, with nothing to update
      gain[i] = 1.0;
      if constexpr (kSlope) slope[i] = 0.0;
      continue;
    }
    const std::int64_t s = s0 + i;
    while (size > 0 && held[head].index <= s - hold) {
      head = (head + 1) & mask;
      --size;
    }
    if (r < 1.0) {
      const double q = 1.0 - r;
      while (size > 0 && held[(head + size - 1) & mask].reduction <= q) --size;
      // The gain required scales as 1 / the input gain: d q / d ln(gain) = r.
      held[(head + size) & mask] = Held{s, q, r};
      ++size;
    }
    const double deepest = size > 0 ? held[head].reduction : 0.0;

    double d = release * release_coef_;
    double ds = release_slope * release_coef_;
    if (deepest > d) d = deepest, ds = held[head].slope;
    if (d < kReleaseSnap && deepest == 0.0) d = 0.0, ds = 0.0;
    release = d;

    const double old = box[box_pos];
    box[box_pos] = d;
    if constexpr (kSlope) {
      release_slope = ds;
      box_slope_sum += ds - box_slope[box_pos];
      box_slope[box_pos] = ds;
    }
    box_pos = box_pos + 1 == box_len ? 0 : box_pos + 1;
    nonzero += (d != 0.0) - (old != 0.0);
    box_sum += d - old;
    if (nonzero == 0) box_sum = 0.0, box_slope_sum = 0.0;  // no rounding residue: back to exactly 1

    idle = d == 0.0 && nonzero == 0 && size == 0;
    gain[i] = std::min(1.0, 1.0 - box_sum * box_scale);
    if constexpr (kSlope) slope[i] = box_slope_sum * box_scale;
  }
  held_head_ = head;
  held_size_ = size;
  box_pos_ = box_pos;
  box_nonzero_ = nonzero;
  box_sum_ = box_sum;
  release_ = release;
  idle_ = idle;
  if constexpr (kSlope) box_slope_sum_ = box_slope_sum, release_slope_ = release_slope;
}

void TruePeakLimiter::addToSlope(std::int64_t n0, std::int64_t count, const float* out, const double* gain,
                                 const double* slope) {
  // Frame n's energy and pinned energy into lane n mod 8 of each: the
  // additions need not wait on one another, and the sums are the same however
  // the frames came in chunks (the gain a trial finds must not depend on
  // them). A frame's level moves with the input gain by
  // 1 - (d reduction / d ln gain) / its gain.
  std::array<double, 8> energy = energy_lanes_, pinned = pinned_lanes_;
  const auto add = [&](std::int64_t n, std::size_t lane) {
    double e = 0.0;
    for (std::int64_t c = 0; c < channels_; ++c)
      e += static_cast<double>(out[n * channels_ + c]) * out[n * channels_ + c];
    energy[lane] += e;
    if (slope) pinned[lane] += slope[n] > 0.0 ? e * std::min(1.0, slope[n] / gain[n]) : 0.0;
  };
  std::int64_t n = 0;
  for (; n < count && ((n0 + n) & 7) != 0; ++n) add(n, static_cast<std::size_t>(n0 + n) & 7);
  for (; n + 8 <= count; n += 8)  // lanes 0 to 7 in order: their sums in registers
    for (std::size_t lane = 0; lane < 8; ++lane) add(n + static_cast<std::int64_t>(lane), lane);
  for (; n < count; ++n) add(n, static_cast<std::size_t>(n0 + n) & 7);
  energy_lanes_ = energy;
  pinned_lanes_ = pinned;
}

void TruePeakLimiter::trackGainSlope() {
  track_slope_ = true;
  box_slope_.assign(box_.size(), 0.0);  // the slopes of box_'s entries, all 0 before the first write
}

GainSlope TruePeakLimiter::gainSlope() const {
  GainSlope s;
  for (const double lane : energy_lanes_) s.energy += lane;
  for (const double lane : pinned_lanes_) s.pinned += lane;
  return s;
}

// Mono and stereo in loops of their own, which the compiler vectorizes; the
// products are the same either way.
void TruePeakLimiter::interleave(std::int64_t n0, std::int64_t count, const float* g, float* out) const {
  if (channels_ == 1) {
    const float* x = channelAt(0, n0);
    if (!g) std::copy_n(x, count, out);
    else
      for (std::int64_t n = 0; n < count; ++n) out[n] = g[n] * x[n];
  } else if (channels_ == 2) {
    const float* l = channelAt(0, n0);
    const float* r = channelAt(1, n0);
    if (!g) {
      for (std::int64_t n = 0; n < count; ++n) out[2 * n] = l[n], out[2 * n + 1] = r[n];
    } else {
      for (std::int64_t n = 0; n < count; ++n) out[2 * n] = g[n] * l[n], out[2 * n + 1] = g[n] * r[n];
    }
  } else {
    for (std::int64_t c = 0; c < channels_; ++c) {
      const float* x = channelAt(c, n0);
      for (std::int64_t n = 0; n < count; ++n) out[n * channels_ + c] = g ? g[n] * x[n] : x[n];
    }
  }
}

void TruePeakLimiter::process() {
  const std::int64_t end = buf_start_ + buf_frames_;
  const std::int64_t first_out = std::max<std::int64_t>(0, next_t_ - delay_);
  const std::int64_t last_out = std::min(end - delay_, frames_in_);
  out_.samples.resize(last_out > first_out ? static_cast<std::size_t>((last_out - first_out) * channels_) : 0);
  float* y = out_.samples.data();
  // Written before they are read, block by block: not zeroed (that was a
  // tenth of this function's time).
  std::array<double, kBlock> required, gain, slope;
  std::array<float, kBlock> g;  // float: its rounding is far inside the margin

  for (std::int64_t t = next_t_; t < end;) {
    const std::int64_t stop = std::min(end, t + kBlock);
    const std::int64_t count = stop - t;
    if (const std::int64_t loud = lastLoud(t, stop); loud >= 0) last_loud_ = loud;
    // Interval s = t - kAfter reads frames t - kTaps + 1 .. t. Far from any
    // loud frame no interval can exceed the ceiling, and with no reduction
    // pending the gain is exactly 1: the frames pass untouched.
    const bool near_loud = last_loud_ >= t - (kTaps - 1);
    if (near_loud) requiredGains(t - kAfter, count, required.data());
    const bool unity = !near_loud && idle_;
    if (!unity && !near_loud) std::fill(required.begin(), required.end(), 1.0);
    if (!unity && track_slope_) gains<true>(t - kAfter, count, required.data(), gain.data(), slope.data());
    else if (!unity) gains<false>(t - kAfter, count, required.data(), gain.data(), nullptr);

    // Output frames n0 .. n1 - 1; frame n's gain is gain[n - (t - delay_)].
    const std::int64_t n0 = std::max(t - delay_, first_out), n1 = std::min(stop - delay_, last_out);
    if (!unity && n1 > n0) {
      const double* v = gain.data() + (n0 - (t - delay_));
      const std::int64_t count_out = n1 - n0;
      for (std::int64_t k = 0; k < count_out; ++k) g[static_cast<std::size_t>(k)] = static_cast<float>(v[k]);
      // The least gain in four running minima: one frame's comparison need
      // not wait for the last's (a chain of them was a fifth of this function).
      double m0 = min_gain_, m1 = m0, m2 = m0, m3 = m0;
      std::int64_t k = 0;
      for (; k + 4 <= count_out; k += 4)
        m0 = std::min(m0, v[k]), m1 = std::min(m1, v[k + 1]), m2 = std::min(m2, v[k + 2]), m3 = std::min(m3, v[k + 3]);
      for (; k < count_out; ++k) m0 = std::min(m0, v[k]);
      min_gain_ = std::min(std::min(m0, m1), std::min(m2, m3));
    }
    if (n1 > n0) interleave(n0, n1 - n0, unity ? nullptr : g.data(), y);
    if (track_slope_ && n1 > n0)
      addToSlope(n0, n1 - n0, y, unity ? nullptr : gain.data() + (n0 - (t - delay_)),
                 unity ? nullptr : slope.data() + (n0 - (t - delay_)));
    if (n1 > n0) y += (n1 - n0) * channels_;
    t = stop;
  }
  next_t_ = end;
  if (!out_.samples.empty()) next_.write(out_);
}

}  // namespace warta::audio
