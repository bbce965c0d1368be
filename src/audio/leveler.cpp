// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/leveler.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "audio/convert.h"
#include "audio/pcm16.h"
#include "audio/edit.h"
#include "audio/limiter.h"
#include "audio/loudness.h"

namespace warta::audio {

namespace {

// Cuts a stream back into clips of the given frame counts, in order.
class ClipSplitter : public AudioSink {
 public:
  ClipSplitter(std::vector<std::size_t> frames, int rate, int channels, std::function<void(std::size_t, Audio&&)> emit)
      : frames_(std::move(frames)), emit_(std::move(emit)), current_{{}, rate, channels} {
    skipEmpty();
  }
  void write(const Audio& chunk) override {
    const auto width = static_cast<std::size_t>(current_.channels);
    for (std::size_t at = 0; at < chunk.samples.size() && next_ < frames_.size();) {
      const std::size_t want = frames_[next_] * width - current_.samples.size();
      const std::size_t n = std::min(want, chunk.samples.size() - at);
      current_.samples.insert(current_.samples.end(), chunk.samples.begin() + static_cast<std::ptrdiff_t>(at),
                              chunk.samples.begin() + static_cast<std::ptrdiff_t>(at + n));
      at += n;
      if (current_.samples.size() == frames_[next_] * width) {
        emit_(next_++, std::move(current_));
        current_.samples.clear();
        skipEmpty();
      }
    }
  }
  void finish() override {}

 private:
  void skipEmpty() {
    while (next_ < frames_.size() && frames_[next_] == 0)
      emit_(next_++, Audio{{}, current_.sample_rate, current_.channels});
  }
  std::vector<std::size_t> frames_;
  std::function<void(std::size_t, Audio&&)> emit_;
  Audio current_;
  std::size_t next_ = 0;
};

// A trial pass's limited clips with their pauses put back, as one stream to
// `next` (the converter to the output rate, or the meter): nothing is held.
class PauseSpacer : public AudioSink {
 public:
  PauseSpacer(AudioSink& next, const std::vector<std::size_t>& frames, const std::vector<double>& pauses, int rate,
              int channels)
      : next_(next), frames_(frames), pauses_(pauses), piece_{{}, rate, channels} {
    skipEmpty();
  }
  void write(const Audio& chunk) override {
    const auto width = static_cast<std::size_t>(piece_.channels);
    for (std::size_t at = 0; at < chunk.samples.size() && next_clip_ < frames_.size();) {
      const std::size_t n = std::min((frames_[next_clip_] - done_) * width, chunk.samples.size() - at);
      piece_.samples.assign(chunk.samples.begin() + static_cast<std::ptrdiff_t>(at),
                            chunk.samples.begin() + static_cast<std::ptrdiff_t>(at + n));
      next_.write(piece_);
      at += n;
      done_ += n / width;
      if (done_ == frames_[next_clip_]) {
        pauseAfter(next_clip_++);
        skipEmpty();
      }
    }
  }
  void finish() override { next_.finish(); }

