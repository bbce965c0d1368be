// SPDX-License-Identifier: GPL-3.0-or-later
// Voice profiles: voices/<name>.yaml, found by name or given as a path.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "speech/voice_profile.h"

namespace warta::app {

// The voices/ folder: $WARTA_VOICES if set, else an installed warta's
// PREFIX/share/warta/voices (found beside the library or program), else the
// one this build was configured with.
std::filesystem::path voicesDir();

// "id" -> voicesDir()/id.yaml; anything with a '/' or ending in .yaml is a
// path (relative to `base_dir`). Returns an empty path if no such file exists.
std::filesystem::path findVoiceProfile(const std::string& name_or_path, const std::filesystem::path& base_dir = {});

// Reads a profile. Keys: espeak_voice, variant, rate, pitch, pitch_range,
// volume, language (folder under voices/, default "id"), pauses {headline,
// dateline, subhead, sentence, paragraph, jingle}, story_gap, fades {join,
// bed_out}, normalization
// {read_degrees, read_repeated_acronyms, read_dateline_source}. Throws ConfigError
// with FILE:LINE:COL for unknown keys, wrong types and out-of-range values.
speech::VoiceProfile loadVoiceProfile(const std::filesystem::path& file);

// Spoken phrases of a language (voices/<lang>/phrases.yaml): the bulletin's
// opening and close templates ({show}, {weekday}, {date} = d/m/yyyy).
struct Phrases {
  std::string opening;
  std::string closing;
};
Phrases loadPhrases(const std::filesystem::path& language_dir);  // throws ConfigError

}  // namespace warta::app
