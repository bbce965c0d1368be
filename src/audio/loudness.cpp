// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/loudness.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace warta::audio {

namespace {

// libebur128 has no strerror; these are its enum's meanings.
std::string errorText(int code) {
  switch (code) {
    case EBUR128_ERROR_NOMEM:
      return "out of memory";
    case EBUR128_ERROR_INVALID_MODE:
      return "invalid mode";
    case EBUR128_ERROR_INVALID_CHANNEL_INDEX:
      return "invalid channel index";
    case EBUR128_ERROR_NO_CHANGE:
      return "no change";
    default:
      return "error " + std::to_string(code);
  }
}

void check(int code, const char* what) {
  if (code != EBUR128_SUCCESS) throw AudioError(std::string("libebur128: ") + what + ": " + errorText(code));
}

double toDb(double linear) { return linear > 0.0 ? 20.0 * std::log10(linear) : -HUGE_VAL; }

}  // namespace

LoudnessMeter::LoudnessMeter(int sample_rate, int channels, Measure what, int heard_rate)
    : blocks_meter_(sample_rate, channels, heard_rate), sample_rate_(sample_rate), channels_(channels) {
  if (heard_rate != 0 && heard_rate != sample_rate && what != Measure::Loudness)
    throw AudioError("loudness meter: peaks are measured at the audio's own rate, not as heard at another");
  if (what == Measure::LoudnessAndPeaks) {
    peaks_.reset(ebur128_init(static_cast<unsigned>(channels), static_cast<unsigned long>(sample_rate),
                              EBUR128_MODE_TRUE_PEAK | EBUR128_MODE_SAMPLE_PEAK));
    if (!peaks_)
      throw AudioError("libebur128: ebur128_init refused " + std::to_string(sample_rate) + " Hz, " +
                       std::to_string(channels) + " channels");
  }
}

void LoudnessMeter::add(const Audio& audio) {
  if (audio.sample_rate != sample_rate_ || audio.channels != channels_)
    throw AudioError("loudness meter: audio is " + std::to_string(audio.sample_rate) + " Hz, " +
                     std::to_string(audio.channels) + " channels; the meter measures " + std::to_string(sample_rate_) +
                     " Hz, " + std::to_string(channels_) + " channels");
  if (audio.frames() == 0) return;
  blocks_meter_.add(audio.samples.data(), audio.frames(), blocks_);
  if (peaks_)
    check(ebur128_add_frames_float(peaks_.get(), audio.samples.data(), audio.frames()), "ebur128_add_frames_float");
  frames_ += audio.frames();
}

double LoudnessMeter::integrated() const { return gatedLoudness(blocks_); }

double LoudnessMeter::truePeakDb() const {
  if (!peaks_) throw AudioError("loudness meter: made to measure loudness only, not true peak");
  double peak = 0.0;
  for (int c = 0; c < channels_; ++c) {
    double p = 0.0;
    check(ebur128_true_peak(peaks_.get(), static_cast<unsigned>(c), &p), "ebur128_true_peak");
    peak = std::max(peak, p);
  }
  return toDb(peak);
}

double LoudnessMeter::samplePeakDb() const {
  if (!peaks_) throw AudioError("loudness meter: made to measure loudness only, not sample peak");
  double peak = 0.0;
  for (int c = 0; c < channels_; ++c) {
    double p = 0.0;
    check(ebur128_sample_peak(peaks_.get(), static_cast<unsigned>(c), &p), "ebur128_sample_peak");
    peak = std::max(peak, p);
  }
  return toDb(peak);
}

double LoudnessMeter::integratedLoudness(const Audio& audio) {
  LoudnessMeter meter(audio.sample_rate, audio.channels, Measure::Loudness);
  meter.add(audio);
  return meter.integrated();
}

double combinedIntegrated(const std::vector<const LoudnessMeter*>& meters) {
  std::vector<double> blocks;
  for (const LoudnessMeter* m : meters) {
    if (m == nullptr) throw AudioError("combinedIntegrated: null loudness meter");
    blocks.insert(blocks.end(), m->blocks_.begin(), m->blocks_.end());
  }
  return gatedLoudness(blocks);
}

double gainToReach(double measured_lufs, double target_lufs) {
  if (!std::isfinite(measured_lufs) || !std::isfinite(target_lufs)) return 0.0;
  return target_lufs - measured_lufs;
}

}  // namespace warta::audio
