// SPDX-License-Identifier: GPL-3.0-or-later
// Lays clips end to end (or overlapping, for crossfades) into one sink at one
// output format, with an optional music bed ducked under the voice. Streams:
// a short window (max_overlap seconds, up to twice that between writes) is
// held back before it is written, so memory grows with neither the
// bulletin's length nor a clip's, nor the bed's (streamed, audio/bed.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "audio/audio.h"
#include "audio/bed.h"

namespace warta::audio {

enum class ClipRole {
  Music,  // jingles, stingers: the bed is not ducked under them
  Voice,  // speech: the bed ducks under it
};

struct BedSettings {
  double duck_db = 18.0;  // how far the bed drops under voice, dB
  double attack = 0.25;   // seconds to reach the ducked level, finished as the voice starts
  double release = 0.8;   // seconds to come back up after the voice
  double fade_in = 1.0;   // seconds, at the bed's start
};

class Mixer {
 public:
  // `sink` is borrowed and must outlive the Mixer; it receives audio at
  // `sample_rate` Hz with `channels` channels. `join_fade` (seconds) is the
  // fade applied at both ends of every clip so joins never click.
  // `max_overlap` (seconds) bounds crossfades and the bed's attack: that much
  // output is held back before it is written. Throws AudioError.
  Mixer(AudioSink& sink, int sample_rate, int channels, double join_fade = 0.005, double max_overlap = 4.0);

  // Converts `clip` to the output format, fades its ends and places it at the
  // current end of the timeline, or `overlap` seconds before it (clipped to
  // max_overlap): what is already there fades out under the clip's start. The
  // timeline then ends at the clip's end (or the earlier end, if later).
  // Returns the clip's start time in seconds. Levels are not changed: peaks
  // are the limiter's job. Throws AudioError.
  double append(const Audio& clip, ClipRole role = ClipRole::Music, double overlap = 0.0);
  // The same for a clip streamed at the output rate (a BedFile played Once: a
  // jingle of any length), read to its end a piece at a time: the samples are
  // those append() gives the clip held whole. Its channels are the output's,
  // or mono (added to both). An empty clip adds nothing.
  double append(ClipStream& clip, ClipRole role = ClipRole::Music, double overlap = 0.0);

  // Extends the timeline by `seconds` of silence (rounded to whole frames). Returns its start.
  double appendSilence(double seconds);
  double appendSilenceFrames(std::size_t frames);  // the same, counted in frames

  // Starts `bed` (any format; converted, looped as needed) at the current
  // end of the timeline, or `back` seconds before it (clipped to what is
  // still held back), ducked under Voice clips. Replaces a running bed.
  void startBed(const Audio& bed, const BedSettings& settings, double back = 0.0);
  // The same for a bed streamed at the output format (a BedFile: never held
  // whole), read in order as the timeline is written.
  void startBed(std::unique_ptr<BedStream> bed, const BedSettings& settings, double back = 0.0);

  // Fades the running bed out over `fade_out` seconds from the current end of
  // the timeline; the rest of the timeline has no bed.
  void stopBed(double fade_out);

  // Writes everything held back to the sink (not sink.finish()). Call once at the end.
  void flush();

  // Writes nothing from timeline frame `frame` on, flush() included: a
  // chunk's mixer, whose sink needs the programme only up to a point. What
  // is appended after it still places later clips and ducks the bed ahead of
  // a voice, but is neither mixed with the bed nor written.
  void endOutputAt(std::size_t frame) { output_end_ = frame; }

