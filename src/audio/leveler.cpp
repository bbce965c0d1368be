// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/leveler.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

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
  // Clip k of `frames` is emitted as clip first + k.
  ClipSplitter(std::vector<std::size_t> frames, int rate, int channels, std::function<void(std::size_t, Audio&&)> emit,
               std::size_t first = 0)
      : frames_(std::move(frames)), emit_(std::move(emit)), current_{{}, rate, channels}, first_(first) {
    // Room for the longest clip at once: grown clip by clip, the buffer was
    // reallocated (fresh pages, a copy) every time a longer one came.
    if (!frames_.empty())
      current_.samples.reserve(*std::max_element(frames_.begin(), frames_.end()) * static_cast<std::size_t>(channels));
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
        emit_(first_ + next_++, std::move(current_));  // kept for the next clip unless `emit` takes it
        current_.samples.clear();
        skipEmpty();
      }
    }
  }
  void finish() override {}

 private:
  void skipEmpty() {
    while (next_ < frames_.size() && frames_[next_] == 0)
      emit_(first_ + next_++, Audio{{}, current_.sample_rate, current_.channels});
  }
  std::vector<std::size_t> frames_;
  std::function<void(std::size_t, Audio&&)> emit_;
  Audio current_;
  std::size_t first_;
  std::size_t next_ = 0;
};

// A trial pass's limited clips with their pauses put back, as one stream to
// `next` (a HeardMeter): nothing is held.
class PauseSpacer : public AudioSink {
 public:
  // With `pause_after_last`, the last clip's pause is written too (a piece
  // that is not the element's last).
  PauseSpacer(AudioSink& next, const std::vector<std::size_t>& frames, const std::vector<double>& pauses, int rate,
              int channels, bool pause_after_last = false)
      : next_(next), frames_(frames), pauses_(pauses), piece_{{}, rate, channels}, pause_after_last_(pause_after_last) {
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
    if ((i + 1 < frames_.size() || pause_after_last_) && i < pauses_.size())
      next_.write(Audio::silence(pauses_[i], piece_.sample_rate, piece_.channels));
  }
  void skipEmpty() {
    while (next_clip_ < frames_.size() && frames_[next_clip_] == 0) pauseAfter(next_clip_++);
  }
  AudioSink& next_;
  const std::vector<std::size_t>& frames_;
  const std::vector<double>& pauses_;
  Audio piece_;  // reused: one copy per piece, no allocation once it has grown
  bool pause_after_last_;
  std::size_t next_clip_ = 0, done_ = 0;
};

// Runs job(k) for every k < n on up to `threads` threads (this one among
// them); the first failure stops the others taking more and is rethrown.
void forEach(std::size_t n, int threads, const std::function<void(std::size_t)>& job) {
  const std::size_t count = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(threads, 1)));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr failed;
  std::mutex lock;
  const auto work = [&] {
    for (std::size_t k; !stop && (k = next++) < n;) {
      try {
        job(k);
      } catch (...) {
        std::lock_guard<std::mutex> hold(lock);
        if (!failed) failed = std::current_exception();
        stop = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < count; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failed) std::rethrow_exception(failed);
}

}  // namespace

double findLimitedGain(double first, const std::function<LimitedTrial(double)>& trial) {
  // 0.02 LU is well inside what any meter resolves (0.1 LU).
  constexpr double kTolerance = 0.02;
  // A step on a measured slope this small (LU) is taken without a trial
  // after it. The slope falls a little as the gain rises, so a step from a
  // trial's own slope overshoots by about the square of its size: on the
  // bench bulletin's stories (first trials 0.14 to 0.22 LU short) it landed
  // within 0.006 LU of where a second trial's secant step did, so 0.3 LU
  // lands within about 0.015.
  constexpr double kUnmeasuredStep = 0.3;
  constexpr int kMaxSteps = 6;
  // Limiting only takes loudness away, so a slope outside (0.2, 1] is a measurement's noise.
  const auto plausible = [](double slope) { return slope > 0.2 && slope <= 1.0; };
  double gain = first, previous_gain = 0, previous_error = 0;
  for (int step = 0; step < kMaxSteps; ++step) {
    const LimitedTrial t = trial(gain);
    const double e = t.error;
    if (!std::isfinite(e) || std::abs(e) <= kTolerance) return gain;
    // The trial's own slope; else the secant of the last two trials; else 1 (a plain gain).
    double slope = 1.0;
    bool measured = false;
    if (plausible(t.slope)) {
      slope = t.slope, measured = true;
    } else if (step > 0 && gain != previous_gain) {
      const double secant = (previous_error - e) / (gain - previous_gain);
      if (plausible(secant)) slope = secant, measured = true;
    }
    previous_gain = gain;
    previous_error = e;
    gain += e / slope;
    if (measured && std::abs(e) <= kUnmeasuredStep) return gain;
  }
  return gain;
}

