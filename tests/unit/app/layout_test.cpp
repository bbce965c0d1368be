// SPDX-License-Identifier: GPL-3.0-or-later
// A programme laid out in frames (render/layout.h) and mixed in chunks:
// every piece, wherever it is cut (inside a sentence, under the bed, in a
// crossfade, in the bed's fade-out), is the same samples as the programme
// mixed whole, so chunks can be cut anywhere and rendered at once.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "encode/chunk.h"
#include "encode/writer.h"
#include "render/layout.h"
#include "render/render_plan.h"
#include "render/speech_file.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta;
using namespace warta::app;

namespace {

// A plan with a bed under everything: jingle, spoken line crossfading into
// it, two stories (clips and pauses), a story gap, the bed stopping with a
// fade, a closing line. Its spoken sounds are tones written as speech files
// (no engine: the chunks only mix), the jingle and bed measured for real.
RenderPlan testPlan(const fs::path& dir) {
  RenderPlan plan;
  plan.output = dir / "out.wav";
  plan.settings.sample_rate = 44100;
  plan.settings.channels = 2;
  plan.codec = encode::ChunkCodec::Pcm16;
  plan.render.integrated = -16;
  plan.render.true_peak = -1;
  plan.voices.emplace_back();
  plan.bed_level = -14;
  plan.bed_mix = {18.0, 0.25, 0.8, 1.0};
  {
    audio::Audio bed = test::tone(220, 2.5, 48000, 2, 0.3);  // loops every 2.5 s, resampled to 44.1 kHz
    encode::OutputSettings at48;
    at48.sample_rate = 48000;
    encode::WavWriter w(dir / "bed.wav", at48);
    w.write(bed);
    w.finish();
    audio::Audio jingle = test::tone(660, 1.5, 44100, 2, 0.4);
    encode::WavWriter j(dir / "jingle.wav", encode::OutputSettings{});
    j.write(jingle);
    j.finish();
  }
  plan.bed_file = dir / "bed.wav";
  auto step = [&](Step::Op op, double seconds = 0) {
    Step s;
    s.op = op;
    s.seconds = seconds;
    s.kind = "gap";
    return s;
  };
  auto spoken = [&](Step::Op op, std::vector<double> pauses, int story, double overlap = 0) {
    Step s = step(op);
    s.kind = op == Step::Op::Story ? "speech" : "opening";
    s.story = story;
    s.overlap = overlap;
    for (double p : pauses) {
      PlannedSegment seg;
      seg.spoken = "x";
      seg.pause_after = p;
      s.segments.push_back(seg);
    }
    return s;
  };
  Step jingle = step(Step::Op::Jingle);
  jingle.kind = "intro";
  jingle.file = dir / "jingle.wav";
  Step bed = step(Step::Op::BedStart);
  bed.overlap = 0.5;
  Step stop = step(Step::Op::BedStop, 1.5);
  plan.steps = {jingle,
                bed,
                spoken(Step::Op::Voice, {0}, -1, 0.5),
                step(Step::Op::Pause, 1.2),
                spoken(Step::Op::Story, {0.6, 0.4, 0.9, 0}, 0),
                step(Step::Op::Pause, 1.2),
                spoken(Step::Op::Story, {0.6, 0.6, 0}, 1),
                stop,
                step(Step::Op::Pause, 0.8),
                spoken(Step::Op::Voice, {0}, -1)};
  plan.steps[3].cut = plan.steps[5].cut = true;
  // Sounds: speech files of tones for the spoken steps; the jingle and bed measured.
  plan.sounds.resize(plan.steps.size());
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const Step& s = plan.steps[i];
    const fs::path file = dir / ("sound-" + std::to_string(i));
    if (s.op == Step::Op::Jingle || s.op == Step::Op::BedStart) {
      renderSound(plan, i, file);
      plan.sounds[i] = decodeSound(SpeechFileReader(file).report(), file);
    } else if (s.op == Step::Op::Voice || s.op == Step::Op::Story) {
      SpeechFileWriter w(file);
      StepSound& sound = plan.sounds[i];
      sound.clip_rate = 22050;
      for (std::size_t k = 0; k < s.segments.size(); ++k) {
        const audio::Audio clip =
            test::tone(150.0 + 37.0 * static_cast<double>(i + k), 1.1 + 0.37 * static_cast<double>(k), 22050, 1, 0.25);
        w.add(clip);
        sound.clips.push_back(static_cast<std::int64_t>(clip.frames()));
        sound.word_starts.emplace_back();
      }
      w.finish(encodeSound(sound));
    }
    plan.sounds[i].file = file;
    plan.sounds[i].key = "sound " + std::to_string(i);
  }
  return plan;
}

audio::Audio renderWith(RenderPlan plan, const Layout& layout, std::vector<std::int64_t> cuts, const fs::path& out,
                        const std::shared_ptr<const audio::Audio>& bed_loop = nullptr) {
  plan.cuts = std::move(cuts);
  std::vector<fs::path> chunks;
  for (std::size_t i = 0; i < plan.cuts.size(); ++i) {
    chunks.push_back(out.parent_path() / (out.stem().string() + "-" + std::to_string(i) + ".chunk"));
    renderChunk(plan, layout, i, chunks.back(), bed_loop);
  }
  encode::joinChunks(out, plan.settings, chunks, {});
  return test::decodeFile(out).audio;
}

}  // namespace

