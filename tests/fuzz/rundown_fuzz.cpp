// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the rundown loader either loads a rundown or refuses it
// with a config error; it never crashes, hits undefined behaviour or throws
// something that is not a std::exception. What it loads names its bulletin
// inside the output folder.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include "render/pipeline.h"
#include "config/rundown.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool voices = [] { return setenv("WARTA_VOICES", WARTA_SOURCE_DIR "/voices", 1) == 0; }();
  (void)voices;
  const auto file = warta::fuzz::writeInput("rundown.yaml", data, size);
  try {
    const warta::app::Rundown r = warta::app::loadRundown(file);
    const std::string name = r.outputName();
    for (char c : name)
      if (static_cast<unsigned char>(c) < 0x20) std::abort();  // a control character reached a file name
    if (!warta::app::insideFolder(file.parent_path() / "out" / name, file.parent_path() / "out")) std::abort();
  } catch (const std::exception&) {
  }
  return 0;
}
