// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the text tests: the shipped Indonesian data and scratch files.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "config/language_loader.h"
#include "support/media.h"
#include "text/normalizer.h"

namespace warta::test {

inline std::filesystem::path languageDir() { return std::filesystem::path(WARTA_SOURCE_DIR) / "voices" / "id"; }

// The normalizer with voices/id, loaded once.
inline const text::Normalizer& indonesian() {
  static const text::Normalizer normalizer(app::loadLanguage(languageDir()),
                                           app::loadLexicon(languageDir() / "lexicon.yaml"));
  return normalizer;
}

// A fresh folder private to this test process (ctest runs cases in parallel).
inline std::filesystem::path scratchDir(const std::string& name) { return tempDir("text-" + name); }

inline std::filesystem::path writeFile(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
  return file;
}

}  // namespace warta::test
