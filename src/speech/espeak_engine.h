// SPDX-License-Identifier: GPL-3.0-or-later
// eSpeak NG in process. eSpeak keeps global state and is not thread safe, so
// one EspeakEngine owns it: at most one may exist per process at a time (a
// second constructor call throws). Later work runs one engine per worker
// process. eSpeak NG 1.51 cannot be re-initialised after espeak_Terminate, so
// the first engine initialises it for the life of the process and later
// engines reuse that state (with the same data folder).
#pragma once

#include "warta/error.h"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/audio.h"
#include "speech/engine.h"
#include "speech/voice_profile.h"

namespace warta::speech {

// eSpeak NG's version string (espeak_Info); needs no engine.
std::string espeakVersion();

// Reads eSpeak NG's list of voices (every file under its default data's
// voices/ folder, about 190) into this process without initialising eSpeak,
// which would start a thread: a process forked from this one then selects a
// voice without reading them again. The render pool's zygote calls it once
// before it forks a process per job (each spent about 2.6 ms and 400 file
// opens on the list). Does nothing once eSpeak is initialised here; never
// throws (a missing data folder is reported when an engine is made).
void preloadVoiceList();

// eSpeak NG behind the Engine interface (speech/engine.h).
class EspeakEngine : public Engine {
 public:
  // Initialises eSpeak NG in synchronous mode (no audio device). `data_dir`
  // is espeak-ng-data's parent folder; empty uses the library's default.
  // Throws SpeechError.
  explicit EspeakEngine(const std::filesystem::path& data_dir = {});
  ~EspeakEngine() override;  // gives up exclusive use; eSpeak's state stays for the next engine
  EspeakEngine(EspeakEngine&&) noexcept;
  EspeakEngine& operator=(EspeakEngine&&) noexcept;
  EspeakEngine(const EspeakEngine&) = delete;
  EspeakEngine& operator=(const EspeakEngine&) = delete;

  int sampleRate() const override { return sample_rate_; }  // Hz of synthesized audio (22050 for eSpeak NG)

  // Selects voice, variant, rate, pitch, range and volume (nothing to do if
  // they are what was selected last). Throws SpeechError naming the voice if
  // eSpeak does not know it.
  void setVoice(const VoiceProfile& profile) override;

  // Speaks `text` (UTF-8 words; "[[...]]" spans are eSpeak phonemes) and
  // returns mono audio at sampleRate(), with eSpeak's leading and trailing
  // silence trimmed so pauses are ours alone. Throws SpeechError.
  audio::Audio synthesize(const std::string& text);

  // synthesize() with the start of every word, from eSpeak's word events.
  Speech speak(const std::string& text) override;

  // The eSpeak phoneme mnemonics for `text` (espeak_TextToPhonemes), clauses
  // separated by spaces.
  std::string phonemes(const std::string& text) override;

 private:
  bool owns_ = false;
  int sample_rate_ = 0;
  std::string voice_key_;  // synthesisKey() of the voice selected last
  // eSpeak's samples of the sentence being spoken, kept between sentences:
  // grown afresh for each, they were a tenth of a worker's page faults.
  std::vector<short> pcm_;
};

}  // namespace warta::speech
