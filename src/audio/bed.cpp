// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/bed.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "audio/edit.h"
#include "audio/leveler.h"
#include "audio/loudness.h"

namespace warta::audio {

MemoryBed::MemoryBed(const Audio& bed, int out_rate, int out_channels) {
  if (bed.empty()) throw AudioError("mixer: the music bed is empty");
  bed_ = std::make_shared<const Audio>(convert(bed, out_rate, out_channels));
  if (bed_->empty()) throw AudioError("mixer: the music bed is empty");
}

MemoryBed::MemoryBed(std::shared_ptr<const Audio> loop, std::size_t start_frame) : bed_(std::move(loop)) {
  if (!bed_ || bed_->empty()) throw AudioError("mixer: the music bed is empty");
  at_ = start_frame % bed_->frames();
}

void MemoryBed::read(float* out, std::size_t frames) {
  const auto width = static_cast<std::size_t>(bed_->channels);
  while (frames > 0) {
    const std::size_t n = std::min(frames, bed_->frames() - at_);
    std::memcpy(out, bed_->samples.data() + at_ * width, n * width * sizeof(float));
    out += n * width;
    frames -= n;
    at_ = (at_ + n) % bed_->frames();  // looped
  }
}

std::shared_ptr<const Audio> holdBedLoop(const std::filesystem::path& file, const BedLevel& level, int out_rate,
                                         int out_channels, double ceiling_dbtp) {
  {
    // The header's length, a hint only, spares decoding a long bed (and
    // holding up to kHeldBedSeconds of it) to find out.
    const AudioFileReader header(file);
    if (static_cast<double>(header.announcedFrames()) > (kHeldBedSeconds + 1.0) * header.sampleRate()) return nullptr;
  }
  // Played Once, a BedFile gives one loop of what it repeats (each loop
  // starts afresh: decoder, limiter and converter).
  BedFile once(file, level, out_rate, out_channels, ceiling_dbtp, 0, BedFile::Repeat::Once);
  const auto most = static_cast<std::size_t>(std::ceil(kHeldBedSeconds * out_rate));
  const auto width = static_cast<std::size_t>(out_channels);
  auto loop = std::make_shared<Audio>(Audio{{}, out_rate, out_channels});
  std::vector<float> piece(std::size_t{1} << 15);
  for (std::size_t n; (n = once.readSome(piece.data(), piece.size() / width)) > 0;) {
    if (loop->frames() + n > most) return nullptr;
    loop->samples.insert(loop->samples.end(), piece.begin(), piece.begin() + static_cast<std::ptrdiff_t>(n * width));
  }
  if (loop->empty())
    throw AudioError(file.string() + ": the music bed is empty at " + std::to_string(out_rate) + " Hz");
  return loop;
}

namespace {

// The bed's first `limit` frames, a piece at a time, to `f`.
template <typename F>
void eachPiece(const std::filesystem::path& file, std::size_t limit, F&& f) {
  AudioFileReader reader(file);
  for (Audio piece; !(piece = reader.next(limit - reader.framesRead())).empty();) {
    f(piece);
    if (reader.framesRead() == limit) break;
  }
}

// levelClips (leveler.cpp) for one clip, on the file's first `seconds`
// (all of it when unset), streamed: the same raw measurement, target and
// trial passes (findLimitedGain), so a file measured whole gets exactly the gain
// levelClip gives it.
BedLevel measureStreamed(const std::filesystem::path& file, int out_rate, int out_channels, double target,
                         double ceiling, std::optional<double> seconds) {
  AudioFileReader probe(file);
  const int rate = probe.sampleRate(), channels = probe.channels();
  const std::size_t limit =
      seconds ? static_cast<std::size_t>(std::llround(*seconds * rate)) : std::numeric_limits<std::size_t>::max();
  LoudnessMeter meter(rate, channels, LoudnessMeter::Measure::Loudness);
  for (Audio piece; !(piece = probe.next(limit - probe.framesRead())).empty();) {
    meter.add(piece);
    if (probe.framesRead() == limit) break;
  }
  const double raw = meter.integrated();
  if (!std::isfinite(raw) || raw < -69.0) return {};  // too quiet to level: played as it is
  if (channels == 1 && out_channels == 2) target -= 10.0 * std::log10(2.0);
  const double gain = findLimitedGain(target - raw, [&](double trial) {
    HeardMeter heard(rate, channels, out_rate);
    TruePeakLimiter limiter(heard, rate, channels, ceiling);
    limiter.trackGainSlope();
    eachPiece(file, limit, [&](Audio& piece) {
      applyGain(piece, trial);
      limiter.write(piece);
    });
    limiter.finish();
    return LimitedTrial{target - heard.meter().integrated(), limiter.gainSlope().dbPerDb()};
  });
  return {gain, true, raw};
}

}  // namespace

BedLevel measureBed(const std::filesystem::path& file, int out_rate, int out_channels, double target, double ceiling) {
  return measureStreamed(file, out_rate, out_channels, target, ceiling, kBedMeasureSeconds);
}

BedLevel measureJingle(const std::filesystem::path& file, int out_rate, int out_channels, double target,
                       double ceiling) {
  return measureStreamed(file, out_rate, out_channels, target, ceiling, std::nullopt);
}

BedFile::BedFile(const std::filesystem::path& file, const BedLevel& level, int out_rate, int out_channels,
                 double ceiling, std::size_t start_frame, Repeat repeat)
    : file_(file), level_(level), out_rate_(out_rate), out_channels_(out_channels), ceiling_(ceiling), repeat_(repeat) {
  restart();
  skip(start_frame);
}

BedFile::~BedFile() = default;

void BedFile::restart() {
  limiter_.reset();
  converter_.reset();
  reader_.reset();
  reader_.emplace(file_);
  source_rate_ = reader_->sampleRate();
  source_frames_ = 0;
  fifo_.ended = false;
  converter_ =
      std::make_unique<StreamConverter>(fifo_, reader_->sampleRate(), reader_->channels(), out_rate_, out_channels_);
  if (level_.limited)
    limiter_ = std::make_unique<TruePeakLimiter>(*converter_, reader_->sampleRate(), reader_->channels(), ceiling_);
  loop_out_ = 0;
}

void BedFile::fill() {
  const auto width = static_cast<std::size_t>(out_channels_);
  const std::size_t before = fifo_.samples.size();
  Audio piece = reader_->next();
  source_frames_ = reader_->framesRead();
  AudioSink& first = limiter_ ? static_cast<AudioSink&>(*limiter_) : *converter_;
  if (piece.empty()) {
    first.finish();  // the limiter's held frames and the resampler's tail
  } else {
    if (level_.limited) applyGain(piece, level_.gain_db);
    first.write(piece);
  }
  loop_out_ += (fifo_.samples.size() - before) / width;
  if (fifo_.ended) {
    if (repeat_ == Repeat::Once) {
      loop_frames_ = loop_out_;
      ended_ = true;  // the decoder stays: its count of frames read is the clip's length
      return;
    }
    if (loop_out_ == 0)
      throw AudioError(file_.string() + ": the music bed is empty at " + std::to_string(out_rate_) + " Hz");
    loop_frames_ = loop_out_;
    restart();
  }
}

std::size_t BedFile::readSome(float* out, std::size_t frames) {
  const auto width = static_cast<std::size_t>(out_channels_);
  std::size_t done = 0;
  while (done < frames) {
    while (fifo_.samples.size() == fifo_at_ && !ended_) {
      fifo_.samples.clear();
      fifo_at_ = 0;
      fill();
    }
    if (fifo_.samples.size() == fifo_at_) break;  // played Once to its end
    const std::size_t n = std::min(frames - done, (fifo_.samples.size() - fifo_at_) / width);
    if (out) std::memcpy(out + done * width, fifo_.samples.data() + fifo_at_, n * width * sizeof(float));
    fifo_at_ += n * width;
    done += n;
  }
  return done;
}

void BedFile::read(float* out, std::size_t frames) {
  const std::size_t n = readSome(out, frames);
  if (out && n < frames)  // after a Once file's end: silence
    std::fill(out + n * static_cast<std::size_t>(out_channels_), out + frames * static_cast<std::size_t>(out_channels_),
              0.0f);
}

void BedFile::skip(std::size_t frames) {
  // Decoded and dropped up to the first loop's end; past that only the
  // offset into a loop matters.
  while (frames > 0) {
    const bool had_loop = loop_frames_.has_value();
    const std::size_t n = std::min<std::size_t>(frames, AudioFileReader::kPiece);
    if (readSome(nullptr, n) < n) return;  // a Once file ended
    frames -= n;
    if (!had_loop && loop_frames_) frames %= *loop_frames_;  // the same place in a loop
  }
}

}  // namespace warta::audio
