// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/gating_blocks.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>
#include <tuple>
#include <utility>

#include "audio/audio.h"

namespace warta::audio {

namespace {

// BS.1770-4's K-weighting as two analogue prototypes, bilinear-transformed
// for the rate with the frequency prewarped: a high shelf of +4 dB around
// 1.7 kHz (the head's effect), then a second-order high-pass at 38 Hz (the
// RLB curve). These parameters reproduce the standard's 48 kHz coefficients
// to their printed digits; at other rates they give the same curve, where
// the 48 kHz table alone would not.
constexpr double kShelfHz = 1681.974450955533, kShelfGainDb = 3.999843853973347, kShelfQ = 0.7071752369554196;
constexpr double kShelfBandExponent = 0.4996667741545416;  // the shelf's mid-band gain: Vh to this power
constexpr double kHighPassHz = 38.13547087602444, kHighPassQ = 0.5003270373238773;

// BS.1770's G: 1 for left, right and centre, 1.41 for the surrounds, the LFE
// not measured; libebur128's default layouts by channel count (1..3 and 6 or
// more: L R C LFE Ls Rs, the rest not measured; 4: L R Ls Rs; 5: L R C Ls Rs).
double channelWeight(int channels, int c) {
  if (channels == 4) return c < 2 ? 1.0 : 1.41;
  if (channels == 5) return c < 3 ? 1.0 : 1.41;
  constexpr double kDefault[] = {1.0, 1.0, 1.0, 0.0, 1.41, 1.41};
  return c < 6 ? kDefault[c] : 0.0;
}

// The high-passes' gains are compared here: far above 38 Hz, below any
// Nyquist frequency a meter is made for.
constexpr double kPassbandHz = 1000.0;

}  // namespace

// BS.1770's shelf and high-pass at `rate`.
std::pair<GatingBlockMeter::Biquad, GatingBlockMeter::Biquad> GatingBlockMeter::kWeighting(int sample_rate) {
  const double rate = sample_rate;
  Biquad shelf{}, high_pass{};
  {
    const double k = std::tan(M_PI * kShelfHz / rate);
    const double vh = std::pow(10.0, kShelfGainDb / 20.0);
    const double vb = std::pow(vh, kShelfBandExponent);
    const double a0 = 1.0 + k / kShelfQ + k * k;
    shelf = {(vh + vb * k / kShelfQ + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / kShelfQ + k * k) / a0,
             2.0 * (k * k - 1.0) / a0, (1.0 - k / kShelfQ + k * k) / a0};
  }
  {
    // The standard's high-pass keeps the numerator 1, -2, 1 unscaled.
    const double k = std::tan(M_PI * kHighPassHz / rate);
    const double a0 = 1.0 + k / kHighPassQ + k * k;
    high_pass = {1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / kHighPassQ + k * k) / a0};
  }
  return {shelf, high_pass};
}

// |H| of `f` at `hz` for a filter run at `rate`.
double GatingBlockMeter::response(const Biquad& f, double hz, int rate) {
  const std::complex<double> z = std::polar(1.0, -2.0 * M_PI * hz / rate);
  return std::abs((f.b0 + f.b1 * z + f.b2 * z * z) / (1.0 + f.a1 * z + f.a2 * z * z));
}

GatingBlockMeter::GatingBlockMeter(int sample_rate, int channels, int heard_rate) : channels_(channels) {
  if (sample_rate < 16 || sample_rate > 2822400 || channels < 1 || channels > 64)
    throw AudioError("loudness meter: cannot measure " + std::to_string(sample_rate) + " Hz, " +
                     std::to_string(channels) + " channels (1..64 channels, 16 Hz..2.8224 MHz)");
  if (heard_rate != 0 && (heard_rate < sample_rate || heard_rate > 2822400))
    throw AudioError("loudness meter: cannot measure " + std::to_string(sample_rate) + " Hz audio as heard at " +
                     std::to_string(heard_rate) + " Hz (0, or " + std::to_string(sample_rate) + " Hz to 2.8224 MHz)");
  step_ = (sample_rate + 5) / 10;
  std::tie(shelf_, high_pass_) = kWeighting(sample_rate);
  if (heard_rate > sample_rate) {
    // The rates' high-passes differ by a gain across their passbands (their
    // numerators are unscaled): put the heard rate's on the shelf.
    const Biquad heard_high_pass = kWeighting(heard_rate).second;
    const double g =
        response(heard_high_pass, kPassbandHz, heard_rate) / response(high_pass_, kPassbandHz, sample_rate);
    shelf_.b0 *= g, shelf_.b1 *= g, shelf_.b2 *= g;
  }
  weight_.resize(static_cast<std::size_t>(channels));
  for (int c = 0; c < channels; ++c) weight_[static_cast<std::size_t>(c)] = channelWeight(channels, c);
  state_.resize(static_cast<std::size_t>(channels));
}

