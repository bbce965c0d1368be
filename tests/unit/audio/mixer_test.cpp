#include <catch2/catch.hpp>

#include <cmath>

#include "audio/edit.h"
#include "audio/mixer.h"
#include "support/media.h"

using warta::audio::Audio;
using warta::audio::Mixer;

namespace {
// Collects what the mixer writes, chunk by chunk.
struct Collector : warta::audio::AudioSink {
  Audio all{{}, 44100, 2};
  int chunks = 0;
  void write(const Audio& chunk) override {
    REQUIRE(chunk.sample_rate == all.sample_rate);
    REQUIRE(chunk.channels == all.channels);
    all.samples.insert(all.samples.end(), chunk.samples.begin(), chunk.samples.end());
    ++chunks;
  }
  void finish() override {}
};
}  // namespace

TEST_CASE("the mixer lays clips and silences end to end at the output format", "[mixer]") {
  Collector sink;
  Mixer mixer(sink, 44100, 2);
  const Audio speech = warta::test::tone(220, 1.0, 22050, 1);  // eSpeak's format
  CHECK(mixer.append(speech) == 0.0);
  CHECK(mixer.appendSilence(0.35) == Approx(1.0).margin(1e-4));
  CHECK(mixer.append(warta::test::tone(440, 0.5, 48000, 2)) == Approx(1.35).margin(1e-4));
  CHECK(mixer.frames() == sink.all.frames());
  CHECK(mixer.frames() == 44100 + 15435 + 22050);
  CHECK(mixer.position() == Approx(1.85).margin(1e-4));
  // The silence is digital silence; the clips keep their level.
  CHECK(warta::test::windowRms(sink.all, 1.01, 1.34) == 0.0);
  CHECK(warta::test::rmsDb(sink.all, 0.1, 0.9) == Approx(20 * std::log10(0.5 / std::sqrt(2.0))).margin(0.2));
}

TEST_CASE("every clip starts and ends at zero so joins never click", "[mixer]") {
  Collector sink;
  Mixer mixer(sink, 44100, 2, 0.005);
  Audio dc{std::vector<float>(44100, 0.8f), 44100, 1};  // worst case: a full-level step
  mixer.append(dc);
  mixer.append(dc);
  const auto& s = sink.all.samples;
  const std::size_t join = 44100 * 2;  // first frame of the second clip, interleaved
  CHECK(std::abs(s[0]) < 1e-3);
  CHECK(std::abs(s[join - 1]) < 1e-3);
  CHECK(std::abs(s[join]) < 1e-3);
  float largest_step = 0;
  for (std::size_t i = 2; i < s.size(); i += 2) largest_step = std::max(largest_step, std::abs(s[i] - s[i - 2]));
  CHECK(largest_step < 0.01f);  // 0.8 over a 5 ms ramp (220 frames)
}

TEST_CASE("a clip louder than full scale is turned down, never clipped", "[mixer]") {
  Collector sink;
  Mixer mixer(sink, 44100, 1);
  sink.all.channels = 1;
  Audio hot = warta::test::tone(1000, 0.5, 44100, 1, 1.6);
  mixer.append(hot);
  CHECK(warta::audio::peak(sink.all) <= 1.0f);
  CHECK(warta::audio::peak(sink.all) > 0.99f);
  // Shape kept: a scaled sine, not a squared-off one (RMS/peak stays 1/sqrt(2)).
  CHECK(warta::test::windowRms(sink.all, 0.1, 0.4) / warta::audio::peak(sink.all) == Approx(1 / std::sqrt(2.0)).margin(0.01));
}

TEST_CASE("a mixer refuses output formats it cannot write", "[mixer]") {
  Collector sink;
  CHECK_THROWS_AS(Mixer(sink, 44100, 6), warta::audio::AudioError);
  CHECK_THROWS_AS(Mixer(sink, 0, 2), warta::audio::AudioError);
}
