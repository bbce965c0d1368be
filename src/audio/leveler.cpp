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

}  // namespace

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
  // One limiter pass at `gain`, its clips handed to `out` (with the pauses after them).
  auto limited = [&](double gain, const std::function<void(std::size_t, Audio &&)>& out) {
    ClipSplitter split(frames, rate, channels, out);
    TruePeakLimiter limiter(split, rate, channels, ceiling);
    for (std::size_t i = 0; i < source.count; ++i) {
      Audio c = source.clip(i);
      applyGain(c, gain);
      limiter.write(c);
    }
    limiter.finish();
  };
  // Limiting is monotonic and takes less than the gain adds, so each step
  // lands nearer; 0.02 LU is well inside what any meter resolves (0.1 LU).
  constexpr double kTolerance = 0.02;
  constexpr int kMaxSteps = 6;
  // The trials are heard at the output's rate, each clip converted as the
  // mixer converts it: BS.1770's K-weighting at eSpeak's 22.05 kHz reads
  // speech about 0.1 LU louder than the same speech at 44.1 kHz (measured on
  // `say` of samples/articles/panen-raya.txt: -19.0 against -19.12 LUFS).
  const int heard_rate = out_rate > 0 ? out_rate : rate;
  double gain = target - raw;
  for (int step = 0; step < kMaxSteps; ++step) {
    LoudnessMeter heard(heard_rate, channels, LoudnessMeter::Measure::Loudness);
    limited(gain, [&](std::size_t i, Audio&& c) {
      if (!c.empty()) heard.add(heard_rate == rate ? c : convert(c, heard_rate, channels));
      if (i + 1 < source.count && i < source.pauses.size())
        heard.add(Audio::silence(source.pauses[i], heard_rate, channels));
    });
    const double error = target - heard.integrated();
    if (!std::isfinite(error) || std::abs(error) <= kTolerance) break;
    gain += error;
  }
  limited(gain, emit);
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
  std::vector<std::int16_t> pcm(frames_.at(i));
  if (std::fseek(file_.get(), static_cast<long>(offsets_[i] * 2), SEEK_SET) != 0 ||
      std::fread(pcm.data(), 2, pcm.size(), file_.get()) != pcm.size())
    throw AudioError("cannot read speech back from its temporary file");
  Audio a{std::vector<float>(pcm.size()), rate_, 1};
  for (std::size_t k = 0; k < pcm.size(); ++k) a.samples[k] = pcm16ToFloat(pcm[k]);
  return a;
}

}  // namespace warta::audio
