// SPDX-License-Identifier: GPL-3.0-or-later
// A voice profile (voices/<name>.yaml): which eSpeak voice speaks, how fast,
// and the pauses between segments.
#pragma once

#include <filesystem>
#include <string>

#include "text/normalizer.h"
#include "text/segment.h"

namespace warta::speech {

struct VoiceProfile {
  std::string name = "id";                // profile name (file stem)
  std::filesystem::path file;             // the .yaml it was read from; empty for built-in defaults
  std::string espeak_voice = "id";        // eSpeak NG voice name, e.g. "id"
  std::string variant;                    // eSpeak variant, e.g. "f2"; empty for the voice's own
  int rate_wpm = 165;                     // words per minute (eSpeak range 80..450)
  int pitch = 50;                         // 0..100
  int pitch_range = 50;                   // 0..100
  int volume = 100;                       // 0..200, eSpeak's amplitude
  std::filesystem::path language_dir;     // language data and lexicon, e.g. voices/id
  text::Pauses pauses;                    // seconds after each segment kind
  double story_gap = 1.2;                 // seconds of silence between stories when no stinger is given
  double jingle_pause = 0.5;              // seconds after the intro, around stingers, before the outro
  double join_fade = 0.005;               // seconds of fade at both ends of every clip (no clicks)
  double bed_fade_out = 1.5;              // seconds the music bed takes to fade out
  text::NormalizerOptions normalization;  // degrees, repeated acronyms, dateline source

  // Throws std::invalid_argument naming the field out of range.
  void validate() const;

  // The fields that change what eSpeak says (voice, variant, rate, pitch,
  // range, volume) as one string: equal keys, equal speech.
  std::string synthesisKey() const;
};

}  // namespace warta::speech
