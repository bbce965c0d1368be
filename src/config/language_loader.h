// SPDX-License-Identifier: GPL-3.0-or-later
// Language data and lexicons from YAML (voices/<lang>/). Every mistake is an
// app::ConfigError "FILE:LINE:COL: message".
#pragma once

#include <filesystem>

#include "text/language.h"
#include "text/lexicon.h"

namespace warta::app {

// Reads the language folder `dir`: numbers.yaml, letters.yaml,
// abbreviations.yaml, acronyms.yaml, calendar.yaml, ranks.yaml, units.yaml and
// symbols.yaml (other files there, such as phrases.yaml and lexicon.yaml, are
// read by their own loaders). Every key of every file is required; unknown
// keys, wrong types, duplicate entries and missing files are ConfigError.
text::LanguageData loadLanguage(const std::filesystem::path& dir);

// Reads a lexicon file:
//   entries:
//     Covid: kovid                            # word -> respelling
//     AS: { respelling: amerika serikat, case_sensitive: true }
//     Tiongkok: { phonemes: "tiONk'Ok" }      # eSpeak phoneme mnemonics
// An empty file is an empty lexicon. A W3C PLS file (a .pls extension, or
// XML content) is read by loadPlsLexicon (app/pls_loader.h). Throws ConfigError.
text::Lexicon loadLexicon(const std::filesystem::path& file);

}  // namespace warta::app