std::vector<std::size_t> levelPieces(const std::vector<std::size_t>& frames, const std::vector<double>& pauses,
                                     int rate) {
  std::vector<std::size_t> starts = {0};
  if (rate <= 0) return starts;
  // Seconds of clip i with the pause after it (the last clip's is unused).
  const auto seconds = [&](std::size_t i) {
    return static_cast<double>(frames[i]) / rate + (i + 1 < frames.size() && i < pauses.size() ? pauses[i] : 0.0);
  };
  double left = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) left += seconds(i);
  double piece = 0;
  for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
    piece += seconds(i);
    left -= seconds(i);
    if (piece >= kLevelPieceSeconds && left >= kLevelPieceSeconds) starts.push_back(i + 1), piece = 0;
  }
  return starts;
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
// A long element goes in pieces: every pass (measure, trials, the last)
// treats each piece as its own stream, the same whatever the threads, and
// judges the loudness of all of them gated together.
double levelClips(const ClipSource& source, int out_channels, double target, double ceiling,
                  const std::function<void(std::size_t, Audio&&)>& emit, int out_rate, int threads) {
  if (source.count == 0) return -HUGE_VAL;
  const bool known = source.frames.size() == source.count && source.rate > 0 && source.channels > 0;
  std::vector<std::size_t> frames = source.frames;
  int rate = source.rate, channels = source.channels;
  // Pieces [starts[p], starts[p + 1]) of clips; one when the lengths are not known.
  const std::vector<std::size_t> starts =
      known ? levelPieces(frames, source.pauses, rate) : std::vector<std::size_t>{0};
  const std::size_t pieces = starts.size();
  const auto first = [&](std::size_t p) { return starts[p]; };
  const auto end = [&](std::size_t p) { return p + 1 < pieces ? starts[p + 1] : source.count; };
  const auto pauseAfter = [&](std::size_t i) { return i + 1 < source.count && i < source.pauses.size(); };
  const auto measuredTogether = [&](const std::vector<const LoudnessMeter*>& meters) {
    return meters.size() == 1 ? meters.front()->integrated() : combinedIntegrated(meters);
  };
  // The loudness as it stands: one meter per piece.
  std::vector<std::optional<LoudnessMeter>> raw_meters(pieces);
  if (!known) frames.clear();
  forEach(pieces, threads, [&](std::size_t p) {
    std::optional<LoudnessMeter>& meter = raw_meters[p];
    Audio c;
    for (std::size_t i = first(p); i < end(p); ++i) {
      source.read(i, c);
      if (!known) frames.push_back(c.frames());
      if (!meter) {
        if (!known) rate = c.sample_rate, channels = c.channels;
        meter.emplace(rate, channels, LoudnessMeter::Measure::Loudness);
      }
      if (!c.empty()) meter->add(c);
      if (pauseAfter(i)) meter->add(Audio::silence(source.pauses[i], rate, channels));
    }
  });
  std::vector<const LoudnessMeter*> raw_all;
  for (const auto& m : raw_meters) raw_all.push_back(&*m);
  const double raw = frames.front() == 0 ? -HUGE_VAL : measuredTogether(raw_all);
  if (!std::isfinite(raw) || raw < -69.0) {
    for (std::size_t i = 0; i < source.count; ++i) {
      Audio c;
      source.read(i, c);
      emit(i, std::move(c));
    }
    return -HUGE_VAL;
  }
  // The target as the clips' own channels read it: mono on two speakers
  // reads 3.01 dB louder (BS.1770 sums the channels' powers).
  if (channels == 1 && out_channels == 2) target -= 10.0 * std::log10(2.0);
  // Piece p's clips and pauses, as the passes see them.
  std::vector<std::vector<std::size_t>> piece_frames(pieces);
  std::vector<std::vector<double>> piece_pauses(pieces);
  for (std::size_t p = 0; p < pieces; ++p) {
    piece_frames[p].assign(frames.begin() + static_cast<std::ptrdiff_t>(first(p)),
                           frames.begin() + static_cast<std::ptrdiff_t>(end(p)));
    for (std::size_t i = first(p); i < end(p); ++i)
      piece_pauses[p].push_back(i < source.pauses.size() ? source.pauses[i] : 0.0);
  }
  // One limiter pass over piece p at `gain` into `out`; a trial's also
  // estimates its gain slope into `slope`.
  auto limited = [&](std::size_t p, double gain, AudioSink& out, GainSlope* slope = nullptr) {
    TruePeakLimiter limiter(out, rate, channels, ceiling);
    if (slope) limiter.trackGainSlope();
    Audio c;
    for (std::size_t i = first(p); i < end(p); ++i) {
      source.read(i, c);
      applyGain(c, gain);
      limiter.write(c);
    }
    limiter.finish();
    if (slope) *slope = limiter.gainSlope();
  };
  // The trials are heard at the output's rate (HeardMeter).
  const int heard_rate = out_rate > 0 ? out_rate : rate;
  const double gain = findLimitedGain(target - raw, [&](double trial) {
    std::vector<std::optional<HeardMeter>> heard(pieces);
    std::vector<GainSlope> slopes(pieces);
    forEach(pieces, threads, [&](std::size_t p) {
      heard[p].emplace(rate, channels, heard_rate);
      PauseSpacer spaced(*heard[p], piece_frames[p], piece_pauses[p], rate, channels, end(p) < source.count);
      limited(p, trial, spaced, &slopes[p]);
    });
    GainSlope slope;
    for (const auto& s : slopes) slope += s;
    std::vector<const LoudnessMeter*> heard_all;
    for (const auto& h : heard) heard_all.push_back(&h->meter());
    return LimitedTrial{target - measuredTogether(heard_all), slope.dbPerDb()};
  });
  // The last pass is the limiter alone: cheap, and in order for `emit`.
  for (std::size_t p = 0; p < pieces; ++p) {
    ClipSplitter split(piece_frames[p], rate, channels, emit, first(p));
    limited(p, gain, split);
  }
  return raw;
}

