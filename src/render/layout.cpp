// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/layout.h"

#include <algorithm>
#include <cmath>

#include "audio/convert.h"
#include "encode/chunk.h"

namespace warta::app {

namespace {

// audio::Mixer's rounding of seconds to frames.
std::int64_t toFrames(double seconds, int rate) { return std::llround(std::max(0.0, seconds) * rate); }

// The mixer's own arithmetic, step by step (audio/mixer.cpp): a clip placed
// `overlap` seconds back starts that far before the timeline's end, clipped
// to the held-back window and to the timeline (the mixer always holds back
// at least min(end, max_overlap) frames until its flush).
class Timeline {
 public:
  Timeline(Layout& layout, int rate) : layout_(layout), rate_(rate) {}
  std::int64_t end() const { return end_; }
  LayoutEvent& add(LayoutEvent e) {
    e.end_before = end_;
    layout_.events.push_back(e);
    return layout_.events.back();
  }
  // A clip of `frames` (> 0) placed `overlap` seconds back: its start.
  std::int64_t place(LayoutEvent e) {
    const std::int64_t back = std::min({toFrames(e.overlap, rate_), layout_.max_overlap, end_});
    e.start = end_ - back;
    add(e);
    if (e.voice) voice_.emplace_back(e.start, e.start + e.frames);
    end_ = std::max(end_, e.start + e.frames);
    return e.start;
  }
  void silence(std::size_t step, std::int64_t frames) {
    if (frames <= 0) return;
    LayoutEvent e;
    e.kind = LayoutEvent::Kind::Silence;
    e.step = step;
    e.start = end_;
    e.frames = frames;
    add(e);
    end_ += frames;
  }
  void finish() {
    layout_.frames = end_;
    std::sort(voice_.begin(), voice_.end());
    for (const auto& [s, e] : voice_) {
      auto& v = layout_.voice;
      if (!v.empty() && static_cast<std::int64_t>(v.back().second) >= s)
        v.back().second = std::max<std::size_t>(v.back().second, static_cast<std::size_t>(e));
      else v.emplace_back(static_cast<std::size_t>(s), static_cast<std::size_t>(e));
    }
  }

 private:
  Layout& layout_;
  int rate_;
  std::int64_t end_ = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> voice_;
};

const StepSound& soundOf(const RenderPlan& plan, std::size_t i) {
  if (i >= plan.sounds.size()) throw audio::AudioError("render: step " + std::to_string(i) + " has no sound");
  return plan.sounds[i];
}

}  // namespace

Layout layoutPlan(const RenderPlan& plan) {
  Layout layout;
  const int rate = plan.settings.sample_rate;
  layout.max_overlap = toFrames(kMixerOverlap, rate);
  const auto align = static_cast<std::int64_t>(encode::chunkAlignment(plan.settings, plan.codec));
  Timeline t(layout, rate);
  double previous_clip = 0;  // seconds (at the clip's own rate): a Voice overlap is clipped to it
  bool bed_on = false;
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const Step& s = plan.steps[i];
    switch (s.op) {
      case Step::Op::Jingle: {
        const StepSound& sound = soundOf(plan, i);
        LayoutEvent e;
        e.kind = LayoutEvent::Kind::Jingle;
        e.step = i;
        e.frames = sound.out_frames;
        e.overlap = s.overlap;
        if (e.frames > 0) t.place(e);
        previous_clip = sound.clip_rate > 0 && !sound.clips.empty()
                            ? static_cast<double>(sound.clips.front()) / sound.clip_rate
                            : 0.0;
        break;
      }
      case Step::Op::Voice:
      case Step::Op::Story: {
        const StepSound& sound = soundOf(plan, i);
        for (std::size_t k = 0; k < sound.clips.size(); ++k) {
          LayoutEvent e;
          e.kind = LayoutEvent::Kind::Clip;
          e.step = i;
          e.clip = k;
          e.voice = true;
          e.frames = static_cast<std::int64_t>(
              audio::convertedFrames(static_cast<std::size_t>(sound.clips[k]), sound.clip_rate, rate));
          e.overlap = s.op == Step::Op::Voice ? std::min(s.overlap, previous_clip) : 0.0;
          if (e.frames > 0) t.place(e);
          previous_clip = static_cast<double>(sound.clips[k]) / sound.clip_rate;
          if (s.op == Step::Op::Story && k + 1 < s.segments.size())
            t.silence(i, toFrames(s.segments[k].pause_after, rate));
        }
        break;
      }
      case Step::Op::Pause: {
        // A story gap where nothing sounds (no bed, any fade-out over) is a
        // cut: its first half is padded to a whole encoder frame, so what
        // follows keeps its place in its chunk however long the stories
        // before it became (a changed story re-renders its own chunks only).
        const double half = s.seconds / 2;
        const bool quiet = !bed_on && (layout.beds.empty() || layout.beds.back().end() + toFrames(kCutSilence, rate) <=
                                                                  t.end() + toFrames(half, rate));
        if (!s.cut || !quiet || half < kCutSilence) {
          if (s.seconds > 0) t.silence(i, toFrames(s.seconds, rate));
          break;
        }
        t.silence(i, toFrames(half, rate));
        t.silence(i, (align - t.end() % align) % align);
        layout.cuts.push_back(t.end());
        t.silence(i, toFrames(s.seconds - half, rate));
        break;
      }
      case Step::Op::BedStart: {
        LayoutEvent e;
        e.kind = LayoutEvent::Kind::BedStart;
        e.step = i;
        e.overlap = std::min(s.overlap, previous_clip);
        const std::int64_t back = std::min({toFrames(e.overlap, rate), layout.max_overlap, t.end()});
        e.start = t.end() - back;
        t.add(e);
        layout.beds.push_back({e.start, INT64_MAX, 0});
        bed_on = true;
        break;
      }
      case Step::Op::BedStop: {
        if (!bed_on) break;
        LayoutEvent e;
        e.kind = LayoutEvent::Kind::BedStop;
        e.step = i;
        e.start = t.end();
        e.frames = std::max<std::int64_t>(1, toFrames(s.seconds, rate));
        t.add(e);
        layout.beds.back().stop = e.start;
        layout.beds.back().fade_out = e.frames;
        bed_on = false;
        break;
      }
      case Step::Op::Chapter: {
        LayoutEvent e;
        e.kind = LayoutEvent::Kind::Chapter;
        e.step = i;
        e.start = t.end();
        t.add(e);
        break;
      }
    }
  }
  t.finish();
  return layout;
}

