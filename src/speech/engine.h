// SPDX-License-Identifier: GPL-3.0-or-later
// A speech engine as the rest of warta sees it: spoken words in, mono audio
// and word starts out. eSpeak NG (speech/espeak_engine.h) is the one engine
// today; another is added by implementing Engine and naming it in
// makeEngine(), without touching render/ or anything else that speaks.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "audio/audio.h"
#include "warta/error.h"
#include "speech/voice_profile.h"

namespace warta::speech {

// The engine failed; what() carries the engine's own error code and text.
class SpeechError : public warta::Error {
 public:
  explicit SpeechError(const std::string& message) : Error(ErrorKind::Engine, message) {}
};

// What an engine said: the audio and where each word of the text starts in it.
struct Speech {
  audio::Audio audio;                    // mono at the engine's rate, silence trimmed
  std::vector<std::size_t> word_starts;  // frames into `audio`, one per space-separated word
                                         // of the text ("[[...]]" spans count as words), non-decreasing
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual int sampleRate() const = 0;  // Hz of what speak() returns
  // Selects the profile's voice, rate, pitch and volume. Throws SpeechError
  // naming the voice if the engine does not know it.
  virtual void setVoice(const VoiceProfile& profile) = 0;
  // Speaks `text` (UTF-8 words; "[[...]]" spans are the engine's phonemes),
  // leading and trailing silence trimmed so pauses are warta's alone.
  // Throws SpeechError.
  virtual Speech speak(const std::string& text) = 0;
  // The engine's phoneme mnemonics for `text` (`warta normalize --phonemes`).
  virtual std::string phonemes(const std::string& text) = 0;
};

// The engine named `name` ("espeak-ng", the default). An engine may keep
// process-wide state (eSpeak NG does): make one per process, in a worker.
// Throws SpeechError for an unknown name or an engine that fails to start.
std::unique_ptr<Engine> makeEngine(const std::string& name = "espeak-ng");

}  // namespace warta::speech
