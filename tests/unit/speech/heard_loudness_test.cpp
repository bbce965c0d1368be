// SPDX-License-Identifier: GPL-3.0-or-later
// eSpeak's speech measured at its own 22.05 kHz as heard at 44.1 kHz (what
// leveling's trials do) against the same speech converted to 44.1 kHz, as
// the mixer converts it, and measured there by libebur128.
#include <catch2/catch.hpp>
#include <ebur128.h>

#include <string>
#include <vector>

#include "audio/convert.h"
#include "audio/loudness.h"
#include "speech/espeak_engine.h"

using warta::audio::Audio;
using warta::audio::LoudnessMeter;

namespace {

double libebur128Loudness(const Audio& audio) {
  warta::audio::Ebur128 st(ebur128_init(static_cast<unsigned>(audio.channels),
                                        static_cast<unsigned long>(audio.sample_rate), EBUR128_MODE_I));
  REQUIRE(st);
  REQUIRE(ebur128_add_frames_float(st.get(), audio.samples.data(), audio.frames()) == EBUR128_SUCCESS);
  double lufs = 0;
  REQUIRE(ebur128_loudness_global(st.get(), &lufs) == EBUR128_SUCCESS);
  return lufs;
}

double ourLoudness(const Audio& audio, int heard_rate) {
  LoudnessMeter meter(audio.sample_rate, audio.channels, LoudnessMeter::Measure::Loudness, heard_rate);
  meter.add(audio);
  return meter.integrated();
}

}  // namespace

TEST_CASE("eSpeak's speech measured as heard at 44.1 kHz reads as it does converted there, to 0.01 LU", "[speech]") {
  warta::speech::EspeakEngine engine;
  engine.setVoice(warta::speech::VoiceProfile{});
  // Our own sentences, with fricatives (s, c, f) for the shelf's band.
  const std::vector<std::string> sentences = {
      "Ratusan petani di desa itu menggelar panen raya padi pada hari Senin.",
      "Hasil panen musim ini mencapai tujuh koma dua ton per hektare, naik dibandingkan musim sebelumnya.",
      "Irigasi sekarang lebih lancar, jadi tanaman tidak kekurangan air, kata ketua kelompok tani.",
      "Festival budaya pesisir menampilkan tari, musik, dan kuliner khas selama tiga hari."};
  Audio speech{{}, engine.sampleRate(), 1};
  for (const auto& s : sentences) {
    const Audio a = engine.synthesize(s);
    speech.samples.insert(speech.samples.end(), a.samples.begin(), a.samples.end());
  }
  REQUIRE(speech.seconds() > 10.0);
  const double converted = libebur128Loudness(warta::audio::convert(speech, 44100, 1));
  CHECK(ourLoudness(speech, 44100) == Approx(converted).margin(0.01));
  // Measured at 22.05 kHz as it is, it reads louder than heard: the heard
  // rate is what the check above holds.
  CHECK(ourLoudness(speech, 0) > converted + 0.04);
}
