// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the YAML lexicon loader loads or refuses with an error;
// it never crashes or hits undefined behaviour.
#include <cstdint>
#include <stdexcept>

#include "config/language_loader.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = warta::fuzz::writeInput("lexicon.yaml", data, size);
  try {
    (void)warta::app::loadLexicon(file);
  } catch (const std::exception&) {
  }
  return 0;
}
