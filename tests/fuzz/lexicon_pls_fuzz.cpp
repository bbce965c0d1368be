// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the PLS (W3C pronunciation lexicon) loader loads or
// refuses with an error; it never crashes or hits undefined behaviour.
#include <cstdint>
#include <stdexcept>

#include "config/pls_loader.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = warta::fuzz::writeInput("lexicon.pls", data, size);
  try {
    (void)warta::app::loadPlsLexicon(file);
  } catch (const std::exception&) {
  }
  return 0;
}