std::size_t replayFrom(const Layout& layout, std::int64_t frame) {
  const auto& ev = layout.events;
  // The earliest frame any event from j on touches.
  std::vector<std::int64_t> suffix_min(ev.size() + 1, INT64_MAX);
  for (std::size_t j = ev.size(); j-- > 0;) suffix_min[j] = std::min(suffix_min[j + 1], ev[j].start);
  std::size_t j = 0;
  while (j + 1 < ev.size() && ev[j + 1].end_before <= frame) ++j;
  for (; j > 0; --j)
    if (ev[j].end_before <= frame && suffix_min[j] >= ev[j].end_before) break;
  // Events that take no time (a chapter, a bed's start) at the same place come too.
  while (j > 0 && ev[j - 1].end_before == ev[j].end_before && suffix_min[j - 1] >= ev[j - 1].end_before) --j;
  return j;
}

ChunkCuts chunkCuts(const RenderPlan& plan, const Layout& layout, std::int64_t align, double target_seconds,
                    std::int64_t tail) {
  const int rate = plan.settings.sample_rate;
  const std::int64_t keep = std::llround(kCutSilence * rate);
  ChunkCuts out;
  // Under a bed nothing is silent: cut anywhere (encoded with context), in
  // the pauses' middles. Else only where nothing sounds.
  out.anywhere = !layout.beds.empty();
  std::vector<std::pair<std::int64_t, std::int64_t>> sounding;
  for (const LayoutEvent& e : layout.events)
    if ((e.kind == LayoutEvent::Kind::Clip || e.kind == LayoutEvent::Kind::Jingle) && e.frames > 0)
      sounding.emplace_back(e.start, e.start + e.frames);
  if (!out.anywhere)
    for (const BedRun& b : layout.beds) sounding.emplace_back(b.start, std::min(b.end(), layout.frames));
  std::sort(sounding.begin(), sounding.end());
  // Places to cut: an aligned frame in a gap between sounds, `keep` from
  // both ends, the nearest its middle; story gaps marked.
  struct Candidate {
    std::int64_t frame;
    bool gap;
  };
  std::vector<Candidate> candidates;
  auto gapAt = [&](std::int64_t frame) {
    for (const LayoutEvent& e : layout.events)
      if (e.kind == LayoutEvent::Kind::Silence && e.start <= frame && frame < e.start + e.frames)
        return plan.steps[e.step].op == Step::Op::Pause && plan.steps[e.step].cut;
    return false;
  };
  const std::int64_t last_cut = layout.frames - tail;  // the chunk before the last needs its postroll
  std::int64_t reach = 0;                              // everything before it sounds (or is the start)
  for (const auto& [s, e] : sounding) {
    if (s > reach && reach > 0) {
      const std::int64_t lo = reach + keep, hi = s - keep, mid = (lo + hi) / 2;
      std::int64_t best = -1;
      for (std::int64_t f = (lo + align - 1) / align * align; f <= hi; f += align)
        if (best < 0 || std::llabs(f - mid) < std::llabs(best - mid)) best = f;
      if (best > 0 && best < last_cut) candidates.push_back({best, out.anywhere && gapAt(best)});
    }
    reach = std::max(reach, e);
  }
  // Every story gap is a cut (the layout's padded ones, or under a bed the
  // marked gaps); between them, stretches much longer than target_seconds
  // are cut at the places nearest even pieces.
  out.cuts = {0};
  const auto target = static_cast<std::int64_t>(target_seconds * rate);
  auto fill = [&](std::int64_t to) {
    const std::int64_t from = out.cuts.back(), span = to - from;
    if (span <= target + target / 2) return;
    const std::int64_t pieces = (span + target - 1) / target;
    for (std::int64_t p = 1; p < pieces; ++p) {
      const std::int64_t want = from + span * p / pieces;
      std::int64_t best = -1;
      for (const Candidate& c : candidates)
        if (c.frame > out.cuts.back() && c.frame < to &&
            (best < 0 || std::llabs(c.frame - want) < std::llabs(best - want)))
          best = c.frame;
      if (best > out.cuts.back()) out.cuts.push_back(best);
    }
  };
  std::vector<std::int64_t> gaps = layout.cuts;
  for (const Candidate& c : candidates)
    if (c.gap) gaps.push_back(c.frame);
  std::sort(gaps.begin(), gaps.end());
  for (std::int64_t gap : gaps) {
    if (gap <= out.cuts.back() || gap >= last_cut) continue;
    fill(gap);
    out.cuts.push_back(gap);
  }
  fill(layout.frames);
  return out;
}

}  // namespace warta::app
