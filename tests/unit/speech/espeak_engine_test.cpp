// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <cmath>
#include <algorithm>
#include <memory>
#include <type_traits>

#include "config/voice_loader.h"
#include "audio/edit.h"
#include "speech/espeak_engine.h"

using warta::speech::EspeakEngine;
using warta::speech::SpeechError;
using warta::speech::VoiceProfile;

static_assert(!std::is_copy_constructible_v<EspeakEngine>, "one owner of eSpeak's state");
static_assert(std::is_nothrow_move_constructible_v<EspeakEngine>);

TEST_CASE("speaks Indonesian text as audible mono audio at eSpeak's rate", "[speech]") {
  EspeakEngine engine;
  engine.setVoice(VoiceProfile{});
  const auto audio = engine.synthesize("selamat pagi, pendengar");
  REQUIRE(engine.sampleRate() == 22050);
  REQUIRE(audio.sample_rate == 22050);
  REQUIRE(audio.channels == 1);
  // Four words at 165 wpm: well over half a second, well under three.
  CHECK(audio.seconds() > 0.6);
  CHECK(audio.seconds() < 3.0);
  CHECK(warta::audio::rms(audio, 0, audio.frames()) > 0.02);
}

TEST_CASE("trims eSpeak's own leading and trailing silence so pauses are warta's", "[speech]") {
  EspeakEngine engine;
  engine.setVoice(VoiceProfile{});
  const auto audio = engine.synthesize("berita");
  const std::size_t edge = static_cast<std::size_t>(audio.sample_rate / 20);  // 50 ms
  REQUIRE(audio.frames() > 2 * edge);
  CHECK(warta::audio::rms(audio, 0, edge) > 1e-4);
  CHECK(warta::audio::rms(audio, audio.frames() - edge, edge) > 1e-4);
}

TEST_CASE("a faster rate gives shorter speech", "[speech]") {
  EspeakEngine engine;
  VoiceProfile slow, fast;
  slow.rate_wpm = 120;
  fast.rate_wpm = 300;
  const std::string text = "pemerintah kota menyalurkan bantuan kepada warga yang terdampak banjir";
  engine.setVoice(slow);
  const double slow_s = engine.synthesize(text).seconds();
  engine.setVoice(fast);
  const double fast_s = engine.synthesize(text).seconds();
  CHECK(fast_s < slow_s * 0.6);
}

TEST_CASE("only one engine owns eSpeak at a time, and moving hands it over", "[speech]") {
  EspeakEngine first;
  REQUIRE_THROWS_AS(EspeakEngine{}, SpeechError);
  EspeakEngine second(std::move(first));
  second.setVoice(VoiceProfile{});
  CHECK(second.synthesize("satu").frames() > 0);
  CHECK_THROWS_AS(first.synthesize("dua"), SpeechError);  // NOLINT: moved-from use is the point
}

TEST_CASE("after an engine is destroyed a new one can start", "[speech]") {
  { EspeakEngine engine; }
  EspeakEngine again;
  again.setVoice(VoiceProfile{});
  CHECK(again.synthesize("tiga").frames() > 0);
}

TEST_CASE("an unknown eSpeak voice is an error naming it", "[speech]") {
  EspeakEngine engine;
  VoiceProfile bad;
  bad.espeak_voice = "no-such-voice";
  try {
    engine.setVoice(bad);
    FAIL("setVoice accepted an unknown voice");
  } catch (const SpeechError& e) {
    CHECK(std::string(e.what()).find("no-such-voice") != std::string::npos);
  }
}

TEST_CASE("phoneme spans in [[...]] are spoken and phonemes() reports eSpeak's phonemes", "[speech]") {
  EspeakEngine engine;
  engine.setVoice(VoiceProfile{});
  CHECK(engine.synthesize("[[k'ovid]]").seconds() > 0.2);
  const std::string ph = engine.phonemes("kota");
  CHECK(ph.find('k') != std::string::npos);
  CHECK(ph.find('t') != std::string::npos);
}

TEST_CASE("every shipped voice profile loads and speaks", "[speech]") {
  EspeakEngine engine;
  for (const char* name : {"id", "id-f"}) {
    INFO(name);
    const auto file = warta::app::findVoiceProfile(name);
    REQUIRE_FALSE(file.empty());
    engine.setVoice(warta::app::loadVoiceProfile(file));
    CHECK(engine.synthesize("kabar pagi").seconds() > 0.3);
  }
}

TEST_CASE("phonemes() passes [[...]] phoneme spans through between spoken words", "[speech]") {
  EspeakEngine engine;
  engine.setVoice(VoiceProfile{});
  const std::string ph = engine.phonemes("bantuan [[p@mk'ot]] tiba");
  CHECK(ph.find("p@mk'ot") != std::string::npos);
  CHECK(ph.find("[[") == std::string::npos);
  CHECK(ph.find("t'iba") != std::string::npos);
}

TEST_CASE("makeEngine gives eSpeak NG behind the Engine interface and refuses an unknown engine", "[speech]") {
  std::unique_ptr<warta::speech::Engine> engine = warta::speech::makeEngine();
  REQUIRE(dynamic_cast<EspeakEngine*>(engine.get()) != nullptr);
  engine->setVoice(VoiceProfile{});
  const warta::speech::Speech said = engine->speak("selamat pagi, pendengar");
  CHECK(engine->sampleRate() == 22050);
  CHECK(said.audio.sample_rate == 22050);
  CHECK(said.word_starts.size() == 3);  // one start per word, in order
  CHECK(std::is_sorted(said.word_starts.begin(), said.word_starts.end()));
  CHECK(warta::audio::rms(said.audio, 0, said.audio.frames()) > 0.02);
  CHECK(engine->phonemes("[[t'ida?]]").find('?') != std::string::npos);  // a phoneme span's glottal stop (eSpeak's ?)
  engine.reset();
  try {
    warta::speech::makeEngine("festival");
    FAIL("an unknown engine was made");
  } catch (const SpeechError& e) {
    CHECK(std::string(e.what()).find("unknown speech engine 'festival'") != std::string::npos);
  }
}
