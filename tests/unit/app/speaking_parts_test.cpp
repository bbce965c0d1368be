// SPDX-License-Identifier: GPL-3.0-or-later
// A long story spoken in parts (render/render_plan.h): where it is cut, and
// how its parts' clips are leveled together into one sound.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "audio/convert.h"
#include "audio/edit.h"
#include "audio/leveler.h"
#include "audio/loudness.h"
#include "render/render_plan.h"
#include "render/speech_file.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta;
using namespace warta::app;

namespace {

Step storyOf(const std::vector<std::size_t>& chars, Step::Op op = Step::Op::Story) {
  Step s;
  s.op = op;
  s.kind = "speech";
  for (std::size_t n : chars) {
    PlannedSegment seg;
    seg.spoken = std::string(n, 'a');
    seg.pause_after = 0.4;
    s.segments.push_back(seg);
  }
  return s;
}

}  // namespace

TEST_CASE("a long story is spoken in parts of at least 4000 characters, cut between sentences, the rest in one",
          "[render][parts]") {
  REQUIRE(kSpeakingPartChars == 4000);
  struct Case {
    const char* what;
    Step step;
    std::vector<std::size_t> starts;
  };
  const std::vector<Case> cases = {
      // 1500 a sentence: three make a part while at least 4000 are left after it.
      {"ten sentences of 1500: 3, 3, 4", storyOf(std::vector<std::size_t>(10, 1500)), {0, 3, 6}},
      {"eleven: 3, 3, 5 (3000 would be left after a third part)",
       storyOf(std::vector<std::size_t>(11, 1500)),
       {0, 3, 6}},
      {"twelve: 3, 3, 3, 3", storyOf(std::vector<std::size_t>(12, 1500)), {0, 3, 6, 9}},
      {"7999 characters: one part", storyOf({4000, 3999}), {0}},
      {"two sentences of 4000", storyOf({4000, 4000}), {0, 1}},
      {"one sentence of 20000", storyOf({20000}), {0}},
      {"an opening line is never cut", storyOf({5000, 5000}, Step::Op::Voice), {0}},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CHECK(speakingParts(c.step) == c.starts);
  }
}

TEST_CASE("a story's parts are leveled as one: one gain across them, every clip and its word starts in order",
          "[render][parts]") {
  const fs::path dir = test::tempDir("speaking-parts");
  RenderPlan plan;
  plan.settings.sample_rate = 44100;
  plan.settings.channels = 2;
  plan.render.integrated = -16;
  plan.render.true_peak = -1;
  plan.voices.emplace_back();
  // 40 "sentences" of tones, 3.1 to 4.5 s, in two parts: over two minutes, so
  // the leveler also goes in pieces, and those pieces do not follow the parts.
  constexpr std::size_t kClips = 40, kFirstPart = 17;
  plan.steps.push_back(storyOf(std::vector<std::size_t>(kClips, 10)));
  std::vector<audio::Audio> raw;
  std::vector<fs::path> parts = {dir / "part-0.speech", dir / "part-1.speech"};
  for (std::size_t p = 0; p < parts.size(); ++p) {
    SpeechFileWriter w(parts[p]);
    StepSound part;
    part.clip_rate = 22050;
    for (std::size_t k = p == 0 ? 0 : kFirstPart; k < (p == 0 ? kFirstPart : kClips); ++k) {
      raw.push_back(test::tone(140.0 + 9.0 * static_cast<double>(k % 7), 3.1 + 0.2 * static_cast<double>(k % 8), 22050,
                               1, 0.02 + 0.004 * static_cast<double>(k % 5)));
      w.add(raw.back());
      part.clips.push_back(static_cast<std::int64_t>(raw.back().frames()));
      part.word_starts.push_back({0, k * 10 + 5});
    }
    w.finish(encodeSound(part));
  }
  const fs::path file = dir / "story.speech";
  levelParts(plan, 0, parts, file, 2);
  const SpeechFileReader sound(file, true);
  const StepSound report = decodeSound(sound.report(), file);
  REQUIRE(sound.clips() == kClips);
  REQUIRE(report.word_starts.size() == kClips);
  std::vector<audio::Audio> leveled;
  for (std::size_t k = 0; k < kClips; ++k) {
    INFO("clip " << k);
    CHECK(sound.frames(k) == static_cast<std::int64_t>(raw[k].frames()));
    CHECK(report.word_starts[k] == std::vector<std::size_t>{0, k * 10 + 5});
    leveled.push_back(sound.clip(k));
  }
  // One gain: a clip of the first part and one of the second were scaled alike (quiet tones: no limiting).
  const double first = audio::peak(leveled[2]) / audio::peak(raw[2]);
  const double last = audio::peak(leveled[kClips - 3]) / audio::peak(raw[kClips - 3]);
  CHECK(first > 2.0);
  CHECK(last == Approx(first).epsilon(1e-4));
  // What it measured before leveling is the whole story's loudness, and the
  // story heard at 44.1 kHz on two channels (as the mixer plays it) reads the target.
  audio::LoudnessMeter before(22050, 1, audio::LoudnessMeter::Measure::Loudness);
  audio::LoudnessMeter heard(44100, 2, audio::LoudnessMeter::Measure::Loudness);
  for (std::size_t k = 0; k < kClips; ++k) {
    before.add(raw[k]);
    heard.add(audio::convert(leveled[k], 44100, 2));
    if (k + 1 < kClips) {
      before.add(audio::Audio::silence(0.4, 22050, 1));
      heard.add(audio::Audio::silence(0.4, 44100, 2));
    }
  }
  CHECK(report.measured == Approx(before.integrated()).margin(0.02));
  CHECK(heard.integrated() == Approx(-16.0).margin(0.05));
  // The same sound on one thread.
  const fs::path one = dir / "story-1.speech";
  levelParts(plan, 0, parts, one, 1);
  const SpeechFileReader again(one, true);
  for (std::size_t k = 0; k < kClips; ++k) CHECK(again.clip(k).samples == leveled[k].samples);
  // A part missing: its clips are not there, and it says so.
  CHECK_THROWS_AS(levelParts(plan, 0, {parts[0]}, dir / "short.speech", 1), audio::AudioError);
}