HeardMeter::HeardMeter(int rate, int channels, int heard_rate)
    : meter_(heard_rate < rate ? heard_rate : rate, channels, LoudnessMeter::Measure::Loudness,
             heard_rate < rate ? 0 : heard_rate),
      to_meter_(meter_) {
  if (heard_rate < rate) converter_.emplace(to_meter_, rate, channels, heard_rate, channels);
}

void HeardMeter::write(const Audio& chunk) { converter_ ? converter_->write(chunk) : to_meter_.write(chunk); }

void HeardMeter::finish() { converter_ ? converter_->finish() : to_meter_.finish(); }

Audio levelClip(Audio clip, int out_channels, double target_lufs, double ceiling_dbtp, int out_rate, double* measured) {
  const ClipSource one{
      1, [&](std::size_t, Audio& out) { out = clip; }, {}, {clip.frames()}, clip.sample_rate, clip.channels};
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
  std::vector<std::int16_t>& pcm = pcm_;
  pcm.resize(clip.samples.size());
  for (std::size_t i = 0; i < pcm.size(); ++i)
    pcm[i] = floatToPcm16(clip.samples[i]);  // eSpeak's samples: 16-bit already, nothing to dither
  offsets_.push_back(written_);
  frames_.push_back(pcm.size());
  longest_ = std::max(longest_, pcm.size());
  if (std::fseek(file_.get(), static_cast<long>(written_ * 2), SEEK_SET) != 0 ||
      std::fwrite(pcm.data(), 2, pcm.size(), file_.get()) != pcm.size() ||
      std::fflush(file_.get()) != 0)  // clip() reads the descriptor, past the stream's buffer
    throw AudioError(std::string("cannot write speech to a temporary file: ") + std::strerror(errno));
  written_ += pcm.size();
}

void ClipSpool::read(std::size_t i, Audio& out) const {
  thread_local std::vector<std::int16_t> pcm;  // reused: one per reading thread
  // Room for the longest clip at once: grown clip by clip, both buffers were
  // reallocated (fresh pages) every time a longer one came, in every pass.
  if (pcm.capacity() < longest_) pcm.reserve(longest_);
  if (out.samples.capacity() < longest_) out.samples.reserve(longest_);
  pcm.resize(frames_.at(i));
  // pread, not the stream: leveling in pieces reads clips from several threads.
  const auto bytes = static_cast<ssize_t>(pcm.size() * 2);
  if (pcm.size() > 0 && ::pread(fileno(file_.get()), pcm.data(), static_cast<std::size_t>(bytes),
                                static_cast<off_t>(offsets_[i] * 2)) != bytes)
    throw AudioError("cannot read speech back from its temporary file");
  out.sample_rate = rate_;
  out.channels = 1;
  out.samples.resize(pcm.size());
  std::transform(pcm.begin(), pcm.end(), out.samples.begin(), pcm16ToFloat);
}

}  // namespace warta::audio
