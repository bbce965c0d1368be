// SPDX-License-Identifier: GPL-3.0-or-later
// audio/leveler.h: an element leveled to its loudness target, streaming.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "audio/edit.h"
#include "audio/leveler.h"
#include "audio/loudness.h"
#include "support/media.h"

using warta::audio::Audio;
using warta::audio::AudioError;
using warta::audio::ClipSource;
using warta::audio::ClipSpool;
using warta::audio::LoudnessMeter;
using warta::test::tone;

namespace {

// Three "sentences" at different levels, like speech from one voice.
std::vector<Audio> sentences(int rate, int channels) {
  std::vector<Audio> clips = {tone(220, 2.0, rate, channels, 0.05), tone(330, 3.0, rate, channels, 0.2),
                              tone(440, 1.5, rate, channels, 0.1)};
  return clips;
}

struct Leveled {
  std::vector<Audio> clips;
  std::vector<std::size_t> order;
  int reads = 0;
};

Leveled level(const std::vector<Audio>& clips, const std::vector<double>& pauses, int out_channels, double target,
              double ceiling) {
  Leveled out;
  const ClipSource source{clips.size(),
                          [&](std::size_t i) {
                            ++out.reads;
                            return clips.at(i);
                          },
                          pauses};
  warta::audio::levelClips(source, out_channels, target, ceiling, [&](std::size_t i, Audio&& c) {
    out.order.push_back(i);
    out.clips.push_back(std::move(c));
  });
  return out;
}

// Loudness of the clips as heard, with their pauses, on `out_channels`.
double heard(const std::vector<Audio>& clips, const std::vector<double>& pauses, int out_channels) {
  LoudnessMeter meter(clips.front().sample_rate, clips.front().channels);
  for (std::size_t i = 0; i < clips.size(); ++i) {
    meter.add(clips[i]);
    if (i + 1 < clips.size()) meter.add(Audio::silence(pauses[i], clips[i].sample_rate, clips[i].channels));
  }
  const double lufs = meter.integrated();
  return clips.front().channels == 1 && out_channels == 2 ? lufs + 10 * std::log10(2.0) : lufs;
}

}  // namespace

TEST_CASE("levels an element with its pauses to the target, clip by clip, in order", "[audio][leveler]") {
  struct Case {
    int rate;
    int channels;
    int out_channels;
    double target;
    double ceiling;
  };
  for (const Case c :
       {Case{22050, 1, 2, -16.0, -2.0}, Case{22050, 1, 1, -23.0, -2.0}, Case{44100, 2, 2, -18.0, -1.5}}) {
    INFO(c.rate << " Hz, " << c.channels << " channels on " << c.out_channels << ", target " << c.target);
    const std::vector<Audio> clips = sentences(c.rate, c.channels);
    const std::vector<double> pauses = {0.35, 0.75, 0.0};
    const Leveled out = level(clips, pauses, c.out_channels, c.target, c.ceiling);
    REQUIRE(out.order == std::vector<std::size_t>{0, 1, 2});
    for (std::size_t i = 0; i < clips.size(); ++i) {
      CHECK(out.clips[i].frames() == clips[i].frames());
      CHECK(out.clips[i].sample_rate == c.rate);
      CHECK(out.clips[i].channels == c.channels);
    }
    CHECK(heard(out.clips, pauses, c.out_channels) == Approx(c.target).margin(0.1));
    // The clips keep their balance: each was scaled by the same gain where the limiter did not act.
    const double gain0 = warta::audio::peak(out.clips[0]) / warta::audio::peak(clips[0]);
    const double gain2 = warta::audio::peak(out.clips[2]) / warta::audio::peak(clips[2]);
    CHECK(gain0 == Approx(gain2).epsilon(0.01));
    // Streaming: every clip is read three to eight times (loudness, one to six
    // trial limiter passes, the limiter), never held all at once.
    CHECK(out.reads >= 3 * static_cast<int>(clips.size()));
    CHECK(out.reads <= 8 * static_cast<int>(clips.size()));
  }
}