 private:
  void pauseAfter(std::size_t i) {
    done_ = 0;
    if (i + 1 < frames_.size() && i < pauses_.size())
      next_.write(Audio::silence(pauses_[i], piece_.sample_rate, piece_.channels));
  }
  void skipEmpty() {
    while (next_clip_ < frames_.size() && frames_[next_clip_] == 0) pauseAfter(next_clip_++);
  }
  AudioSink& next_;
  const std::vector<std::size_t>& frames_;
  const std::vector<double>& pauses_;
  Audio piece_;  // reused: one copy per piece, no allocation once it has grown
  std::size_t next_clip_ = 0, done_ = 0;
};

}  // namespace

double findLimitedGain(double first, const std::function<double(double)>& error) {
  // 0.02 LU is well inside what any meter resolves (0.1 LU).
  constexpr double kTolerance = 0.02;
  // A secant step this small (LU) is taken without a trial after it: the
  // limited loudness bends so little over it that it lands far inside kTolerance.
  constexpr double kUnmeasuredStep = 0.1;
  constexpr int kMaxSteps = 6;
  double gain = first, previous_gain = 0, previous_error = 0;
  for (int step = 0; step < kMaxSteps; ++step) {
    const double e = error(gain);
    if (!std::isfinite(e) || std::abs(e) <= kTolerance) return gain;
    // The slope of the limited loudness over the gain, from the last two
    // trials; 1 (a plain gain) until there are two. Limiting only takes
    // loudness away, so a slope outside (0.2, 1] is a measurement's noise.
    double slope = 1.0;
    if (step > 0 && gain != previous_gain) {
      const double measured = (previous_error - e) / (gain - previous_gain);
      if (measured > 0.2 && measured <= 1.0) slope = measured;
    }
    previous_gain = gain;
    previous_error = e;
    gain += e / slope;
    if (step > 0 && slope < 1.0 && std::abs(e) <= kUnmeasuredStep) return gain;
  }
  return gain;
}

// Loudness is measured with the pauses, because the 400 ms blocks that
// straddle a pause count too (leaving them out reads a story about 0.2 LU
// louder than it is), at the clips' own rate and channels (conversion costs
// more than the metering; eSpeak's 22.05 kHz reads within 0.1 LU of the same
// speech at 44.1 kHz). The limiter takes a little loudness away, so the gain
// is found by measuring the limited clips themselves (the limiter is
// deterministic: the last pass gives the samples a trial pass measured) and
// correcting until they read the target. A make-up gain after the limiter,
// as this did before, put peaks back over the ceiling, and the programme's
// own limiter then took the loudness away again (WAV read 0.3 LU short).
double levelClips(const ClipSource& source, int out_channels, double target, double ceiling,
                  const std::function<void(std::size_t, Audio&&)>& emit, int out_rate) {
  if (source.count == 0) return -HUGE_VAL;
  std::vector<std::size_t> frames;
  int rate = 0, channels = 0;
  std::optional<LoudnessMeter> meter;
  for (std::size_t i = 0; i < source.count; ++i) {
    const Audio c = source.clip(i);
    frames.push_back(c.frames());
    if (!meter) {
      rate = c.sample_rate;
      channels = c.channels;
      meter.emplace(rate, channels, LoudnessMeter::Measure::Loudness);
    }
    if (!c.empty()) meter->add(c);
    if (i + 1 < source.count && i < source.pauses.size()) meter->add(Audio::silence(source.pauses[i], rate, channels));
  }
  const double raw = frames.front() == 0 ? -HUGE_VAL : meter->integrated();
  if (!std::isfinite(raw) || raw < -69.0) {
    for (std::size_t i = 0; i < source.count; ++i) emit(i, source.clip(i));
    return -HUGE_VAL;
  }
  // The target as the clips' own channels read it: mono on two speakers
  // reads 3.01 dB louder (BS.1770 sums the channels' powers).
  if (channels == 1 && out_channels == 2) target -= 10.0 * std::log10(2.0);
  // One limiter pass at `gain` into `out`.
  auto limited = [&](double gain, AudioSink& out) {
    TruePeakLimiter limiter(out, rate, channels, ceiling);
    for (std::size_t i = 0; i < source.count; ++i) {
      Audio c = source.clip(i);
      applyGain(c, gain);
      limiter.write(c);
    }
    limiter.finish();
  };
  // The trials are heard at the output's rate, converted as the mixer
  // converts them: BS.1770's K-weighting at eSpeak's 22.05 kHz reads speech
  // about 0.1 LU louder than the same speech at 44.1 kHz (measured on `say`
  // of samples/articles/panen-raya.txt: -19.0 against -19.12 LUFS). The clips
  // and pauses go through one converter as one stream, not a converter per
  // clip as the mixer does: that differs only in the filter's ringing at a
  // clip's edges, and read the 13 stories of scripts/make-bench-bulletin.py
  // the same to 0.00001 LU, at a fraction of the cost (a resampler's set-up
  // and buffers per clip and pass were a tenth of a render's CPU).
  const int heard_rate = out_rate > 0 ? out_rate : rate;
  const double gain = findLimitedGain(target - raw, [&](double trial) {
    LoudnessMeter heard(heard_rate, channels, LoudnessMeter::Measure::Loudness);
    MeterSink to_meter(heard);
    std::optional<StreamConverter> converter;
    if (heard_rate != rate) converter.emplace(to_meter, rate, channels, heard_rate, channels);
    PauseSpacer spaced(converter ? static_cast<AudioSink&>(*converter) : to_meter, frames, source.pauses, rate,
                       channels);
    limited(trial, spaced);
    return target - heard.integrated();
  });
  ClipSplitter split(frames, rate, channels, emit);
  limited(gain, split);
  return raw;
}

Audio levelClip(Audio clip, int out_channels, double target_lufs, double ceiling_dbtp, int out_rate, double* measured) {
  const ClipSource one{1, [&](std::size_t) { return clip; }, {}};
  Audio result;
  const double raw = levelClips(
      one, out_channels, target_lufs, ceiling_dbtp, [&](std::size_t, Audio&& c) { result = std::move(c); }, out_rate);
  if (measured) *measured = raw;
  return result;
}

ClipSpool::ClipSpool() : file_(std::tmpfile()) {
  if (!file_) throw AudioError(std::string("cannot create a temporary file for speech: ") + std::strerror(errno));
}

ClipSpool::~ClipSpool() = default;

void ClipSpool::add(const Audio& clip) {
  if (clip.channels > 1) throw AudioError("clip spool: clips must be mono");
  rate_ = clip.sample_rate;
  std::vector<std::int16_t> pcm(clip.samples.size());
  for (std::size_t i = 0; i < pcm.size(); ++i)
    pcm[i] = floatToPcm16(clip.samples[i]);  // eSpeak's samples: 16-bit already, nothing to dither
  offsets_.push_back(written_);
  frames_.push_back(pcm.size());
  if (std::fseek(file_.get(), static_cast<long>(written_ * 2), SEEK_SET) != 0 ||
      std::fwrite(pcm.data(), 2, pcm.size(), file_.get()) != pcm.size())
    throw AudioError(std::string("cannot write speech to a temporary file: ") + std::strerror(errno));
  written_ += pcm.size();
}

Audio ClipSpool::clip(std::size_t i) const {
  std::vector<std::int16_t>& pcm = read_;  // kept: a story reads each clip several times
  pcm.resize(frames_.at(i));
  if (std::fseek(file_.get(), static_cast<long>(offsets_[i] * 2), SEEK_SET) != 0 ||
      std::fread(pcm.data(), 2, pcm.size(), file_.get()) != pcm.size())
    throw AudioError("cannot read speech back from its temporary file");
  Audio a{std::vector<float>(pcm.size()), rate_, 1};
  std::transform(pcm.begin(), pcm.end(), a.samples.begin(), pcm16ToFloat);
  return a;
}

}  // namespace warta::audio