TEST_CASE("a programme cut anywhere, each chunk mixed from the layout, is the programme mixed whole", "[layout]") {
  const fs::path dir = test::tempDir("layout-cut-anywhere");
  const RenderPlan plan = testPlan(dir);
  const Layout layout = layoutPlan(plan);
  REQUIRE(layout.beds.size() == 1);
  REQUIRE(layout.cuts.empty());  // the bed sounds in both story gaps: no silent cut
  const audio::Audio whole = renderWith(plan, layout, {0}, dir / "whole.wav");
  REQUIRE(static_cast<std::int64_t>(whole.frames()) == layout.frames);

  // Cuts inside the jingle, in the spoken line's crossfade into it, inside a
  // sentence under the ducked bed, in a pause where the ducking recovers, in
  // the bed's fade-out, and one frame apart.
  std::vector<std::int64_t> cuts = {0};
  const LayoutEvent* line = nullptr;
  for (const LayoutEvent& e : layout.events)
    if (e.kind == LayoutEvent::Kind::Clip && !line) line = &e;
  REQUIRE(line != nullptr);
  REQUIRE(line->start < line->end_before);  // it does cross into the jingle
  cuts.push_back(line->start - 3000);
  cuts.push_back(line->start + 100);
  for (const LayoutEvent& e : layout.events)
    if (e.kind == LayoutEvent::Kind::Clip && plan.steps[e.step].op == Step::Op::Story && e.clip == 1) {
      cuts.push_back(e.start + e.frames / 3);
      cuts.push_back(e.start + e.frames + 7000);  // in the pause after
    }
  const std::int64_t fade = layout.beds.front().stop + 20000;
  cuts.push_back(fade);
  cuts.push_back(fade + 1);
  std::sort(cuts.begin(), cuts.end());
  const audio::Audio pieces = renderWith(plan, layout, cuts, dir / "pieces.wav");
  REQUIRE(pieces.frames() == whole.frames());
  // PCM chunks are dithered to 16 bits afresh each, so samples may differ by
  // the dither alone: at most 2 steps of 1/32768 (TPDF of one step each way).
  double worst = 0;
  std::size_t worst_at = 0;
  for (std::size_t i = 0; i < whole.samples.size(); ++i) {
    const double d = std::abs(static_cast<double>(whole.samples[i]) - pieces.samples[i]);
    if (d > worst) worst = d, worst_at = i / 2;
  }
  INFO("largest difference " << worst * 32768 << " steps at frame " << worst_at);
  CHECK(worst <= 2.0 / 32768 + 1e-9);
  // The bed held as one loop for all the chunks: the same samples exactly.
  const std::shared_ptr<const audio::Audio> loop = heldBed(plan);
  REQUIRE(loop != nullptr);
  CHECK(renderWith(plan, layout, cuts, dir / "held.wav", loop).samples == pieces.samples);
  // And the bed is really there under the cuts (the comparison means something).
  CHECK(test::rmsDb(whole, static_cast<double>(cuts[3]) / 44100 - 0.1, static_cast<double>(cuts[3]) / 44100 + 0.1) >
        -40);
}

TEST_CASE("story gaps with nothing sounding are cut, padded to whole encoder frames", "[layout]") {
  const fs::path dir = test::tempDir("layout-gap-cuts");
  RenderPlan plan = testPlan(dir);
  plan.codec = encode::ChunkCodec::Mp3;
  // Without the bed the two story gaps are silent: the layout cuts there.
  plan.bed_file.reset();
  std::vector<Step> steps;
  std::vector<StepSound> sounds;
  for (std::size_t i = 0; i < plan.steps.size(); ++i)
    if (plan.steps[i].op != Step::Op::BedStart && plan.steps[i].op != Step::Op::BedStop)
      steps.push_back(plan.steps[i]), sounds.push_back(plan.sounds[i]);
  plan.steps = steps;
  plan.sounds = sounds;
  const Layout layout = layoutPlan(plan);
  REQUIRE(layout.cuts.size() == 2);
  for (std::int64_t c : layout.cuts) CHECK(c % 1152 == 0);
  // Each cut keeps at least kCutSilence of silence on both sides.
  for (std::int64_t c : layout.cuts)
    for (const LayoutEvent& e : layout.events)
      if (e.kind == LayoutEvent::Kind::Clip || e.kind == LayoutEvent::Kind::Jingle) {
        const bool clear = e.start + e.frames + 0.12 * 44100 <= c || e.start >= c + 0.12 * 44100;
        CHECK(clear);
      }
  const ChunkCuts cuts = chunkCuts(plan, layout, 1152, 75.0);
  CHECK_FALSE(cuts.anywhere);
  CHECK(cuts.cuts == std::vector<std::int64_t>{0, layout.cuts[0], layout.cuts[1]});
  // A story made longer moves what follows by whole frames only: the second
  // story starts at the same place in its chunk.
  RenderPlan longer = plan;
  longer.sounds[3].clips[0] += 999;  // the first story's first clip (steps: jingle, line, gap, story...)
  REQUIRE(longer.steps[3].op == Step::Op::Story);
  const Layout moved = layoutPlan(longer);
  REQUIRE(moved.cuts.size() == 2);
  auto second_story = [](const RenderPlan& p, const Layout& l) {
    for (const LayoutEvent& e : l.events)
      if (e.kind == LayoutEvent::Kind::Clip && p.steps[e.step].story == 1) return e.start - l.cuts[1];
    return std::int64_t{-1};
  };
  CHECK(second_story(longer, moved) == second_story(plan, layout));
  // ... by the 1998 frames it grew (at 44.1 kHz), give or take the padding of less than a frame.
  const std::int64_t shift = moved.cuts[1] - layout.cuts[1];
  CHECK(shift % 1152 == 0);
  CHECK(std::llabs(shift - 999 * 2) < 1152);
}