  // A piece of a longer timeline (render/layout.h: a chunk of a programme
  // whose every element's place is known): the timeline starts at frame
  // `origin` instead of 0, and nothing before it is mixed or written. Call
  // before anything is added; what follows is appended as in the whole.
  void startAt(std::size_t origin);
  // A bed started before the origin and still sounding there: `bed` reads
  // from the origin on, `start` (<= origin) is where the bed began (its
  // fade-in counts from there), `duck_gain` the ducking gain the whole
  // timeline carries at the origin (duckGainAt), and a bed already stopping
  // gives its fade-out's start and length in frames.
  void resumeBed(std::unique_ptr<BedStream> bed, const BedSettings& settings, std::size_t start, double duck_gain,
                 std::size_t stop = SIZE_MAX, std::size_t fade_out = 0);
  // The ducking gain (linear) a Mixer that mixed a whole timeline carries
  // at `frame`, under a bed started (gain 1) at `bed_start`, with Voice clips
  // sounding over `voice` ([start, end) frames, sorted, not overlapping):
  // bit for bit the mixer's own, from the last point where the gain was
  // pinned at either end (so a long programme costs a few seconds' steps).
  static double duckGainAt(const BedSettings& settings, int sample_rate, std::size_t bed_start, std::size_t frame,
                           const std::vector<std::pair<std::size_t, std::size_t>>& voice);

  // Length of the timeline so far: exact frame count and the same in seconds.
  std::size_t frames() const { return end_; }
  double position() const { return static_cast<double>(end_) / sample_rate_; }

  int sampleRate() const { return sample_rate_; }
  int channels() const { return channels_; }

 private:
  static constexpr std::size_t kStep = 16384;  // frames added to the window at a time
  void ensure(std::size_t frame_end);          // grows the held-back window to cover frame_end
  float* at(std::size_t frame) {               // timeline frame `frame` (held back) in the window
    return window_.data() + (head_ + frame - written_) * static_cast<std::size_t>(channels_);
  }
  // Where a clip placed `overlap` seconds back starts; fades what is already under it.
  std::size_t beginClip(double overlap);
  // Adds clip frames [i0, i0 + n) (`data`: frame i0 on, `src_width` channels,
  // 1 spread to all) at timeline frame start + i0, then writes what is held back enough.
  void addFrames(std::size_t start, std::size_t i0, const float* data, std::size_t n, std::size_t src_width,
                 ClipRole role);
  void writeHeldBack();                   // writes what is more than max_overlap back, in batches
  void writeUpTo(std::size_t frame_end);  // mixes the bed in and writes [written_, frame_end)
  // The bed's fade in (`fade_in` frames, from bed_settings_) and out at `frame`.
  float bedGain(std::size_t frame, std::size_t fade_in) const;

  AudioSink& sink_;
  int sample_rate_;
  int channels_;
  double join_fade_;
  std::size_t max_overlap_;            // frames
  std::size_t end_ = 0;                // timeline length, frames
  std::size_t written_ = 0;            // frames already given to the sink
  std::size_t output_end_ = SIZE_MAX;  // endOutputAt()
  // The held-back frames [written_, end_) are window frames [head_, head_ +
  // end_ - written_): written frames are dropped by moving head_, and what
  // is held back is moved to the front only when head_ is past half the
  // reserved room (a move of every frame at every write cost more than the
  // mixing). Window frames past the held-back ones are always 0.
  std::vector<float> window_;        // interleaved
  std::vector<std::uint8_t> voice_;  // per window frame: 1 where a Voice clip sounds
  std::size_t head_ = 0;             // window frame of timeline frame written_
  std::size_t room_ = 0;             // window frames reserved (enough for what is held back at most)
  Audio chunk_;                      // what writeUpTo hands the sink (reused)
  std::vector<float> faded_;         // one piece of a clip with its join fades (reused)

  // The bed, if any.
  std::unique_ptr<BedStream> bed_;  // at the output format
  std::vector<float> bed_piece_;    // the bed under one piece (kStep frames) of a write
  std::vector<float> duck_piece_;   // its ducking gain per frame
  std::vector<float> fade_piece_;   // its fade in or out per frame
  BedSettings bed_settings_;
  bool bed_on_ = false;
  std::size_t bed_start_ = 0;        // timeline frame where the bed starts
  std::size_t bed_stop_ = SIZE_MAX;  // timeline frame where its fade-out starts
  std::size_t bed_fade_out_ = 0;     // frames
  double duck_gain_ = 1.0;           // current ducking gain (linear), carried across writes
};

}  // namespace warta::audio