TEST_CASE("a loud element is limited under the ceiling and made up to the target", "[audio][leveler]") {
  // Peaks 14 dB over its loudness: the limiter must act, the make-up must keep the target.
  std::vector<Audio> clips = {tone(300, 3.0, 44100, 2, 0.02), tone(300, 0.05, 44100, 2, 0.9),
                              tone(300, 3.0, 44100, 2, 0.02)};
  const std::vector<double> pauses = {0.0, 0.0, 0.0};
  const Leveled out = level(clips, pauses, 2, -16.0, -1.0);
  LoudnessMeter meter(44100, 2);
  for (const auto& c : out.clips) meter.add(c);
  CHECK(meter.integrated() == Approx(-16.0).margin(0.1));
  // The gain goes before the limiter, so nothing lifts the peaks after it
  // (0.05 dB: libebur128's and the limiter's 4x oversampling differ slightly).
  CHECK(meter.truePeakDb() <= -1.0 + 0.05);
}

TEST_CASE("an element too quiet to measure passes unchanged", "[audio][leveler]") {
  const std::vector<Audio> clips = {Audio::silence(1.0, 22050, 1), tone(440, 0.2, 22050, 1, 1e-6)};
  const Leveled out = level(clips, {0.5, 0.0}, 2, -16.0, -1.0);
  REQUIRE(out.clips.size() == 2);
  CHECK(out.clips[0].samples == clips[0].samples);
  CHECK(out.clips[1].samples == clips[1].samples);
  const Audio one = warta::audio::levelClip(clips[1], 2, -16.0, -1.0);
  CHECK(one.samples == clips[1].samples);
}

TEST_CASE("a clip spool gives eSpeak's 16-bit speech back exactly, and only mono", "[audio][leveler]") {
  ClipSpool spool;
  std::vector<Audio> clips;
  for (int n : {5, 0, 70000}) {
    Audio a{std::vector<float>(static_cast<std::size_t>(n)), 22050, 1};
    for (int k = 0; k < n; ++k)
      a.samples[static_cast<std::size_t>(k)] = static_cast<float>((k * 7919) % 65536 - 32768) / 32768.0f;
    spool.add(a);
    clips.push_back(std::move(a));
  }
  REQUIRE(spool.size() == 3);
  for (std::size_t i = 0; i < clips.size(); ++i) {
    const Audio back = spool.clip(i);
    CHECK(back.sample_rate == 22050);
    CHECK(back.channels == 1);
    CHECK(back.samples == clips[i].samples);
  }
  CHECK_THROWS_AS(spool.add(tone(440, 0.1, 22050, 2)), AudioError);
}

TEST_CASE("the leveler says what it measured: -inf for what it could not level", "[audio][leveler]") {
  // Silence, and a tone far under the -70 LUFS gate: nothing to bring up (issue 14: a silent programme is an error).
  const std::vector<Audio> quiet = {Audio::silence(1.0, 22050, 1), tone(440, 1.0, 22050, 1, 1e-6)};
  const ClipSource source{quiet.size(), [&](std::size_t i) { return quiet.at(i); }, {0.5, 0.0}};
  CHECK(std::isinf(warta::audio::levelClips(source, 1, -16.0, -1.0, [](std::size_t, Audio&&) {})));
  double measured = 0;
  warta::audio::levelClip(Audio::silence(2.0, 44100, 2), 2, -16.0, -1.0, 0, &measured);
  CHECK(std::isinf(measured));
  // A tone: what libebur128 reads on it unleveled.
  const Audio t = tone(1000, 3.0, 44100, 1, 0.1);
  warta::audio::levelClip(t, 1, -16.0, -1.0, 0, &measured);
  CHECK(measured == Approx(LoudnessMeter::integratedLoudness(t)).margin(1e-9));
  CHECK(measured < -16.0);
}
