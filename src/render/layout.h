// SPDX-License-Identifier: GPL-3.0-or-later
// Where everything of a programme sounds, in output frames, before any of it
// is mixed: a pure function of the plan and of what the first pass learned
// of each step (its clips' lengths). The parent takes the timeline, the
// chapters and the places to cut from it; each chunk replays the events
// from just before its start, so a piece mixed alone is the same samples
// as the programme mixed whole (the mixer's crossfades, the bed's position
// and ducking and its fades are all functions of these frames).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "render/render_plan.h"

namespace warta::app {

struct LayoutEvent {
  enum class Kind { Clip, Jingle, Silence, BedStart, BedStop, Chapter };
  Kind kind = Kind::Silence;
  std::size_t step = 0;         // index into RenderPlan::steps
  std::size_t clip = 0;         // Clip: the step's segment
  std::int64_t start = 0;       // frame where it begins (BedStop: the fade-out's start; Chapter: its frame)
  std::int64_t frames = 0;      // Clip, Jingle, Silence: its length; BedStop: the fade-out's length
  double overlap = 0;           // Clip, Jingle, BedStart: seconds asked back (what the mixer is given)
  bool voice = false;           // a Voice clip (the bed ducks under it)
  std::int64_t end_before = 0;  // the timeline's end before this event
};

// A stretch where the bed sounds: from `start` to `stop` + `fade_out`.
struct BedRun {
  std::int64_t start = 0;
  std::int64_t stop = INT64_MAX;  // where its fade-out starts (INT64_MAX: never stopped)
  std::int64_t fade_out = 0;      // frames
  std::int64_t end() const { return stop == INT64_MAX ? INT64_MAX : stop + fade_out; }
};

struct Layout {
  std::vector<LayoutEvent> events;
  std::vector<BedRun> beds;
  std::vector<std::pair<std::size_t, std::size_t>> voice;  // Voice clips' [start, end) frames, sorted, merged
  std::int64_t frames = 0;                                 // the programme's length
  std::int64_t max_overlap = 0;                            // the mixer's held-back window, frames
  std::vector<std::int64_t> cuts;                          // story gaps padded to a whole encoder frame: cut there
};

// The mixer's held-back window (audio::Mixer's max_overlap), seconds.
inline constexpr double kMixerOverlap = 4.0;

// Lays out `plan` (its steps and the first pass's sounds). Throws
// audio::AudioError if a sound is missing for a step that needs one.
Layout layoutPlan(const RenderPlan& plan);

// The first event a chunk starting at `frame` must replay: every event from
// it on begins at or after its `end_before`, which is at or before `frame`.
std::size_t replayFrom(const Layout& layout, std::int64_t frame);

// Where the programme is cut into chunks: frames, the first 0, each a
// multiple of `align`, in increasing order, none within `tail` frames of the
// end. Without a bed, cuts fall in silences (nothing sounding for
// kCutSilence on both sides): in every story gap the layout padded
// (Step::cut), and inside longer stretches so that no chunk is much longer
// than `target_seconds`. With a bed nothing is silent: the programme is cut
// anywhere, in the same places (story gaps, then the middles of pauses), and
// its chunks are encoded with context (encode::ChunkSpan).
struct ChunkCuts {
  std::vector<std::int64_t> cuts;
  bool anywhere = false;
};
ChunkCuts chunkCuts(const RenderPlan& plan, const Layout& layout, std::int64_t align, double target_seconds,
                    std::int64_t tail = 0);

// Seconds of silence a cut keeps on both sides: the next chunk's encoder
// starts with ~1105 samples of delay (25 ms at 44.1 kHz, 50 ms at 22.05 kHz)
// that decode over the end of the chunk before.
inline constexpr double kCutSilence = 0.12;

}  // namespace warta::app