// One sample through the shelf and the high-pass, for one channel (double)
// or a pair of them (Pair). In each filter the previous output's term is
// added last: it is the only one the next sample waits for.
// The high-pass's numerator is 1, -2, 1 (the constructor's): its three
// products are exact, so they are written as what they are, the same bits
// in the same order without three multiplies a sample.
template <typename T>
T GatingBlockMeter::kWeighted(const Biquad& s, const Biquad& h, Memory<T>& z, T x) {
  const T y = s.b0 * x + s.b1 * z.x1 + s.b2 * z.x2 - s.a2 * z.y2 - s.a1 * z.y1;
  const T u = y - 2.0 * z.y1 + z.y2 - h.a2 * z.u2 - h.a1 * z.u1;
  z.x2 = z.x1, z.x1 = x, z.y2 = z.y1, z.y1 = y, z.u2 = z.u1, z.u1 = u;
  return u;
}

// A run of frames inside one step. Mono keeps its state in registers,
// stereo both channels' in one SSE2 pair each (GCC's vector extension: plain
// scalar code where the target has no such registers), other counts read it
// from memory. Each frame's weighted squares are summed in channel order,
// then added to the step's sum: the same rounding whichever way runs, and
// however the audio is cut.
void GatingBlockMeter::run(const float* samples, std::size_t frames) {
  const Biquad s = shelf_, h = high_pass_;
  double energy = step_energy_;
  // Mono and stereo weigh 1 a channel (libebur128's layouts), so their loops
  // leave out a multiply that changes nothing; any other weights take the
  // general loop.
  if (channels_ == 1 && weight_[0] == 1.0) {
    Memory<double> z = state_[0];
    for (std::size_t i = 0; i < frames; ++i) {
      const double u = kWeighted(s, h, z, static_cast<double>(samples[i]));
      energy += u * u;
    }
    state_[0] = z;
  } else if (channels_ == 2 && weight_[0] == 1.0 && weight_[1] == 1.0) {
    Memory<Pair> z;
    for (int c = 0; c < 2; ++c) {
      const Memory<double>& m = state_[static_cast<std::size_t>(c)];
      z.x1[c] = m.x1, z.x2[c] = m.x2, z.y1[c] = m.y1, z.y2[c] = m.y2, z.u1[c] = m.u1, z.u2[c] = m.u2;
    }
    for (std::size_t i = 0; i < frames; ++i, samples += 2) {
      const Pair u = kWeighted(s, h, z, Pair{samples[0], samples[1]});
      energy += u[0] * u[0] + u[1] * u[1];
    }
    for (int c = 0; c < 2; ++c)
      state_[static_cast<std::size_t>(c)] = {z.x1[c], z.x2[c], z.y1[c], z.y2[c], z.u1[c], z.u2[c]};
  } else {
    for (std::size_t i = 0; i < frames; ++i, samples += channels_) {
      double frame_energy = 0;
      for (std::size_t c = 0; c < state_.size(); ++c) {
        const double u = kWeighted(s, h, state_[c], static_cast<double>(samples[c]));
        frame_energy += weight_[c] * (u * u);
      }
      energy += frame_energy;
    }
  }
  step_energy_ = energy;
}

void GatingBlockMeter::add(const float* samples, std::size_t frames, std::vector<double>& blocks) {
  while (frames > 0) {
    const auto n =
        static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(frames), step_ - in_step_));
    run(samples, n);
    samples += n * static_cast<std::size_t>(channels_);
    frames -= n;
    in_step_ += static_cast<std::int64_t>(n);
    if (in_step_ < step_) continue;
    // A step is complete: with the three before it, a 400 ms block.
    if (steps_done_ == 3)
      blocks.push_back((last_steps_[0] + last_steps_[1] + last_steps_[2] + step_energy_) /
                       static_cast<double>(4 * step_));
    else ++steps_done_;
    last_steps_ = {last_steps_[1], last_steps_[2], step_energy_};
    step_energy_ = 0;
    in_step_ = 0;
  }
}

double GatingBlockMeter::addEnergy(const float* samples, std::size_t frames, double energy) {
  step_energy_ = energy;
  run(samples, frames);
  energy = step_energy_;
  step_energy_ = 0;
  return energy;
}

double gatedLoudness(const std::vector<double>& energies) {
  const double absolute = std::pow(10.0, (-70.0 + 0.691) / 10.0);
  double sum = 0;
  std::size_t n = 0;
  for (double e : energies)
    if (e >= absolute) sum += e, ++n;
  if (n == 0) return -HUGE_VAL;
  const double relative = sum / static_cast<double>(n) * std::pow(10.0, -10.0 / 10.0);
  double gated = 0;
  std::size_t kept = 0;
  for (double e : energies)
    if (e >= absolute && e >= relative) gated += e, ++kept;
  if (kept == 0) return -HUGE_VAL;
  return 10 * (std::log(gated / static_cast<double>(kept)) / std::log(10.0)) - 0.691;  // as libebur128 writes it
}

}  // namespace warta::audio
