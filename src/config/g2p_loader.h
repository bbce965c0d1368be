// SPDX-License-Identifier: GPL-3.0-or-later
// Letter-to-sound data from voices/<lang>/: the word lists (words/*.txt,
// every file, in name order), morphology.yaml, homographs.yaml and
// fallback.yaml. Every mistake is an app::ConfigError "FILE:LINE: message"
// (YAML: "FILE:LINE:COL: message").
#pragma once

#include <filesystem>
#include <optional>

#include "g2p/letter_to_sound.h"

namespace warta::app {

// nullopt when `dir` has no letter-to-sound data at all (no words/ folder and
// no morphology.yaml): eSpeak's own rules read the words then. Throws ConfigError.
std::optional<g2p::G2pData> loadLetterToSound(const std::filesystem::path& dir);

// The word lists of `folder` (every *.txt) into `words`. Throws ConfigError.
void loadWordLists(const std::filesystem::path& folder, g2p::WordList& words);

}  // namespace warta::app
