// SPDX-License-Identifier: GPL-3.0-or-later
#include "speech/voice_profile.h"

#include <stdexcept>

namespace warta::speech {

std::string VoiceProfile::synthesisKey() const {
  return espeak_voice + '+' + variant + '/' + std::to_string(rate_wpm) + '/' + std::to_string(pitch) + '/' +
         std::to_string(pitch_range) + '/' + std::to_string(volume);
}

void VoiceProfile::validate() const {
  auto range = [&](const char* field, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi))  // written so that NaN fails too
      throw std::invalid_argument(std::string(field) + " " + std::to_string(value) + " is out of range (" +
                                  std::to_string(lo) + " to " + std::to_string(hi) + ")");
  };
  if (espeak_voice.empty()) throw std::invalid_argument("espeak_voice is empty");
  range("rate", rate_wpm, 80, 450);
  range("pitch", pitch, 0, 100);
  range("pitch_range", pitch_range, 0, 100);
  // eSpeak's amplitude 0 is silence, which no leveling can raise: the
  // bulletin would be silent yet reported at its loudness target.
  if (volume == 0)
    throw std::invalid_argument(
        "volume 0 makes the voice silent (the rendered audio would be silent): check volume, 1 to 200");
  range("volume", volume, 1, 200);
  for (const auto& [field, value] : {std::pair{"headline", pauses.headline},
                                     {"dateline", pauses.dateline},
                                     {"subhead", pauses.subhead},
                                     {"sentence", pauses.sentence},
                                     {"paragraph", pauses.paragraph},
                                     {"story_gap", story_gap},
                                     {"jingle", jingle_pause},
                                     {"bed_out", bed_fade_out}})
    range(field, value, 0.0, 10.0);
  range("join", join_fade, 0.0, 0.5);
}

}  // namespace warta::speech
