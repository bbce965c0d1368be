// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the g2p tests: the shipped Indonesian letter-to-sound data, loaded once.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/g2p_loader.h"
#include "g2p/letter_to_sound.h"
#include "support/media.h"

namespace warta::test {

// voices/id, or $WARTA_VOICES/id when set (as the program itself does).
inline std::filesystem::path g2pLanguageDir() {
  const char* voices = std::getenv("WARTA_VOICES");
  return std::filesystem::path(voices && *voices ? voices : WARTA_SOURCE_DIR "/voices") / "id";
}

inline const g2p::LetterToSound& indonesianG2p() {
  static const g2p::LetterToSound g2p(*app::loadLetterToSound(g2pLanguageDir()));
  return g2p;
}

// The word as the test tables write it: é/ê for each e, ʔ for each glottal k.
inline std::string markedForm(std::string_view word) { return indonesianG2p().readWord(word).spelling.marked(true); }

inline std::string phonemesOf(std::string_view word) { return indonesianG2p().readWord(word).phonemes; }

}  // namespace warta::test
