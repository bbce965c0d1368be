// SPDX-License-Identifier: GPL-3.0-or-later
// The music bed under a bulletin, and the jingles over it, as streams: their
// samples at the output format, in order, never held whole (issue 14: a bed
// of hours, or a jingle of minutes, costs what one of seconds does). A bed
// loops at its end; a jingle plays once.
#pragma once

#include <cstddef>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "audio/audio.h"
#include "audio/audio_file.h"
#include "audio/convert.h"
#include "audio/limiter.h"

namespace warta::audio {

// Where the mixer takes the bed from.
class BedStream {
 public:
  virtual ~BedStream() = default;
  // Fills `out` with the next `frames` frames, interleaved at the stream's
  // channel count; loops forever. Throws AudioError.
  virtual void read(float* out, std::size_t frames) = 0;
};

// Where the mixer takes a streamed clip (a jingle) from.
class ClipStream {
 public:
  virtual ~ClipStream() = default;
  // Fills `out` with up to `frames` frames, interleaved at channels(); fewer
  // only at the clip's end (0 once ended). Throws AudioError.
  virtual std::size_t readSome(float* out, std::size_t frames) = 0;
  virtual int channels() const = 0;
};

// A bed held in memory, converted to the output format once.
class MemoryBed : public BedStream {
 public:
  MemoryBed(const Audio& bed, int out_rate, int out_channels);  // throws AudioError if `bed` is empty
  // One loop already at the output format, shared (read only) with other
  // beds, played from `start_frame` (output frames, modulo its length).
  // Throws AudioError if `loop` is null or empty.
  MemoryBed(std::shared_ptr<const Audio> loop, std::size_t start_frame);
  void read(float* out, std::size_t frames) override;

 private:
  std::shared_ptr<const Audio> bed_;
  std::size_t at_ = 0;  // next frame
};

// How a bed file is leveled, as levelClip levels a jingle: a gain into the
// true-peak limiter, or (a bed too quiet to measure) neither.
struct BedLevel {
  double gain_db = 0;
  bool limited = false;
  // What the bed measured before leveling, LUFS; -inf when too quiet to level
  // (a silent bed: the render reports it).
  double measured_lufs = -std::numeric_limits<double>::infinity();
};

// The bed's loudness is judged on its first kBedMeasureSeconds (the whole
// bed when shorter: then the level is exactly levelClip's on the whole file).
// A bed is a loop of one piece of music; its first minute speaks for the rest,
// and measuring no more keeps the cost of a bed independent of its length.
constexpr double kBedMeasureSeconds = 60.0;

// levelClip's gain for the bed `file` to `target_lufs` under `ceiling_dbtp`
// as heard at `out_rate` on `out_channels`, from its first kBedMeasureSeconds,
// streamed (several passes, a piece at a time). Throws AudioError naming the file.
BedLevel measureBed(const std::filesystem::path& file, int out_rate, int out_channels, double target_lufs,
                    double ceiling_dbtp);

// measureBed on the WHOLE file, streamed: exactly levelClip's gain for the
// file decoded whole (a jingle is leveled as it always was), in memory
// bounded by a piece, in time linear in the file (three to eight passes).
BedLevel measureJingle(const std::filesystem::path& file, int out_rate, int out_channels, double target_lufs,
                       double ceiling_dbtp);

// A bed one loop of which, at the output format, is at most this long is
// held in memory by a render (holdBedLoop) and shared by its chunks, rather
// than decoded, limited and converted again in every chunk: 10.6 MB at
// 44.1 kHz stereo. Longer beds stream (BedFile), whatever their length.
constexpr double kHeldBedSeconds = 30.0;

class BedFile;

// One loop of the bed `file` as BedFile plays it (leveled by `level`,
// limited under `ceiling_dbtp`, converted to `out_rate` and `out_channels`):
// the same samples, for MemoryBed to repeat. Null when a loop is longer than
// kHeldBedSeconds: by the file's header, or (a header that says less than
// the file holds) once that much is decoded. Throws AudioError naming the file.
std::shared_ptr<const Audio> holdBedLoop(const std::filesystem::path& file, const BedLevel& level, int out_rate,
                                         int out_channels, double ceiling_dbtp);

// A bed file decoded as it plays: each loop decodes the file again from its
// start through the gain, the limiter (at the file's own rate, fresh each
// loop, as levelClip limits the whole file once) and the conversion to the
// output format, so every loop is the same samples an in-memory bed repeats.
// Holds a few pieces of 64 Ki frames. The file's checks (audio_file.h) apply
// to every frame decoded. `start_frame` (output frames) starts the bed that
// far in, modulo its length. Throws AudioError naming the file.
// Played Once (a jingle), the file is decoded a single time: readSome() ends
// with it, and read() gives silence after it. The samples are those of
// convert(levelClip(readAudioFile(file))) bit for bit.
class BedFile : public BedStream, public ClipStream {
 public:
  enum class Repeat { Loop, Once };
  BedFile(const std::filesystem::path& file, const BedLevel& level, int out_rate, int out_channels, double ceiling_dbtp,
          std::size_t start_frame = 0, Repeat repeat = Repeat::Loop);
  ~BedFile() override;
  BedFile(const BedFile&) = delete;
  BedFile& operator=(const BedFile&) = delete;

  void read(float* out, std::size_t frames) override;
  std::size_t readSome(float* out, std::size_t frames) override;
  int channels() const override { return out_channels_; }

  // Frames of the file decoded so far (at its own rate), and that rate: once
  // played to its end, the file's length, as readAudioFile's clip.
  std::size_t sourceFrames() const { return source_frames_; }
  int sourceRate() const { return source_rate_; }
  double sourceSeconds() const { return static_cast<double>(source_frames_) / source_rate_; }

  // Output frames per loop, once one loop has been decoded to its end.
  std::optional<std::size_t> loopFrames() const { return loop_frames_; }

 private:
  // Collects the converted samples.
  class Fifo : public AudioSink {
   public:
    void write(const Audio& chunk) override {
      samples.insert(samples.end(), chunk.samples.begin(), chunk.samples.end());
    }
    void finish() override { ended = true; }
    std::vector<float> samples;
    bool ended = false;
  };

  void restart();  // a fresh decoder and stages, at the file's start
  void fill();     // decodes one more piece into fifo_ (or ends the loop)
  void skip(std::size_t frames);

  std::filesystem::path file_;
  BedLevel level_;
  int out_rate_, out_channels_;
  double ceiling_;
  Fifo fifo_;
  std::size_t fifo_at_ = 0;  // samples of fifo_ already read
  std::optional<AudioFileReader> reader_;
  std::unique_ptr<StreamConverter> converter_;
  std::unique_ptr<TruePeakLimiter> limiter_;  // null when the bed is not limited
  std::size_t loop_out_ = 0;                  // output frames this loop so far
  std::optional<std::size_t> loop_frames_;
  Repeat repeat_;
  bool ended_ = false;  // played Once to its end
  std::size_t source_frames_ = 0;
  int source_rate_ = 0;
};

}  // namespace warta::audio
